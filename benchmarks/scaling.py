"""Scaling of focuslex from the command line (issue 17): time and peak memory of `ingest`,
`analyse --no-topics` (parse + terms) and `topics fit` for 10k, 100k, 300k and 1M words of
real parliamentary debates, the growth exponent of each stage, and at the largest size the
Dask engine with 2 workers against the local engine. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/scaling.py [--sizes 10000,100000,300000,1000000]
        [--dask-size 1000000] [--plain-size 1000000] [--name scaling] [--json FILE]
        [--png benchmarks/scaling.png]

Corpus: ../shared/data/real/debates_nl.tsv (2,777 turns, about 293,000 words; see its
SOURCES.md), turned into transcripts ("Spreker: tekst", about 5,000 words per file). Sizes
above one copy repeat it with variation so that no turn text repeats and the parse cache
cannot help: each further copy shuffles the turns of every debate and the sentences of every
turn, swaps the speakers' names (labels and mentions) among themselves, replaces every number
and opens every turn with a short phrase. Files go to a temporary folder, never the repository.
Every size starts from an empty database and empty caches.

Each stage is a fresh `focuslex` process. Seconds are wall clock, and CPU seconds (user +
system of the process and its children, from getrusage) are printed beside them because they
depend less on what else the machine runs; peak memory is the largest
summed resident memory of the process and all its children (workers included), sampled every
0.1 s with psutil. Baselines, measured in the same run: for each stage, linear growth from the
smallest size (the ratio says how far the cost grew below or above proportional); for
ingest + analyse at `--plain-size` (default the largest size) the plain script
(`benchmarks/plain_pipeline.py`, one process) on the same files; and for the Dask row the
local engine on the same corpus. The growth exponent is the slope of a least
squares fit of log(seconds) on log(words) over all sizes, and over the two largest (where the
fixed start-up costs matter least). No part of this corpus was tuned on for speed; the machine
may be shared, which the printout says.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import psutil

REPO = Path(__file__).resolve().parents[1]
DEBATES = REPO.parent / "shared" / "data" / "real" / "debates_nl.tsv"
if not DEBATES.is_file():  # a git worktree under /work/wt: the shared folder is /work/shared
    DEBATES = REPO.parents[1] / "shared" / "data" / "real" / "debates_nl.tsv"
FOCUSLEX = Path(sys.executable).parent / "focuslex"
FILE_WORDS = 5_000
OPENERS = ("Dank u wel, voorzitter.", "Kijk, voorzitter.", "Goed, ik ga verder.",
           "Ja, dat klopt.", "Laat ik daar duidelijk over zijn.", "Nog één punt.")
SETTINGS = '[paths]\ndata_dir = "data"\n'
STAGES = ("ingest", "analyse (termen)", "topics fit")


# -- the corpus -------------------------------------------------------------------------------

def read_turns() -> dict[str, list[tuple[str, str]]]:
    """Per debate, its turns (speaker, text) in order."""
    csv.field_size_limit(sys.maxsize)
    debates: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with DEBATES.open(encoding="utf8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            text = " ".join(row.get("text", "").split())
            if text:
                debates[row["doc_id"]].append((row["speaker"].strip() or "Voorzitter", text))
    return debates


def varied(debates: dict[str, list[tuple[str, str]]], copy: int
           ) -> dict[str, list[tuple[str, str]]]:
    """Copy 0 as it is; a further copy with shuffled turns and sentences, swapped speaker
    names, new numbers and an opening phrase per turn (no turn text repeats)."""
    if copy == 0:
        return debates
    rng = random.Random(copy)
    names = sorted({s for turns in debates.values() for s, _ in turns})
    swapped = dict(zip(names, rng.sample(names, len(names))))
    mention = re.compile(r"\b(" + "|".join(re.escape(n) for n in names if len(n) > 3) + r")\b")
    out = {}
    for doc, turns in debates.items():
        turns = list(turns)
        rng.shuffle(turns)
        new = []
        for speaker, text in turns:
            sentences = re.split(r"(?<=[.!?])\s+", text)
            rng.shuffle(sentences)
            text = re.sub(r"\d+", lambda m: str(rng.randint(1, 10 ** len(m.group()))),
                          " ".join(sentences))
            text = mention.sub(lambda m: swapped.get(m.group(), m.group()), text)
            new.append((swapped[speaker], f"{OPENERS[(copy - 1) % len(OPENERS)]} {text}"))
        out[f"{doc} ({copy + 1})"] = new
    return out


def write_corpus(folder: Path, words: int) -> int:
    """Transcript files of about `words` words in `folder`; returns the words written."""
    folder.mkdir(parents=True)
    debates, written, copy, number = read_turns(), 0, 0, 0
    while written < words:
        for _doc, turns in varied(debates, copy).items():
            lines: list[str] = []
            in_file = 0
            for speaker, text in turns:
                if written >= words:
                    break
                lines.append(f"{speaker}: {text}")
                in_file += len(text.split())
                written += len(text.split())
                if in_file >= FILE_WORDS:
                    number += 1
                    (folder / f"debat-{number:04d}.txt").write_text("\n".join(lines) + "\n",
                                                                     encoding="utf-8")
                    lines, in_file = [], 0
            if lines:
                number += 1
                (folder / f"debat-{number:04d}.txt").write_text("\n".join(lines) + "\n",
                                                                 encoding="utf-8")
            if written >= words:
                break
        copy += 1
    return written


# -- measuring ----------------------------------------------------------------------------

@dataclass
class Measured:
    seconds: float
    peak_mb: float
    output: str
    cpu_seconds: float = 0.0    # user + system of the process and its waited-for children


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    for p in [process, *process.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run_cli(base: Path, *args: str) -> Measured:
    """One `focuslex` command in a fresh process: wall seconds and peak summed RSS."""
    return run_measured([str(FOCUSLEX), "--settings", str(base / "settings.toml"), *args],
                        base)


def run_measured(command: list[str], base: Path) -> Measured:
    """A command in a fresh process from `base`: wall seconds, CPU seconds and peak summed
    RSS of it and its children."""
    args = command[1:]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=base, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
    peak = [0]
    watched = psutil.Process(child.pid)

    def sample() -> None:
        while child.poll() is None:
            try:
                peak[0] = max(peak[0], _tree_rss(watched))
            except psutil.Error:
                pass
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = child.stdout.read() if child.stdout else ""
    child.wait()
    seconds = time.perf_counter() - start
    sampler.join()
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({child.returncode}):\n{output}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return Measured(seconds, peak[0] / 2 ** 20, output.strip(), cpu)


def measure_size(root: Path, words: int, topics: bool) -> tuple[int, dict[str, Measured], Path]:
    """Ingest, analyse (terms) and (with `topics`) topics fit of one size in an empty
    folder; prints each stage as it ends."""
    base = root / f"w{words}"
    written = write_corpus(base / "corpus", words)
    (base / "settings.toml").write_text(SETTINGS, encoding="utf-8")
    commands = {"ingest": ("ingest", str(base / "corpus")),
                "analyse (termen)": ("analyse", "--no-topics"), "topics fit": ("topics", "fit")}
    stages: dict[str, Measured] = {}
    for stage, command in commands.items():
        if stage == "topics fit" and not topics:
            break
        stages[stage] = run_cli(base, *command)
        print(f"  {words:,} woorden, {stage}: {stages[stage].seconds:.1f} s, "
              f"{stages[stage].cpu_seconds:.1f} s CPU, {stages[stage].peak_mb:.0f} MB",
              flush=True)
        if stage == "ingest":
            shutil.copytree(base / "data", root / f"w{words}-ingested")  # for the Dask run
    return written, stages, root / f"w{words}-ingested"


def measure_plain(base: Path) -> Measured:
    """The plain script (`benchmarks/plain_pipeline.py`: spaCy's own `nlp.pipe` and a plain
    `Matcher` with the same term patterns, one process) on the same transcript files."""
    return run_measured([sys.executable, str(REPO / "benchmarks" / "plain_pipeline.py"),
                         str(base / "corpus")], base)


def plain_rows(words: int, stages: dict[str, Measured], plain: Measured
               ) -> list[dict[str, object]]:
    """focuslex from files to stored hits (ingest + analyse) against the plain script on the
    same files in the same run; the 1M-word target of issue 17."""
    label = f"ingest + analyse (termen), {words:,} woorden"
    same = "plain nlp.pipe + Matcher, 1 proces, zelfde bestanden (zelfde run)"
    target = "< 180 s" if words >= 1_000_000 else None
    seconds = sum(stages[s].seconds for s in STAGES[:2])
    cpu = sum(stages[s].cpu_seconds for s in STAGES[:2])
    return [row(f"{label}: tijd", seconds, "s", same, plain.seconds, target),
            row(f"{label}: CPU-tijd", cpu, "s", same, plain.cpu_seconds,
                note="user + system: minder gevoelig voor andere belasting dan de "
                     "wandkloktijd"),
            row(f"{label}: piekgeheugen (grootste stap)",
                max(stages[s].peak_mb for s in STAGES[:2]), "MB", same, plain.peak_mb)]


def measure_dask(root: Path, ingested: Path, workers: int) -> Measured:
    """`analyse --no-topics --engine dask --workers N` on the same ingested corpus, in the
    state the local `analyse` started from (copied right after the ingest)."""
    base = root / "dask"
    base.mkdir()
    shutil.copytree(ingested, base / "data")
    (base / "settings.toml").write_text(SETTINGS, encoding="utf-8")
    return run_cli(base, "analyse", "--no-topics", "--engine", "dask", "--workers",
                   str(workers))


# -- figures ------------------------------------------------------------------------------

def exponent(words: list[int], seconds: list[float]) -> float:
    """Slope of the least squares line of log(seconds) on log(words)."""
    return float(np.polyfit(np.log(words), np.log(seconds), 1)[0])


def row(figure: str, value: float, unit: str, baseline: str | None = None,
        baseline_value: float | None = None, target: str | None = None,
        note: str | None = None) -> dict[str, object]:
    ratio = (value / baseline_value) if baseline_value else None
    return {"figure": figure, "value": round(value, 3), "unit": unit, "baseline": baseline,
            "baseline_value": None if baseline_value is None else round(baseline_value, 3),
            "ratio": None if ratio is None else round(ratio, 3), "target": target,
            "note": note}


def size_rows(results: dict[int, dict[str, Measured]]) -> list[dict[str, object]]:
    """Seconds, words/s and peak memory per size and stage, against linear growth from the
    smallest size."""
    sizes = sorted(results)
    smallest = sizes[0]
    rows = []
    for words in sizes:
        for stage in [x for x in STAGES if x in results[words] and x in results[smallest]]:
            m, first = results[words][stage], results[smallest][stage]
            linear = first.seconds * words / smallest
            rows.append(row(f"{stage}, {words:,} woorden: tijd", m.seconds, "s",
                            f"lineair vanaf {smallest:,} woorden (zelfde run)",
                            linear if words != smallest else None))
            rows.append(row(f"{stage}, {words:,} woorden: CPU-tijd", m.cpu_seconds, "s",
                            f"lineair vanaf {smallest:,} woorden (zelfde run)",
                            first.cpu_seconds * words / smallest if words != smallest else None,
                            note="user + system van het proces en zijn kinderen: minder "
                                 "gevoelig voor andere belasting dan de wandkloktijd"))
            rows.append(row(f"{stage}, {words:,} woorden: piekgeheugen", m.peak_mb, "MB",
                            f"{smallest:,} woorden (zelfde run)",
                            first.peak_mb if words != smallest else None,
                            "< 2048 MB bij 1M woorden" if words >= 1_000_000 else None))
        total = sum(results[words][s].seconds for s in STAGES[:2])
        rows.append(row(f"ingest + analyse (termen), {words:,} woorden: woorden/s",
                        words / total, "woorden/s"))
    return rows


def exponent_rows(results: dict[int, dict[str, Measured]]) -> list[dict[str, object]]:
    sizes = sorted(results)
    rows = []
    if len(sizes) < 2:
        return rows
    for stage in STAGES:
        sizes = [w for w in sorted(results) if stage in results[w]]
        if len(sizes) < 2:
            continue
        seconds = [results[w][stage].seconds for w in sizes]
        target = "<= 1 (hoogstens lineair)" if stage != "topics fit" else None
        rows.append(row(f"{stage}: groei-exponent (alle groottes)", exponent(sizes, seconds),
                        "", "lineair", 1.0, target))
        if len(sizes) > 2:
            rows.append(row(f"{stage}: groei-exponent ({sizes[-2]:,} -> {sizes[-1]:,})",
                            exponent(sizes[-2:], seconds[-2:]), "", "lineair", 1.0, target))
    return rows


def plot(results: dict[int, dict[str, Measured]], path: Path) -> None:
    """Log-log chart of seconds and peak memory per stage against words (Altair PNG)."""
    import altair as alt
    import vl_convert

    data = [{"woorden": w, "stap": stage, "maat": maat, "waarde": value}
            for w, stages in results.items() for stage, m in stages.items()
            for maat, value in (("seconden", m.seconds), ("piekgeheugen (MB)", m.peak_mb))]
    chart = alt.Chart(alt.Data(values=data)).mark_line(point=True).encode(
        x=alt.X("woorden:Q", scale=alt.Scale(type="log"), title="woorden"),
        y=alt.Y("waarde:Q", scale=alt.Scale(type="log"), title=None),
        color=alt.Color("stap:N", title="stap"),
    ).properties(width=320, height=240).facet(
        column=alt.Column("maat:N", title=None)).resolve_scale(y="independent").properties(
        title="focuslex vanaf de opdrachtregel: tijd en geheugen per stap (log-log)")
    path.write_bytes(vl_convert.vegalite_to_png(chart.to_json(), scale=2))


def print_rows(rows: list[dict[str, object]]) -> None:
    for r in rows:
        base = (f"  baseline {r['baseline']}: {r['baseline_value']:g} (ratio {r['ratio']:.2f})"
                if r["baseline_value"] is not None else "")
        target = f"  doel {r['target']}" if r["target"] else ""
        print(f"{r['figure']}: {r['value']:g} {r['unit']}{base}{target}")


def write_figures(results: dict[int, dict[str, Measured]], extra: list[dict[str, object]],
                  args: argparse.Namespace, load: float, final: bool) -> None:
    """The rows so far: printed at the end, written (JSON, PNG) after every size."""
    rows = size_rows(results) + exponent_rows(results) + extra
    note = (f"machine gedeeld met andere processen: load average {load:.1f} bij de start, "
            f"{os.getloadavg()[0]:.1f} bij het schrijven (2 kernen)")
    for r in rows:
        r["note"] = r["note"] or note
    if final:
        print_rows(rows)
        print(note)
    if len(results) >= 2:
        plot(results, args.png)
    if args.json:
        args.json.write_text(json.dumps({"name": args.name, "title": "Schaal: 10k tot 1M "
                                         "woorden vanaf de opdrachtregel, lokaal en Dask",
                                         "rows": rows}, ensure_ascii=False, indent=1),
                             encoding="utf-8")


def dask_rows(words: int, workers: int, dask: Measured,
              local: Measured) -> list[dict[str, object]]:
    label = f"analyse (termen) {words:,} woorden, Dask {workers} workers"
    same = "lokale engine, zelfde corpus (zelfde run)"
    return [row(f"{label}: tijd", dask.seconds, "s", same, local.seconds),
            row(f"{label}: CPU-tijd (alle processen)", dask.cpu_seconds, "s", same,
                local.cpu_seconds),
            row(f"{label}: piekgeheugen (alle processen)", dask.peak_mb, "MB", same,
                local.peak_mb)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,300000,1000000",
                        help="comma-separated word counts")
    parser.add_argument("--dask-size", type=int, default=None,
                        help="size for local vs Dask (default: the largest; 0: skip)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--topics-max", type=int, default=None,
                        help="run `topics fit` only up to this many words (default: always)")
    parser.add_argument("--plain-size", type=int, default=None,
                        help="size at which the plain script runs as the baseline of ingest + "
                             "analyse (default: the largest; 0: skip)")
    parser.add_argument("--name", default="scaling", help="name of the JSON result")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--png", type=Path, default=REPO / "benchmarks" / "scaling.png")
    args = parser.parse_args()
    if not DEBATES.is_file():
        print(f"{DEBATES} not found: nothing to measure")
        return
    sizes = sorted(int(s) for s in args.sizes.split(","))
    dask_size = sizes[-1] if args.dask_size is None else args.dask_size
    plain_size = sizes[-1] if args.plain_size is None else args.plain_size
    load = os.getloadavg()[0]
    print(f"focuslex scaling on {DEBATES.name}; {os.cpu_count()} cores, load average "
          f"{load:.1f} at the start", flush=True)
    results: dict[int, dict[str, Measured]] = {}
    extra: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="focuslex-scaling-") as folder:
        root = Path(folder)
        for words in sizes:
            written, stages, ingested = measure_size(
                root, words, args.topics_max is None or words <= args.topics_max)
            results[words] = stages
            print(f"{words:,} woorden ({written:,} geschreven): " + ", ".join(
                f"{s} {m.seconds:.1f} s / {m.peak_mb:.0f} MB" for s, m in stages.items()),
                flush=True)
            write_figures(results, extra, args, load, final=False)
            if words == plain_size:
                plain = measure_plain(root / f"w{words}")
                print(f"plain script: {plain.seconds:.1f} s, {plain.cpu_seconds:.1f} s CPU, "
                      f"{plain.peak_mb:.0f} MB", flush=True)
                extra += plain_rows(words, stages, plain)
            if words == dask_size:
                dask = measure_dask(root, ingested, args.workers)
                print(f"Dask {args.workers} workers: {dask.seconds:.1f} s / "
                      f"{dask.peak_mb:.0f} MB", flush=True)
                extra += dask_rows(words, args.workers, dask, stages["analyse (termen)"])
            shutil.rmtree(root / f"w{words}", ignore_errors=True)
    write_figures(results, extra, args, load, final=True)
    print(f"plot: {args.png}")


if __name__ == "__main__":
    main()
