"""Would a supervised sense classifier, trained on the labelled uses of the dev gold sets,
generalise to a set it has not seen better than the hand-weighted sense step?

    .venv/bin/python benchmarks/sense_supervised.py [--cache DIR] [--shared DIR] [--gb]

Data: only the dev gold sets of `benchmarks/term_quality.py`: demo, real (skipped when
`../shared/data` is absent) and `benchmarks/data/term_test.txt` to `term_test7.txt` (the dev
sets when it was written and run, in session 5; later dev sets are not added). The held-out
parts of `benchmarks/term_quality.py`, `term_test25.txt` and `term_test26.txt`, are never
opened: `dev_path` refuses them (and any other file than the seven dev files), and no option
adds a set.

Examples: every hit that the sense step judges (`SenseModel.is_ambiguous`) in the output of
the full matcher (fuzzy pass on, the seed lexicon), exactly as `term_quality.judged_hits`
finds them; label 1 when the hit overlaps an in-scope gold item of the same concept, else 0
(a sense trap, another concept or nothing). In the real set, hits of terms outside its gold
concepts are not examples (they are not scored there either).
Features (`SenseModel.components`): the sentence and window similarity differences (this
sense minus other senses) and the four closest-example similarities they come from, the
syntax agreement difference, the context rule, 'unseen' and 'partner'; a one-hot of the term
id; for the "+USE" models also the 512-d vectors of the sentence and of the window. "LR
term+USE" leaves the signals out: it uses nothing computed from the lexicon's examples
(which were written after reading the errors of these sets), only the labelled uses.

Evaluation: leave one set out. For each dev set, a model is trained on the judged hits of the
other dev sets and decides keep/drop on the left-out set. Its regularisation C (logistic
regression) and its decision threshold are chosen inside the training part, by an inner
leave-one-set-out over the training sets (fewest judged errors, FP + FN, on the inner
out-of-set probabilities), so the left-out set is never used for any choice. Reported per
left-out set, beside the current sense step in the same run (kept = keep or uncertain, as
`term_quality.py` counts it): precision and recall of the keep decision over the judged
hits, ROC AUC of the score, and the term-level precision/recall of the whole set with the
sense step's keep/drop replaced by the model's (hits that are not judged are unchanged);
"oracle" keeps exactly the judged hits labelled 1 (the ceiling of any sense classifier).
All figures are dev: the current sense step and the lexicon examples were tuned on every one
of these sets, while each model did not see its left-out set. Prints figures; asserts
nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import term_quality as tq  # noqa: E402
from pipeline.core.settings import NlpSettings, Settings, TermSettings  # noqa: E402
from pipeline.nlp.cache import token_tables  # noqa: E402
from pipeline.nlp.loader import load_pipeline, pipeline_id  # noqa: E402
from pipeline.terms.matcher import TermMatcher, judge_senses, load_entries  # noqa: E402
from pipeline.terms.senses import SenseModel  # noqa: E402

DEV_FILES = {"old-test": "term_test.txt", "old-test2": "term_test2.txt",
             "old-test3": "term_test3.txt", "old-test4": "term_test4.txt",
             "old-test5": "term_test5.txt", "old-test6": "term_test6.txt",
             "old-test7": "term_test7.txt"}
HELD_OUT = frozenset({"term_test25.txt", "term_test26.txt"})
C_GRID = (0.01, 0.1, 1.0)
THRESHOLDS = np.round(np.arange(0.05, 0.96, 0.05), 2)
# Figures of the current system when these sets were still held out (README, session 5).
WHEN_HELD_OUT = {"old-test5": "0.957 / 0.987", "old-test6": "0.951 / 0.978",
                 "old-test7": "0.957 / 0.990"}


def dev_path(name: str) -> Path:
    """The file of a dev set; refuses the held-out parts (and anything else)."""
    file = DEV_FILES.get(name, "")
    if not file or file in HELD_OUT:
        raise SystemExit(f"{name!r} is not a dev set: this script never reads "
                         f"{', '.join(sorted(HELD_OUT))} (held out)")
    return tq.REPO / "benchmarks" / "data" / file


@dataclass
class SetData:
    """The hits of one dev set, which of them are judged, their labels and features."""
    gold: tq.GoldSet
    hits: dict[str, list[tuple[str, int, int]]]   # every hit of the full matcher
    judged: list[tuple[str, tuple[str, int, int]]] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    current: list[float] = field(default_factory=list)     # sense_score
    current_keep: list[int] = field(default_factory=list)  # keep or uncertain
    signals: list[list[float]] = field(default_factory=list)
    vectors: list[np.ndarray] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)


def label_of(gold: tq.GoldSet, sid: str, hit: tuple[str, int, int]) -> int:
    term, start, end = hit
    return int(any(it.concept == term and it.in_scope and it.start < end and start < it.end
                   for it in gold.items.get(sid, [])))


def judged_uses(gold: tq.GoldSet, matcher: TermMatcher, senses: SenseModel,
                tables: dict[str, object]) -> tuple[SetData, list[tuple]]:
    """As `term_quality.judged_hits`: match with the sense step's deferred rules, judge. The
    set's data with its judged hits, labels and current decisions, and for each judged hit
    (table, match, sentence, verdict); hits of terms outside the gold's concepts left out."""
    ids = list(gold.texts)
    found = [(gold.texts[sid], tables[sid],
              matcher.match(tables[sid], gold.texts[sid], senses.deferred)) for sid in ids]
    verdicts = judge_senses(found, senses)
    data = SetData(gold, {sid: [(m.term_id, m.start, m.end) for m in ms]
                          for sid, (_, _, ms) in zip(ids, found)})
    uses = []
    for k, (sid, (text, table, matches)) in enumerate(zip(ids, found)):
        for m in matches:
            verdict = verdicts.get((k, m))
            if verdict is None or (gold.concepts is not None
                                   and m.term_id not in gold.concepts):
                continue
            hit = (m.term_id, m.start, m.end)
            data.judged.append((sid, hit))
            data.labels.append(label_of(gold, sid, hit))
            data.current_keep.append(int(verdict.decision != "drop"))
            uses.append((table, m, " ".join(text[m.sentence_start:m.sentence_end].split()),
                         verdict))
    return data, uses


