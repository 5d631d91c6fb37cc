"""Compose benchmarks/RESULTS.md from the JSON files the benchmarks wrote with `--json`
(see `benchmarks/results.py` for the format), with the machine, the versions, the date,
whether ../shared was present and the load average, through a Jinja2 template
(`benchmarks/templates/RESULTS.md.j2`).

    .venv/bin/python benchmarks/results_md.py JSON... [--out benchmarks/RESULTS.md]
        [--load-start "0.5 0.6 0.7"] [--load-end "0.5 0.6 0.7"] [--note TEXT]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader

sys.path.insert(0, str(Path(__file__).resolve().parent))
from debates import shared_present  # noqa: E402
from results import load_average, met  # noqa: E402

HERE = Path(__file__).resolve().parent
PACKAGES = ("spacy", "streamlit", "pandas", "sqlalchemy", "bertopic", "scikit-learn",
            "dask", "weasyprint")


def number(value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def machine(load_start: str, load_end: str = "") -> dict[str, Any]:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        ram = next(l for l in Path("/proc/meminfo").read_text().splitlines()
                   if l.startswith("MemTotal"))
        ram = f"{int(ram.split()[1]) / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        ram = "?"
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    cores = os.cpu_count() or 1
    end = load_end or load_average()
    first = float((load_start or "0").split()[0]) if load_start.strip("? ") else 0.0
    return {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "cpu": cpu, "cores": cores, "ram": ram, "python": platform.python_version(),
            "versions": ", ".join(versions), "shared": "yes" if shared_present() else "no",
            "load_start": load_start or "?", "load_end": end,
            "loaded": max(first, float(end.split()[0]) if end != "?" else 0.0) > cores}


def _row(row: dict[str, Any]) -> dict[str, Any]:
    verdict = met(row.get("value"), row.get("target") or "")
    target = row.get("target") or ""
    if target:
        target += {True: " (met)", False: " (missed)", None: ""}[verdict]
    return {**row, "value_text": number(row.get("value")),
            "baseline_text": number(row.get("baseline_value")),
            "ratio_text": f"{row['ratio']:.2f}×" if row.get("ratio") is not None else "—",
            "target_text": target,
            "note": str(row.get("note") or "").replace("|", "/").replace("\n", " ")}


def compose(paths: list[Path], load_start: str = "", note: str = "",
            load_end: str = "") -> str:
    benches, targets = [], []
    for path in paths:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            data = {"name": Path(path).stem, "title": f"{Path(path).stem}: no results",
                    "rows": [], "output": f"could not read {path}: {exc}"}
        rows = [_row(r) for r in data.get("rows", [])]
        benches.append({"name": data.get("name", ""), "title": data.get("title", ""),
                        "rows": rows, "output": data.get("output", "")})
        for r in rows:
            if r.get("target"):
                verdict = met(r.get("value"), r["target"])
                targets.append({"target": r["target"], "figure": r["figure"],
                                "bench": data.get("name", ""), "value": r["value_text"],
                                "unit": r.get("unit", ""),
                                "met": {True: "met", False: "**missed**",
                                        None: "not measured"}[verdict]})
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=False,
                      trim_blocks=False, lstrip_blocks=True, keep_trailing_newline=True)
    text = env.get_template("RESULTS.md.j2").render(machine=machine(load_start, load_end),
                                                   benches=benches, targets=targets, note=note)
    return re.sub(r"\n{3,}", "\n\n", text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", type=Path, nargs="*")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--load-start", default="")
    parser.add_argument("--load-end", default="",
                        help="the load average when the benchmarks ended (default: now; "
                             "give it when composing again later)")
    parser.add_argument("--note", default="", help="a remark printed under the machine table")
    args = parser.parse_args()
    args.out.write_text(compose(sorted(args.json), args.load_start, args.note, args.load_end),
                        encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
