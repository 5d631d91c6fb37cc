"""The term matcher on small Dutch sentences written for these tests: inflection, multiword
labels, compounds (modifier, head, linking -s-, hyphen, anti-, coordination), exclusions and
sense traps, hidden labels, PDF-glued and split words, negation, use/mention, offsets, and the
registered spaCy component. A small lexicon built here keeps the tests independent of the
seed lexicon; the bundled Dutch pipeline parses (once per module)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lexicon.io import dump_yaml
from lexicon.model import Entry, entry_from_dict
from pipeline.core.text import fold_with_map
from pipeline.terms.patterns import build_patterns, inflections
from pipeline.nlp.loader import load_pipeline
from pipeline.core.settings import NlpSettings, Settings
from pipeline.core.records import StoredUtterance
from pipeline.terms.matcher import (SPANS_KEY, TermMatcher, find_terms, load_entries, quote_spans,
                            table_from_doc)
from pipeline.core.records import Document, DocumentMeta, Utterance


def term(term_id: str, label: str, alt: list[str] = (), hidden: list[str] = (),
         exclusions: list[str] = ()) -> Entry:
    return entry_from_dict({"id": term_id, "pref_label": {"nl-BE": label},
                            "alt_labels": list(alt), "hidden_labels": list(hidden),
                            "exclusions": list(exclusions),
                            "definition": f"Testdefinitie van {label}."})


LEXICON: list[Entry] = [
    term("integratie", "integratie",
         alt=["integreren", "geïntegreerd", "geïntegreerde", "Integratiepact"],
         hidden=["intergratie"],
         exclusions=["integraal", "re-integratie", "geïntegreerde aanpak",
                     "Europese integratie"]),
    term("discriminatie", "discriminatie", alt=["discrimineren", "gediscrimineerd"],
         exclusions=["prijsdiscriminatie", "positieve discriminatie"]),
    term("racisme", "racisme", alt=["racist", "racistisch", "antiracisme"],
         hidden=["rascisme"], exclusions=["onbewust racisme"]),
    term("onbewust_racisme", "onbewust racisme", alt=["onbewuste vormen van racisme"]),
    term("inburgering", "inburgering", alt=["inburgeren", "ingeburgerd"]),
    term("migratieachtergrond", "migratieachtergrond",
         alt=["mensen met een migratieachtergrond"]),
    term("gelijke_kansen", "gelijke kansen"),
    term("diversiteit", "diversiteit", alt=["divers", "diverse"],
         exclusions=["biodiversiteit", "diversiteit aan"]),
    term("inclusie", "inclusie", alt=["inclusief", "inclusieve"]),
    term("etnisch", "etnisch", alt=["etnische", "etnisch-culturele"]),
    term("minderheid", "minderheid", alt=["minderheden", "etnisch-culturele minderheden"],
         exclusions=["in de minderheid"]),
]


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline(Settings(nlp=NlpSettings(model="")))


@pytest.fixture(scope="module")
def matcher() -> TermMatcher:
    return TermMatcher.from_entries(LEXICON)


def hits(nlp, matcher: TermMatcher, text: str) -> list[tuple[str, str, str, bool, str]]:
    """(term, matched text, compound part, negated, mention) of every hit in text."""
    return [(m.term_id, text[m.start:m.end], m.compound_part, m.negated, m.mention)
            for m in matcher.match(table_from_doc(nlp(text)), text)]


def found(nlp, matcher: TermMatcher, text: str) -> list[tuple[str, str]]:
    return [(h[0], h[1]) for h in hits(nlp, matcher, text)]


# -- normalisation and inflection -------------------------------------------------------------

def test_folding_keeps_a_map_to_the_original_text():
    folded, positions = fold_with_map("Geïntegreerd")
    assert folded == "geintegreerd" and len(positions) == len(folded)
    decomposed = "Gei\u0308ntegreerd"  # i + combining diaeresis
    folded, positions = fold_with_map(decomposed)
    assert folded == "geintegreerd" and positions[-1] == len(decomposed) - 1


def test_inflections_of_nouns_adjectives_and_verbs():
    assert {"vooroordelen"} <= inflections("vooroordeel")
    assert {"allochtonen", "allochtone"} <= inflections("allochtoon")
    assert {"inclusieve"} <= inflections("inclusief")
    assert {"integreert", "integreerde", "geintegreerd"} <= inflections("integreren")
    assert {"ingeburgerd", "samengeleefd"} <= inflections("inburgeren") | inflections("samenleven")
    assert "illegaal" not in inflections("illegalen")  # a plural's singular is not generated


@pytest.mark.parametrize("text, expected", [
    ("Zij werd vorige maand gediscrimineerd op de woningmarkt.",
     [("discriminatie", "gediscrimineerd")]),
    ("Hij integreert heel snel in zijn nieuwe buurt.", [("integratie", "integreert")]),
    ("Dat waren racistische opmerkingen van een racist.",
     [("racisme", "racistische"), ("racisme", "racist")]),
    ("Zijn ze nu GEINTEGREERD of niet?", [("integratie", "GEINTEGREERD")]),
    ("Ze is goed ingeburgerd in de gemeente.", [("inburgering", "ingeburgerd")]),
])
def test_inflected_case_and_diacritic_insensitive(nlp, matcher, text, expected):
    assert found(nlp, matcher, text) == expected


# -- multiword labels ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Onbewust racisme zit overal.", [("onbewust_racisme", "Onbewust racisme")]),
    ("Er bestaan onbewuste vormen van racisme op school.",
     [("onbewust_racisme", "onbewuste vormen van racisme")]),
    ("We spraken met mensen met migratieachtergrond over werk.",
     [("migratieachtergrond", "mensen met migratieachtergrond")]),
    ("Gelijke kansen zijn geen gunst.", [("gelijke_kansen", "Gelijke kansen")]),
    # a word of another term inside a phrase keeps its own hit
    ("Het plan noemde etnisch-culturele minderheden.",
     [("etnisch", "etnisch-culturele"), ("minderheid", "etnisch-culturele minderheden")]),
])
def test_multiword_labels_with_variation(nlp, matcher, text, expected):
    assert sorted(found(nlp, matcher, text)) == sorted(expected)


# -- compounds ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, term_id, word, part", [
    ("Het integratiebeleid van de stad is nieuw.", "integratie", "integratiebeleid", "beleid"),
    ("Het inburgeringstraject duurt een jaar.", "inburgering", "inburgeringstraject",
     "traject"),
    ("Arbeidsmarktdiscriminatie is hardnekkig.", "discriminatie",
     "Arbeidsmarktdiscriminatie", "arbeidsmarkt"),
    ("De discriminatie-incidenten werden gemeld.", "discriminatie", "discriminatie-incidenten",
     "incidenten"),
    ("Anti-racisme is een beweging.", "racisme", "Anti-racisme", "anti"),
    ("Het antidiscriminatiebeleid werkt.", "discriminatie", "antidiscriminatiebeleid",
     "anti+beleid"),
    ("Zij tekenden het Integratiepact.", "integratie", "Integratiepact", "pact"),
])
def test_compounds_record_the_other_part(nlp, matcher, text, term_id, word, part):
    assert hits(nlp, matcher, text) == [(term_id, word, part, False, "")]


def test_coordination_hyphen(nlp, matcher):
    text = "Het Integratie- en Gelijkekansenbeleid van de stad."
    assert hits(nlp, matcher, text) == [
        ("integratie", "Integratie", "beleid", False, ""),
        ("gelijke_kansen", "Gelijkekansenbeleid", "beleid", False, "")]


def test_more_specific_term_wins_inside_a_compound():
    patterns = build_patterns(LEXICON + [term("superdiversiteit", "superdiversiteit")])
    match = patterns.classify("superdiversiteitsbeleid").match
    assert (match.term_id, match.compound_part) == ("superdiversiteit", "beleid")
    assert patterns.classify("inburgeringsplichtigen").match.compound_part == "plichtigen"


# -- exclusions and sense traps ------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "De biodiversiteit in het park gaat achteruit.",
    "Prijsdiscriminatie is een economische term.",
    "We volgen een integraal plan.",
    "Na zijn burn-out volgde een re-integratie.",
    "Wij werken met een geïntegreerde aanpak.",
    "Er is een diversiteit aan functies.",
    "De Europese integratie gaat verder.",
    "Het kost honderd euro, inclusief btw.",
    "Positieve discriminatie is een ander begrip.",
    "Ik was in de minderheid bij de stemming.",
    "Om diverse redenen kwam hij niet.",
])
def test_exclusions_and_sense_traps_give_no_hit(nlp, matcher, text):
    assert found(nlp, matcher, text) == []


def test_exclusions_keep_the_social_sense(nlp, matcher):
    assert found(nlp, matcher, "Onze stad wil inclusief zijn.") == [("inclusie", "inclusief")]
    assert found(nlp, matcher, "Een inclusief beleid is nodig.") == [("inclusie", "inclusief")]
    assert found(nlp, matcher, "Zijn goed geïntegreerde buren helpen.") == [
        ("integratie", "geïntegreerde")]
    assert found(nlp, matcher, "Diverse achtergronden maken het team sterk.") == [
        ("diversiteit", "Diverse")]


# -- hidden labels and PDF text ---------------------------------------------------------------

def test_hidden_labels_find_misspellings(nlp, matcher):
    assert found(nlp, matcher, "De intergratie en het rascisme kwamen aan bod.") == [
        ("integratie", "intergratie"), ("racisme", "rascisme")]


def test_pdf_glued_and_split_words(nlp, matcher):
    # glued at a line break: the hit covers the term part only
    assert hits(nlp, matcher, "Het rapport tegenracisme kwam uit.") == [
        ("racisme", "racisme", "", False, "")]
    # split at a line break, with and without a hyphen
    assert found(nlp, matcher, "Er is veel discrimi natie op de markt.") == [
        ("discriminatie", "discrimi natie")]
    assert hits(nlp, matcher, "Het nieuwe integratie- beleid is klaar.") == [
        ("integratie", "integratie- beleid", "beleid", False, "")]
    # two words stay two words
    assert found(nlp, matcher, "Er is meer diversiteit nodig.") == [("diversiteit", "diversiteit")]



def test_a_split_word_joins_into_a_longer_term(nlp):
    matcher = TermMatcher.from_entries(load_entries(None))  # the seed lexicon
    # a hyphen at a line break before a word that is a term itself: the longer term wins
    assert found(nlp, matcher, "Het begrip super-\ndiversiteit komt uit de sociologie.") == [
        ("superdiversiteit", "super-\ndiversiteit")]
    # a compound cut by a stray OCR space: the whole word, not the compound of its first part
    assert found(nlp, matcher, "Een kwart heeft een migratieachtergr ond in Azië.") == [
        ("migratieachtergrond", "migratieachtergr ond")]
    # a compound followed by an ordinary word stays the compound
    assert found(nlp, matcher, "Het migratiebeleid ond hervormen.") == [
        ("migratie", "migratiebeleid")]
    assert found(nlp, matcher, "Er is meer diversiteit nodig.") == [("diversiteit", "diversiteit")]


# -- negation -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, negated", [
    ("Dat is geen racisme.", [True]),
    ("Ik heb nooit discriminatie gezien.", [True]),
    ("Ik weet niet of het discriminatie was.", [False]),
    ("Ik denk niet dat het klopt, maar racisme bestaat wel.", [False]),
    ("Er was geen racisme of discriminatie in de zaal.", [True, True]),
    ("Racisme is een probleem.", [False]),
    ("Niemand had het over integratie.", [True]),
])
def test_negation_in_the_same_clause(nlp, matcher, text, negated):
    assert [h[3] for h in hits(nlp, matcher, text)] == negated


def test_negating_prefix(nlp, matcher):
    assert hits(nlp, matcher, "Ze spraken over niet-integratie.") == [
        ("integratie", "niet-integratie", "niet", True, "")]


# -- use and mention -------------------------------------------------------------------------

@pytest.mark.parametrize("text, mention", [
    ('Ze noemen dat "integratie", maar het is aanpassing.', "quoted"),
    ("Hij schreef ‘integratie’ op het bord.", "quoted"),
    ("Zij zei: “integratie is wederzijds”.", "quoted"),
    ("Op de affiche stond «integratie» in grote letters.", "quoted"),
    ("De zogenaamde integratie is eigenlijk aanpassing.", "distanced"),
    ("Wat men integratie noemt, is vaak aanpassing.", "distanced"),
    ("Het woord integratie is beladen.", "named"),
    ("De term 'racisme' roept weerstand op.", "named"),
    ("Ik gebruik liever geen woorden als integratie.", "rejected"),
    ("Integratie is een werkwoord voor iedereen.", ""),
    ("Fatima's vraag ging over integratie in de klas.", ""),
])
def test_use_and_mention_cues(nlp, matcher, text, mention):
    assert [h[4] for h in hits(nlp, matcher, text)] == [mention]


def test_quote_spans_ignore_apostrophes_in_words():
    text = "Fatima's zoon zei 's avonds: 'integratie' is een 'moeilijk' woord."
    spans = [text[a:b] for a, b in quote_spans(text)]
    assert spans == ["integratie", "moeilijk"]


# -- offsets into the stored document text, and metadata -----------------------------------

def test_find_terms_offsets_point_into_the_document_text(nlp, matcher):
    turns = ["Goeiemiddag, welkom allemaal.",
             "Voor mij is integratie wederzijds.\n\nEn discriminatie op de woningmarkt blijft.",
             "Het inburgeringstraject duurt te lang."]
    utterances, start = [], 0
    for i, text in enumerate(turns):
        utterances.append(Utterance(i, f"P0{i}", text, start, start + len(text)))
        start += len(text) + 2
    document = Document("hash", "gesprek.txt", "txt", DocumentMeta(round=2), "", utterances)
    metas = [StoredUtterance(7, u.index, u.text, u.char_start, u.speaker_code, "vakbond", 2)
             for u in utterances]
    found_hits = find_terms([nlp(u.text) for u in utterances], metas, matcher)
    assert [h.term_id for h in found_hits] == ["integratie", "discriminatie", "inburgering"]
    for hit in found_hits:
        assert document.text[hit.start:hit.end] == hit.text
        assert hit.text in hit.sentence
        assert (hit.document_id, hit.group, hit.round) == (7, "vakbond", 2)
    assert found_hits[1].speaker == "P01" and found_hits[1].utterance_index == 1
    assert found_hits[1].sentence == "En discriminatie op de woningmarkt blijft."
    assert found_hits[0].label == "integratie"


# -- the registered spaCy component ------------------------------------------------------------

def test_component_registered_by_name(nlp, tmp_path: Path):
    lexicon_file = tmp_path / "lexicon.yaml"
    lexicon_file.write_text(dump_yaml(LEXICON), encoding="utf-8")
    pipe = nlp.add_pipe("focuslex_terms", config={"lexicon_path": str(lexicon_file)})
    try:
        doc = nlp("Dat is geen racisme, maar het woord integratie is beladen.")
        assert [(s.label_, s.text) for s in doc.spans[SPANS_KEY]] == [
            ("racisme", "racisme"), ("integratie", "integratie")]
        records = doc._.get(SPANS_KEY)
        assert records[0]["negated"] is True and records[1]["mention"] == "named"
        # a lexicon edit: the component takes the new entries
        pipe.set_lexicon(LEXICON + [term("beladen", "beladen")])
        doc = nlp("Het woord is beladen.")
        assert [s.label_ for s in doc.spans[SPANS_KEY]] == ["beladen"]
    finally:
        nlp.remove_pipe("focuslex_terms")


def test_a_multiword_exclusion_holds_for_a_word_split_over_a_line_break(nlp):
    matcher = TermMatcher.from_entries(load_entries(None))  # the seed lexicon
    assert found(nlp, matcher, "Alle anders-\ntalige websites van de stad krijgen een update.") == []
    assert found(nlp, matcher, "Alle anders-\ntalige gezinnen krijgen een brief van de stad.") == [
        ("anderstalige", "anders-\ntalige")]
