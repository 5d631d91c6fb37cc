"""Dev check of the sense step's company signal (`COMPANY_WEIGHT` in
`pipeline/terms/senses.py`): does a judged hit gain from another, unjudged term in its
passage, and which weight would each dev set left out choose?

    .venv/bin/python benchmarks/sense_company.py [--cache DIR] [--shared DIR]

Data: the dev sets of `benchmarks/term_quality.py` (`gold_sets(..., dev_only=True)`: demo,
real when `../shared/data` is present, old-test to the last dev file); the held-out part is
never read. Examples: every hit the sense step judges, found as `focuslex analyse` finds them
(fuzzy pass on, seed lexicon, `pipeline.terms.matcher.judged_hits`, which also says which
hits have company: the passage holds an unjudged hit of another term); label 1 when the hit
overlaps an in-scope gold item of the same concept. For each weight of a small grid every hit's score is recomputed from its
signals (`SenseModel.components`) and kept when it is not below `sense_drop`, as the step
does; errors = kept wrong hits + dropped right ones. Leave one set out: the weight with the
fewest errors on the other sets is applied to the left-out set. All figures are dev (the
lexicon's examples were written after reading these sets' errors). Prints figures; asserts
nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import term_quality as tq  # noqa: E402
from pipeline.core.settings import NlpSettings, Settings, TermSettings  # noqa: E402
from pipeline.nlp.cache import token_tables  # noqa: E402
from pipeline.nlp.loader import load_pipeline  # noqa: E402
from pipeline.terms import senses as senses_module  # noqa: E402
from pipeline.terms.matcher import TermMatcher, judged_hits, load_entries  # noqa: E402
from pipeline.terms.senses import Components, SenseModel  # noqa: E402

GRID = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5)
Hit = tuple[Components, int]  # signals (company included), label


def judged(gold: tq.GoldSet, matcher: TermMatcher, model: SenseModel,
           tables: dict[str, object]) -> list[Hit]:
    """The judged hits of one set with their signals and labels."""
    ids = list(gold.texts)
    found = [(gold.texts[sid], tables[sid],
              matcher.match(tables[sid], gold.texts[sid], model.deferred)) for sid in ids]
    out: list[Hit] = []
    for k, table, m, sentence, company in judged_hits(found, model):
        sid = ids[k]
        if gold.concepts is not None and m.term_id not in gold.concepts:
            continue
        parts = model.components(table, m, sentence, gold.texts[sid], company)
        label = int(any(it.concept == m.term_id and it.in_scope and it.start < m.end
                        and m.start < it.end for it in gold.items.get(sid, [])))
        out.append((parts, label))
    return out


def errors(hits: list[Hit], weight: float, drop: float) -> tuple[int, int]:
    """(false hits kept, right hits dropped) with COMPANY_WEIGHT = weight."""
    saved = senses_module.COMPANY_WEIGHT
    senses_module.COMPANY_WEIGHT = weight
    try:
        kept = [(parts.score() >= drop, label) for parts, label in hits]
    finally:
        senses_module.COMPANY_WEIGHT = saved
    return (sum(1 for keep, label in kept if keep and not label),
            sum(1 for keep, label in kept if not keep and label))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=tq.REPO / "data" / "cache")
    parser.add_argument("--shared", type=Path, default=tq.REPO.parent / "shared" / "data")
    args = parser.parse_args()
    entries = load_entries(None)
    nlp = load_pipeline(Settings(nlp=NlpSettings(model="")))
    matcher = TermMatcher.from_entries(entries, fuzzy=True)
    model = SenseModel.build(entries, matcher, lambda t: token_tables(nlp, t, args.cache)[0],
                             args.cache, TermSettings())
    drop = TermSettings().sense_drop
    sets: dict[str, list[Hit]] = {}
    with contextlib.redirect_stdout(io.StringIO()):  # gold_sets notes the unread test part
        loaders = tq.gold_sets(args.shared, dev_only=True)
    for name, load in loaders:
        gold = load()
        if gold is None:
            continue
        ids = list(gold.texts)
        tables = dict(zip(ids, token_tables(nlp, [gold.texts[i] for i in ids], args.cache)[0]))
        sets[name] = judged(gold, matcher, model, tables)
    every = [hit for hits in sets.values() for hit in hits]
    with_company = sum(parts.company for parts, _ in every)
    print(f"{len(sets)} dev sets, {len(every)} judged hits ({with_company} with company); "
          f"current COMPANY_WEIGHT {senses_module.COMPANY_WEIGHT}")
    for weight in GRID:
        fp, fn = errors(every, weight, drop)
        print(f"  weight {weight:<5} all dev sets: {fp} false hits kept, {fn} right hits "
              f"dropped, {fp + fn} errors")
    print_left_out(sets, drop)


def print_left_out(sets: dict[str, list[Hit]], drop: float) -> None:
    """Leave one set out: the weight chosen on the others, its errors on the left-out set."""
    table = {name: {w: errors(hits, w, drop) for w in GRID} for name, hits in sets.items()}
    chosen, total, without = [], [0, 0], [0, 0]
    for name in sets:
        def others(w: float) -> int:
            return sum(sum(table[n][w]) for n in sets if n != name)
        best = min(GRID, key=others)
        chosen.append(best)
        total = [a + b for a, b in zip(total, table[name][best])]
        without = [a + b for a, b in zip(without, table[name][0.0])]
    print(f"leave one set out: weights chosen {sorted(set(chosen))}; errors on the left-out "
          f"sets {sum(total)} (false hits {total[0]}, misses {total[1]}) against "
          f"{sum(without)} without company (false hits {without[0]}, misses {without[1]})")


if __name__ == "__main__":
    main()
