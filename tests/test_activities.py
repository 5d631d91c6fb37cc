"""The six activities: stable ids and labels in step with the lexicon; suggestions per unit
with a score (embedding similarity plus the lexicon's `activities` field); confirm and
reject with who and when, never counted as facts before; the matrix with quotes; the
per-document table; the export; the CLI."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from lexicon.model import ACTIVITIES as LEXICON_ACTIVITIES
from pipeline.activities.charts import activity_matrix_chart
from pipeline.activities.model import ACTIVITIES, ACTIVITY_IDS, BY_LEXICON_LABEL, activity
from pipeline.activities.suggest import (CONFIRMED, REJECTED, SUGGESTED, activity_texts,
                                         activity_vectors, decide, score_texts, score_units,
                                         suggest_activities, term_links)
from pipeline.activities.tables import (EXPORT_COLUMNS, activity_matrix, document_activities,
                                        export_activities, load_suggestions)
from pipeline.cli.main import cli
from pipeline.core.errors import FocuslexError
from pipeline.core.settings import NlpSettings, Settings
from pipeline.nlp.loader import load_pipeline
from pipeline.store.activities import ActivityStore
from pipeline.store.database import Store
from pipeline.topics.embeddings import CachedEmbedder, load_encoder
from pipeline.topics.run import load_units
from tests.topics_fixture import THEMES, fast_settings, fitted_store

LABEL_DATA = Path(__file__).resolve().parent.parent / "benchmarks" / "data"


@pytest.fixture(scope="module")
def fitted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Store]:
    settings = fast_settings(tmp_path_factory.mktemp("activities"))
    store = fitted_store(settings, load_pipeline(Settings(nlp=NlpSettings(model=""))))
    yield settings, store
    store.close()


def test_six_activities_with_stable_ids_and_the_lexicons_labels():
    assert ACTIVITY_IDS == ("grondrechten", "handelingsvermogen", "herverdelen", "meerwaarde",
                            "levenskwaliteit", "vertrouwen")
    assert set(BY_LEXICON_LABEL) == set(LEXICON_ACTIVITIES)
    assert activity("herverdelen").label == "Herverdelen"
    assert all(a.description.count(".") >= 2 and len(a.prototypes) >= 4 for a in ACTIVITIES)
    with pytest.raises(FocuslexError) as error:
        activity("solidariteit")
    assert error.value.code == "FX-ACT-002" and "grondrechten" in error.value.message


def _word_runs(text: str, length: int) -> set[tuple[str, ...]]:
    words = re.findall(r"[^\W\d_]+", text.lower())
    return {tuple(words[i:i + length]) for i in range(len(words) - length + 1)}


def test_activity_texts_are_not_copied_from_the_hand_labels():
    """No description or prototype shares a run of six words with a hand-labelled sentence
    of the benchmarks."""
    labelled = [json.loads(line)["text"] for path in sorted(LABEL_DATA.glob("activity_*.jsonl"))
                for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(labelled) >= 138
    runs = set().union(*(_word_runs(text, 6) for text in labelled))
    for item in ACTIVITIES:
        assert len(set(activity_texts(item))) == len(activity_texts(item))
        for text in activity_texts(item):
            assert not _word_runs(text, 6) & runs, (item.id, text)


def test_top_k_averages_the_best_similarities():
    unit = np.array([[0.8, 0.6, 0.0, 0.0, 0.0, 0.0]])
    vectors = [np.eye(6)[[0, 1, 2]]] + [np.eye(6)[[j]] for j in range(1, 6)]
    for top_k, expected in ((1, 0.8), (2, 0.7), (3, 1.4 / 3), (9, 1.4 / 3)):
        assert score_units(unit, vectors, [{}], 0.0, top_k)[0, 0] == pytest.approx(expected)


def test_every_unit_gets_scored_suggestions(fitted):
    settings, store = fitted
    frame = load_suggestions(store)
    assert len(frame) == 30 * settings.activities.per_unit
    assert set(frame["status"]) == {SUGGESTED}
    assert set(frame["activity"]) <= set(ACTIVITY_IDS)
    for _, unit in frame.groupby(["document_id", "start"]):
        assert list(unit["rank"]) == [1, 2] and unit["score"].iloc[0] >= unit["score"].iloc[1]


def test_best_suggestions_fit_the_themes(fitted):
    """Housing sentences lean to housing-related activities, not to building trust."""
    _, store = fitted
    best = load_suggestions(store)
    best = best[best["rank"] == 1]
    housing = best[[THEMES.get(next((p for p in THEMES if t in p), ""), "") == "wonen"
                    for t in best["text"]]]
    assert len(housing) == 10
    share = housing["activity"].isin(["herverdelen", "levenskwaliteit", "grondrechten"]).mean()
    assert share >= 0.7


def test_lexicon_activities_add_to_the_score(fitted):
    settings, store = fitted
    units = load_units(settings, store)
    links = term_links(units, store)
    linked = [(i, link) for i, link in enumerate(links) if link]
    assert linked, "the seed lexicon links terms such as discriminatie to activities"
    vectors = [np.eye(6)[[j, j]] for j in range(6)]
    plain = score_units(np.eye(len(units), 6), vectors, [{}] * len(units), 0.5)
    bonus = score_units(np.eye(len(units), 6), vectors, links, 0.5)
    i, link = linked[0]
    for activity_id, terms in link.items():
        j = ACTIVITY_IDS.index(activity_id)
        assert bonus[i, j] - plain[i, j] == pytest.approx(0.5 * len(terms))


def test_free_sentences_are_scored_like_stored_units(fitted):
    """A sentence that is not stored gets its terms and scores by the same path as a unit:
    a stored unit's own text scores the same, and a new sentence finds its lexicon terms."""
    settings, store = fitted
    units = load_units(settings, store)
    links = term_links(units, store)
    i = next(i for i, link in enumerate(links) if link)
    free = "Wie discriminatie op de huurmarkt meldt, moet horen wat ermee gebeurt."
    scores, free_links = score_texts(settings, store, [units[i].text, free])
    assert free_links[0] == links[i]
    assert "discriminatie" in free_links[1].get("grondrechten", [])
    embedder = CachedEmbedder(load_encoder(settings.topics.embedder), settings.paths.cache_dir)
    stored = score_units(embedder.embed([units[i].text]), activity_vectors(embedder),
                         [links[i]], settings.activities.lexicon_weight,
                         settings.activities.top_k)
    assert np.allclose(scores[0], stored[0], atol=1e-5)
    assert scores.shape == (2, len(ACTIVITY_IDS))


