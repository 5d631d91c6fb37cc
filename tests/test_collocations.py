"""Collocations: content tokens, windows, and G² / logDice checked against hand computations."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from pipeline.analysis.collocations import (ALL_GROUPS, COLLOCATION_COLUMNS, Segment,
                                   cached_token_tables, content_tokens, doc_content_tokens,
                                   find_collocations, node_span, text_segments,
                                   window_positions)
from pipeline.analysis.stats import contingency_g2 as log_likelihood
from pipeline.analysis.stats import log_dice
from pipeline.analysis.concordance import HIT_COLUMNS, document_texts, empty_hits, load_hits
from pipeline.core.records import StoredUtterance
from pipeline.core.settings import Settings
from pipeline.store.database import Store


def g2_by_hand(cells: list[tuple[float, float]]) -> float:
    """2 Σ O ln(O/E) over (observed, expected) cells, written out in each test."""
    return 2 * sum(o * math.log(o / e) for o, e in cells if o)


# -- statistics on hand-computed tables ------------------------------------------------------

def test_log_likelihood_matches_a_hand_computed_table() -> None:
    # O11=10 in a window of R1=50 tokens, C1=20 occurrences in N=1000 tokens.
    # E11 = 50*20/1000 = 1, E12 = 49, E21 = 19, E22 = 931; observed 10, 40, 10, 940.
    # G² = 2(10 ln 10 + 40 ln(40/49) + 10 ln(10/19) + 940 ln(940/931)) = 35.0661
    assert log_likelihood(10, 50, 20, 1000) == pytest.approx(35.0661, abs=1e-4)


def test_log_likelihood_is_negative_for_repulsion_and_zero_when_independent() -> None:
    # never in the window although expected once: observed 0, 50, 20, 930
    # G² = 2(50 ln(50/49) + 20 ln(20/19) + 930 ln(930/931)) = 2.0731, signed negative
    assert log_likelihood(0, 50, 20, 1000) == pytest.approx(-2.0731, abs=1e-4)
    # observed equals expected everywhere (E11 = 10*100/1000 = 1)
    assert log_likelihood(1, 10, 100, 1000) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("f_xy, f_x, f_y, expected", [
    (4, 4, 4, 14.0),        # always together: the maximum, 14
    (4, 8, 8, 13.0),        # 2*4/16 = 1/2 -> 14 - 1
    (1, 100, 28, 8.0),      # 2/128 = 2^-6 -> 14 - 6
    (3, 3, 4, 14 + math.log2(6 / 7)),
])
def test_log_dice(f_xy: int, f_x: int, f_y: int, expected: float) -> None:
    assert log_dice(f_xy, f_x, f_y) == pytest.approx(expected)


def test_log_dice_without_cooccurrence() -> None:
    assert log_dice(0, 5, 5) == float("-inf")


# -- tokens ----------------------------------------------------------------------------------

def test_content_tokens_drop_stop_words_placeholders_and_numbers() -> None:
    text = "Volgens [P07] is de anti-racisme aanpak van 2024 niet genoeg, zo’n schande."
    tokens = content_tokens(text, offset=100)
    assert [t[0] for t in tokens] == ["anti-racisme", "aanpak", "genoeg", "schande"]
    key, start, end = tokens[0]
    assert text[start - 100:end - 100] == "anti-racisme"


def test_doc_content_tokens_use_lemmas_of_content_words() -> None:
    words = ["Zij", "werden", "niet", "gediscrimineerd", "door", "[", "P07", "]",
             "op", "de", "huurmarkt", "."]
    pos = ["PRON", "AUX", "ADV", "VERB", "ADP", "PUNCT", "PROPN", "PUNCT", "ADP", "DET",
           "NOUN", "PUNCT"]
    lemmas = ["zij", "worden", "niet", "discrimineren", "door", "[", "P07", "]", "op", "de",
              "huurmarkt", "."]
    spaces = [True, True, True, True, True, False, False, True, True, True, False, False]
    doc = Doc(Vocab(), words=words, spaces=spaces, pos=pos, lemmas=lemmas)
    tokens = doc_content_tokens(doc, offset=7)
    assert [t[0] for t in tokens] == ["discrimineren", "huurmarkt"]
    assert doc.text[tokens[0][1] - 7:tokens[0][2] - 7] == "gediscrimineerd"


def test_text_segments_prefer_a_parsed_doc() -> None:
    records = [StoredUtterance(1, 0, "Gelijke kansen op werk", 0, "P01", "vakbond", 1),
               StoredUtterance(1, 1, "Kansen zijn er", 24, "P02", "onderwijs", 1)]
    doc = Doc(Vocab(), words=["Kansen", "zijn", "er"], pos=["NOUN", "AUX", "ADV"],
              lemmas=["kans", "zijn", "er"])
    segments = text_segments(records, {(1, 1): doc})
    assert [t[0] for t in segments[0].tokens] == ["gelijke", "kansen", "werk"]
    assert [t[0] for t in segments[1].tokens] == ["kans"]
    assert segments[1].tokens[0][1] == 24 and segments[1].group == "onderwijs"


# -- windows ---------------------------------------------------------------------------------

def tokens_of(keys: str) -> list[tuple[str, int, int]]:
    """Tokens at offsets 0, 10, 20, ... each 5 characters long."""
    return [(key, 10 * i, 10 * i + 5) for i, key in enumerate(keys.split())]


def test_node_span_maps_characters_to_token_positions() -> None:
    tokens = tokens_of("a b c d")
    assert node_span(tokens, 10, 15) == (1, 2)
    assert node_span(tokens, 12, 25) == (1, 3)   # overlaps b and c
    assert node_span(tokens, 6, 9) == (1, 1)     # between a and b: empty node at 1
    assert node_span(tokens, 40, 45) == (4, 4)   # after the end
    assert node_span([], 0, 5) == (0, 0)


def test_window_positions_are_a_union_without_the_nodes() -> None:
    assert window_positions(10, [(4, 5)], 2) == {2, 3, 5, 6}
    assert window_positions(10, [(0, 1), (2, 3)], 2) == {1, 3, 4}
    assert window_positions(3, [(1, 1)], 5) == {0, 1, 2}  # empty node: nothing removed
    assert window_positions(4, [(0, 2)], 5) == {2, 3}


# -- a whole small corpus, by hand -----------------------------------------------------------
# window 2; T is the term (3 hits), content tokens per segment:
#   s1 vakbond:   x y T y z      hit at 2 -> window x y y z
#   s2 vakbond:   T y T q q x    hits at 0, 2 -> window {1, 3, 4} = y q q (y counted once)
#   s3 onderwijs: q x x y        no hits
# overall: N = 15, R1 = 7, f(y) = 4, f(q) = 3, f(x) = 4, f(T) = 3 hits
# cooc: y 3, q 2, x 1, z 1

SEGMENTS = [Segment(1, 0, "vakbond", tokens_of("x y T y z")),
            Segment(1, 1, "vakbond", tokens_of("T y T q q x")),
            Segment(2, 0, "onderwijs", tokens_of("q x x y"))]


def hit_at(document_id: int, index: int, position: int, **values: Any) -> dict[str, Any]:
    row = {"document_id": document_id, "document": f"d{document_id}",
           "utterance_index": index, "term_id": "t", "label": "term", "text": "T",
           "start": 10 * position, "end": 10 * position + 5, "sentence": "",
           "speaker": "P01", "group": "vakbond", "round": 1, "compound_part": "",
           "negated": False, "mention": ""}
    row.update(values)
    return row


HITS = pd.DataFrame([hit_at(1, 0, 2), hit_at(1, 1, 0), hit_at(1, 1, 2)],
                    columns=list(HIT_COLUMNS))


def test_collocations_overall_match_the_hand_counts() -> None:
    out = find_collocations(SEGMENTS, HITS, window=2, min_count=2)
    assert list(out.columns) == list(COLLOCATION_COLUMNS)
    assert list(out["collocate"]) == ["y", "q"]  # x and z seen once: below min_count
    y = out.iloc[0]
    assert (y["cooc"], y["collocate_freq"], y["node_freq"], y["window_tokens"],
            y["total_tokens"], y["group"]) == (3, 4, 3, 7, 15, ALL_GROUPS)
    # y: O = 3, 4, 1, 7; E11 = 7*4/15 = 1.8667, E12 = 5.1333, E21 = 2.1333, E22 = 5.8667
    assert y["expected"] == pytest.approx(28 / 15)
    assert y["g2"] == pytest.approx(g2_by_hand([(3, 28 / 15), (4, 77 / 15), (1, 32 / 15),
                                                (7, 88 / 15)]))
    assert y["g2"] == pytest.approx(1.8085, abs=1e-4)
    assert y["log_dice"] == pytest.approx(14 + math.log2(6 / 7))
    q = out.iloc[1]
    # q: O = 2, 5, 1, 7; E11 = 7*3/15 = 1.4, E12 = 5.6, E21 = 1.6, E22 = 6.4
    assert q["g2"] == pytest.approx(g2_by_hand([(2, 1.4), (5, 5.6), (1, 1.6), (7, 6.4)]))
    assert q["log_dice"] == pytest.approx(14 + math.log2(4 / 6))


def test_collocations_per_group_use_the_group_as_corpus() -> None:
    out = find_collocations(SEGMENTS, HITS, window=2, min_count=2, by_group=True)
    assert list(out["group"]) == [ALL_GROUPS, ALL_GROUPS, "vakbond", "vakbond"]
    vakbond = out[out["group"] == "vakbond"].set_index("collocate")
    # the vakbond corpus: N = 11, f(y) = 3, f(q) = 2, R1 = 7
    assert vakbond.loc["y", "total_tokens"] == 11
    assert vakbond.loc["y", "collocate_freq"] == 3
    # y: O = 3, 4, 0, 4; E11 = 21/11, E12 = 56/11, E21 = 12/11, E22 = 32/11
    assert vakbond.loc["y", "g2"] == pytest.approx(
        g2_by_hand([(3, 21 / 11), (4, 56 / 11), (0, 12 / 11), (4, 32 / 11)]))
    assert vakbond.loc["q", "log_dice"] == pytest.approx(14 + math.log2(4 / 5))


def test_collocations_options_and_edge_cases() -> None:
    every = find_collocations(SEGMENTS, HITS, window=2, min_count=1, attracted_only=False)
    assert set(every["collocate"]) == {"x", "y", "z", "q"}
    x = every.set_index("collocate").loc["x"]
    assert x["g2"] < 0  # seen once where 7*4/15 = 1.87 were expected
    assert find_collocations(SEGMENTS, HITS, terms=["other"]).empty
    assert find_collocations(SEGMENTS, empty_hits()).empty
    assert find_collocations([], HITS).empty
    # a hit in an utterance without segment is ignored
    stray = pd.concat([HITS, pd.DataFrame([hit_at(9, 0, 0)])], ignore_index=True)
    pd.testing.assert_frame_equal(find_collocations(SEGMENTS, stray, window=2),
                                  find_collocations(SEGMENTS, HITS, window=2))


def test_token_tables_give_the_same_tokens_as_docs() -> None:
    from types import SimpleNamespace

    doc = Doc(Vocab(), words=["Onbewust", "racisme", "bestaat", "[", "P07", "]"],
              spaces=[True, True, True, False, False, False],
              pos=["ADJ", "NOUN", "VERB", "PUNCT", "PROPN", "PUNCT"],
              lemmas=["onbewust", "racisme", "bestaan", "[", "P07", "]"])
    table = SimpleNamespace(words=[t.text for t in doc], idx=[t.idx for t in doc],
                            lemmas=[t.lemma_ for t in doc], pos=[t.pos_ for t in doc])
    assert doc_content_tokens(table, 3) == doc_content_tokens(doc, 3) == [
        ("onbewust", 3, 11), ("racisme", 12, 19), ("bestaan", 20, 27)]


def test_no_analysis_run_means_no_token_tables(settings: Settings, store: Store) -> None:
    from tests.test_app_terms import ingest

    ingest(settings, store)
    assert cached_token_tables(store, settings.paths.cache_dir, store.stored_utterances()) == {}


@pytest.mark.slow
def test_lemmas_come_from_the_token_cache_of_the_analysis(settings: Settings,
                                                          store: Store) -> None:
    """After `focuslex analyse` the content tokens are lemmas read from its token cache
    (no model needed), and collocations run on the matcher's own hits."""
    run_analysis = pytest.importorskip("pipeline.terms.run").run_analysis
    from tests.test_app_terms import ingest

    ingest(settings, store)
    run_analysis(settings, store)
    utterances = store.stored_utterances()
    tables = cached_token_tables(store, settings.paths.cache_dir, utterances)
    assert set(tables) == {(u.document_id, u.index) for u in utterances}
    segments = text_segments(utterances, tables)
    keys = {t[0] for s in segments for t in s.tokens}
    assert "vragen" in keys and "vraagt" not in keys  # 'Integratie vraagt inzet'
    texts = document_texts(store)
    surfaces = {(key, texts[s.document_id][start:end]) for s in segments
                for key, start, end in s.tokens}
    assert ("vragen", "vraagt") in surfaces  # offsets point into the stored text
    hits = load_hits(store)
    out = find_collocations(segments, hits, min_count=1, by_group=True)
    assert set(out["term_id"]) >= {"integratie"}
    assert out["log_dice"].le(14 + math.log2(2)).all()
