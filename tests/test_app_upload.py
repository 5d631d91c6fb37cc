"""Upload as a checked step on the page (issue 14, AppTest): choose files and a participants
sheet -> one row per file -> correct the round -> stored with that round; the result stays
after reruns. Fixtures: the small Dutch test transcripts of tests/fixtures/ingest."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from streamlit.testing.v1 import AppTest

import lexicon.store  # noqa: F401  the package, before AppTest puts app_pages/ (lexicon.py) on the path
from pipeline.core.settings import Settings
from pipeline.store.database import Store
from tests.conftest import INGEST, app_login

REPO = Path(__file__).resolve().parent.parent
DOCUMENTS = ("file,kind,focus_group,round,date,prompt\n"
             "gesprek.md,transcript,Focusgroep Oost,3,2026-04-21,"
             "Wat is er nodig voor gelijke kansen?\n")


def _page(settings: Settings) -> AppTest:
    at = AppTest.from_file(str(REPO / "app_pages" / "upload.py"), default_timeout=60)
    at.session_state["focuslex_settings"] = settings
    return app_login(at, settings, "facilitator")


def _choose(at: AppTest, names: list[str], documents: bool = False) -> AppTest:
    uploaders = {u.label.split(" (")[0]: u for u in at.file_uploader}
    uploaders["Bestanden"].set_value([(n, (INGEST / n).read_bytes(), "text/plain")
                                      for n in names])
    uploaders["Deelnemerslijst"].set_value(
        ("participants.csv", (INGEST / "participants.csv").read_bytes(), "text/csv"))
    if documents:
        uploaders["Documentenlijst"].set_value(("documents.csv", DOCUMENTS.encode(), "text/csv"))
    return at.run()


def _table(at: AppTest):  # type: ignore[no-untyped-def]
    return next(d.value for d in at.dataframe if "bestand" in d.value.columns)


def test_check_table_correct_round_then_store(settings: Settings, store: Store) -> None:
    at = _choose(_page(settings).run(), ["gesprek.txt", "gesprek.md"], documents=True)
    assert not at.exception
    table = _table(at)
    assert list(table["bestand"]) == ["gesprek.txt", "gesprek.md"]
    txt, md = table.iloc[0], table.iloc[1]
    # the header block of gesprek.txt gives date and question, but no round
    assert txt["datum"] == "03/03/2026" and txt["vraag"] == "Wat betekent integratie voor u?"
    assert txt["ronde"] == ""  # shown empty, not "None"
    assert "Geen ronde gevonden" in txt["waarschuwingen"]
    assert txt["sprekers"] == 5 and txt["op de lijst"] == 5
    # documents.csv prefills the other file
    assert md["ronde"] == "3" and md["focusgroep"] == "Focusgroep Oost"
    assert any("gesprek.txt: Geen ronde gevonden" in w.value.replace("\\", "") for w in at.warning)
    assert not store.documents()  # nothing is stored before "Opslaan"
    at.session_state["upload_editor"] = {"edited_rows": {0: {"ronde": "2"}}, "added_rows": [],
                                         "deleted_rows": []}
    at.run()
    save = next(b for b in at.button if b.label.startswith("Opslaan"))
    assert save.label == "Opslaan (2 van 2 bestanden)"
    save.click().run()
    assert not at.exception
    rounds = {d.file_name: d.round for d in store.documents()}
    assert rounds == {"gesprek.txt": 2, "gesprek.md": 3}
    stored = [s.value for s in at.success if "opgeslagen" in s.value]
    assert len(stored) == 2  # one result line per file
    at.run()  # the result stays after a rerun ...
    assert len([s for s in at.success if "opgeslagen" in s.value]) == 2
    assert any(b.label == "Namen van deze upload nakijken" for b in at.button)
    next(b for b in at.button if b.label == "Analyse starten").click().run(timeout=120)
    assert not at.exception  # ... and after the analysis
    assert len([s for s in at.success if "opgeslagen" in s.value]) == 2
    # ... and the uploaders are empty again: no check table of files already stored
    assert not any("bestand" in d.value.columns for d in at.dataframe)
    assert not any(b.label.startswith("Opslaan") for b in at.button)


def test_a_wrong_date_is_refused_with_the_coded_message(settings: Settings,
                                                        store: Store) -> None:
    at = _choose(_page(settings).run(), ["gesprek.txt"])
    at.session_state["upload_editor"] = {"edited_rows": {0: {"datum": "31/02/2026"}},
                                         "added_rows": [], "deleted_rows": []}
    at.run()
    next(b for b in at.button if b.label.startswith("Opslaan")).click().run()
    assert not at.exception
    errors = [e.value.replace("\\", "") for e in at.error]  # shown as literal text
    assert any("FX-IN-051" in e and "31/02/2026" in e for e in errors)
    assert not store.documents()


def test_one_bad_file_does_not_stop_the_others(settings: Settings, store: Store) -> None:
    at = _page(settings).run()
    uploaders = {u.label.split(" (")[0]: u for u in at.file_uploader}
    uploaders["Bestanden"].set_value([
        ("gesprek.txt", (INGEST / "gesprek.txt").read_bytes(), "text/plain"),
        ("leeg.txt", b"", "text/plain")])
    at.run()
    table = _table(at)
    assert "leeg.txt" in table.iloc[1]["waarschuwingen"]  # the coded error, in its row
    next(b for b in at.button if b.label.startswith("Opslaan")).click().run()
    assert not at.exception
    assert [d.file_name for d in store.documents()] == ["gesprek.txt"]
    assert any("leeg.txt" in e.value.replace("\\", "") for e in at.error)


def test_plan_sources_reads_the_sheets_and_signs_the_choice(settings: Settings) -> None:
    from pipeline.ingest.plan import outcome_lines, plan_sources, upload_signature
    from pipeline.ingest.readers import SourceFile
    from pipeline.ingest.service import FileOutcome, IngestReport

    files = [SourceFile(n, (INGEST / n).read_bytes()) for n in ("gesprek.txt", "gesprek.md")]
    sheet = SourceFile("participants.csv", (INGEST / "participants.csv").read_bytes())
    documents = SourceFile("documents.csv", DOCUMENTS.encode())
    made = plan_sources(files, sheet, documents, settings, kind=None, store=None,
                        signature="x")
    assert [p.meta.round for p in made.plan] == [None, 3]
    assert made.plan[1].origin["round"] == "documents.csv"
    assert made.participants and len(made.participants) == 5
    assert upload_signature("transcript", files) != upload_signature("verklaring", files)
    assert upload_signature("transcript", files) != upload_signature("transcript", files[:1])
    report = IngestReport([FileOutcome("a.txt", "stored", turns=1200, speakers=5,
                                       words=38289),
                           FileOutcome("b.txt", "duplicate")])
    lines = outcome_lines(report)
    assert lines[0] == ("ok", "a.txt: opgeslagen (1.200 beurten, 5 sprekers, 38.289 woorden).")
    assert lines[1][0] == "info"


def test_every_uploader_says_in_dutch_what_to_do_and_the_limit(settings: Settings) -> None:
    """Streamlit writes its drop zone text in English ('Upload', '50MB per file'); a Dutch
    caption under each uploader says what to do and the limit of ingest.max_upload_mb, which
    the widget itself also enforces."""
    at = _page(settings).run()
    assert not at.exception
    assert len(at.file_uploader) == 3
    hints = [h for h in (c.value.replace("\\", "") for c in at.caption) if "'Upload'" in h]
    assert hints == [
        "Sleep de bestanden naar het vak hierboven, of klik op de knop 'Upload' om ze te "
        "kiezen; hoogstens 50 MB per bestand.",
        *["Sleep het bestand naar het vak hierboven, of klik op de knop 'Upload' om het te "
          "kiezen; hoogstens 50 MB per bestand."] * 2]
    assert all(u.proto.max_upload_size_mb == 50 for u in at.file_uploader)
    smaller = dataclasses.replace(settings, ingest=dataclasses.replace(settings.ingest,
                                                                       max_upload_mb=20.0))
    at = _page(smaller).run()
    assert all(u.proto.max_upload_size_mb == 20 for u in at.file_uploader)
    assert any("hoogstens 20 MB per bestand" in c.value for c in at.caption)
