"""Lexicon files: YAML (lossless, canonical) and CSV (one row per term, for spreadsheets).

YAML layout (what `dump_yaml` writes and `load_yaml` reads):

    # header comment
    format: focuslex-lexicon/1
    terms:
      - id: integratie
        pref_label:
          nl-BE: integratie
        ...

`load_yaml(dump_yaml(entries)) == entries` and, for a file written by `dump_yaml`,
`dump_yaml(load_yaml(text)) == text`. The loader refuses duplicate keys and YAML aliases.

CSV: every list is one cell with one item per line; preferred alternatives are lines
"label | doelpubliek | toelichting", dissent lines "wie | standpunt", preferred labels in other
languages lines "en: label". Cells starting with = + - @ get a leading apostrophe on export
(spreadsheet formula injection) which the reader removes again, so CSV also round-trips.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node

from lexicon.model import (DEFAULT_LANGUAGE, Alternative, Entry, entry_from_dict, entry_to_dict,
                           validate_lexicon)
from lexicon.skos import read_skos
from pipeline.core.errors import FocuslexError
from pipeline.core.csvfile import csv_text
from pipeline.core.files import FORMULA_START, safe_cell
from pipeline.core.settings import CsvSettings

FORMAT = "focuslex-lexicon/1"
SEED_LEXICON = Path(__file__).resolve().parent / "data" / "seed_lexicon.yaml"
HEADER = ("# focuslex lexicon: curated terms for the transition committee (YAML).\n"
          "# One block per term; the fields are described in lexicon/model.py.\n")


# -- YAML ---------------------------------------------------------------------------------

class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys and aliases (no silent overwrites, no bombs)."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:  # type: ignore[override]
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise ComposerError(None, None, "aliassen (*naam) zijn niet toegestaan",
                                event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Any, Any]:  # type: ignore[override]
        if isinstance(node, MappingNode):
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                try:
                    hash(key)
                except TypeError:  # "? [a, b]" or "? {a: b}": found by make fuzz
                    raise ConstructorError(None, None, "een sleutel moet tekst of een getal zijn",
                                           key_node.start_mark) from None
                if key in seen:
                    raise ConstructorError(None, None, f"dubbele sleutel '{key}'",
                                           key_node.start_mark)
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


class _Dumper(yaml.SafeDumper):
    """Block style, indented lists, literal blocks for multi-line text."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def _yaml_error_detail(exc: yaml.YAMLError) -> str:
    """Where the problem starts (Dutch), then the parser's own (English) wording."""
    mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
    words = "; ".join(str(w) for w in (getattr(exc, "context", None),
                                       getattr(exc, "problem", None)) if w)
    if mark is None:
        return words or str(exc)
    return f"fout rond regel {mark.line + 1}, kolom {mark.column + 1} ({words})"


def parse_yaml(text: str, source: str) -> Any:
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - strict SafeLoader subclass
    except yaml.YAMLError as exc:
        raise FocuslexError("FX-LEX-001", file=source, detail=_yaml_error_detail(exc)) from exc


def load_yaml(text: str, source: str = "YAML") -> list[Entry]:
    """Parse and validate a lexicon file (or a single term mapping, or a bare list of terms)."""
    data = parse_yaml(text, source)
    if isinstance(data, dict) and "terms" in data:
        unknown = sorted(set(data) - {"format", "terms", "release"})
        if unknown:
            raise FocuslexError("FX-LEX-017", file=source,
                                detail=f"onbekende sleutel(s) {', '.join(map(str, unknown))}")
        if data.get("format", FORMAT) != FORMAT:
            raise FocuslexError("FX-LEX-017", file=source,
                                detail=f"onbekend formaat {data.get('format')!r}")
        items = data["terms"] or []
    elif isinstance(data, dict) and "id" in data:
        items = [data]
    elif isinstance(data, list):
        items = data
    else:
        raise FocuslexError("FX-LEX-017", file=source,
                            detail="geen lijst van termen gevonden")
    if not isinstance(items, list):
        raise FocuslexError("FX-LEX-017", file=source, detail="'terms' is geen lijst")
    entries = [entry_from_dict(item, f"{source}, term {n}") for n, item in enumerate(items, 1)]
    validate_lexicon(entries, source)
    return entries


