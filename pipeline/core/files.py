"""Writing files safely: whole or not at all, and owner-only for files with real names."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from pipeline.core.errors import FocuslexError


def write_atomic(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write through a temporary file in the same folder and rename it into place, so a
    reader never sees half a file. `private` gives owner-only permissions (0600)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if private:
            os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_private_json(path: Path, payload: Any, *, indent: int | None = 1) -> None:
    """A JSON file that holds personal data (the pseudonym key, the names review)."""
    text = json.dumps(payload, ensure_ascii=False, indent=indent)
    write_atomic(path, text.encode("utf-8"), private=True)


def read_cache_file(path: Path, log: logging.Logger, what: str) -> bytes | None:
    """The bytes of a cache file; None when it is missing or unreadable (logged), so the
    caller computes the value again instead of failing."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("%s %s unreadable (%s); computing it again", what, path, exc)
        return None


def read_input(path: Path) -> bytes:
    """The bytes of a file the user named, or a coded Dutch error: FX-IN-012 when it does not
    exist, FX-APP-002 when it is a folder or cannot be read."""
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise FocuslexError("FX-IN-012", file=str(path)) from exc
    except IsADirectoryError as exc:
        raise FocuslexError("FX-APP-002", file=str(path), detail="het is een map") from exc
    except OSError as exc:
        raise FocuslexError("FX-APP-002", file=str(path),
                            detail=exc.strerror or type(exc).__name__) from exc
