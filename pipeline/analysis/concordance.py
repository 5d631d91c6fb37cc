"""Keyword in context (KWIC) over term hits.

Input is the frame of hits (one row per `TermHit`, columns `HIT_COLUMNS`) and the stored
document texts the hit offsets point into. Context is cut from the document text by offsets,
with whitespace collapsed and, by default, stopped at a turn boundary (utterances are joined
with a blank line in the stored text), so a line never mixes two speakers.

Filters (`filter_hits`) narrow hits by group, round, speaker, use/mention and negation;
`resolve_term` finds a term from an id or a preferred label, case- and accent-insensitively.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
from sqlalchemy import func, select

from pipeline.core.errors import FocuslexError
from pipeline.core.text import search_key
from pipeline.store.database import DocumentRow, RunRow, Store

# The hit frame shared by the matcher's store and the analyses (one row per TermHit).
HIT_COLUMNS: tuple[str, ...] = (
    "document_id", "document", "utterance_index", "term_id", "label", "text", "start", "end",
    "sentence", "speaker", "group", "round", "compound_part", "negated", "mention",
)

# Columns of the sense step and the fuzzy pass (issue 16): in frames from the store; a frame
# built without them is treated as all certain and exact.
SENSE_COLUMNS: tuple[str, ...] = ("sense_score", "uncertain", "fuzzy")

KWIC_COLUMNS: tuple[str, ...] = (
    "document_id", "document", "utterance_index", "speaker", "group", "round", "term_id",
    "label", "left", "keyword", "right", "start", "end", "negated", "mention",
    "compound_part", "sentence", "uncertain", "fuzzy",
)

# Use/mention filter values: a plain use, any mention cue, or one cue by name.
USE = "use"
MENTION = "mention"
MENTION_CUES: tuple[str, ...] = ("quoted", "distanced", "named", "rejected")

# Dutch names of the cues for tables and the app.
MENTION_LABELS: dict[str, str] = {
    "": "gebruik", "quoted": "tussen aanhalingstekens", "distanced": "afstand genomen",
    "named": "woord benoemd", "rejected": "afgewezen",
}

_TURN_BREAK = "\n\n"
_SPACE = re.compile(r"\s+")


_DTYPES = {"document_id": "int64", "utterance_index": "int64", "start": "int64",
           "end": "int64", "negated": "bool"}


def empty_hits() -> pd.DataFrame:
    """A hit frame without rows, with the declared columns."""
    return pd.DataFrame({c: pd.Series(dtype=_DTYPES.get(c, "object")) for c in HIT_COLUMNS})


def hits_frame(records: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """The hit frame of plain hit rows (`Store.term_hit_records`): `HIT_COLUMNS` in order,
    integer offsets, boolean negation, '' for a plain use, None for an unknown round."""
    rows = list(records)
    if not rows:
        return empty_hits()
    frame = pd.DataFrame(rows).reindex(columns=[*HIT_COLUMNS, *SENSE_COLUMNS])
    frame = frame.astype({c: t for c, t in _DTYPES.items()})
    for column in ("uncertain", "fuzzy"):
        frame[column] = frame[column].fillna(False).astype(bool)
    frame["round"] = pd.Series([_round(row.get("round")) for row in rows], index=frame.index,
                               dtype="object")
    for column in ("mention", "compound_part", "sentence", "group"):
        frame[column] = frame[column].fillna("").astype(str)
    return frame


def _round(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def load_hits(store: Store, term_id: str | None = None) -> pd.DataFrame:
    """Stored hits (of one term, or all) as the hit frame, in document order."""
    return hits_frame(store.term_hit_records(term_id))


def hits_version(store: Store) -> tuple[int, int]:
    """A cheap token that changes when the stored hits may have changed: (number of hits,
    latest run id). For caches in the app."""
    with store.session() as s:
        last_run = s.scalar(select(func.max(RunRow.id))) or 0
    return store.term_hit_count(), int(last_run)


def check_hits(hits: pd.DataFrame) -> pd.DataFrame:
    """Return `hits` if it has every column of `HIT_COLUMNS` (else a programming error)."""
    missing = [c for c in HIT_COLUMNS if c not in hits.columns]
    if missing:
        raise ValueError(f"hit frame lacks columns {missing}")
    return hits


def resolve_term(query: str, terms: Mapping[str, str]) -> str:
    """The term id that `query` names: an id or a preferred label (case- and
    accent-insensitive). `terms` maps term id -> preferred label. FX-TRM-050 when unknown."""
    key = search_key(query)
    by_id = {search_key(i): i for i in terms}
    if key in by_id:
        return by_id[key]
    by_label: dict[str, list[str]] = {}
    for term_id, label in terms.items():
        by_label.setdefault(search_key(label), []).append(term_id)
    found = by_label.get(key) or by_label.get(search_key(key.replace("_", " "))) or []
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise FocuslexError("FX-TRM-051", term=query, ids=", ".join(sorted(found)))
    close = sorted(i for i in terms
                   if key and (key in search_key(i) or key in search_key(terms[i])))
    raise FocuslexError("FX-TRM-050", term=query,
                        suggestions=", ".join(close[:8]) if close else "geen")


def term_labels(hits: pd.DataFrame, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """term id -> preferred label: from `extra` (the lexicon, current) where it has the term,
    else as recorded with the hits."""
    out: dict[str, str] = {}
    if len(hits):
        pairs = hits[["term_id", "label"]].drop_duplicates("term_id")
        out.update(zip(pairs["term_id"], pairs["label"]))
    out.update(extra or {})
    return out


def _as_list(value: Any) -> list[Any] | None:
    if value is None:
        return None
    if isinstance(value, (str, int)) or not isinstance(value, Iterable):
        return [value]
    values = list(value)
    return values or None


def filter_hits(hits: pd.DataFrame, *, term: str | Sequence[str] | None = None,
                group: str | Sequence[str] | None = None,
                round: int | Sequence[int | None] | None = None,
                speaker: str | Sequence[str] | None = None,
                mention: str | Sequence[str] | None = None,
                negated: bool | None = None,
                document: int | Sequence[int] | None = None,
                uncertain: bool | None = None, fuzzy: bool | None = None) -> pd.DataFrame:
    """Hits narrowed by every filter given (None or an empty list: no filter).

    `mention` takes "use" (plain uses), "mention" (any use/mention cue) or cue names;
    `round` may contain None for documents without a round; `uncertain` / `fuzzy`: only
    the hits the sense step flagged (or not), only the fuzzy-pass hits (or not)."""
    check_hits(hits)
    mask = pd.Series(True, index=hits.index)
    for column, value in (("term_id", term), ("group", group), ("speaker", speaker),
                          ("document_id", document)):
        values = _as_list(value)
        if values is not None:
            mask &= hits[column].isin(values)
    rounds = _as_list(round)
    if rounds is not None:
        wanted = {int(r) for r in rounds if r is not None and not pd.isna(r)}
        keep = hits["round"].map(lambda r: (pd.isna(r) and None in rounds)
                                 or (not pd.isna(r) and int(r) in wanted))
        mask &= keep.astype(bool)
    cues = _as_list(mention)
    if cues is not None:
        cue = hits["mention"].fillna("")
        allowed = set()
        for value in cues:
            if value == USE:
                allowed.add("")
            elif value == MENTION:
                allowed.update(MENTION_CUES)
                allowed.update(set(cue) - {""})
            else:
                allowed.add(value)
        mask &= cue.isin(allowed)
    if negated is not None:
        mask &= hits["negated"].astype(bool) == bool(negated)
    for column, wanted in (("uncertain", uncertain), ("fuzzy", fuzzy)):
        if wanted is not None:
            flags = (hits[column].fillna(False).astype(bool) if column in hits.columns
                     else pd.Series(False, index=hits.index))
            mask &= flags == bool(wanted)
    return hits[mask]


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text)


def context(text: str, start: int, end: int, width: int = 60, *,
            within_turn: bool = True) -> tuple[str, str, str]:
    """(left, keyword, right) around text[start:end] with whitespace collapsed.

    Each side holds at most `width` characters (plus an ellipsis); a side is cut at a turn boundary when
    `within_turn`; where a side is cut short, the partial word at its outer edge is dropped
    and an ellipsis marks the cut. Inner edges are stripped (no space next to the keyword)."""
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"offsets {start}:{end} outside a text of {len(text)} characters")
    left_from, right_to = 0, len(text)
    if within_turn:
        brk = text.rfind(_TURN_BREAK, 0, start)
        left_from = brk + len(_TURN_BREAK) if brk >= 0 else 0
        brk = text.find(_TURN_BREAK, end)
        right_to = brk if brk >= 0 else len(text)
    # Take more raw text than needed (whitespace collapses), then trim the cleaned sides.
    reach = 3 * width + 8
    left = _clean(text[max(left_from, start - reach):start])
    right = _clean(text[end:min(right_to, end + reach)])
    left_cut = start - reach > left_from
    right_cut = end + reach < right_to
    if len(left) > width:
        partial = not left[-width - 1].isspace()
        left, left_cut = left[-width:], True
    else:
        partial = left_cut
    if left_cut and partial and left and not left[0].isspace():
        space = left.find(" ")
        left = left[space:] if space >= 0 else ""
    if len(right) > width:
        partial = not right[width].isspace()
        right, right_cut = right[:width], True
    else:
        partial = right_cut
    if right_cut and partial and right and not right[-1].isspace():
        space = right.rfind(" ")
        right = right[:space] if space >= 0 else ""
    left, right = left.strip(), right.strip()
    if left_cut:
        left = f"… {left}" if left else "…"
    if right_cut:
        right = f"{right} …" if right else "…"
    return left, _clean(text[start:end]).strip(), right


def kwic(hits: pd.DataFrame, texts: Mapping[int, str], *, width: int = 60,
         within_turn: bool = True, limit: int | None = None) -> pd.DataFrame:
    """One concordance line per hit, in document and offset order (`KWIC_COLUMNS`).

    `texts` maps document id -> stored document text. Hits whose document text is missing
    or whose offsets fall outside it are skipped (a stale hit after re-ingest)."""
    check_hits(hits)
    ordered = hits.sort_values(["document", "document_id", "start", "end"], kind="stable")
    rows: list[dict[str, Any]] = []
    for hit in ordered.itertuples(index=False):
        text = texts.get(int(hit.document_id))
        if text is None or not 0 <= hit.start <= hit.end <= len(text):
            continue
        left, keyword, right = context(text, int(hit.start), int(hit.end), width,
                                       within_turn=within_turn)
        row = {c: getattr(hit, c) for c in KWIC_COLUMNS if c in HIT_COLUMNS}
        row.update(left=left, keyword=keyword, right=right,
                   uncertain=bool(getattr(hit, "uncertain", False)),
                   fuzzy=bool(getattr(hit, "fuzzy", False)))
        rows.append(row)
        if limit is not None and len(rows) >= limit:
            break
    return pd.DataFrame(rows, columns=list(KWIC_COLUMNS))


def format_kwic(lines: pd.DataFrame, width: int = 60) -> list[str]:
    """Plain-text concordance lines: left context right-aligned, keyword in brackets."""
    out = []
    for line in lines.itertuples(index=False):
        out.append(f"{line.left:>{width + 2}} [{line.keyword}] {line.right}".rstrip())
    return out


def document_texts(store: Store, ids: Iterable[int] | None = None) -> dict[int, str]:
    """document id -> stored (pseudonymised) text, for all documents or the ids given."""
    query = select(DocumentRow.id, DocumentRow.text)
    if ids is not None:
        wanted = sorted({int(i) for i in ids})
        if not wanted:
            return {}
        query = query.where(DocumentRow.id.in_(wanted))
    with store.session() as s:
        return {int(i): t for i, t in s.execute(query)}
