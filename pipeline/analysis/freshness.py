"""Whether the results a page shows are up to date: term hits, topics, activity suggestions,
and the pages that combine them (report, overview).

A result is stale when something it depends on changed after the run that made it started:
- term hits (`focuslex analyse`): a new upload, a review decision that changed stored texts
  (a `review` run), a lexicon edit (a revision) or a lexicon release;
- topics and activity suggestions: a new upload or a review decision (the lexicon does not
  change them).
A result that was never made while documents are stored is stale too. `freshness` says so
with one Dutch sentence and the parts to run again (`Freshness.parts`); the app shows it as
a banner with a button (`pipeline.activities.refresh.refresh_results`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from lexicon.store import ReleaseRow, RevisionRow
from pipeline.core.formats import format_datetime
from pipeline.store.database import DocumentRow, RunRow, Store

# The parts of the analysis, the run command that makes each, and their Dutch name.
PARTS: dict[str, tuple[str, str]] = {
    "terms": ("analyse", "de termgebruiken"),
    "topics": ("topics", "de onderwerpen"),
    "activities": ("activities", "de voorgestelde activiteiten"),
}
# What each page shows.
PAGE_PARTS: dict[str, tuple[str, ...]] = {
    "terms": ("terms",), "topics": ("topics",), "activities": ("activities",),
    "report": ("terms", "topics", "activities"), "overview": ("terms", "topics", "activities"),
    "documents": ("terms",),  # the reader marks the term hits
}
# Which changes make which part stale.
DEPENDS: dict[str, tuple[str, ...]] = {
    "terms": ("upload", "review", "lexicon", "release"),
    "topics": ("upload", "review"), "activities": ("upload", "review"),
}
CHANGE_WORDS = {"upload": "de laatste upload", "review": "het laatste nakijken van namen",
                "lexicon": "de laatste wijziging in het lexicon",
                "release": "de laatste lexiconversie"}


@dataclass(frozen=True)
class Freshness:
    """`parts`: the parts to run again (empty: up to date); `sentence`: why, in Dutch."""

    page: str
    parts: tuple[str, ...]
    sentence: str
    missing: tuple[str, ...] = ()  # the parts never made (a subset of `parts`)

    @property
    def stale(self) -> bool:
        return bool(self.parts)


def _utc(value: dt.datetime | str | None) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class _Change:
    """The last change of one kind: its order key (run id, revision id or release number)
    and when it happened."""

    key: int
    at: dt.datetime | None


def last_changes(store: Store) -> dict[str, _Change]:
    """The last upload that stored something, review decision that changed texts, lexicon
    revision and lexicon release."""
    found: dict[str, _Change] = {}
    with store.session() as s:
        for run in s.scalars(select(RunRow).where(RunRow.command == "ingest")
                             .order_by(RunRow.id.desc())):
            if int((run.details or {}).get("stored") or 0) > 0:
                found["upload"] = _Change(run.id, _utc(run.finished_at))
                break
        review = s.scalar(select(RunRow).where(RunRow.command == "review", RunRow.status == "ok")
                          .order_by(RunRow.id.desc()).limit(1))
        if review is not None:
            found["review"] = _Change(review.id, _utc(review.finished_at))
        revision = s.execute(select(RevisionRow.id, RevisionRow.at)
                             .order_by(RevisionRow.id.desc()).limit(1)).first()
        if revision is not None:
            found["lexicon"] = _Change(revision[0], _utc(revision[1]))
        release = s.execute(select(ReleaseRow.number, ReleaseRow.at)
                            .order_by(ReleaseRow.number.desc()).limit(1)).first()
        if release is not None:
            found["release"] = _Change(release[0], _utc(release[1]))
        if s.scalar(select(func.count(DocumentRow.id))) and "upload" not in found:
            found["upload"] = _Change(0, None)  # stored before runs were recorded
    return found


def _newer(change: str, last: _Change, run: RunRow) -> bool:
    """Whether `last` (a change of kind `change`) came after the run `run` started."""
    details = run.details or {}
    if change == "lexicon":
        seen = details.get("lexicon_revision")
        if seen is None:  # recorded before revisions were: by time (to the second)
            started = _utc(run.started_at)
            return last.at is not None and started is not None and \
                last.at > started.replace(microsecond=0)
        return last.key > int(seen)
    if change == "release":
        return last.key != (details.get("lexicon") or {}).get("release")
    return last.key > run.id


def _last_run(store: Store, command: str) -> RunRow | None:
    """The latest run of `command` that finished: 'ok', or 'skipped' (topics on too few
    units: nothing to show, but nothing to refresh either until something changes)."""
    with store.session() as s:
        return s.scalar(select(RunRow).where(RunRow.command == command,
                                             RunRow.status.in_(("ok", "skipped")))
                        .order_by(RunRow.id.desc()).limit(1))


def freshness(store: Store, page: str) -> Freshness:
    """Whether the results `page` ('terms', 'topics', 'activities', 'report', 'overview',
    'documents') shows predate the last upload, review decision, lexicon edit or release."""
    changes = last_changes(store)
    if "upload" not in changes:  # nothing stored: nothing to be stale
        return Freshness(page, (), "")
    stale: list[str] = []
    reasons: list[str] = []
    never: list[str] = []
    for part in PAGE_PARTS[page]:
        run = _last_run(store, PARTS[part][0])
        if run is None:
            never.append(part)
            continue
        newer = [c for c in DEPENDS[part] if c in changes and _newer(c, changes[c], run)]
        if newer:
            stale.append(part)
            reasons += [c for c in newer if c not in reasons]
    return Freshness(page, tuple(never + stale), _sentence(never, stale, reasons, changes),
                     tuple(never))


def _sentence(never: list[str], stale: list[str], reasons: list[str],
              changes: dict[str, _Change]) -> str:
    parts: list[str] = []
    if never:
        parts.append(f"{_join([PARTS[p][1] for p in never]).capitalize()} zijn nog niet "
                     "berekend voor wat opgeslagen is.")
    if stale:
        because = _join([CHANGE_WORDS[c] + (f" ({format_datetime(changes[c].at)})"
                                             if changes[c].at else "") for c in reasons])
        parts.append(f"{_join([PARTS[p][1] for p in stale]).capitalize()} zijn van vóór "
                     f"{because}.")
    if parts:
        parts.append("Werk ze bij om de nieuwe stand te zien.")
    return " ".join(parts)


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " en " + words[-1]
