"""Writing files safely: whole or not at all, owner-only for files with real names, and
spreadsheet cells that cannot run as formulas."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from pipeline.core.errors import FocuslexError


PRIVATE_FOLDER_MODE = 0o700
PRIVATE_FILE_MODE = 0o600

# What a spreadsheet (Excel, LibreOffice, Google Sheets) may take for the start of a formula
# or of a command (DDE): such a cell gets a leading apostrophe (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A value for one CSV or XLSX cell that focuslex writes: text that a spreadsheet would
    run as a formula ('=HYPERLINK(...)', '+1', '-2+3', '@SUM', a leading tab) gets a leading
    apostrophe, so it is shown as text; carriage returns become line feeds; None becomes '';
    booleans become 'true'/'false'; numbers stay numbers. Every CSV/XLSX writer of focuslex passes its cells through here."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_START):
        value = "'" + value
    # A bare carriage return is no line end for Python's csv writer (lineterminator "\n"),
    # so it would stay unquoted and split the row in a spreadsheet: make it a line feed,
    # which every writer quotes.
    return value.replace("\r\n", "\n").replace("\r", "\n")


def ensure_private_folder(folder: Path) -> Path:
    """Create `folder` (and its parents) and make it owner-only (0700): the folder of the
    pseudonym key and the names review holds real names."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(folder, PRIVATE_FOLDER_MODE)
    except OSError:  # a folder we do not own (a shared mount): the files stay 0600
        pass
    return folder


def write_atomic(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write through a temporary file in the same folder and rename it into place, so a
    reader never sees half a file. `private` gives owner-only permissions (0600) and makes
    the folder owner-only (0700)."""
    path = Path(path)
    if private:
        ensure_private_folder(path.parent)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if private:
            os.chmod(tmp, PRIVATE_FILE_MODE)
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
