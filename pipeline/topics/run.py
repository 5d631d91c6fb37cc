"""`focuslex topics fit`: stored utterances -> units -> embeddings (cached) -> BERTopic ->
store, with a run record (encoder, settings, outlier share). Also what the app, the CLI
and the reports read back: the topics as the committee curated them, the units with their
topic, tables per stakeholder group and per round, and the export.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.decomposition import PCA

from pipeline.analysis.collocations import cached_token_tables
from pipeline.core.errors import FocuslexError
from pipeline.core.settings import Settings
from pipeline.store.database import Store
from pipeline.store.topics import TopicStore
from pipeline.topics.embeddings import CachedEmbedder, Encoder, load_encoder
from pipeline.topics.model import OUTLIER, TopicFit, check_settings, fit_topics
from pipeline.topics.units import Unit, make_units

log = logging.getLogger("focuslex.topics")

MIN_UNITS = 10
EXAMPLES = 3
Progress = Callable[[int, int, str], None]


@dataclass
class TopicReport:
    """What a fit did."""
    run_id: int
    units: int
    topics: int
    outlier_share: float
    embedded: int
    embedder: str
    seconds: float


def load_units(settings: Settings, store: Store) -> list[Unit]:
    """The units of everything stored, with lemmas from the token tables of the last
    `focuslex analyse` (nothing is parsed here)."""
    utterances = store.stored_utterances()
    names = {d.id: d.file_name for d in store.documents()}
    facilitators = {s.code for s in store.speakers() if s.role == "facilitator"}
    tables = cached_token_tables(store, Path(settings.paths.cache_dir), utterances)
    if len(tables) < len(utterances):
        log.warning("%d of %d turns have no cached token table (run `focuslex analyse`); "
                    "their topic words are word forms, not lemmas",
                    len(utterances) - len(tables), len(utterances))
    return make_units(utterances, names, tables, facilitators, settings.topics)


def layout(topics: Sequence[int], embeddings: np.ndarray,
           seed: int) -> tuple[dict[int, tuple[float, float]], dict[int, list[int]]]:
    """Per topic a place on a 2-D map (PCA of the topic centroids) and the indices of the
    units nearest its centroid (its example quotes)."""
    norm = embeddings / np.maximum(np.linalg.norm(embeddings, axis=1, keepdims=True), 1e-9)
    labels = np.asarray(topics)
    ids = sorted(set(int(t) for t in topics))
    centroids = np.vstack([norm[labels == t].mean(axis=0) for t in ids])
    if len(ids) >= 2:
        points = PCA(n_components=2, random_state=seed).fit_transform(centroids)
    else:
        points = np.zeros((len(ids), 2))
    places = {t: (round(float(p[0]), 6), round(float(p[1]), 6)) for t, p in zip(ids, points)}
    examples: dict[int, list[int]] = {}
    for t, centroid in zip(ids, centroids):
        members = np.flatnonzero(labels == t)
        order = np.argsort(-(norm[members] @ centroid), kind="stable")
        examples[t] = [int(members[i]) for i in order[:EXAMPLES]]
    return places, examples


def _rows(units: Sequence[Unit], fit: TopicFit, embeddings: np.ndarray,
          seed: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    places, examples = layout(fit.topics, embeddings, seed)
    unit_rows = [{"document_id": u.document_id, "utterance_index": u.utterance_index,
                  "unit": u.unit, "start": u.start, "end": u.end, "speaker": u.speaker,
                  "group": u.group, "round": u.round, "text": u.text, "topic": topic,
                  "outlier": outlier}
                 for u, topic, outlier in zip(units, fit.topics, fit.outliers)]
    sizes = {t: fit.topics.count(t) for t in places}
    topic_rows = [{"topic": t, "words": fit.words.get(t, []), "size": sizes[t],
                   "x": places[t][0], "y": places[t][1], "examples": examples[t]}
                  for t in sorted(places)]
    class_rows = [{"topic": int(r.Topic), "kind": kind, "value": str(getattr(r, column)),
                   "words": [w.strip() for w in str(r.Words).split(",") if w.strip()],
                   "frequency": int(r.Frequency)}
                  for kind, frame, column in (("group", fit.per_group, "Class"),
                                              ("round", fit.per_round, "Timestamp"))
                  for r in frame.itertuples()]
    return unit_rows, topic_rows, class_rows


def run_topics(settings: Settings, store: Store, *, encoder: Encoder | None = None,
               units: Sequence[Unit] | None = None,
               progress: Progress | None = None) -> TopicReport:
    """Fit topics on everything stored and replace the stored fit (the curation stays)."""
    began = time.perf_counter()
    check_settings(settings.topics)
    units = list(units) if units is not None else load_units(settings, store)
    if len(units) < MIN_UNITS:
        raise FocuslexError("FX-TOP-001", count=len(units), minimum=MIN_UNITS)
    embedder = CachedEmbedder(encoder or load_encoder(settings.topics.embedder),
                              settings.paths.cache_dir)
    run_id = store.start_run("topics", {"embedder": embedder.encoder.name,
                                        "settings": _plain(asdict(settings.topics))})
    try:
        if progress is not None:
            progress(0, 2, "Onderwerpen")
        embeddings = embedder.embed([u.text for u in units])
        if progress is not None:
            progress(1, 2, "Onderwerpen")
        fit = fit_topics([u.lemmas for u in units], embeddings, embedder,
                         [u.group for u in units], [u.round for u in units], settings.topics)
        unit_rows, topic_rows, class_rows = _rows(units, fit, embeddings, settings.topics.seed)
        TopicStore(store).replace_fit(unit_rows, topic_rows, class_rows, run_id)
    except Exception as exc:
        store.finish_run(run_id, "error", {"error": str(exc)})
        raise
    if progress is not None:
        progress(2, 2, "Onderwerpen")
    report = TopicReport(
        run_id=run_id, units=len(units), topics=len(set(fit.topics) - {OUTLIER}),
        outlier_share=fit.outlier_share,
        embedded=embedder.computed, embedder=embedder.encoder.name,
        seconds=time.perf_counter() - began)
    store.finish_run(run_id, "ok", {"units": report.units, "topics": report.topics,
                                    "outlier_share": round(report.outlier_share, 4),
                                    "embedded": report.embedded,
                                    "seconds": round(report.seconds, 3)})
    return report


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
