"""Metadata in a transcript's header block: round, date, question, focus group, title.

The header block is what a reader finds before the first speaker (`ParsedFile.header`).
Labelled lines (`Ronde: 2`, `Datum: 14/03/2026`, `Vraag: ...`, `Focusgroep: 2B`) are read
first; unlabelled lines fill what is still missing: a line with 'ronde 1', a line that is a
date ('10 februari 2026'), a line that ends with a question mark, 'Focusgroep 1A'.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.core.formats import parse_date
from pipeline.core.text import fold

# Folded label -> DocumentMeta field.
HEADER_FIELDS = {
    "ronde": "round", "round": "round", "gespreksronde": "round",
    "datum": "date", "date": "date",
    "vraag": "prompt", "startvraag": "prompt", "gespreksvraag": "prompt", "hoofdvraag": "prompt", "leidraad": "prompt",
    "prompt": "prompt", "onderwerp": "prompt", "thema": "prompt",
    "focusgroep": "focus_group", "focus group": "focus_group", "groep": "focus_group",
    "titel": "title", "title": "title",
    "organisatie": "organisation",
}
_ORDINALS = {"eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "vijfde": 5, "zesde": 6,
             "zevende": 7, "achtste": 8, "negende": 9, "tiende": 10}
_LABELLED = re.compile(r"^(?P<key>[^\W\d_][\w ]{0,20}?)\s*:\s*(?P<value>.+)$")
_ROUND_IN_LINE = re.compile(r"\bronde\s*(\d{1,2})\b|\b(\d{1,2})(?:e|de|ste)\s+ronde\b",
                            re.IGNORECASE)
_DATE_IN_LINE = re.compile(r"\b\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b"
                           r"|\b\d{1,2}\s+[^\W\d_]+\.?\s+\d{4}\b")
# 'Focusgroep 1A', 'focusgroep B2' (an id, not a name: 'Focusgroep Samenleven' is none).
_FOCUS_GROUP_IN_LINE = re.compile(r"\bfocus\s?groep\s+(\d{1,2}[a-z]?|[a-z]\d{0,2})\b", re.IGNORECASE)


def parse_round(value: str) -> int | None:
    """'2', 'ronde 2', '2e ronde', 'tweede' -> 2; anything else -> None."""
    text = fold(value).strip()
    if text in _ORDINALS:
        return _ORDINALS[text]
    match = re.search(r"\d{1,3}", text)
    return int(match.group()) if match else None


def header_fields(header: str) -> dict[str, Any]:
    """The metadata a header block gives: field -> value (round an int, date ISO text)."""
    found: dict[str, Any] = {}
    loose: list[str] = []
    for line in (l.replace("*", "").replace("__", "").strip() for l in header.splitlines()):
        match = _LABELLED.match(line)
        field = HEADER_FIELDS.get(" ".join(fold(match.group("key")).split())) if match else None
        if match and field and field not in found:
            value = match.group("value").strip()
            converted = _convert(field, value)
            if converted not in (None, ""):
                found[field] = converted
        elif line:
            loose.append(line)
    for line in loose:
        _read_loose_line(line, found)
    return found


def _convert(field: str, value: str) -> Any:
    if field == "round":
        return parse_round(value)
    if field == "date":
        date = parse_date(value)
        return date.isoformat() if date else value
    return value


def _read_loose_line(line: str, found: dict[str, Any]) -> None:
    """Fill what is still missing from an unlabelled header line."""
    parts = [line] + [m.group() for m in _DATE_IN_LINE.finditer(line)]
    date = next((d for d in map(parse_date, parts) if d is not None), None)
    if date is not None:
        found.setdefault("date", date.isoformat())
        if parse_date(line) is not None:
            return
    if "round" not in found and (match := _ROUND_IN_LINE.search(line)):
        found["round"] = int(match.group(1) or match.group(2))
    if "focus_group" not in found and (match := _FOCUS_GROUP_IN_LINE.search(line)):
        found["focus_group"] = f"Focusgroep {match.group(1).upper()}"
    if "prompt" not in found and line.endswith("?") and len(line.split()) >= 3:
        found["prompt"] = line
