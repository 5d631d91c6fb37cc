"""SIGKILL during ingest, analyse, a lexicon import and a report: the database stays
consistent (PRAGMA integrity_check, no document without its turns, no half import), the killed
run is marked `interrupted` by the next start, `focuslex status` works, a report's target path
holds a whole report or nothing (never half a file), and a rerun completes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from pipeline.cli.main import cli
from pipeline.core.settings import load_settings
from pipeline.store.database import Store
from tests.conftest import REPO

pytestmark = pytest.mark.slow

DEMO = REPO / "corpora" / "demo"


def _settings_file(tmp_path: Path) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text('[paths]\ndata_dir = "data"\n[pseudonymise]\ndetect_with_pipeline = false\n',
                    encoding="utf-8")
    return path


def _start(settings_file: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-m", "pipeline.cli.main", "--settings",
                             str(settings_file), *args], cwd=settings_file.parent, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _scalar(store: Store, sql: str) -> int:
    with store.engine.connect() as connection:
        return connection.exec_driver_sql(sql).scalar() or 0


def _kill_when(process: subprocess.Popen[bytes], ready: Callable[[], bool],
               timeout: float = 60) -> bool:
    """SIGKILL `process` as soon as `ready()`; False when it ended before that."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            if ready():
                process.send_signal(signal.SIGKILL)
                process.wait()
                return True
        except Exception:  # noqa: BLE001 - the database may be mid-creation
            pass
        time.sleep(0.02)
    process.kill()
    process.wait()
    raise AssertionError("kill point never reached")


def _check_consistent(store: Store) -> None:
    assert _scalar(store, "PRAGMA integrity_check") in ("ok",)
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    # every stored document has all its turns: none without, no gap in the indexes
    assert _scalar(store, "SELECT count(*) FROM documents d WHERE NOT EXISTS "
                          "(SELECT 1 FROM utterances u WHERE u.document_id = d.id)") == 0
    assert _scalar(store, "SELECT count(*) FROM (SELECT document_id, max(idx) + 1 AS n, "
                          "count(*) AS c FROM utterances GROUP BY document_id) WHERE n != c") == 0


def _runs(store: Store, command: str) -> list[str]:
    with store.engine.connect() as connection:
        return [r[0] for r in connection.exec_driver_sql(
            "SELECT status FROM runs WHERE command = ? ORDER BY id", (command,))]


def _whole_docx(path: Path) -> bool:
    """A complete Word report: the zip checks out and python-docx reads its title."""
    with zipfile.ZipFile(path) as archive:
        if archive.testzip() is not None:
            return False
    return any("Gedeelde taal" in p.text for p in docx.Document(str(path)).paragraphs)


def _report(settings_file: Path, out: Path) -> subprocess.Popen[bytes]:
    # one term keeps each run short (about 15 s here, most of it the start-up)
    return _start(settings_file, "report", "--format", "docx", "--terms", "integratie",
                  "--out", str(out))


def _kill_reports(settings_file: Path, store: Store, folder: Path) -> int:
    """SIGKILL `focuslex report` at several points of a full run (measured first): at the
    target path a whole report or nothing, over an older report that one stays whole; the
    database unchanged. Returns how many runs were killed."""
    folder.mkdir()
    hits = _scalar(store, "SELECT count(*) FROM term_hits")
    began = time.monotonic()
    assert _report(settings_file, folder / "eerste.docx").wait(timeout=300) == 0
    duration = time.monotonic() - began
    assert _whole_docx(folder / "eerste.docx")
    old = (folder / "eerste.docx").read_bytes()
    killed = 0
    # at 40 % and 80 % of a run to a new path, and at 90 % of a run over the older report
    for share, out in ((0.4, folder / "nieuw.docx"), (0.8, folder / "nieuw.docx"),
                       (0.9, folder / "eerste.docx")):
        process = _report(settings_file, out)
        start = time.monotonic()
        killed += _kill_when(process, lambda: time.monotonic() - start >= share * duration)
        assert not (folder / "nieuw.docx").exists() or _whole_docx(folder / "nieuw.docx")
        written = (folder / "eerste.docx").read_bytes()
        assert written == old or _whole_docx(folder / "eerste.docx")
        _check_consistent(store)
        assert _scalar(store, "SELECT count(*) FROM term_hits") == hits
    # what a killed write can leave: only its hidden temporary file, never at the target
    assert {p.name for p in folder.iterdir() if not p.name.startswith(".")} <= {
        "eerste.docx", "eerste.runrecord.json", "nieuw.docx", "nieuw.runrecord.json"}
    assert _report(settings_file, folder / "nieuw.docx").wait(timeout=300) == 0
    assert _whole_docx(folder / "nieuw.docx") and (folder / "nieuw.runrecord.json").exists()
    return killed


