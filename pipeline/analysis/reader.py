"""The document reader: a stored (pseudonymised) document as a list of turns, with the term
hits of each turn as spans, a case- and accent-insensitive search, and the HTML the app
shows for them.

The HTML is built here, not in the page, so its safety is tested without Streamlit: every
piece of document text goes through `html.escape` (quotes included), and the only tags are
focuslex's own (`<div>`, `<span>`, `<mark title=...>`, `<b>`); a transcript that holds
`<script>`, a Markdown image or a `javascript:` link is shown as the characters it holds.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from pipeline.analysis.comparison import round_key
from pipeline.core.errors import FocuslexError
from pipeline.core.formats import format_date, format_int, format_seconds
from pipeline.core.text import fold_with_map
from pipeline.core.records import UNKNOWN_GROUP
from pipeline.store.database import Store

TERM = "term"
SEARCH = "search"

# Styles of the marks (inline: the app's HTML element keeps style attributes).
MARK_STYLE = {
    TERM: "background:#fde68a;color:inherit;border-radius:3px;padding:0 2px;"
          "border-bottom:2px solid #b45309;cursor:help",
    SEARCH: "background:#bfdbfe;color:inherit;border-radius:3px;padding:0 2px;"
            "outline:1px solid #1d4ed8",
}


@dataclass(frozen=True)
class Mark:
    """A span of a turn's text to highlight: a term hit (title: its lexicon label) or a
    search match. Offsets are within the turn's text."""

    start: int
    end: int
    kind: str
    title: str = ""


@dataclass(frozen=True)
class Turn:
    """One turn of a document as the reader shows it (`index` as stored, from 0; shown to
    people from 1: 'beurt 1' is index 0)."""

    index: int
    speaker: str
    group: str
    start_time: float | None
    text: str
    hits: tuple[Mark, ...] = ()

    @property
    def time(self) -> str:
        """'1:15' (position in the recording) or '' when the file had no times."""
        return "" if self.start_time is None else format_seconds(self.start_time)


@dataclass(frozen=True)
class DocumentInfo:
    """What the reader says above a document."""

    id: int
    file_name: str
    kind: str
    round: str
    date: str
    focus_group: str
    prompt: str
    group: str

    @property
    def caption(self) -> str:
        parts = [self.file_name, f"ronde {self.round}" if self.round.isdigit() else self.round]
        return " · ".join(p for p in parts if p)


def documents(store: Store) -> list[DocumentInfo]:
    """Every stored document (by round, then file name) as the reader lists them."""
    return [DocumentInfo(d.id, d.file_name, d.kind, round_key(d.round),
                         format_date(d.date) if d.date else "", d.focus_group or "",
                         d.prompt or "", d.group or d.organisation or "")
            for d in store.documents()]


def _hit_marks(hits: pd.DataFrame, start: int, end: int) -> tuple[Mark, ...]:
    inside = hits[(hits["start"] >= start) & (hits["end"] <= end)]
    return tuple(Mark(int(h.start) - start, int(h.end) - start, TERM, str(h.label))
                 for h in inside.itertuples(index=False))


def document_turns(store: Store, document_id: int, hits: pd.DataFrame) -> list[Turn]:
    """The turns of one stored document, each with the term hits that fall inside it
    (`hits`: the hit frame; offsets in the document text). FX-RDR-001 when there is no
    such document."""
    rows = store.utterances(int(document_id))
    if not rows:
        known = {d.id for d in store.documents()}
        if int(document_id) not in known:
            raise FocuslexError("FX-RDR-001", document=document_id)
    doc_hits = hits[hits["document_id"] == int(document_id)] if len(hits) else hits
    fallback = next((d.group or d.organisation for d in store.documents()
                     if d.id == int(document_id)), "") or UNKNOWN_GROUP
    turns = []
    for row, speaker in rows:
        marks = _hit_marks(doc_hits, row.char_start, row.char_end) if len(doc_hits) else ()
        turns.append(Turn(row.idx, speaker.code if speaker else "",
                          (speaker.group if speaker else "") or fallback,
                          row.start_time, row.text, marks))
    return turns


