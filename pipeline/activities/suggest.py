"""Suggested activities per unit and per document, and the committee's decisions on them.

A unit's score for an activity is the mean of its two highest cosine similarities with the
embeddings of the activity's description and prototypes (`pipeline.activities.model`), plus
`activities.lexicon_weight` for every lexicon term in the unit whose lexicon entry lists the
activity (the lexicon's `activities` field). These choices (top-2 mean rather than the
mean vector or the single best match, no centring, weight 0.05) were made on the dev half
of the hand labels of `benchmarks/topic_quality.py`. A sentence that is not stored (typed
in, or from another corpus) is scored the same way (`score_texts`): its terms are found by
the same matcher and sense step as `focuslex analyse`. The best `activities.per_unit`
activities are stored as suggestions; a suggestion is never a fact until a committee
member confirms it (`decide`), and a decision records who and when.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from spacy.language import Language

from lexicon.model import Entry
from pipeline.activities.model import (ACTIVITIES, ACTIVITY_IDS, BY_LEXICON_LABEL, Activity,
                                       activity)
from pipeline.core.errors import FocuslexError
from pipeline.core.records import StoredUtterance
from pipeline.core.settings import ActivitySettings, Settings
from pipeline.nlp.cache import token_tables
from pipeline.nlp.loader import load_pipeline
from pipeline.store.activities import ActivityStore
from pipeline.store.database import Store
from pipeline.terms.matcher import TermMatcher, find_terms
from pipeline.terms.run import load_lexicon, sense_model
from pipeline.topics.curation import Who, actor_name
from pipeline.topics.embeddings import CachedEmbedder, Encoder, load_encoder
from pipeline.topics.run import load_units
from pipeline.topics.units import Unit

SUGGESTED, CONFIRMED, REJECTED = "suggested", "confirmed", "rejected"
STATUSES: tuple[str, ...] = (SUGGESTED, CONFIRMED, REJECTED)


@dataclass
class ActivityReport:
    run_id: int
    units: int
    suggestions: int
    seconds: float


def _normalise(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)


def activity_vectors(embedder: CachedEmbedder) -> list[np.ndarray]:
    """Per activity (ACTIVITY_IDS order) the unit-length embeddings of its texts
    (`activity_texts`)."""
    return [_normalise(embedder.embed(activity_texts(item))) for item in ACTIVITIES]


def activity_texts(item: Activity) -> list[str]:
    """What stands for an activity: its description and prototypes."""
    return [item.description, *item.prototypes]


def score_embedded(embedder: CachedEmbedder, texts: Sequence[str],
                   links: Sequence[Mapping[str, Sequence[str]]],
                   settings: ActivitySettings) -> np.ndarray:
    """Scores (texts x activities) of texts with their lexicon links: the one scoring of
    stored units (`suggest_activities`), free sentences (`score_texts`) and the benchmark."""
    return score_units(embedder.embed(list(texts)), activity_vectors(embedder), links,
                       settings.lexicon_weight, settings.top_k)


def term_links(units: Sequence[Unit], store: Store) -> list[dict[str, list[str]]]:
    """Per unit: activity id -> the lexicon terms in the unit whose entry lists it."""
    hits: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for hit in store.term_hits():
        hits[hit.document_id].append((hit.start, hit.term_id))
    return _links([(u.document_id, u.start, u.end) for u in units], hits,
                  load_lexicon(store).entries)


def _links(spans: Sequence[tuple[int, int, int]], hits: Mapping[int, list[tuple[int, str]]],
           entries: Sequence[Entry]) -> list[dict[str, list[str]]]:
    """Per (document, start, end) span: activity id -> the terms hit inside it whose lexicon
    entry lists the activity."""
    by_id = {e.id: e for e in entries}
    out: list[dict[str, list[str]]] = []
    for document_id, begin, end in spans:
        links: dict[str, list[str]] = defaultdict(list)
        for start, term_id in hits.get(document_id, []):
            entry = by_id.get(term_id)
            if entry is None or not (begin <= start < end):
                continue
            for label in entry.activities:
                if label in BY_LEXICON_LABEL and term_id not in links[BY_LEXICON_LABEL[label]]:
                    links[BY_LEXICON_LABEL[label]].append(term_id)
        out.append(dict(links))
    return out


def text_links(settings: Settings, store: Store, texts: Sequence[str],
               nlp: Language | None = None) -> list[dict[str, list[str]]]:
    """`term_links` for texts that are not stored: parsed (cached) and matched with the
    lexicon, the fuzzy pass and the sense step as in `focuslex analyse`."""
    entries = load_lexicon(store).entries
    nlp = nlp if nlp is not None else load_pipeline(settings)
    matcher = TermMatcher.from_entries(entries, fuzzy=settings.terms.fuzzy)
    tables = token_tables(nlp, list(texts), settings.paths.cache_dir,
                          batch_size=settings.nlp.batch_size)[0]
    items = [StoredUtterance(i, 0, text, 0, None, "", None) for i, text in enumerate(texts)]
    hits: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for hit in find_terms(tables, items, matcher, sense_model(settings, nlp, entries, matcher)):
        hits[hit.document_id].append((hit.start, hit.term_id))
    return _links([(i, 0, len(text)) for i, text in enumerate(texts)], hits, entries)


def score_texts(settings: Settings, store: Store, texts: Sequence[str], *,
                encoder: Encoder | None = None,
                nlp: Language | None = None) -> tuple[np.ndarray, list[dict[str, list[str]]]]:
    """Scores (texts x activities, ACTIVITY_IDS order) and lexicon links of free sentences,
    by the same scoring as the stored units (`score_units`)."""
    embedder = CachedEmbedder(encoder or load_encoder(settings.topics.embedder),
                              settings.paths.cache_dir)
    links = text_links(settings, store, texts, nlp)
    return score_embedded(embedder, texts, links, settings.activities), links


def score_units(unit_vectors: np.ndarray, activities: Sequence[np.ndarray],
                links: Sequence[Mapping[str, Sequence[str]]], weight: float,
                top_k: int = 2) -> np.ndarray:
    """Scores (units x activities): the mean of the `top_k` best cosine similarities with an
    activity's embeddings, plus the lexicon bonus."""
    units = _normalise(unit_vectors)
    best = max(1, top_k)
    scores = np.stack([np.sort(units @ vectors.T, axis=1)[:, -best:].mean(axis=1)
                       for vectors in activities], axis=1)
    for i, link in enumerate(links):
        for j, activity_id in enumerate(ACTIVITY_IDS):
            scores[i, j] += weight * len(link.get(activity_id, ()))
    return scores


