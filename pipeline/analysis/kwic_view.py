"""The concordance as the app shows and exports it: pages of KWIC lines, each line as HTML
(left context right-aligned and cut from the outside with an ellipsis, keyword centred,
right context left-aligned, so both contexts stay visible at any width), with the full
sentence and who said it where on expansion; and the filtered lines as CSV or XLSX.

Every piece of document text goes through `html.escape` (`pipeline.analysis.reader`); every
exported cell through `pipeline.core.files.safe_cell`.
"""

from __future__ import annotations

import html
import io
import math
from dataclasses import dataclass
from functools import partial

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from pipeline.analysis.comparison import round_key
from pipeline.analysis.concordance import MENTION_LABELS
from pipeline.analysis.reader import TERM, Mark, marked_html, search_spans
from pipeline.core.errors import FocuslexError
from pipeline.core.csvfile import csv_file_bytes, csv_text
from pipeline.core.files import safe_cell
from pipeline.core.settings import CsvSettings
from pipeline.core.formats import format_int

PAGE_SIZES: tuple[int, ...] = (25, 50, 100, 250)
EXPORT_FORMATS: tuple[str, ...] = ("csv", "xlsx")

# Exported columns, in order (Dutch headers).
EXPORT_COLUMNS: tuple[str, ...] = (
    "links", "term", "rechts", "zin", "spreker", "groep", "ronde", "document", "beurt",
    "ontkend", "vermelding", "onzeker", "vaag", "term_id")

_CELL = "overflow:hidden;white-space:nowrap;text-overflow:ellipsis;min-width:0"
# Both contexts get the same share of the width, the keyword its own (never cut): the
# keyword sits in the middle of every line, each context is cut from the outside in.
_ROW = ("display:grid;grid-template-columns:2.8em minmax(0,1fr) max-content minmax(0,1fr);"
        "column-gap:0.6em;align-items:baseline;cursor:pointer;padding:3px 0;"
        "border-bottom:1px solid #e5e7eb;list-style:none")


@dataclass(frozen=True)
class Page:
    """One page of `total` rows: `number` (from 1) of `pages`, rows [start, stop)."""

    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def start(self) -> int:
        return (self.number - 1) * self.size

    @property
    def stop(self) -> int:
        return min(self.total, self.start + self.size)

    @property
    def caption(self) -> str:
        """'regels 26–50 van 1.234' in Dutch number format."""
        if not self.total:
            return "geen regels"
        return (f"regels {format_int(self.start + 1)}–{format_int(self.stop)} "
                f"van {format_int(self.total)}")


def page_of(total: int, number: int, size: int) -> Page:
    """Page `number` of `total` rows by `size`, clamped to the pages there are."""
    size = max(1, int(size))
    pages = max(1, math.ceil(total / size))
    return Page(min(max(1, int(number)), pages), size, max(0, int(total)))


def page_for_row(row: int, size: int) -> int:
    """The page number (from 1) that holds row `row` (from 0)."""
    return row // max(1, size) + 1


def _details(line: object) -> str:
    """Who said it where, escaped: 'P07 · vakbond · ronde 2 · ronde-2/x.txt · beurt 14'."""
    get = partial(getattr, line)
    parts = [_speaker(get("speaker")), get("group"),
             f"ronde {round_key(get('round'))}" if round_key(get("round")).isdigit()
             else round_key(get("round")),
             get("document"), f"beurt {format_int(get('utterance_index') + 1)}"]
    flags = [label for label, on in (
        ("ontkend", bool(get("negated"))),
        (MENTION_LABELS.get(get("mention"), get("mention")), bool(get("mention"))),
        ("betekenis onzeker", bool(get("uncertain"))),
        ("vaag gevonden", bool(get("fuzzy")))) if on]
    return " · ".join(html.escape(str(p)) for p in [*parts, *flags] if p)


def _sentence_html(sentence: str, keyword: str, label: str) -> str:
    marks = [Mark(s, e, TERM, label) for s, e in search_spans(sentence, keyword)]
    return marked_html(sentence, marks)


