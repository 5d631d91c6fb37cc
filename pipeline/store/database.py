"""The focuslex database, through SQLAlchemy: a SQLite file by default, any SQLAlchemy URL
(PostgreSQL) the same way. Only pseudonymised data is ever written here.

Tables: documents, speakers, utterances, runs, term_hits. Other packages (the lexicon) add
their tables to the same `Base.metadata`.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text,
                        UniqueConstraint, create_engine, delete, event, func, insert, inspect,
                        select)
from sqlalchemy import text as sql_text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import (DeclarativeBase, Mapped, Session, mapped_column, relationship,
                            sessionmaker)

from pipeline.core.errors import FocuslexError
from pipeline.core.records import UNKNOWN_GROUP, Document, Role, StoredUtterance, TermHit
from pipeline.store.runs import process_alive, process_identity


class Base(DeclarativeBase):
    pass


def utc_now() -> dt.datetime:
    """The time stamp every table stores (timezone-aware UTC)."""
    return dt.datetime.now(dt.timezone.utc)




class DocumentRow(Base):
    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    file_name: Mapped[str] = mapped_column(Text)
    format: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    focus_group: Mapped[str] = mapped_column(Text, default="")
    round: Mapped[int | None] = mapped_column(Integer, nullable=True)
    date: Mapped[str] = mapped_column(Text, default="")
    prompt: Mapped[str] = mapped_column(Text, default="")
    organisation: Mapped[str] = mapped_column(Text, default="")
    group: Mapped[str] = mapped_column("group_name", Text, default="")
    title: Mapped[str] = mapped_column(Text, default="")
    header: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    word_count: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    utterances: Mapped[list["UtteranceRow"]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="UtteranceRow.idx")


class SpeakerRow(Base):
    __tablename__ = "speakers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True, index=True)
    role: Mapped[str] = mapped_column(String(20))
    group: Mapped[str] = mapped_column("group_name", Text, default="")
    organisation: Mapped[str] = mapped_column(Text, default="")
    region: Mapped[str] = mapped_column(Text, default="")


class UtteranceRow(Base):
    __tablename__ = "utterances"
    __table_args__ = (UniqueConstraint("document_id", "idx"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"),
                                             index=True)
    idx: Mapped[int] = mapped_column(Integer)
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id"), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    char_start: Mapped[int] = mapped_column(Integer)
    char_end: Mapped[int] = mapped_column(Integer)
    start_time: Mapped[float | None] = mapped_column(Float, nullable=True)
    end_time: Mapped[float | None] = mapped_column(Float, nullable=True)
    document: Mapped[DocumentRow] = relationship(back_populates="utterances")
    speaker: Mapped[SpeakerRow | None] = relationship()


class RunRow(Base):
    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    command: Mapped[str] = mapped_column(String(50))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True),
                                                            nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="running")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class UtteranceColumns:
    """Columns of a row that belongs to one utterance of a stored document, written by a run
    (term hits, topic units, activity suggestions)."""
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"),
                                               nullable=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"),
                                             index=True)
    utterance_index: Mapped[int] = mapped_column(Integer)


class UnitColumns(UtteranceColumns):
    """A unit of the topic model: a sentence or chunk of an utterance, with its offsets,
    speaker, group, round and text."""
    unit: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str | None] = mapped_column(String(20), nullable=True)
    group: Mapped[str] = mapped_column("group_name", Text, default="")
    round: Mapped[int | None] = mapped_column(Integer, nullable=True)
    text: Mapped[str] = mapped_column(Text)


class TermHitRow(UtteranceColumns, Base):
    """One stored `TermHit` (a use of a lexicon term); rewritten by every `focuslex analyse`."""
    __tablename__ = "term_hits"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    term_id: Mapped[str] = mapped_column(String(100), index=True)
    label: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    sentence: Mapped[str] = mapped_column(Text)
    speaker: Mapped[str | None] = mapped_column(String(20), nullable=True)
    group: Mapped[str] = mapped_column("group_name", Text, default="")
    round: Mapped[int | None] = mapped_column(Integer, nullable=True)
    compound_part: Mapped[str] = mapped_column(Text, default="")
    negated: Mapped[bool] = mapped_column(Boolean, default=False)
    mention: Mapped[str] = mapped_column(String(20), default="")
    sense_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    uncertain: Mapped[bool] = mapped_column(Boolean, default=False)
    fuzzy: Mapped[bool] = mapped_column(Boolean, default=False)


# TermHit fields in the order of the dataclass (the columns of term_hits besides id/run_id).
TERM_HIT_FIELDS: tuple[str, ...] = (
    "document_id", "utterance_index", "term_id", "label", "text", "start", "end", "sentence",
    "speaker", "group", "round", "compound_part", "negated", "mention", "sense_score",
    "uncertain", "fuzzy")
# Columns added to term_hits after its first release: added to an older database on open.
_ADDED_HIT_COLUMNS = {"sense_score": "FLOAT", "uncertain": "BOOLEAN DEFAULT FALSE",
                      "fuzzy": "BOOLEAN DEFAULT FALSE"}


# How long a SQLite writer waits for another process's write transaction to end.
BUSY_TIMEOUT_MS = 30_000


def _enable_wal(cursor: Any) -> None:
    """Switch to WAL. The switch needs the file to itself for a moment, and SQLite returns
    'database is locked' at once when another process is making the same switch (two
    processes opening a new database): retried until the busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")  # first: WAL switch may wait
    cursor.execute("PRAGMA foreign_keys=ON")
    _enable_wal(cursor)
    cursor.execute("PRAGMA secure_delete=ON")  # freed space is zeroed (old names: issue #11)
    cursor.close()


