"""Names of other people: detection, placeholders, review decisions, leak scan (issue #5).

Fixtures are small Dutch texts written for these tests. The bundled spaCy pipeline is loaded
once for the module."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from pipeline.core.errors import FocuslexError
from pipeline.ingest.service import IngestRequest, Ingestor
from pipeline.privacy.leaks import LeakScanner, ensure_no_names, leak_scanner, scan_for_names
from pipeline.privacy.detect import ORGANISATION, PERSON, PLACE, NameDetector, shared_pipeline
from pipeline.privacy.pseudonymise import (DocumentPseudonymiser, PseudonymKey)
from pipeline.ingest.readers import SourceFile
from pipeline.privacy.review import (ReviewBook, add_name, confirm_names, reject_names,
                             review_path)
from pipeline.core.settings import BUNDLED_MODEL_DIR, IngestSettings, PseudonymSettings, Settings
from pipeline.ingest.sheets import parse_participants
from pipeline.store.database import DocumentRow, Store, UtteranceRow
from pipeline.core.records import DocumentMeta, Kind, Role
from tests.conftest import app_login

REPO = Path(__file__).resolve().parent.parent

SHEET = ("speaker,group,role\nHilde Verstraeten,facilitator,facilitator\n"
         "Ayşe Demir,lokaal bestuur,participant\nJan Wouters,vakbond,participant\n")
TRANSCRIPT = """Hilde Verstraeten: Welkom. Ayşe, wil jij beginnen?
Ayşe Demir: Mijn collega Sofie Peeters werkt op de dienst Samenleven in Genk. Sofie zegt dat schepen Vermeulen het dossier kent. Onze juf Roos geeft Nederlands aan nieuwkomers.
Jan Wouters: Ik kocht een roos bij de bakker. Meneer Benali en mevrouw Kaya waren er ook. Sofies voorstel en Fatima's idee vond ik sterk.
Hilde Verstraeten: Dank u, Jan. Het team van Greetje doet dat al jaren.
"""


@pytest.fixture(scope="module")
def nlp():
    return shared_pipeline("", str(BUNDLED_MODEL_DIR))


@pytest.fixture(scope="module")
def detector(nlp) -> NameDetector:
    return NameDetector(nlp=nlp)


def names(detector: NameDetector, text: str, kind: str = PERSON) -> list[str]:
    return [s.text for s in detector.detect(text) if s.kind == kind]


def ingest(settings: Settings, store: Store, nlp, text: str = TRANSCRIPT,
           name: str = "gesprek.txt", **meta: object) -> Ingestor:
    participants = parse_participants(SourceFile("deelnemers.csv", SHEET.encode()), IngestSettings())
    ingestor = Ingestor(settings, store, participants, nlp=nlp)
    report = ingestor.ingest([IngestRequest(SourceFile(name, text.encode("utf-8")),
                                            DocumentMeta(**meta))])
    assert report.ok, [o.error.message for o in report.outcomes if o.error]
    return ingestor


def stored_texts(store: Store) -> list[str]:
    with store.session() as s:
        return [u.text for u in s.scalars(select(UtteranceRow).order_by(UtteranceRow.document_id,
                                                                        UtteranceRow.idx))]


# -- detection ----------------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("Mijn collega Sofie zit achteraan.", ["Sofie"]),
    ("Schepen Vermeulen heeft het voorgesteld.", ["Vermeulen"]),
    ("Daar was meneer Benali ook bij.", ["Benali"]),
    ("Burgemeester De Clercq was eerst sceptisch.", ["De Clercq"]),
    ("Onze directeur, Jan De Vos, paste de regel aan.", ["Jan De Vos"]),
    ("Mevrouw Els van den Broeck van de Algemene Werknemersbond belde.", ["Els van den Broeck"]),
    ("Een vrouw, ze heet Samira, werd aangevallen.", ["Samira"]),
    ("Dank u, Marleen. Ik zie Ahmed al knikken.", ["Marleen", "Ahmed"]),
    ("Tariq, gij hebt nog niks gezegd.", ["Tariq"]),
    # surname shapes that look like organisations lose to a title before them
    ("Ik geef het woord aan de heer Westerhuis van de vakbond.", ["Westerhuis"]),
    ("De motie van mevrouw Van Dam-Peeters werd aangenomen.", ["Van Dam-Peeters"]),
])
def test_titles_roles_and_cues(detector: NameDetector, text: str, expected: list[str]) -> None:
    assert names(detector, text) == expected


def test_possessives_keep_the_name_without_the_ending(detector: NameDetector) -> None:
    spans = detector.detect("Fatima's voorstel en het idee van meneer Peeters' buurvrouw.")
    assert [(s.text, s.full_end - s.end) for s in spans] == [("Fatima", 2), ("Peeters", 1)]


@pytest.mark.parametrize("text,expected", [
    ("Ik kocht een roos bij de bakker en een visser ving een vos.", []),
    ("Roos is een mooie bloem.", []),  # a word-name alone at the start of a sentence
    ("Onze juf Roos geeft Nederlands.", ["Roos"]),  # title
    ("Mijn buurman Jan Visser en zijn vrouw.", ["Jan Visser"]),  # first name beside it
    ("Gisteren zag ik De Vos op de markt.", ["De Vos"]),  # capitals mid-sentence + PROPN
    ("De vos en de bakker.", []),
    ("Kaya is er ook.", []),
    ("Later kwam mevrouw Kaya binnen.", ["Kaya"]),
    ("Said zei niets.", []),
    ("Ik sprak met meneer Said Benali.", ["Said Benali"]),
    ("Joke, gij zit in de bouw.", ["Joke"]),  # addressed
    # a first name that is also a word, capitalised mid-sentence, keeps the unlisted name
    # after it (before, only "West" was replaced and "Jan" stayed in the text)
    ("Ik heb gisteren met Jan West over de stage gebeld.", ["Jan West"]),
    ("Vraag het maar aan Roos Vermandere van de jeugddienst.", ["Roos Vermandere"]),
    ("Dan Handelingsvermogen: wat betekent dat voor jullie?", []),
    # at the start of a sentence: a first name before a word that is no Dutch word
    ("Jan Westerlinck kwam ook naar de vergadering.", ["Jan Westerlinck"]),
    ("Roos Vermandere belde gisteren nog.", ["Roos Vermandere"]),  # not verman + dere
    ("Dan Vertrouwen bouwen, dat is de laatste activiteit.", []),
])
def test_names_that_are_also_words_need_a_cue(detector: NameDetector, text: str,
                                              expected: list[str]) -> None:
    assert names(detector, text) == expected


def test_organisations_places_and_groups_are_not_persons(detector: NameDetector) -> None:
    text = ("De Stad Genkberg werkt met de VDAB, het Centraal Planbureau en Vluchtelingenwerk "
            "Vlaanderen in Mechelen. Nieuwe Vlamingen spreken Dari of Marokkaans.")
    assert names(detector, text) == []
    wide = NameDetector(nlp=detector.nlp, find_organisations=True, find_places=True)
    assert "Mechelen" in names(wide, text, PLACE)
    assert any("Planbureau" in n for n in names(wide, text, ORGANISATION))


@pytest.mark.parametrize("text", [
    "Focusgroep Oost kwam in maart voor het eerst samen.",
    "In Focusgroep Noordwest zaten vooral vrijwilligers uit de sport.",
    "Wijk Noord krijgt eindelijk een eigen buurthuis.",
    "We spraken met werkzoekenden uit regio West over de bus.",
    "In Antwerpen-Noord wonen veel jonge gezinnen.",
    "De mensen van Gent Zuid klagen over de verbouwing van het station.",
    "Leuven Noord en Mechelen Oost deden niet mee.",
    "Groep Zuid vond dat het te snel ging.",
    "Ronde Oost begon om tien uur in het buurthuis.",
    "Volgens de werkgroep Zuidoost is het taalaanbod te klein.",
    "Zone Zuid-West telt de meeste pendelaars.",
])
def test_compass_words_after_a_place_or_group_are_no_persons(detector: NameDetector,
                                                             text: str) -> None:
    assert names(detector, text) == []
    assert names(NameDetector(), text) == []  # also from text features alone


@pytest.mark.parametrize("text,expected", [
    ("West belde gisteren nog.", []),  # a word-name alone at the start: as before
    ("Daarna zei West dat de cursus te duur was.", ["West"]),
    ("Mevrouw West van Focusgroep Oost belde gisteren nog.", ["West"]),
    ("Jan West leidde Focusgroep Oost.", ["Jan West"]),
    ("In Focusgroep Oost vertelde Sofie Noord over haar stage.", ["Sofie Noord"]),
    ("Sofia West woont in Gent Zuid.", ["Sofia West"]),  # a first name that is also a place
    # a first name at the start before a compass word that is also a place ('t Zuid)
    ("Kim Zuid belde gisteren nog.", ["Kim Zuid"]),
    ("Onze juf Roos Oost werkt in regio West.", ["Roos Oost"]),
])
def test_persons_with_a_compass_word_in_their_name_are_still_found(
        detector: NameDetector, text: str, expected: list[str]) -> None:
    assert names(detector, text) == expected


def test_area_designations_stay_in_the_pseudonymised_text(tmp_path: Path,
                                                          detector: NameDetector) -> None:
    key = PseudonymKey(tmp_path / "key.json")
    texts = {"u0": "In Focusgroep Oost vertelde mijn collega Sofie Peeters over wijk Noord.",
             "u1": "Jan West uit Antwerpen-Noord en de mensen van Gent Zuid waren het eens."}
    out, _ = DocumentPseudonymiser(key, PseudonymSettings(), detector).pseudonymise(texts)
    assert out == {"u0": "In Focusgroep Oost vertelde mijn collega [PERSOON-1] over wijk Noord.",
                   "u1": "[PERSOON-2] uit Antwerpen-Noord en de mensen van Gent Zuid waren "
                         "het eens."}


def test_a_participant_called_west_leaves_area_designations_alone(settings: Settings,
                                                                  store: Store, nlp) -> None:
    sheet = ("speaker,group,role\nHilde Verstraeten,facilitator,facilitator\n"
             "Jan West,vakbond,participant\n")
    participants = parse_participants(SourceFile("deelnemers.csv", sheet.encode()),
                                      IngestSettings())
    text = ("Hilde Verstraeten: Jan, hoe was het in Focusgroep West?\n"
            "Jan West: In regio West en in Antwerpen-West zoeken ze technici. Meneer West "
            "van de bond, dat ben ik, zegt dat al jaren.\n")
    report = Ingestor(settings, store, participants, nlp=nlp).ingest(
        [IngestRequest(SourceFile("gesprek.txt", text.encode("utf-8")), DocumentMeta())])
    assert report.ok
    stored = stored_texts(store)
    assert stored == ["[P01], hoe was het in Focusgroep West?",
                      "In regio West en in Antwerpen-West zoeken ze technici. Meneer [P01] "
                      "van de bond, dat ben ik, zegt dat al jaren."]
    scanner = LeakScanner(PseudonymKey.load(settings.paths.key_file))
    assert scanner.scan("\n".join(stored)) == []  # the exports may hold these areas
    said = "Jan zei het. Meneer West ook."
    assert [said[leak.start:leak.end] for leak in scanner.scan(said)] == ["Jan", "West"]


def test_diacritics_variants_are_one_person(tmp_path: Path, detector: NameDetector) -> None:
    key = PseudonymKey(tmp_path / "key.json")
    texts = {"u0": "Mijn collega Ayşe Kaya komt ook.", "u1": "Ayse zei dat AYŞE's dochter ziek is."}
    out, occurrences = DocumentPseudonymiser(key, PseudonymSettings(), detector).pseudonymise(texts)
    assert out == {"u0": "Mijn collega [PERSOON-1] komt ook.",
                   "u1": "[PERSOON-1] zei dat [PERSOON-1]'s dochter ziek is."}
    assert [o.original for o in occurrences] == ["Ayşe Kaya", "Ayse", "AYŞE's"]


def test_text_features_alone_work_without_a_pipeline() -> None:
    plain = NameDetector()
    assert names(plain, "Mijn collega Sofie en schepen Vermeulen.") == ["Sofie", "Vermeulen"]


# -- placeholders across a document and the corpus -----------------------------------------

def test_first_name_only_maps_to_the_known_person(tmp_path: Path, detector: NameDetector) -> None:
    key = PseudonymKey(tmp_path / "key.json")
    settings = PseudonymSettings()
    first, _ = DocumentPseudonymiser(key, settings, detector).pseudonymise(
        {"u0": "Sofie zei het al.", "u1": "Mijn collega Sofie Peeters en schepen Vermeulen.",
         "u2": "Daarna antwoordde Sofie."})
    assert first == {"u0": "[PERSOON-1] zei het al.",
                     "u1": "Mijn collega [PERSOON-1] en schepen [PERSOON-2].",
                     "u2": "Daarna antwoordde [PERSOON-1]."}
    # a later document: same numbers, a first-name-only or surname-only mention included
    later, _ = DocumentPseudonymiser(key, settings, detector).pseudonymise(
        {"u0": "Ik belde met Sofie en met meneer Vermeulen, en met mijn collega Bram Claes."})
    assert later == {"u0": "Ik belde met [PERSOON-1] en met meneer [PERSOON-2], en met mijn "
                           "collega [PERSOON-3]."}
    key.save()
    again = PseudonymKey.load(tmp_path / "key.json")
    assert [(p.number, p.names) for p in again.persons] == [
        (1, ["Sofie Peeters", "Sofie"]), (2, ["Vermeulen"]), (3, ["Bram Claes"])]


def test_an_ambiguous_first_name_gets_the_ambiguous_placeholder(tmp_path: Path,
                                                                detector: NameDetector) -> None:
    key = PseudonymKey(tmp_path / "key.json")
    out, _ = DocumentPseudonymiser(key, PseudonymSettings(), detector).pseudonymise(
        {"u0": "Mijn collega Sofie Peeters en mijn buurvrouw Sofie Janssens. Sofie belde."})
    assert out["u0"].endswith("[PERSOON] belde.")


def test_speakers_win_over_detected_names(settings: Settings, store: Store, nlp) -> None:
    ingest(settings, store, nlp)
    texts = stored_texts(store)
    assert texts[0] == "Welkom. [P01], wil jij beginnen?"
    assert texts[3] == "Dank u, [P02]. Het team van [PERSOON-7] doet dat al jaren."


def test_ingest_replaces_other_peoples_names(settings: Settings, store: Store, nlp) -> None:
    ingest(settings, store, nlp)
    texts = stored_texts(store)
    assert texts[1] == ("Mijn collega [PERSOON-1] werkt op de dienst Samenleven in Genk. "
                        "[PERSOON-1] zegt dat schepen [PERSOON-2] het dossier kent. "
                        "Onze juf [PERSOON-3] geeft Nederlands aan nieuwkomers.")
    assert texts[2] == ("Ik kocht een roos bij de bakker. Meneer [PERSOON-4] en mevrouw "
                        "[PERSOON-5] waren er ook. [PERSOON-1]'s voorstel en [PERSOON-6]'s "
                        "idee vond ik sterk.")


def test_no_detected_name_reaches_the_database_file(settings: Settings, store: Store,
                                                    nlp) -> None:
    ingest(settings, store, nlp)
    store.close()
    raw = b"".join(p.read_bytes() for p in Path(settings.paths.data_dir).glob("focuslex.db*"))
    for name in ["Sofie", "Peeters", "Vermeulen", "Benali", "Kaya", "Greetje", "Fatima"]:
        assert name.encode() not in raw and name.lower().encode() not in raw, name
    review = review_path(settings)
    assert review.parent == settings.paths.key_file.parent
    assert review.stat().st_mode & 0o077 == 0
    assert "Sofie" in review.read_text(encoding="utf-8")


def test_public_figures_may_stay_in_statements(settings: Settings, store: Store, nlp) -> None:
    options = replace(settings.pseudonymise, keep_public_figures_in_statements=True,
                      public_figures=("Bart Somers",))
    settings = replace(settings, pseudonymise=options)
    text = "Minister Bart Somers sprak met mevrouw Sofie Peeters.\n"
    ingest(settings, store, nlp, text, "verklaring.txt", kind=Kind.STATEMENT)
    assert stored_texts(store) == ["Minister Bart Somers sprak met mevrouw [PERSOON-1]."]


def test_places_can_be_replaced_when_asked(settings: Settings, store: Store, nlp) -> None:
    settings = replace(settings, pseudonymise=replace(settings.pseudonymise, keep_places=False))
    ingest(settings, store, nlp, "Mijn collega Sofie werkt in Mechelen.\n", "v.txt",
           kind=Kind.STATEMENT)
    assert stored_texts(store) == ["Mijn collega [PERSOON-1] werkt in [PLAATS]."]


# -- review ------------------------------------------------------------------------------

def test_review_queue_lists_names_with_context(settings: Settings, store: Store, nlp) -> None:
    ingest(settings, store, nlp)
    items = {i.shown: i for i in ReviewBook.load(review_path(settings)).pending()}
    assert {"Sofie Peeters", "Sofie", "Vermeulen", "Roos", "Benali", "Kaya", "Greetje"} <= set(items)
    roos = items["Roos"]
    assert roos.placeholders == ("[PERSOON-3]",)
    assert "Onze juf ⟦Roos⟧ geeft Nederlands" in roos.contexts[0]
    assert any("titel" in cue for cue in roos.cues)


def test_reject_restores_the_word_and_is_remembered(settings: Settings, store: Store,
                                                    nlp) -> None:
    ingest(settings, store, nlp)
    restored = reject_names(settings, store, ["Roos"])
    assert restored == 1
    texts = stored_texts(store)
    assert texts[1].endswith("Onze juf Roos geeft Nederlands aan nieuwkomers.")
    assert texts[1].startswith("Mijn collega [PERSOON-1] werkt")  # other names untouched
    with store.session() as s:  # document text and offsets follow the edit
        doc = s.scalars(select(DocumentRow)).one()
        assert all(doc.text[u.char_start:u.char_end] == u.text for u in doc.utterances)
    key = PseudonymKey.load(settings.paths.key_file)
    assert key.person(3).names == []
    # the next upload leaves the word alone
    ingest(settings, store, nlp, "Onze juf Roos was er weer.\n", "later.txt",
           kind=Kind.STATEMENT)
    assert stored_texts(store)[-1] == "Onze juf Roos was er weer."
    assert "roos" not in {i.name for i in ReviewBook.load(review_path(settings)).pending()}


def test_reject_keeps_the_other_records_in_step(settings: Settings, store: Store, nlp) -> None:
    ingest(settings, store, nlp)
    reject_names(settings, store, ["Benali"])
    reject_names(settings, store, ["Kaya"])  # offsets shifted by the first rejection
    assert "Meneer Benali en mevrouw Kaya waren er ook." in stored_texts(store)[2]
    reject_names(settings, store, ["Sofie"])
    assert stored_texts(store)[2].endswith("Sofies voorstel en [PERSOON-6]'s idee vond ik sterk.")


def test_add_replaces_everywhere_and_later_uploads(settings: Settings, store: Store,
                                                   nlp) -> None:
    ingest(settings, store, nlp, "Lowieke trok de kar. Lowieke's inzet was groot.\n",
           "v.txt", kind=Kind.STATEMENT)
    assert stored_texts(store)[0] == "Lowieke trok de kar. Lowieke's inzet was groot."
    assert add_name(settings, store, "Lowieke") == 2
    assert stored_texts(store)[0] == "[PERSOON-1] trok de kar. [PERSOON-1]'s inzet was groot."
    ingest(settings, store, nlp, "Lowieke kwam ook.\n", "w.txt", kind=Kind.STATEMENT)
    assert stored_texts(store)[-1] == "[PERSOON-1] kwam ook."
    with pytest.raises(FocuslexError) as info:
        add_name(settings, store, "[P01]")
    assert info.value.code == "FX-PSE-005"


def test_confirm_takes_a_name_off_the_queue(settings: Settings, store: Store, nlp) -> None:
    ingest(settings, store, nlp)
    confirm_names(settings, ["Vermeulen"])
    pending = {i.name for i in ReviewBook.load(review_path(settings)).pending()}
    assert "vermeulen" not in pending and "benali" in pending
    with pytest.raises(FocuslexError) as info:
        confirm_names(settings, ["Niemand"])
    assert info.value.code == "FX-PSE-006"


def test_corrupt_review_file(settings: Settings) -> None:
    path = review_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{kapot", encoding="utf-8")
    with pytest.raises(FocuslexError) as info:
        ReviewBook.load(path)
    assert info.value.code == "FX-PSE-004"


def test_key_without_persons_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "key.json"
    path.write_text(json.dumps({"version": 1, "speakers": [
        {"label": "Jan Roos", "code": "P01", "role": "participant"}]}), encoding="utf-8")
    key = PseudonymKey.load(path)
    assert key.persons == [] and key.get("jan roos").code == "P01"


# -- leak scan ---------------------------------------------------------------------------

@pytest.fixture
def key(tmp_path: Path) -> PseudonymKey:
    key = PseudonymKey(tmp_path / "key.json")
    settings = PseudonymSettings()
    for label in ["Ayşe Demir", "Jan Roos", "Ine Maes"]:
        key.code_for(label, Role.PARTICIPANT, settings)
    key.register_person("Sofie Peeters")
    return key


@pytest.mark.parametrize("text", [
    "Volgens AYSE is dat zo.", "Dat is ayşe haar punt.", "Ayşe's voorstel.", "Peeters' idee.",
    "Vraag het aan Roos.", "Zoals Jans collega zei.", "interview_Ayşe_Demir.txt",
    "Sofie Peeters belde.", "SOFIE belde.",
])
def test_leak_scan_finds_variants(key: PseudonymKey, text: str) -> None:
    assert scan_for_names(text, key), text


@pytest.mark.parametrize("text", [
    "Ik kocht een roos.", "De machine draait.", "Een demiurg.", "[P01] en [PERSOON-1] spraken.",
    "De bakker en de visser.",
])
def test_leak_scan_respects_words_and_boundaries(key: PseudonymKey, text: str) -> None:
    assert scan_for_names(text, key) == []


def test_ensure_no_names_refuses_and_says_where(key: PseudonymKey) -> None:
    with pytest.raises(FocuslexError) as info:
        ensure_no_names("Eerste regel.\nDaar zei Sofie het.", key, "rapport.html")
    message = info.value.message
    assert info.value.code == "FX-PSE-003"
    assert "rapport.html" in message and "regel 2, kolom 10" in message
    assert "PERSOON-1" in message and "Sofie" not in message
    ensure_no_names("Daar zei [PERSOON-1] het.", key, "rapport.html")


def test_leak_scanner_from_settings_ignores_rejected_words(settings: Settings, store: Store,
                                                           nlp) -> None:
    ingest(settings, store, nlp)
    reject_names(settings, store, ["Roos"])
    scanner = leak_scanner(settings)
    assert scanner.scan("Onze juf Roos.") == []
    assert scanner.scan("Sofie Peeters en Wouters")
    assert LeakScanner(PseudonymKey(Path("x"))).scan("Sofie") == []


# -- app ---------------------------------------------------------------------------------

def test_detection_can_be_switched_off(settings: Settings, store: Store, nlp) -> None:
    settings = replace(settings, pseudonymise=replace(settings.pseudonymise,
                                                      detect_names=False))
    ingest(settings, store, nlp, "Mijn collega Sofie en Ayşe.\n", "v.txt", kind=Kind.STATEMENT)
    assert stored_texts(store) == ["Mijn collega Sofie en [P01]."]


def test_ingest_report_counts_names_to_review(settings: Settings, store: Store, nlp) -> None:
    participants = parse_participants(SourceFile("deelnemers.csv", SHEET.encode()), IngestSettings())
    report = Ingestor(settings, store, participants, nlp=nlp).ingest(
        [IngestRequest(SourceFile("g.txt", TRANSCRIPT.encode()), DocumentMeta())])
    assert (report.names_replaced, report.names_pending) == (9, 8)
    assert "Namen nakijken" in report.names_notice and not report.warnings
    assert report.names_notice.startswith("9 vermeldingen van andere personen zijn vervangen")
    # a second upload counts its own names, not the 8 of the first that still wait
    second = Ingestor(settings, store, participants, nlp=nlp).ingest(
        [IngestRequest(SourceFile("h.txt", "Ayşe Demir: Mijn collega Koen Janssens helpt "
                                           "elke zaterdag in het buurthuis.\n".encode()),
                       DocumentMeta())])
    assert (second.names_replaced, second.names_pending) == (1, 1)
    assert second.names_notice == (
        "1 vermelding van een andere persoon is vervangen door [PERSOON-n]; 1 naam wacht op "
        "nakijken op de pagina 'Namen nakijken'.")