def kwic_line_html(line: object, number: int) -> str:
    """One concordance line: a `<details>` whose summary is the KWIC line (number, left
    context, keyword, right context) and whose body holds the full sentence and the
    speaker, group, round, document and turn."""
    get = partial(getattr, line)
    left, keyword, right = (html.escape(str(get(c))) for c in ("left", "keyword", "right"))
    label = html.escape(f"Lexicon: {get('label')}", quote=True)
    return (
        f'<details style="margin:0"><summary style="{_ROW}">'
        f'<span style="color:#6b7280;text-align:right;font-size:0.85em">{number}</span>'
        f'<span style="{_CELL};direction:rtl;text-align:right">'
        f'<span dir="ltr" style="unicode-bidi:isolate">{left}</span></span>'
        f'<span style="text-align:center;font-weight:700;white-space:nowrap" '
        f'title="{label}">'
        f'<mark style="background:#fde68a;color:inherit;padding:0 3px;border-radius:3px">'
        f'{keyword}</mark></span>'
        f'<span style="{_CELL};text-align:left">{right}</span></summary>'
        f'<div style="margin:4px 0 10px 3.4em;padding:6px 10px;background:#f9fafb;'
        f'border-left:3px solid #b45309;white-space:normal;overflow-wrap:anywhere">'
        f'<div style="line-height:1.5">'
        f'{_sentence_html(str(get("sentence") or ""), str(get("keyword")), str(get("label")))}'
        f'</div><div style="font-size:0.85em;color:#4b5563;margin-top:4px">'
        f'{_details(line)}</div></div></details>')


def kwic_page_html(lines: pd.DataFrame, page: Page) -> str:
    """The KWIC lines of one page (`lines`: KWIC_COLUMNS), numbered from the first row of
    the page."""
    rows = lines.iloc[page.start:page.stop]
    body = "".join(kwic_line_html(line, page.start + i + 1)
                   for i, line in enumerate(rows.itertuples(index=False)))
    return f'<div class="fx-kwic" style="font-size:0.95em">{body}</div>'


def jump_caption(line: object, number: int) -> str:
    """A concordance line in a list to choose from: '12 · P07 · doc.txt · beurt 5: …'."""
    get = partial(getattr, line)
    return (f"{number} · {_speaker(get('speaker'))} · {get('document')} · "
            f"beurt {format_int(get('utterance_index') + 1)}: {get('keyword')}")


def _speaker(value: object) -> str:
    """A speaker code, or '(geen spreker)' for a statement (no speaker: None or NaN)."""
    return "(geen spreker)" if value is None or pd.isna(value) or not value else str(value)


def export_table(lines: pd.DataFrame) -> pd.DataFrame:
    """The KWIC lines given as an export table (`EXPORT_COLUMNS`, Dutch headers)."""
    return pd.DataFrame({
        "links": lines["left"], "term": lines["keyword"], "rechts": lines["right"],
        "zin": lines["sentence"], "spreker": lines["speaker"].fillna(""),
        "groep": lines["group"], "ronde": [round_key(r) for r in lines["round"]],
        "document": lines["document"], "beurt": lines["utterance_index"].astype(int) + 1,  # from 1, as shown
        "ontkend": lines["negated"].astype(bool),
        "vermelding": [MENTION_LABELS.get(m, m) if m else "" for m in lines["mention"]],
        "onzeker": lines["uncertain"].astype(bool), "vaag": lines["fuzzy"].astype(bool),
        "term_id": lines["term_id"],
    }, columns=list(EXPORT_COLUMNS))


def _rows(table: pd.DataFrame) -> list[list[object]]:
    return [[safe_cell(v.item() if hasattr(v, "item") else v) for v in row]
            for row in table.itertuples(index=False)]


def export_bytes(table: pd.DataFrame, fmt: str,
                 csv_settings: CsvSettings = CsvSettings()) -> bytes:
    """`table` as CSV (`pipeline.core.csvfile`: by default ";" and a decimal comma, UTF-8
    with BOM, as Belgian Excel opens it) or XLSX (one sheet, bold frozen header). Every
    cell through `safe_cell`: text a spreadsheet would run as a formula stays text.
    FX-RDR-002 for another format."""
    if fmt == "csv":
        return csv_file_bytes(csv_text(list(table.columns), _rows(table), csv_settings),
                              csv_settings)
    if fmt == "xlsx":
        return _xlsx(table)
    raise FocuslexError("FX-RDR-002", value=fmt)


def _xlsx(table: pd.DataFrame) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "concordantie"
    sheet.append([safe_cell(c) for c in table.columns])
    for row in _rows(table):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    widths = {"links": 45, "rechts": 45, "zin": 80, "document": 30}
    for column, name in zip(sheet.iter_cols(min_row=1, max_row=1), table.columns):
        sheet.column_dimensions[column[0].column_letter].width = widths.get(name, 14)
        if name == "zin":
            for cell in sheet[column[0].column_letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

