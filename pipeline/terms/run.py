"""`focuslex analyse`: stored utterances -> parse (through the caches of `pipeline.nlp.cache`) ->
token tables -> term hits -> store, with a run record (lexicon version, model name and
version, settings). Also the export of stored hits (`export_hits`).

A lexicon edit re-matches from the token-table cache without parsing.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from sqlalchemy import func, select

from lexicon.model import Entry
from pipeline.terms.patterns import PATTERNS_VERSION
from pipeline.core.errors import FocuslexError
from pipeline.core.csvfile import csv_text
from pipeline.core.settings import CsvSettings, Settings
from pipeline.store.batches import AddHits, plan_partitions, replacing_term_hits
from pipeline.store.database import Store
from pipeline.core.records import StoredUtterance
from pipeline.nlp.encoder import ENCODER_ID
from pipeline.nlp.tokens import TokenTable
from pipeline.terms.matcher import TermMatcher, find_terms
from pipeline.terms.senses import SenseModel
from lexicon.io import SEED_LEXICON, load_seed, read_lexicon_file
from lexicon.store import LexiconStore, RevisionRow
from pipeline.nlp.cache import Progress, token_tables
from pipeline.nlp.loader import load_pipeline, pipeline_id
from pipeline.privacy.leaks import leak_scanner

log = logging.getLogger("focuslex.analyse")


# Columns of `focuslex terms export`, in order (one row per hit).
EXPORT_COLUMNS: tuple[str, ...] = (
    "document", "term_id", "label", "text", "start", "end", "sentence", "speaker", "group",
    "round", "negated", "mention", "compound_part", "sense_score", "uncertain", "fuzzy",
    "utterance_index", "document_id")


@dataclass
class AnalysisReport:
    """What a run of the analysis did."""
    run_id: int
    documents: int
    utterances: int
    words: int
    parsed: int
    cached: int
    hits: int
    terms: int
    terms_found: int
    lexicon_source: str
    seconds: float
    pipeline: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    uncertain: int = 0      # hits kept but flagged for a person to confirm
    fuzzy: int = 0          # hits found by the fuzzy pass


@dataclass(frozen=True)
class Lexicon:
    """The entries a run matches, and where they came from (for the run record)."""
    entries: list[Entry]
    source: str
    release: int | None = None


# -- inputs ---------------------------------------------------------------------------------

def load_lexicon(store: Store, lexicon_file: Path | None = None) -> Lexicon:
    """The lexicon to match: a file when given, else the curated lexicon in the database,
    else (an empty database lexicon) focuslex's seed lexicon."""

    if lexicon_file is not None:
        entries = read_lexicon_file(Path(lexicon_file))
        source = f"bestand {Path(lexicon_file).name}"
        release = None
    else:
        lexicon_store = LexiconStore(store)
        entries = lexicon_store.list()
        if entries:
            source, release = "database", lexicon_store.latest_release()
        else:
            entries, source, release = load_seed(), f"startlexicon {SEED_LEXICON.name}", None
    if not entries:
        raise FocuslexError("FX-TRM-004", source=source)
    return Lexicon(entries=entries, source=source, release=release)


def lexicon_revision(store: Store) -> int:
    """The id of the newest lexicon revision (0: none); recorded with every analysis, so
    `pipeline.analysis.freshness` can tell an edit made after it."""
    LexiconStore(store)  # makes the lexicon tables when missing
    with store.session() as s:
        return s.scalar(select(func.max(RevisionRow.id))) or 0


# -- the run ------------------------------------------------------------------------------

