"""CSV files that spreadsheets open as intended (settings `[csv]`, `CsvSettings`).

Belgian (nl_BE) Excel splits a CSV file at the list separator of the Windows region, ";",
and reads numbers with a decimal comma: a comma-separated file opens there with each row in
one cell, and 3.84 is not read as a number. So by default every CSV file focuslex writes has
- ";" between cells, numbers with a decimal comma (3,84) and whole numbers without a
  thousands separator (1234);
- every cell through `pipeline.core.files.safe_cell` (text a spreadsheet would run as a
  formula gets a leading apostrophe, None is empty, booleans are true/false);
- in files (not on stdout) a UTF-8 byte-order mark, by which Excel recognises UTF-8 (ë, ï).
`separator = ","` writes comma-separated files with a decimal point, for other tools.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from numbers import Integral, Real
from typing import Any

from pipeline.core.files import safe_cell
from pipeline.core.settings import CsvSettings

BOM = "\ufeff"


def decimal_mark(settings: CsvSettings) -> str:
    """',' unless the cells are separated by commas (then '.')."""
    return "." if settings.separator == "," else ","


def csv_cell(value: Any, settings: CsvSettings = CsvSettings(), digits: int = 15) -> Any:
    """One cell: `safe_cell`, then a number as text with the decimal mark of `settings`
    (at most `digits` significant digits; NaN is an empty cell)."""
    value = safe_cell(value)
    if isinstance(value, bool) or not isinstance(value, Real):
        return value
    if isinstance(value, Integral):
        return str(int(value))
    number = float(value)
    if math.isnan(number):
        return ""
    return format(number, f".{digits}g").replace(".", decimal_mark(settings))


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[Any]],
             settings: CsvSettings = CsvSettings(), digits: int = 15) -> str:
    """A header row and the rows as CSV text (no byte-order mark: see `csv_file_text`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=settings.separator, lineterminator="\n")
    writer.writerow([csv_cell(c, settings) for c in columns])
    for row in rows:
        writer.writerow([csv_cell(v, settings, digits) for v in row])
    return buffer.getvalue()


def describe_csv(settings: CsvSettings = CsvSettings()) -> str:
    """How the CSV files are written, in Dutch, for a caption beside a download."""
    if settings.separator == ",":
        return "gescheiden door komma's, met decimale punt, voor andere programma's"
    if settings.separator == "\t":
        return "gescheiden door tabs, met decimale komma"
    return "gescheiden door puntkomma's, met decimale komma, voor Excel in België"


def csv_file_text(text: str, settings: CsvSettings = CsvSettings()) -> str:
    """CSV text as it goes into a file: with the byte-order mark when `settings.bom`."""
    return (BOM if settings.bom and not text.startswith(BOM) else "") + text


def csv_file_bytes(text: str, settings: CsvSettings = CsvSettings()) -> bytes:
    """`csv_file_text` encoded as UTF-8."""
    return csv_file_text(text, settings).encode("utf-8")
