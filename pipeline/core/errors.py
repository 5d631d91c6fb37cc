"""The one error catalogue of focuslex.

Every user-facing error has a code and a Dutch message that says what was wrong, with the
value, and what to do. Library code raises `FocuslexError(code, **params)`; the CLI and the
app show `error.message`; nothing here prints or logs. Keep codes stable: tests and users
refer to them. Group prefixes: SET settings, IN ingest, PSE pseudonymisation, DB store,
NLP language pipeline, LEX lexicon, TRM terms, EXP export/report, TOP topics, ACT activities,
REP reports, ACC access (users, roles, logins), BAK backup and restore.

A count takes its noun in the message itself, as `{minutes:minuut|minuten}`: the catalogue's
formatter (`format_message`) writes '1 minuut', '15 minuten', '0,5 minuten' (Belgian number
format, `pipeline.core.formats.count_noun`), so no message says '1 minuten'.
"""

from __future__ import annotations

import string
from numbers import Real
from typing import Any

from pipeline.core.formats import count_noun, format_count

# code -> (what was wrong, what to do). Both are Dutch, formatted with the error's params.
CATALOGUE: dict[str, tuple[str, str]] = {
    # settings
    "FX-SET-001": ("Het instellingenbestand {file} bestaat niet.",
                   "Geef een bestaand TOML-bestand op (zie settings.example.toml)."),
    "FX-SET-002": ("Onbekende instelling '{key}' in {file}.",
                   "Controleer de schrijfwijze tegen settings.example.toml."),
    "FX-SET-003": ("De instelling '{key}' in {file} heeft een ongeldige waarde: {value!r}.",
                   "Geef een getal op."),
    "FX-SET-004": ("Het instellingenbestand {file} is geen geldige TOML: {detail}.",
                   "Verbeter de syntaxis (zie settings.example.toml)."),
    "FX-SET-005": ("De instelling ingest.speaker_regex in {file} is geen bruikbaar patroon: "
                   "{detail}.",
                   "Geef een geldige reguliere expressie op met de benoemde groepen "
                   "(?P<name>...) en (?P<text>...), of laat de instelling leeg."),
    # ingest
    "FX-IN-001": ("Het bestand {file} is leeg.",
                  "Kies het juiste bestand of exporteer het transcript opnieuw."),
    "FX-IN-002": ("Het bestandstype van {file} wordt niet ondersteund ({suffix}).",
                  "Gebruik txt, md, docx, vtt, srt of pdf."),
    "FX-IN-003": ("Het bestand {file} is te groot ({size_mb:.1f} MB; de limiet is {limit_mb:.0f} MB).",
                  "Splits het bestand of verhoog ingest.max_upload_mb in de instellingen."),
    "FX-IN-004": ("Het bestand {file} is geen geldig Word-document (docx): {detail}.",
                  "Open het in Word of LibreOffice en sla het opnieuw op als .docx."),
    "FX-IN-005": ("Het bestand {file} pakt uit tot {size_mb:.0f} MB (verhouding {ratio:.0f}:1); "
                  "dat lijkt op een zip-bom.",
                  "Controleer de herkomst van het bestand; sla het opnieuw op als gewoon docx-bestand."),
    "FX-IN-006": ("De tekstcodering van {file} kon niet worden bepaald.",
                  "Sla het bestand op als UTF-8 (in Kladblok: Opslaan als > Codering: UTF-8)."),
    "FX-IN-007": ("In {file} zijn geen sprekers gevonden (geen regels als 'Naam: tekst').",
                  "Voeg sprekeraanduidingen toe, geef een eigen patroon op in ingest.speaker_regex, "
                  "of sla het op als verklaring met --kind statement."),
    "FX-IN-008": ("Het ondertitelbestand {file} kon niet gelezen worden: {detail}.",
                  "Exporteer het transcript opnieuw uit Teams of Zoom als .vtt of .srt."),
    "FX-IN-009": ("De pdf {file} kon niet gelezen worden: {detail}.",
                  "Controleer of de pdf niet beveiligd of beschadigd is."),
    "FX-IN-010": ("De pdf {file} bevat geen tekstlaag (alleen afbeeldingen).",
                  "Gebruik een pdf met tekst, of zet het document eerst om met tekstherkenning (OCR)."),
    "FX-IN-011": ("De bestandsnaam {file} is niet toegestaan ({detail}).",
                  "Gebruik een gewone bestandsnaam zonder mappen of '..'."),
    "FX-IN-012": ("Het pad {file} bestaat niet.", "Controleer het pad."),
    "FX-IN-013": ("De deelnemerslijst {file} mist de kolom(men): {columns}.",
                  "Voeg de kolommen toe; verplicht zijn 'speaker' (of 'spreker') en 'group' (of 'groep')."),
    "FX-IN-014": ("De deelnemerslijst {file} kon niet gelezen worden: {detail}.",
                  "Sla de lijst op als .csv (UTF-8) of .xlsx."),
    "FX-IN-015": ("In {file} spreken personen die niet op de deelnemerslijst staan: {speakers}.",
                  "Voeg hen toe aan de deelnemerslijst en laad opnieuw op."),
    "FX-IN-016": ("De deelnemerslijst {file} heeft een ongeldige rol '{value}' op rij {row}.",
                  "Gebruik 'participant' (deelnemer) of 'facilitator' (begeleider)."),
    "FX-IN-017": ("De deelnemerslijst {file} bevat spreker '{speaker}' twee keer (rij {row}).",
                  "Houd één rij per spreker."),
    "FX-IN-018": ("De documentenlijst {file} kon niet gelezen worden: {detail}.",
                  "Controleer de kolommen file, kind, focus_group, round, date, prompt."),
    "FX-IN-019": ("De documentenlijst {file} noemt een bestand dat ontbreekt: {missing}.",
                  "Voeg het bestand toe of verwijder de rij."),
    "FX-IN-020": ("Ongeldige waarde voor {field} in {file}: {value!r}.",
                  "{advice}"),
    "FX-IN-021": ("In de map {file} staan geen ondersteunde bestanden.",
                  "Gebruik txt, md, docx, vtt, srt of pdf."),
    # pseudonymisation
    "FX-PSE-001": ("Het sleutelbestand met pseudoniemen {file} is beschadigd: {detail}.",
                   "Herstel het uit een back-up; maak het niet opnieuw aan, anders veranderen de codes."),
    "FX-PSE-002": ("Het sleutelbestand {file} ligt in dezelfde map als de database.",
                   "Kies voor paths.key_file een aparte map buiten de gegevensmap van de database."),
    "FX-PSE-003": ("De uitvoer {target} bevat nog echte namen ({where}).",
                   "Controleer de pseudonimisering; er is niets weggeschreven."),
    "FX-PSE-004": ("Het bestand met gevonden namen en beslissingen {file} is beschadigd: "
                   "{detail}.",
                   "Herstel het uit een back-up van de privémap; zonder dit bestand kunnen "
                   "verworpen namen niet meer teruggezet worden."),
    "FX-PSE-005": ("Deze invoer kan niet als naam toegevoegd worden: {detail}.",
                   "Geef een naam van minstens twee letters op, zonder haakjes of cijfers."),
    "FX-PSE-006": ("Deze naam staat niet (meer) in de lijst met gevonden namen.",
                   "Vernieuw de pagina: misschien heeft iemand hem intussen nagekeken."),
    # store
    "FX-DB-001": ("De database {url} kon niet geopend worden: {detail}.",
                  "Controleer het pad of de URL (--db) en de toegangsrechten."),
    "FX-DB-002": ("Opslaan van {file} is mislukt: {detail}.",
                  "Er is niets van dit bestand opgeslagen; probeer opnieuw of meld het probleem."),
    # lexicon
    "FX-LEX-001": ("Het lexiconbestand {file} is geen geldige YAML: {detail}.",
                   "Verbeter de syntaxis op de genoemde regel (let op inspringing en "
                   "dubbele punten) en importeer opnieuw; er is niets opgeslagen."),
    "FX-LEX-002": ("De term '{term}' in {source} is ongeldig: {problems}.",
                   "Verbeter de genoemde velden; er is niets opgeslagen."),
    "FX-LEX-003": ("De id('s) {terms} komen meer dan eens voor in {source}.",
                   "Geef elke term een eigen id of voeg de dubbele termen samen."),
    "FX-LEX-004": ("Een label hoort bij meer dan één term in {source}: {labels}.",
                   "Maak het label uniek, of zet het bij elk van die termen onder "
                   "shared_labels als het bewust gedeeld wordt."),
    "FX-LEX-005": ("Onbekende status '{value}'.",
                   "Kies uit: {allowed}."),
    "FX-LEX-006": ("De status van '{term}' kan niet van '{old}' naar '{new}'.",
                   "Vanuit '{old}' kan het naar: {allowed}."),
    "FX-LEX-007": ("De term '{term}' afraden kan alleen met een vervangende term.",
                   "Kies een bestaande, niet-afgeraden term als vervanger (--replaced-by)."),
    "FX-LEX-008": ("De term '{term}' is gewijzigd sinds je begon: jij bewerkte versie "
                   "{expected}, opgeslagen is versie {current} (door {by}, {when}). "
                   "Er is niets opgeslagen. Verschillen tussen jouw versie en de opgeslagen "
                   "versie:\n{detail}",
                   "Je eigen wijzigingen blijven bewaard: bekijk de opgeslagen versie, neem "
                   "wat je wilt behouden over en sla opnieuw op op versie {current}."),
    "FX-LEX-009": ("De term '{term}' bestaat niet in het lexicon.",
                   "Zoek de juiste id met 'focuslex lexicon list'."),
    "FX-LEX-010": ("Het CSV-bestand {file} mist de kolom(men): {columns}.",
                   "Exporteer een voorbeeld met 'focuslex lexicon export --format csv' en "
                   "gebruik dezelfde kolomkoppen."),
    "FX-LEX-011": ("Het CSV-bestand {file} kon niet gelezen worden: {detail}.",
                   "Sla het op als CSV (UTF-8) met de kolomkoppen van een export."),
    "FX-LEX-012": ("Release {number} bestaat niet.",
                   "Bekijk de bestaande releases met 'focuslex lexicon release --list'."),
    "FX-LEX-013": ("Er bestaat al een term met id '{term}'.",
                   "Kies een andere id of bewerk de bestaande term."),
    "FX-LEX-014": ("De SKOS-gegevens ({source}) zijn niet in orde: {detail}.",
                   "Controleer het bestand; bij een export is er niets weggeschreven."),
    "FX-LEX-015": ("Het veld '{field}' bestaat niet of kan zo niet gewijzigd worden.",
                   "Wijzigbare velden: {fields}."),
    "FX-LEX-016": ("Voor elke wijziging aan het lexicon is {missing} nodig.",
                   "Meld je aan (in de app) of geef je gebruiker op ('focuslex --as NAAM'), "
                   "en vul de reden van de wijziging in (--why)."),
    "FX-LEX-017": ("Het lexiconbestand {file} heeft niet de verwachte vorm: {detail}.",
                   "Een lexiconbestand heeft 'terms:' met daaronder één blok per term "
                   "(zie lexicon/data/seed_lexicon.yaml)."),
    "FX-LEX-018": ("Het lexicon is leeg; er valt niets vrij te geven.",
                   "Importeer eerst termen, bv. het startlexicon met "
                   "'focuslex lexicon import --seed --by NAAM'."),
    "FX-LEX-019": ("Verwijzingen naar onbekende of afgeraden termen in {source}: {references}.",
                   "Verwijs naar bestaande id's, en laat een afgeraden term verwijzen naar "
                   "een term die niet zelf afgeraden is."),
    "FX-LEX-020": ("Het lexiconbestand {file} kon niet gelezen worden: {detail}.",
                   "Gebruik een .yaml-, .csv- of .ttl-bestand (UTF-8)."),
    # nlp
    "FX-NLP-001": ("Er is geen Nederlandse taalpijplijn beschikbaar: {detail}.",
                   "Installeer er een met 'python -m spacy download nl_core_news_sm' of "
                   "herstel de meegeleverde pijplijn in {bundled}."),
    # terms: matcher, analyse, export
    "FX-TRM-001": ("Er zijn nog geen documenten opgeslagen om te analyseren.",
                   "Laad eerst bestanden op met 'focuslex ingest'."),
    "FX-TRM-002": ("Het bestand {file} kon niet geschreven worden: {detail}.",
                   "Kies een andere map of bestandsnaam, of controleer de schrijfrechten."),
    "FX-TRM-003": ("Er zijn nog geen termgebruiken om te exporteren: de analyse is nog niet "
                   "uitgevoerd.",
                   "Voer eerst 'focuslex analyse' uit."),
    "FX-TRM-004": ("Het lexicon ({source}) bevat geen termen om te zoeken.",
                   "Importeer eerst termen, bv. het startlexicon met "
                   "'focuslex lexicon import --seed --by NAAM'."),
    "FX-TRM-005": ("Onbekend exportformaat '{value}'.",
                   "Kies uit: jsonl, csv."),
    # terms: analyses over hits (concordance, collocations, comparison)
    "FX-TRM-050": ("De term '{term}' staat niet in het lexicon en komt niet voor bij de "
                   "gevonden termen.",
                   "Geef een term-id of een voorkeurslabel op (zie 'focuslex lexicon list'). "
                   "Gelijkaardige termen: {suggestions}."),
    "FX-TRM-051": ("Het label '{term}' hoort bij meer dan één term: {ids}.",
                   "Geef de id van de bedoelde term op."),
    "FX-TRM-052": ("Er zijn nog geen termen gevonden in de opgeslagen documenten.",
                   "Laad eerst documenten op ('focuslex ingest') en voer dan "
                   "'focuslex analyse' uit."),
    # access: users, roles, logins (pipeline/access)
    "FX-ACC-001": ("Aanmelden is mislukt: de naam of het wachtwoord klopt niet.",
                   "Controleer je naam en wachtwoord. Na {limit:mislukte poging|mislukte pogingen} "
                   "wordt de account {minutes:minuut|minuten} geblokkeerd."),
    "FX-ACC-002": ("De account '{user}' is tijdelijk geblokkeerd na te veel mislukte "
                   "aanmeldpogingen (tot {until}).",
                   "Wacht tot dan, of vraag een beheerder om een nieuw wachtwoord "
                   "('focuslex users passwd {user} --one-time')."),
    "FX-ACC-003": ("De gebruiker '{user}' bestaat niet.",
                   "Bekijk de gebruikers met 'focuslex users list'."),
    "FX-ACC-004": ("De gebruiker '{user}' bestaat al.",
                   "Kies een andere naam, of wijzig de rol met 'focuslex users role'."),
    "FX-ACC-005": ("Onbekende rol '{value}'.", "Kies uit: {allowed}."),
    "FX-ACC-006": ("'{user}' ({role}) mag dit niet: {action}.",
                   "Vraag een beheerder om een rol met dat recht; de rollen staan in de "
                   "README onder 'Access'."),
    "FX-ACC-007": ("Er is geen gebruiker opgegeven voor deze wijziging.",
                   "Geef 'focuslex --as NAAM ...' op, of zet cli_user onder [access] in de "
                   "instellingen (een bestaande gebruiker, zie 'focuslex users list')."),
    "FX-ACC-008": ("Het wachtwoord is te kort ({length:teken|tekens}; minstens {minimum}).",
                   "Kies een langer wachtwoord, bv. een zin van enkele woorden."),
    "FX-ACC-009": ("De laatste beheerder ('{user}') kan niet {what} worden.",
                   "Geef eerst een andere gebruiker de rol admin."),
    "FX-ACC-010": ("De gebruikersnaam {value!r} is niet geldig.",
                   "Gebruik 2 tot 64 tekens: letters, cijfers, punt, streepje, _ of @."),
    "FX-ACC-011": ("Je sessie is verlopen na {minutes:minuut|minuten} zonder activiteit.",
                   "Meld je opnieuw aan."),
    "FX-ACC-012": ("De twee wachtwoorden zijn niet gelijk.", "Typ hetzelfde wachtwoord twee keer."),
    "FX-ACC-013": ("Het wachtwoordbestand {file} kon niet gelezen worden: {detail}.",
                   "Geef een leesbaar bestand met het wachtwoord op de eerste regel."),
    "FX-ACC-014": ("Je moet eerst aangemeld zijn om deze pagina te zien.",
                   "Meld je aan via de startpagina."),
    "FX-ACC-015": ("Het nieuwe wachtwoord is hetzelfde als het oude.",
                   "Kies een ander wachtwoord."),
    "FX-ACC-016": ("De eerste gebruiker moet een beheerder zijn (rol admin), niet {role}.",
                   "Maak eerst een beheerder aan: 'focuslex users add NAAM --role admin'."),
    # backup and restore (pipeline/access/backup.py)
    "FX-BAK-001": ("Het back-upbestand {file} kon niet gelezen worden: {detail}.",
                   "Controleer of het een focuslex-back-up is ('focuslex backup --out ...'); "
                   "er is niets gewijzigd."),
    "FX-BAK-002": ("Het back-upbestand {file} is beschadigd: {detail}.",
                   "Gebruik een andere (onbeschadigde) back-up; er is niets gewijzigd."),
    "FX-BAK-003": ("De database {url} is niet leeg ({detail}).",
                   "Herstel in een lege database, of vervang alles met 'focuslex restore "
                   "BESTAND --replace' (wat nu opgeslagen is gaat dan verloren)."),
    "FX-BAK-004": ("De wachtwoordzin voor de sleutel in {file} klopt niet.",
                   "Geef de wachtwoordzin die bij 'focuslex backup --with-key' gekozen werd; "
                   "er is niets gewijzigd."),
    "FX-BAK-005": ("Voor de pseudoniemsleutel is een wachtwoordzin nodig ({detail}).",
                   "Kies een wachtwoordzin van minstens {minimum:teken|tekens}; typ hem bij de vraag "
                   "of geef --passphrase-file BESTAND."),
    "FX-BAK-006": ("De back-up {file} bevat de tabel(len) {tables}, die deze versie van "
                   "focuslex niet kent.",
                   "Herstel met de versie van focuslex die de back-up maakte; er is niets "
                   "gewijzigd."),
    "FX-BAK-007": ("Het back-upbestand {file} kon niet geschreven worden: {detail}.",
                   "Kies een andere map of bestandsnaam, of controleer de schrijfrechten."),
    "FX-BAK-008": ("Herstellen in {url} is mislukt: {detail}.",
                   "Er is niets gewijzigd; meld het probleem met dit bericht."),
    "FX-BAK-009": ("Het sleutelbestand {file} bestaat al.",
                   "Herstel met --replace om het te vervangen, of verplaats het eerst."),
    "FX-BAK-010": ("De database is teruggezet, maar het privébestand {file} kon niet "
                   "geschreven worden: {detail}.",
                   "Maak de map schrijfbaar en zet de back-up opnieuw terug met --replace."),
    # settings that mean what they say (issue 10)
    "FX-SET-006": ("De instelling '{key}' in {file} moet true of false zijn, niet {value!r}.",
                   "Schrijf true of false (zonder aanhalingstekens)."),
    "FX-SET-007": ("De instelling '{key}' in {file} moet een lijst van teksten zijn, niet "
                   "{value!r}.",
                   "Schrijf een lijst tussen rechte haken, bv. [\"datum\", \"titel\"], ook "
                   "voor één waarde."),
    "FX-SET-008": ("De instelling '{key}' in {file} moet een geheel getal zijn, niet {value!r}.",
                   "Geef een getal zonder komma, bv. 2."),
    "FX-SET-009": ("De instelling '{key}' in {file} moet tekst zijn, niet {value!r}.",
                   "Zet de waarde tussen aanhalingstekens (zie settings.example.toml)."),
    # term senses (issue 16): example sentences confirmed from the concordance
    "FX-LEX-021": ("Er is geen zin om als voorbeeld bij '{term}' te bewaren.",
                   "Kies in de concordantie een gebruik met een zin en bevestig opnieuw."),
    # ingest upload plan (FX-IN-05x) and command-line/app input checks (FX-APP), issue 14
    "FX-IN-050": ("De ronde '{value}' voor {file} is geen geldig rondenummer.",
                  "Geef een geheel getal vanaf 1, of laat het veld leeg voor 'zonder ronde'."),
    "FX-IN-051": ("De datum '{value}' voor {file} is geen geldige datum.",
                  "Schrijf de datum als dd/mm/jjjj, bv. 14/03/2026."),
    "FX-IN-052": ("De soort '{value}' voor {file} bestaat niet.",
                  "Kies 'transcript' (met sprekers) of 'verklaring' (zonder sprekers)."),
    "FX-APP-001": ("De opdracht is onvolledig of ongeldig: {detail}",
                   "Bekijk de mogelijkheden met '{command} --help'."),
    "FX-APP-002": ("Het bestand {file} kon niet gelezen worden: {detail}.",
                   "Geef een bestaand, leesbaar bestand op (geen map)."),
    "FX-APP-003": ("Er ging iets onverwachts mis ({detail}).",
                   "Wat al opgeslagen was, blijft bewaard. Meld het probleem met de uitvoer "
                   "van dezelfde opdracht met 'focuslex -v'."),
    # topics (BERTopic) and the six activities: pipeline.topics, pipeline.activities
    "FX-TOP-001": ("Er zijn te weinig tekstfragmenten om onderwerpen te zoeken: {count} "
                   "(minstens {minimum} nodig).",
                   "Laad meer gesprekken op ('focuslex ingest'), of verlaag "
                   "topics.min_unit_words in de instellingen."),
    "FX-TOP-002": ("De instelling topics.{key} heeft een onbekende waarde: '{value}'.",
                   "Kies uit: {choices} (zie settings.example.toml)."),
    "FX-TOP-003": ("Het embeddingmodel '{name}' is niet geïnstalleerd ({package}).",
                   "Installeer het in de omgeving ('.venv/bin/pip install {package}') of "
                   "kies topics.embedder = \"use\"."),
    "FX-TOP-004": ("Er zijn nog geen onderwerpen berekend.",
                   "Voer eerst 'focuslex analyse' of 'focuslex topics fit' uit."),
    "FX-TOP-005": ("Onbekend exportformaat '{value}'.",
                   "Kies uit: csv, jsonl."),
    "FX-TOP-006": ("Onderwerp {topic} bestaat niet in de laatste berekening.",
                   "Kies een nummer uit 'focuslex topics show'."),
    "FX-TOP-007": ("Er is geen gebruiker opgegeven voor wie de wijziging maakt.",
                   "Meld je aan in de app, of geef 'focuslex --as NAAM ...' op de opdrachtregel."),
    "FX-TOP-008": ("Het bestand {file} kon niet geschreven worden: {detail}.",
                   "Kies een andere map of bestandsnaam, of controleer de schrijfrechten."),
    "FX-TOP-009": ("Een onderwerp kan niet met zichzelf samengevoegd worden ({topic}).",
                   "Kies twee verschillende onderwerpen."),
    "FX-ACT-001": ("Er zijn nog geen voorgestelde activiteiten.",
                   "Voer eerst 'focuslex analyse' of 'focuslex activities suggest' uit."),
    "FX-ACT-002": ("Onbekende activiteit '{value}'.",
                   "Kies uit: {choices}."),
    "FX-ACT-003": ("Onbekende beslissing '{value}'.",
                   "Kies 'confirmed' (bevestigd) of 'rejected' (verworpen)."),
    "FX-ACT-005": ("Er is geen voorstel voor activiteit '{activity}' bij dit fragment "
                   "(document {document}, tekens {start}-{end}).",
                   "Bevestig of verwerp alleen voorgestelde activiteiten; voer 'focuslex "
                   "activities suggest' opnieuw uit als de fragmenten veranderd zijn."),
    "FX-ACT-006": ("Onbekend exportformaat '{value}'.",
                   "Kies uit: csv, jsonl."),
    # reports (pipeline.reports): building, rendering and writing a report
    "FX-REP-001": ("Er is nog niets opgeslagen om over te rapporteren.",
                   "Laad eerst documenten op ('focuslex ingest') en voer 'focuslex analyse' uit."),
    "FX-REP-002": ("De analyse is nog niet uitgevoerd: er zijn geen termgebruiken om te "
                   "rapporteren.",
                   "Voer eerst 'focuslex analyse' uit (of start de analyse op de pagina "
                   "Opladen)."),
    "FX-REP-003": ("Het rapport bevat nog een echte naam uit de pseudoniemsleutel, in de sectie "
                   "'{section}' ({where}). Er is niets geschreven naar {target}.",
                   "Controleer die plaats op de pagina 'Namen nakijken' (voeg de naam toe of "
                   "bevestig hem), voer 'focuslex analyse' opnieuw uit en maak het rapport "
                   "opnieuw."),
    "FX-REP-004": ("Onbekend rapportformaat '{value}'.",
                   "Kies uit: {choices}."),
    "FX-REP-005": ("Het rapport kon niet geschreven worden naar {file}: {detail}.",
                   "Kies een andere map of bestandsnaam, of controleer de schrijfrechten."),
    "FX-REP-006": ("De stakeholdergroep(en) {values} komen niet voor in de opgeslagen "
                   "gesprekken.",
                   "Kies uit: {choices}."),
    "FX-REP-007": ("De ronde(s) {values} komen niet voor in de opgeslagen gesprekken.",
                   "Kies uit: {choices}."),
    "FX-REP-008": ("De gekozen selectie ({selection}) bevat geen enkel gebruik van een "
                   "lexiconterm.",
                   "Kies meer groepen, rondes of termen, of laat de selectie weg."),
    "FX-REP-009": ("Het rapport kon niet als {format} opgemaakt worden: {detail}.",
                   "Probeer een ander formaat (bv. html) en meld dit probleem aan de beheerder."),
    "FX-REP-010": ("Er is nog geen release van het lexicon, en met jouw rol lees je alleen "
                   "afgesproken termen; een rapport op de werkversie zou termen in bespreking "
                   "tonen.",
                   "Vraag het transitiecomité een release te maken ('focuslex lexicon release' "
                   "of de pagina Lexicon beheer), of vraag een facilitator om het rapport."),
    # robustness: hostile input and faults (issue 15b)
    "FX-IN-022": ("De tekst van {file} is beschadigd gecodeerd ({detail}).",
                  "Open het bestand in een teksteditor en sla het opnieuw op als UTF-8."),
    "FX-IN-023": ("Rij {row} van {file} heeft {cells:cel|cellen}, maar de kopregel heeft er "
                  "{columns}.",
                  "Verwijder de overtollige cel of het scheidingsteken op die rij (let op "
                  "komma's in namen: zet zo'n waarde tussen aanhalingstekens)."),
    "FX-IN-024": ("Het bestand {file} bevat XML met een DTD of entiteiten ({part}); dat wordt "
                  "geweigerd omdat het gebruikt kan worden om het systeem te overbelasten.",
                  "Open het bestand in Word, Excel of LibreOffice en sla het opnieuw op."),
    "FX-IN-025": ("Het bestand {file} kon niet verwerkt worden (onverwachte fout: {detail}).",
                  "De andere bestanden zijn wel verwerkt. Sla dit bestand opnieuw op in een "
                  "gewoon formaat en meld het probleem als het blijft."),
    "FX-IN-026": ("Het bestand {file} bevat {size_mb:.1f} MB tekst; de limiet is "
                  "{limit_mb:.0f} MB tekst per bestand.",
                  "Splits het bestand in delen (bv. per ronde) of verhoog ingest.max_text_mb "
                  "in de instellingen; het ontleden duurt ongeveer een minuut per 2 MB."),
    "FX-DB-003": ("De database {url} is bezet door een ander proces (wachttijd van {seconds:g} s "
                  "verstreken).",
                  "Wacht tot de andere bewerking klaar is en probeer opnieuw; er is niets "
                  "half opgeslagen."),
    # access: single sign-on through st.login (app_pages/login.py)
    "FX-ACC-017": ("Je bent bij je organisatie aangemeld als '{user}', maar focuslex kent "
                   "geen gebruiker met dat e-mailadres, en dus geen rol.",
                   "Vraag een beheerder je toe te voegen ('focuslex --as BEHEERDER users add "
                   "{user} --role viewer', of facilitator, committee, admin) en meld je "
                   "daarna opnieuw aan."),
    "FX-ACC-018": ("Je organisatie gaf bij het aanmelden geen e-mailadres door; focuslex kan "
                   "je dus geen rol geven.",
                   "Vraag de beheerder van de aanmelddienst om het e-mailadres mee te geven "
                   "(scope 'email'), of meld je aan met naam en wachtwoord."),
    "FX-ACC-019": ("Aanmelden via je organisatie is ingesteld ([auth] in "
                   ".streamlit/secrets.toml), maar het pakket Authlib ontbreekt.",
                   "Installeer het ('.venv/bin/pip install Authlib') en start de app "
                   "opnieuw; aanmelden met naam en wachtwoord werkt intussen gewoon."),
    # the document reader and the concordance export (FX-RDR), issue 14 part B
    "FX-RDR-001": ("Er is geen opgeslagen document met nummer {document}.",
                   "Kies een document uit de lijst op de pagina Documenten; het kan "
                   "verwijderd of opnieuw opgeladen zijn."),
    "FX-RDR-002": ("De exportvorm '{value}' bestaat niet.",
                   "Kies csv of xlsx."),
    # the Dask engine (pipeline.engine, issue 17): `focuslex analyse --engine dask`
    "FX-ENG-001": ("De Dask-scheduler op {address} is niet bereikbaar ({detail}).",
                   "Start de scheduler (`dask scheduler`) en de workers, controleer het adres "
                   "(bv. tcp://10.0.0.5:8786) en de firewall, of laat --scheduler weg om op "
                   "deze machine te rekenen."),
    "FX-ENG-002": ("Een Dask-worker is gestopt tijdens de analyse van deel {partition} "
                   "({detail}).",
                   "Er is niets half opgeslagen: de vorige resultaten blijven staan. Geef de "
                   "workers meer geheugen of kies kleinere delen (engine.partition_words) en "
                   "start de analyse opnieuw."),
    "FX-ENG-003": ("De Dask-workers konden de taalpijplijn niet laden ({detail}).",
                   "Installeer focuslex (dezelfde versie) op elke worker-machine en start de "
                   "workers opnieuw."),
    "FX-ENG-004": ("Onbekende rekenmotor '{value}' (engine.name).",
                   "Kies local of dask in de instellingen of met --engine."),
    "FX-ENG-005": ("De instelling engine.{key} = {value} is ongeldig.",
                   "Geef een geheel getal van minstens 1 op."),
    # CSV files for Belgian Excel (polish round: issue i15p)
    "FX-POL-001": ("De instelling csv.separator in {file} is {value!r}: dat scheidingsteken "
                   "kent focuslex niet.",
                   "Kies \";\" (Belgische Excel, met decimale komma), \",\" (andere programma's, "
                   "met decimale punt) of \"\\t\" (tab)."),
}


