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
out, supervised). With `--outliers`, instead of the variants: a screen of HDBSCAN settings
on the product's own UMAP reduction (`pipeline.topics.model`'s sub-models, one UMAP fit per
seed): per setting the share of units HDBSCAN leaves without a topic, the number of
clusters, and the NMI of the turns' most frequent cluster (outliers as one more label)
against the themes, beside the defaults on the same reduction.
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
from hdbscan import HDBSCAN
from sklearn.metrics import normalized_mutual_info_score

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from topic_quality import agreement, prepare_demo, turn_themes  # noqa: E402
from pipeline.core.settings import Settings, TopicSettings  # noqa: E402
from pipeline.store.database import Store  # noqa: E402
from pipeline.topics.embeddings import CachedEmbedder, load_encoder  # noqa: E402
from pipeline.topics.model import OUTLIER, _sub_models, cluster_size, fit_topics  # noqa: E402
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


def screen_settings(base: TopicSettings, n_docs: int) -> list[tuple[str, dict[str, object]]]:
    """(name, HDBSCAN keyword arguments): the defaults and alternatives to screen."""
    size = cluster_size(base, n_docs)
    default = dict(min_cluster_size=size, min_samples=max(1, base.min_samples),
                   cluster_selection_method="eom", cluster_selection_epsilon=0.0)
    out: list[tuple[str, dict[str, object]]] = [("defaults", default)]
    for smaller in (5, 8, 10):
        out.append((f"min_cluster_size {smaller}", {**default, "min_cluster_size": smaller}))
    for larger in (25, 40, 60):
        out.append((f"min_cluster_size {larger}", {**default, "min_cluster_size": larger}))
    for epsilon in (0.1, 0.25, 0.3, 0.35, 0.4, 0.5):
        out.append((f"cluster_selection_epsilon {epsilon}",
                    {**default, "cluster_selection_epsilon": epsilon}))
    out.append(("leaf selection", {**default, "cluster_selection_method": "leaf"}))
    out.append(("leaf, min_cluster_size 30",
                {**default, "cluster_selection_method": "leaf", "min_cluster_size": 30}))
    return out


def outlier_screen(units: list[Unit], embeddings: np.ndarray, base: TopicSettings,
                   seeds: list[int]) -> None:
    """HDBSCAN settings on the product's UMAP reduction of the demo units, per seed."""
    themes = turn_themes()
    keys = [(u.document, u.utterance_index) for u in units]
    rows: dict[str, list[tuple[float, int, float]]] = defaultdict(list)
    for seed in seeds:
        reducer = _sub_models(replace(base, seed=seed), len(units))["umap_model"]
        reduced = np.nan_to_num(reducer.fit_transform(embeddings))  # as BERTopic does
        for name, kwargs in screen_settings(base, len(units)):
            labels = HDBSCAN(metric="euclidean", **kwargs).fit_predict(reduced)
            by_turn: dict[tuple[str, int], list[int]] = defaultdict(list)
            for key, label in zip(keys, labels):
                by_turn[key].append(int(label))
            turns = [k for k in sorted(by_turn) if k in themes]
            pred = [max(set(by_turn[k]), key=by_turn[k].count) for k in turns]
            nmi = normalized_mutual_info_score([themes[k] for k in turns], pred)
            rows[name].append((float(np.mean(labels == OUTLIER)),
                               len(set(labels.tolist()) - {OUTLIER}), nmi))
    print(f"HDBSCAN screen on the UMAP reduction (seeds {', '.join(map(str, seeds))}): "
          "mean (lowest-highest)")
    print(f"{'setting':<34}{'no topic':>24}{'clusters':>20}{'NMI (raw)':>24}")
    for name, runs in rows.items():
        cells = [_cell([r[k] for r in runs], form)
                 for k, form in enumerate(("{:.1%}", "{:.0f}", "{:.3f}"))]
        print(f"{name:<34}" + "".join(f"{c:>22}" for c in cells), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, help="scratch folder (default: a new temp folder)")
    parser.add_argument("--seeds", default="42",
                        help="seeds, comma-separated (default 42, the product's)")
    parser.add_argument("--first", type=int, default=0, help="only the first N variants")
    parser.add_argument("--outliers", action="store_true",
                        help="screen HDBSCAN settings for the share without a topic instead")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    work = args.work or Path(tempfile.mkdtemp(prefix="focuslex-topics-"))
    work.mkdir(parents=True, exist_ok=True)
    settings, store = prepare_demo(work)
    embedder = CachedEmbedder(load_encoder("use"), work / "candidates-cache")
    print("Demo corpus, topic candidates (dev: the defaults were chosen from this table)")
    units = load_units(settings, store)
    if args.outliers:
        outlier_screen(units, embedder.embed([u.text for u in units]), settings.topics, seeds)
        return
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