def run_analysis(settings: Settings, store: Store, *, lexicon_file: Path | None = None,
                 entries: Sequence[Entry] | None = None, nlp: Language | None = None,
                 progress: Progress | None = None) -> AnalysisReport:
    """Parse what is stored (cached), find the lexicon's terms (with the fuzzy pass and the
    sense step as the settings say), replace the stored hits and record the run. `entries`
    overrides the lexicon (a lexicon edit not yet stored); `nlp` a loaded pipeline (else
    `pipeline.nlp.loader.load_pipeline(settings)`). The documents are read, parsed and
    matched in batches of about `engine.batch_words` words, each batch's hits inserted in
    the run's one transaction: the old hits stay until the run commits."""

    began = time.perf_counter()
    timings: dict[str, float] = {}
    sizes = store.document_sizes()
    if not sizes:
        raise FocuslexError("FX-TRM-001")
    lexicon = (Lexicon(list(entries), "meegegeven termen") if entries is not None
               else load_lexicon(store, lexicon_file))
    if not lexicon.entries:
        raise FocuslexError("FX-TRM-004", source=lexicon.source)
    matcher = TermMatcher.from_entries(lexicon.entries, fuzzy=settings.terms.fuzzy)
    if nlp is None:
        nlp = load_pipeline(settings)
    timings["setup"] = time.perf_counter() - began
    senses = sense_model(settings, nlp, lexicon.entries, matcher)
    run_id = store.start_run("analyse", {**run_record(settings, nlp, lexicon, matcher, senses),
                                         "lexicon_revision": lexicon_revision(store)})
    batches = _Batches(settings, store, nlp, matcher, senses, timings, progress)
    try:
        with replacing_term_hits(store, run_id) as add:
            batches.run(sizes, add)
    except Exception as exc:
        store.finish_run(run_id, "error", {"error": str(exc)})
        raise
    t = batches.totals
    report = AnalysisReport(
        run_id=run_id, documents=t.documents, utterances=t.utterances, words=t.words,
        parsed=t.parsed, cached=t.utterances - t.parsed, hits=t.hits,
        terms=len(lexicon.entries), terms_found=len(t.terms), lexicon_source=lexicon.source,
        seconds=time.perf_counter() - began, timings=timings, pipeline=pipeline_id(nlp),
        uncertain=t.uncertain, fuzzy=t.fuzzy)
    store.finish_run(run_id, "ok", {
        "documents": report.documents, "utterances": report.utterances, "words": t.words,
        "parsed": report.parsed, "from_cache": report.cached, "hits": t.hits,
        "uncertain": report.uncertain, "fuzzy": report.fuzzy,
        "terms_found": report.terms_found, "batches": t.batches,
        "seconds": round(report.seconds, 3)})
    return report


def sense_model(settings: Settings, nlp: Language, entries: Sequence[Entry],
                matcher: TermMatcher) -> SenseModel | None:
    """The sense step of the lexicon (None when the settings turn it off). Its example
    sentences are parsed and encoded through the caches."""
    if not settings.terms.senses:
        return None
    cache_dir = settings.paths.cache_dir

    def tables(texts: Sequence[str]) -> list[TokenTable]:
        return token_tables(nlp, texts, cache_dir, batch_size=settings.nlp.batch_size)[0]

    return SenseModel.build(entries, matcher, tables, cache_dir, settings.terms)


def run_record(settings: Settings, nlp: Language, lexicon: Lexicon, matcher: TermMatcher,
               senses: SenseModel | None,
               engine: dict[str, Any] | None = None) -> dict[str, Any]:
    """What `focuslex analyse` records of a run: lexicon, model, settings and the engine
    (`{"name": "local", "workers": 1}` unless given; see `pipeline.engine`)."""
    return {
        "engine": engine or {"name": "local", "workers": 1},
        "lexicon": {"source": lexicon.source, "release": lexicon.release,
                    "terms": len(lexicon.entries), "fingerprint": matcher.patterns.fingerprint,
                    "patterns_version": PATTERNS_VERSION,
                    "senses": senses.fingerprint if senses is not None else None},
        "model": {"id": pipeline_id(nlp), "name": f"{nlp.lang}_{nlp.meta.get('name', '')}",
                  "version": nlp.meta.get("version", ""), "components": nlp.pipe_names,
                  "encoder": ENCODER_ID if senses is not None and senses.terms else None},
        "settings": {"nlp": _plain(asdict(settings.nlp)),
                     "terms": _plain(asdict(settings.terms))},
    }


@dataclass
class RunTotals:
    """What the batches of one run found, added up."""
    documents: int = 0
    utterances: int = 0
    words: int = 0
    parsed: int = 0
    hits: int = 0
    uncertain: int = 0
    fuzzy: int = 0
    terms: set[str] = field(default_factory=set)
    batches: int = 0


