"""Speed of reports: time to build the document model and to render each format, beside the
time to load the report's data from the store (the baseline, measured in the same run).

    .venv/bin/python benchmarks/report_speed.py [--terms N] [--repeat R] [--work DIR]
        [--json FILE]

Data: the demo corpus (corpora/demo) with the seed lexicon, ingested and analysed into a
temporary folder first (not timed), release 1 frozen. Stages, each the best of `--repeat`
runs: load (`load_context`: hits, utterances, lexicon release), build (`build_report`:
sections, quotes, collocations, chart specifications), then per format the rendering with
the leak scan (`export_report`; charts are drawn inside html, pdf and docx). `--terms N`
reports on the N most used terms (0: all). Prints figures; asserts nothing. The demo corpus
is the corpus the report code was developed on (dev); there is no held-out set for speed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from lexicon.io import load_seed  # noqa: E402
from lexicon.store import LexiconStore  # noqa: E402
from pipeline.core.records import DocumentMeta  # noqa: E402
from pipeline.core.settings import Settings, load_settings  # noqa: E402
from pipeline.ingest.service import Ingestor, collect_requests  # noqa: E402
from pipeline.ingest.sheets import read_participants  # noqa: E402
from pipeline.privacy.leaks import leak_scanner  # noqa: E402
from pipeline.reports.build import build_report  # noqa: E402
from pipeline.reports.context import ReportOptions, load_context  # noqa: E402
from pipeline.reports.export import FORMATS, export_report  # noqa: E402
from pipeline.store.database import Store  # noqa: E402
from pipeline.terms.run import run_analysis  # noqa: E402

sys.path.insert(0, str(REPO / "benchmarks"))
from results import Results  # noqa: E402

DEMO = REPO / "corpora" / "demo"


def prepare(work: Path) -> tuple[Settings, Store]:
    settings = load_settings(base_dir=work)
    store = Store(settings.database_url)
    if not store.stored_utterances():
        LexiconStore(store).import_entries(load_seed(), by="benchmark", why="seed")
        Ingestor(settings, store, read_participants(DEMO / "participants.csv", settings.ingest)).ingest(
            collect_requests([DEMO], DocumentMeta(), settings))
        run_analysis(settings, store)
        LexiconStore(store).release(by="benchmark")
    return settings, store


def best(repeat: int, work: object) -> tuple[tuple[float, float], object]:
    """(wall seconds, CPU seconds of this process) of the fastest run, and its result."""
    times, result = [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()  # type: ignore[operator]
        times.append((time.perf_counter() - wall, time.process_time() - cpu))
    return min(times), result


def line(row: tuple[str, tuple[float, float], tuple[float, float], str]) -> None:
    name, (wall, cpu), (load, _), size = row
    print(f"  {name:<24}{wall:>8.2f}{cpu:>8.2f}{wall / load:>13.1f}×{size:>10}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=0, help="most used N terms (0: all)")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--work", type=Path, help="folder to keep the demo database in")
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="focuslex-report-bench-"))
    settings, store = prepare(work)
    options = ReportOptions(author="benchmark")
    if args.terms:
        ranked = load_context(store, settings, options).term_ids[:args.terms]
        options = ReportOptions(terms=tuple(ranked), author="benchmark")
    load, ctx = best(args.repeat, lambda: load_context(store, settings, options))
    build, report = best(args.repeat, lambda: build_report(ctx))  # type: ignore[arg-type]
    scanner = leak_scanner(settings)
    terms, uses = len(ctx.term_ids), len(ctx.hits)  # type: ignore[attr-defined]
    charts = len(report.charts())  # type: ignore[attr-defined]
    print(f"demo corpus (dev), {terms} terms, {uses} uses, {charts} charts; "
          f"best of {args.repeat}")
    print(f"  {'stage':<24}{'wall s':>8}{'CPU s':>8}{'wall vs load':>14}{'size':>10}")
    line(("load data (baseline)", load, load, ""))
    line(("build document model", build, load, ""))
    results = Results("report_speed", "Report build time per format")
    note = f"dev (demo corpus): {terms} terms, {uses} uses, {charts} charts; best of {args.repeat}"
    results.add("build document model", build[0], "s", baseline="load data from the store",
                baseline_value=load[0], note=note)
    for fmt in FORMATS:
        seconds, data = best(args.repeat, lambda: export_report(report, fmt, scanner))
        size = f"{len(data) / 1024:,.0f} KiB"  # type: ignore[arg-type]
        line((f"render {fmt}", seconds, load, size))
        results.add(f"render {fmt} (with leak scan)", seconds[0], "s",
                    baseline="load data from the store", baseline_value=load[0],
                    note=f"{size}")
    store.close()
    if args.json:
        results.write(args.json)


if __name__ == "__main__":
    main()
