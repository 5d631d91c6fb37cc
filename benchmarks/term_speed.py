"""Speed of term matching: full analysis (parse + match) and re-matching from the caches
after a lexicon edit, on the 290k-word parliamentary debates file.

    .venv/bin/python benchmarks/term_speed.py [--skip-cold] [--cache DIR] [--limit N]
                                              [--repeat N]

Corpus: ../shared/data/real/debates_nl.tsv (one text per utterance); absent: nothing to do.
Words are whitespace-separated words (as `Document.word_count`). Stages:
- full analysis, cold: parse with the Dutch pipeline into an empty cache folder (DocBin and
  token tables written), then match (skipped with --skip-cold: it takes minutes);
- re-match from the token-table cache: a lexicon edit (an alternative label added, so the
  matcher and its form cache are new), then load every token table and match, as
  `focuslex analyse` does when nothing is new. This is the figure with a target
  (>= 300,000 words/s); the pipeline is loaded once beforehand, as in a running app;
- the same with the fuzzy pass and the sense step (issue 16), beside the baseline without
  them in the same run; once more with the sentence encoder loaded inside the timing. The
  sense step's target: a re-match stays above 100,000 words/s;
- for comparison: the same from the DocBin cache (Doc deserialisation + token table).
Hits per second = hits found / seconds of the stage. With --repeat N every re-match stage
runs N times in turn (baseline, sense step, ...) and the median and the fastest total are
printed as well: on a shared machine one run says more about the load than about the code.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DEBATES = REPO.parent / "shared" / "data" / "real" / "debates_nl.tsv"
if not DEBATES.is_file():  # a git worktree under /work/wt: the shared folder is /work/shared
    DEBATES = REPO.parents[1] / "shared" / "data" / "real" / "debates_nl.tsv"


def read_debates(limit: int | None) -> list[str]:
    csv.field_size_limit(sys.maxsize)
    with DEBATES.open(encoding="utf8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        texts = [row["text"] for row in rows if row.get("text", "").strip()]
    return texts[:limit] if limit else texts


def metas(texts: list[str]):
    from pipeline.core.records import StoredUtterance

    return [StoredUtterance(document_id=1, index=i, text=t, char_start=0, speaker=None,
                          group="onbekend", round=None) for i, t in enumerate(texts)]


def edited(entries):
    """The seed lexicon with one alternative label added (a typical lexicon edit)."""
    first = entries[0]
    changed = dataclasses.replace(first, alt_labels=first.alt_labels + ("integratiemodel",))
    return [changed] + list(entries[1:])


def report(name: str, seconds: float, words: int, hits: int) -> None:
    print(f"  {name:<44}{seconds:>8.2f} s {words / seconds:>12,.0f} words/s "
          f"{hits / seconds:>10,.0f} hits/s")


def time_cold(nlp, texts: list[str], utterances, entries) -> None:
    """A full analysis into an empty cache folder (parse + match)."""
    from pipeline.nlp.cache import token_tables
    from pipeline.terms.matcher import TermMatcher, find_terms

    tmp = Path(tempfile.mkdtemp(prefix="fx-speed-"))
    try:
        start = time.perf_counter()
        tables, _ = token_tables(nlp, texts, tmp)
        hits = find_terms(tables, utterances, TermMatcher.from_entries(entries))
        report("full analysis, cold (parse + match)", time.perf_counter() - start,
               sum(len(t.split()) for t in texts), len(hits))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def time_rematches(nlp, texts: list[str], utterances, entries, tables_of,
                   args: argparse.Namespace) -> None:
    """The re-match stages after a lexicon edit (--repeat rounds of all of them)."""
    from pipeline.core.settings import TermSettings
    from pipeline.nlp.cache import token_tables
    from pipeline.nlp.encoder import load_encoder
    from pipeline.terms.matcher import TermMatcher, find_terms
    from pipeline.terms.senses import SenseModel

    words = sum(len(t.split()) for t in texts)
    runs = (("BASELINE re-match after a lexicon edit (no fuzzy, no senses)", edited(entries),
             False, False, False),
            ("re-match after a lexicon edit, sense step (fuzzy pass off)", edited(entries),
             True, False, False),
            ("same, encoder loaded in the timing (worst case: analyse loads it only to encode)",
             edited(entries), True, True,
             False),
            ("re-match after a lexicon edit, sense step + fuzzy pass (default settings)",
             edited(entries), True, False, True),
            ("re-match, same lexicon again, sense step", entries, True, False, False))
    totals: dict[str, list[float]] = {label: [] for label, *_ in runs}
    for label, lexicon, sense_step, cold, fuzzy in runs * max(1, args.repeat):
        start = time.perf_counter()
        if cold:
            load_encoder.cache_clear()
            load_encoder()
        matcher = TermMatcher.from_entries(lexicon, fuzzy=fuzzy)
        senses = (SenseModel.build(lexicon, matcher, tables_of, args.cache, TermSettings())
                  if sense_step else None)
        built = time.perf_counter()
        tables, fresh = token_tables(nlp, texts, args.cache)
        loaded = time.perf_counter()
        hits = find_terms(tables, utterances, matcher, senses)
        done = time.perf_counter()
        assert fresh == 0, "token tables missing from the cache"
        print(f"{label}: {len(hits)} hits, {sum(h.uncertain for h in hits)} uncertain, "
              f"{sum(h.fuzzy for h in hits)} fuzzy"
              + (f", {senses.judged} judged, {senses.embeddings.encoded} encoded" if senses
                 else ""))
        report("build matcher (+ sense model)", built - start, words, len(hits))
        report("load token tables (cache)", loaded - built, words, len(hits))
        report("match (find_terms)", done - loaded, words, len(hits))
        report("total re-match from token-table cache", done - start, words, len(hits))
        totals[label].append(done - start)
    if args.repeat > 1:
        print(f"\nTotal re-match over {args.repeat} rounds (words/s of the median and of the "
              "fastest run):")
        for label, seconds in totals.items():
            median, best = statistics.median(seconds), min(seconds)
            print(f"  {label[:70]:<72}{words / median:>10,.0f} {words / best:>10,.0f}")



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-cold", action="store_true", help="skip the cold full analysis")
    parser.add_argument("--cache", type=Path, default=REPO / "data" / "cache",
                        help="cache folder for the re-match stages (default data/cache)")
    parser.add_argument("--limit", type=int, help="only the first N utterances")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each re-match stage N times (median and fastest printed)")
    args = parser.parse_args()
    if not DEBATES.is_file():
        print(f"{DEBATES} is absent: nothing to measure")
        return

    from lexicon.io import load_seed
    from pipeline.nlp.cache import token_tables
    from pipeline.nlp.cache import parse_texts
    from pipeline.nlp.loader import load_pipeline, pipeline_id
    from pipeline.core.settings import NlpSettings, Settings
    from pipeline.terms.matcher import TermMatcher, find_terms
    from pipeline.nlp.tokens import table_from_doc

    texts = read_debates(args.limit)
    utterances = metas(texts)
    words = sum(len(t.split()) for t in texts)
    nlp = load_pipeline(Settings(nlp=NlpSettings(model="")))
    entries = load_seed()
    print(f"{len(texts)} utterances, {words:,} words; pipeline {pipeline_id(nlp)}; "
          f"{len(entries)} terms")

    if not args.skip_cold:
        time_cold(nlp, texts, utterances, entries)

    # make sure both caches are filled (a no-op when they are)
    token_tables(nlp, texts, args.cache)
    parse_texts(nlp, texts, args.cache)

    from pipeline.core.settings import TermSettings
    from pipeline.terms.senses import SenseModel

    def tables_of(batch):
        return token_tables(nlp, batch, args.cache)[0]

    # fill the embedding cache with the first full run (as `focuslex analyse` does)
    start = time.perf_counter()
    matcher = TermMatcher.from_entries(entries, fuzzy=True)
    senses = SenseModel.build(entries, matcher, tables_of, args.cache, TermSettings())
    hits = find_terms(token_tables(nlp, texts, args.cache)[0], utterances, matcher, senses)
    report(f"first run with senses ({senses.embeddings.encoded} sentences encoded)",
           time.perf_counter() - start, words, len(hits))
    time_rematches(nlp, texts, utterances, entries, tables_of, args)

    start = time.perf_counter()
    docs = parse_texts(nlp, texts, args.cache)
    tables = [table_from_doc(d) for d in docs]
    hits = find_terms(tables, utterances, TermMatcher.from_entries(entries))
    report("for comparison: re-match from the DocBin cache", time.perf_counter() - start,
           words, len(hits))


if __name__ == "__main__":
    main()
