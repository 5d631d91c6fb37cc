"""Run a benchmark script that prints its figures but has no `--json` of its own yet, and
write its printed output as a results JSON (no rows: RESULTS.md shows the output as it
printed it, figures beside their own baselines).

    .venv/bin/python benchmarks/capture.py --json FILE --title TITLE -- script.py [args]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--title", required=True)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = [c for c in args.command if c != "--"]
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *command], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    output = done.stdout.strip()
    if done.returncode:
        output += f"\n(exit code {done.returncode})\n" + done.stderr.strip()[-2000:]
    name = Path(command[0]).stem
    print(output)
    args.json.write_text(json.dumps({
        "name": name, "title": f"{args.title} ({seconds:.0f} s)", "rows": [],
        "output": output}, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