def search_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Where `query` occurs in `text`, case- and accent-insensitively ('integratie' finds
    'Integratie', 'geintegreerd' finds 'geïntegreerd'), as offsets into `text`."""
    wanted, _ = fold_with_map(" ".join(query.split()))
    if not wanted:
        return []
    folded, positions = fold_with_map(text)
    spans = []
    at = folded.find(wanted)
    while at >= 0:
        spans.append((positions[at], positions[at + len(wanted) - 1] + 1))
        at = folded.find(wanted, at + len(wanted))
    return spans


def matching_turns(turns: Sequence[Turn], query: str) -> list[Turn]:
    """The turns whose text (or speaker code or group) contains `query`; all when empty."""
    if not query.strip():
        return list(turns)
    return [t for t in turns
            if search_spans(t.text, query) or search_spans(f"{t.speaker} {t.group}", query)]


def _segments(length: int, marks: Sequence[Mark]) -> list[tuple[int, int, tuple[Mark, ...]]]:
    """The text cut at every mark edge: (start, end, the marks covering it)."""
    edges = sorted({0, length, *(m.start for m in marks), *(m.end for m in marks)})
    out: list[tuple[int, int, tuple[Mark, ...]]] = []
    for start, end in zip(edges, edges[1:]):
        covering = tuple(m for m in marks if m.start <= start and end <= m.end)
        if out and out[-1][2] == covering and out[-1][1] == start:
            out[-1] = (out[-1][0], end, covering)
        else:
            out.append((start, end, covering))
    return out


def marked_html(text: str, marks: Iterable[Mark]) -> str:
    """`text` escaped for HTML, with each marked span in a `<mark>`: a term hit's lexicon
    label(s) in its title (shown on hover), search matches in another colour. Marks outside
    the text are dropped; overlapping marks share one `<mark>`."""
    usable = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    out = []
    for start, end, covering in _segments(len(text), usable):
        piece = html.escape(text[start:end], quote=True)
        if not covering:
            out.append(piece)
            continue
        labels = list(dict.fromkeys(m.title for m in covering if m.kind == TERM and m.title))
        kind = TERM if labels else SEARCH
        title = ("Lexicon: " + ", ".join(labels)) if labels else "zoekterm"
        style = MARK_STYLE[kind] + (";outline:1px solid #1d4ed8" if
                                    labels and any(m.kind == SEARCH for m in covering) else "")
        out.append(f'<mark class="fx-{kind}" title="{html.escape(title, quote=True)}" '
                   f'style="{style}">{piece}</mark>')
    return "".join(out)


def turn_marks(turn: Turn, query: str = "") -> list[Mark]:
    """The hit marks of a turn plus the matches of `query` in its text."""
    return [*turn.hits, *(Mark(s, e, SEARCH) for s, e in search_spans(turn.text, query))]


def turn_html(turn: Turn, query: str = "", focus: bool = False) -> str:
    """One turn as HTML: a line with speaker code, group, time and turn number, then the
    wrapped text with its marks. `focus` outlines the turn (the one a concordance row
    jumped to)."""
    border = "#b45309" if focus else "#d1d5db"
    head = " · ".join(html.escape(p) for p in (
        turn.speaker or "(geen spreker)", turn.group, turn.time,
        f"beurt {format_int(turn.index + 1)}") if p)
    return (f'<div id="beurt-{turn.index}" style="border-left:4px solid {border};'
            f'padding:4px 10px;margin:0 0 10px 0;'
            f'{"background:#fffbeb;" if focus else ""}">'
            f'<div style="font-size:0.85em;color:#4b5563;font-weight:600">{head}</div>'
            f'<div style="white-space:pre-wrap;overflow-wrap:anywhere;line-height:1.5">'
            f'{marked_html(turn.text, turn_marks(turn, query))}</div></div>')


def turns_html(turns: Sequence[Turn], query: str = "", focus: int | None = None) -> str:
    """The HTML of several turns, `focus` (a turn index) outlined."""
    return "".join(turn_html(t, query, t.index == focus) for t in turns)


def focus_window(total: int, row: int, size: int, before: int = 2) -> tuple[int, int]:
    """The turns [start, stop) to show around row `row` (from 0) of `total`: `before` turns
    of context above it, so the turn a concordance line jumped to sits near the top."""
    start = min(max(0, row - before), max(0, total - size))
    return start, min(total, start + max(1, size))
