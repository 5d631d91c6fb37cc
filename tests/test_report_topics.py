"""The topics and activities sections of a report (`pipeline.reports.topic_sections`) on the
demo corpus with topics fitted (fast settings: PCA + k-means) and activities suggested:
labels, keywords, quotes of the topic itself, shares with thin-cell warnings, the charts,
confirmed activities only unless `unconfirmed`, the run record, HTML and XLSX, reproducible,
leak-scanned."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json

import openpyxl
import pytest

from lexicon.io import load_seed
from lexicon.store import LexiconStore
from pipeline.activities.suggest import CONFIRMED, decide, suggest_activities
from pipeline.activities.tables import load_suggestions
from pipeline.core.errors import FocuslexError
from pipeline.core.records import DocumentMeta
from pipeline.core.settings import Settings, TopicSettings, load_settings
from pipeline.ingest.service import Ingestor, collect_requests
from pipeline.ingest.sheets import read_participants
from pipeline.privacy.leaks import leak_scanner
from pipeline.reports.build import make_report
from pipeline.reports.context import ReportOptions
from pipeline.reports.export import export_report
from pipeline.reports.model import Chart, Quote, Section, Table, section_lines
from pipeline.reports.quality import ACTIVITY_FIGURES, TOPIC_FIGURES
from pipeline.reports.render_tables import render_xlsx
from pipeline.store.database import Store
from pipeline.terms.run import run_analysis
from pipeline.topics.curation import hide_topic, merge_topics, rename_topic, unmerge_topic
from pipeline.topics.run import run_topics
from pipeline.topics.tables import load_topic_units, load_topics
from tests.test_reports import DEMO, REPO, TERMS, WHEN

FAST = TopicSettings(reduction="pca", clustering="kmeans", n_topics=6, seed=7)


@pytest.fixture(scope="module")
def fitted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Store, dict]:
    """The demo corpus analysed, topics fitted, activities suggested; one suggestion
    confirmed (`chosen`) and another left open (`open`)."""
    settings = dataclasses.replace(load_settings(base_dir=tmp_path_factory.mktemp("rt")),
                                   topics=FAST)
    store = Store(settings.database_url)
    LexiconStore(store).import_entries(load_seed(), by="comité", why="startlexicon")
    ingest = Ingestor(settings, store, read_participants(DEMO / "participants.csv",
                                                         settings.ingest))
    assert ingest.ingest(collect_requests([DEMO], DocumentMeta(), settings)).ok
    run_analysis(settings, store)
    run_topics(settings, store)
    suggest_activities(settings, store)
    best = load_suggestions(store)
    best = best[best["rank"] == 1].sort_values(["score", "document", "start"],
                                                ascending=[False, True, True])
    chosen, other = best.iloc[0], best[best["text"] != best.iloc[0]["text"]].iloc[0]
    decide(store, int(chosen.document_id), int(chosen.start), int(chosen.end),
           chosen.activity, CONFIRMED, "Comitélid")
    yield settings, store, {"chosen": chosen, "open": other}
    store.close()


def options(**changes: object) -> ReportOptions:
    return dataclasses.replace(ReportOptions(terms=TERMS, author="Test", created=WHEN),
                               **changes)


def section(report, key: str) -> Section:
    return next(s for s in report.sections if s.key == key)


def texts(top: Section) -> str:
    return "\n".join(line for _, s in top.walk() for line in section_lines(s))


@pytest.fixture(scope="module")
def report(fitted):
    settings, store, _ = fitted
    return make_report(store, settings, options())


def test_sections_sit_between_terms_and_lexicon(report) -> None:
    assert [s.key for s in report.sections] == ["analysed", "terms", "topics", "activities",
                                                "lexicon", "methods", "record"]


def test_topics_have_labels_keywords_own_quotes_and_charts(fitted, report) -> None:
    _, store, _ = fitted
    topics = section(report, "topics")
    stored = load_topics(store)
    first = stored.sort_values("size", ascending=False).iloc[0]
    sub = next(s for s in topics.subsections if s.title == first["label"])
    assert first["words"][0] in texts(sub)
    units = load_topic_units(store)
    quotes = [b for b in sub.blocks if isinstance(b, Quote)]
    assert 1 <= len(quotes) <= 2
    # every quote is a unit of that very topic, nearest its centre first
    for quote in quotes:
        assert set(units.loc[units["text"] == quote.text, "topic"]) == {first["topic"]}
    assert quotes[0].text == first["quotes"][0]
    charts = {c.key: c for c in topics.blocks if isinstance(c, Chart)}
    assert set(charts) == {"onderwerpen-groep", "onderwerpen-groep-ronde"}
    heat = charts["onderwerpen-groep-ronde"]
    assert sum(row[2] for row in heat.data) == len(units)
    tables = {t.key: t for t in topics.blocks if isinstance(t, Table)}
    assert tables["onderwerpen-round"].columns[1] == "ronde 1"


def test_hidden_topic_left_out_and_merged_topic_shown_under_its_target(fitted) -> None:
    settings, store, _ = fitted
    stored = load_topics(store).sort_values("topic")
    hidden, source, target = (stored.iloc[i] for i in (0, 1, 2))
    hide_topic(store, int(hidden.topic), "comité")
    merge_topics(store, int(source.topic), int(target.topic), "comité")
    rename_topic(store, int(target.topic), "Werk en stage", "comité")
    try:
        topics = section(make_report(store, settings, options()), "topics")
        titles = [s.title for s in topics.subsections]
        assert hidden.label not in titles and source.label not in titles
        merged = next(s for s in topics.subsections if s.title == "Werk en stage")
        assert f"Samengevoegd met: {source.label}" in texts(merged)
        assert hidden.label not in texts(topics)
    finally:
        hide_topic(store, int(hidden.topic), "comité", hidden=False)
        unmerge_topic(store, int(source.topic), "comité")
        rename_topic(store, int(target.topic), "", "comité")


def test_thin_cells_are_warned_and_a_selection_narrows_the_topics(fitted) -> None:
    settings, store, _ = fitted
    thin = dataclasses.replace(settings, topics=dataclasses.replace(FAST, min_cell_units=400))
    topics = section(make_report(store, thin, options(groups=("media",), rounds=(1,),
                                                    terms=("integratie",))),
                     "topics")
    by_group = next(b for b in topics.blocks if isinstance(b, Table)
                    and b.key == "onderwerpen-group")
    assert by_group.columns[1:] == ("media",)
    assert "te weinig om er iets over te zeggen" in by_group.note
    heat = next(b for b in topics.blocks if isinstance(b, Chart)
                and b.key == "onderwerpen-groep-ronde")
    assert {(row[0], row[1]) for row in heat.data} == {("media", "1")}


def test_activities_show_only_confirmed_unless_asked(fitted, report) -> None:
    settings, store, picked = fitted
    chosen, other = picked["chosen"], picked["open"]
    shown = texts(section(report, "activities"))
    assert chosen.text in shown and other.text not in shown
    assert "niet bevestigd" not in shown.replace("Onbevestigde", "")
    wide = make_report(store, settings, options(unconfirmed=True))
    activities = section(wide, "activities")
    quotes = [b for _, s in activities.walk() for b in s.blocks if isinstance(b, Quote)]
    mine = next(q for q in quotes if q.text == chosen.text)
    assert mine.note == ""
    marked = [q for q in quotes if q.note.startswith("niet bevestigd")]
    assert marked and all(q.text != chosen.text for q in marked)
    assert "(+" in texts(activities)


def test_no_confirmed_activity_no_section(fitted) -> None:
    settings, store, _ = fitted
    built = make_report(store, settings, options(groups=("media",), terms=("integratie",)))
    keys = [s.key for s in built.sections]
    media = load_suggestions(store)
    assert not ((media["group"] == "media") & (media["status"] == CONFIRMED)).any()
    assert "activities" not in keys and "topics" in keys
    methods = texts(section(built, "methods"))
    assert "zes activiteiten van het systeemmodel maakte geen deel" in methods


def test_methods_and_run_record_name_embedder_settings_seed_and_figures(report) -> None:
    methods = texts(section(report, "methods"))
    record = report.record.as_dict()
    assert "BERTopic" in methods and f"embedder '{record['topics']['embedder']}'" in methods
    assert "seed 7" in methods and "reductie pca" in methods
    assert "bevestigde" in methods
    for figure in (*TOPIC_FIGURES, *ACTIVITY_FIGURES):
        assert figure.figure in methods
        assert figure.evidence in (REPO / figure.source).read_text(encoding="utf-8")
    assert record["topics"]["settings"]["seed"] == 7
    assert record["topics"]["settings"]["clustering"] == "kmeans"
    assert record["topics"]["embedder"] and record["activities"]["embedder"]
    assert "seed 7" in texts(section(report, "record"))


def test_html_and_xlsx_hold_the_sections(fitted, report) -> None:
    settings, store, picked = fitted
    html = export_report(report, "html", leak_scanner(settings)).decode("utf-8")
    assert 'id="topics"' in html and 'id="activities"' in html
    assert 'id="grafiek-onderwerpen-groep-ronde"' in html and "<svg" in html
    assert picked["chosen"].text.replace('"', "&#34;")[:40] in html
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    values = [str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
              for v in row if v is not None]
    assert any(name.startswith("Aandeel per stakeholder") for name in book.sheetnames)
    assert any(v == "Grondrechten garanderen" for v in values)
    record = json.loads(report.record.to_json())
    assert record["topics"]["settings"]["reduction"] == "pca"


def test_reproducible_and_leak_scanned(fitted, report) -> None:
    settings, store, _ = fitted
    scanner = leak_scanner(settings)
    first = export_report(make_report(store, settings, options()), "html", scanner)
    again = export_report(make_report(store, settings, options()), "html", scanner)
    assert again == first
    topics = section(report, "topics")
    sub = topics.subsections[0]
    quote = next(b for b in sub.blocks if isinstance(b, Quote))
    planted = dataclasses.replace(sub, blocks=tuple(
        dataclasses.replace(b, before="zei Dirk Goossens toen.") if b is quote else b
        for b in sub.blocks))
    topics = dataclasses.replace(topics, subsections=(planted, *topics.subsections[1:]))
    leaky = dataclasses.replace(report, sections=tuple(
        topics if s.key == "topics" else s for s in report.sections))
    with pytest.raises(FocuslexError) as caught:
        export_report(leaky, "html", scanner)
    assert caught.value.code == "FX-REP-003" and "Goossens" not in caught.value.message
    assert dt.datetime.fromisoformat(report.record.created) == WHEN
