"""Time and peak memory of `focuslex ingest` against file size (issue 15). Prints figures;
asserts nothing.

    .venv/bin/python benchmarks/ingest_scaling.py [--sizes 0.5 1 2 4] [--no-pipeline]

Each size is a generated Dutch transcript (three speakers, short turns: about 20,000 turns
per MB), ingested by a fresh `focuslex ingest` process into an empty database. The
baseline is the smallest size, measured in the same run: for linear cost, seconds and
memory above the process's fixed cost grow with the size ratio. Peak memory is the
child process's maximum resident set size (os.wait4). Generated text only: no dev
or test split applies (nothing is tuned on it).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("integratie is voor mij vooral een kwestie van samen leven en elkaar kennen in de "
         "buurt op school op het werk en in de taal die we delen").split()
NAMES = ("Jan Peeters", "Sofie Janssens", "Moderator")


def transcript(megabytes: float, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    lines, size, number = [], 0, 0
    while size < megabytes * 1_000_000:
        line = f"{NAMES[number % 3]}: " + " ".join(rng.choice(WORDS)
                                                   for _ in range(rng.randint(3, 12)))
        lines.append(line)
        size += len(line) + 1
        number += 1
    return "\n".join(lines).encode("utf-8")


def measure(data: bytes, pipeline: bool) -> tuple[float, float, str]:
    """Seconds, peak MB and the last output line of one ingest in a fresh process."""
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        (base / "t.txt").write_bytes(data)
        (base / "settings.toml").write_text(
            f'[paths]\ndata_dir = "data"\n[pseudonymise]\n'
            f"detect_with_pipeline = {'true' if pipeline else 'false'}\n", encoding="utf-8")
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "pipeline.cli.main", "--settings",
                                    str(base / "settings.toml"), "ingest", str(base / "t.txt")],
                                   cwd=base, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                   text=True)
        out = process.stdout.read() if process.stdout else ""
        _, _, usage = os.wait4(process.pid, 0)  # this child's own peak memory
        seconds = time.perf_counter() - start
        last = (out.strip().splitlines() or ["(geen uitvoer)"])[-1]
        return seconds, usage.ru_maxrss / 1024, last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.5, 1, 2, 4])
    parser.add_argument("--no-pipeline", action="store_true",
                        help="name detection without the spaCy pipeline")
    args = parser.parse_args()
    sizes = sorted(args.sizes)
    print(f"focuslex ingest of generated transcripts; name detection "
          f"{'without' if args.no_pipeline else 'with'} the spaCy pipeline")
    print(f"{'MB':>5} {'turns':>8} {'seconds':>8} {'peak MB':>8} {'+s/MB':>7} "
          f"{'+peak/MB':>9}  result")
    base: tuple[float, float, float] | None = None
    for size in sizes:
        data = transcript(size)
        seconds, peak, last = measure(data, not args.no_pipeline)
        turns = data.count(b"\n") + 1
        mb = len(data) / 1e6
        base = base or (mb, seconds, peak)
        grow = (f"{(seconds - base[1]) / (mb - base[0]):>7.1f} "
                f"{(peak - base[2]) / (mb - base[0]):>9.1f}" if mb > base[0] else
                f"{'-':>7} {'-':>9}")
        print(f"{mb:>5.2f} {turns:>8} {seconds:>8.1f} {peak:>8.0f} {grow}  {last}")
    print(f"baseline: the {sizes[0]} MB run of this invocation. +s/MB and +peak/MB: seconds "
          "and peak MB above the baseline per MB above it; linear cost keeps them flat down "
          "the table, quadratic cost makes them grow with the size.")


if __name__ == "__main__":
    main()