def _create_tables(engine: Engine) -> None:
    """Create missing tables. On SQLite under one write lock (BEGIN IMMEDIATE), so two
    processes opening a new database at once do not both try to create a table."""
    with engine.connect() as connection:
        if set(Base.metadata.tables) <= set(inspect(connection).get_table_names()):
            return  # nothing to create: no lock taken
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        Base.metadata.create_all(connection)
        connection.commit()


def _add_hit_columns(engine: Engine) -> None:
    """Add the term_hits columns of `_ADDED_HIT_COLUMNS` that an older database lacks."""
    present = {c["name"] for c in inspect(engine).get_columns("term_hits")}
    with engine.begin() as connection:
        for name, kind in _ADDED_HIT_COLUMNS.items():
            if name not in present:
                connection.execute(sql_text(f"ALTER TABLE term_hits ADD COLUMN {name} {kind}"))


class Store:
    """Opens (and creates) the database; hands out transactional sessions."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
                Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(url, future=True)
            if self.engine.dialect.name == "sqlite":
                event.listen(self.engine, "connect", _sqlite_pragmas)
            _create_tables(self.engine)
            _add_hit_columns(self.engine)
        except (SQLAlchemyError, OSError) as exc:
            raise FocuslexError("FX-DB-001", url=_safe_url(url), detail=str(exc)) from exc
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose work is committed at the end, or rolled back on any error. A
        SQLite database still locked by another process after the busy timeout is
        FX-DB-003 (nothing of this session is stored)."""
        try:
            with self._sessions() as session, session.begin():
                yield session
        except OperationalError as exc:
            if "locked" not in str(exc.orig) and "busy" not in str(exc.orig):
                raise
            raise FocuslexError("FX-DB-003", url=_safe_url(self.url),
                                seconds=BUSY_TIMEOUT_MS / 1000) from exc

    def close(self) -> None:
        self.engine.dispose()

    # documents -------------------------------------------------------------------------
    def has_document(self, content_hash: str) -> bool:
        with self.session() as s:
            return s.scalar(select(DocumentRow.id).where(
                DocumentRow.content_hash == content_hash)) is not None

    def document_id(self, content_hash: str) -> int | None:
        with self.session() as s:
            return s.scalar(select(DocumentRow.id).where(
                DocumentRow.content_hash == content_hash))

    def add_document(self, document: Document, speakers: dict[str, dict[str, str]]) -> int:
        """Store a pseudonymised document, its speakers and utterances in one transaction.

        `speakers` maps speaker code -> {role, group, organisation, region}."""
        try:
            with self.session() as s:
                rows = self._upsert_speakers(s, speakers)
                meta = document.meta
                row = DocumentRow(
                    content_hash=document.content_hash, file_name=document.file_name,
                    format=document.format, kind=meta.kind.value, focus_group=meta.focus_group,
                    round=meta.round, date=meta.date, prompt=meta.prompt,
                    organisation=meta.organisation, group=meta.group, title=meta.title,
                    header=document.header, text=document.text,
                    word_count=document.word_count)
                s.add(row)
                s.flush()
                # One executemany, not one ORM object per turn: linear and light for a
                # file with 100k turns.
                ids = {code: speaker.id for code, speaker in rows.items()}
                if document.utterances:
                    s.execute(insert(UtteranceRow), [
                        {"document_id": row.id, "idx": u.index, "text": u.text,
                         "char_start": u.char_start, "char_end": u.char_end,
                         "start_time": u.start, "end_time": u.end,
                         "speaker_id": ids.get(u.speaker_code) if u.speaker_code else None}
                        for u in document.utterances])
                return row.id
        except SQLAlchemyError as exc:
            raise FocuslexError("FX-DB-002", file=document.file_name, detail=str(exc.orig
                                if hasattr(exc, "orig") else exc)) from exc

    def upsert_speakers(self, speakers: dict[str, dict[str, str]]) -> None:
        with self.session() as s:
            self._upsert_speakers(s, speakers)

    @staticmethod
    def _upsert_speakers(s: Session, speakers: dict[str, dict[str, str]]) -> dict[str, SpeakerRow]:
        existing = {r.code: r for r in s.scalars(
            select(SpeakerRow).where(SpeakerRow.code.in_(list(speakers))))}
        for code, info in speakers.items():
            row = existing.get(code)
            if row is None:
                row = SpeakerRow(code=code, role=info.get("role", Role.PARTICIPANT.value))
                s.add(row)
                existing[code] = row
            # Sheet data wins over placeholders; never erase known values with blanks.
            for attr in ("role", "group", "organisation", "region"):
                value = info.get(attr) or ""
                if not value:
                    continue
                if attr == "group" and value == UNKNOWN_GROUP and row.group:
                    continue
                setattr(row, attr, value)
        s.flush()
        return existing

    # runs ------------------------------------------------------------------------------
    def start_run(self, command: str, details: dict[str, Any]) -> int:
        """Record a run as `running`, with this process (see `pipeline.store.runs`); runs
        of processes that died are marked `interrupted` first."""
        self.mark_interrupted_runs()
        details = {**details, "process": process_identity()}
        with self.session() as s:
            run = RunRow(command=command, details=json.loads(json.dumps(details, default=str)))
            s.add(run)
            s.flush()
            return run.id

    def finish_run(self, run_id: int, status: str, details: dict[str, Any]) -> None:
        with self.session() as s:
            run = s.get(RunRow, run_id)
            if run is None:
                return
            run.status = status
            run.finished_at = utc_now()
            run.details = {**(run.details or {}),
                           **json.loads(json.dumps(details, default=str))}

    def mark_interrupted_runs(self) -> list[int]:
        """Mark `interrupted` every `running` run whose process is gone (killed, crashed);
        returns their ids."""
        with self.session() as s:
            stale = [run for run in s.scalars(select(RunRow).where(RunRow.status == "running"))
                     if process_alive((run.details or {}).get("process")) is False]
            for run in stale:
                run.status = "interrupted"
                run.finished_at = utc_now()
            return [run.id for run in stale]

    def unfinished_runs(self) -> list[dict[str, Any]]:
        """Runs still `running` or `interrupted` (after marking the stale ones), oldest
        first: id, command, status, started_at (ISO)."""
        self.mark_interrupted_runs()
        with self.session() as s:
            runs = s.scalars(select(RunRow).where(RunRow.status.in_(("running", "interrupted")))
                             .order_by(RunRow.id))
            return [{"id": r.id, "command": r.command, "status": r.status,
                     "started_at": r.started_at.isoformat() if r.started_at else ""}
                    for r in runs]

    # term hits -------------------------------------------------------------------------
    def replace_term_hits(self, hits: Sequence[TermHit], run_id: int | None = None,
                          document_ids: Iterable[int] | None = None) -> int:
        """Replace the stored hits (of `document_ids`, or all) by `hits` in one transaction;
        returns the number stored."""
        rows = [{**{f: getattr(h, f) for f in TERM_HIT_FIELDS}, "run_id": run_id} for h in hits]
        with self.session() as s:
            query = delete(TermHitRow)
            if document_ids is not None:
                query = query.where(TermHitRow.document_id.in_(list(document_ids)))
            s.execute(query)
            if rows:
                s.execute(insert(TermHitRow), rows)
        return len(rows)

    def term_hits(self, term_id: str | None = None,
                  document_id: int | None = None) -> list[TermHit]:
        """Stored hits in document order, optionally of one term or one document."""
        with self.session() as s:
            query = select(TermHitRow).order_by(TermHitRow.document_id, TermHitRow.start)
            if term_id is not None:
                query = query.where(TermHitRow.term_id == term_id)
            if document_id is not None:
                query = query.where(TermHitRow.document_id == document_id)
            return [TermHit(**{f: getattr(r, f) for f in TERM_HIT_FIELDS})
                    for r in s.scalars(query)]

    def term_hit_records(self, term_id: str | None = None) -> list[dict[str, Any]]:
        """Stored hits as plain rows: every TermHit field plus `document` (the original file
        name), in document order. The shape of `focuslex terms export` and the hit frame."""
        with self.session() as s:
            query = (select(TermHitRow, DocumentRow.file_name)
                     .join(DocumentRow, TermHitRow.document_id == DocumentRow.id)
                     .order_by(DocumentRow.round, DocumentRow.file_name, TermHitRow.start))
            if term_id is not None:
                query = query.where(TermHitRow.term_id == term_id)
            return [{"document": name, **{f: getattr(r, f) for f in TERM_HIT_FIELDS}}
                    for r, name in s.execute(query).tuples()]

    def term_hit_count(self) -> int:
        with self.session() as s:
            return s.scalar(select(func.count(TermHitRow.id))) or 0

    def last_run(self, command: str) -> RunRow | None:
        """The latest finished run of `command` (its record: lexicon, model, settings)."""
        with self.session() as s:
            return s.scalar(select(RunRow).where(RunRow.command == command,
                                                 RunRow.status == "ok")
                            .order_by(RunRow.id.desc()).limit(1))

    # overview --------------------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        """Counts of what is stored: documents, speakers, words per group and per round."""
        with self.session() as s:
            docs = s.execute(select(DocumentRow.kind, DocumentRow.format,
                                    func.count(DocumentRow.id),
                                    func.sum(DocumentRow.word_count))
                             .group_by(DocumentRow.kind, DocumentRow.format)).all()
            speaker_count = s.scalar(select(func.count(SpeakerRow.id))) or 0
            speaking = s.scalar(select(func.count(func.distinct(UtteranceRow.speaker_id)))
                                .where(UtteranceRow.speaker_id.is_not(None))) or 0
            by_role = dict(s.execute(
                select(SpeakerRow.role, func.count(func.distinct(UtteranceRow.speaker_id)))
                .join(UtteranceRow, UtteranceRow.speaker_id == SpeakerRow.id)
                .group_by(SpeakerRow.role)).all())
            utterances = s.execute(select(UtteranceRow.text, SpeakerRow.group,
                                          DocumentRow.group, DocumentRow.round,
                                          DocumentRow.kind)
                                   .join(DocumentRow, UtteranceRow.document_id == DocumentRow.id)
                                   .outerjoin(SpeakerRow, UtteranceRow.speaker_id == SpeakerRow.id)
                                   ).all()
        by_group: dict[str, int] = {}
        by_round: dict[str, int] = {}
        for text, speaker_group, doc_group, rnd, _kind in utterances:
            words = len(text.split())
            group = speaker_group or doc_group or UNKNOWN_GROUP
            by_group[group] = by_group.get(group, 0) + words
            key = str(rnd) if rnd is not None else "zonder ronde"
            by_round[key] = by_round.get(key, 0) + words
        return {
            "documents": sum(n for _, _, n, _ in docs),
            "documents_by_kind": _sum_by(docs, 0),
            "documents_by_format": _sum_by(docs, 1),
            "words": sum(w or 0 for *_, w in docs),
            "speakers": speaker_count,
            "speakers_who_spoke": speaking,
            # Of those who spoke: participants and facilitators (issue 14).
            "participants_who_spoke": int(by_role.get("participant", 0)),
            "facilitators_who_spoke": int(by_role.get("facilitator", 0)),
            "words_by_group": dict(sorted(by_group.items())),
            "words_by_round": dict(sorted(by_round.items())),
            "unfinished_runs": self.unfinished_runs(),
        }

    def documents(self) -> list[DocumentRow]:
        with self.session() as s:
            return list(s.scalars(select(DocumentRow).order_by(DocumentRow.round,
                                                               DocumentRow.file_name)))

    def document_sizes(self) -> list[tuple[int, str, int]]:
        """(id, file name, word count) of every document in id order, without their text."""
        with self.session() as s:
            return [(int(i), name, int(words or 0)) for i, name, words in s.execute(
                select(DocumentRow.id, DocumentRow.file_name, DocumentRow.word_count)
                .order_by(DocumentRow.id))]

    def speakers(self) -> list[SpeakerRow]:
        with self.session() as s:
            return list(s.scalars(select(SpeakerRow).order_by(SpeakerRow.code)))

    def stored_utterances(self, document_ids: Iterable[int] | None = None
                          ) -> list[StoredUtterance]:
        """Every stored utterance (of `document_ids`, or all) in document order. The group is
        the speaker's stakeholder group, else the document's (a statement), else
        UNKNOWN_GROUP (as in `status`)."""
        query = (select(UtteranceRow.document_id, UtteranceRow.idx, UtteranceRow.text,
                        UtteranceRow.char_start, SpeakerRow.code, SpeakerRow.group,
                        DocumentRow.group, DocumentRow.round)
                 .join(DocumentRow, UtteranceRow.document_id == DocumentRow.id)
                 .outerjoin(SpeakerRow, UtteranceRow.speaker_id == SpeakerRow.id)
                 .order_by(UtteranceRow.document_id, UtteranceRow.idx))
        if document_ids is not None:
            query = query.where(UtteranceRow.document_id.in_(list(document_ids)))
        with self.session() as s:
            return [StoredUtterance(int(doc_id), int(idx), text, int(start), code,
                                    speaker_group or doc_group or UNKNOWN_GROUP, rnd)
                    for doc_id, idx, text, start, code, speaker_group, doc_group, rnd
                    in s.execute(query)]

    def utterances(self, document_id: int) -> list[tuple[UtteranceRow, SpeakerRow | None]]:
        with self.session() as s:
            return list(s.execute(select(UtteranceRow, SpeakerRow)
                                  .outerjoin(SpeakerRow, UtteranceRow.speaker_id == SpeakerRow.id)
                                  .where(UtteranceRow.document_id == document_id)
                                  .order_by(UtteranceRow.idx)).tuples())


def _sum_by(rows: list[Any], index: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for row in rows:
        out[row[index]] = out.get(row[index], 0) + row[2]
    return dict(sorted(out.items()))


def _safe_url(url: str) -> str:
    """Hide a password in a database URL."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url
