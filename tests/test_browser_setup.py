"""How the real-browser test is wired (the test itself is tests/browser, `make test-browser`):
`make test` leaves it out, CI runs it after `make test` with a chromium it installs, and a
missing chromium skips it on a developer's machine but fails it in CI."""

from __future__ import annotations

import shutil
import tomllib

import pytest

from tests.browser.conftest import chromium_path
from tests.conftest import REPO


@pytest.fixture
def no_chromium(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.delenv("FOCUSLEX_CHROMIUM", raising=False)


def test_without_chromium_the_browser_test_skips_with_the_reason(
        no_chromium: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no chromium found.*chromium.sh"):
        chromium_path()


def test_without_chromium_in_ci_the_browser_test_fails(
        no_chromium: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI: no chromium found"):
        chromium_path()


def test_a_chromium_given_by_path_is_used(no_chromium: None,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOCUSLEX_CHROMIUM", "/opt/chromium/chrome")
    assert chromium_path() == "/opt/chromium/chrome"


def test_make_test_leaves_the_browser_test_out_and_ci_runs_it_after() -> None:
    pytest_config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "-m 'not browser'" in pytest_config["tool"]["pytest"]["ini_options"]["addopts"]
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "-m browser tests/browser" in makefile.split("test-browser:")[1].split("\n\n")[0]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert ci.index("make test") < ci.index("make test-browser")
    assert any("bash .ci/chromium.sh" in line for line in ci)
    requirements = (REPO / "requirements.txt").read_text(encoding="utf-8").split()
    assert "playwright==1.65.2" in requirements