def dump_yaml(entries: Sequence[Entry], release: int | None = None) -> str:
    """Canonical YAML, terms in the given order."""
    body: dict[str, Any] = {"format": FORMAT}
    if release is not None:
        body["release"] = release
    body["terms"] = [entry_to_dict(e) for e in entries]
    text = yaml.dump(body, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=100)
    return HEADER + text


def dump_entry_yaml(entry: Entry) -> str:
    """One term as a YAML mapping (for `lexicon show --yaml` and editing)."""
    return yaml.dump(entry_to_dict(entry), Dumper=_Dumper, allow_unicode=True,
                     sort_keys=False, default_flow_style=False, width=100)


def load_seed() -> list[Entry]:
    return load_yaml(SEED_LEXICON.read_text(encoding="utf-8"), SEED_LEXICON.name)


# -- CSV ----------------------------------------------------------------------------------

COLUMNS: tuple[str, ...] = (
    "id", "pref_label", "other_pref_labels", "alt_labels", "hidden_labels", "exclusions",
    "shared_labels", "definition", "scope_note", "examples", "sense_examples",
    "other_sense_examples", "alternatives", "sensitivity",
    "sensitivity_note", "acceptable_contexts", "source_guide", "related", "activities",
    "status", "replaced_by", "decision_date", "decision_meeting", "decision_rationale",
    "decision_dissent", "created", "created_by", "modified", "modified_by", "version",
)
# Columns added later: a CSV written before them still reads (as empty).
OPTIONAL_COLUMNS = frozenset({"sense_examples", "other_sense_examples"})
_LINE_LISTS = ("alt_labels", "hidden_labels", "exclusions", "shared_labels", "examples",
               "sense_examples", "other_sense_examples",
               "acceptable_contexts", "source_guide", "related", "activities")


