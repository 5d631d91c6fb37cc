"""Spreadsheet renderers: XLSX (openpyxl, one sheet per table, frozen header row, column
widths) and CSV (a zip with one CSV file per table plus the run record as JSON). The CSV
files follow the settings `[csv]` (`pipeline.core.csvfile`): by default ";" between cells, a
decimal comma and a UTF-8 byte-order mark, as Belgian Excel opens them.

Tables of one kind across sections (one per term) share a sheet, with the term in the first
column. Text that a spreadsheet would run as a formula (starting with = + - @, a tab or a
carriage return) is guarded: in XLSX it is stored as text with Excel's quote prefix, in CSV it
gets a leading apostrophe (as `focuslex terms export`).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from pipeline.core.csvfile import csv_file_bytes, csv_text
from pipeline.core.settings import CsvSettings
from pipeline.reports.model import Cell, Report, RunRecord, Table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
RECORD_SHEET = "Verantwoording"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


@dataclass
class Sheet:
    """One sheet (or CSV file): a name, a header and rows."""

    name: str
    columns: tuple[str, ...]
    rows: list[tuple[Cell, ...]]
    numeric: tuple[bool, ...]


def risky(value: Cell) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def sheets(report: Report) -> list[Sheet]:
    """The report's tables as sheets, in reading order; shared sheets gathered."""
    out: dict[str, Sheet] = {}
    for table in report.tables():
        key = table.sheet or table.key
        if key not in out:
            columns = (("term", *table.columns) if table.sheet else table.columns)
            numeric = ((False, *_numeric(table)) if table.sheet else _numeric(table))
            out[key] = Sheet(table.sheet or table.title, columns, [], numeric)
        sheet = out[key]
        if table.sheet and tuple(sheet.columns[1:]) != table.columns:
            # a shared sheet whose columns differ: widen the header to the longer one
            sheet.columns = ("term", *_union(sheet.columns[1:], table.columns))
        for row in table.rows:
            values = dict(zip(table.columns, row))
            if table.sheet:
                sheet.rows.append((table.row_label,
                                   *(values.get(c) for c in sheet.columns[1:])))
            else:
                sheet.rows.append(tuple(row))
    return _unique_names(list(out.values()))


def _numeric(table: Table) -> tuple[bool, ...]:
    return tuple(table.is_numeric(i) for i in range(len(table.columns)))


def _union(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    return (*first, *(c for c in second if c not in first))


def _unique_names(found: list[Sheet]) -> list[Sheet]:
    seen: set[str] = {RECORD_SHEET.casefold()}
    for sheet in found:
        base = _BAD_SHEET_CHARS.sub("-", sheet.name).strip("'")[:31] or "tabel"
        name, n = base, 2
        while name.casefold() in seen:
            suffix = f" ({n})"
            name, n = base[:31 - len(suffix)] + suffix, n + 1
        seen.add(name.casefold())
        sheet.name = name
    return found


def record_rows(record: RunRecord) -> Iterator[tuple[str, str]]:
    """The run record flattened to (key, value) rows."""
    def walk(prefix: str, value: object) -> Iterator[tuple[str, str]]:
        if isinstance(value, dict):
            for k in sorted(value):
                yield from walk(f"{prefix}.{k}" if prefix else str(k), value[k])
        elif isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                yield from walk(f"{prefix}[{i}]", item)
        else:
            yield prefix, "" if value is None else str(value)
    yield from walk("", record.as_dict())


def _put(ws: Any, row: int, column: int, value: Cell) -> None:
    cell = ws.cell(row=row, column=column)
    if risky(value):
        cell.value = value
        cell.data_type = "s"
        cell.quotePrefix = True
    else:
        cell.value = value


def _fill(ws: Any, columns: tuple[str, ...], rows: list[tuple[Cell, ...]]) -> None:
    """Header row (bold, shaded, frozen), the rows, and column widths from the contents."""
    bold, band = Font(bold=True), PatternFill("solid", fgColor="DCE8F0")
    for j, name in enumerate(columns, start=1):
        _put(ws, 1, j, name)
        ws.cell(row=1, column=j).font = bold
        ws.cell(row=1, column=j).fill = band
    for i, row in enumerate(rows, start=2):
        for j, value in enumerate(row, start=1):
            _put(ws, i, j, value)
    ws.freeze_panes = "A2"
    wrap = Alignment(wrap_text=True, vertical="top")
    for j, name in enumerate(columns, start=1):
        longest = max([len(str(name))] + [len(str(r[j - 1])) for r in rows
                                          if j - 1 < len(r) and r[j - 1] is not None])
        ws.column_dimensions[get_column_letter(j)].width = min(60, max(8, longest + 2))
        if longest > 60:
            for i in range(2, len(rows) + 2):
                ws.cell(row=i, column=j).alignment = wrap


def render_xlsx(report: Report) -> bytes:
    workbook = Workbook()
    first = workbook.active
    first.title = RECORD_SHEET
    _fill(first, ("gegeven", "waarde"), list(record_rows(report.record)))
    for sheet in sheets(report):
        _fill(workbook.create_sheet(sheet.name), sheet.columns, sheet.rows)
    moment = dt.datetime.fromisoformat(report.record.created).replace(tzinfo=None)
    workbook.properties.created = workbook.properties.modified = moment
    workbook.properties.creator = report.record.created_by
    workbook.properties.title = report.title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _file_name(index: int, name: str) -> str:
    slug = re.sub(r"[^0-9a-z]+", "-", name.casefold()).strip("-") or "tabel"
    return f"{index:02d}-{slug}.csv"


def csv_files(report: Report, settings: CsvSettings = CsvSettings()) -> dict[str, str]:
    """File name -> CSV text of every sheet (no byte-order mark yet), plus the run record
    (JSON)."""
    files = {f"00-{RECORD_SHEET.lower()}.csv":
             csv_text(("gegeven", "waarde"), record_rows(report.record), settings)}
    for i, sheet in enumerate(sheets(report), start=1):
        files[_file_name(i, sheet.name)] = csv_text(sheet.columns, sheet.rows, settings)
    files["runrecord.json"] = report.record.to_json()
    return files


def render_csv_zip(report: Report, settings: CsvSettings = CsvSettings()) -> bytes:
    """A zip of the CSV files (each with the byte-order mark when `settings.bom`); fixed
    timestamps, so the same report gives the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in csv_files(report, settings).items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            data = csv_file_bytes(text, settings) if name.endswith(".csv") \
                else text.encode("utf-8")
            archive.writestr(info, data)
    return buffer.getvalue()
