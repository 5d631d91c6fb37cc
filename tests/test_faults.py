"""Faults: racing writers on one lexicon term, two processes ingesting into one SQLite file,
runs whose process died, owner-only private files. (SIGKILL at several points:
tests/test_kill.py.)"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from lexicon.io import read_lexicon_file
from lexicon.store import LexiconStore, RevisionRow
from pipeline.cli.main import cli
from pipeline.core.errors import FocuslexError
from pipeline.core.settings import Settings
from pipeline.ingest.readers import SourceFile
from pipeline.ingest.service import IngestRequest, Ingestor
from pipeline.core.records import DocumentMeta
from pipeline.store.database import RunRow, Store
from tests.conftest import FIXTURES, INGEST, REPO

ROUNDS = 100


def fast_settings(settings: Settings) -> Settings:
    """Name detection without the spaCy pipeline: these tests are about the store."""
    return replace(settings, pseudonymise=replace(settings.pseudonymise,
                                                  detect_with_pipeline=False))


def _race(url: str, action: Callable[[Store, int], object]) -> list[object]:
    """Two writers, each with its own connection, run `action(store, i)` at the same moment;
    returns what each got (its result, or the exception it raised)."""
    stores = [Store(url), Store(url)]
    barrier = threading.Barrier(2)
    results: list[object] = [None, None]

    def write(i: int) -> None:
        barrier.wait()
        try:
            results[i] = action(stores[i], i)
        except Exception as exc:  # noqa: BLE001 - kept for the test to inspect
            results[i] = exc

    threads = [threading.Thread(target=write, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in stores:
        s.close()
    return results


def _race_once(url: str, term: str, version: int, round_no: int) -> list[object]:
    """Two writers save the same version of one term at the same moment."""
    return _race(url, lambda store, i: LexiconStore(store).update(
        term, {"scope_note": f"ronde {round_no}, schrijver {i}"}, version, f"schrijver{i}",
        "gelijktijdige bewerking"))


def test_two_writers_on_one_term_one_wins_the_other_gets_the_conflict_and_keeps_text(
        settings: Settings, store: Store) -> None:
    lexicon = LexiconStore(store)
    lexicon.import_entries(read_lexicon_file(FIXTURES / "lexicon" / "small.yaml"), "t", "t")
    first = version = lexicon.get("buurtwerking").version
    for round_no in range(ROUNDS):
        results = _race_once(settings.database_url, "buurtwerking", version, round_no)
        winners = [r for r in results if not isinstance(r, Exception)]
        losers = [r for r in results if isinstance(r, Exception)]
        assert len(winners) == 1 and len(losers) == 1, (round_no, results)
        error = losers[0]
        assert isinstance(error, FocuslexError) and error.code == "FX-LEX-008", repr(error)
        loser = results.index(error)
        # The loser's own text comes back with the conflict, so nothing typed is lost.
        assert error.params["yours"].scope_note == f"ronde {round_no}, schrijver {loser}"
        version += 1
        assert lexicon.get("buurtwerking").version == version
    with store.session() as s:
        versions = s.scalars(select(RevisionRow.version)
                             .where(RevisionRow.term_id == "buurtwerking")).all()
    assert sorted(versions) == list(range(first, version + 1))  # one per win, no gaps


def test_two_creates_of_one_id_give_the_exists_message(settings: Settings,
                                                        store: Store) -> None:
    LexiconStore(store).count()  # tables exist before the writers start
    results = _race(settings.database_url, lambda st, i: LexiconStore(st).create(
        {"id": "inburgering", "pref_label": {"nl-BE": "inburgering"},
         "definition": f"versie {i}"}, f"schrijver{i}", "nieuw"))
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1
    assert isinstance(errors[0], FocuslexError) and errors[0].code == "FX-LEX-013"


# -- SQLite under two processes ---------------------------------------------------------------

def _sqlite_pragma(store: Store, name: str) -> object:
    with store.engine.connect() as connection:
        return connection.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(store: Store) -> None:
    assert _sqlite_pragma(store, "journal_mode") == "wal"
    assert _sqlite_pragma(store, "busy_timeout") >= 10_000


PARALLEL_SCRIPT = """
import sys
from pathlib import Path
from pipeline.core.settings import load_settings
from pipeline.core.records import DocumentMeta
from pipeline.ingest.readers import SourceFile
from pipeline.ingest.service import IngestRequest, Ingestor
from pipeline.store.database import Store
from tests.test_faults import fast_settings

