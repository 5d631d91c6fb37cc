"""No function longer than 60 lines in pipeline/, lexicon/, app_pages/ and app.py (house
rule: typed functions under 60 lines). The lister is `benchmarks/architecture.py`
(`long_functions`, ast-based), which also prints the longest function for the notes."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from tests.conftest import REPO

# Functions other issues are rewriting, each with who removes it from this list. Keep short.
ALLOWED: dict[str, str] = {}  # every function is under the limit now


def _architecture():
    spec = importlib.util.spec_from_file_location(
        "focuslex_architecture", REPO / "benchmarks" / "architecture.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_no_function_is_longer_than_60_lines() -> None:
    found = {f"{f.path}:{f.name}": f.lines for f in _architecture().long_functions(REPO)}
    assert not set(found) - set(ALLOWED), [f"{k} ({v} lines)" for k, v in found.items()
                                           if k not in ALLOWED]


def test_the_allow_list_names_only_functions_that_are_still_long() -> None:
    found = {f"{f.path}:{f.name}" for f in _architecture().long_functions(REPO)}
    assert set(ALLOWED) <= found, sorted(set(ALLOWED) - found)


def test_the_lister_measures_from_def_to_last_line(tmp_path: Path) -> None:
    package = tmp_path / "pipeline"
    package.mkdir()
    (package / "__init__.py").write_text("")
    body = "\n".join(f"    x{i} = {i}" for i in range(60))
    (package / "long.py").write_text(f"def short():\n    return 1\n\n\nclass K:\n"
                                     f"    def long(self):\n{body.replace('    ', '        ')}\n")
    found = _architecture().long_functions(tmp_path)
    assert [(f.path, f.name, f.lines) for f in found] == [("pipeline/long.py", "K.long", 61)]
