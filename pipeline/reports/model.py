"""The one document model of a report: a report holds sections, a section holds blocks.

Everything is plain, frozen data (strings, numbers, tuples, a Vega-Lite chart specification as
a dict), built once by `pipeline.reports.build` and rendered by every renderer (HTML, DOCX,
PDF, XLSX, CSV). Nothing in here knows about the store, spaCy or a file format.

`section_lines(section)` is the plain-text form of a section, line by line: the leak scan
reads it, so an error can say in which section and on which line a name was found.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Union

Cell = Union[str, int, float, None]


@dataclass(frozen=True)
class Paragraph:
    """Running text. `kind`: "" (normal), "lead" (an introduction) or "note" (small print)."""

    text: str
    kind: str = ""


@dataclass(frozen=True)
class Facts:
    """Labelled values (a definition list): (label, value) pairs."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table with a header row. `key` names it in the spreadsheet exports (unique within a
    report); `numeric` says per column whether it holds numbers (right-aligned)."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""
    numeric: tuple[bool, ...] = ()
    # Tables of one kind across sections (one per term) share a spreadsheet sheet: `sheet`
    # names it and `row_label` (the term) fills its first column. Empty: a sheet of its own.
    sheet: str = ""
    row_label: str = ""

    def is_numeric(self, column: int) -> bool:
        return column < len(self.numeric) and self.numeric[column]


@dataclass(frozen=True)
class Quote:
    """A pseudonymised quote: the sentence split around the term (`before`, `term`, `after`)
    and where it comes from (speaker code, stakeholder group, round, document)."""

    before: str
    term: str
    after: str
    speaker: str
    group: str
    round: str
    document: str
    note: str = ""

    @property
    def text(self) -> str:
        return f"{self.before}{self.term}{self.after}"

    @property
    def source(self) -> str:
        parts = [self.speaker or "verklaring", self.group]
        if self.round:
            parts.append(f"ronde {self.round}")
        parts.append(self.document)
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True)
class Chart:
    """A chart as a Vega-Lite specification (made with Altair); renderers turn it into SVG or
    PNG with vl-convert. `data` repeats the plotted values as rows, so the leak scan and the
    spreadsheet exports see what the chart shows; `alt` describes it in words."""

    key: str
    title: str
    spec: dict[str, Any]
    alt: str
    data: tuple[tuple[Cell, ...], ...] = ()
    columns: tuple[str, ...] = ()


Block = Union[Paragraph, Facts, Bullets, Table, Quote, Chart]


@dataclass(frozen=True)
class Section:
    """A titled section with blocks and subsections. `key` is a stable anchor ("terms",
    "term-integratie"); `methods` are blocks this section contributes to the methods annex
    (how its content was found), collected there in section order."""

    key: str
    title: str
    blocks: tuple[Block, ...] = ()
    subsections: tuple["Section", ...] = ()
    methods: tuple[Block, ...] = ()

    def walk(self, level: int = 1) -> Iterator[tuple[int, "Section"]]:
        """This section and all below it, depth first, with their heading level."""
        yield level, self
        for sub in self.subsections:
            yield from sub.walk(level + 1)


@dataclass(frozen=True)
class RunRecord:
    """Where a report comes from: inputs with hashes, lexicon release, pipeline, settings,
    software versions, when and by whom. `created` is the only field that differs between two
    builds of the same data, release and settings."""

    created: str
    created_by: str
    focuslex_version: str
    lexicon: dict[str, Any]
    analysis: dict[str, Any]
    selection: dict[str, Any]
    settings: dict[str, Any]
    inputs: tuple[dict[str, Any], ...]
    ingest_runs: tuple[dict[str, Any], ...]

    def as_dict(self) -> dict[str, Any]:
        return {"created": self.created, "created_by": self.created_by,
                "focuslex_version": self.focuslex_version, "lexicon": self.lexicon,
                "analysis": self.analysis, "selection": self.selection,
                "settings": self.settings, "inputs": list(self.inputs),
                "ingest_runs": list(self.ingest_runs)}

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@dataclass(frozen=True)
class Report:
    title: str
    subtitle: str
    sections: tuple[Section, ...]
    record: RunRecord
    summary: tuple[tuple[str, str], ...] = field(default=())
    created_text: str = ""  # the creation date as people read it (Dutch)

    def tables(self) -> list[Table]:
        """Every table of the report in reading order (the spreadsheet exports)."""
        out: list[Table] = []
        for top in self.sections:
            for _, section in top.walk():
                out += [b for b in section.blocks if isinstance(b, Table)]
        return out

    def charts(self) -> list[Chart]:
        out: list[Chart] = []
        for top in self.sections:
            for _, section in top.walk():
                out += [b for b in section.blocks if isinstance(b, Chart)]
        return out


# -- plain text (for the leak scan) ----------------------------------------------------------

def block_lines(block: Block) -> list[str]:
    """The text a block shows, one line per paragraph, fact, row or quote."""
    if isinstance(block, Paragraph):
        return block.text.splitlines() or [""]
    if isinstance(block, Facts):
        return [f"{label}: {value}" for label, value in block.items]
    if isinstance(block, Bullets):
        return [f"- {item}" for item in block.items]
    if isinstance(block, Table):
        lines = [block.title, " | ".join(block.columns)]
        lines += [" | ".join("" if c is None else str(c) for c in row) for row in block.rows]
        return lines + ([block.note] if block.note else [])
    if isinstance(block, Quote):
        return [f"“{block.text}” ({block.source})"] + ([block.note] if block.note else [])
    if isinstance(block, Chart):
        lines = [block.title, block.alt, " | ".join(block.columns)]
        lines += [" | ".join("" if c is None else str(c) for c in row) for row in block.data]
        # labels inside the specification (titles, axis names) are shown too
        lines.append(json.dumps(block.spec, ensure_ascii=False, sort_keys=True))
        return lines
    raise TypeError(f"not a report block: {type(block).__name__}")


def section_lines(section: Section) -> list[str]:
    """The plain text of one section (without its subsections): title, blocks, methods."""
    lines = [section.title]
    for block in (*section.blocks, *section.methods):
        lines += block_lines(block)
    return lines
