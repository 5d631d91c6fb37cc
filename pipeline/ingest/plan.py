"""Upload as a checked step: read every file without storing anything, show one row per file,
let the facilitator correct it, then ingest the corrected plan.

`plan_upload` reads each file (nothing is stored, nothing is pseudonymised yet) and returns a
`PlannedFile` per file: detected kind and format, round, date, question, focus group (from
the header block, from `documents.csv` when given, which wins; values the user gave for all
files win over both), speakers found and how many are on the participants sheet, and Dutch
warnings. `correct` applies a facilitator's correction to one row; `ingest_plan` stores the
plan through the ingest service, each file with its own metadata.

Privacy: `PlannedFile.unmatched_labels` holds real speaker labels, so that the facilitator
can see which labels of their own upload are missing from the sheet. It lives in memory
only: never store it, log it or put it in a warning. Warnings hold counts, never names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
import hashlib
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from pipeline.core.errors import FocuslexError
from pipeline.core.formats import count_noun, format_date, format_int, parse_date
from pipeline.core.records import KIND_LABELS, DocumentMeta, Kind, Participant, ParsedFile
from pipeline.core.settings import Settings
from pipeline.core.text import normalise_label
from pipeline.ingest.header import header_fields, parse_round
from pipeline.ingest.readers import SUPPORTED, SourceFile, read_source
from pipeline.ingest.sheets import parse_documents_sheet, parse_participants
from pipeline.ingest.service import (FileOutcome, IngestReport, IngestRequest, Ingestor,
                                     content_hash, safe_file_name)
from pipeline.store.database import Store

# Where a value of the plan came from (shown beside it).
FROM_HEADER = "kop"
FROM_SHEET = "documents.csv"
FROM_USER = "opgegeven"
FROM_CORRECTION = "aangepast"
META_FIELDS = ("kind", "round", "date", "prompt", "focus_group", "group", "organisation",
               "title")
KIND_WORDS = {"transcript": Kind.TRANSCRIPT, "gesprek": Kind.TRANSCRIPT,
              "statement": Kind.STATEMENT, "verklaring": Kind.STATEMENT}


@dataclass(frozen=True)
class PlannedFile:
    """One row of the check table. `meta` is what will be stored (pseudonymised at ingest);
    `origin` says per field where its value came from (FROM_* constants)."""

    source: SourceFile
    meta: DocumentMeta
    format: str = ""
    detected_kind: Kind | None = None
    origin: Mapping[str, str] = field(default_factory=dict)
    turns: int = 0
    words: int = 0
    speakers: int = 0
    matched: int = 0
    unmatched_labels: tuple[str, ...] = ()  # real labels: for the uploader's eyes only
    warnings: tuple[str, ...] = ()
    error: FocuslexError | None = None
    duplicate_of: int | None = None
    has_sheet: bool = False  # a participants sheet was given
    auto_kind: bool = False  # the kind was detected, nobody chose it

    @property
    def name(self) -> str:
        return self.source.name

    @property
    def unmatched(self) -> int:
        return len(self.unmatched_labels)

    @property
    def ok(self) -> bool:
        """Whether ingesting this row can store something (no error, not stored before)."""
        return self.error is None and self.duplicate_of is None


def plan_upload(files: Sequence[SourceFile], participants: Sequence[Participant] | None,
                settings: Settings, *, documents: Mapping[str, DocumentMeta] | None = None,
                given: DocumentMeta | None = None, kind: Kind | None = None,
                store: Store | None = None) -> list[PlannedFile]:
    """Read every file (nothing stored) into a plan, one row per file, in the given order.

    `documents`: the rows of a documents.csv (file name, with or without folder -> meta).
    `given`: values the user set for every file; its fields that differ from the defaults
    win. `kind`: read every file as this kind; without it a file without speakers is
    planned as a statement (with a warning). `store`: to say which files are stored already."""
    documents = documents or {}
    by_base = {name.replace("\\", "/").rsplit("/", 1)[-1]: meta for name, meta in documents.items()}
    requests = [IngestRequest(f, documents.get(f.name) or by_base.get(f.name) or DocumentMeta())
                for f in files]
    from_sheet = [f.name in documents or f.name in by_base for f in files]
    return plan_requests(requests, participants, settings, given=given, kind=kind,
                         store=store, from_sheet=from_sheet)


def plan_requests(requests: Sequence[IngestRequest],
                  participants: Sequence[Participant] | None, settings: Settings, *,
                  given: DocumentMeta | None = None, kind: Kind | None = None,
                  store: Store | None = None, from_sheet: Sequence[bool] | None = None,
                  detect_kind: bool = True) -> list[PlannedFile]:
    """`plan_upload` for requests whose meta is already set (documents.csv merged with the
    command line by `collect_requests`): the header block fills what is still empty.
    `detect_kind=False` reads every file as the kind in its meta (the command line)."""
    sheet = {normalise_label(p.label) for p in participants or []}
    seen: dict[str, str] = {}
    plan: list[PlannedFile] = []
    for number, request in enumerate(requests):
        sheet_row = from_sheet[number] if from_sheet is not None else True
        wanted = kind or (None if detect_kind else request.meta.kind)
        planned = _plan_one(request, sheet, participants is not None, settings, given, wanted,
                            sheet_row)
        planned = _mark_duplicates(planned, seen, store)
        plan.append(planned)
    return plan


def _plan_one(request: IngestRequest, sheet: set[str], has_sheet: bool, settings: Settings,
              given: DocumentMeta | None, kind: Kind | None, sheet_row: bool) -> PlannedFile:
    source = request.source
    defaults = DocumentMeta()
    origin = {name: FROM_SHEET for name in META_FIELDS
              if sheet_row and getattr(request.meta, name) != getattr(defaults, name)}
    wanted = kind or (request.meta.kind if "kind" in origin else None)
    try:
        if request.error is not None:  # missing or unreadable: keep the reader's own error
            raise request.error
        safe_file_name(source.name)
        parsed, detected = _read(source, wanted, settings, sheet)
    except FocuslexError as error:
        return PlannedFile(source, request.meta, SUPPORTED.get(source.suffix, ""),
                           origin=origin, error=error)
    meta = replace(request.meta, kind=wanted or detected)
    changes = {name: value for name, value in header_fields(parsed.header).items()
               if getattr(meta, name) == getattr(defaults, name)}
    meta = replace(meta, **changes)
    origin.update({name: FROM_HEADER for name in changes})
    if given is not None:
        chosen = {name: getattr(given, name) for name in META_FIELDS
                  if getattr(given, name) != getattr(defaults, name)}
        if parse_date(chosen.get("date")) is not None:  # '14/03/2026' is stored as ISO
            chosen["date"] = parse_date(chosen["date"]).isoformat()  # type: ignore[union-attr]
        meta = replace(meta, **chosen)
        origin.update({name: FROM_USER for name in chosen})
    labels = {normalise_label(t.speaker): t.speaker for t in parsed.turns if t.speaker}
    unmatched = tuple(sorted(label for key, label in labels.items() if key not in sheet)) \
        if has_sheet else ()
    planned = PlannedFile(source, meta, parsed.format, detected, origin, len(parsed.turns),
                          sum(len(t.text.split()) for t in parsed.turns), len(labels),
                          len(labels) - len(unmatched) if has_sheet else 0, unmatched,
                          has_sheet=has_sheet, auto_kind=wanted is None and "kind" not in origin)
    return replace(planned, warnings=tuple(plan_warnings(planned)))


def _read(source: SourceFile, wanted: Kind | None, settings: Settings,
          known: set[str]) -> tuple[ParsedFile, Kind]:
    """Read as `wanted`, or detect: a transcript when it reads as a conversation (at least
    two speakers and three turns, or a speaker on the sheet), else a statement (a title line
    'Engagementsverklaring: ...' looks like one speaker marker)."""
    if wanted is not None:
        return read_source(source, wanted, settings.ingest, known), wanted
    try:
        parsed = read_source(source, Kind.TRANSCRIPT, settings.ingest, known)
    except FocuslexError as error:
        if error.code != "FX-IN-007":
            raise
    else:
        labels = {normalise_label(t.speaker) for t in parsed.turns if t.speaker}
        if (len(labels) >= 2 and len(parsed.turns) >= 3) or labels & known:
            return parsed, Kind.TRANSCRIPT
    return read_source(source, Kind.STATEMENT, settings.ingest, known), Kind.STATEMENT


def plan_warnings(planned: PlannedFile) -> list[str]:
    """Dutch warnings for one row; counts only, never a name."""
    warnings: list[str] = []
    meta = planned.meta
    if planned.auto_kind and meta.kind is Kind.STATEMENT:
        warnings.append("Geen sprekers gevonden: het bestand wordt opgeslagen als verklaring "
                        "(tekst zonder sprekers). Kies 'transcript' als dat niet klopt.")
    if meta.kind is Kind.TRANSCRIPT:
        if meta.round is None:
            warnings.append("Geen ronde gevonden: vul de ronde in, anders komt het bestand "
                            "bij 'zonder ronde'.")
        if planned.unmatched:
            warnings.append(f"{format_int(planned.unmatched)} van de "
                            f"{count_noun(planned.speakers, 'spreker', 'sprekers')} "
                            f"{'staat' if planned.unmatched == 1 else 'staan'} "
                            "niet op de deelnemerslijst: voeg ze toe, anders wordt het bestand "
                            "geweigerd.")
        elif not planned.has_sheet and planned.speakers:
            warnings.append("Geen deelnemerslijst: de sprekers krijgen een code, maar geen "
                            "stakeholdergroep.")
    if meta.date and parse_date(meta.date) is None:
        warnings.append(f"De datum '{meta.date}' is geen geldige datum (dd/mm/jjjj).")
    return warnings


def _mark_duplicates(planned: PlannedFile, seen: dict[str, str],
                     store: Store | None) -> PlannedFile:
    if planned.error is not None:
        return planned
    digest = content_hash(planned.source.data)
    warnings = list(planned.warnings)
    duplicate = store.document_id(digest) if store is not None else None
    if duplicate is not None:
        warnings.append(f"Dit bestand is al opgeslagen (document {duplicate}); het wordt "
                        "niet opnieuw opgeslagen.")
    if digest in seen:
        warnings.append(f"Dezelfde inhoud als {seen[digest]}: het wordt maar één keer "
                        "opgeslagen.")
    seen.setdefault(digest, planned.name)
    return replace(planned, warnings=tuple(warnings), duplicate_of=duplicate)


def correct(planned: PlannedFile, **changes: Any) -> PlannedFile:
    """A facilitator's correction of one row: kind, round, date, prompt, focus_group, group,
    organisation, title. A round may be given as text ('2', '' for none), a date in any
    form `parse_date` reads (stored as ISO), a kind as 'transcript'/'verklaring'."""
    values: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in META_FIELDS:
            raise KeyError(name)
        values[name] = _clean(planned.name, name, value)
    changed = {n: v for n, v in values.items() if v != getattr(planned.meta, n)}
    confirmed = planned.auto_kind and "kind" in values  # the detected kind, now chosen
    if not changed and not confirmed:
        return planned
    meta = replace(planned.meta, **changed)
    origin = {**planned.origin, **{n: FROM_CORRECTION for n in changed}}
    corrected = replace(planned, meta=meta, origin=origin,
                        auto_kind=planned.auto_kind and "kind" not in values)
    kept = [w for w in planned.warnings if w.startswith(("Dit bestand is al", "Dezelfde inhoud"))]
    return replace(corrected, warnings=tuple(plan_warnings(corrected) + kept))


def _clean(file_name: str, name: str, value: Any) -> Any:
    if name == "kind":
        kind = value if isinstance(value, Kind) else KIND_WORDS.get(str(value).strip().lower())
        if kind is None:
            raise FocuslexError("FX-IN-052", file=file_name, value=str(value))
        return kind
    if name == "round":
        if value is None or (isinstance(value, float) and value != value) or \
                str(value).strip() in ("", "0", "<NA>"):
            return None
        number = value if isinstance(value, int) else parse_round(str(value))
        if number is None or number < 0 or str(value).strip().startswith("-"):
            raise FocuslexError("FX-IN-050", file=file_name, value=str(value))
        return int(number)
    text = "" if value is None else " ".join(str(value).split())
    if name == "date" and text:
        date = parse_date(text)
        if date is None:
            raise FocuslexError("FX-IN-051", file=file_name, value=text)
        return date.isoformat()
    return text


def ingest_plan(plan: Sequence[PlannedFile], settings: Settings, store: Store,
                participants: Sequence[Participant] | None = None,
                progress: Callable[[int, int, str], None] | None = None,
                nlp: Any = None) -> IngestReport:
    """Store a (corrected) plan through the ingest service, each file with its own meta.
    Rows that could not be read are reported with their error; nothing of them is stored."""
    requests = [IngestRequest(p.source, p.meta) for p in plan if p.error is None]
    ingestor = Ingestor(settings, store, list(participants) if participants else None, nlp)
    report = ingestor.ingest(requests, progress)
    stored = iter(report.outcomes)
    report.outcomes = [next(stored) if p.error is None else
                       FileOutcome(p.name, "error", error=p.error) for p in plan]
    return report


# The check table ----------------------------------------------------------------------
# Columns of `plan_frame`; the editable ones map to DocumentMeta fields.
EDITABLE_COLUMNS = {"soort": "kind", "ronde": "round", "datum": "date", "vraag": "prompt",
                    "focusgroep": "focus_group", "groep": "group"}


def plan_frame(plan: Sequence[PlannedFile]) -> pd.DataFrame:
    """The check table, one row per file, with typed columns (Arrow-safe: 'ronde' is a
    nullable integer, counts are integers). No speaker label is in it: 'niet op de lijst'
    is a count; show `unmatched_labels` separately to the uploader if wanted."""
    rows = [{
        "bestand": p.name, "soort": KIND_LABELS.get(p.meta.kind, p.meta.kind.value),
        "formaat": p.format, "ronde": p.meta.round, "datum": format_date(p.meta.date)
        if p.meta.date else "", "vraag": p.meta.prompt, "focusgroep": p.meta.focus_group,
        "groep": p.meta.group, "beurten": p.turns, "woorden": p.words,
        "sprekers": p.speakers, "op de lijst": p.matched, "niet op de lijst": p.unmatched,
        "waarschuwingen": " ".join(p.warnings) if p.error is None else p.error.message,
    } for p in plan]
    frame = pd.DataFrame(rows, columns=PLAN_COLUMNS)
    frame["ronde"] = frame["ronde"].astype("Int64")
    for column in ("beurten", "woorden", "sprekers", "op de lijst", "niet op de lijst"):
        frame[column] = frame[column].astype("int64")
    return frame


PLAN_COLUMNS = ["bestand", "soort", "formaat", "ronde", "datum", "vraag", "focusgroep",
                "groep", "beurten", "woorden", "sprekers", "op de lijst",
                "niet op de lijst", "waarschuwingen"]


def corrections_from_frame(plan: Sequence[PlannedFile],
                           frame: pd.DataFrame) -> list[PlannedFile]:
    """The plan with the edits of a (st.data_editor) copy of `plan_frame` applied, row by
    row in the same order. Raises FocuslexError (FX-IN-050/051/052) on an invalid value."""
    if len(frame) != len(plan):
        raise ValueError("the check table must keep one row per planned file")
    corrected: list[PlannedFile] = []
    for planned, (_, row) in zip(plan, frame.iterrows()):
        changes = {field_name: row[column] for column, field_name in EDITABLE_COLUMNS.items()
                   if column in frame.columns}
        if "date" in changes and changes["date"] == format_date(planned.meta.date):
            changes["date"] = planned.meta.date  # shown as dd/mm/jjjj, unchanged
        corrected.append(correct(planned, **changes) if planned.error is None else planned)
    return corrected


# The upload page ----------------------------------------------------------------------

@dataclass(frozen=True)
class UploadPlan:
    """What the upload page keeps between runs: the plan, the parsed participants sheet and
    a signature of the chosen files (a new choice makes a new plan)."""

    plan: list[PlannedFile]
    participants: list[Participant] | None
    signature: str


def sources_of(uploads: Sequence[Any] | None) -> list[SourceFile]:
    """SourceFiles of uploaded files (objects with `.name` and `.getvalue()`, such as
    Streamlit's); None entries are left out."""
    return [SourceFile(u.name, u.getvalue()) for u in uploads or [] if u is not None]


def upload_signature(kind: str, files: Sequence[SourceFile | None]) -> str:
    """A digest of the chosen kind and files (names and bytes; None: not chosen)."""
    digest = hashlib.sha256(kind.encode("utf-8"))
    for source in files:
        digest.update(b"\1" if source is None else
                      source.name.encode("utf-8") + b"\0" + content_hash(source.data).encode())
    return digest.hexdigest()


def plan_sources(files: Sequence[SourceFile], sheet: SourceFile | None,
                 documents: SourceFile | None, settings: Settings, *, kind: Kind | None,
                 store: Store | None, signature: str = "") -> UploadPlan:
    """`plan_upload` for uploaded bytes: the participants sheet and documents list (csv or
    xlsx) are parsed here; their errors (FX-IN-...) are raised."""
    participants = (parse_participants(SourceFile(safe_file_name(sheet.name), sheet.data),
                                       settings.ingest) if sheet is not None else None)
    metas = (parse_documents_sheet(SourceFile(safe_file_name(documents.name), documents.data),
                                   settings.ingest) if documents is not None else None)
    plan = plan_upload(files, participants, settings, documents=metas, kind=kind, store=store)
    return UploadPlan(plan, participants, signature)


def outcome_lines(report: IngestReport) -> list[tuple[str, str]]:
    """One (status, Dutch line) per file of an ingest report: 'ok', 'info' (stored before)
    or 'error' (with the coded message)."""
    lines: list[tuple[str, str]] = []
    for outcome in report.outcomes:
        if outcome.status == "stored":
            lines.append(("ok", f"{outcome.name}: opgeslagen ("
                                f"{count_noun(outcome.turns, 'beurt', 'beurten')}, "
                                f"{count_noun(outcome.speakers, 'spreker', 'sprekers')}, "
                                f"{count_noun(outcome.words, 'woord', 'woorden')})."))
        elif outcome.status == "duplicate":
            lines.append(("info", f"{outcome.name}: was al opgeslagen; er is niets veranderd."))
        else:
            message = outcome.error.message if outcome.error else "onbekende fout"
            lines.append(("error", f"{outcome.name}: {message}"))
    return lines
