"""The decision table of person-name detection: named rules, each with its reason.

`pipeline.privacy.detect.NameDetector` turns every capitalised run of words into a
`Candidate` (what is known about it: cues before and after, list evidence, gazetteers). The
first rule in `RULES` whose test holds decides what the run is: a person (replaced), an
organisation, a place or an event (kept unless the settings ask otherwise), or no name at all
(kept). The rule's `reason` is the cue the review page shows, in plain Dutch: why a name was
replaced, or why something that looks like a name was kept.

Order matters: decisions of a reviewer first, then what a run plainly is (an organisation from
the list, a street, a place), then the cues that make a run a person, then list evidence, and
last the rules that keep ordinary words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

PERSON, ORGANISATION, PLACE, EVENT, NOT_A_NAME = (
    "person", "organisation", "place", "event", "none")


@dataclass(frozen=True)
class Candidate:
    """What the detector knows about one capitalised run (after trimming titles)."""

    words: int  # words besides particles
    reviewer_rejected: bool = False  # a reviewer said it is no name, or it is a kept figure
    known: bool = False  # a reviewer confirmed or added it
    title_only: bool = False  # the run is just a title ("Schepen")
    role: bool = False  # starts with a particle and is no surname ("van Gelijke Kansen")
    group_only: bool = False  # only demonyms and languages ("Marokkaans")
    sheet_organisation: bool = False  # an organisation of the participants sheet
    listed_organisation: bool = False  # in organisations.txt
    organisation_shape: bool = False  # vzw, -bond, capitals inside (GroenLinks)
    event: bool = False
    street: bool = False  # Kerkstraat, Grote Markt, Provinciehuis
    place: bool = False  # places.txt, sub-municipalities, or a LOC entity
    after_place_preposition: bool = False  # "in Genk", "uit Kabul"
    title: bool = False  # "mevrouw", "schepen", "mijn collega" before it
    naming_verb: bool = False  # "ze heet", "ik ben"
    addressed: bool = False  # "Dank u, An." / "Joke, gij ..."
    quoted: bool = False  # `Naam: "..."` or `Naam, ORGANISATIE: "..."`
    works_at: bool = False  # "Mo van de jeugdwerking"
    ner_person: bool = False
    ner_organisation: bool = False
    first_name_and_name: bool = False  # "Jan Visser", "Fatima Zahra"
    short: bool = False  # one word under 3 letters
    initial_word_name: bool = False  # a listed name that is also a word, alone, first in sentence
    comma_after: bool = False
    listed: bool = False  # a listed first name or surname that is no ordinary word
    word_name_propn: bool = False  # a name that is also a word, PROPN mid-sentence
    ordinary: bool = False  # ordinary Dutch words only
    unknown_propn: bool = False  # unknown words tagged PROPN mid-sentence
    listed_place: bool = False  # the whole run is a listed place
    listed_name: bool = False  # holds a listed first name or surname that is no ordinary word
    area: bool = False  # a compass word after a place or group word ("Focusgroep Oost")

    @property
    def person_cue(self) -> bool:
        """Cues that make a run a person even when it looks like a place."""
        return (self.title or self.naming_verb or self.known or self.addressed
                or self.ner_person or self.quoted or self.works_at)


@dataclass(frozen=True)
class Rule:
    """One row of the decision table: when `test` holds, the run is `kind`, because `reason`."""

    name: str
    kind: str
    reason: str
    test: Callable[[Candidate], bool]


def _organisation(c: Candidate) -> bool:
    return ((c.listed_organisation and not c.title) or (c.organisation_shape and not c.title)
            or c.ner_organisation) and not (c.ner_person or c.known)


def _place(c: Candidate) -> bool:
    return c.place and not (c.person_cue or (c.listed_name and not c.listed_place))


RULES: tuple[Rule, ...] = (
    Rule("afgewezen", NOT_A_NAME, "een nakijker zei dat dit geen naam is",
         lambda c: c.reviewer_rejected),
    Rule("alleen-titel", NOT_A_NAME, "alleen een titel, geen naam", lambda c: c.title_only),
    Rule("functie", NOT_A_NAME, "een functie of bevoegdheid (schepen van ...), geen naam",
         lambda c: c.role),
    Rule("deelnemersorganisatie", ORGANISATION, "organisatie van de deelnemerslijst",
         lambda c: c.sheet_organisation and not c.known),
    Rule("bekend", PERSON, "naam die een nakijker bevestigde of toevoegde",
         lambda c: c.known),
    Rule("bevolkingsgroep", NOT_A_NAME, "bevolkingsgroep of taal, geen persoon",
         lambda c: c.group_only and not c.title),
    Rule("evenement", EVENT, "naam van een evenement", lambda c: c.event and not c.title),
    Rule("organisatie", ORGANISATION, "organisatie (uit de lijst of door een organisatiewoord)",
         _organisation),
    Rule("straat-of-gebouw", PLACE, "straat, plein of gebouw",
         lambda c: c.street and not c.title),
    Rule("plaats", PLACE, "plaatsnaam uit de lijst", _place),
    Rule("windstreek", PLACE, "windstreek na een plaats of groep (Focusgroep Oost, Gent Zuid)",
         lambda c: c.area and not (c.title or c.naming_verb or c.known or c.addressed
                                   or c.quoted)),
    Rule("na-plaatsvoorzetsel", PLACE, "na een voorzetsel van plaats (in, uit, naar)",
         lambda c: c.after_place_preposition and not c.person_cue
         and not c.first_name_and_name),
    Rule("titel", PERSON, "na een titel of rol (mevrouw, schepen, mijn collega)",
         lambda c: c.title),
    Rule("werkwoord", PERSON, "na een werkwoord van noemen (heet, ik ben)",
         lambda c: c.naming_verb),
    Rule("aanspreking", PERSON, "iemand wordt aangesproken (Dank u, An.)",
         lambda c: c.addressed),
    Rule("citaat", PERSON, "naam vóór een citaat (Naam, ORGANISATIE: \"...\")",
         lambda c: c.quoted),
    Rule("werkt-bij", PERSON, "voornaam gevolgd door waar iemand werkt (Mo van de jeugdwerking)",
         lambda c: c.works_at),
    Rule("taalmodel", PERSON, "persoonsnaam volgens het taalmodel", lambda c: c.ner_person),
    Rule("voornaam-en-naam", PERSON, "voornaam met een naam ernaast (Jan Visser)",
         lambda c: c.first_name_and_name),
    Rule("te-kort", NOT_A_NAME, "te kort om zonder titel of aanspreking te beslissen",
         lambda c: c.short),
    Rule("aanspreking-vooraan", PERSON, "naam vooraan in de zin, gevolgd door een komma",
         lambda c: c.initial_word_name and c.comma_after),
    Rule("woord-vooraan", NOT_A_NAME, "naam die ook een woord is, alleen vooraan in de zin",
         lambda c: c.initial_word_name),
    Rule("namenlijst", PERSON, "voornaam of familienaam uit de namenlijst",
         lambda c: c.listed),
    Rule("eigennaam-woord", PERSON, "naam die ook een woord is, als eigennaam midden in de zin",
         lambda c: c.word_name_propn),
    Rule("gewoon-woord", NOT_A_NAME, "gewoon Nederlands woord", lambda c: c.ordinary),
    Rule("onbekende-eigennaam", PERSON, "onbekend woord, als eigennaam midden in de zin",
         lambda c: c.unknown_propn),
)
DEFAULT = Rule("geen-aanwijzing", NOT_A_NAME, "geen aanwijzing dat dit een naam is",
               lambda c: True)


def decide(candidate: Candidate) -> Rule:
    """The first rule that holds for `candidate`."""
    return next((rule for rule in RULES if rule.test(candidate)), DEFAULT)
