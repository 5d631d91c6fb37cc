"""Each text is parsed once (issue 17): the ingest's name detection parses the original text
with the full pipeline, the names are replaced in that parse's token table
(`replace_in_table`), and the table of the pseudonymised text goes into the token-table
cache, where `analyse` finds it and parses nothing."""

from __future__ import annotations

import shutil

import pytest

from pipeline.core.records import DocumentMeta
from pipeline.core.settings import NlpSettings, Settings
from pipeline.ingest.service import IngestRequest, Ingestor
from pipeline.ingest.readers import SourceFile
from pipeline.nlp.loader import load_pipeline
from pipeline.nlp.tokens import replace_in_table, table_from_doc
from pipeline.terms.run import run_analysis
from tests.test_analyse import CountingParse
from tests.test_terms import LEXICON

TRANSCRIPT = """Moderator: Welkom allemaal. Wat betekent integratie voor jullie?

Karim: Ik sprak gisteren met Els Van den Broeck over racisme op de werkvloer. Zij zegt dat
discriminatie bij het solliciteren nog altijd voorkomt.

Lotte: Mijn buurvrouw Fatima's zoon vindt geen stageplaats. Dat heeft met de motie-Peeters/Claes
niets te maken, maar wel met vooroordelen.
"""


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline(Settings(nlp=NlpSettings(model="")))


def tokenise(nlp):
    return lambda text: [(t.idx, t.text) for t in nlp.tokenizer(text) if not t.is_space]


def test_replaced_names_give_the_tokens_of_the_new_text_with_a_valid_tree(nlp) -> None:
    text = "Ik sprak met Jan Peeters en Fatima's zus over integratie. (Jan) zei niets."
    spans = [(text.index("Jan Peeters"), text.index(" en"), "[PERSOON-1]"),
             (text.index("Fatima"), text.index("Fatima") + 6, "[PERSOON-2]"),
             (text.index("Jan)"), text.index("Jan)") + 3, "[PERSOON-1]")]
    new_text, table = replace_in_table(table_from_doc(nlp(text)), text, spans, tokenise(nlp))
    assert new_text == ("Ik sprak met [PERSOON-1] en [PERSOON-2]'s zus over integratie. "
                        "([PERSOON-1]) zei niets.")
    fresh = table_from_doc(nlp(new_text))
    assert table.words == fresh.words and table.idx == fresh.idx
    assert table.sent_starts == [0, table.words.index("(")]
    assert "Jan" not in table.words and "Fatima" not in " ".join(table.lemmas)
    i = table.words.index("integratie")
    assert table.lemmas[i] == "integratie" and table.pos[i] == "NOUN"
    for k in range(len(table)):  # every head leads to a root without a cycle
        seen = set()
        while table.heads[k] != k:
            assert k not in seen
            seen.add(k)
            k = table.heads[k]


def test_two_names_in_one_token_are_replaced_together(nlp) -> None:
    text = "De motie-Peeters/Claes is aangenomen."
    a = text.index("Peeters")
    b = text.index("Claes")
    new_text, table = replace_in_table(table_from_doc(nlp(text)), text,
                                       [(a, a + 7, "[P01]"), (b, b + 5, "[P02]")], tokenise(nlp))
    assert new_text == "De motie-[P01]/[P02] is aangenomen."
    assert table.words == table_from_doc(nlp(new_text)).words


def test_analyse_after_ingest_parses_nothing_and_finds_the_same_hits(settings, store, nlp,
                                                                    monkeypatch) -> None:
    report = Ingestor(settings, store, nlp=nlp).ingest(
        [IngestRequest(SourceFile("gesprek.txt", TRANSCRIPT.encode()), DocumentMeta())])
    assert report.ok
    texts = [u.text for u in store.stored_utterances()]
    assert not any("Broeck" in t or "Fatima" in t for t in texts)
    counting = CountingParse(monkeypatch, nlp)
    once = run_analysis(settings, store, entries=LEXICON, nlp=nlp)
    assert counting.texts == 0 and once.parsed == 0
    first = [(h["term_id"], h["start"], h["end"]) for h in store.term_hit_records()]
    assert {t for t, _, _ in first} >= {"racisme", "discriminatie"}
    shutil.rmtree(settings.paths.cache_dir)  # without the ingest's parse: the same hits
    again = run_analysis(settings, store, entries=LEXICON, nlp=nlp)
    assert again.parsed == len(texts)
    assert [(h["term_id"], h["start"], h["end"]) for h in store.term_hit_records()] == first
