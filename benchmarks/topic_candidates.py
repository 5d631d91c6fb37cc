"""The candidate topic settings measured on the demo corpus (dev), one process.

    .venv/bin/python benchmarks/topic_candidates.py [--work DIR] [--seeds 42,1,2] [--first N]

Each row is one variant of `[topics]` fitted through `pipeline.topics.model.fit_topics` (the
product's own code path) on the demo corpus with the `use` encoder (embeddings cached in
`--work`): the number of topics, ARI and NMI of the turns' topics against the answer key's
themes (as in `benchmarks/topic_quality.py`: the most frequent topic of a turn's units, over
the participant turns with one theme), the share of units without a topic before BERTopic's
outlier reduction, and the fit time. With `--seeds`, each variant is fitted once per seed
(UMAP, k-means and KeyBERTInspired) and the mean, lowest and highest figure are printed: on
41 turns the ARI of one seed says little. `--first N` measures only the first N variants
(`--first -1`: none). First it prints a check of the embeddings themselves (`theme_check`):
each evaluated turn gets the theme whose other turns' mean embedding is nearest (leave one
out, supervised).
All figures are dev: the defaults were chosen from this table. Prints figures; asserts
nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from collections import defaultdict
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from topic_quality import agreement, prepare_demo, turn_themes  # noqa: E402
from pipeline.core.settings import Settings, TopicSettings  # noqa: E402
from pipeline.store.database import Store  # noqa: E402
from pipeline.topics.embeddings import CachedEmbedder, load_encoder  # noqa: E402
from pipeline.topics.model import OUTLIER, fit_topics  # noqa: E402
from pipeline.topics.run import load_units  # noqa: E402
from pipeline.topics.units import Unit  # noqa: E402

OLD = dict(min_cluster_share=0.0, min_samples=5, merge_topics=False)


def candidates(base: TopicSettings) -> list[tuple[str, TopicSettings]]:
    """(name, settings): the defaults before this tuning, one change at a time, the new
    defaults, and the unit and clustering alternatives."""
    old = replace(base, **OLD)
    return [
        ("previous defaults (mcs 15, ms 5, no merge)", old),
        ("ms 1", replace(old, min_samples=1)),
        ("ms 2, mcs 1 % of units", replace(old, min_samples=2, min_cluster_share=0.01)),
        ("ms 5, merge (nr_topics auto)", replace(old, merge_topics=True)),
        ("UMAP 30 neighbours", replace(old, n_neighbors=30)),
        ("new defaults (ms 1, mcs 0.75 %, merge)", base),
        ("new defaults, UMAP 10 dimensions", replace(base, n_components=10)),
        ("chunks of up to 40 words", replace(base, unit_words=40)),
        ("chunks of up to 80 words", replace(base, unit_words=80)),
        ("whole turns (unit_words 10000)", replace(base, unit_words=10000)),
        ("k-means, k = 12 (UMAP)", replace(base, clustering="kmeans", n_topics=12)),
        ("k-means, k = 25 (UMAP)", replace(base, clustering="kmeans", n_topics=25)),
    ]


def _norm(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)


def theme_check(units: list[Unit], embeddings: np.ndarray) -> tuple[float, int]:
    """Share of the evaluated turns whose nearest theme centroid (mean embedding of the
    other turns with that theme, leave one out) is their own theme; and the turn count."""
    themes = turn_themes()
    by_turn: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, u in enumerate(units):
        by_turn[(u.document, u.utterance_index)].append(i)
    keys = [k for k in sorted(by_turn) if k in themes]
    gold = [themes[k] for k in keys]
    turns = _norm(np.vstack([_norm(embeddings[by_turn[k]]).mean(axis=0) for k in keys]))
    right = 0
    for j in range(len(keys)):
        centroids = {}
        for theme in sorted(set(gold)):
            others = [i for i in range(len(keys)) if i != j and gold[i] == theme]
            if others:
                centroids[theme] = _norm(turns[others].mean(axis=0, keepdims=True))[0]
        right += max(centroids, key=lambda theme: float(turns[j] @ centroids[theme])) == gold[j]
    return right / len(keys), len(keys)


def measure(name: str, topic_settings: TopicSettings, settings: Settings, store: Store,
            embedder: CachedEmbedder, seeds: list[int]) -> None:
    units = load_units(replace(settings, topics=topic_settings), store)
    embeddings = embedder.embed([u.text for u in units])
    runs = []
    for seed in seeds:
        began = time.perf_counter()
        fit = fit_topics([u.lemmas for u in units], embeddings, embedder,
                         [u.group for u in units], [u.round for u in units],
                         replace(topic_settings, seed=seed))
        seconds = time.perf_counter() - began
        ari, nmi, _ = agreement(units, fit.topics)
        runs.append((len(set(fit.topics) - {OUTLIER}), ari, nmi, fit.outlier_share, seconds))
    cells = [_cell([r[k] for r in runs], form) for k, form in
             enumerate(("{:.0f}", "{:.3f}", "{:.3f}", "{:.1%}", "{:.1f}"))]
    print(f"{name:<44}{len(units):>6}" + "".join(f"{c:>22}" for c in cells), flush=True)


def _cell(values: list[float], form: str) -> str:
    """One figure, or with several seeds: mean (lowest-highest)."""
    if len(values) == 1:
        return form.format(values[0])
    return (f"{form.format(statistics.mean(values))} "
            f"({form.format(min(values))}-{form.format(max(values))})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, help="scratch folder (default: a new temp folder)")
    parser.add_argument("--seeds", default="42",
                        help="seeds, comma-separated (default 42, the product's)")
    parser.add_argument("--first", type=int, default=0, help="only the first N variants")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    work = args.work or Path(tempfile.mkdtemp(prefix="focuslex-topics-"))
    work.mkdir(parents=True, exist_ok=True)
    settings, store = prepare_demo(work)
    embedder = CachedEmbedder(load_encoder("use"), work / "candidates-cache")
    print("Demo corpus, topic candidates (dev: the defaults were chosen from this table)")
    units = load_units(settings, store)
    share, turns = theme_check(units, embedder.embed([u.text for u in units]))
    print(f"theme check (supervised, leave one out) on the sentence embeddings: {share:.0%} "
          f"of {turns} turns get their own theme")
    print(f"seeds: {', '.join(map(str, seeds))}")
    print(f"{'variant':<44}{'units':>6}" + "".join(
        f"{h:>22}" for h in ("topics", "ARI", "NMI", "outl.", "fit s")))
    variants = candidates(settings.topics)
    count = len(variants) if args.first == 0 else max(0, args.first)
    for name, topic_settings in variants[:count]:
        measure(name, topic_settings, settings, store, embedder, seeds)
    print("(ARI/NMI over the participant turns with one theme in the answer key; 'outl.' = "
          "units without a topic before reduce_outliers; the first row's fit includes UMAP's "
          "numba warm-up)")


if __name__ == "__main__":
    main()
