"""The Dutch spaCy pipeline: which one to load, and a parse cache so nothing is parsed twice.

Resolution order (`load_pipeline`):
1. the installed package named in `settings.nlp.model` (default `nl_core_news_sm`; md/lg work
   the same), if it is installed and loads;
2. the pipeline bundled with focuslex (`settings.nlp.bundled_path`, by default
   `models/nl_focuslex_sm-0.1.0`, trained on UD Dutch);
3. otherwise a `FocuslexError` (FX-NLP-001) that says how to install one.
Nothing is ever downloaded. Every pipeline gets the `focuslex_lemma_fixes` component.

Parse cache (`parse_texts`): one DocBin file per text, keyed by the SHA-256 of the pipeline
id (name, version, lemma-fixes version) and the text, so re-analysis and lexicon edits re-use
parsed docs. A file that cannot be read is reported as a warning and parsed again.
"""

from __future__ import annotations

import hashlib
import logging
import zlib
from pathlib import Path
from typing import Iterable, Sequence

import numpy
import spacy
import srsly
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from thinc.api import NumpyOps

from pipeline.nlp.components import LEMMA_FIXES_VERSION
from pipeline.core.errors import FocuslexError
from pipeline.core.files import read_cache_file, write_atomic
from pipeline.core.settings import Settings

log = logging.getLogger("focuslex.nlp")

LEMMA_FIXES = "focuslex_lemma_fixes"
CACHE_SUFFIX = ".spacy"
# HEAD/DEP carry the sentence boundaries; SENT_START cannot be stored next to HEAD.
CACHED_ATTRS = ["ORTH", "NORM", "TAG", "POS", "MORPH", "LEMMA", "HEAD", "DEP",
                "ENT_IOB", "ENT_TYPE", "ENT_KB_ID", "ENT_ID"]


def load_pipeline(settings: Settings) -> Language:
    """Load the configured Dutch pipeline, else the bundled one; never downloads."""
    name = settings.nlp.model.strip()
    bundled = Path(settings.nlp.bundled_path)
    problems: list[str] = []
    if name:
        if _is_installed(name):
            try:
                nlp = spacy.load(name)
            except Exception as exc:  # a broken install must not hide the bundled pipeline
                problems.append(f"{name} is geïnstalleerd maar laadt niet ({exc})")
                log.warning("Installed pipeline %s failed to load: %s; trying the bundled one",
                            name, exc)
            else:
                return _ready(nlp, source=f"installed package {name}")
        else:
            problems.append(f"{name} is niet geïnstalleerd")
            log.info("Pipeline package %s is not installed; using the bundled pipeline", name)
    if (bundled / "config.cfg").is_file():
        try:
            nlp = spacy.load(bundled)
        except Exception as exc:
            problems.append(f"de meegeleverde pijplijn in {bundled} laadt niet ({exc})")
        else:
            return _ready(nlp, source=f"bundled pipeline at {bundled}")
    else:
        problems.append(f"de meegeleverde pijplijn ontbreekt in {bundled}")
    raise FocuslexError("FX-NLP-001", detail="; ".join(problems), bundled=str(bundled))


def _is_installed(name: str) -> bool:
    return spacy.util.is_package(name)


def _ready(nlp: Language, *, source: str) -> Language:
    if nlp.lang != "nl":
        log.warning("Pipeline %s is for language %r, not Dutch", pipeline_id(nlp), nlp.lang)
    if LEMMA_FIXES not in nlp.pipe_names:
        nlp.add_pipe(LEMMA_FIXES, last=True)
    log.info("Loaded Dutch pipeline %s (version %s) from %s; components: %s",
             f"{nlp.lang}_{nlp.meta.get('name')}", nlp.meta.get("version"), source,
             ", ".join(nlp.pipe_names))
    return nlp


def pipeline_id(nlp: Language) -> str:
    """Name and version of a pipeline as recorded in runs and cache keys."""
    ident = f"{nlp.lang}_{nlp.meta.get('name', 'pipeline')}-{nlp.meta.get('version', '0.0.0')}"
    if LEMMA_FIXES in nlp.pipe_names:
        ident += f"+fixes{LEMMA_FIXES_VERSION}"
    return ident


def cache_key(nlp: Language | str, text: str) -> str:
    """SHA-256 over pipeline id and text: the name of a text's cache file.

    `nlp` may be the pipeline or its `pipeline_id` (cheaper when hashing many texts).
    """
    ident = nlp if isinstance(nlp, str) else pipeline_id(nlp)
    digest = hashlib.sha256(ident.encode("utf8"))
    digest.update(b"\0")
    digest.update(text.encode("utf8"))
    return digest.hexdigest()


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
    folder = Path(cache_dir) / "docs" / _safe(ident)
    docs: list[Doc | None] = [None] * len(texts)
    keys = [cache_key(ident, t) for t in texts]
    found: dict[str, Doc] = {}
    missing: dict[str, list[int]] = {}  # key -> positions of that text
    for i, key in enumerate(keys):
        if key in missing:
            missing[key].append(i)
        elif key in found:
            docs[i] = found[key]
        else:
            doc = _read_cached(nlp, folder, key)
            if doc is None:
                missing[key] = [i]
            else:
                found[key] = docs[i] = doc
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


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "._-+" else "_" for c in name)


def _cache_file(folder: Path, key: str) -> Path:
    return folder / key[:2] / f"{key}{CACHE_SUFFIX}"


def _read_cached(nlp: Language, folder: Path, key: str) -> Doc | None:
    path = _cache_file(folder, key)
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
    path = _cache_file(folder, key)
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
        root = root / _safe(pipeline_id(nlp))
    removed = 0
    if root.is_dir():
        for path in root.rglob(f"*{CACHE_SUFFIX}"):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def count_words(docs: Iterable[Doc]) -> int:
    return sum(1 for doc in docs for t in doc if not t.is_space and not t.is_punct)
