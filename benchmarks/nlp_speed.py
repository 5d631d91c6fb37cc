"""Words per second of the Dutch pipeline, uncached and from the parse cache.

    .venv/bin/python benchmarks/nlp_speed.py [--processes 1 2] [--installed] [--limit N]

Corpora: the demo transcripts in corpora/demo/ (read with focuslex's own readers, one text per
speaker turn) and ../shared/data/real/debates_nl.tsv (about 290k words of Dutch parliamentary
debates, one text per utterance); a corpus that is absent is reported and skipped.
For each corpus and process count: "no cache" (parse only), "cold" (parse + write the cache
into an empty folder) and "cached" (the same call again: read from the cache).
Words are spaCy tokens without whitespace tokens. Prints figures; asserts nothing.
By default the bundled pipeline is measured; --installed uses settings' package if present.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.core.errors import FocuslexError  # noqa: E402
from pipeline.nlp.cache import parse_texts  # noqa: E402
from pipeline.nlp.loader import load_pipeline, pipeline_id  # noqa: E402
from pipeline.core.settings import NlpSettings, Settings  # noqa: E402

DEMO = REPO / "corpora" / "demo"
DEBATES = REPO.parent / "shared" / "data" / "real" / "debates_nl.tsv"
TRANSCRIPT_SUFFIXES = {".txt", ".md", ".docx", ".vtt", ".srt", ".pdf"}


def read_demo() -> list[str] | None:
    files = sorted(p for p in DEMO.rglob("*") if p.suffix.lower() in TRANSCRIPT_SUFFIXES)
    if not files:
        return None
    from pipeline.ingest.readers import SourceFile, read_source
    from pipeline.core.settings import IngestSettings
    from pipeline.core.records import Kind

    texts: list[str] = []
    for path in files:
        source = SourceFile(path.name, path.read_bytes())
        try:
            try:
                parsed = read_source(source, Kind.TRANSCRIPT, IngestSettings())
            except FocuslexError as exc:
                if exc.code != "FX-IN-007":  # no speakers: a statement, not a transcript
                    raise
                parsed = read_source(source, Kind.STATEMENT, IngestSettings())
            texts += [t.text for t in parsed.turns if t.text.strip()]
        except Exception as exc:  # a reader problem is not what this benchmark measures
            print(f"  (skipping {path.relative_to(REPO)}: {exc})")
    return texts


def read_debates() -> list[str] | None:
    if not DEBATES.is_file():
        return None
    csv.field_size_limit(sys.maxsize)
    with DEBATES.open(encoding="utf8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [row["text"] for row in rows if row.get("text", "").strip()]


def words(docs) -> int:
    return sum(1 for doc in docs for t in doc if not t.is_space)


def measure(nlp, texts: list[str], n_process: int, batch_size: int) -> dict[str, float]:
    figures: dict[str, float] = {}
    start = time.perf_counter()
    docs = parse_texts(nlp, texts, None, n_process=n_process, batch_size=batch_size)
    figures["no cache"] = time.perf_counter() - start
    n_words = words(docs)
    with tempfile.TemporaryDirectory(prefix="fx-bench-") as tmp:
        start = time.perf_counter()
        parse_texts(nlp, texts, Path(tmp), n_process=n_process, batch_size=batch_size)
        figures["cold"] = time.perf_counter() - start
        start = time.perf_counter()
        cached = parse_texts(nlp, texts, Path(tmp), n_process=n_process, batch_size=batch_size)
        figures["cached"] = time.perf_counter() - start
    assert words(cached) == n_words
    return {"words": n_words, **figures}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--installed", action="store_true",
                    help="prefer an installed nl_core_news_* package (default: bundled only)")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N texts per corpus")
    args = ap.parse_args(argv)

    settings = Settings() if args.installed else Settings(nlp=NlpSettings(model=""))
    nlp = load_pipeline(settings)
    nlp("Opwarmen: de opzoektabel en de modellen worden geladen.")
    print(f"pipeline: {pipeline_id(nlp)}  components: {', '.join(nlp.pipe_names)}")
    corpora = {"demo corpus (corpora/demo)": read_demo(),
               "debates_nl.tsv (../shared/data/real)": read_debates()}
    print("| corpus | texts | words | processes | no cache w/s | per process | cold w/s "
          "| cached w/s | cached vs no cache |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, texts in corpora.items():
        if not texts:
            print(f"| {name} | missing: nothing to measure | | | | | | | |")
            continue
        if args.limit:
            texts = texts[: args.limit]
        for n in args.processes:
            f = measure(nlp, texts, n, args.batch_size)
            w = f["words"]
            print(f"| {name} | {len(texts):,} | {w:,} | {n} | {w / f['no cache']:,.0f} "
                  f"| {w / f['no cache'] / n:,.0f} | {w / f['cold']:,.0f} "
                  f"| {w / f['cached']:,.0f} | {f['no cache'] / f['cached']:.0f}× |", flush=True)


if __name__ == "__main__":
    main()
