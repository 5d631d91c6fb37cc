"""Would hand labels help the six activities? A supervised check on the dev sets.

    .venv/bin/python benchmarks/activity_supervised.py [--work DIR]

The activity suggestions (`pipeline.activities.suggest`) score a sentence against each
activity's description and prototypes. This script asks whether a classifier trained on the
hand-labelled dev sentences would do better: for each dev set (both splits of
`benchmarks/data/activity_labels.jsonl` and `activity_test2.jsonl`), a logistic regression
on the `use` sentence embeddings (unit length) is trained on the two other sets plus the
activities' own texts, and scored on the left-out set (leave one set out), alone (w = 0)
and with w x a softmax of the product's prototype similarity (mean of the two best) added.
The held-out test part (`activity_test3.jsonl`) is never opened. All figures are dev.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from topic_quality import labelled_sets, prepare_demo  # noqa: E402
from pipeline.activities.model import ACTIVITIES, ACTIVITY_IDS  # noqa: E402
from pipeline.activities.suggest import activity_texts  # noqa: E402
from pipeline.topics.embeddings import CachedEmbedder, load_encoder  # noqa: E402
from pipeline.topics.run import load_units  # noqa: E402


def unit(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def prototype_probs(x: np.ndarray, protos: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Softmax (temperature 0.1) of the mean of the two best prototype similarities."""
    sims = x @ protos.T
    scores = np.stack([np.sort(sims[:, labels == a], axis=1)[:, -2:].mean(1)
                       for a in ACTIVITY_IDS], 1)
    exp = np.exp(scores * 10)
    return exp / exp.sum(1, keepdims=True)


def left_out_accuracy(xs: list[np.ndarray], ys: list[np.ndarray], protos: np.ndarray,
                      labels: np.ndarray, c: float, w: float) -> list[float]:
    accs = []
    for i in range(len(xs)):
        train = [j for j in range(len(xs)) if j != i]
        model = LogisticRegression(C=c, max_iter=2000).fit(
            np.vstack([xs[j] for j in train] + [protos]),
            np.concatenate([ys[j] for j in train] + [labels]))
        order = [list(model.classes_).index(a) for a in ACTIVITY_IDS]
        scores = model.predict_proba(xs[i])[:, order] + w * prototype_probs(xs[i], protos,
                                                                             labels)
        accs.append(float((np.array(ACTIVITY_IDS)[scores.argmax(1)] == ys[i]).mean()))
    return accs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, help="scratch folder (default: a new temp folder)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="focuslex-supervised-"))
    work.mkdir(parents=True, exist_ok=True)
    settings, store = prepare_demo(work)
    sets = labelled_sets(load_units(settings, store), store, settings, with_test=False)
    embedder = CachedEmbedder(load_encoder("use"), work / "cache")
    xs = [unit(embedder.embed(s.texts)) for s in sets]
    ys = [np.array(s.gold) for s in sets]
    texts = [(a.id, t) for a in ACTIVITIES for t in activity_texts(a)]
    protos = unit(embedder.embed([t for _, t in texts]))
    labels = np.array([a for a, _ in texts])
    print("Supervised activities, leave one dev set out (dev figures; test3 not read)")
    print("C     w    " + "  ".join(f"{s.name[:26]:>26}" for s in sets) + "    mean")
    for c in (0.5, 1.0, 4.0, 16.0):
        for w in (0.0, 0.5, 1.0):
            accs = left_out_accuracy(xs, ys, protos, labels, c, w)
            print(f"{c:<5} {w:<4} " + "  ".join(f"{a:>26.3f}" for a in accs)
                  + f"  {np.mean(accs):.3f}")


if __name__ == "__main__":
    main()
