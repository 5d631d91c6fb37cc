"""The real-browser end-to-end test: Debian's chromium driven by Python Playwright against
`streamlit run app.py`, started here on a free localhost port with its own data folder and
settings, seeded through the command line (seed lexicon, one user per role).

Run with `make test-browser` (`make test` deselects the `browser` marker). Without a chromium
the tests skip with the reason, except in CI (`CI=true`), where a missing chromium fails.
Screenshots of every step go to `test-artifacts/browser/` (gitignored).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser, expect, sync_playwright

from pipeline.cli.main import cli

from tests.browser.steps import STEP
from tests.conftest import REPO

ARTIFACTS = REPO / "test-artifacts" / "browser"
DEMO = REPO / "corpora" / "demo"
PASSWORD = "een-wachtwoord-voor-de-browser"
ROLES = ("viewer", "facilitator", "committee", "admin")
# Playwright's own browser download does not work offline: Debian's chromium, without the
# sandbox (root in CI) and without any background traffic.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic"]
SETTINGS = """[paths]
data_dir = "{data}"
[pseudonymise]
detect_with_pipeline = false
"""


def user_name(role: str) -> str:
    return f"e2e-{role}"


def chromium_path() -> str:
    """The chromium to drive; skips (fails under CI=true) when there is none."""
    found = os.environ.get("FOCUSLEX_CHROMIUM") or shutil.which("chromium") \
        or shutil.which("chromium-browser")
    if found:
        return found
    reason = ("no chromium found (install Debian's chromium: `bash .ci/chromium.sh`, or set "
              "FOCUSLEX_CHROMIUM to a chromium binary)")
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI: {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(folder: Path, *args: str, as_user: str | None = None) -> None:
    """`focuslex --settings FOLDER/settings.toml [--as USER] ARGS` (in this process)."""
    command = ["--settings", str(folder / "settings.toml"),
               *(["--as", as_user] if as_user else []), *args]
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == 0, (args, result.output)


def seed(folder: Path) -> Path:
    """Settings, the seed lexicon (released once) and one user per role (password PASSWORD),
    through the CLI."""
    (folder / "settings.toml").write_text(SETTINGS.format(data=folder / "data"),
                                          encoding="utf-8")
    password_file = folder / "password.txt"
    password_file.write_text(PASSWORD + "\n", encoding="utf-8")
    admin = user_name("admin")
    _cli(folder, "users", "add", admin, "--role", "admin", "--password-file", str(password_file))
    for role in ROLES[:-1]:
        _cli(folder, "users", "add", user_name(role), "--role", role, "--password-file",
             str(password_file), as_user=admin)
    _cli(folder, "lexicon", "import", "--seed", as_user=admin)
    # A first release: a viewer's report quotes a release, never the working version.
    _cli(folder, "lexicon", "release", "--note", "eerste release", as_user=admin)
    return folder / "settings.toml"


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 180  # a busy machine starts it slowly
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"streamlit stopped: {log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"streamlit did not answer on {url}")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Screenshots of this run (emptied first, kept after the run)."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


@contextmanager
def serve(folder: Path, settings: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free localhost port with these settings; its URL, and the
    server stopped afterwards."""
    port = _free_port()
    log = folder / "streamlit.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"),
             "--server.headless", "true", "--server.address", "127.0.0.1",
             "--server.port", str(port), "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none", "--", "--settings", str(settings)],
            cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": str(REPO)})
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`streamlit run app.py` on a free localhost port over a freshly seeded data folder."""
    chromium_path()  # no server to start when there is no browser
    folder = tmp_path_factory.mktemp("e2e")
    with serve(folder, seed(folder)) as url:
        yield url


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same over a data folder with the demo corpus stored and analysed (as `make demo`
    does, without topics to keep it quick), through the CLI."""
    chromium_path()
    folder = tmp_path_factory.mktemp("day")
    settings = seed(folder)
    admin = user_name("admin")
    _cli(folder, "ingest", str(DEMO), "--participants", str(DEMO / "participants.csv"),
         as_user=admin)
    _cli(folder, "analyse", "--no-topics", as_user=admin)
    with serve(folder, settings) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    expect.set_options(timeout=STEP)  # every expectation may wait as long as a step
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True,
                                              args=CHROMIUM_ARGS)
        yield launched
        launched.close()