def test_sigkill_during_ingest_analyse_lexicon_import_and_report(tmp_path: Path) -> None:
    settings_file = _settings_file(tmp_path)
    store = Store(load_settings(settings_file).database_url)
    runner = CliRunner()
    ingest = ("ingest", str(DEMO / "ronde-1"), str(DEMO / "ronde-2"), "--participants",
              str(DEMO / "participants.csv"))
    killed = {"ingest": 0, "analyse": 0, "lexicon": 0, "report": 0}

    # -- ingest: killed when it starts, and after a few documents -----------------------
    for ready in (lambda: _runs(store, "ingest")[-1:] == ["running"],
                  lambda: _scalar(store, "SELECT count(*) FROM documents") >= 1):
        killed["ingest"] += _kill_when(_start(settings_file, *ingest), ready)
        _check_consistent(store)
    status = runner.invoke(cli, ["--settings", str(settings_file), "status"])
    assert status.exit_code == 0 and "onderbroken" in status.output, status.output
    assert "running" not in _runs(store, "ingest")
    done = _start(settings_file, *ingest)
    assert done.wait(timeout=300) == 0
    documents = _scalar(store, "SELECT count(*) FROM documents")
    assert documents == 4
    _check_consistent(store)

    # -- lexicon import: all or nothing -------------------------------------------------
    for delay in (0.5, 1.5):
        process = _start(settings_file, "lexicon", "import", "--seed")
        start = time.monotonic()
        killed["lexicon"] += _kill_when(process, lambda: time.monotonic() - start > delay)
        _check_consistent(store)
        terms = _scalar(store, "SELECT count(*) FROM lexicon_terms")
        assert terms in (0, 49)
        assert _scalar(store, "SELECT count(*) FROM lexicon_revisions") == terms
    assert _start(settings_file, "lexicon", "import", "--seed").wait(120) == 0
    assert _scalar(store, "SELECT count(*) FROM lexicon_terms") == 49

    # -- analyse: killed while parsing, the stored hits stay whole ----------------------
    for extra in (0.0, 2.0):
        before = len(_runs(store, "analyse"))
        process = _start(settings_file, "analyse")
        started: list[float] = []

        def running() -> bool:
            if not started and len(_runs(store, "analyse")) > before:
                started.append(time.monotonic())
            return bool(started) and time.monotonic() - started[0] >= extra

        killed["analyse"] += _kill_when(process, running)
        _check_consistent(store)
        assert _scalar(store, "SELECT count(*) FROM term_hits") == 0  # none, never a part
    assert _start(settings_file, "analyse").wait(timeout=300) == 0
    hits = _scalar(store, "SELECT count(*) FROM term_hits")
    assert hits > 0
    assert _runs(store, "analyse")[-1] == "ok"
    assert "running" not in _runs(store, "analyse")  # the killed ones: interrupted
    assert _runs(store, "analyse").count("interrupted") == killed["analyse"]
    _check_consistent(store)

    # -- report: the target holds a whole report or nothing -------------------------------
    killed["report"] = _kill_reports(settings_file, store, tmp_path / "rapporten")
    store.close()
    assert killed["ingest"] == 2 and killed["analyse"] == 2 and killed["lexicon"] >= 1, killed
    assert killed["report"] >= 2, killed  # a late point may fall after a fast run