def collect(gold: tq.GoldSet, matcher: TermMatcher, senses: SenseModel,
            tables: dict[str, object]) -> SetData:
    """The judged hits of a set with their signals and vectors."""
    data, uses = judged_uses(gold, matcher, senses, tables)
    for table, m, sentence, verdict in uses:
        parts = senses.components(table, m, sentence)
        data.current.append(verdict.score)
        s_this, s_other, w_this, w_other = parts.closest
        data.signals.append([s_this - s_other, w_this - w_other, parts.syntax, parts.rule,
                             parts.unseen, parts.partner, *parts.closest])
        data.vectors.append(np.concatenate([parts.sentence_vector, parts.window_vector]))
        data.terms.append(m.term_id)
    return data


def features(data: SetData, terms: list[str], kind: str) -> np.ndarray:
    """`kind`: "signals" (the sense step's signals + term), "signals+use" (+ the USE
    vectors) or "use" (term + USE vectors: nothing computed from the lexicon examples)."""
    onehot = np.array([[float(t == term) for term in terms] for t in data.terms])
    parts = [onehot.reshape(len(data.terms), len(terms))]
    if kind != "use":
        parts.append(np.array(data.signals, dtype=float).reshape(len(data.terms), 10))
    if kind != "signals":
        parts.append(np.array(data.vectors).reshape(len(data.terms), 1024))
    return np.hstack(parts)


def set_level(data: SetData, keep: list[int]) -> tuple[float, float, int, int, int]:
    """Term-level P, R (and TP, FP, FN) of the whole set with these keep decisions on the
    judged hits (every other hit kept)."""
    dropped: dict[str, list[tuple[str, int, int]]] = {}
    for (sid, hit), k in zip(data.judged, keep):
        if not k:
            dropped.setdefault(sid, []).append(hit)
    hits = {sid: [h for h in hs if h not in dropped.get(sid, [])]
            for sid, hs in data.hits.items()}
    tp, fp, fn = tq.score(data.gold, hits).totals()
    p, r, _ = tq.prf(tp, fp, fn)
    return p, r, tp, fp, fn


def judged_pr(labels: np.ndarray, keep: np.ndarray) -> tuple[float, float]:
    tp = int(np.sum((keep == 1) & (labels == 1)))
    p = tp / int(np.sum(keep)) if np.sum(keep) else 1.0
    r = tp / int(np.sum(labels)) if np.sum(labels) else 1.0
    return p, r


