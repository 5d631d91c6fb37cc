"""The lexicon in the focuslex database: terms, append-only revisions, numbered releases.

Tables live on `pipeline.store.database.Base`, so one database holds everything. `LexiconStore(store)`
creates its own tables when they are missing (`create_all` only adds what is absent), so it
does not matter whether `lexicon.store` was imported before or after the `Store` was opened.

- Every change writes a revision: term, version, when (UTC ISO), by, action, why, the
  changed fields (old and new) and a snapshot of the entry after the change. Revisions and
  releases are never updated or deleted (the ORM refuses it; on SQLite triggers do too).
- Optimistic locking: a change names the version it was made on. If the stored version is
  newer the change is refused with FX-LEX-008, which carries both versions (`yours`,
  `stored`) and stores nothing. The version column is also the ORM's version counter, so two
  writers racing on the same version cannot both win.
- A release is a numbered snapshot of every term; two releases (or a release and the working
  version) can be diffed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import (JSON, DDL, Integer, String, Text, UniqueConstraint, event, func,
                        select)
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from lexicon.model import (CONTENT_FIELDS, FIELD_LABELS, Decision, Entry, Status,
                           allowed_transitions, changed_fields, content_of,
                           decision_to_dict, entry_from_dict, entry_to_dict, format_time,
                           matches, sort_entries, validate_lexicon)
from pipeline.core.errors import FocuslexError
from pipeline.store.database import Base, Store

# Fields a change may set; id and metadata (created/modified/by/version) belong to the store.
EDITABLE_FIELDS: tuple[str, ...] = CONTENT_FIELDS


class TermRow(Base):
    __tablename__ = "lexicon_terms"
    term_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    pref_label: Mapped[str] = mapped_column(String(300), index=True)
    status: Mapped[str] = mapped_column(String(30), index=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


class RevisionRow(Base):
    __tablename__ = "lexicon_revisions"
    __table_args__ = (UniqueConstraint("term_id", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    term_id: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[int] = mapped_column(Integer)
    at: Mapped[str] = mapped_column(String(40))
    by: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(30))
    why: Mapped[str] = mapped_column(Text)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)


class ReleaseRow(Base):
    __tablename__ = "lexicon_releases"
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(40))
    by: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    term_count: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


LEXICON_TABLES = [TermRow.__table__, RevisionRow.__table__, ReleaseRow.__table__]


def _refuse_change(_mapper: Any, _connection: Any, target: Any) -> None:
    raise PermissionError(f"{type(target).__name__} rows are append-only")


for _row_class in (RevisionRow, ReleaseRow):
    event.listen(_row_class, "before_update", _refuse_change)
    event.listen(_row_class, "before_delete", _refuse_change)
    for _verb in ("UPDATE", "DELETE"):
        _table = _row_class.__tablename__
        event.listen(_row_class.__table__, "after_create", DDL(
            f"CREATE TRIGGER IF NOT EXISTS {_table}_no_{_verb.lower()} BEFORE {_verb} ON {_table} "
            f"BEGIN SELECT RAISE(ABORT, '{_table} is append-only'); END").execute_if(
                dialect="sqlite"))


@dataclass(frozen=True)
class Revision:
    term_id: str
    version: int
    at: str
    by: str
    action: str
    why: str
    changes: dict[str, list[Any]]

    def summary(self) -> str:
        """One Dutch line: when, who, what, why (also used as skos:changeNote)."""
        if "id" in self.changes:
            fields = "nieuwe term"
        else:
            fields = ", ".join(FIELD_LABELS.get(f, f) for f in self.changes) or "geen velden"
        return (f"Versie {self.version}, {self.at}, door {self.by} ({ACTION_LABELS.get(self.action, self.action)}): "
                f"{self.why} [{fields}]")


ACTION_LABELS = {"import": "import", "create": "nieuw", "update": "bewerking",
                 "status": "status", "decision": "besluit"}


@dataclass(frozen=True)
class ReleaseInfo:
    number: int
    at: str
    by: str
    note: str
    term_count: int


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


@dataclass
class LexiconDiff:
    old: str
    new: str
    added: list[Entry] = field(default_factory=list)
    removed: list[Entry] = field(default_factory=list)
    changed: dict[str, dict[str, list[Any]]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _require(by: str, why: str) -> tuple[str, str]:
    missing = [name for name, value in (("je naam", by), ("een reden", why))
               if not (value or "").strip()]
    if missing:
        raise FocuslexError("FX-LEX-016", missing=" en ".join(missing))
    return by.strip(), why.strip()


def _parse_status(value: str | Status) -> Status:
    try:
        return Status(value)
    except ValueError as exc:
        raise FocuslexError("FX-LEX-005", value=value,
                            allowed=", ".join(s.value for s in Status)) from exc


def describe_differences(yours: Entry, stored: Entry) -> str:
    """Dutch text: every content field in which two versions differ, both values shown."""
    lines = []
    for name, (theirs, mine) in changed_fields(stored, yours).items():
        lines.append(f"  {FIELD_LABELS.get(name, name)}:\n"
                     f"    jouw versie:       {_show(mine)}\n"
                     f"    opgeslagen versie: {_show(theirs)}")
    return ("\n".join(lines) or "  (geen inhoudelijke verschillen)") + "\n"


def _show(value: Any) -> str:
    if value is None or value == [] or value == "":
        return "(leeg)"
    if isinstance(value, list):
        return ", ".join(_show(v) if isinstance(v, (dict, list)) else str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_show(v)}" for k, v in value.items())
    return str(value)


class LexiconStore:
    """The lexicon API over a `Store`: read, import, change, release, diff."""

    def __init__(self, store: Store,
                 clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc)
                 ) -> None:
        self.store = store
        self._clock = clock
        Base.metadata.create_all(store.engine, tables=LEXICON_TABLES)

    def _now(self) -> str:
        return format_time(self._clock())

    # reading ---------------------------------------------------------------------------
    @staticmethod
    def _entry(row: TermRow) -> Entry:
        return entry_from_dict(row.data, f"database ({row.term_id})")

    def _all(self, s: Session) -> dict[str, TermRow]:
        return {r.term_id: r for r in s.scalars(select(TermRow))}

    def list(self, *, query: str = "", statuses: Iterable[str] = (),
             sensitivities: Iterable[str] = (), activities: Iterable[str] = ()) -> list[Entry]:
        """All terms sorted by preferred label, optionally filtered and searched (the search
        covers every label, hidden ones included, the definition and the scope note)."""
        with self.store.session() as s:
            entries = [self._entry(r) for r in s.scalars(select(TermRow))]
        statuses, sensitivities, activities = set(statuses), set(sensitivities), set(activities)
        out = [e for e in entries
               if (not statuses or e.status.value in statuses)
               and (not sensitivities or e.sensitivity.value in sensitivities)
               and (not activities or activities & set(e.activities))
               and matches(e, query)]
        return sorted(out, key=lambda e: (e.label.casefold(), e.id))

    def count(self) -> int:
        with self.store.session() as s:
            return s.scalar(select(func.count()).select_from(TermRow)) or 0

    def find(self, term_id: str) -> Entry | None:
        with self.store.session() as s:
            row = s.get(TermRow, term_id)
            return self._entry(row) if row else None

    def get(self, term_id: str) -> Entry:
        entry = self.find(term_id)
        if entry is None:
            raise FocuslexError("FX-LEX-009", term=term_id)
        return entry

    def history(self, term_id: str) -> list[Revision]:
        """Revisions of a term, oldest first."""
        with self.store.session() as s:
            rows = s.scalars(select(RevisionRow).where(RevisionRow.term_id == term_id)
                             .order_by(RevisionRow.version, RevisionRow.id))
            return [Revision(r.term_id, r.version, r.at, r.by, r.action, r.why,
                             dict(r.changes or {})) for r in rows]

    def version_entry(self, term_id: str, version: int) -> Entry | None:
        """The term as it was at `version` (from the revision snapshots)."""
        with self.store.session() as s:
            row = s.scalar(select(RevisionRow).where(RevisionRow.term_id == term_id,
                                                     RevisionRow.version == version))
            return entry_from_dict(row.snapshot, "revisie") if row else None

    def change_notes(self) -> dict[str, list[str]]:
        """term id -> one line per revision (for skos:changeNote)."""
        with self.store.session() as s:
            rows = s.scalars(select(RevisionRow).order_by(RevisionRow.term_id,
                                                          RevisionRow.version))
            out: dict[str, list[str]] = {}
            for r in rows:
                revision = Revision(r.term_id, r.version, r.at, r.by, r.action, r.why,
                                    dict(r.changes or {}))
                out.setdefault(r.term_id, []).append(revision.summary())
            return out

    # writing ---------------------------------------------------------------------------
    @staticmethod
    def _write(s: Session, row: TermRow | None, entry: Entry, by: str, why: str,
               action: str, changes: Mapping[str, list[Any]], at: str) -> None:
        data = entry_to_dict(entry)
        if row is None:
            s.add(TermRow(term_id=entry.id, pref_label=entry.label, status=entry.status.value,
                          version=entry.version, data=data))
        else:
            row.pref_label = entry.label
            row.status = entry.status.value
            row.data = data
            row.version = entry.version
        s.add(RevisionRow(term_id=entry.id, version=entry.version, at=at,
                          by=by, action=action, why=why, changes=dict(changes), snapshot=data))

    def import_entries(self, entries: Sequence[Entry], by: str, why: str) -> ImportReport:
        """Add new terms and update changed ones, all or nothing.

        A new term keeps its metadata (created/modified/by/version), so a YAML export imported
        into an empty database exports identically. A changed term must carry the stored
        version (else FX-LEX-008) and gets version + 1."""
        by, why = _require(by, why)
        validate_lexicon(entries, "import")
        report = ImportReport()
        now = self._now()
        try:
            with self.store.session() as s:
                rows = self._all(s)
                current = {i: self._entry(r) for i, r in rows.items()}
                merged = dict(current)
                plans: list[tuple[Entry, Entry | None]] = []
                for entry in entries:
                    old = current.get(entry.id)
                    if old is None:
                        new = entry.with_metadata(
                            created=entry.created or now, created_by=entry.created_by or by,
                            modified=entry.modified or entry.created or now,
                            modified_by=entry.modified_by or entry.created_by or by)
                    elif content_of(old) == content_of(entry):
                        report.unchanged.append(entry.id)
                        continue
                    else:
                        if entry.version != old.version:
                            raise self._conflict(entry, old, entry.version)
                        new = entry.with_metadata(created=old.created, created_by=old.created_by,
                                                  modified=now, modified_by=by,
                                                  version=old.version + 1)
                    merged[entry.id] = new
                    plans.append((new, old))
                validate_lexicon(list(merged.values()), "import")
                for new, old in plans:
                    self._write(s, rows.get(new.id), new, by, why, "import",
                                changed_fields(old, new), now)
                    (report.updated if old else report.created).append(new.id)
        except (StaleDataError, IntegrityError) as exc:  # another writer committed first
            raise self._race(entries[0].id if entries else "?") from exc
        return report

    def create(self, raw: Mapping[str, Any] | Entry, by: str, why: str) -> Entry:
        """Add a new term; it starts as 'voorstel' at version 1."""
        by, why = _require(by, why)
        data = entry_to_dict(raw) if isinstance(raw, Entry) else dict(raw)
        now = self._now()
        data.update(status=Status.VOORSTEL.value, created=now, created_by=by, modified=now,
                    modified_by=by, version=1)
        data.pop("replaced_by", None)
        entry = entry_from_dict(data, "nieuwe term")
        try:
            with self.store.session() as s:
                rows = self._all(s)
                if entry.id in rows:
                    raise FocuslexError("FX-LEX-013", term=entry.id)
                validate_lexicon([*[self._entry(r) for r in rows.values()], entry], "lexicon")
                self._write(s, None, entry, by, why, "create", changed_fields(None, entry), now)
        except IntegrityError as exc:  # created at the same moment by someone else
            raise FocuslexError("FX-LEX-013", term=entry.id) from exc
        return entry

    def update(self, term_id: str, changes: Mapping[str, Any], expected_version: int,
               by: str, why: str, *, action: str = "update") -> Entry:
        """Apply `changes` (field -> new value, in the plain YAML form) to the version the
        user started from. Refused with FX-LEX-008 when the stored version is newer; a status
        change must follow the workflow; an unchanged result stores nothing."""
        by, why = _require(by, why)
        for name in changes:
            if name not in EDITABLE_FIELDS:
                raise FocuslexError("FX-LEX-015", field=name, fields=", ".join(EDITABLE_FIELDS))
        now = self._now()
        try:
            with self.store.session() as s:
                rows = self._all(s)
                row = rows.get(term_id)
                if row is None:
                    raise FocuslexError("FX-LEX-009", term=term_id)
                old = self._entry(row)
                if old.version != expected_version:
                    base = self._version_in(s, term_id, expected_version) or old
                    yours = self._apply(base, changes, now, by)
                    raise self._conflict(yours, old, expected_version)
                new = self._apply(old, changes, now, by)
                if content_of(new) == content_of(old):
                    return old
                self._check_status(old, new)
                others = [self._entry(r) for i, r in rows.items() if i != term_id]
                validate_lexicon([*others, new], "lexicon")
                self._write(s, row, new, by, why, action, changed_fields(old, new), now)
                return new
        except (StaleDataError, IntegrityError) as exc:  # another writer committed first
            raise self._race(term_id, self._yours(term_id, changes, expected_version, now, by)) from exc

    def set_status(self, term_id: str, status: str | Status, expected_version: int, by: str,
                   why: str, replaced_by: str | None = None) -> Entry:
        """Move a term along the workflow; 'afgeraden' needs a replacement term."""
        new_status = _parse_status(status)
        current = self.get(term_id)
        if current.version == expected_version and new_status is not current.status:
            self._check_status(current, replace(current, status=new_status))
        changes: dict[str, Any] = {"status": new_status.value}
        if new_status is Status.AFGERADEN:
            if not replaced_by:
                raise FocuslexError("FX-LEX-007", term=term_id)
            changes["replaced_by"] = replaced_by
        else:
            changes["replaced_by"] = None
        return self.update(term_id, changes, expected_version, by, why, action="status")

    def record_decision(self, term_id: str, decision: Decision | Mapping[str, Any],
                        expected_version: int, by: str, why: str) -> Entry:
        """Record the committee's decision (date, meeting, rationale, dissent)."""
        data = decision_to_dict(decision) if isinstance(decision, Decision) else dict(decision)
        return self.update(term_id, {"decision": data}, expected_version, by, why,
                           action="decision")

    # helpers ---------------------------------------------------------------------------
    @staticmethod
    def _apply(base: Entry, changes: Mapping[str, Any], now: str, by: str) -> Entry:
        data = entry_to_dict(base)
        for name, value in changes.items():
            if value is None or value == "" or value == []:
                data.pop(name, None)
            else:
                data[name] = value
        data.update(modified=now, modified_by=by, version=base.version + 1)
        return entry_from_dict(data, base.id)

    @staticmethod
    def _check_status(old: Entry, new: Entry) -> None:
        if new.status is old.status:
            return
        allowed = allowed_transitions(old.status)
        if new.status not in allowed:
            raise FocuslexError("FX-LEX-006", term=old.id, old=old.status.value,
                                new=new.status.value,
                                allowed=", ".join(s.value for s in allowed))

    @staticmethod
    def _version_in(s: Session, term_id: str, version: int) -> Entry | None:
        row = s.scalar(select(RevisionRow).where(RevisionRow.term_id == term_id,
                                                 RevisionRow.version == version))
        return entry_from_dict(row.snapshot, "revisie") if row else None

    @staticmethod
    def _conflict(yours: Entry, stored: Entry, expected: int) -> FocuslexError:
        return FocuslexError("FX-LEX-008", term=stored.id, expected=expected,
                             current=stored.version, by=stored.modified_by or "?",
                             when=stored.modified or "?",
                             detail=describe_differences(yours, stored),
                             yours=yours, stored=stored)

    def _yours(self, term_id: str, changes: Mapping[str, Any], expected_version: int,
               now: str, by: str) -> Entry | None:
        """The writer's own version of a term whose save lost a race: its changes applied
        to the version it started from (kept in the conflict, so no text is lost)."""
        base = self.version_entry(term_id, expected_version) or self.find(term_id)
        return self._apply(base, changes, now, by) if base is not None else None

    def _race(self, term_id: str, yours: Entry | None = None) -> FocuslexError:
        """FX-LEX-008 for a save that lost a race with another writer on the same version."""
        stored = self.get(term_id)
        detail = "  (iemand anders sloeg tegelijk een wijziging op)\n"
        if yours is not None:
            detail = describe_differences(yours, stored) or detail
        return FocuslexError("FX-LEX-008", term=term_id, expected=stored.version - 1,
                             current=stored.version, by=stored.modified_by or "?",
                             when=stored.modified or "?", detail=detail,
                             yours=yours, stored=stored)

    # releases --------------------------------------------------------------------------
    def release(self, by: str, note: str = "") -> ReleaseInfo:
        """Freeze the current lexicon as the next numbered release."""
        if not (by or "").strip():
            raise FocuslexError("FX-LEX-016", missing="je naam")
        by = by.strip()
        with self.store.session() as s:
            entries = sort_entries(self._entry(r) for r in s.scalars(select(TermRow)))
            if not entries:
                raise FocuslexError("FX-LEX-018")
            number = (s.scalar(select(func.max(ReleaseRow.number))) or 0) + 1
            row = ReleaseRow(number=number, at=self._now(), by=by, note=note.strip(),
                             term_count=len(entries),
                             snapshot=[entry_to_dict(e) for e in entries])
            s.add(row)
            return ReleaseInfo(number, row.at, row.by, row.note, row.term_count)

    def releases(self) -> list[ReleaseInfo]:
        with self.store.session() as s:
            rows = s.execute(select(ReleaseRow.number, ReleaseRow.at, ReleaseRow.by,
                                    ReleaseRow.note, ReleaseRow.term_count)
                             .order_by(ReleaseRow.number)).all()
            return [ReleaseInfo(*r) for r in rows]

    def latest_release(self) -> int | None:
        with self.store.session() as s:
            return s.scalar(select(func.max(ReleaseRow.number)))

    def release_entries(self, number: int) -> list[Entry]:
        with self.store.session() as s:
            row = s.get(ReleaseRow, number)
            if row is None:
                raise FocuslexError("FX-LEX-012", number=number)
            return [entry_from_dict(d, f"release {number}") for d in row.snapshot]

    def diff(self, old: int, new: int | None = None) -> LexiconDiff:
        """What changed from release `old` to release `new` (None: the working version)."""
        before = {e.id: e for e in self.release_entries(old)}
        after = {e.id: e for e in (self.release_entries(new) if new is not None
                                   else self.list())}
        out = LexiconDiff(old=f"release {old}",
                          new=f"release {new}" if new is not None else "werkversie")
        out.added = sort_entries(e for i, e in after.items() if i not in before)
        out.removed = sort_entries(e for i, e in before.items() if i not in after)
        for term_id in sorted(set(before) & set(after)):
            changes = changed_fields(before[term_id], after[term_id])
            if changes:
                out.changed[term_id] = changes
        return out
