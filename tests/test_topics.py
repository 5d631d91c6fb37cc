"""Topics: units from stored turns (facilitators and back-channels left out, offsets into the
stored text, lemmas from the analysis' token tables), the embedding cache, a fit with fast
settings that separates the fixture's themes and gives the same topics twice, the per-group
and per-round tables with their warnings, curation that survives a refit, the export, the
charts, and (slow) the default UMAP + HDBSCAN settings."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import altair as alt
import pytest
from click.testing import CliRunner
from sklearn.metrics import adjusted_rand_score

from pipeline.cli.main import cli
from pipeline.core.errors import FocuslexError
from pipeline.nlp.loader import load_pipeline
from pipeline.core.settings import NlpSettings, Settings, TopicSettings
from pipeline.store.database import Store
from pipeline.store.topics import TopicStore
from pipeline.topics.charts import (chart_svg, group_round_heatmap, topic_bars_chart,
                                    topic_map_chart)
from pipeline.topics.curation import (Curated, apply_curation, hide_topic, merge_topics,
                                      rename_topic)
from pipeline.topics.embeddings import CachedEmbedder, load_encoder
from pipeline.topics.model import cluster_size
from pipeline.topics.run import load_units, run_topics
from pipeline.topics.tables import (EXPORT_COLUMNS, export_topics, group_round_table,
                                    load_topic_units, load_topics, thin_cells, topic_table)
from tests.topics_fixture import THEMES, fast_settings, fitted_store, ingest_fixture

@pytest.fixture(scope="module")
def nlp():
    return load_pipeline(Settings(nlp=NlpSettings(model="")))


@pytest.fixture(scope="module")
def fitted(tmp_path_factory: pytest.TempPathFactory, nlp) -> tuple[Settings, Store]:
    settings = fast_settings(tmp_path_factory.mktemp("topics"))
    store = fitted_store(settings, nlp)
    yield settings, store
    store.close()


def theme(text: str) -> str:
    return next((name for paragraph, name in THEMES.items() if text in paragraph), "?")


def test_units_leave_out_facilitators_and_back_channels(fitted):
    settings, store = fitted
    units = load_units(settings, store)
    assert len(units) == 30  # 6 participant turns x 5 sentences; "Ja, klopt." etc. left out
    assert not any(u.speaker and u.speaker.startswith("FAC") for u in units)
    assert not any(u.text.startswith(("Ja", "Euh", "Hm")) for u in units)
    texts = {d.id: d.text for d in store.documents()}
    for u in units:
        assert texts[u.document_id][u.start:u.end] == u.text
        assert u.group in {"lokaal bestuur", "vakbond", "onderwijs", "werkgeversorganisatie"}
        assert u.round in (1, 2)
    assert [u.key for u in units] == sorted([u.key for u in units], key=lambda k: (
        {d.id: d.file_name for d in store.documents()}[k[0]], k[1]))


def test_unit_lemmas_come_from_the_token_tables(fitted):
    settings, store = fitted
    lemmas = " ".join(u.lemmas for u in load_units(settings, store)).split()
    assert "woning" in lemmas and "woningen" not in lemmas  # "woningen" lemmatised
    assert "kandidaat" in lemmas


def test_sentence_chunks_respect_the_word_limit(fitted):
    settings, store = fitted
    chunked = load_units(replace(settings, topics=replace(settings.topics, unit_words=40)),
                         store)
    assert 6 <= len(chunked) < 30
    assert all(len(u.text.split()) <= 40 or u.text.count(".") <= 1 for u in chunked)


def test_embeddings_are_cached_per_text(tmp_path: Path):
    embedder = CachedEmbedder(load_encoder("use"), tmp_path)
    first = embedder.embed(["De wachtlijst is lang.", "Werk zoeken is moeilijk.",
                            "De wachtlijst is lang."])
    assert first.shape == (3, 512) and embedder.computed == 2
    again = CachedEmbedder(load_encoder("use"), tmp_path)
    second = again.embed(["Werk zoeken is moeilijk.", "De wachtlijst is lang."])
    assert again.computed == 0
    assert (second == first[[1, 0]]).all()
    assert len(list((tmp_path / "embeddings" / "use").rglob("*.npy"))) == 2


def test_unknown_encoder_and_setting_say_what_to_do(fitted):
    with pytest.raises(FocuslexError) as error:
        load_encoder("bert")
    assert error.value.code == "FX-TOP-002"
    settings, store = fitted
    with pytest.raises(FocuslexError) as error:
        run_topics(replace(settings, topics=replace(settings.topics, clustering="lda")), store)
    assert error.value.code == "FX-TOP-002" and "hdbscan, kmeans" in error.value.message


def test_fit_separates_the_themes_and_is_reproducible(fitted):
    settings, store = fitted
    units = load_topic_units(store)
    gold = [theme(t) for t in units["text"]]
    assert "?" not in gold
    assert adjusted_rand_score(gold, list(units["topic"])) >= 0.8
    words = {r["topic"]: r["words"] for r in TopicStore(store).topics()}
    run_topics(settings, store)
    again = load_topic_units(store)
    assert list(again["topic"]) == list(units["topic"])
    assert {r["topic"]: r["words"] for r in TopicStore(store).topics()} == words
    assert store.last_run("topics").details["outlier_share"] == 0.0  # k-means: no outliers


def test_topics_have_words_examples_and_a_place(fitted):
    _, store = fitted
    topics = load_topics(store)
    assert len(topics) == 3 and topics["size"].sum() == 30
    for row in topics.itertuples():
        assert row.words and not set(row.words) & {"de", "het", "een", "euh", "allee"}
        assert len(row.quotes) == 3 and all(isinstance(q, str) for q in row.quotes)
    assert len({(round(x, 3), round(y, 3)) for x, y in zip(topics["x"], topics["y"])}) == 3


def test_tables_per_group_and_round(fitted):
    settings, store = fitted
    by_round = topic_table(store, "round")
    assert set(by_round["round"]) == {"1", "2"}
    for _, cell in by_round.groupby("round"):
        assert cell["share"].sum() == pytest.approx(1.0)
        assert (cell["cell_units"] == 15).all()
    by_group = topic_table(store, "group")
    assert set(by_group["group"]) == {"lokaal bestuur", "vakbond", "onderwijs",
                                      "werkgeversorganisatie"}
    assert any(by_group["words"].map(len))  # BERTopic's topics_per_class words
    warnings = thin_cells(by_group, "group", settings.topics.min_cell_units)
    assert any("werkgeversorganisatie" in w and "maar 5" in w for w in warnings)
    assert not thin_cells(by_round, "round", settings.topics.min_cell_units)
    heat = group_round_table(store)
    assert heat["units"].sum() == 30 and set(heat["round"]) == {"1", "2"}


def test_curation_is_stored_and_applied_after_a_refit(fitted):
    settings, store = fitted
    topics = load_topics(store)
    first, second, third = (int(t) for t in topics["topic"])
    with pytest.raises(FocuslexError) as error:
        rename_topic(store, first, "Werk", by="  ")
    assert error.value.code == "FX-TOP-007"
    rename_topic(store, first, "Gekozen naam", by="Commissielid A")
    hide_topic(store, second, by="Commissielid A")
    merge_topics(store, third, first, by="Commissielid B")
    run_topics(settings, store)  # a refit: the same words come back
    curated = load_topics(store).set_index("topic")
    assert curated.loc[first, "label"] == "Gekozen naam"
    assert bool(curated.loc[second, "hidden"])
    assert curated.loc[third, "merged_into"] == first and curated.loc[third, "size"] == 0
    units = load_topic_units(store)
    assert third not in set(units["topic"]) and (units["topic"] == first).sum() == 20
    steps = TopicStore(store).curation()
    assert [s["by"] for s in steps] == ["Commissielid A", "Commissielid A", "Commissielid B"]
    with pytest.raises(FocuslexError) as error:
        merge_topics(store, first, first, by="B")
    assert error.value.code == "FX-TOP-009"
    with pytest.raises(FocuslexError) as error:
        hide_topic(store, 99, by="B")
    assert error.value.code == "FX-TOP-006"
    hide_topic(store, second, by="A", hidden=False)  # visible again for the other tests


def test_curation_follows_the_words_when_numbers_change():
    steps = [{"action": "rename", "words": ["woning", "huur", "wachtlijst"], "label": "Wonen",
              "target_words": []},
             {"action": "hide", "words": ["euh", "ja", "allee"], "label": "",
              "target_words": []}]
    before = apply_curation({0: ["woning", "huur", "wachtlijst"], 1: ["werk", "job"]}, steps)
    after = apply_curation({0: ["werk", "job"], 1: ["werk", "stage"],
                            2: ["woning", "huur", "verhuurder", "wachtlijst"]}, steps)
    assert before[0] == Curated(0, "Wonen") and after[2] == Curated(2, "Wonen")
    assert after[0] == Curated(0) and after[1] == Curated(1)  # unmatched steps are skipped


def test_export_in_both_formats(fitted):
    settings, store = fitted
    text, count = export_topics(store, "csv", settings)
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert tuple(rows[0]) == EXPORT_COLUMNS and count == len(rows) == 30
    assert {r["outlier"] for r in rows} == {"false"} and rows[0]["unit"].count(":") == 1
    text, _ = export_topics(store, "jsonl", settings)
    first = json.loads(text.splitlines()[0])
    assert list(first) == list(EXPORT_COLUMNS) and isinstance(first["topic"], int)
    with pytest.raises(FocuslexError) as error:
        export_topics(store, "xml", settings)
    assert error.value.code == "FX-TOP-005"


def test_charts_are_vega_lite_and_render_without_a_browser(fitted):
    _, store = fitted
    charts = [topic_map_chart(load_topics(store)), topic_bars_chart(topic_table(store, "group"),
                                                                    "group"),
              topic_bars_chart(topic_table(store, "round"), "round"),
              group_round_heatmap(group_round_table(store))]
    for chart in charts:
        assert isinstance(chart, (alt.Chart, alt.LayerChart, alt.FacetChart))
        assert "vega-lite" in chart.to_dict()["$schema"]
    svg = chart_svg(charts[1])
    assert svg.startswith("<svg") and "Onderwerpen per stakeholdergroep" in svg


def test_cli_fit_show_export(tmp_path: Path, nlp):
    settings_file = tmp_path / "settings.toml"
    settings_file.write_text('[paths]\ndata_dir = "data"\n\n[nlp]\nmodel = ""\n\n[topics]\n'
                             'reduction = "pca"\nclustering = "kmeans"\nn_topics = 3\n'
                             'min_unit_words = 5\n', encoding="utf-8")
    settings = fast_settings(tmp_path)
    store = Store(settings.database_url)
    ingest_fixture(settings, store)
    store.close()
    runner = CliRunner()
    base = ["--settings", str(settings_file)]
    result = runner.invoke(cli, base + ["topics", "show"])
    assert result.exit_code == 2 and "FX-TOP-004" in result.output
    result = runner.invoke(cli, base + ["analyse", "--no-topics"])
    assert result.exit_code == 0 and "onderwerpen" not in result.output
    result = runner.invoke(cli, base + ["topics", "fit"])
    assert result.exit_code == 0 and "3 onderwerpen in 30 fragmenten" in result.output
    result = runner.invoke(cli, base + ["topics", "show", "--by", "group"])
    assert result.exit_code == 0 and "werkgeversorganisatie" in result.output
    assert "te weinig" in result.output
    out = tmp_path / "uit" / "topics.csv"
    result = runner.invoke(cli, base + ["topics", "export", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0
    # a file for Belgian Excel: byte-order mark, ";" between cells
    assert out.read_text(encoding="utf-8").startswith("\ufeff" + ";".join(EXPORT_COLUMNS))
    assert "30 fragmenten geschreven naar" in result.stderr


@pytest.mark.slow
def test_default_umap_hdbscan_fit_is_reproducible(fitted):
    """The default settings (UMAP + HDBSCAN, outliers reduced) on the fixture, twice."""
    settings, store = fitted
    defaults = replace(settings, topics=replace(Settings().topics, min_cluster_size=5,
                                                min_samples=2, n_neighbors=8))
    report = run_topics(defaults, store)
    first = list(load_topic_units(store)["topic"])
    again = run_topics(defaults, store)
    assert list(load_topic_units(store)["topic"]) == first
    assert report.topics >= 2 and -1 not in first  # outliers were given a topic
    assert again.outlier_share == report.outlier_share
    assert Counter(first).most_common(1)[0][1] < len(first)


def test_smallest_topic_grows_with_the_corpus():
    """HDBSCAN's smallest topic: min_cluster_size units, or min_cluster_share of the units
    when that is more, so a ten times larger corpus does not get ten times more topics."""
    settings = TopicSettings()
    assert cluster_size(settings, 2_000) == 15
    assert cluster_size(settings, 16_566) == 124
    assert cluster_size(replace(settings, min_cluster_size=0, min_cluster_share=0.0), 50) == 2
