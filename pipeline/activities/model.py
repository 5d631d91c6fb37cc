"""The six activities of the Integratiepact system model, with stable ids, Dutch labels and
descriptions written for focuslex from the source report's definitions.

`prototypes` are short Dutch phrases written for focuslex (not taken from any transcript or
from the hand-labelled sentences of `benchmarks/data/`; `tests/test_activities.py` checks
that none shares a run of six words with them) that, with the description, stand for the
activity when units are compared with it by embedding similarity
(`pipeline.activities.suggest`).
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.core.errors import FocuslexError


@dataclass(frozen=True)
class Activity:
    id: str
    label: str
    description: str
    prototypes: tuple[str, ...]


ACTIVITIES: tuple[Activity, ...] = (
    Activity(
        "grondrechten", "Grondrechten garanderen",
        "De rechtsstaat en de welvaartsstaat waarborgen dat iedereen dezelfde rechten heeft. "
        "Discriminatie en racisme worden gemeld, onderzocht en bestraft; praktijktesten, "
        "monitoring en sancties maken gelijke behandeling afdwingbaar.",
        ("Elke discriminatiemelding moet opgevolgd worden.",
         "Praktijktesten op de arbeidsmarkt en de huurmarkt, met sancties bij herhaling.",
         "Kandidaten met een vreemde naam worden niet uitgenodigd voor een gesprek.",
         "Verhuurders die weigeren te verhuren aan mensen van buitenlandse afkomst.",
         "Etnisch profileren bij identiteitscontroles door de politie.",
         "De wet verbiedt ongelijke behandeling op basis van afkomst of religie.",
         "Wie discriminatie op het werk meldt, moet horen wat ermee gebeurt.",
         "Sociale rechten mogen niet afhangen van hoe goed iemand Nederlands spreekt.")),
    Activity(
        "handelingsvermogen", "Handelingsvermogen vergroten",
        "Mensen krijgen meer greep op hun eigen leven en kunnen zelf hun zaken regelen. "
        "Taal leren, klare taal, sociaal tolken, opleiding en inspraak vergroten wat mensen "
        "zelf kunnen doen en zeggen.",
        ("Iemand kan zelf zijn zaken regelen bij de gemeente.",
         "Nederlands leren om mee te kunnen in de klas of op het werk.",
         "Brieven en formulieren in klare taal, met sociaal tolken en buddy's.",
         "Mensen een eigen stem geven in adviesraden en inspraak.",
         "Een opleiding of traject dat mensen sterker en zelfstandiger maakt.",
         "Vormingen en tolken zodat mensen zelf hun weg vinden in de diensten.")),
    Activity(
        "herverdelen", "Herverdelen",
        "Solidariteitsmechanismen verdelen middelen, plaatsen en kansen eerlijker: meer "
        "waar meer nodig is. Het gaat over geld, sociale woningen, automatische rechten, "
        "armoede en voldoende plaatsen in NT2-lessen en kinderopvang.",
        ("Meer middelen en plaatsen waar de nood het grootst is.",
         "Wachtlijsten voor NT2-lessen en sociale woningen wegwerken.",
         "Automatische toekenning van rechten en huurpremies.",
         "Armoede bestrijden en kinderopvang tijdens de taalles voorzien.",
         "Geld en capaciteit eerlijker verdelen over gemeenten en gezinnen.",
         "Meer plaatsen in de taallessen voor anderstaligen, zodat de wachttijd daalt.",
         "Betaalbare woningen via sociale verhuurkantoren en een spreiding van sociale woningen.")),
    Activity(
        "meerwaarde", "Meerwaarde creëren",
        "Diversiteit levert economische, ecologische en sociale meerwaarde op. Talent wordt "
        "benut via werk, ondernemerschap en vrijwilligerswerk, en zelforganisaties en "
        "nieuwkomers zijn partners die mee iets opbouwen.",
        ("Het talent van nieuwkomers benutten op de arbeidsmarkt.",
         "Diploma's erkennen zodat mensen op hun niveau kunnen werken.",
         "Ondernemers met migratieroots en vrijwilligers in verenigingen.",
         "Zelforganisaties als partner, niet als doelgroep.",
         "Diverse teams zijn een economische troef voor bedrijven.",
         "Wie werkt, draagt bij aan de economie en aan de samenleving.")),
    Activity(
        "levenskwaliteit", "Levenskwaliteit garanderen",
        "Iedereen heeft recht op een goed leven: degelijk wonen, goed onderwijs, zorg en "
        "welzijn, en een veilige leefomgeving zonder haat. Ontmoetingsplaatsen en een "
        "buurt waar mensen zich thuis voelen horen daarbij.",
        ("Een degelijke, betaalbare woning en een gezonde leefomgeving.",
         "Goed onderwijs en een school waar elk kind zich thuis voelt.",
         "Toegang tot zorg en welzijn voor ieder gezin.",
         "Een veilige buurt zonder haatspraak of pesterijen.",
         "Ontmoetingsplaatsen en een buurtfeest waar buren elkaar leren kennen.",
         "Minder vroegtijdige schoolverlaters en een eerlijke oriëntering op school.",
         "Haat en uitsluiting maken het dagelijkse leven van mensen kleiner.")),
    Activity(
        "vertrouwen", "Vertrouwen bouwen",
        "Sociaal kapitaal en wederzijds vertrouwen tussen bewoners, organisaties, overheid, "
        "politie en media. Vaste gezichten in de wijk, gedeelde taal en eerlijke "
        "berichtgeving zonder stereotypen bouwen vertrouwen op.",
        ("Mensen vertrouwen de politie en de overheid niet meer.",
         "Vaste gezichten en zitdagen in de wijk.",
         "Media die geen stereotypen bevestigen en niet polariseren.",
         "Een gedeelde taal die mensen niet tegen elkaar opzet.",
         "Bewoners die elkaar kennen en op elkaar kunnen rekenen.",
         "Inwoners die het gevoel hebben dat niemand naar hen luistert.",
         "Vrijwilligers en buddy's brengen nieuwkomers en buurtbewoners samen.")),
)

ACTIVITY_IDS: tuple[str, ...] = tuple(a.id for a in ACTIVITIES)
LABELS: dict[str, str] = {a.id: a.label for a in ACTIVITIES}
# The lexicon's `activities` field holds the Dutch labels (lexicon.model.ACTIVITIES).
BY_LEXICON_LABEL: dict[str, str] = {a.label: a.id for a in ACTIVITIES}


def activity(activity_id: str) -> Activity:
    """The activity with this id (FX-ACT-002 otherwise)."""
    for item in ACTIVITIES:
        if item.id == activity_id:
            return item
    raise FocuslexError("FX-ACT-002", value=activity_id, choices=", ".join(ACTIVITY_IDS))
