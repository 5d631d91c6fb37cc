"""The candidate topic settings measured on the demo corpus (dev), one process.

    .venv/bin/python benchmarks/topic_candidates.py [--work DIR]

Each row is one variant of `[topics]` fitted through `pipeline.topics.model.fit_topics` (the
product's own code path) on the demo corpus with the `use` encoder (embeddings cached in
`--work`): the number of topics, ARI and NMI of the turns' topics against the answer key's
themes (as in `benchmarks/topic_quality.py`: the most frequent topic of a turn's units, over
the participant turns with one theme), the share of units without a topic before BERTopic's
outlier reduction, and the fit time. All figures are dev: the defaults were chosen from this
table. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from topic_quality import agreement, prepare_demo  # noqa: E402
from pipeline.core.settings import Settings, TopicSettings  # noqa: E402
from pipeline.store.database import Store  # noqa: E402
from pipeline.topics.embeddings import CachedEmbedder, load_encoder  # noqa: E402
from pipeline.topics.model import OUTLIER, fit_topics  # noqa: E402
from pipeline.topics.run import load_units  # noqa: E402

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


def measure(name: str, topic_settings: TopicSettings, settings: Settings, store: Store,
            embedder: CachedEmbedder) -> None:
    units = load_units(replace(settings, topics=topic_settings), store)
    embeddings = embedder.embed([u.text for u in units])
    began = time.perf_counter()
    fit = fit_topics([u.lemmas for u in units], embeddings, embedder, [u.group for u in units],
                     [u.round for u in units], topic_settings)
    seconds = time.perf_counter() - began
    ari, nmi, turns = agreement(units, fit.topics)
    print(f"{name:<44}{len(units):>6}{len(set(fit.topics) - {OUTLIER}):>7}{ari:>7.3f}"
          f"{nmi:>7.3f}{fit.outlier_share:>8.1%}{seconds:>7.1f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, help="scratch folder (default: a new temp folder)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="focuslex-topics-"))
    work.mkdir(parents=True, exist_ok=True)
    settings, store = prepare_demo(work)
    embedder = CachedEmbedder(load_encoder("use"), work / "candidates-cache")
    print("Demo corpus, topic candidates (dev: the defaults were chosen from this table)")
    print(f"{'variant':<44}{'units':>6}{'topics':>7}{'ARI':>7}{'NMI':>7}{'outl.':>8}{'fit s':>7}")
    for name, topic_settings in candidates(settings.topics):
        measure(name, topic_settings, settings, store, embedder)
    print("(ARI/NMI over the participant turns with one theme in the answer key; 'outl.' = "
          "units without a topic before reduce_outliers; the first row's fit includes UMAP's "
          "numba warm-up)")


if __name__ == "__main__":
    main()
