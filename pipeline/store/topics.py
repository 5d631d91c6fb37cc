"""Tables of the topic model (`pipeline.topics`): the units of the last fit with their topic,
the topics (words, size, place on the map), the per-group and per-round topic words of
BERTopic, and the committee's curation (rename, merge, hide), which outlives every refit.

A fit replaces `topic_units`, `topics` and `topic_classes` in one transaction; the curation
table is never rewritten by a fit: it is matched to the new topics by their top words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text,
                        delete, insert, select)
from sqlalchemy.orm import Mapped, mapped_column

from pipeline.store.database import Base, DocumentRow, Store, UnitColumns, utc_now




class TopicUnitRow(UnitColumns, Base):
    """One unit (a sentence or short chunk of a turn) and its topic in the last fit."""
    __tablename__ = "topic_units"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic: Mapped[int] = mapped_column(Integer, index=True)
    outlier: Mapped[bool] = mapped_column(Boolean, default=False)


class TopicRow(Base):
    """A topic of the last fit: its words (best first), size and place on the 2-D map."""
    __tablename__ = "topics"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"),
                                               nullable=True)
    topic: Mapped[int] = mapped_column(Integer, unique=True)
    words: Mapped[list[str]] = mapped_column(JSON, default=list)
    size: Mapped[int] = mapped_column(Integer)
    x: Mapped[float] = mapped_column(Float, default=0.0)
    y: Mapped[float] = mapped_column(Float, default=0.0)
    examples: Mapped[list[int]] = mapped_column(JSON, default=list)  # topic_units.unit keys


class TopicClassRow(Base):
    """BERTopic's topic words within one stakeholder group (`kind` group) or round."""
    __tablename__ = "topic_classes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))
    value: Mapped[str] = mapped_column(Text)
    words: Mapped[list[str]] = mapped_column(JSON, default=list)
    frequency: Mapped[int] = mapped_column(Integer)


class TopicCurationRow(Base):
    """A curation step (append-only): `rename` (label), `merge` (into the topic whose words
    are `target_words`), `hide` or `show`, made on the topic whose top words were `words`."""
    __tablename__ = "topic_curation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(String(10))
    words: Mapped[list[str]] = mapped_column(JSON, default=list)
    target_words: Mapped[list[str]] = mapped_column(JSON, default=list)
    label: Mapped[str] = mapped_column(Text, default="")
    by: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


TOPIC_TABLES = [TopicUnitRow.__table__, TopicRow.__table__, TopicClassRow.__table__,
                TopicCurationRow.__table__]
UNIT_FIELDS: tuple[str, ...] = ("document_id", "utterance_index", "unit", "start", "end",
                                "speaker", "group", "round", "text", "topic", "outlier")
TOPIC_FIELDS: tuple[str, ...] = ("topic", "words", "size", "x", "y", "examples")
CLASS_FIELDS: tuple[str, ...] = ("topic", "kind", "value", "words", "frequency")
CURATION_FIELDS: tuple[str, ...] = ("id", "action", "words", "target_words", "label", "by",
                                    "at")


class TopicStore:
    """The topic tables on a `Store` (created when missing)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        Base.metadata.create_all(store.engine, tables=TOPIC_TABLES)

    def replace_fit(self, units: Sequence[dict[str, Any]], topics: Sequence[dict[str, Any]],
                    classes: Sequence[dict[str, Any]], run_id: int | None) -> None:
        """Replace the stored fit (units, topics, class words) in one transaction."""
        with self.store.session() as s:
            for table in (TopicUnitRow, TopicRow, TopicClassRow):
                s.execute(delete(table))
            if units:
                s.execute(insert(TopicUnitRow), [{**u, "run_id": run_id} for u in units])
            if topics:
                s.execute(insert(TopicRow), [{**t, "run_id": run_id} for t in topics])
            if classes:
                s.execute(insert(TopicClassRow), list(classes))

    def units(self, *, fit_order: bool = False) -> list[dict[str, Any]]:
        """Stored units with their topic, in document order (`fit_order`: in the order of
        the fit, which a topic's `examples` index), plus `document` (file name)."""
        query = (select(TopicUnitRow, DocumentRow.file_name)
                 .join(DocumentRow, TopicUnitRow.document_id == DocumentRow.id)
                 .order_by(*((TopicUnitRow.id,) if fit_order else
                             (DocumentRow.round, DocumentRow.file_name, TopicUnitRow.start))))
        with self.store.session() as s:
            return [{"document": name, **{f: getattr(r, f) for f in UNIT_FIELDS}}
                    for r, name in s.execute(query).tuples()]

    def topics(self) -> list[dict[str, Any]]:
        with self.store.session() as s:
            return [{f: getattr(r, f) for f in TOPIC_FIELDS}
                    for r in s.scalars(select(TopicRow).order_by(TopicRow.topic))]

    def classes(self, kind: str) -> list[dict[str, Any]]:
        with self.store.session() as s:
            query = (select(TopicClassRow).where(TopicClassRow.kind == kind)
                     .order_by(TopicClassRow.topic, TopicClassRow.value))
            return [{f: getattr(r, f) for f in CLASS_FIELDS} for r in s.scalars(query)]

    def add_curation(self, action: str, words: Sequence[str], by: str, *, label: str = "",
                     target_words: Sequence[str] = ()) -> int:
        with self.store.session() as s:
            row = TopicCurationRow(action=action, words=list(words), label=label, by=by,
                                   target_words=list(target_words), at=utc_now())
            s.add(row)
            s.flush()
            return row.id

    def curation(self) -> list[dict[str, Any]]:
        """Every curation step, oldest first."""
        with self.store.session() as s:
            return [{f: getattr(r, f) for f in CURATION_FIELDS}
                    for r in s.scalars(select(TopicCurationRow).order_by(TopicCurationRow.id))]