def suggestion_rows(units: Sequence[Unit], scores: np.ndarray,
                    links: Sequence[Mapping[str, Sequence[str]]], per_unit: int) -> list[dict]:
    rows = []
    for u, row, link in zip(units, scores, links):
        order = np.argsort(-row, kind="stable")[:max(1, per_unit)]
        for rank, j in enumerate(order, start=1):
            rows.append({"document_id": u.document_id, "utterance_index": u.utterance_index,
                         "unit": u.unit, "start": u.start, "end": u.end, "speaker": u.speaker,
                         "group": u.group, "round": u.round, "text": u.text,
                         "activity": ACTIVITY_IDS[j], "score": round(float(row[j]), 6),
                         "rank": rank, "terms": ", ".join(link.get(ACTIVITY_IDS[j], ()))})
    return rows


def suggest_activities(settings: Settings, store: Store, *, encoder: Encoder | None = None,
                       units: Sequence[Unit] | None = None) -> ActivityReport:
    """Score every unit against the six activities and replace the stored suggestions
    (decisions stay)."""
    began = time.perf_counter()
    units = list(units) if units is not None else load_units(settings, store)
    if not units:
        raise FocuslexError("FX-TOP-001", count=0, minimum=1)
    embedder = CachedEmbedder(encoder or load_encoder(settings.topics.embedder),
                              settings.paths.cache_dir)
    run_id = store.start_run("activities", {"embedder": embedder.encoder.name,
                                            "per_unit": settings.activities.per_unit,
                                            "lexicon_weight": settings.activities.lexicon_weight,
                                            "top_k": settings.activities.top_k})
    links = term_links(units, store)
    scores = score_embedded(embedder, [u.text for u in units], links, settings.activities)
    rows = suggestion_rows(units, scores, links, settings.activities.per_unit)
    stored = ActivityStore(store).replace_suggestions(rows, run_id)
    report = ActivityReport(run_id, len(units), stored, time.perf_counter() - began)
    store.finish_run(run_id, "ok", {"units": report.units, "suggestions": stored,
                                    "seconds": round(report.seconds, 3)})
    return report


def decide(store: Store, document_id: int, start: int, end: int, activity_id: str,
           status: str, by: Who) -> None:
    """Record a committee member's decision (confirmed or rejected) on a suggestion."""
    activity(activity_id)
    if status not in (CONFIRMED, REJECTED):
        raise FocuslexError("FX-ACT-003", value=status)
    who = actor_name(by)
    activities = ActivityStore(store)
    if not activities.has_suggestion(document_id, start, end, activity_id):
        raise FocuslexError("FX-ACT-005", activity=activity_id, document=document_id,
                            start=start, end=end)
    activities.add_decision(document_id, start, end, activity_id, status, who)