Maker = Callable[[float], object]


def make_lr(c: float) -> object:
    return make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=2000))


def make_gb(_: float) -> object:
    return HistGradientBoostingClassifier(max_iter=150, learning_rate=0.1, max_leaf_nodes=15,
                                          random_state=0)


def fit_predict(maker: Maker, c: float, x: np.ndarray, y: np.ndarray,
                x_test: np.ndarray) -> np.ndarray:
    if len(set(y.tolist())) < 2:
        return np.full(len(x_test), float(y[0]) if len(y) else 1.0)
    model = maker(c)
    model.fit(x, y)
    return model.predict_proba(x_test)[:, 1]


def choose(maker: Maker, grid: tuple[float, ...], xs: list[np.ndarray],
           ys: list[np.ndarray]) -> tuple[float, float]:
    """(C, threshold) with the fewest judged errors on inner leave-one-set-out predictions
    over the training sets; ties go to the threshold nearest 0.5, then the smaller C."""
    best: tuple[int, float, float, float] | None = None
    y_all = np.concatenate(ys)
    for c in grid:
        probs = np.concatenate([
            fit_predict(maker, c, np.vstack(xs[:i] + xs[i + 1:]),
                        np.concatenate(ys[:i] + ys[i + 1:]), xs[i])
            for i in range(len(xs)) if len(xs[i])])
        for t in THRESHOLDS:
            errors = int(np.sum((probs >= t) != (y_all == 1)))
            key = (errors, abs(t - 0.5), c, float(t))
            if best is None or key[:3] < best[:3]:
                best = key
    assert best is not None
    return best[2], best[3]


def run_model(maker: Maker, grid: tuple[float, ...], sets: list[SetData], terms: list[str],
              kind: str) -> list[tuple[np.ndarray, float, float]]:
    """Per left-out set: (probabilities, chosen C, chosen threshold)."""
    xs = [features(d, terms, kind) for d in sets]
    ys = [np.array(d.labels, dtype=int) for d in sets]
    out = []
    for i in range(len(sets)):
        train_x, train_y = xs[:i] + xs[i + 1:], ys[:i] + ys[i + 1:]
        c, threshold = choose(maker, grid, train_x, train_y)
        probs = fit_predict(maker, c, np.vstack(train_x), np.concatenate(train_y), xs[i]) \
            if len(xs[i]) else np.zeros(0)
        out.append((probs, c, threshold))
    return out


def auc(labels: np.ndarray, scores: np.ndarray) -> str:
    return f"{roc_auc_score(labels, scores):.3f}" if len(set(labels.tolist())) == 2 else "  -  "


def report(sets: list[SetData], models: dict[str, list[tuple[np.ndarray, float, float]]]) -> None:
    head = (f"{'left out':<11}{'system':<26}{'judged P':>9}{'judged R':>9}{'AUC':>7}"
            f"{'set P':>8}{'set R':>8}{'TP':>6}{'FP':>5}{'FN':>5}  chosen")
    print(head)
    print("-" * len(head))
    totals: dict[str, list[int]] = {}
    for i, data in enumerate(sets):
        labels = np.array(data.labels, dtype=int)
        rows: list[tuple[str, np.ndarray, np.ndarray, str]] = [
            ("current sense step", np.array(data.current_keep, dtype=int),
             np.array(data.current), "tuned on this set")]
        for name, results in models.items():
            probs, c, threshold = results[i]
            rows.append((name, (probs >= threshold).astype(int), probs,
                         f"t={threshold:.2f}" + (f" C={c:g}" if "LR" in name else "")))
        rows.append(("oracle (labels)", labels, labels.astype(float), "ceiling"))
        for name, keep, scores, note in rows:
            jp, jr = judged_pr(labels, keep)
            p, r, tp, fp, fn = set_level(data, keep.tolist())
            total = totals.setdefault(name, [0, 0, 0])
            total[0] += tp
            total[1] += fp
            total[2] += fn
            print(f"{data.gold.name:<11}{name:<26}{jp:>9.3f}{jr:>9.3f}{auc(labels, scores):>7}"
                  f"{p:>8.3f}{r:>8.3f}{tp:>6}{fp:>5}{fn:>5}  {note}")
        if data.gold.name in WHEN_HELD_OUT:
            print(f"{'':<11}(current system when {data.gold.name} was still held out: set "
                  f"P / R {WHEN_HELD_OUT[data.gold.name]})")
        print()
    print_pooled("left-out sets", totals, 26)


