"""AppTests for the pages of the foundation: overview and upload."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from pipeline.ingest.service import IngestRequest, Ingestor
from pipeline.ingest.readers import SourceFile
from pipeline.core.settings import Settings
from pipeline.ingest.sheets import read_participants
from pipeline.core.settings import IngestSettings
from pipeline.store.database import Store
from pipeline.core.records import DocumentMeta, Kind
from tests.conftest import INGEST, app_login

DEFAULT_INGEST = IngestSettings()  # the participants sheets of these tests are small

REPO = Path(__file__).resolve().parent.parent


def page(name: str, settings: Settings) -> AppTest:
    at = AppTest.from_file(str(REPO / "app_pages" / name), default_timeout=20)
    at.session_state["focuslex_settings"] = settings
    return app_login(at, settings)


def test_overview_empty_store(settings: Settings) -> None:
    at = page("overview.py", settings).run()
    assert not at.exception
    assert "nog niets opgeladen" in at.info[0].value


def test_overview_shows_counts(settings: Settings) -> None:
    store = Store(settings.database_url)
    Ingestor(settings, store, read_participants(INGEST / "participants.csv", DEFAULT_INGEST)).ingest(
        [IngestRequest(SourceFile("gesprek.txt", (INGEST / "gesprek.txt").read_bytes()),
                       DocumentMeta(round=1))])
    at = page("overview.py", settings).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Documenten"] == "1"
    # two different figures: participants and facilitators who spoke (issue 14)
    assert metrics["Deelnemers aan het woord"] == "4"
    assert metrics["Begeleiders aan het woord"] == "1"
    # the document viewer shows codes, never names
    frame = at.dataframe[-1].value
    assert "P01" in set(frame["spreker"])
    assert not frame["tekst"].str.contains("Ayşe|Hilde").any()


def test_overview_counts_real_rounds_and_lists_rounds_first(settings: Settings) -> None:
    """Two rounds and a statement without a round: '2 rondes', the statement counted apart;
    the documents table in round order, the one without a round last, its kind in Dutch, in
    six narrow columns (it fits the page at 1280 pixels)."""
    store = Store(settings.database_url)
    Ingestor(settings, store, read_participants(INGEST / "participants.csv", DEFAULT_INGEST)).ingest([
        IngestRequest(SourceFile("b-gesprek.txt", (INGEST / "gesprek.txt").read_bytes()),
                      DocumentMeta(round=2)),
        IngestRequest(SourceFile("a-verklaring.txt", "Onze vereniging kiest voor samenleven "
                                 "met iedereen in de wijk.\n".encode()),
                      DocumentMeta(kind=Kind.STATEMENT, group="middenveld")),
        IngestRequest(SourceFile("c-gesprek.md", (INGEST / "gesprek.md").read_bytes()),
                      DocumentMeta(round=1, focus_group="Focusgroep 1B"))])
    at = page("overview.py", settings).run()
    assert not at.exception
    assert "2 rondes; 1 document zonder ronde (niet als ronde geteld)." in \
        [c.value for c in at.caption]
    table = next(d.value for d in at.dataframe if "ronde" in d.value.columns)
    assert list(table.columns) == ["bestand", "soort", "ronde", "datum", "focusgroep / groep",
                                   "woorden"]
    assert list(table["bestand"]) == ["c-gesprek.md", "b-gesprek.txt", "a-verklaring.txt"]
    assert list(table["ronde"]) == ["1", "2", ""]
    assert list(table["soort"]) == ["transcript", "transcript", "verklaring"]
    assert table["focusgroep / groep"].iloc[[0, 2]].tolist() == ["Focusgroep 1B",
                                                                  "middenveld"]


def test_upload_page_renders(settings: Settings) -> None:
    at = page("upload.py", settings).run()
    assert not at.exception
    assert at.title[0].value == "Opladen"
    assert [u.label for u in at.file_uploader][0] == "Bestanden (transcripten en verklaringen)"
    assert not [b for b in at.button if b.label.startswith("Opslaan")]  # no files: no check


def test_router_opens_the_overview(settings: Settings) -> None:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=20)
    at.session_state["focuslex_settings"] = settings
    app_login(at, settings)
    at.run()
    assert at.title[0].value == "Overzicht"
    assert not at.exception


def test_upload_page_runs_the_analysis(settings: Settings) -> None:
    from lexicon.io import load_seed
    from lexicon.store import LexiconStore

    store = Store(settings.database_url)
    LexiconStore(store).import_entries(load_seed(), by="test", why="startlexicon")
    Ingestor(settings, store, read_participants(INGEST / "participants.csv", DEFAULT_INGEST)).ingest(
        [IngestRequest(SourceFile("gesprek.txt", (INGEST / "gesprek.txt").read_bytes()),
                       DocumentMeta(round=1))])
    at = page("upload.py", settings).run()
    start = next(b for b in at.button if b.label == "Analyse starten")
    start.click().run()
    assert not at.exception
    message = at.success[0].value
    assert "in 1 document\\." in message and "termgebruik" in message  # escaped markdown
    assert store.term_hit_records()  # hits are stored for the Termen page


def test_lexicon_term_page_shows_its_uses_in_the_conversations(settings: Settings) -> None:
    from lexicon.io import load_seed
    from lexicon.store import LexiconStore
    from pipeline.terms.run import run_analysis

    store = Store(settings.database_url)
    LexiconStore(store).import_entries(load_seed(), by="test", why="startlexicon")
    Ingestor(settings, store, read_participants(INGEST / "participants.csv", DEFAULT_INGEST)).ingest(
        [IngestRequest(SourceFile("gesprek.txt", (INGEST / "gesprek.txt").read_bytes()),
                       DocumentMeta(round=1))])
    run_analysis(settings, store)
    at = page("lexicon.py", settings)
    at.session_state["lex_term"] = "racisme"
    at.run()
    assert not at.exception
    usage = [m.value for m in at.markdown if "keer gebruikt" in m.value]
    assert usage and usage[0].startswith("1 keer gebruikt door 1 spreker in 1 document;")
    assert any("geen racisme" in m.value for m in at.markdown)  # an example sentence


def test_overview_documents_table_is_arrow_safe(settings: Settings) -> None:
    """A document without a round next to one with a round: the 'ronde' column holds one
    type, text, empty for no round (it mixed numbers and '' before: pyarrow ArrowTypeError on
    every visit; a nullable integer would show 'None'), dates in dd/mm/jjjj."""
    import pyarrow as pa

    store = Store(settings.database_url)
    Ingestor(settings, store, read_participants(INGEST / "participants.csv", DEFAULT_INGEST)).ingest([
        IngestRequest(SourceFile("gesprek.txt", (INGEST / "gesprek.txt").read_bytes()),
                      DocumentMeta(round=2, date="2026-03-14")),
        IngestRequest(SourceFile("gesprek.md", (INGEST / "gesprek.md").read_bytes()),
                      DocumentMeta())])
    at = page("overview.py", settings).run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "ronde" in d.value.columns)
    assert sorted(table["ronde"].tolist()) == ["", "2"]
    assert "14/03/2026" in set(table["datum"])
    pa.Table.from_pandas(table)  # raised ArrowTypeError with the mixed column
