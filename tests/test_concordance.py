"""Keyword in context over term hits: context cutting, filters, term lookup, store access."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from pipeline.analysis.concordance import (HIT_COLUMNS, KWIC_COLUMNS, context, document_texts,
                                  empty_hits, filter_hits, format_kwic, kwic, resolve_term,
                                  term_labels)
from pipeline.core.errors import FocuslexError
from pipeline.ingest.service import IngestRequest, Ingestor
from pipeline.ingest.readers import SourceFile
from pipeline.core.settings import Settings
from pipeline.ingest.sheets import read_participants
from pipeline.core.settings import IngestSettings
from pipeline.store.database import Store
from pipeline.core.records import DocumentMeta
from tests.conftest import INGEST

DEFAULT_INGEST = IngestSettings()  # the participants sheets of these tests are small

# Two small documents as stored: utterances joined with a blank line.
DOC1 = ("Voor mij is integratie geen eenrichtingsverkeer.\n\n"
        "Ik vind dat 'integratie' een beladen woord is geworden.\n\n"
        "Discriminatie op de huurmarkt blijft\neen groot probleem.")
DOC2 = "Het zogenaamde integratiebeleid van de stad werkt niet voor iedereen."
TEXTS = {1: DOC1, 2: DOC2}


def span(text: str, word: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return start, start + len(word)


def hit(document_id: int, word: str, term_id: str, label: str, *, nth: int = 0,
        **values: Any) -> dict[str, Any]:
    text = TEXTS[document_id]
    start, end = span(text, word, nth)
    row = {"document_id": document_id, "document": f"doc{document_id}.txt",
           "utterance_index": text.count("\n\n", 0, start), "term_id": term_id,
           "label": label, "text": text[start:end], "start": start, "end": end,
           "sentence": "", "speaker": "P01", "group": "vakbond", "round": 1,
           "compound_part": "", "negated": False, "mention": ""}
    row.update(values)
    return row


@pytest.fixture
def hits() -> pd.DataFrame:
    rows = [
        hit(1, "integratie", "integratie", "integratie", negated=True),
        hit(1, "integratie", "integratie", "integratie", nth=1, mention="quoted",
            speaker="P02", group="onderwijs"),
        hit(1, "Discriminatie", "discriminatie", "discriminatie", speaker="P03",
            group="werkgeversorganisatie", round=2),
        hit(2, "integratiebeleid", "integratie", "integratie", compound_part="beleid",
            mention="distanced", speaker=None, group="migrantenorganisatie", round=None),
    ]
    return pd.DataFrame(rows, columns=list(HIT_COLUMNS))


# -- context ---------------------------------------------------------------------------------

def test_context_gives_both_sides_within_the_turn() -> None:
    start, end = span(DOC1, "integratie")
    left, keyword, right = context(DOC1, start, end, width=60)
    assert (left, keyword, right) == ("Voor mij is", "integratie", "geen eenrichtingsverkeer.")


def test_context_stops_at_turn_boundaries_unless_asked() -> None:
    start, end = span(DOC1, "integratie", 1)
    left, _, right = context(DOC1, start, end, width=60)
    assert left == "Ik vind dat '"
    assert right == "' een beladen woord is geworden."
    left, _, right = context(DOC1, start, end, width=200, within_turn=False)
    assert left.startswith("Voor mij is integratie")
    assert right.endswith("een groot probleem.")


def test_context_cut_drops_partial_words_and_marks_the_cut() -> None:
    start, end = span(DOC2, "integratiebeleid")
    left, keyword, right = context(DOC2, start, end, width=12)
    # 12 characters to the right are " van de stad" -> "van de stad" (whole words), cut
    assert right == "van de stad …"
    # left: "Het zogenaamde " -> last 12 chars "zogenaamde " (whole word kept)
    assert left == "… zogenaamde"
    left, _, right = context(DOC2, start, end, width=8)
    # "ogenaamde" would be a broken word: dropped
    assert left == "…"
    assert right == "van de …"


def test_context_collapses_line_breaks_inside_keyword_and_sides() -> None:
    text = "Dat is echt\ndiscrimi-\nnatie op de\nwerkvloer."
    start, end = span(text, "discrimi-\nnatie")
    left, keyword, right = context(text, start, end)
    assert keyword == "discrimi- natie"
    assert left == "Dat is echt" and right == "op de werkvloer."


def test_context_refuses_offsets_outside_the_text() -> None:
    with pytest.raises(ValueError):
        context("kort", 2, 10)


# -- kwic ------------------------------------------------------------------------------------

def test_kwic_orders_lines_and_keeps_hit_fields(hits: pd.DataFrame) -> None:
    lines = kwic(hits.iloc[::-1], TEXTS, width=30)
    assert list(lines.columns) == list(KWIC_COLUMNS)
    assert list(lines["keyword"]) == ["integratie", "integratie", "Discriminatie",
                                      "integratiebeleid"]
    assert list(lines["mention"]) == ["", "quoted", "", "distanced"]
    assert lines.iloc[3]["left"] == "Het zogenaamde"
    assert lines.iloc[3]["compound_part"] == "beleid"
    assert kwic(hits, TEXTS, limit=2).shape[0] == 2


def test_kwic_skips_hits_whose_text_is_missing_or_stale(hits: pd.DataFrame) -> None:
    stale = hits.copy()
    stale.loc[0, "end"] = 10_000
    lines = kwic(stale, {1: DOC1})
    assert len(lines) == 2  # doc 2 missing, one stale hit in doc 1
    assert kwic(empty_hits(), TEXTS).empty


def test_format_kwic_aligns_the_keyword(hits: pd.DataFrame) -> None:
    out = format_kwic(kwic(hits, TEXTS, width=20), width=20)
    positions = {line.index("[") for line in out}
    assert positions == {23}
    assert out[0] == "           Voor mij is [integratie] geen …"


def test_kwic_needs_the_hit_columns() -> None:
    with pytest.raises(ValueError):
        kwic(pd.DataFrame({"term_id": ["x"]}), TEXTS)


# -- filters ---------------------------------------------------------------------------------

def test_filters_narrow_by_each_field(hits: pd.DataFrame) -> None:
    assert len(filter_hits(hits)) == 4
    assert len(filter_hits(hits, term="integratie")) == 3
    assert len(filter_hits(hits, group=["vakbond", "onderwijs"])) == 2
    assert len(filter_hits(hits, group=[])) == 4  # an empty choice is no filter
    assert len(filter_hits(hits, round=1)) == 2
    assert len(filter_hits(hits, round=[2, None])) == 2  # None: without round
    assert list(filter_hits(hits, speaker="P02")["mention"]) == ["quoted"]
    assert len(filter_hits(hits, document=2)) == 1
    assert len(filter_hits(hits, negated=True)) == 1
    assert len(filter_hits(hits, negated=False)) == 3


def test_use_mention_filter(hits: pd.DataFrame) -> None:
    assert len(filter_hits(hits, mention="use")) == 2
    assert len(filter_hits(hits, mention="mention")) == 2
    assert list(filter_hits(hits, mention=["quoted"])["speaker"]) == ["P02"]
    assert len(filter_hits(hits, mention=["use", "distanced"])) == 3
    assert len(filter_hits(hits, term="integratie", mention="use", round=1)) == 1


# -- resolving a term ------------------------------------------------------------------------

TERMS = {"integratie": "integratie", "onbewust_racisme": "onbewust racisme",
         "naieveteit": "naïviteit", "nieuwkomer": "nieuwkomer"}


@pytest.mark.parametrize("query, expected", [
    ("integratie", "integratie"), ("INTEGRATIE", "integratie"),
    ("onbewust_racisme", "onbewust_racisme"), ("Onbewust  Racisme", "onbewust_racisme"),
    ("naiviteit", "naieveteit"), ("NAÏVITEIT", "naieveteit"), ("Naieveteit", "naieveteit"),
])
def test_resolve_term_by_id_or_label(query: str, expected: str) -> None:
    assert resolve_term(query, TERMS) == expected


def test_resolve_term_unknown_and_ambiguous() -> None:
    with pytest.raises(FocuslexError) as error:
        resolve_term("racisme", TERMS)
    assert error.value.code == "FX-TRM-050"
    assert "onbewust_racisme" in error.value.message
    with pytest.raises(FocuslexError) as error:
        resolve_term("kleur", {"a": "kleur", "b": "Kleur"})
    assert error.value.code == "FX-TRM-051"


def test_term_labels_merge_hits_and_lexicon(hits: pd.DataFrame) -> None:
    labels = term_labels(hits, {"racisme": "racisme"})
    assert labels == {"racisme": "racisme", "integratie": "integratie",
                      "discriminatie": "discriminatie"}


# -- store -----------------------------------------------------------------------------------

def test_texts_and_utterances_come_from_the_store(settings: Settings, store: Store) -> None:
    Ingestor(settings, store, read_participants(INGEST / "participants.csv", DEFAULT_INGEST)).ingest(
        [IngestRequest(SourceFile("gesprek.txt", (INGEST / "gesprek.txt").read_bytes()),
                       DocumentMeta(round=3))])
    texts = document_texts(store)
    (doc_id, text), = texts.items()
    assert document_texts(store, []) == {}
    utterances = store.stored_utterances()
    assert [u.index for u in utterances] == list(range(len(utterances)))
    for u in utterances:  # offsets point into the stored document text
        assert text[u.char_start:u.char_start + len(u.text)] == u.text
        assert u.round == 3 and u.document_id == doc_id
    groups = {u.speaker: u.group for u in utterances}
    assert groups["P01"] == "lokaal bestuur"
    assert groups["FAC1"] == "facilitator"
    # real names never come back from the store
    assert "Ayşe" not in text and "Wouter" not in text


# -- focuslex terms kwic ---------------------------------------------------------------------

def test_cli_kwic_by_id_or_label_with_filters(settings: Settings, store: Store) -> None:
    from click.testing import CliRunner

    from pipeline.cli.main import cli
    from tests.test_app_terms import ingest, seed_hits

    ingest(settings, store)
    seed_hits(store)
    runner = CliRunner()
    base = ["--db", settings.database_url, "terms", "kwic"]
    result = runner.invoke(cli, [*base, "INTEGRATIE", "--width", "30"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "integratie (integratie): 7 keer gebruikt."
    assert len(lines) == 8
    assert "(tussen aanhalingstekens)" in result.output
    assert "Ayşe" not in result.output and "Jan Roos" not in result.output
    body = [line for line in lines[1:]]
    assert len({line.index("[") for line in body}) == 1  # keywords aligned
    result = runner.invoke(cli, [*base, "discriminatie", "--group", "werkgeversorganisatie",
                                 "--round", "1"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == ("discriminatie (discriminatie): 1 keer gebruikt "
                                             "in groep werkgeversorganisatie en ronde 1.")
    assert "(ontkend)" in result.output
    result = runner.invoke(cli, [*base, "integratie", "--limit", "2"])
    assert "7 keer gebruikt, 2 getoond" in result.output
    assert len(result.output.splitlines()) == 3
    result = runner.invoke(cli, [*base, "integratie", "--round", "9"])
    assert result.exit_code == 0
    assert result.output.strip() == "Geen gebruik van 'integratie' (integratie) in ronde 9."


def test_cli_kwic_errors_are_dutch_with_exit_code_2(settings: Settings, store: Store) -> None:
    from click.testing import CliRunner

    from pipeline.cli.main import cli
    from tests.test_app_terms import ingest, seed_hits

    runner = CliRunner()
    base = ["--db", settings.database_url, "terms", "kwic"]
    result = runner.invoke(cli, [*base, "integratie"])
    assert result.exit_code == 2 and "FX-TRM-052" in result.output
    ingest(settings, store)
    seed_hits(store)
    result = runner.invoke(cli, [*base, "racisme"])
    assert result.exit_code == 2
    assert "FX-TRM-050" in result.output and "racisme" in result.output