def print_pooled(what: str, totals: dict[str, list[int]], width: int) -> None:
    """Precision, recall and F1 of each system over the summed TP, FP and FN."""
    print(f"pooled over the {what} (sum of TP, FP, FN):")
    for name, (tp, fp, fn) in totals.items():
        p, r, f = tq.prf(tp, fp, fn)
        print(f"  {name:<{width}} P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (TP {tp}, FP {fp}, FN {fn})")


def load_sets(shared: Path) -> list[tuple[str, tq.GoldSet | None]]:
    sets: list[tuple[str, tq.GoldSet | None]] = [
        ("demo", tq.load_demo()), ("real", tq.load_real(shared / "real" / "term_passages"))]
    sets += [(name, tq.load_marked(dev_path(name), name)) for name in DEV_FILES]
    return sets


@dataclass
class Setup:
    """The seed lexicon, the bundled pipeline (through the parse and token-table caches), the
    full matcher (fuzzy pass) and the sense model, as `focuslex analyse` builds them."""
    entries: list
    nlp: object
    tables_of: object   # texts -> token tables
    matcher: TermMatcher
    senses: SenseModel


def setup(cache: Path) -> Setup:
    entries = load_entries(None)
    nlp = load_pipeline(Settings(nlp=NlpSettings(model="")))

    def tables_of(texts):
        return token_tables(nlp, texts, cache)[0]

    matcher = TermMatcher.from_entries(entries, fuzzy=True)
    senses = SenseModel.build(entries, matcher, tables_of, cache, TermSettings())
    return Setup(entries, nlp, tables_of, matcher, senses)


def dev_sets(shared: Path, made: Setup, collect_set) -> list:
    """`collect_set(gold, matcher, senses, tables)` of every dev set present (absent: noted)."""
    sets = []
    for name, gold in load_sets(shared):
        if gold is None:
            print(f"({name} gold set absent: skipped)")
            continue
        ids = list(gold.texts)
        tables = dict(zip(ids, made.tables_of([gold.texts[i] for i in ids])))
        sets.append(collect_set(gold, made.matcher, made.senses, tables))
    return sets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=tq.REPO / "data" / "cache",
                        help="parse and embedding cache folder (default data/cache)")
    parser.add_argument("--shared", type=Path, default=tq.REPO.parent / "shared" / "data",
                        help="the shared data folder (default ../shared/data)")
    parser.add_argument("--gb", action="store_true",
                        help="also a gradient boosting model (slow: over 20 minutes on 2 busy cores)")
    args = parser.parse_args()
    started = time.perf_counter()
    made = setup(args.cache)
    print(f"pipeline {pipeline_id(made.nlp)}; seed lexicon ({len(made.entries)} terms; "
          f"{len(made.senses.terms)} with sense examples); full matcher (fuzzy pass) + sense step "
          f"(keep >= {TermSettings().sense_keep}, drop < {TermSettings().sense_drop}; "
          "uncertain hits count as kept)")
    print("ALL FIGURES ARE DEV (leave one dev set out). The current sense step and the lexicon "
          "examples were tuned on every set below; each model did not see its left-out set. "
          f"{', '.join(sorted(HELD_OUT))} are never read.")
    sets: list[SetData] = dev_sets(args.shared, made, collect)
    print("judged hits per set (label 1 / 0): " + ", ".join(
        f"{d.gold.name} {sum(d.labels)}/{len(d.labels) - sum(d.labels)}" for d in sets))
    terms = sorted({t for d in sets for t in d.terms})
    models = {"LR signals+term": run_model(make_lr, C_GRID, sets, terms, "signals"),
              "LR signals+term+USE": run_model(make_lr, C_GRID, sets, terms, "signals+use"),
              "LR term+USE": run_model(make_lr, C_GRID, sets, terms, "use")}
    if args.gb:
        models["GB signals+term+USE"] = run_model(make_gb, (0.0,), sets, terms,
                                                  "signals+use")
    print()
    report(sets, models)
    print(f"\n{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
