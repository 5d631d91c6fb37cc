"""The two caches of parsed text, both keyed by `cache_key` (SHA-256 of pipeline id and text).

Layout under `settings.paths.cache_dir`, one file per distinct text:
- `docs/<pipeline id>/<key[:2]>/<key>.spacy`: the DocBin parse cache (`parse_texts`). A file
  that cannot be read is reported as a warning and parsed again.
- `tokens/<pipeline id>-t<TABLE_FORMAT>/<key[:2]>/<key>.tok`: the light token-table cache
  (`token_tables`, `stored_tables`): only what the term matcher and the collocations need
  (`pipeline.nlp.tokens.TokenTable`) as four joined strings and three int arrays per text.
  Deserialising spaCy Docs ran at about 250k tokens/s on the 290k-word debates file, below
  the 300k words/s target for re-matching on its own; a token table loads several times
  faster. A lexicon edit therefore re-matches from token tables without parsing and without
  Docs; a text whose table is missing is taken from the DocBin cache or parsed, and its
  table written.

`forget_texts` deletes both files of given texts (after a name review changed them). This
module is the only one that knows the layout.
"""

from __future__ import annotations

import hashlib
import logging
import struct
import sys
import zlib
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

import numpy
import srsly
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from thinc.api import NumpyOps

from pipeline.core.files import read_cache_file, write_atomic
from pipeline.nlp.loader import pipeline_id
from pipeline.nlp.tokens import TokenTable, table_from_doc

log = logging.getLogger("focuslex.nlp")

Progress = Callable[[int, int, str], None]
T = TypeVar("T")

CACHE_SUFFIX = ".spacy"
# HEAD/DEP carry the sentence boundaries; SENT_START cannot be stored next to HEAD.
CACHED_ATTRS = ["ORTH", "NORM", "TAG", "POS", "MORPH", "LEMMA", "HEAD", "DEP",
                "ENT_IOB", "ENT_TYPE", "ENT_KB_ID", "ENT_ID"]
TABLE_FORMAT = "1"
TABLE_SUFFIX = ".tok"
_SEP = "\x1f"  # unit separator between token strings in a cached table


# -- layout ---------------------------------------------------------------------------------

def safe_name(name: str) -> str:
    """A pipeline id as a folder name (letters, digits and '._-+' kept, others '_')."""
    return "".join(c if c.isalnum() or c in "._-+" else "_" for c in name)


def cache_key(nlp: Language | str, text: str) -> str:
    """SHA-256 over pipeline id and text: the name of a text's cache file.

    `nlp` may be the pipeline or its `pipeline_id` (cheaper when hashing many texts).
    """
    ident = nlp if isinstance(nlp, str) else pipeline_id(nlp)
    digest = hashlib.sha256(ident.encode("utf8"))
    digest.update(b"\0")
    digest.update(text.encode("utf8"))
    return digest.hexdigest()


def _from_cache(keys: Sequence[str], read: Callable[[str], T | None]
                ) -> tuple[list[T | None], dict[str, list[int]]]:
    """What the cache holds for each key (each distinct key read once; None where it holds
    nothing), and key -> positions of the keys it does not hold."""
    out: list[T | None] = [None] * len(keys)
    found: dict[str, T] = {}
    missing: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        if key in missing:
            missing[key].append(i)
        elif key in found:
            out[i] = found[key]
        else:
            value = read(key)
            if value is None:
                missing[key] = [i]
            else:
                found[key] = out[i] = value
    return out, missing


def docs_folder(cache_dir: Path, ident: str) -> Path:
    """The DocBin folder of a pipeline."""
    return Path(cache_dir) / "docs" / safe_name(ident)


def table_folder(cache_dir: Path, ident: str) -> Path:
    """The token-table folder of a pipeline."""
    return Path(cache_dir) / "tokens" / f"{safe_name(ident)}-t{TABLE_FORMAT}"


def cache_file(folder: Path, key: str, suffix: str) -> Path:
    """The file of one text in a cache folder: `<folder>/<key[:2]>/<key><suffix>`."""
    return folder / key[:2] / f"{key}{suffix}"


# -- the DocBin parse cache -----------------------------------------------------------------

