"""Quality of the term matcher against gold written independently of it.

    .venv/bin/python benchmarks/term_quality.py [--lexicon FILE] [--errors] [--cache DIR]
                                                [--shared DIR] [--dev-only]

Gold sets (a set that is absent is reported and skipped):
- demo: the answer key of the demo corpus, `corpora/demo/annotations/` (sentences.jsonl +
  terms.jsonl), written by hand together with the fictional text;
- real: `../shared/data/real/term_passages/` (gold_dev_passages.jsonl + gold_dev.jsonl), 230
  real Dutch sentences adjudicated by hand. Its README lists the concepts it annotates; hits
  of other lexicon terms (participatie, minderheid, ...) are not counted there (they are
  listed as "not evaluated");
- old-test, old-test2 ... old-test24: `benchmarks/data/term_test.txt`, `term_test2.txt` ...
  `term_test24.txt`, passages written for focuslex (policy prose, focus-group turns, PDF
  text with line breaks and OCR damage, texts from other domains with sense traps). Each was
  a held-out test part once (run once, before its errors were read); its errors were read
  and tuned on since, so each is a dev set now. `PARTS` labels each with the session and
  round it was held out in; `benchmarks/data/README.md` (the section of each set and
  "Status of the term test sets") gives the figures of those held-out runs;
- test and test-b: `benchmarks/data/term_test25.txt` and `term_test26.txt`, new passages in
  the same format, written by two people who never ran focuslex, never looked at by whoever
  tunes the matcher: the held-out test part (two files, printed each and pooled, "test
  (pooled)"). `--dev-only` never reads them (use that while tuning); an absent file is
  reported ("test part term_test25.txt absent") and skipped; the test figure is run once, at
  the end;
- test-c and test-d: `term_test27.txt` and `term_test28.txt`, written the same way after the
  last tuning round and run once on the same final code: a second check, printed each, as a
  pair and pooled with the first pair.
demo, real and old-test to old-test24 are dev sets (tuned on); the output labels each part.

Each sentence is parsed on its own with the Dutch pipeline (bundled by default, through the
parse and token-table caches) and matched with `pipeline.terms.matcher.TermMatcher`, the code path of
`focuslex analyse`. Counting over in-scope gold items: a hit that overlaps an in-scope item of
the same concept is a true positive (each item counts once); any other hit is a false
positive (on an out-of-scope item, i.e. a sense trap; on an item of another concept; on no
item); an in-scope item without a hit is a false negative. Spans need to overlap, not be
identical (gold spans are whole words; a multiword hit may be longer).

Baselines (what people do with Ctrl+F): case-insensitive substring search of each term's
preferred label ("Ctrl+F label"), and of the preferred label plus every alternative label
("Ctrl+F all labels"); hits of one term that overlap are merged. Prints figures; asserts
nothing.

Systems: focuslex as `focuslex analyse` runs it (fuzzy pass and sense step on, the default
settings), focuslex without both, and the baselines. For focuslex it also prints how many
hits the sense step flagged uncertain and the precision among the other (confirmed) hits.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from lexicon.model import Entry  # noqa: E402
from pipeline.terms.matcher import TermMatcher, judge_senses  # noqa: E402

DEMO = REPO / "corpora" / "demo" / "annotations"
REAL = REPO.parent / "shared" / "data" / "real" / "term_passages"
OLD_TEST = REPO / "benchmarks" / "data" / "term_test.txt"
OLD_TEST2 = REPO / "benchmarks" / "data" / "term_test2.txt"
OLD_TEST3 = REPO / "benchmarks" / "data" / "term_test3.txt"
OLD_TEST4 = REPO / "benchmarks" / "data" / "term_test4.txt"
OLD_TEST5 = REPO / "benchmarks" / "data" / "term_test5.txt"
OLD_TEST6 = REPO / "benchmarks" / "data" / "term_test6.txt"
OLD_TEST7 = REPO / "benchmarks" / "data" / "term_test7.txt"
OLD_TEST8 = REPO / "benchmarks" / "data" / "term_test8.txt"
OLD_TEST9 = REPO / "benchmarks" / "data" / "term_test9.txt"
OLD_TEST10 = REPO / "benchmarks" / "data" / "term_test10.txt"
OLD_TEST11 = REPO / "benchmarks" / "data" / "term_test11.txt"
OLD_TEST12 = REPO / "benchmarks" / "data" / "term_test12.txt"
OLD_TEST13 = REPO / "benchmarks" / "data" / "term_test13.txt"
OLD_TEST14 = REPO / "benchmarks" / "data" / "term_test14.txt"
OLD_TEST15 = REPO / "benchmarks" / "data" / "term_test15.txt"
OLD_TEST16 = REPO / "benchmarks" / "data" / "term_test16.txt"
OLD_TEST17 = REPO / "benchmarks" / "data" / "term_test17.txt"
OLD_TEST18 = REPO / "benchmarks" / "data" / "term_test18.txt"
OLD_TEST19 = REPO / "benchmarks" / "data" / "term_test19.txt"
OLD_TEST20 = REPO / "benchmarks" / "data" / "term_test20.txt"
OLD_TEST21 = REPO / "benchmarks" / "data" / "term_test21.txt"
OLD_TEST22 = REPO / "benchmarks" / "data" / "term_test22.txt"
OLD_TEST23 = REPO / "benchmarks" / "data" / "term_test23.txt"
OLD_TEST24 = REPO / "benchmarks" / "data" / "term_test24.txt"
TEST = REPO / "benchmarks" / "data" / "term_test25.txt"
TEST_B = REPO / "benchmarks" / "data" / "term_test26.txt"
TEST_C = REPO / "benchmarks" / "data" / "term_test27.txt"
TEST_D = REPO / "benchmarks" / "data" / "term_test28.txt"
_MARK = re.compile(r"\[\[(!?)([a-z_]+)\||\]\]")
# Concepts annotated in the real gold (its README: the 14 with items and the 11 listed as
# having no occurrence). Hits of other terms are outside that gold.
REAL_CONCEPTS = frozenset({
    "integratie", "discriminatie", "racisme", "inburgering", "nieuwkomer", "allochtoon",
    "diversiteit", "inclusie", "vreemdelingenhaat", "xenofobie", "antisemitisme",
    "asielzoeker", "burgerschap", "migratie", "assimilatie", "onbewust_racisme",
    "migratieachtergrond", "migratieroots", "autochtoon", "superdiversiteit", "segregatie",
    "etnisch", "gelijke_kansen", "vluchteling", "statushouder"})


@dataclass(frozen=True)
class Item:
    concept: str
    start: int
    end: int
    in_scope: bool
    surface: str


@dataclass
class GoldSet:
    name: str
    texts: dict[str, str]           # sentence id -> text
    items: dict[str, list[Item]]    # sentence id -> gold items
    concepts: frozenset[str] | None  # None: every lexicon term is annotated


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_demo() -> GoldSet | None:
    if not (DEMO / "terms.jsonl").is_file():
        return None
    texts = {r["id"]: r["text"] for r in read_jsonl(DEMO / "sentences.jsonl")}
    items: dict[str, list[Item]] = defaultdict(list)
    for r in read_jsonl(DEMO / "terms.jsonl"):
        items[r["sentence_id"]].append(Item(r["concept"], r["start"], r["end"], r["in_scope"],
                                            r["surface"]))
    return GoldSet("demo", texts, items, None)


def load_real(folder: Path = REAL) -> GoldSet | None:
    if not (folder / "gold_dev.jsonl").is_file():
        return None
    texts = {r["id"]: r["text"] for r in read_jsonl(folder / "gold_dev_passages.jsonl")}
    items: dict[str, list[Item]] = defaultdict(list)
    for r in read_jsonl(folder / "gold_dev.jsonl"):
        items[r["passage_id"]].append(Item(r["concept"], r["start"], r["end"], r["in_scope"],
                                           r["surface"]))
    return GoldSet("real", texts, items, REAL_CONCEPTS)


def parse_marked(marked: str) -> tuple[str, list[Item]]:
    """Text and gold items of a passage written with [[concept|surface]] markup (nesting
    allowed; [[!concept|...]] is a sense trap)."""
    out: list[str] = []
    stack: list[tuple[bool, str, int]] = []
    items: list[Item] = []
    pos = 0
    length = 0
    for m in _MARK.finditer(marked):
        out.append(marked[pos:m.start()])
        length += m.start() - pos
        pos = m.end()
        if m.group(0) == "]]":
            trap, concept, start = stack.pop()
            text = "".join(out)
            items.append(Item(concept, start, length, not trap, text[start:length]))
        else:
            stack.append((m.group(1) == "!", m.group(2), length))
    out.append(marked[pos:])
    if stack:
        raise ValueError(f"unclosed markup in {marked[:60]!r}")
    return "".join(out), items


def load_marked(path: Path, name: str) -> GoldSet | None:
    """A gold set in the marked-up text format of benchmarks/data/term_test*.txt."""
    if not path.is_file():
        return None
    raw = path.read_text(encoding="utf8")
    concepts: frozenset[str] = frozenset()
    texts: dict[str, str] = {}
    items: dict[str, list[Item]] = {}
    for block in raw.split("\n---\n"):
        lines = [ln for ln in block.split("\n") if not ln.startswith("#")]
        for line in lines:
            if line.startswith("concepts:"):
                concepts = frozenset(line.split(":", 1)[1].split())
        # the first passage may follow the header in the same block (no "---" between them)
        start = next((k for k, ln in enumerate(lines) if ln.startswith("@ ")), None)
        if start is None or any(ln.strip() and not ln.startswith("concepts:")
                                for ln in lines[:start]):
            continue
        lines = lines[start:]
        sid = lines[0].split()[1]
        texts[sid], items[sid] = parse_marked("\n".join(lines[1:]).strip("\n"))
    return GoldSet(name, texts, items, concepts)


# How each set is labelled in the output.
PARTS = {"test": "TEST (held out, never tuned on)",
         "test-b": "TEST (held out, never tuned on; second file)",
         "test-c": "TEST (held out, never tuned on; third file, a second check)",
         "test-d": "TEST (held out, never tuned on; fourth file, a second check)",
         "old-test": "dev (was test in session 2; tuned on since session 3)",
         "old-test2": "dev (was test in session 3; tuned on since session 4)",
         "old-test3": "dev (was test in session 4; tuned on since)",
         "old-test4": "dev (was test in session 4, round 2; tuned on since session 5)",
         "old-test5": "dev (was test in session 5, round 1; tuned on since)",
         "old-test6": "dev (was test in session 5, round 2; tuned on since)",
         "old-test7": "dev (was test in session 5, round 3; tuned on since)",
         "old-test8": "dev (was test in session 5, round 4; tuned on since session 6)",
         "old-test9": "dev (was test in session 6, round 1; tuned on since)",
         "old-test10": "dev (was test in session 6, round 2; tuned on since)",
         "old-test11": "dev (was test in session 6, round 3; tuned on since)",
         "old-test12": "dev (was test in session 6, round 3, second file; tuned on since)",
         "old-test13": "dev (was test in session 6, round 4; tuned on since)",
         "old-test14": "dev (was test in session 6, round 4, second file; tuned on since)",
         "old-test15": "dev (was test in session 6, round 5; tuned on since)",
         "old-test16": "dev (was test in session 6, round 5, second file; tuned on since)",
         "old-test17": "dev (was test in session 6, round 6; tuned on since)",
         "old-test18": "dev (was test in session 6, round 6, second file; tuned on since)",
         "old-test19": "dev (was test in session 6, round 7; tuned on since session 7)",
         "old-test20": "dev (was test in session 6, round 7, second file; tuned on since session 7)",
         "old-test21": "dev (was test in session 7, round 8; tuned on since)",
         "old-test22": "dev (was test in session 7, round 8, second file; tuned on since)",
         "old-test23": "dev (was test in session 7, round 9; tuned on since)",
         "old-test24": "dev (was test in session 7, round 9, second file; tuned on since)"}


# -- systems: (sentence text) -> [(term, start, end)] ---------------------------------------

def matcher_hits(matcher: TermMatcher, tables: dict[str, object],
                 gold: GoldSet) -> dict[str, list[tuple[str, int, int]]]:
    return {sid: [(m.term_id, m.start, m.end) for m in matcher.match(tables[sid], text)]
            for sid, text in gold.texts.items()}


def substring_hits(entries: list[Entry], gold: GoldSet,
                   all_labels: bool) -> dict[str, list[tuple[str, int, int]]]:
    patterns: list[tuple[str, re.Pattern[str]]] = []
    for entry in entries:
        labels = [entry.label] + (list(entry.alt_labels) if all_labels else [])
        for label in labels:
            patterns.append((entry.id, re.compile(re.escape(label), re.IGNORECASE)))
    out: dict[str, list[tuple[str, int, int]]] = {}
    for sid, text in gold.texts.items():
        spans: dict[str, list[list[int]]] = defaultdict(list)
        for term_id, pattern in patterns:
            for m in pattern.finditer(text):
                spans[term_id].append([m.start(), m.end()])
        hits = []
        for term_id, found in spans.items():  # merge overlapping hits of one term
            found.sort()
            merged = [found[0]]
            for a, b in found[1:]:
                if a < merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], b)
                else:
                    merged.append([a, b])
            hits += [(term_id, a, b) for a, b in merged]
        out[sid] = hits
    return out


# -- scoring ----------------------------------------------------------------------------------

@dataclass
class Score:
    tp: Counter
    fp: Counter
    fn: Counter
    ignored: Counter
    errors: list[tuple[str, str, str, str]]  # kind, sentence id, concept, context

    def totals(self) -> tuple[int, int, int]:
        return sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values())


def _context(text: str, start: int, end: int) -> str:
    return (text[max(0, start - 50):start] + "[[" + text[start:end] + "]]"
            + text[end:end + 40]).replace("\n", " ")


def score(gold: GoldSet, hits: dict[str, list[tuple[str, int, int]]]) -> Score:
    result = Score(Counter(), Counter(), Counter(), Counter(), [])
    for sid, text in gold.texts.items():
        items = gold.items.get(sid, [])
        used: set[int] = set()
        for term_id, start, end in sorted(hits.get(sid, []), key=lambda h: h[1]):
            if gold.concepts is not None and term_id not in gold.concepts:
                result.ignored[term_id] += 1
                continue
            overlapping = [k for k, it in enumerate(items) if it.start < end and start < it.end]
            same = [k for k in overlapping if items[k].concept == term_id
                    and items[k].in_scope and k not in used]
            if same:
                used.add(same[0])
                result.tp[term_id] += 1
                continue
            if any(items[k].concept == term_id and items[k].in_scope for k in overlapping):
                continue  # a second hit on an item already counted (one word, two parts)
            result.fp[term_id] += 1
            why = ("trap" if any(not items[k].in_scope for k in overlapping)
                   else "other concept" if overlapping else "no item")
            result.errors.append((f"FP ({why})", sid, term_id, _context(text, start, end)))
        for k, it in enumerate(items):
            if it.in_scope and k not in used:
                result.fn[it.concept] += 1
                result.errors.append(("FN", sid, it.concept, _context(text, it.start, it.end)))
    return result


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def print_table(gold: GoldSet, system: Score, baselines: dict[str, Score]) -> None:
    concepts = sorted(set(system.tp) | set(system.fn) | set(system.fp)
                      | {c for items in gold.items.values() for c in (i.concept for i in items)
                         if any(i.in_scope for i in items)})
    names = list(baselines)
    head = f"{'concept':<30}{'gold':>5}{'TP':>5}{'FP':>4}{'FN':>4}{'P':>7}{'R':>7}"
    for name in names:
        head += f"  {name + ' P/R':>22}"
    print(head)
    print("-" * len(head))
    gold_counts = Counter(i.concept for items in gold.items.values() for i in items if i.in_scope)
    for concept in concepts:
        tp, fp, fn = system.tp[concept], system.fp[concept], system.fn[concept]
        if not (tp or fp or fn or gold_counts[concept]):
            continue
        p, r, _ = prf(tp, fp, fn)
        line = f"{concept:<30}{gold_counts[concept]:>5}{tp:>5}{fp:>4}{fn:>4}{p:>7.3f}{r:>7.3f}"
        for name in names:
            b = baselines[name]
            bp, br, _ = prf(b.tp[concept], b.fp[concept], b.fn[concept])
            line += f"  {bp:>10.3f} / {br:<9.3f}"
        print(line)
    print("-" * len(head))
    tp, fp, fn = system.totals()
    p, r, f = prf(tp, fp, fn)
    print(f"{'overall (focuslex)':<30}{sum(gold_counts.values()):>5}{tp:>5}{fp:>4}{fn:>4}"
          f"{p:>7.3f}{r:>7.3f}   F1 {f:.3f}")
    for name in names:
        btp, bfp, bfn = baselines[name].totals()
        bp, br, bf = prf(btp, bfp, bfn)
        print(f"{'overall (' + name + ')':<30}{'':>5}{btp:>5}{bfp:>4}{bfn:>4}"
              f"{bp:>7.3f}{br:>7.3f}   F1 {bf:.3f}")
    if system.ignored:
        print("not evaluated (terms outside this gold's concept list): "
              + ", ".join(f"{t} {n}" for t, n in sorted(system.ignored.items())))


def judged_hits(matcher: TermMatcher, senses, tables: dict[str, object],
                gold: GoldSet) -> tuple[dict[str, list[tuple[str, int, int]]], set]:
    """Hits with the sense step (as `find_terms` does) and the set of uncertain ones."""
    ids = list(gold.texts)
    found = [(gold.texts[sid], tables[sid],
              matcher.match(tables[sid], gold.texts[sid],
                            senses.deferred if senses else frozenset())) for sid in ids]
    verdicts = judge_senses(found, senses) if senses is not None else {}
    hits: dict[str, list[tuple[str, int, int]]] = {}
    uncertain: set = set()
    for k, (sid, (_, _, matches)) in enumerate(zip(ids, found)):
        hits[sid] = []
        for m in matches:
            verdict = verdicts.get((k, m))
            if verdict is not None and verdict.decision == "drop":
                continue
            if verdict is not None and verdict.decision == "uncertain":
                uncertain.add((sid, m.term_id, m.start, m.end))
            hits[sid].append((m.term_id, m.start, m.end))
    return hits, uncertain


def confirmed_precision(gold: GoldSet, hits: dict[str, list[tuple[str, int, int]]],
                        uncertain: set) -> tuple[float, int, int, int, int]:
    """Precision among the hits not flagged uncertain; (precision, uncertain TP, FP, and the
    TP and FP of the confirmed hits)."""
    sure = {sid: [h for h in hs if (sid, *h) not in uncertain] for sid, hs in hits.items()}
    only = {sid: [h for h in hs if (sid, *h) in uncertain] for sid, hs in hits.items()}
    tp, fp, _ = score(gold, sure).totals()
    utp, ufp, _ = score(gold, only).totals()
    return (tp / (tp + fp) if tp + fp else 1.0), utp, ufp, tp, fp


def evaluate(gold: GoldSet, entries: list[Entry], systems: dict, tables: dict[str, object],
             show_errors: bool) -> dict[str, tuple[int, ...]]:
    """Print the tables of one gold set; return the overall counts per system (tp, fp, fn;
    for focuslex also the uncertain hits, the wrong ones among them and all hits)."""
    in_scope = sum(1 for items in gold.items.values() for i in items if i.in_scope)
    traps = sum(1 for items in gold.items.values() for i in items if not i.in_scope)
    part = PARTS.get(gold.name, "dev (tuned on)")
    print(f"\n== {gold.name} [{part}]: {len(gold.texts)} passages, {in_scope} in-scope "
          f"items, {traps} sense traps")
    (main_name, (matcher, senses)), *others = systems.items()
    hits, uncertain = judged_hits(matcher, senses, tables, gold)
    system = score(gold, hits)
    baselines = {name: score(gold, judged_hits(m, s, tables, gold)[0])
                 for name, (m, s) in others}
    baselines["Ctrl+F label"] = score(gold, substring_hits(entries, gold, False))
    baselines["Ctrl+F all labels"] = score(gold, substring_hits(entries, gold, True))
    print_table(gold, system, baselines)
    total = sum(len(h) for h in hits.values())
    precision, utp, ufp, sure_tp, sure_fp = confirmed_precision(gold, hits, uncertain)
    print(f"{main_name}: {len(uncertain)} of {total} hits uncertain "
          f"({len(uncertain) / total if total else 0:.1%}; {utp} right, {ufp} wrong); "
          f"precision among the confirmed (not uncertain) hits {precision:.3f}")
    if show_errors:
        for kind, sid, concept, context in sorted(system.errors):
            print(f"  {kind:<20} {sid:<14} {concept:<22} {context}")
    counts = {name: b.totals() for name, b in baselines.items()}
    counts[main_name] = (*system.totals(), len(uncertain), utp, ufp, total, sure_tp, sure_fp)
    return counts


def print_pooled(name: str, parts: list[dict[str, tuple[int, ...]]]) -> None:
    """Overall figures of several gold sets together (the two files of the test part)."""
    print(f"\n== {name}: {len(parts)} files pooled")
    for system in parts[0]:
        tp, fp, fn = (sum(p[system][k] for p in parts) for k in range(3))
        prec, rec, f1 = prf(tp, fp, fn)
        print(f"{'overall (' + system + ')':<30}{tp:>5}{fp:>4}{fn:>4}{prec:>7.3f}{rec:>7.3f}"
              f"   F1 {f1:.3f}")
    unsure, right, wrong, total, sure_tp, sure_fp = (sum(p["focuslex"][k] for p in parts)
                                                     for k in range(3, 9))
    sure = sure_tp / (sure_tp + sure_fp) if sure_tp + sure_fp else 1.0
    print(f"focuslex: {unsure} of {total} hits uncertain ({unsure / total if total else 0:.1%}"
          f"; {right} right, {wrong} wrong); precision among the confirmed (not "
          f"uncertain) hits {sure:.3f}")


def gold_sets(shared: Path, dev_only: bool) -> list[tuple[str, object]]:
    """(name, loader) of every dev set, then of the four held-out files unless `dev_only`
    (an absent held-out file is reported and left out)."""
    real = shared / "real" / "term_passages"
    sets: list[tuple[str, object]] = [("demo", load_demo), ("real", lambda: load_real(real))]
    dev = (OLD_TEST, OLD_TEST2, OLD_TEST3, OLD_TEST4, OLD_TEST5, OLD_TEST6, OLD_TEST7,
           OLD_TEST8, OLD_TEST9, OLD_TEST10, OLD_TEST11, OLD_TEST12, OLD_TEST13, OLD_TEST14,
           OLD_TEST15, OLD_TEST16, OLD_TEST17, OLD_TEST18, OLD_TEST19, OLD_TEST20,
           OLD_TEST21, OLD_TEST22, OLD_TEST23, OLD_TEST24)
    for k, path in enumerate(dev, 1):
        name = "old-test" if k == 1 else f"old-test{k}"
        sets.append((name, lambda path=path, name=name: load_marked(path, name)))
    for name, path in (("test", TEST), ("test-b", TEST_B), ("test-c", TEST_C),
                       ("test-d", TEST_D)):
        if dev_only:
            print(f"\n(--dev-only: the held-out test part {path.name} is not read)")
        elif not path.is_file():
            print(f"\n(test part {path.name} absent: skipped)")
        else:
            sets.append((name, lambda path=path, name=name: load_marked(path, name)))
    return sets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lexicon", type=Path, help="lexicon file (default: the seed lexicon)")
    parser.add_argument("--errors", action="store_true", help="list every FP and FN")
    parser.add_argument("--cache", type=Path, default=REPO / "data" / "cache",
                        help="parse and embedding cache folder (default data/cache)")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data",
                        help="the shared data folder (default ../shared/data)")
    parser.add_argument("--installed", action="store_true",
                        help="use the installed package named in the settings if present")
    parser.add_argument("--dev-only", action="store_true",
                        help="never read the held-out test part (use this while tuning)")
    args = parser.parse_args()

    from pipeline.nlp.cache import token_tables
    from pipeline.nlp.loader import load_pipeline, pipeline_id
    from pipeline.core.settings import NlpSettings, Settings, TermSettings
    from pipeline.terms.matcher import load_entries
    from pipeline.terms.senses import SenseModel

    entries = load_entries(args.lexicon)
    nlp = load_pipeline(Settings() if args.installed else Settings(nlp=NlpSettings(model="")))

    def tables_of(texts):
        return token_tables(nlp, texts, args.cache)[0]

    full = TermMatcher.from_entries(entries, fuzzy=True)
    senses = SenseModel.build(entries, full, tables_of, args.cache, TermSettings())
    systems = {"focuslex": (full, senses),
               "no senses/fuzzy": (TermMatcher.from_entries(entries), None)}
    print(f"pipeline {pipeline_id(nlp)}; lexicon {args.lexicon or 'seed'} ({len(entries)} "
          f"terms); focuslex = fuzzy pass + sense step (keep >= {TermSettings().sense_keep}, "
          f"drop < {TermSettings().sense_drop}); 'no senses/fuzzy' = the matcher without both")
    sets = gold_sets(args.shared, args.dev_only)
    held_out: dict[str, dict[str, tuple[int, ...]]] = {}
    for name, load in sets:
        gold = load()
        if gold is None:
            print(f"\n({name} gold set absent: skipped)")
            continue
        ids = list(gold.texts)
        tables = dict(zip(ids, tables_of([gold.texts[i] for i in ids])))
        counts = evaluate(gold, entries, systems, tables, args.errors)
        if name.startswith("test"):
            held_out[name] = counts
    print_held_out(held_out)


def print_held_out(held_out: dict[str, dict[str, tuple[int, ...]]]) -> None:
    """The held-out files pooled: the first pair (the test part of the last tuning round),
    the second pair (a second check of the same code) and all four."""
    groups = (("test (pooled)", ("test", "test-b")),
              ("second check (pooled)", ("test-c", "test-d")),
              ("all held-out files (pooled)", ("test", "test-b", "test-c", "test-d")))
    for title, names in groups:
        parts = [held_out[n] for n in names if n in held_out]
        if len(parts) > 1:
            print_pooled(f"{title} [TEST (held out, never tuned on)]", parts)


if __name__ == "__main__":
    main()
