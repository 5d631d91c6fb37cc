"""Everything a report is built from, loaded once: `load_context(store, settings, options)`.

The context holds the selection (groups, rounds, terms), the stored hits of the last analysis
narrowed to it, the stored utterances and documents in it, word counts per group and round,
the lexicon entries of the chosen release (default: the latest release; without releases the
working version), and the records of the analysis and ingest runs. Section builders
(`pipeline.reports.build.SECTIONS`) read it and never touch the store themselves, except
sections over tables of their own area (topics, activities), which get `store` for that.

Group and round names are the keys of `pipeline.analysis.comparison` (rounds '1', '2', ...,
'zonder ronde' for statements without a round).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import func, select

from lexicon.model import Entry
from lexicon.store import LexiconStore, RevisionRow
from pipeline.analysis.comparison import round_key, word_counts
from pipeline.analysis.concordance import document_texts, filter_hits, load_hits, resolve_term
from pipeline.core.errors import FocuslexError
from pipeline.core.records import StoredUtterance
from pipeline.core.settings import Settings
from pipeline.reports.model import Section
from pipeline.terms.run import lexicon_revision
from pipeline.store.database import DocumentRow, RunRow, SpeakerRow, Store


@dataclass(frozen=True)
class ReportOptions:
    """What the user asked for. Empty tuples mean: everything. `release` None: the latest
    release. `unconfirmed`: also show activity suggestions nobody confirmed yet (marked).
    `released_only`: the user may read only the agreed lexicon (a viewer), so the report
    quotes a release and never the working version (FX-REP-010 when there is none)."""

    groups: tuple[str, ...] = ()
    rounds: tuple[int, ...] = ()
    terms: tuple[str, ...] = ()
    release: int | None = None
    unconfirmed: bool = False
    released_only: bool = False
    author: str = ""
    created: dt.datetime | None = None

    def selection(self) -> dict[str, Any]:
        return {"groups": list(self.groups), "rounds": list(self.rounds),
                "terms": list(self.terms), "release": self.release,
                "unconfirmed": self.unconfirmed}


@dataclass(frozen=True)
class LexiconSource:
    """The lexicon a report quotes definitions from."""

    entries: dict[str, Entry]
    release: int | None
    released_at: str = ""
    released_by: str = ""
    note: str = ""

    @property
    def name(self) -> str:
        return f"release {self.release}" if self.release is not None else "werkversie"


@dataclass
class ReportContext:
    """The loaded data of one report. `sections` holds the sections built so far, in order
    (`build_report` appends each one), so a later builder (the methods annex) can see which
    sections the report has."""

    settings: Settings
    options: ReportOptions
    store: Store
    created: dt.datetime
    hits: pd.DataFrame
    utterances: list[StoredUtterance]
    documents: list[DocumentRow]
    speakers: dict[str, SpeakerRow]
    counts: pd.DataFrame
    texts: dict[int, str]
    lexicon: LexiconSource
    term_ids: list[str]
    analysis_run: RunRow | None
    ingest_runs: list[RunRow]
    # when the lexicon last changed (a revision, UTC ISO), to tell whether it changed since
    # the analysis that found the hits
    lexicon_changed_at: str = ""
    lexicon_revision: int = 0   # the id of the latest lexicon revision (0 without any)
    sections: list[Section] = field(default_factory=list)

    def label(self, term_id: str) -> str:
        entry = self.lexicon.entries.get(term_id)
        if entry is not None:
            return entry.label
        rows = self.hits.loc[self.hits["term_id"] == term_id, "label"]
        return str(rows.iloc[0]) if len(rows) else term_id

    def has_section(self, key: str) -> bool:
        return any(s.key == key for s in self.sections)


def load_lexicon(store: Store, release: int | None,
                 released_only: bool = False) -> LexiconSource:
    """Entries of release `release` (FX-LEX-012 when unknown), else of the latest release,
    else the working version (possibly empty; FX-REP-010 when `released_only`)."""
    lexicon = LexiconStore(store)
    number = release if release is not None else lexicon.latest_release()
    if number is None:
        if released_only:
            raise FocuslexError("FX-REP-010")
        return LexiconSource({e.id: e for e in lexicon.list()}, None)
    entries = lexicon.release_entries(number)  # FX-LEX-012 when it does not exist
    info = next(r for r in lexicon.releases() if r.number == number)
    return LexiconSource({e.id: e for e in entries}, number, info.at, info.by, info.note)


def _check_choice(asked: Sequence[str], known: Sequence[str], code: str) -> None:
    unknown = [a for a in asked if a not in known]
    if unknown:
        raise FocuslexError(code, values=", ".join(unknown),
                            choices=", ".join(known) or "geen")


def _selected_utterances(utterances: list[StoredUtterance], options: ReportOptions
                         ) -> list[StoredUtterance]:
    groups = sorted({u.group for u in utterances}, key=str.casefold)
    rounds = sorted({u.round for u in utterances if u.round is not None})
    _check_choice(options.groups, groups, "FX-REP-006")
    _check_choice([str(r) for r in options.rounds], [str(r) for r in rounds], "FX-REP-007")
    return [u for u in utterances
            if (not options.groups or u.group in options.groups)
            and (not options.rounds or u.round in options.rounds)]


def _term_ids(hits: pd.DataFrame, options: ReportOptions, lexicon: LexiconSource
              ) -> list[str]:
    """The terms of the report: those asked for (ids or labels), else every term used in the
    selection; most used first, then by label."""
    labels = {i: e.label for i, e in lexicon.entries.items()}
    labels.update({t: lab for t, lab in zip(hits["term_id"], hits["label"])
                   if t not in labels})
    if options.terms:
        return list(dict.fromkeys(resolve_term(t, labels) for t in options.terms))
    counts = hits["term_id"].value_counts()
    return sorted(counts.index, key=lambda t: (-int(counts[t]), labels.get(t, t).casefold(), t))


def _selection_text(options: ReportOptions) -> str:
    parts = []
    if options.groups:
        parts.append("groepen " + ", ".join(options.groups))
    if options.rounds:
        parts.append("rondes " + ", ".join(map(str, options.rounds)))
    if options.terms:
        parts.append("termen " + ", ".join(options.terms))
    return "; ".join(parts) or "alles"


def last_lexicon_change(store: Store) -> str:
    """The time of the latest lexicon revision ('' without any)."""
    with store.session() as s:
        return s.scalar(select(func.max(RevisionRow.at))) or ""


def _runs(store: Store, command: str) -> list[RunRow]:
    with store.session() as s:
        return list(s.scalars(select(RunRow).where(RunRow.command == command)
                              .order_by(RunRow.id)))


def load_context(store: Store, settings: Settings, options: ReportOptions) -> ReportContext:
    """Load and narrow everything a report needs. FX-REP-001 when nothing is stored,
    FX-REP-002 when no analysis ran, FX-REP-006/007 for an unknown group or round,
    FX-TRM-050 for an unknown term, FX-REP-008 when the selection has no term use."""
    utterances = store.stored_utterances()
    if not utterances:
        raise FocuslexError("FX-REP-001")
    analysis = store.last_run("analyse")
    hits = load_hits(store)
    if analysis is None and not len(hits):
        raise FocuslexError("FX-REP-002")
    chosen = _selected_utterances(utterances, options)
    lexicon = load_lexicon(store, options.release, options.released_only)
    hits = filter_hits(hits, group=list(options.groups) or None,
                       round=list(options.rounds) or None)
    term_ids = _term_ids(hits, options, lexicon)
    hits = filter_hits(hits, term=term_ids)
    if not len(hits):
        raise FocuslexError("FX-REP-008", selection=_selection_text(options))
    doc_ids = {u.document_id for u in chosen}
    documents = [d for d in store.documents() if d.id in doc_ids]
    created = options.created or dt.datetime.now(dt.timezone.utc)
    return ReportContext(
        settings=settings, options=options, store=store, created=created,
        hits=hits.reset_index(drop=True), utterances=chosen, documents=documents,
        speakers={s.code: s for s in store.speakers()}, counts=word_counts(chosen),
        texts=document_texts(store, hits["document_id"].unique()), lexicon=lexicon,
        term_ids=term_ids, analysis_run=analysis, ingest_runs=_runs(store, "ingest"),
        lexicon_changed_at=last_lexicon_change(store),
        lexicon_revision=lexicon_revision(store))


def round_label(value: object) -> str:
    """'ronde 2', or 'zonder ronde'."""
    key = round_key(value)
    return f"ronde {key}" if key.isdigit() else key