class _Batches:
    """The local engine's loop: per batch of whole documents (`engine.batch_words`), read
    its utterances, make their token tables (cached), find the terms, insert the hits. Only
    one batch's texts, tables and hits are held at a time."""

    def __init__(self, settings: Settings, store: Store, nlp: Language, matcher: TermMatcher,
                 senses: SenseModel | None, timings: dict[str, float],
                 progress: Progress | None) -> None:
        self.settings, self.store, self.nlp = settings, store, nlp
        self.matcher, self.senses = matcher, senses
        self.timings = timings
        self.progress = progress
        self.totals = RunTotals()

    def run(self, sizes: Sequence[tuple[int, str, int]], add: AddHits) -> None:
        total = sum(words for *_, words in sizes) or 1
        for doc_ids in plan_partitions(sizes, self.settings.engine.batch_words):
            # no name holds a batch here: it is freed before the next one is read
            self._batch(self.store.stored_utterances(doc_ids), add, total)
        if self.senses is not None:
            log.info("Sense step: %d hits judged, %d sentences encoded", self.senses.judged,
                     self.senses.embeddings.encoded)
        if self.progress is not None:
            self.progress(1, 1, "Termen zoeken")

    def _batch(self, utterances: Sequence[StoredUtterance], add: AddHits, total: int) -> None:
        t = self.totals
        done = t.words
        batch_words = sum(len(u.text.split()) for u in utterances)

        def parsing(step: int, steps: int, stage: str) -> None:
            assert self.progress is not None
            self.progress(min(done + batch_words * step // max(steps, 1), total), total, stage)

        mark = time.perf_counter()
        tables, fresh = token_tables(
            self.nlp, [u.text for u in utterances], self.settings.paths.cache_dir,
            n_process=self.settings.nlp.n_process, batch_size=self.settings.nlp.batch_size,
            progress=parsing if self.progress is not None else None)
        self._time("tables", mark)
        mark = time.perf_counter()
        hits = find_terms(tables, utterances, self.matcher, self.senses)
        self._time("match", mark)
        mark = time.perf_counter()
        t.hits += add(hits)
        self._time("store", mark)
        t.documents += len({u.document_id for u in utterances})
        t.utterances += len(utterances)
        t.words += batch_words
        t.parsed += fresh
        t.uncertain += sum(h.uncertain for h in hits)
        t.fuzzy += sum(h.fuzzy for h in hits)
        t.terms.update(h.term_id for h in hits)
        t.batches += 1

    def _time(self, stage: str, mark: float) -> None:
        self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - mark


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


# -- export ---------------------------------------------------------------------------------

def hit_rows(store: Store) -> list[dict[str, Any]]:
    """Stored hits as export rows (EXPORT_COLUMNS), in document order."""
    return [{c: record[c] for c in EXPORT_COLUMNS} for record in store.term_hit_records()]


def format_rows(rows: Sequence[dict[str, Any]], fmt: str,
                csv_settings: CsvSettings = CsvSettings()) -> str:
    """Rows as JSON Lines or CSV (`pipeline.core.csvfile`: a header row, ";" and a decimal
    comma by default, booleans true/false, a cell that a spreadsheet would run as a formula
    gets a leading apostrophe)."""
    if fmt == "jsonl":
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    if fmt == "csv":
        return csv_text(EXPORT_COLUMNS, ([row.get(c) for c in EXPORT_COLUMNS] for row in rows),
                        csv_settings)
    raise FocuslexError("FX-TRM-005", value=fmt)


def export_hits(store: Store, fmt: str, settings: Settings,
                target: str = "stdout") -> tuple[str, int]:
    """The export text of every stored hit and the number of rows. Refuses when no analysis
    has run yet (FX-TRM-003) and when the text holds a real name from the pseudonym key
    (FX-PSE-003, the leak scan of `pipeline.privacy.leaks`): nothing is written then."""

    if fmt not in ("jsonl", "csv"):
        raise FocuslexError("FX-TRM-005", value=fmt)
    rows = hit_rows(store)
    if not rows and store.last_run("analyse") is None:
        raise FocuslexError("FX-TRM-003")
    text = format_rows(rows, fmt, settings.csv)
    leak_scanner(settings).ensure(text, target)
    return text, len(rows)
