"""BERTopic, wrapped in this one module: the sub-models focuslex plugs in, one fit, and the
per-group and per-round topic words. Nothing else in focuslex imports bertopic, umap or
hdbscan; the fitted model stays inside `fit_topics`.

- documents: the units' content lemmas (spaCy lemmas), so topic words are lemmas;
  embeddings: of the units' own text (precomputed, cached by `pipeline.topics.embeddings`);
- vectorizer: spaCy's Dutch stop words plus `topics.fillers` (Flemish fillers), only here;
- reduction UMAP (or PCA) and clustering HDBSCAN (or k-means) with fixed seeds; HDBSCAN's
  smallest topic grows with the corpus (`cluster_size`), and topics whose words are alike
  are merged after the fit (`topics.merge_topics`: BERTopic's `nr_topics="auto"`, HDBSCAN
  only: a k-means topic count is the user's choice);
- representation: KeyBERTInspired (or MMR) for readable topic words;
- outliers (-1) reported, then given their nearest topic with BERTopic's `reduce_outliers`
  (embeddings strategy) unless `topics.reduce_outliers` is off;
- `topics_per_class` over stakeholder groups and `topics_over_time` over rounds.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from bertopic import BERTopic
from bertopic.backend import BaseEmbedder
from bertopic.representation import KeyBERTInspired, MaximalMarginalRelevance
from hdbscan import HDBSCAN
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.feature_extraction.text import CountVectorizer
from spacy.lang.nl.stop_words import STOP_WORDS
from umap import UMAP

from pipeline.core.errors import FocuslexError
from pipeline.core.settings import TopicSettings
from pipeline.topics.embeddings import CachedEmbedder

log = logging.getLogger("focuslex.topics")

OUTLIER = -1
CHOICES: dict[str, tuple[str, ...]] = {"reduction": ("umap", "pca"),
                                       "clustering": ("hdbscan", "kmeans"),
                                       "representation": ("keybert", "mmr")}
NO_ROUND = 0  # the round of units without one, in topics_over_time


class CachedBackend(BaseEmbedder):
    """BERTopic's embedding backend over focuslex's cached embedder, so the words that
    KeyBERTInspired and MMR embed are cached as well."""

    def __init__(self, embedder: CachedEmbedder) -> None:
        super().__init__()
        self.embedder = embedder

    def embed(self, documents: list[str], verbose: bool = False) -> np.ndarray:
        return self.embedder.embed(documents)


def _quiet_custom_topics(record: logging.LogRecord) -> bool:
    return "custom list of topic assignments" not in record.getMessage()


@dataclass
class TopicFit:
    """What one fit gives: per unit its topic (after outlier reduction) and whether it was an
    outlier first; per topic its words, and BERTopic's per-group and per-round words."""

    topics: list[int]
    outliers: list[bool]
    words: dict[int, list[str]]
    per_group: pd.DataFrame = field(default_factory=pd.DataFrame)
    per_round: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def outlier_share(self) -> float:
        return sum(self.outliers) / len(self.outliers) if self.outliers else 0.0


def check_settings(settings: TopicSettings) -> None:
    """FX-TOP-002 for a setting outside its choices."""
    for key, choices in CHOICES.items():
        value = getattr(settings, key)
        if value not in choices:
            raise FocuslexError("FX-TOP-002", key=key, value=value, choices=", ".join(choices))


def vectorizer(settings: TopicSettings, n_docs: int) -> CountVectorizer:
    """Counts of content lemmas: Dutch stop words and Flemish fillers left out."""
    stop = sorted(set(STOP_WORDS) | {w.lower() for w in settings.fillers})
    return CountVectorizer(stop_words=stop, token_pattern=r"(?u)\b[^\W\d_][^\W\d_'’-]+\b",
                           min_df=2 if n_docs >= 50 else 1, lowercase=True)


def cluster_size(settings: TopicSettings, n_docs: int) -> int:
    """HDBSCAN's smallest topic: `min_cluster_size`, or `min_cluster_share` of the units when
    that is more (never under 2)."""
    return max(2, settings.min_cluster_size, round(settings.min_cluster_share * n_docs))


def _sub_models(settings: TopicSettings, n_docs: int) -> dict[str, Any]:
    components = max(2, min(settings.n_components, n_docs - 2))
    if settings.reduction == "umap":
        reducer: Any = UMAP(n_neighbors=max(2, min(settings.n_neighbors, n_docs - 1)),
                            n_components=components, min_dist=0.0, metric="cosine",
                            random_state=settings.seed, n_jobs=1)
    else:
        reducer = PCA(n_components=components, random_state=settings.seed)
    if settings.clustering == "hdbscan":
        clusterer: Any = HDBSCAN(min_cluster_size=cluster_size(settings, n_docs),
                                 min_samples=max(1, settings.min_samples), metric="euclidean",
                                 cluster_selection_method="eom", prediction_data=True)
    else:
        clusterer = KMeans(n_clusters=max(1, min(settings.n_topics, n_docs)),
                           random_state=settings.seed, n_init=10)
    representation: Any = (KeyBERTInspired(top_n_words=settings.top_words,
                                           random_state=settings.seed)
                           if settings.representation == "keybert"
                           else MaximalMarginalRelevance(diversity=0.3,
                                                         top_n_words=settings.top_words))
    return {"umap_model": reducer, "hdbscan_model": clusterer,
            "representation_model": representation,
            "vectorizer_model": vectorizer(settings, n_docs)}


def fit_topics(docs: Sequence[str], embeddings: np.ndarray, embedder: CachedEmbedder,
               groups: Sequence[str], rounds: Sequence[int | None],
               settings: TopicSettings) -> TopicFit:
    """Fit BERTopic on `docs` (content lemmas, one per unit, in a stable order) with their
    precomputed `embeddings`; the same input and settings give the same topics."""
    check_settings(settings)
    docs = list(docs)
    parts = _sub_models(settings, len(docs))
    merge = settings.merge_topics and settings.clustering == "hdbscan"
    model = BERTopic(embedding_model=CachedBackend(embedder), top_n_words=settings.top_words,
                     calculate_probabilities=False, verbose=False,
                     nr_topics="auto" if merge else None, **parts)
    # BERTopic warns on every update_topics with our own (outlier-reduced) assignments, which
    # is what its documentation does after reduce_outliers: drop that one warning.
    logging.getLogger("BERTopic").addFilter(_quiet_custom_topics)
    topics = [int(t) for t in model.fit_transform(docs, embeddings)[0]]
    outliers = [t == OUTLIER for t in topics]
    log.info("BERTopic: %d topics, %d outliers of %d units", len(set(topics) - {OUTLIER}),
             sum(outliers), len(docs))
    if settings.reduce_outliers and any(outliers) and set(topics) != {OUTLIER}:
        topics = [int(t) for t in model.reduce_outliers(docs, topics, strategy="embeddings",
                                                        embeddings=embeddings)]
        model.update_topics(docs, topics=topics, top_n_words=settings.top_words,
                            vectorizer_model=parts["vectorizer_model"],
                            representation_model=parts["representation_model"])
    words = {int(t): [w for w, _ in (model.get_topic(t) or []) if w]
             for t in sorted(set(topics))}
    per_group = model.topics_per_class(docs, classes=list(groups))
    per_round = model.topics_over_time(
        docs, [NO_ROUND if r is None else int(r) for r in rounds], topics=topics)
    return TopicFit(topics=topics, outliers=outliers, words=words, per_group=per_group,
                    per_round=per_round)
