"""Tables of the activity suggestions (`pipeline.activities`): what focuslex suggests per
unit, and what a committee member decided about it (who and when).

Suggestions are rewritten by every `activities suggest`; decisions are append-only and
outlive new suggestions: they are keyed by document, character offsets and activity, so a
unit that comes back after a refit keeps its decision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (DateTime, Float, ForeignKey, Integer, String, Text, delete, insert,
                        select)
from sqlalchemy.orm import Mapped, mapped_column

from pipeline.store.database import Base, DocumentRow, Store, UnitColumns, utc_now




class ActivitySuggestionRow(UnitColumns, Base):
    """One suggested activity for one unit, with its score and rank (1 = best)."""
    __tablename__ = "activity_suggestions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity: Mapped[str] = mapped_column(String(40), index=True)
    score: Mapped[float] = mapped_column(Float)
    rank: Mapped[int] = mapped_column(Integer)
    terms: Mapped[str] = mapped_column(Text, default="")  # lexicon terms that added to it


class ActivityDecisionRow(Base):
    """A committee member's decision on a suggestion (append-only; the latest counts)."""
    __tablename__ = "activity_decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"),
                                             index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    activity: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))
    by: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


ACTIVITY_TABLES = [ActivitySuggestionRow.__table__, ActivityDecisionRow.__table__]
SUGGESTION_FIELDS: tuple[str, ...] = (
    "document_id", "utterance_index", "unit", "start", "end", "speaker", "group", "round",
    "text", "activity", "score", "rank", "terms")
DECISION_FIELDS: tuple[str, ...] = ("document_id", "start", "end", "activity", "status", "by",
                                    "at")


class ActivityStore:
    """The activity tables on a `Store` (created when missing)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        Base.metadata.create_all(store.engine, tables=ACTIVITY_TABLES)

    def replace_suggestions(self, rows: Sequence[dict[str, Any]], run_id: int | None) -> int:
        with self.store.session() as s:
            s.execute(delete(ActivitySuggestionRow))
            if rows:
                s.execute(insert(ActivitySuggestionRow), [{**r, "run_id": run_id} for r in rows])
        return len(rows)

    def suggestions(self) -> list[dict[str, Any]]:
        """Stored suggestions in document order, plus `document` (the file name)."""
        query = (select(ActivitySuggestionRow, DocumentRow.file_name)
                 .join(DocumentRow, ActivitySuggestionRow.document_id == DocumentRow.id)
                 .order_by(DocumentRow.round, DocumentRow.file_name,
                           ActivitySuggestionRow.start, ActivitySuggestionRow.rank))
        with self.store.session() as s:
            return [{"document": name, **{f: getattr(r, f) for f in SUGGESTION_FIELDS}}
                    for r, name in s.execute(query).tuples()]

    def has_suggestion(self, document_id: int, start: int, end: int, activity: str) -> bool:
        with self.store.session() as s:
            return s.scalar(select(ActivitySuggestionRow.id).where(
                ActivitySuggestionRow.document_id == document_id,
                ActivitySuggestionRow.start == start, ActivitySuggestionRow.end == end,
                ActivitySuggestionRow.activity == activity).limit(1)) is not None

    def add_decision(self, document_id: int, start: int, end: int, activity: str, status: str,
                     by: str) -> None:
        with self.store.session() as s:
            s.add(ActivityDecisionRow(document_id=document_id, start=start, end=end,
                                      activity=activity, status=status, by=by, at=utc_now()))

    def decisions(self) -> list[dict[str, Any]]:
        """Every decision, oldest first."""
        with self.store.session() as s:
            return [{f: getattr(r, f) for f in DECISION_FIELDS}
                    for r in s.scalars(select(ActivityDecisionRow)
                                       .order_by(ActivityDecisionRow.id))]