def test_confirm_and_reject_are_stored_with_who_and_when(fitted):
    _, store = fitted
    row = load_suggestions(store).iloc[0]
    key = (int(row["document_id"]), int(row["start"]), int(row["end"]))
    before = activity_matrix(store)
    assert before["confirmed"].sum() == 0  # nothing is a fact before a person confirms it
    decide(store, *key, row["activity"], CONFIRMED, "Commissielid A")
    after = load_suggestions(store).iloc[0]
    assert after["status"] == CONFIRMED and after["decided_by"] == "Commissielid A"
    assert after["decided_at"] is not None
    matrix = activity_matrix(store).set_index(["activity", "group"])
    cell = matrix.loc[(row["activity"], row["group"])]
    assert cell["confirmed"] == 1 and cell["quotes"][0]["status"] == CONFIRMED
    assert cell["quotes"][0]["text"] == row["text"]
    other = [q for q in cell["quotes"][1:]]
    assert all(q["status"] == SUGGESTED for q in other)
    decide(store, *key, row["activity"], REJECTED, "Commissielid B")
    assert load_suggestions(store).iloc[0]["status"] == REJECTED
    assert [d["by"] for d in ActivityStore(store).decisions()] == ["Commissielid A",
                                                                   "Commissielid B"]
    decide(store, *key, row["activity"], CONFIRMED, "Commissielid A")


def test_decisions_are_checked(fitted):
    _, store = fitted
    row = load_suggestions(store).iloc[1]
    key = (int(row["document_id"]), int(row["start"]), int(row["end"]))
    for activity_id, status, by, code in (
            ("solidariteit", CONFIRMED, "A", "FX-ACT-002"),
            (row["activity"], "misschien", "A", "FX-ACT-003"),
            (row["activity"], CONFIRMED, " ", "FX-TOP-007")):
        with pytest.raises(FocuslexError) as error:
            decide(store, *key, activity_id, status, by)
        assert error.value.code == code
    missing = next(a for a in ACTIVITY_IDS
                   if not ActivityStore(store).has_suggestion(*key, a))
    with pytest.raises(FocuslexError) as error:
        decide(store, *key, missing, CONFIRMED, "A")
    assert error.value.code == "FX-ACT-005"


def test_decisions_outlive_new_suggestions(fitted):
    settings, store = fitted
    confirmed = load_suggestions(store)
    confirmed = confirmed[confirmed["status"] == CONFIRMED]
    assert len(confirmed) == 1
    suggest_activities(settings, store)
    again = load_suggestions(store)
    assert (again["status"] == CONFIRMED).sum() == 1


def test_matrix_documents_export_and_chart(fitted):
    settings, store = fitted
    matrix = activity_matrix(store)
    assert len(matrix) == 6 * 4
    assert (matrix["confirmed"] + matrix["suggested"] + matrix["rejected"]).sum() == 30
    assert all(len(q) <= 3 for q in matrix["quotes"])
    documents = document_activities(store)
    assert set(documents["document"]) == {"ronde1.txt", "ronde2.txt"}
    assert documents.groupby("document")["units"].sum().tolist() == [15, 15]
    text, count = export_activities(store, "csv", settings)
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert tuple(rows[0]) == EXPORT_COLUMNS and count == 60
    assert {r["status"] for r in rows} == {SUGGESTED, CONFIRMED}
    assert {r["activity"] for r in rows} <= set(ACTIVITY_IDS)
    line = json.loads(export_activities(store, "jsonl", settings)[0].splitlines()[0])
    assert list(line) == list(EXPORT_COLUMNS) and isinstance(line["score"], float)
    chart = activity_matrix_chart(matrix).to_dict()
    assert "vega-lite" in chart["$schema"]


def test_cli_suggest_and_export(fitted, tmp_path: Path):
    settings, _ = fitted
    settings_file = tmp_path / "settings.toml"
    settings_file.write_text(f'[paths]\ndata_dir = "{settings.paths.data_dir}"\n',
                             encoding="utf-8")
    runner = CliRunner()
    base = ["--settings", str(settings_file)]
    result = runner.invoke(cli, base + ["activities", "suggest"])
    assert result.exit_code == 0 and "60 voorgestelde activiteiten voor 30" in result.output
    out = tmp_path / "act.jsonl"
    result = runner.invoke(cli, base + ["activities", "export", "--format", "jsonl",
                                        "--out", str(out)])
    assert result.exit_code == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 60
    empty = tmp_path / "leeg.toml"
    empty.write_text('[paths]\ndata_dir = "leeg"\n', encoding="utf-8")
    result = runner.invoke(cli, ["--settings", str(empty), "activities", "export",
                                 "--format", "csv"])
    assert result.exit_code == 2 and "FX-ACT-001" in result.output
