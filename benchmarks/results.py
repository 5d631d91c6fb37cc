"""The JSON every benchmark can write with `--json FILE`, which `benchmarks/results_md.py`
composes into benchmarks/RESULTS.md:

    {"name": ..., "title": ..., "rows": [{"figure", "value", "unit", "baseline",
     "baseline_value", "ratio", "target", "note"}]}

`ratio` is value / baseline_value (None without a baseline). `target` is text such as
"< 60 s" that `met` can check against the value ("<" or ">" and a number). `note` says
dev/test and anything a reader needs. Also: child-process measurement (`run_child`: wall
clock, CPU seconds and peak resident memory of a command, from os.wait4).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Row:
    figure: str
    value: float | None
    unit: str
    baseline: str = ""
    baseline_value: float | None = None
    ratio: float | None = None
    target: str = ""
    note: str = ""


@dataclass
class Results:
    name: str
    title: str
    rows: list[Row] = field(default_factory=list)

    def add(self, figure: str, value: float | None, unit: str, *, baseline: str = "",
            baseline_value: float | None = None, target: str = "", note: str = "") -> Row:
        ratio = (value / baseline_value if value is not None and baseline_value
                 else None)
        row = Row(figure, value, unit, baseline, baseline_value, ratio, target, note)
        self.rows.append(row)
        return row

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "rows": [asdict(r) for r in self.rows]}

    def write(self, path: Path | None) -> None:
        """Write the JSON (when a path is given) and print the rows as a short table."""
        for r in self.rows:
            base = (f"  vs {r.baseline}: {_num(r.baseline_value)}  ({r.ratio:.2f}×)"
                    if r.ratio is not None else "")
            print(f"  {r.figure}: {_num(r.value)} {r.unit}{base}"
                  + (f"  [target {r.target}: {'met' if met(r.value, r.target) else 'missed'}]"
                     if r.target else ""))
        if path is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            Path(path).write_text(json.dumps(self.to_dict(), indent=1, ensure_ascii=False),
                                  encoding="utf-8")


def _num(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def met(value: float | None, target: str) -> bool | None:
    """Whether `value` meets a target such as '< 60 s' or '>= 300000 words/s' (None when the
    target or the value cannot be read)."""
    found = re.match(r"\s*([<>]=?)\s*([\d.,_]+)", target or "")
    if value is None or not found:
        return None
    limit = float(found.group(2).replace(",", "").replace("_", ""))
    op = found.group(1)
    return {"<": value < limit, "<=": value <= limit, ">": value > limit,
            ">=": value >= limit}[op]


@dataclass
class Child:
    seconds: float
    cpu: float
    peak_mb: float
    returncode: int
    stdout: str
    stderr: str


def run_child(command: list[str], cwd: Path | None = None,
              env: dict[str, str] | None = None) -> Child:
    """Run a command; its wall clock, CPU seconds (user + system) and peak resident memory
    (its own ru_maxrss from os.wait4, so other children do not mix in)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err,
                                   text=True)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Child(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
                     process.returncode, out.read(), err.read())


def load_average() -> str:
    """The 1, 5 and 15 minute load averages."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"
