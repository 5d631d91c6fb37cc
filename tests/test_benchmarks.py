"""`make bench` plumbing (issue 17): the composer turns benchmark JSON into RESULTS.md with
baselines, ratios and met/missed targets, and a benchmark in its quick mode writes JSON of
the agreed shape. No timed assertions: speed figures live in benchmarks/RESULTS.md."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))

from results_md import compose  # noqa: E402
from results import Results, met  # noqa: E402

ROW_KEYS = {"figure", "value", "unit", "baseline", "baseline_value", "ratio", "target", "note"}


def test_composer_writes_machine_targets_and_ratios(tmp_path: Path) -> None:
    fast = Results("demo_speed", "Demo from files to the app")
    fast.add("demo: files to a browsable app", 42.0, "s", baseline="plain script",
             baseline_value=21.0, target="< 60 s", note="dev (demo corpus)")
    fast.add("peak memory", 2500.0, "MB", target="< 2048 MB")
    fast.write(tmp_path / "a.json")
    (tmp_path / "b.json").write_text(json.dumps({"name": "old", "title": "Printed only",
                                                 "rows": [], "output": "42 woorden/s"}))
    text = compose([tmp_path / "a.json", tmp_path / "b.json"], load_start="9.50 8.00 7.00")
    assert "| demo: files to a browsable app | 42 s | plain script | 21 | 2.00× | < 60 s (met) |" in text
    assert "| < 2048 MB | peak memory (demo_speed) | 2,500 MB | **missed** |" in text
    assert "9.50 8.00 7.00" in text and "machine was loaded" in text
    assert "42 woorden/s" in text and "Printed only" in text
    assert met(59.9, "< 60 s") and not met(60.0, "< 60 s") and met(0, "<= 0")
    assert met(None, "< 60 s") is None


def test_end_to_end_quick_mode_writes_the_agreed_json(tmp_path: Path) -> None:
    out = tmp_path / "e2e.json"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "end_to_end.py"), "--quick",
                    "--json", str(out)], check=True, capture_output=True, timeout=900)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["name"] == "end_to_end" and data["title"]
    assert data["rows"] and all(set(r) == ROW_KEYS for r in data["rows"])
    measured = [r for r in data["rows"] if r["value"] is not None]
    for row in measured:
        if row["baseline_value"]:
            assert row["ratio"] == row["value"] / row["baseline_value"]
    parsed = [r for r in measured if r["figure"].startswith("texts analyse parsed again")]
    assert not measured or parsed[0]["value"] == 0  # the ingest's parse is re-used