base, name, copies = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
settings = fast_settings(load_settings(base_dir=base))
store = Store(settings.database_url)
text = Path(sys.argv[4]).read_text(encoding="utf-8")
requests = [IngestRequest(SourceFile(f"{name}_{i}.txt",
                                     (text + f"\\n\\nHilde: Slotwoord {name} {i}.").encode()),
                          DocumentMeta()) for i in range(copies)]
report = Ingestor(settings, store).ingest(requests)
print(report.count("stored"), [o.error.code for o in report.outcomes if o.error])
"""


def test_two_processes_ingest_into_one_sqlite_file_at_once(tmp_path: Path,
                                                            settings: Settings) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    fixture = INGEST / "gesprek.txt"
    copies = 6
    procs = [subprocess.Popen([sys.executable, "-c", PARALLEL_SCRIPT, str(tmp_path), name,
                               str(copies), str(fixture)], env=env, cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for name in ("a", "b")]
    outputs = [p.communicate(timeout=240) for p in procs]
    for proc, (out, err) in zip(procs, outputs):
        assert proc.returncode == 0, err[-2000:]
        assert out.strip() == f"{copies} []", (out, err[-2000:])
    store = Store(settings.database_url)
    try:
        assert store.status()["documents"] == 2 * copies
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        with store.session() as s:
            statuses = s.scalars(select(RunRow.status).where(RunRow.command == "ingest")).all()
        assert statuses == ["ok", "ok"]
    finally:
        store.close()


# -- runs of dead processes -------------------------------------------------------------------

def test_a_run_whose_process_died_is_marked_interrupted(store: Store) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    run_id = store.start_run("analyse", {})
    with store.session() as s:  # as if that dead process had started the run
        run = s.get(RunRow, run_id)
        run.details = {**run.details, "process": {**run.details["process"], "pid": dead.pid}}
    assert store.mark_interrupted_runs() == [run_id]
    alive = store.start_run("ingest", {})  # this process: still running
    assert store.mark_interrupted_runs() == []
    runs = {r["id"]: r["status"] for r in store.status()["unfinished_runs"]}
    assert runs == {run_id: "interrupted", alive: "running"}


def test_a_run_from_another_host_is_left_running(store: Store) -> None:
    run_id = store.start_run("analyse", {})
    with store.session() as s:
        run = s.get(RunRow, run_id)
        run.details = {**run.details, "process": {"pid": 1, "host": "elders", "started": 1}}
    assert store.mark_interrupted_runs() == []
    assert store.unfinished_runs()[0]["status"] == "running"


# -- the private folder -----------------------------------------------------------------------

def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_private_folder_is_owner_only_and_so_are_its_files(settings: Settings,
                                                            store: Store) -> None:
    data = (INGEST / "gesprek.txt").read_bytes()
    os.umask(0o022)
    report = Ingestor(fast_settings(settings), store).ingest(
        [IngestRequest(SourceFile("gesprek.txt", data), DocumentMeta())])
    assert report.count("stored") == 1
    folder = settings.paths.key_file.parent
    assert _mode(folder) == 0o700
    files = [p for p in folder.iterdir() if p.is_file()]
    assert settings.paths.key_file in files
    for path in files:
        assert _mode(path) == 0o600, path


def test_a_database_locked_past_the_busy_timeout_is_a_coded_error(
        settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    import pipeline.store.database as database

    LexiconStore(store).count()  # the tables exist
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 300)  # new connections wait 0.3 s
    other = sqlite3.connect(settings.database_url.removeprefix("sqlite:///"))
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    fresh = Store(settings.database_url)
    try:
        with pytest.raises(FocuslexError) as caught:
            LexiconStore(fresh).create({"id": "inburgering", "pref_label": "inburgering",
                                        "definition": "Het traject voor nieuwkomers."},
                                       "schrijver", "nieuw")
        assert caught.value.code == "FX-DB-003"
        settings_file = settings.paths.data_dir.parent / "settings.toml"
        settings_file.write_text('[paths]\ndata_dir = "data"\n[pseudonymise]\n'
                                 "detect_with_pipeline = false\n", encoding="utf-8")
        result = CliRunner().invoke(cli, ["--settings", str(settings_file), "ingest",
                                          str(INGEST / "gesprek.txt")])
        assert result.exit_code == 2 and "[FX-DB-003]" in result.output, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
    finally:
        other.rollback()
        other.close()
    assert LexiconStore(fresh).find("inburgering") is None  # nothing half-stored
    assert fresh.status()["documents"] == 0
    fresh.close()
