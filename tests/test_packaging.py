"""A non-editable install finds the bundled Dutch pipeline: focuslex built as a wheel and
installed into a folder of its own, run from a folder outside the repository, loads the
pipeline from its package data. And no tracked file is too large for the repository."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.core.settings import BUNDLED_MODEL_DIR
from tests.conftest import INGEST, REPO

MAX_FILE_MB = 15
SOURCES = ("pyproject.toml", "README.md", "pipeline", "lexicon", "app_pages")


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None,
         timeout: int = 600) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """focuslex as a wheel (built from a copy of the sources, so the checkout stays clean),
    installed with --target into a folder outside the repository."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "src"
    for name in SOURCES:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, source / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            source.mkdir(exist_ok=True)
            shutil.copy(path, source / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    _run([*pip, "wheel", "--no-deps", "--no-build-isolation", "--wheel-dir",
          str(root / "dist"), str(source)], cwd=root)
    wheel = next((root / "dist").glob("focuslex-*.whl"))
    target = root / "site"
    _run([*pip, "install", "--no-deps", "--no-compile", "--target", str(target), str(wheel)],
         cwd=root)
    return target


@pytest.mark.slow
def test_an_installed_wheel_loads_its_bundled_pipeline(installed: Path, tmp_path: Path) -> None:
    env = {"PYTHONPATH": str(installed), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    bundled = installed / "pipeline" / "nlp" / "models" / BUNDLED_MODEL_DIR.name
    assert (bundled / "config.cfg").is_file() and (bundled / "tok2vec" / "model").is_file()
    probe = ("import pipeline, spacy\n"
             "from pipeline.core.settings import load_settings\n"
             "from pipeline.nlp.loader import load_pipeline, pipeline_id\n"
             "settings = load_settings()\n"
             "print(pipeline.__file__)\n"
             "print(settings.nlp.bundled_path)\n"
             "print(pipeline_id(load_pipeline(settings)))\n")
    out = _run([sys.executable, "-c", probe], cwd=tmp_path, env=env).stdout.splitlines()
    assert out[0].startswith(str(installed))  # the wheel's code, not the checkout's
    assert out[1] == str(bundled)
    assert out[2].startswith("nl_focuslex_sm-0.1.0")

    focuslex = [sys.executable, "-c", "from pipeline.cli.main import main; main()"]
    shutil.copy(INGEST / "gesprek.txt", tmp_path / "gesprek.txt")
    shutil.copy(INGEST / "participants.csv", tmp_path / "participants.csv")
    _run([*focuslex, "ingest", "gesprek.txt", "--participants", "participants.csv"],
         cwd=tmp_path, env=env)
    result = _run([*focuslex, "-v", "analyse"], cwd=tmp_path, env=env)
    assert f"from bundled pipeline at {bundled}" in result.stderr
    assert "met taalpijplijn nl_focuslex_sm-0.1.0" in result.stdout
    assert (tmp_path / "data" / "focuslex.db").is_file()  # default settings: this folder


def test_no_tracked_file_is_larger_than_the_repository_allows() -> None:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True,
                           check=True).stdout.decode().split("\0")
    sizes = {name: (REPO / name).stat().st_size for name in files
             if name and (REPO / name).is_file()}
    too_large = {name: size for name, size in sizes.items() if size > MAX_FILE_MB * 2**20}
    assert not too_large
    assert sum(p.stat().st_size for p in BUNDLED_MODEL_DIR.rglob("*") if p.is_file()) \
        < 20 * 2**20
