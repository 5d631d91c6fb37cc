"""Comparison across groups and rounds: keyness (checked by hand), dispersion, matrices."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest

from pipeline.analysis.comparison import (DISPERSION_COLUMNS, KEYNESS_COLUMNS, MATRIX_COLUMNS,
                                          NO_ROUND, dispersion, group_round_table, keyness,
                                          round_key, term_matrix, word_counts, words_by)
from pipeline.analysis.stats import frequency_g2 as log_likelihood
from pipeline.analysis.stats import log_ratio, p_value, pct_diff
from pipeline.analysis.concordance import HIT_COLUMNS, empty_hits
from pipeline.core.records import StoredUtterance
from pipeline.ingest.service import IngestRequest, Ingestor
from pipeline.ingest.readers import SourceFile
from pipeline.core.settings import Settings
from pipeline.ingest.sheets import read_participants
from pipeline.core.settings import IngestSettings
from pipeline.store.database import Store
from pipeline.core.records import DocumentMeta
from tests.conftest import INGEST

DEFAULT_INGEST = IngestSettings()  # the participants sheets of these tests are small


# -- statistics by hand ----------------------------------------------------------------------

def test_log_likelihood_two_frequencies_by_hand() -> None:
    # 30 hits in 10,000 words against 10 in 20,000: E1 = 10000*40/30000 = 13.333,
    # E2 = 26.667; G² = 2(30 ln(30/13.333) + 10 ln(10/26.667)) = 2(24.3279 - 9.8083) = 29.0392
    assert log_likelihood(30, 10, 10_000, 20_000) == pytest.approx(29.0392, abs=1e-4)
    # the other way round: same size, used less -> negative
    assert log_likelihood(10, 30, 20_000, 10_000) == pytest.approx(-29.0392, abs=1e-4)


def test_log_likelihood_with_a_zero_frequency() -> None:
    # 0 in 1,000 against 12 in 2,000: E1 = 4, E2 = 8; G² = 2 * 12 ln(12/8) = 9.7312, negative
    assert log_likelihood(0, 12, 1_000, 2_000) == pytest.approx(-9.7312, abs=1e-4)
    assert log_likelihood(0, 0, 1_000, 2_000) == 0.0
    # same relative frequency: no difference at all
    assert log_likelihood(5, 10, 1_000, 2_000) == pytest.approx(0.0, abs=1e-12)


def test_p_value_at_the_usual_critical_values() -> None:
    assert p_value(3.841459) == pytest.approx(0.05, abs=1e-6)
    assert p_value(6.634897) == pytest.approx(0.01, abs=1e-6)
    assert p_value(-6.634897) == pytest.approx(0.01, abs=1e-6)
    assert p_value(0.0) == 1.0


def test_effect_sizes_by_hand() -> None:
    # 30/10,000 = 0.003 against 10/20,000 = 0.0005: ratio 6
    assert log_ratio(30, 10, 10_000, 20_000) == pytest.approx(math.log2(6))
    assert pct_diff(30, 10, 10_000, 20_000) == pytest.approx(500.0)
    # zero counts as 0.5 in log ratio: (0.5/1000) / (12/2000) = 1/12
    assert log_ratio(0, 12, 1_000, 2_000) == pytest.approx(-math.log2(12))
    assert pct_diff(0, 12, 1_000, 2_000) == pytest.approx(-100.0)
    assert pct_diff(3, 0, 1_000, 2_000) == math.inf
    assert pct_diff(0, 0, 1_000, 2_000) == 0.0


# -- frames ----------------------------------------------------------------------------------

def hit(term_id: str, group: str, round: int | None = 1, **values: Any) -> dict[str, Any]:
    row = {"document_id": 1, "document": "d.txt", "utterance_index": 0, "term_id": term_id,
           "label": term_id.replace("_", " "), "text": term_id, "start": 0, "end": 1,
           "sentence": "", "speaker": "P01", "group": group, "round": round,
           "compound_part": "", "negated": False, "mention": ""}
    row.update(values)
    return row


def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(HIT_COLUMNS))


WORDS = {"A": 10_000, "B": 15_000, "C": 5_000}


@pytest.fixture
def hits() -> pd.DataFrame:
    rows = ([hit("t", "A") for _ in range(30)] + [hit("t", "B", 2) for _ in range(10)]
            + [hit("t", "Z")]  # a group without words: left out
            + [hit("u", "C", None)])
    return frame(rows)


def test_keyness_per_group_against_the_rest(hits: pd.DataFrame) -> None:
    out = keyness(hits, WORDS, by="group")
    assert list(out.columns) == list(KEYNESS_COLUMNS)
    t = out[out["term_id"] == "t"].set_index("category")
    assert list(t.index) == ["A", "B", "C"]  # most characteristic first
    assert (t.loc["A", "hits"], t.loc["A", "words"], t.loc["A", "rest_hits"],
            t.loc["A", "rest_words"]) == (30, 10_000, 10, 20_000)
    assert t.loc["A", "per_10k"] == pytest.approx(30.0)
    assert t.loc["A", "rest_per_10k"] == pytest.approx(5.0)
    assert t.loc["A", "g2"] == pytest.approx(29.0392, abs=1e-4)
    assert t.loc["A", "log_ratio"] == pytest.approx(math.log2(6))
    assert t.loc["A", "pct_diff"] == pytest.approx(500.0)
    # C never uses t: 0 in 5,000 against 40 in 25,000; E1 = 6.667, E2 = 33.333;
    # G² = 2 * 40 ln(40/33.333) = 14.5857, negative
    assert t.loc["C", "hits"] == 0
    assert t.loc["C", "g2"] == pytest.approx(-14.5857, abs=1e-4)
    assert t.loc["C", "p"] < 0.001
    u = out[out["term_id"] == "u"].set_index("category")
    assert u.loc["C", "pct_diff"] == math.inf
    assert u.loc["C", "label"] == "u"


def test_keyness_per_round(hits: pd.DataFrame) -> None:
    words = {"1": 20_000, "2": 10_000, NO_ROUND: 1_000}
    out = keyness(hits, words, by="round")
    t = out[out["term_id"] == "t"].set_index("category")
    # t: 31 hits in round 1 (the group without words counts here), 10 in round 2
    assert t.loc["1", "hits"] == 31 and t.loc["2", "hits"] == 10
    assert t.loc[NO_ROUND, "hits"] == 0
    u = out[out["term_id"] == "u"].set_index("category")
    assert u.loc[NO_ROUND, "hits"] == 1 and u.loc[NO_ROUND, "g2"] > 0


def test_keyness_of_nothing() -> None:
    assert keyness(empty_hits(), WORDS).empty
    assert keyness(frame([hit("t", "A")]), {}).empty
    # one category: there is no rest to compare with
    only = keyness(frame([hit("t", "A")]), {"A": 100})
    assert only.loc[0, "g2"] == 0.0 and only.loc[0, "p"] == 1.0


def test_round_key() -> None:
    assert [round_key(v) for v in (1, 2.0, None, float("nan"), pd.NA)] == \
        ["1", "2", NO_ROUND, NO_ROUND, NO_ROUND]


def test_dispersion_counts_distinct_speakers_documents_groups_rounds() -> None:
    rows = [hit("t", "A", speaker="P01", document_id=1),
            hit("t", "A", speaker="P01", document_id=1),
            hit("t", "B", 2, speaker="P02", document_id=2),
            hit("t", "C", None, speaker=None, document_id=3),
            hit("u", "A", speaker="P03", document_id=1)]
    out = dispersion(frame(rows))
    assert list(out.columns) == list(DISPERSION_COLUMNS)
    t = out.set_index("term_id").loc["t"]
    # rounds 1 and 2 (hit() makes round 1 by default); document 3 has no round: no round,
    # counted apart
    assert (t["hits"], t["speakers"], t["documents"], t["groups"], t["rounds"],
            t["no_round_documents"]) == (4, 2, 3, 3, 2, 1)
    assert out.set_index("term_id").loc["u", "no_round_documents"] == 0
    assert list(out["term_id"]) == ["t", "u"]
    assert dispersion(empty_hits()).empty


def test_term_matrix_and_group_round_table(hits: pd.DataFrame) -> None:
    counts = pd.DataFrame({"group": ["A", "B", "B", "C"], "round": ["1", "1", "2", NO_ROUND],
                           "words": [10_000, 5_000, 10_000, 5_000]})
    long = term_matrix(hits, counts)
    assert list(long.columns) == list(MATRIX_COLUMNS)
    row = long[(long["term_id"] == "t") & (long["group"] == "A")].iloc[0]
    assert (row["round"], row["hits"], row["words"], row["per_10k"]) == ("1", 30, 10_000, 30.0)
    z = long[long["group"] == "Z"].iloc[0]
    assert z["words"] == 0 and math.isnan(z["per_10k"])

    t = hits[hits["term_id"] == "t"]
    table = group_round_table(t, counts)
    assert list(table.index) == ["A", "B", "C", "Z"]
    assert list(table.columns) == ["1", "2", NO_ROUND]
    assert table.loc["A", "1"] == 30 and table.loc["B", "2"] == 10
    assert table.loc["C", NO_ROUND] == 0  # a group with words but no hits: zero, not missing
    per = group_round_table(t, counts, per_10k=True)
    assert per.loc["B", "2"] == pytest.approx(10.0)
    assert per.loc["B", "1"] == pytest.approx(0.0)
    assert math.isnan(per.loc["A", "2"])  # A has no words in round 2
    assert group_round_table(empty_hits()).empty


def test_word_counts_agree_with_the_store_overview(settings: Settings, store: Store) -> None:
    Ingestor(settings, store, read_participants(INGEST / "participants.csv", DEFAULT_INGEST)).ingest(
        [IngestRequest(SourceFile("gesprek.txt", (INGEST / "gesprek.txt").read_bytes()),
                       DocumentMeta(round=2))])
    counts = word_counts(store.stored_utterances())
    status = store.status()
    assert words_by(counts, "group") == status["words_by_group"]
    assert words_by(counts, "round") == status["words_by_round"]


def test_word_counts_from_records() -> None:
    records = [StoredUtterance(1, 0, "een twee drie", 0, "P01", "A", 1),
               StoredUtterance(1, 1, "vier vijf", 15, "P02", "B", 1),
               StoredUtterance(2, 0, "zes", 0, None, "A", None)]
    counts = word_counts(records)
    assert words_by(counts, "group") == {"A": 4, "B": 2}
    assert words_by(counts, "round") == {"1": 5, NO_ROUND: 1}
    assert words_by(word_counts([]), "group") == {}


# -- focuslex terms compare ------------------------------------------------------------------

def test_cli_compare_table_and_csv(settings: Settings, store: Store) -> None:
    import csv
    import io

    from click.testing import CliRunner

    from pipeline.cli.main import cli
    from tests.test_app_terms import ingest, seed_hits

    runner = CliRunner()
    base = ["--db", settings.database_url, "terms", "compare"]
    result = runner.invoke(cli, base)
    assert result.exit_code == 2 and "FX-TRM-052" in result.output
    ingest(settings, store)
    seed_hits(store)
    result = runner.invoke(cli, base)
    assert result.exit_code == 0, result.output
    assert "integratie (integratie)" in result.output
    assert "discriminatie (discriminatie)" in result.output
    assert "per 10.000" in result.output and "vakbond" in result.output
    assert "facilitator" not in result.output  # a role, not a stakeholder group (issue 14)
    result = runner.invoke(cli, [*base, "--by", "round", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output), delimiter=";"))
    assert set(rows[0]) == {*KEYNESS_COLUMNS, "round"} - {"category"}
    integratie = {r["round"]: r for r in rows if r["term_id"] == "integratie"}
    assert set(integratie) == {"1", "2"}
    assert int(integratie["1"]["hits"]) == 5 and int(integratie["2"]["hits"]) == 2
    # words per round agree with the overview of the store
    assert {r: int(v["words"]) for r, v in integratie.items()} == store.status()["words_by_round"]
