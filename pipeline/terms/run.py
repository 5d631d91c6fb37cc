"""`focuslex analyse`: stored utterances -> parse (through the cache of `pipeline.nlp.loader`) ->
token tables -> term hits -> store, with a run record (lexicon version, model name and
version, settings). Also the export of stored hits (`export_hits`).

Two caches, both keyed by `pipeline.nlp.loader.cache_key` (SHA-256 of pipeline id and text):
- the DocBin parse cache of `pipeline.nlp.loader` (`<cache_dir>/docs/<pipeline>/`), and
- the light token-table cache (`<cache_dir>/tokens/<pipeline>-t<TABLE_FORMAT>/`): only what
  the term matcher needs (token texts, offsets, lemmas, POS, heads, dependency labels,
  sentence starts) as four joined strings and three int arrays per text. Deserialising spaCy
  Docs ran at about 250k tokens/s on the 290k-word debates file, below the 300k words/s
  target for re-matching on its own; a token table loads several times faster. A lexicon
  edit therefore re-matches from token tables without parsing and without Docs; a text
  whose table is missing is taken from the DocBin cache or parsed, and its table written.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import struct
import sys
import time
from array import array
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language

from lexicon.model import Entry
from pipeline.terms.patterns import PATTERNS_VERSION
from pipeline.core.errors import FocuslexError
from pipeline.core.files import read_cache_file, safe_cell, write_atomic
from pipeline.core.settings import Settings
from pipeline.store.database import Store
from pipeline.terms.matcher import TermMatcher, TokenTable, find_terms, table_from_doc
from lexicon.io import SEED_LEXICON, load_seed, read_lexicon_file
from lexicon.store import LexiconStore
from pipeline.nlp.loader import cache_key, load_pipeline, parse_texts, pipeline_id
from pipeline.privacy.leaks import leak_scanner

log = logging.getLogger("focuslex.analyse")

TABLE_FORMAT = "1"
TABLE_SUFFIX = ".tok"
_SEP = "\x1f"  # unit separator between token strings in a cached table

# Columns of `focuslex terms export`, in order (one row per hit).
EXPORT_COLUMNS: tuple[str, ...] = (
    "document", "term_id", "label", "text", "start", "end", "sentence", "speaker", "group",
    "round", "negated", "mention", "compound_part", "utterance_index", "document_id")

Progress = Callable[[int, int, str], None]


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


# -- token tables ---------------------------------------------------------------------------

def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "._-+" else "_" for c in name)


def table_folder(cache_dir: Path, ident: str) -> Path:
    return Path(cache_dir) / "tokens" / f"{_safe(ident)}-t{TABLE_FORMAT}"


def _table_file(folder: Path, key: str) -> Path:
    return folder / key[:2] / f"{key}{TABLE_SUFFIX}"


_MAGIC = b"FXTT" + TABLE_FORMAT.encode() + (b"L" if sys.byteorder == "little" else b"B")
_HEADER = struct.Struct("<8I")


def table_to_bytes(table: TokenTable) -> bytes | None:
    """A token table as bytes: magic, 8 lengths, then the sections (4 string columns joined
    by U+001F in UTF-8, 3 int arrays). None when a token holds U+001F (not cached)."""
    columns = (table.words, table.lemmas, table.pos, table.deps)
    if any(_SEP in value for column in columns for value in column):
        return None
    sections = [_SEP.join(column).encode("utf8") for column in columns]
    sections += [array("i", values).tobytes()
                 for values in (table.idx, table.heads, table.sent_starts)]
    return b"".join([_MAGIC, _HEADER.pack(len(table), *(len(x) for x in sections)),
                     *sections])


def table_from_bytes(data: bytes) -> TokenTable:
    """Inverse of `table_to_bytes`; ValueError on anything else."""
    if not data.startswith(_MAGIC) or len(data) < len(_MAGIC) + _HEADER.size:
        raise ValueError("not a focuslex token table of this format")
    n, *lengths = _HEADER.unpack_from(data, len(_MAGIC))
    offset = len(_MAGIC) + _HEADER.size
    if offset + sum(lengths) != len(data):
        raise ValueError("truncated token table")
    sections = []
    for length in lengths:
        sections.append(data[offset:offset + length])
        offset += length

    def strings(raw: bytes) -> list[str]:
        return raw.decode("utf8").split(_SEP) if n else []

    def ints(raw: bytes) -> list[int]:
        values = array("i")
        values.frombytes(raw)
        return values.tolist()

    words, lemmas = strings(sections[0]), strings(sections[1])
    if not len(words) == len(lemmas) == n or len(sections[4]) != 4 * n:
        raise ValueError("columns of unequal length")

    def rest() -> tuple[list[int], list[str], list[int], list[str], list[int]]:
        return (ints(sections[4]), strings(sections[2]), ints(sections[5]),
                strings(sections[3]), ints(sections[6]))

    return TokenTable.lazy(words, lemmas, rest)


def _read_table(path: Path) -> TokenTable | None:
    data = read_cache_file(path, log, "Token table")
    if data is None:
        return None
    try:
        return table_from_bytes(data)
    except Exception as exc:  # corrupt or foreign: parse again, never crash
        log.warning("Token table %s is corrupt (%s); using the parse instead", path, exc)
        return None


def _write_table(path: Path, table: TokenTable) -> None:
    data = table_to_bytes(table)
    if data is None:
        return
    try:
        write_atomic(path, data)
    except OSError as exc:  # a read-only cache slows later runs but breaks nothing
        log.warning("Could not write token table %s: %s", path, exc)


def token_tables(nlp: Language, texts: Sequence[str], cache_dir: Path | None, *,
                 n_process: int = 1, batch_size: int = 64,
                 progress: Progress | None = None) -> tuple[list[TokenTable], int]:
    """One token table per text, from the token-table cache when present, else from the
    DocBin cache or a fresh parse (`pipeline.nlp.loader.parse_texts`), writing both caches.
    Returns the tables and how many texts were not in the token-table cache."""

    texts = list(texts)
    if cache_dir is None:
        docs = parse_texts(nlp, texts, None, n_process=n_process, batch_size=batch_size)
        return [table_from_doc(d) for d in docs], len(texts)
    ident = pipeline_id(nlp)
    folder = table_folder(cache_dir, ident)
    keys = [cache_key(ident, t) for t in texts]
    tables: list[TokenTable | None] = [None] * len(texts)
    seen: dict[str, TokenTable] = {}
    missing: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        if key in seen:
            tables[i] = seen[key]
            continue
        if key in missing:
            missing[key].append(i)
            continue
        table = _read_table(_table_file(folder, key))
        if table is None:
            missing[key] = [i]
        else:
            seen[key] = tables[i] = table
    if missing:
        todo = list(missing)
        step = max(1, batch_size) * 8 * max(1, n_process)
        for start in range(0, len(todo), step):
            chunk = todo[start:start + step]
            docs = parse_texts(nlp, [texts[missing[k][0]] for k in chunk], cache_dir,
                               n_process=n_process, batch_size=batch_size)
            for key, doc in zip(chunk, docs):
                table = table_from_doc(doc)
                _write_table(_table_file(folder, key), table)
                for i in missing[key]:
                    tables[i] = table
            if progress is not None:
                progress(min(start + step, len(todo)), len(todo), "Ontleden")
    return [t for t in tables if t is not None], len(missing)


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
            writer.writerow({k: safe_cell(v) for k, v in row.items()})
        return buffer.getvalue()
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
    text = format_rows(rows, fmt)
    leak_scanner(settings).ensure(text, target)
    return text, len(rows)
