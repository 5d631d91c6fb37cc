"""Stale results (issue 14): `pipeline.analysis.freshness` says when term hits, topics and
activities predate the last upload, review decision or lexicon change; `refresh_results`
brings them up to date; the pages show it as a banner with a button (AppTest). Fixtures:
the small Dutch test transcripts of tests/fixtures/ingest and the seed lexicon."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lexicon.io import load_seed
from lexicon.store import LexiconStore
from pipeline.activities.refresh import refresh_results
from pipeline.analysis.freshness import freshness
from pipeline.core.records import DocumentMeta
from pipeline.core.settings import IngestSettings, Settings
from pipeline.ingest.readers import SourceFile
from pipeline.ingest.service import IngestRequest, Ingestor
from pipeline.ingest.sheets import read_participants
from pipeline.privacy.review import reject_names
from pipeline.store.database import Store
from pipeline.terms.run import run_analysis
from tests.conftest import INGEST, app_login
from tests.test_names import ingest, nlp  # noqa: F401 (nlp: a fixture, loaded once)

REPO = Path(__file__).resolve().parent.parent


def _ingest(settings: Settings, store: Store, name: str = "gesprek.txt") -> None:
    participants = read_participants(INGEST / "participants.csv", IngestSettings())
    report = Ingestor(settings, store, participants).ingest(
        [IngestRequest(SourceFile(name, (INGEST / name).read_bytes()), DocumentMeta(round=1))])
    assert report.ok


@pytest.fixture
def analysed(settings: Settings, store: Store, nlp) -> Store:  # noqa: F811
    LexiconStore(store).import_entries(load_seed(), by="test", why="startlexicon")
    _ingest(settings, store)
    run_analysis(settings, store, nlp=nlp)
    return store


def _edit_lexicon(store: Store) -> None:
    lexicon = LexiconStore(store)
    entry = lexicon.get("racisme")
    lexicon.update("racisme", {"scope_note": "Ook onbewust racisme hoort hierbij."},
                   entry.version, by="commissielid", why="verduidelijking")


def test_nothing_stored_is_never_stale(store: Store) -> None:
    assert not freshness(store, "report").stale


def test_results_never_made_are_stale(settings: Settings, store: Store) -> None:
    _ingest(settings, store)
    state = freshness(store, "terms")
    assert state.parts == ("terms",) and state.missing == ("terms",)
    assert state.sentence.startswith("De termgebruiken zijn nog niet berekend")


def test_a_fresh_analysis_is_not_stale(analysed: Store) -> None:
    assert not freshness(analysed, "terms").stale
    assert freshness(analysed, "topics").missing == ("topics",)  # topics never fitted


def test_lexicon_edit_makes_only_term_hits_stale(settings: Settings, analysed: Store,
                                                 nlp) -> None:  # noqa: F811
    _edit_lexicon(analysed)
    state = freshness(analysed, "terms")
    assert state.parts == ("terms",) and not state.missing
    assert "van vóór de laatste wijziging in het lexicon (" in state.sentence
    assert "Werk ze bij" in state.sentence
    report = refresh_results(settings, analysed, state.parts, nlp=nlp)
    assert report.done == ["terms"] and "termgebruiken" in report.lines[0]
    assert not freshness(analysed, "terms").stale


def test_release_upload_and_review_make_term_hits_stale(settings: Settings, analysed: Store,
                                                        nlp) -> None:  # noqa: F811
    LexiconStore(analysed).release(by="commissie", note="eerste versie")
    assert "de laatste lexiconversie" in freshness(analysed, "terms").sentence
    run_analysis(settings, analysed, nlp=nlp)
    assert not freshness(analysed, "terms").stale
    ingest(settings, analysed, nlp)  # a second upload, with names of other people
    state = freshness(analysed, "report")
    assert "terms" in state.parts and "de laatste upload" in state.sentence
    run_analysis(settings, analysed, nlp=nlp)
    assert not freshness(analysed, "terms").stale
    reject_names(settings, analysed, ["Roos"])  # changes stored texts: a review run
    assert "het laatste nakijken van namen" in freshness(analysed, "terms").sentence


def test_topics_on_too_few_units_are_skipped_once(settings: Settings, analysed: Store) -> None:
    state = freshness(analysed, "report")
    assert set(state.missing) == {"topics", "activities"}
    report = refresh_results(settings, analysed, state.parts)
    assert report.skipped and "te weinig tekstfragmenten" in report.skipped[0]
    assert "activities" in report.done
    assert not freshness(analysed, "report").stale  # no banner offering the same again


def test_banner_after_lexicon_edit_and_gone_after_refresh(settings: Settings,
                                                          analysed: Store) -> None:
    refresh_results(settings, analysed, ("topics", "activities"))
    _edit_lexicon(analysed)
    at = AppTest.from_file(str(REPO / "app_pages" / "report.py"), default_timeout=120)
    at.session_state["focuslex_settings"] = settings
    app_login(at, settings, "facilitator").run()
    assert not at.exception
    assert any("wijziging in het lexicon" in w.value for w in at.warning)
    button = next(b for b in at.button if b.label == "Resultaten bijwerken")
    button.click().run()
    assert not at.exception
    assert not any("wijziging in het lexicon" in w.value for w in at.warning)
    assert any(s.value.startswith("Bijgewerkt") for s in at.success)
    assert not [b for b in at.button if b.label == "Resultaten bijwerken"]


def test_banner_without_button_for_a_viewer(settings: Settings, analysed: Store) -> None:
    _edit_lexicon(analysed)
    at = AppTest.from_file(str(REPO / "app_pages" / "report.py"), default_timeout=60)
    at.session_state["focuslex_settings"] = settings
    app_login(at, settings, "viewer").run()
    assert any("wijziging in het lexicon" in w.value for w in at.warning)
    assert not [b for b in at.button if b.label == "Resultaten bijwerken"]
    assert any("Vraag een begeleider" in c.value for c in at.caption)


@pytest.mark.parametrize("page", ["topics.py", "activities.py", "report.py", "upload.py",
                                  "documents.py"])
def test_result_pages_show_the_banner(settings: Settings, store: Store, page: str) -> None:
    _ingest(settings, store)  # stored, never analysed
    at = AppTest.from_file(str(REPO / "app_pages" / page), default_timeout=60)
    at.session_state["focuslex_settings"] = settings
    app_login(at, settings, "facilitator").run()
    assert not at.exception
    assert any("nog niet berekend" in w.value for w in at.warning)
    assert any(b.key and b.key.startswith("refresh-") for b in at.button)
    assert not any("focuslex analyse" in i.value for i in at.info)  # a button, not a command


def test_reader_banner_when_its_term_marks_are_stale(settings: Settings,
                                                     analysed: Store) -> None:
    at = AppTest.from_file(str(REPO / "app_pages" / "documents.py"), default_timeout=120)
    at.session_state["focuslex_settings"] = settings
    app_login(at, settings, "facilitator").run()
    assert not at.exception
    assert not at.warning  # fresh marks: no banner
    _edit_lexicon(analysed)
    at.run()
    assert any("wijziging in het lexicon" in w.value for w in at.warning)
    next(b for b in at.button if b.label == "Resultaten bijwerken").click().run()
    assert not at.exception
    assert not any("wijziging in het lexicon" in w.value for w in at.warning)
    assert any(s.value.startswith("Bijgewerkt") for s in at.success)
