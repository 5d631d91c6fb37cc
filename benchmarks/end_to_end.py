"""End to end from the command line, as a user waits for it (issue 17, items 1 and 4).

    .venv/bin/python benchmarks/end_to_end.py [--quick] [--json FILE] [--keep DIR]

1. The debates file (../shared/data/real/debates_nl.tsv, 293k words, turned into one
   transcript per debate by `benchmarks/debates.py`): `focuslex ingest` then `focuslex analyse
   --no-topics` (files to stored hits), each a fresh process into an empty folder; wall clock,
   CPU seconds and peak memory of each (os.wait4), words/s; how many texts `analyse` parsed
   although the ingest had parsed them. Baseline in the same run: `benchmarks/plain_pipeline.py`
   (spaCy's own pipeline through plain `nlp.pipe` with the same term patterns in a plain
   `Matcher`, one process) on the same files.
2. The demo corpus from files to a browsable app: `lexicon import --seed`, `ingest`,
   `analyse` (with topics and activity suggestions), `users init`, then `streamlit run` until
   its health check answers; target < 60 s. Baseline: the plain script on the demo's .txt/.md
   transcripts (the formats it can read).
3. Start-up of the command line: the median of several runs of `focuslex --help`,
   `focuslex lexicon list` and `focuslex analyse --no-topics` (on the demo store, everything
   cached; in `--quick` mode on the debates folder), each against the eager import of every
   command module (`pipeline.cli.main` and every lazy command: what each command imported
   before lazy loading) measured in the same run.
The 1M-words figure here is extrapolated linearly from the debates run (the scaling
benchmark measures it). Real text nobody tuned the speed on; the demo corpus is dev. With
`--quick`, the first 30 debate utterances and no app start. Asserts nothing.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import socket
import sys
import tempfile
import time
import urllib.request
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from debates import shared_present, write_transcripts  # noqa: E402
from results import Results, run_child  # noqa: E402

PY = sys.executable
BIN = Path(sys.executable).parent
DEMO = REPO / "corpora" / "demo"
GB2 = "< 2048 MB"


def focuslex(work: Path, *args: str):
    child = run_child([str(BIN / "focuslex"), "--settings", str(work / "settings.toml"),
                       "--as", "benchmark", *args], cwd=work)
    if child.returncode != 0:
        raise SystemExit(f"focuslex {' '.join(args)} failed:\n{child.stderr[-2000:]}")
    return child


def prepare(work: Path) -> None:
    work.mkdir(parents=True, exist_ok=True)
    (work / "settings.toml").write_text('[paths]\ndata_dir = "data"\n', encoding="utf-8")


def debates(results: Results, work: Path, limit: int | None) -> None:
    prepare(work)
    files, words = write_transcripts(work / "corpus", limit)
    ingest = focuslex(work, "ingest", str(work / "corpus"))
    analyse = focuslex(work, "analyse", "--no-topics")
    parsed = re.search(r"\((\d+) nieuw ontleed", analyse.stdout)
    plain = run_child([PY, str(REPO / "benchmarks" / "plain_pipeline.py"),
                       str(work / "corpus")])
    base_words = int(plain.stdout.split()[1]) if plain.returncode == 0 else words
    wall, cpu = ingest.seconds + analyse.seconds, ingest.cpu + analyse.cpu
    part = f"debates, {words:,} words in {len(files)} transcripts (real text, not tuned on)"
    plain_name = "plain nlp.pipe + Matcher, 1 process"
    results.add("ingest + analyse: words/s (wall clock)", words / wall, "words/s",
                baseline=plain_name, baseline_value=base_words / plain.seconds, note=part)
    results.add("ingest + analyse: words/s (CPU time)", words / cpu, "words/s",
                baseline=plain_name, baseline_value=base_words / plain.cpu,
                note="CPU seconds of the processes: less sensitive to a loaded machine")
    results.add("ingest (wall clock)", ingest.seconds, "s", baseline=plain_name,
                baseline_value=plain.seconds, note=f"CPU {ingest.cpu:.1f} s "
                                                   f"(plain script {plain.cpu:.1f} s)")
    results.add("analyse --no-topics (wall clock)", analyse.seconds, "s", baseline=plain_name,
                baseline_value=plain.seconds, note=f"CPU {analyse.cpu:.1f} s")
    results.add("texts analyse parsed again after ingest", float(parsed.group(1)) if parsed
                else None, "texts", target="<= 0",
                note="the ingest's parse is handed on through the token-table cache")
    results.add("1M words files to hits, extrapolated", 1e6 / words * wall, "s",
                baseline=plain_name, baseline_value=1e6 / base_words * plain.seconds,
                target="< 180 s", note="linear extrapolation of the debates run, 1 process")
    for name, child in (("ingest", ingest), ("analyse --no-topics", analyse)):
        results.add(f"peak memory: {name}", child.peak_mb, "MB", baseline=plain_name,
                    baseline_value=plain.peak_mb, target=GB2)


def app_start(work: Path) -> float:
    """Seconds from `streamlit run` to an answering health check (the server is stopped)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    start = time.perf_counter()
    server = subprocess.Popen(
        [str(BIN / "streamlit"), "run", str(REPO / "app.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port),
         "--browser.gatherUsageStats", "false", "--", "--settings",
         str(work / "settings.toml")], cwd=work, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - start < 120:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                            timeout=2) as answer:
                    if answer.status == 200:
                        return time.perf_counter() - start
            except OSError:
                time.sleep(0.2)
        return float("nan")
    finally:
        server.terminate()
        server.wait(timeout=30)


def demo(results: Results, work: Path) -> None:
    prepare(work)
    steps = [focuslex(work, "lexicon", "import", "--seed"),
             focuslex(work, "ingest", str(DEMO), "--participants",
                      str(DEMO / "participants.csv")),
             focuslex(work, "analyse")]
    run_child([str(BIN / "focuslex"), "--settings", str(work / "settings.toml"), "users",
               "init", "--name", "beheerder"], cwd=work)
    app = app_start(work)
    plain = run_child([PY, str(REPO / "benchmarks" / "plain_pipeline.py"), str(DEMO)])
    total = sum(s.seconds for s in steps) + app
    results.add("demo: files to a browsable app", total, "s",
                baseline="plain nlp.pipe + Matcher on the demo's .txt/.md",
                baseline_value=plain.seconds, target="< 60 s",
                note=f"dev (demo corpus); import {steps[0].seconds:.1f} s, ingest "
                     f"{steps[1].seconds:.1f} s, analyse with topics {steps[2].seconds:.1f} s, "
                     f"app start {app:.1f} s")
    results.add("peak memory: demo analyse with topics", steps[2].peak_mb, "MB",
                baseline="plain script", baseline_value=plain.peak_mb, target=GB2)


EAGER_IMPORT = ("import pipeline.cli.main as m, pipeline.cli.lazy as lazy\n"
                "for command in m.LAZY_COMMANDS.values(): lazy.resolve(command.target)")


def median_child(command: list[str], cwd: Path, repeat: int) -> tuple[float, float, float]:
    """Median wall clock, CPU seconds and peak memory of `repeat` runs of a command."""
    runs = [run_child(command, cwd=cwd) for _ in range(repeat)]
    failed = [r for r in runs if r.returncode != 0]
    if failed:
        raise SystemExit(f"{' '.join(command)} failed:\n{failed[0].stderr[-2000:]}")
    return (statistics.median(r.seconds for r in runs), statistics.median(r.cpu for r in runs),
            statistics.median(r.peak_mb for r in runs))


def startup(results: Results, work: Path, user: str, repeat: int) -> None:
    """Start-up of three commands against the eager import of every command module."""
    base = [str(BIN / "focuslex"), "--settings", str(work / "settings.toml"), "--as", user]
    eager, eager_cpu, _ = median_child([PY, "-c", EAGER_IMPORT], work, repeat)
    baseline = "python -c: every command module imported (as before lazy loading)"
    for args in (["--help"], ["lexicon", "list"], ["analyse", "--no-topics"]):
        wall, cpu, peak = median_child([*base, *args], work, repeat)
        results.add(f"start-up: focuslex {' '.join(args)} (median of {repeat})", wall, "s",
                    baseline=baseline, baseline_value=eager,
                    note=f"CPU {cpu:.2f} s (eager import {eager_cpu:.2f} s), peak {peak:.0f} "
                         "MB; the baseline is only the import, the command does its work too")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="30 utterances, no app start")
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="focuslex-e2e-"))
    results = Results("end_to_end", "End to end from the command line")
    try:
        if shared_present():
            debates(results, work / "debates", 30 if args.quick else None)
        else:
            results.add("debates run", None, "", note="skipped: ../shared/data absent")
        if not args.quick:
            demo(results, work / "demo")
            startup(results, work / "demo", "beheerder", 5)
        elif shared_present():
            startup(results, work / "debates", "benchmark", 1)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    results.write(args.json)


if __name__ == "__main__":
    main()