def parse_texts(nlp: Language, texts: Sequence[str], cache_dir: Path | None = None, *,
                n_process: int = 1, batch_size: int = 64) -> list[Doc]:
    """Parse texts with nlp, re-using and filling the DocBin cache in cache_dir (if given).

    Returns one Doc per text, in order. Identical texts are parsed once and share one Doc.
    `n_process` and `batch_size` go to `nlp.pipe` (settings.nlp has both).
    """
    texts = list(texts)
    if cache_dir is None:
        return list(nlp.pipe(texts, n_process=n_process, batch_size=batch_size))
    ident = pipeline_id(nlp)  # nlp.meta is slow: compute once
    folder = docs_folder(cache_dir, ident)
    docs, missing = _from_cache([cache_key(ident, t) for t in texts],
                                lambda key: _read_cached(nlp, folder, key))
    if missing:
        todo = list(missing)
        parsed = nlp.pipe((texts[missing[k][0]] for k in todo), n_process=n_process,
                          batch_size=batch_size)
        for key, doc in zip(todo, parsed):
            _write_cached(folder, key, doc)
            for i in missing[key]:
                docs[i] = doc
        log.info("Parsed %d of %d texts; %d from the cache in %s", len(todo), len(texts),
                 len(texts) - sum(len(v) for v in missing.values()), folder)
    return [d for d in docs if d is not None]


def _read_cached(nlp: Language, folder: Path, key: str) -> Doc | None:
    path = cache_file(folder, key, CACHE_SUFFIX)
    data = read_cache_file(path, log, "Parse cache file")
    if data is None:
        return None
    try:
        try:
            bin_ = _FastDocBin(store_user_data=True).from_bytes(data)
        except Exception:  # e.g. another spaCy version: let DocBin itself decide
            bin_ = DocBin(store_user_data=True).from_bytes(data)
        docs = list(bin_.get_docs(nlp.vocab))
        if len(docs) != 1:
            raise ValueError(f"{len(docs)} docs instead of 1")
    except Exception as exc:  # any corruption means: parse again, never crash
        log.warning("Parse cache file %s is corrupt (%s); parsing again", path, exc)
        return None
    return docs[0]


