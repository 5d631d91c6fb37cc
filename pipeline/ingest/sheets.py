"""Participants and documents sheets (csv or xlsx).

Participants: one row per speaker label -> stakeholder group, organisation, region, role.
Documents: one row per file -> kind, focus group, round, date, prompt, organisation, group,
title. Column names may be English or Dutch.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pipeline.core.errors import FocuslexError
from pipeline.core.files import read_input
from pipeline.core.groups import is_role_group
from pipeline.core.text import fold, normalise_label
from pipeline.ingest.readers import SourceFile, decode_text
from pipeline.core.records import DocumentMeta, Kind, Participant, Role
from pipeline.ingest.readers import check_zip
from pipeline.ingest.labels import canonical_label
from pipeline.core.settings import IngestSettings

PARTICIPANT_COLUMNS = {
    "speaker": ("speaker", "spreker", "label", "naam", "name"),
    "group": ("group", "groep", "stakeholder group", "stakeholdergroep", "stakeholder"),
    "organisation": ("organisation", "organization", "organisatie"),
    "region": ("region", "regio"),
    "role": ("role", "rol"),
}
ROLE_VALUES = {"participant": Role.PARTICIPANT, "deelnemer": Role.PARTICIPANT,
               "facilitator": Role.FACILITATOR, "begeleider": Role.FACILITATOR,
               "moderator": Role.FACILITATOR, "": Role.PARTICIPANT}
DOCUMENT_COLUMNS = ("file", "kind", "focus_group", "round", "date", "prompt", "organisation",
                    "group", "title")


def read_rows(source: SourceFile, settings: IngestSettings) -> list[dict[str, str]]:
    """Rows of a csv (any common delimiter, UTF-8/BOM/cp1252) or the first xlsx sheet (an
    xlsx is checked against the zip limits of `settings`)."""
    if source.suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        check_zip(source, settings)
        try:
            book = load_workbook(io.BytesIO(source.data), read_only=True, data_only=True)
            sheet = book.worksheets[0]
            values = [["" if v is None else str(v).strip() for v in row]
                      for row in sheet.iter_rows(values_only=True)]
            book.close()
        except Exception as exc:  # openpyxl raises many types on broken files
            raise FocuslexError("FX-IN-014", file=source.name, detail=type(exc).__name__) from exc
        values = [row for row in values if any(row)]
        if not values:
            return []
        header = [h.strip() for h in values[0]]
        return [dict(zip(header, row)) for row in values[1:]]
    if source.suffix != ".csv":
        raise FocuslexError("FX-IN-014", file=source.name, detail="gebruik .csv of .xlsx")
    text = decode_text(source)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    rows: list[dict[str, str]] = []
    try:
        for row in reader:
            if None in row:  # more cells than the header row has columns
                raise FocuslexError("FX-IN-023", file=source.name, row=reader.line_num,
                                    cells=len(reader.fieldnames or []) + len(row[None]),
                                    columns=len(reader.fieldnames or []))
            rows.append({(k or "").strip(): (v or "").strip() for k, v in row.items()})
    except csv.Error as exc:  # a NUL byte, an over-long field, an open quote
        raise FocuslexError("FX-IN-014", file=source.name,
                            detail=f"regel {reader.line_num}: {exc}") from exc
    return [row for row in rows if any(row.values())]


def _column(header: list[str], names: tuple[str, ...]) -> str | None:
    folded = {fold(h).strip(): h for h in header}
    for name in names:
        if name in folded:
            return folded[name]
    return None


def read_participants(path: Path, settings: IngestSettings) -> list[Participant]:
    source = SourceFile(path.name, read_input(path))
    return parse_participants(source, settings)


def parse_participants(source: SourceFile, settings: IngestSettings) -> list[Participant]:
    if not source.data.strip():
        raise FocuslexError("FX-IN-001", file=source.name)
    rows = read_rows(source, settings)
    header = list(rows[0].keys()) if rows else []
    columns = {key: _column(header, names) for key, names in PARTICIPANT_COLUMNS.items()}
    missing = [key for key in ("speaker", "group") if columns[key] is None]
    if missing:
        raise FocuslexError("FX-IN-013", file=source.name, columns=", ".join(missing))
    participants: list[Participant] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        # As the readers write it: 'Janssens, Marie' -> 'Marie Janssens'.
        label = canonical_label(" ".join(row.get(columns["speaker"] or "", "").split())).name
        if not label:
            continue
        key = normalise_label(label)
        if key in seen:
            raise FocuslexError("FX-IN-017", file=source.name, speaker=label, row=number)
        seen.add(key)
        role_text = fold(row.get(columns["role"] or "", "") or "").strip()
        if role_text not in ROLE_VALUES:
            raise FocuslexError("FX-IN-016", file=source.name, value=role_text, row=number)
        group = row.get(columns["group"] or "", "").strip()
        role = ROLE_VALUES[role_text]
        if is_role_group(group):
            role = Role.FACILITATOR
        participants.append(Participant(
            label=label, group=group,
            organisation=row.get(columns["organisation"] or "", "") if columns["organisation"] else "",
            region=row.get(columns["region"] or "", "") if columns["region"] else "",
            role=role))
    return participants


def read_documents_sheet(path: Path, settings: IngestSettings) -> dict[str, DocumentMeta]:
    """documents.csv: file (relative to the sheet's folder) -> metadata."""
    return parse_documents_sheet(SourceFile(path.name, read_input(path)), settings)


def parse_documents_sheet(source: SourceFile,
                          settings: IngestSettings) -> dict[str, DocumentMeta]:
    """A documents sheet (csv or xlsx, column 'file' plus kind, round, date, prompt,
    focus_group, group, organisation, title) already read: file name -> metadata."""
    if not source.data.strip():
        raise FocuslexError("FX-IN-001", file=source.name)
    rows = read_rows(source, settings)
    if rows and "file" not in rows[0]:
        raise FocuslexError("FX-IN-018", file=source.name, detail="de kolom 'file' ontbreekt")
    metas: dict[str, DocumentMeta] = {}
    for row in rows:
        name = row.get("file", "").strip()
        if not name:
            continue
        metas[name] = document_meta(row, source.name)
    return metas


def document_meta(row: dict[str, str], where: str) -> DocumentMeta:
    kind_text = (row.get("kind") or "transcript").strip().lower()
    try:
        kind = Kind(kind_text)
    except ValueError as exc:
        raise FocuslexError("FX-IN-020", field="kind", file=where, value=kind_text,
                            advice="Gebruik 'transcript' of 'statement'.") from exc
    round_text = (row.get("round") or "").strip()
    try:
        round_value = int(round_text) if round_text else None
    except ValueError as exc:
        raise FocuslexError("FX-IN-020", field="round", file=where, value=round_text,
                            advice="Geef het rondenummer als geheel getal.") from exc
    return DocumentMeta(kind=kind, focus_group=row.get("focus_group", "") or "",
                        round=round_value, date=row.get("date", "") or "",
                        prompt=row.get("prompt", "") or "",
                        organisation=row.get("organisation", "") or "",
                        group=row.get("group", "") or "", title=row.get("title", "") or "")