def _unguard(cell: str) -> str:
    """Inverse of `safe_cell` on text: the apostrophe before a formula start goes."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_START) else cell


def _row(entry: Entry) -> dict[str, str]:
    data = entry_to_dict(entry)
    row = {c: "" for c in COLUMNS}
    row["id"] = entry.id
    row["pref_label"] = entry.label
    row["other_pref_labels"] = "\n".join(f"{lang}: {text}" for lang, text in
                                         entry.pref_label.items() if lang != DEFAULT_LANGUAGE)
    for key in _LINE_LISTS:
        row[key] = "\n".join(data.get(key, []))
    row["alternatives"] = "\n".join(_alternative_line(a) for a in entry.alternatives)
    for key in ("definition", "scope_note", "sensitivity_note", "replaced_by", "created",
                "created_by", "modified", "modified_by"):
        row[key] = data.get(key) or ""
    row["sensitivity"] = entry.sensitivity.value
    row["status"] = entry.status.value
    row["version"] = str(entry.version)
    if entry.decision is not None:
        row["decision_date"] = entry.decision.date
        row["decision_meeting"] = entry.decision.meeting
        row["decision_rationale"] = entry.decision.rationale
        row["decision_dissent"] = "\n".join(f"{d.by} | {d.note}" for d in entry.decision.dissent)
    return {k: safe_cell(v) for k, v in row.items()}


def _alternative_line(alternative: Alternative) -> str:
    parts = [alternative.label, alternative.audience, alternative.note]
    while not parts[-1]:
        parts.pop()
    return " | ".join(parts)


def dump_csv(entries: Sequence[Entry], settings: CsvSettings = CsvSettings()) -> str:
    """The entries as CSV text, one row each (`pipeline.core.csvfile`: by default ";"
    between cells, as Belgian Excel opens it; `load_csv` reads it back)."""
    return csv_text(COLUMNS, ([_row(e)[c] for c in COLUMNS] for e in entries), settings)


def _lines(cell: str) -> list[str]:
    return [line.strip() for line in cell.splitlines() if line.strip()]


def _entry_dict(row: dict[str, str], where: str) -> dict[str, Any]:
    cells = {k: _unguard((row.get(k) or "").strip()) for k in COLUMNS}
    pref: dict[str, str] = {DEFAULT_LANGUAGE: cells["pref_label"]}
    for line in _lines(cells["other_pref_labels"]):
        lang, sep, text = line.partition(":")
        if not sep:
            raise FocuslexError("FX-LEX-011", file=where,
                                detail=f"'{line}' in other_pref_labels is niet 'taal: label'")
        lang = lang.strip()
        if lang in pref:
            raise FocuslexError("FX-LEX-011", file=where,
                                detail=f"meer dan één voorkeurslabel voor taal {lang}")
        pref[lang] = text.strip()
    data: dict[str, Any] = {"id": cells["id"], "pref_label": pref}
    for key in _LINE_LISTS:
        data[key] = _lines(cells[key])
    alternatives = []
    for line in _lines(cells["alternatives"]):
        parts = [p.strip() for p in line.split("|", 2)]
        alternatives.append({k: v for k, v in zip(("label", "audience", "note"), parts) if v})
    data["alternatives"] = alternatives
    for key in ("definition", "scope_note", "sensitivity", "sensitivity_note", "status",
                "replaced_by", "created", "created_by", "modified", "modified_by"):
        data[key] = cells[key]
    if cells["version"]:
        try:
            data["version"] = int(cells["version"])
        except ValueError as exc:
            raise FocuslexError("FX-LEX-011", file=where,
                                detail=f"versie {cells['version']!r} is geen getal") from exc
    if any(cells[k] for k in ("decision_date", "decision_meeting", "decision_rationale",
                              "decision_dissent")):
        dissent = []
        for line in _lines(cells["decision_dissent"]):
            by, sep, note = line.partition("|")
            if not sep:
                raise FocuslexError("FX-LEX-011", file=where,
                                    detail=f"afwijkende mening '{line}' is niet 'wie | standpunt'")
            dissent.append({"by": by.strip(), "note": note.strip()})
        data["decision"] = {"date": cells["decision_date"], "meeting": cells["decision_meeting"],
                            "rationale": cells["decision_rationale"], "dissent": dissent}
    return data


def load_csv(text: str, source: str = "CSV") -> list[Entry]:
    """Read a CSV with the export's columns (separated by semicolons, commas or tabs)."""
    text = text.removeprefix("\ufeff")
    header = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=header.count)
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
        fieldnames = [f.strip() for f in (reader.fieldnames or [])]
        missing = [c for c in COLUMNS if c not in fieldnames and c not in OPTIONAL_COLUMNS]
        if missing:
            raise FocuslexError("FX-LEX-010", file=source, columns=", ".join(missing))
        reader.fieldnames = fieldnames
        entries = []
        for number, row in enumerate(reader, start=2):
            if None in row:
                raise FocuslexError("FX-LEX-011", file=source,
                                    detail=f"rij {number} heeft meer cellen dan kolommen")
            if not any((v or "").strip() for v in row.values()):
                continue
            where = f"{source}, rij {number}"
            entries.append(entry_from_dict(_entry_dict(row, where), where))
    except csv.Error as exc:
        raise FocuslexError("FX-LEX-011", file=source, detail=str(exc)) from exc
    validate_lexicon(entries, source)
    return entries


# -- files --------------------------------------------------------------------------------

def read_lexicon_file(path: Path) -> list[Entry]:
    """Read a lexicon from .yaml/.yml, .csv or .ttl (SKOS Turtle written by focuslex)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise FocuslexError("FX-LEX-020", file=str(path), detail="het bestand bestaat niet") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise FocuslexError("FX-LEX-020", file=str(path), detail=str(exc)) from exc
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return load_yaml(text, path.name)
    if suffix == ".csv":
        return load_csv(text, path.name)
    if suffix == ".ttl":
        return read_skos(text, "turtle", path.name)
    raise FocuslexError("FX-LEX-020", file=str(path),
                        detail=f"onbekend bestandstype '{suffix or '(geen)'}'")
