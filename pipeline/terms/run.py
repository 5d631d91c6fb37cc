"""`focuslex analyse`: stored utterances -> parse (through the caches of `pipeline.nlp.cache`) ->
token tables -> term hits -> store, with a run record (lexicon version, model name and
version, settings). Also the export of stored hits (`export_hits`).

A lexicon edit re-matches from the token-table cache without parsing.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language

from lexicon.model import Entry
from pipeline.terms.patterns import PATTERNS_VERSION
from pipeline.core.errors import FocuslexError
from pipeline.core.settings import Settings
from pipeline.store.database import Store
from pipeline.terms.matcher import TermMatcher, find_terms
from lexicon.io import SEED_LEXICON, load_seed, read_lexicon_file
from lexicon.store import LexiconStore
from pipeline.nlp.cache import Progress, token_tables
from pipeline.nlp.loader import load_pipeline, pipeline_id
from pipeline.privacy.leaks import leak_scanner


# Columns of `focuslex terms export`, in order (one row per hit).
EXPORT_COLUMNS: tuple[str, ...] = (
    "document", "term_id", "label", "text", "start", "end", "sentence", "speaker", "group",
    "round", "negated", "mention", "compound_part", "utterance_index", "document_id")


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


# -- the run ------------------------------------------------------------------------------

def run_analysis(settings: Settings, store: Store, *, lexicon_file: Path | None = None,
                 entries: Sequence[Entry] | None = None, nlp: Language | None = None,
                 progress: Progress | None = None) -> AnalysisReport:
    """Parse what is stored (cached), find the lexicon's terms, replace the stored hits and
    record the run. `entries` overrides the lexicon (a lexicon edit not yet stored); `nlp`
    a loaded pipeline (else `pipeline.nlp.loader.load_pipeline(settings)`)."""

    began = time.perf_counter()
    timings: dict[str, float] = {}
    utterances = store.stored_utterances()
    if not utterances:
        raise FocuslexError("FX-TRM-001")
    lexicon = (Lexicon(list(entries), "meegegeven termen") if entries is not None
               else load_lexicon(store, lexicon_file))
    if not lexicon.entries:
        raise FocuslexError("FX-TRM-004", source=lexicon.source)
    matcher = TermMatcher.from_entries(lexicon.entries)
    if nlp is None:
        nlp = load_pipeline(settings)
    timings["setup"] = time.perf_counter() - began
    ident = pipeline_id(nlp)
    run_id = store.start_run("analyse", {
        "lexicon": {"source": lexicon.source, "release": lexicon.release,
                    "terms": len(lexicon.entries), "fingerprint": matcher.patterns.fingerprint,
                    "patterns_version": PATTERNS_VERSION},
        "model": {"id": ident, "name": f"{nlp.lang}_{nlp.meta.get('name', '')}",
                  "version": nlp.meta.get("version", ""), "components": nlp.pipe_names},
        "settings": {"nlp": _plain(asdict(settings.nlp))},
    })
    try:
        mark = time.perf_counter()
        tables, fresh = token_tables(nlp, [u.text for u in utterances],
                                     settings.paths.cache_dir, n_process=settings.nlp.n_process,
                                     batch_size=settings.nlp.batch_size, progress=progress)
        timings["tables"] = time.perf_counter() - mark
        mark = time.perf_counter()
        hits = find_terms(tables, utterances, matcher)
        timings["match"] = time.perf_counter() - mark
        if progress is not None:
            progress(1, 1, "Termen zoeken")
        mark = time.perf_counter()
        stored = store.replace_term_hits(hits, run_id=run_id)
        timings["store"] = time.perf_counter() - mark
    except Exception as exc:
        store.finish_run(run_id, "error", {"error": str(exc)})
        raise
    words = sum(len(u.text.split()) for u in utterances)
    documents = len({u.document_id for u in utterances})
    report = AnalysisReport(
        run_id=run_id, documents=documents, utterances=len(utterances), words=words,
        parsed=fresh, cached=len(utterances) - fresh, hits=stored, terms=len(lexicon.entries),
        terms_found=len({h.term_id for h in hits}), lexicon_source=lexicon.source,
        seconds=time.perf_counter() - began, timings=timings, pipeline=ident)
    store.finish_run(run_id, "ok", {
        "documents": documents, "utterances": report.utterances, "words": words,
        "parsed": report.parsed, "from_cache": report.cached, "hits": stored,
        "terms_found": report.terms_found, "seconds": round(report.seconds, 3)})
    return report


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


# -- export ---------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def hit_rows(store: Store) -> list[dict[str, Any]]:
    """Stored hits as export rows (EXPORT_COLUMNS), in document order."""
    return [{c: record[c] for c in EXPORT_COLUMNS} for record in store.term_hit_records()]


def format_rows(rows: Sequence[dict[str, Any]], fmt: str) -> str:
    """Rows as JSON Lines or CSV (a header row; booleans true/false; a cell that a
    spreadsheet would run as a formula gets a leading apostrophe)."""
    if fmt == "jsonl":
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(EXPORT_COLUMNS), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _csv_cell(v) for k, v in row.items()})
        return buffer.getvalue()
    raise FocuslexError("FX-TRM-005", value=fmt)


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


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
    text = format_rows(rows, fmt)
    leak_scanner(settings).ensure(text, target)
    return text, len(rows)