class _CatalogueFormatter(string.Formatter):
    """`str.format`, plus a count with its noun: `{n:singular|plural}`."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if "|" not in format_spec:
            return super().format_field(value, format_spec)
        singular, plural = format_spec.split("|", 1)
        if isinstance(value, Real) and not isinstance(value, bool) \
                and not float(value).is_integer():
            return f"{format_count(value).rstrip('0').rstrip(',')} {plural}"  # 0,5 minuten
        return count_noun(value, singular, plural)


_FORMATTER = _CatalogueFormatter()


def format_message(template: str, params: dict[str, Any]) -> str:
    """A catalogue text filled in with the error's values (see the module docstring)."""
    return _FORMATTER.format(template, **params)


class FocuslexError(Exception):
    """An error a user can act on: a catalogue code plus the values it names."""

    def __init__(self, code: str, **params: Any) -> None:
        if code not in CATALOGUE:
            raise KeyError(f"unknown error code {code}")
        self.code = code
        self.params = params
        super().__init__(self.message)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as code and values (a Dask worker's error reaches the client intact)."""
        return (_restore, (self.code, self.params))

    @property
    def what(self) -> str:
        return format_message(CATALOGUE[self.code][0], self.params)

    @property
    def advice(self) -> str:
        return format_message(CATALOGUE[self.code][1], self.params)

    @property
    def message(self) -> str:
        return f"[{self.code}] {self.what} {self.advice}"


def _restore(code: str, params: dict[str, Any]) -> FocuslexError:
    return FocuslexError(code, **params)
