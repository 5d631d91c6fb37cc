"""The layers of ../shared/DESIGN.md hold: the import-linter contracts in `.importlinter`
(layers one way, no cycles between sibling modules) are kept."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _lint_imports() -> str:
    exe = Path(sys.executable).with_name("lint-imports")
    command = [str(exe)] if exe.exists() else [shutil.which("lint-imports") or "lint-imports"]
    result = subprocess.run([*command, "--no-cache"], cwd=REPO, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_import_contracts_are_kept() -> None:
    out = _lint_imports()
    assert "focuslex layers" in out and "no import cycles" in out
    assert "BROKEN" not in out


def test_the_contract_catches_an_upward_import(tmp_path: Path) -> None:
    """The contract is not vacuous: a copy of the tree with core importing the CLI fails."""
    copy = tmp_path / "repo"
    for name in ("pipeline", "lexicon", "app_pages", ".importlinter"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, copy / name,
                            ignore=shutil.ignore_patterns("__pycache__", "models"))
        else:
            copy.mkdir(exist_ok=True)
            shutil.copy(source, copy / name)
    bad = copy / "pipeline" / "core" / "text.py"
    bad.write_text(bad.read_text() + "\nimport pipeline.cli.main  # an upward import\n")
    exe = Path(sys.executable).with_name("lint-imports")
    env_path = str(copy)
    result = subprocess.run([str(exe), "--no-cache"], cwd=copy, capture_output=True, text=True,
                            timeout=300, env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"})
    assert result.returncode != 0
    assert "pipeline.core.text -> pipeline.cli.main" in result.stdout