class _FastDocBin(DocBin):
    """DocBin whose from_bytes skips srsly's msgpack extension lookup.

    srsly looks up its msgpack decoders through package entry points on every call (about 1 ms),
    which made reading the cache only 8x faster than parsing. DocBin data are plain msgpack
    (bytes, lists, dicts), so no decoder is needed. Same fields as spaCy 3.8's DocBin.from_bytes.
    """

    def from_bytes(self, bytes_data: bytes) -> "DocBin":
        msg = srsly.msgpack.loads(zlib.decompress(bytes_data), raw=False, object_pairs_hook=dict)
        self.attrs = msg["attrs"]
        self.strings = set(msg["strings"])
        lengths = numpy.frombuffer(msg["lengths"], dtype="int32")
        flat_spaces = numpy.frombuffer(msg["spaces"], dtype=bool)
        flat_tokens = numpy.frombuffer(msg["tokens"], dtype="uint64")
        flat_tokens = flat_tokens.reshape((flat_tokens.size // len(self.attrs), len(self.attrs)))
        flat_spaces = flat_spaces.reshape((flat_spaces.size, 1))
        ops = NumpyOps()
        self.tokens = ops.unflatten(flat_tokens, lengths)
        self.spaces = ops.unflatten(flat_spaces, lengths)
        self.cats = msg["cats"]
        self.span_groups = msg.get("span_groups", [b"" for _ in lengths])
        self.flags = msg.get("flags", [{} for _ in lengths])
        self.user_data = list(msg["user_data"]) if "user_data" in msg else [None] * len(lengths)
        if any(len(t.shape) != 2 for t in self.tokens):
            raise ValueError("malformed token array")
        return self


def _write_cached(folder: Path, key: str, doc: Doc) -> None:
    path = cache_file(folder, key, CACHE_SUFFIX)
    try:
        # user data only when there is some: each stored entry costs a msgpack call on reading
        bin_ = DocBin(attrs=CACHED_ATTRS, store_user_data=bool(doc.user_data), docs=[doc])
        write_atomic(path, bin_.to_bytes())
    except OSError as exc:  # a full or read-only disk slows later runs but breaks nothing
        log.warning("Could not write parse cache file %s: %s", path, exc)


def clear_cache(cache_dir: Path, nlp: Language | None = None) -> int:
    """Delete cached parses (of one pipeline, or all); returns the number of files removed."""
    root = Path(cache_dir) / "docs"
    if nlp is not None:
        root = root / safe_name(pipeline_id(nlp))
    removed = 0
    if root.is_dir():
        for path in root.rglob(f"*{CACHE_SUFFIX}"):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


# -- the token-table cache ------------------------------------------------------------------

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
    DocBin cache or a fresh parse (`parse_texts`), writing both caches.
    Returns the tables and how many texts were not in the token-table cache."""

    texts = list(texts)
    if cache_dir is None:
        docs = parse_texts(nlp, texts, None, n_process=n_process, batch_size=batch_size)
        return [table_from_doc(d) for d in docs], len(texts)
    ident = pipeline_id(nlp)
    folder = table_folder(cache_dir, ident)
    tables, missing = _from_cache([cache_key(ident, t) for t in texts],
                                  lambda key: _read_table(cache_file(folder, key, TABLE_SUFFIX)))
    if missing:
        todo = list(missing)
        step = max(1, batch_size) * 8 * max(1, n_process)
        for start in range(0, len(todo), step):
            chunk = todo[start:start + step]
            docs = parse_texts(nlp, [texts[missing[k][0]] for k in chunk], cache_dir,
                               n_process=n_process, batch_size=batch_size)
            for key, doc in zip(chunk, docs):
                table = table_from_doc(doc)
                _write_table(cache_file(folder, key, TABLE_SUFFIX), table)
                for i in missing[key]:
                    tables[i] = table
            if progress is not None:
                progress(min(start + step, len(todo)), len(todo), "Ontleden")
    return [t for t in tables if t is not None], len(missing)


def store_tables(ident: str, cache_dir: Path, tables: Mapping[str, TokenTable]) -> int:
    """Write token tables made elsewhere (text -> table; the ingest's parse of the
    pseudonymised text) into the token-table cache of pipeline `ident`, where `token_tables`
    finds them. A text already cached is left alone. Returns how many were written."""
    folder = table_folder(cache_dir, ident)
    written = 0
    for text, table in tables.items():
        path = cache_file(folder, cache_key(ident, text), TABLE_SUFFIX)
        if not path.is_file():
            _write_table(path, table)
            written += path.is_file()
    return written


def stored_tables(cache_dir: Path, ident: str, texts: Sequence[str]
                  ) -> list[TokenTable | None]:
    """The token tables of `texts` as the token-table cache of pipeline `ident` holds them,
    without loading a pipeline or parsing: None for a text without a readable table."""
    folder = table_folder(cache_dir, ident)
    if not folder.is_dir():
        return [None] * len(texts)
    out: list[TokenTable | None] = []
    for text in texts:
        path = cache_file(folder, cache_key(ident, text), TABLE_SUFFIX)
        try:
            out.append(table_from_bytes(path.read_bytes()))
        except (OSError, ValueError):
            out.append(None)
    return out


def forget_texts(cache_dir: Path, texts: Iterable[str]) -> int:
    """Delete the parse-cache (DocBin) and token-table-cache files of `texts`, for every
    pipeline that has a cache folder; returns the number of files removed.

    Pipeline ids consist of characters the folder names keep (letters, digits, '._-+'), so
    the folder name gives the id back."""
    texts = sorted(set(texts))
    root = Path(cache_dir)
    folders: list[tuple[Path, str]] = []
    if (root / "docs").is_dir():
        folders += [(f, f.name) for f in (root / "docs").iterdir() if f.is_dir()]
    if (root / "tokens").is_dir():
        folders += [(f, f.name.rpartition("-t")[0] or f.name)
                    for f in (root / "tokens").iterdir() if f.is_dir()]
    removed = 0
    for folder, ident in folders:
        for text in texts:
            key = cache_key(ident, text)
            for path in cache_file(folder, key, "").parent.glob(f"{key}.*"):
                path.unlink(missing_ok=True)
                removed += 1
    return removed
