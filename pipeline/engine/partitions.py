"""The work of one partition of documents, as a Dask worker does it (`pipeline.engine.cluster`).

A partition is a few whole documents: their utterances (text and metadata), the file names
and the facilitator codes the topic units need. `PartitionWorker` holds what a worker loads
once (the spaCy pipeline, the term matcher and sense step built from the lexicon entries, the
sentence encoder) and runs the local engine's own functions on a partition: `token_tables`
(parse, through the worker's caches), `find_terms` (term hits), `make_units` and
`CachedEmbedder.embed` (the topic units' vectors). It returns plain data, which the client
writes: the hits, the token tables as cache bytes, and the unit vectors.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.core.records import StoredUtterance, TermHit
from pipeline.core.settings import BUNDLED_MODEL_DIR, Settings
from pipeline.nlp.cache import cache_key, table_to_bytes, token_tables
from pipeline.nlp.loader import load_pipeline, pipeline_id
from pipeline.nlp.tokens import TokenTable
from pipeline.terms.matcher import TermMatcher, find_terms
from pipeline.terms.run import Lexicon, run_record, sense_model
from pipeline.topics.embeddings import CachedEmbedder, load_encoder
from pipeline.topics.units import make_units


@dataclass(frozen=True)
class Partition:
    """What the client sends for one partition: nothing but texts and their metadata."""
    number: int
    utterances: list[StoredUtterance]
    file_names: dict[int, str]
    facilitators: frozenset[str]


@dataclass
class PartitionResult:
    """What a worker returns for one partition."""
    number: int
    pipeline: str                     # the id of the worker's spaCy pipeline
    document_ids: list[int]
    utterances: int
    words: int
    parsed: int
    hits: list[TermHit]
    tables: dict[str, bytes]          # token-table cache key -> table bytes
    unit_texts: list[str] = field(default_factory=list)
    vectors: np.ndarray | None = None
    seconds: float = 0.0


def worker_settings(settings: Settings) -> Settings:
    """The client's settings as a worker uses them: where the client's bundled pipeline path
    does not exist on this machine (focuslex installed elsewhere), this installation's own
    bundled pipeline."""
    bundled = Path(settings.nlp.bundled_path)
    if (bundled / "config.cfg").is_file() or not (BUNDLED_MODEL_DIR / "config.cfg").is_file():
        return settings
    return replace(settings, nlp=replace(settings.nlp, bundled_path=BUNDLED_MODEL_DIR))


class PartitionWorker:
    """The pipeline of one worker process, loaded once: spaCy, the term matcher and sense
    step of the lexicon, and (when `embed`) the topics' sentence encoder."""

    def __init__(self, settings: Settings, lexicon: Lexicon, embed: bool) -> None:
        settings = worker_settings(settings)
        self.settings = settings
        self.nlp = load_pipeline(settings)
        self.ident = pipeline_id(self.nlp)
        self.matcher = TermMatcher.from_entries(lexicon.entries, fuzzy=settings.terms.fuzzy)
        self.senses = sense_model(settings, self.nlp, lexicon.entries, self.matcher)
        self.record = run_record(settings, self.nlp, lexicon, self.matcher, self.senses)
        self.embedder = (CachedEmbedder(load_encoder(settings.topics.embedder),
                                        settings.paths.cache_dir) if embed else None)

    def analyse(self, partition: Partition) -> PartitionResult:
        """Parse, match and embed one partition with the local engine's functions."""
        began = time.perf_counter()
        utterances = partition.utterances
        texts = [u.text for u in utterances]
        tables, fresh = token_tables(self.nlp, texts, self.settings.paths.cache_dir,
                                     batch_size=self.settings.nlp.batch_size)
        hits = find_terms(tables, utterances, self.matcher, self.senses)
        cached: dict[str, bytes] = {}
        kept: dict[tuple[int, int], TokenTable] = {}  # as topics would read them back
        for u, table in zip(utterances, tables):
            key = cache_key(self.ident, u.text)
            data = cached.get(key) or table_to_bytes(table)
            if data is not None:
                cached[key] = data
                kept[(u.document_id, u.index)] = table
        result = PartitionResult(
            number=partition.number, pipeline=self.ident, document_ids=sorted({u.document_id for u in utterances}),
            utterances=len(utterances), words=sum(len(t.split()) for t in texts), parsed=fresh,
            hits=hits, tables=cached)
        if self.embedder is not None:
            units = make_units(utterances, partition.file_names, kept,
                               set(partition.facilitators), self.settings.topics)
            result.unit_texts = list(dict.fromkeys(u.text for u in units))
            if result.unit_texts:
                result.vectors = self.embedder.embed(result.unit_texts)
        result.seconds = time.perf_counter() - began
        return result

    def describe(self) -> dict[str, Any]:
        """The run record of `focuslex analyse` (lexicon, model, settings) as this worker
        sees it, as plain JSON data; the client adds the engine."""
        return json.loads(json.dumps(self.record, default=str))
