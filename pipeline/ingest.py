"""Ingest: files -> pseudonymised `Document`s with speaker-turn `Utterance`s -> store.

Each file is read, pseudonymised and stored in its own transaction: a failing file leaves
nothing half-written and does not stop the others. The same content twice is one document.
Real names go only to the pseudonym key file (settings.paths.key_file).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath

from pipeline.errors import FocuslexError
from pipeline.pseudonymise import PseudonymKey, Pseudonymiser, normalise_label
from pipeline.readers import SUPPORTED, SourceFile, read_source
from pipeline.settings import Settings
from pipeline.sheets import read_documents_sheet
from pipeline.store import Store
from pipeline.types import (UNKNOWN_GROUP, Document, DocumentMeta, Kind, Participant, Role,
                            Utterance)

log = logging.getLogger("focuslex.ingest")
DOCUMENTS_SHEET = "documents.csv"


@dataclass
class FileOutcome:
    """What happened to one file. `name` is the file name as given by the user."""

    name: str
    status: str  # stored | duplicate | error
    document_id: int | None = None
    turns: int = 0
    speakers: int = 0
    words: int = 0
    error: FocuslexError | None = None


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(o.status != "error" for o in self.outcomes)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


@dataclass(frozen=True)
class IngestRequest:
    """One file to ingest with its metadata."""

    source: SourceFile
    meta: DocumentMeta


def safe_file_name(name: str) -> str:
    """The bare file name of an upload; refuses folders and '..' (path traversal)."""
    if not name or "\x00" in name:
        raise FocuslexError("FX-IN-011", file=repr(name), detail="lege of ongeldige naam")
    if "/" in name or "\\" in name or name in (".", "..") or name.startswith(".."):
        raise FocuslexError("FX-IN-011", file=name, detail="mappen of '..' in de naam")
    return PurePath(name).name


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def collect_requests(paths: Iterable[Path], meta: DocumentMeta,
                     settings: Settings) -> list[IngestRequest]:
    """Expand files and folders. A folder with a documents.csv ingests exactly the files it
    lists, with their metadata; otherwise every supported file (README files excepted)."""
    requests: list[IngestRequest] = []
    for path in paths:
        path = Path(path)
        if not path.exists():
            raise FocuslexError("FX-IN-012", file=str(path))
        if path.is_dir():
            sheet = path / DOCUMENTS_SHEET
            if sheet.is_file():
                metas = read_documents_sheet(sheet)
                missing = [name for name in metas if not (path / name).is_file()]
                if missing:
                    raise FocuslexError("FX-IN-019", file=str(sheet), missing=", ".join(missing))
                for name, file_meta in metas.items():
                    merged = _override(file_meta, meta)
                    requests.append(_request(path / name, merged))
                continue
            files = sorted(p for p in path.rglob("*") if p.is_file()
                           and p.suffix.lower() in settings.ingest.extensions
                           and not p.name.lower().startswith("readme"))
            if not files:
                raise FocuslexError("FX-IN-021", file=str(path))
            requests.extend(_request(p, meta) for p in files)
        else:
            requests.append(_request(path, meta))
    return requests


def _override(base: DocumentMeta, given: DocumentMeta) -> DocumentMeta:
    """Command-line values win over sheet values when they were given."""
    defaults = DocumentMeta()
    changes = {name: getattr(given, name) for name in given.__dataclass_fields__
               if getattr(given, name) != getattr(defaults, name)}
    return replace(base, **changes)


def _request(path: Path, meta: DocumentMeta) -> IngestRequest:
    return IngestRequest(SourceFile(path.name, path.read_bytes()), meta)


class Ingestor:
    """Ingests requests into a store, keeping the pseudonym key up to date."""

    def __init__(self, settings: Settings, store: Store,
                 participants: list[Participant] | None = None) -> None:
        self.settings = settings
        self.store = store
        self.participants = participants
        self.key = PseudonymKey.load(settings.paths.key_file)
        self._sheet = {normalise_label(p.label): p for p in participants or []}
        self._last_speakers: set[str] = set()
        if participants:
            self._register(participants)

    def _register(self, participants: list[Participant]) -> None:
        """Give every participant on the sheet a code and store their (non-name) details."""
        rows = {}
        for p in participants:
            code = self.key.code_for(p.label, p.role, self.settings.pseudonymise)
            rows[code] = {"role": p.role.value, "group": p.group,
                          "organisation": p.organisation, "region": p.region}
        self.key.save()
        self.store.upsert_speakers(rows)

    def ingest(self, requests: list[IngestRequest],
               progress: Callable[[int, int, str], None] | None = None) -> IngestReport:
        report = IngestReport()
        run_id = self.store.start_run("ingest", {
            "files": [{"sha256": content_hash(r.source.data), "format": r.source.suffix}
                      for r in requests]})
        spoken: set[str] = set()
        for number, request in enumerate(requests):
            if progress:
                progress(number, len(requests), request.source.name)
            outcome = self._ingest_one(request, spoken)
            report.outcomes.append(outcome)
        if progress:
            progress(len(requests), len(requests), "")
        if self.participants:
            silent = [p.label for p in self.participants
                      if normalise_label(p.label) not in spoken and p.role is Role.PARTICIPANT]
            if silent and report.count("stored"):
                report.warnings.append(
                    f"{len(silent)} deelnemer(s) van de deelnemerslijst spreken in geen enkel "
                    "opgeladen bestand; controleer de schrijfwijze als dat niet klopt.")
        self.store.finish_run(run_id, "ok" if report.ok else "errors", {
            "stored": report.count("stored"), "duplicate": report.count("duplicate"),
            "errors": [o.error.code for o in report.outcomes if o.error]})
        return report

    def _ingest_one(self, request: IngestRequest, spoken: set[str]) -> FileOutcome:
        source = request.source
        try:
            digest = content_hash(source.data)
            existing = self.store.document_id(digest)
            if existing is not None:
                return FileOutcome(source.name, "duplicate", existing)
            document, speaker_rows = self.build_document(request, digest)
            # The key is saved before the database commit, so every stored code resolves.
            self.key.save()
            document_id = self.store.add_document(document, speaker_rows)
        except FocuslexError as error:
            log.info("ingest refused a file (%s)", error.code)
            return FileOutcome(source.name, "error", error=error)
        spoken.update(self._last_speakers)
        log.info("stored document %s (%d turns)", document_id, len(document.utterances))
        return FileOutcome(source.name, "stored", document_id, len(document.utterances),
                           len(speaker_rows), document.word_count)

    def build_document(self, request: IngestRequest,
                       digest: str) -> tuple[Document, dict[str, dict[str, str]]]:
        """Read and pseudonymise one file (nothing is stored here)."""
        source, meta = request.source, request.meta
        known = set(self._sheet) | {normalise_label(e.label) for e in self.key.entries}
        parsed = read_source(source, meta.kind, self.settings.ingest, known)
        if not parsed.turns:
            raise FocuslexError("FX-IN-001", file=source.name)
        labels = [t.speaker for t in parsed.turns if t.speaker]
        if self._sheet:
            unknown = sorted({l for l in labels if normalise_label(l) not in self._sheet})
            if unknown:
                raise FocuslexError("FX-IN-015", file=source.name, speakers=", ".join(unknown))
        speaker_rows: dict[str, dict[str, str]] = {}
        codes: dict[str, str] = {}
        for label in labels:
            key = normalise_label(label)
            if key in codes:
                continue
            sheet_row = self._sheet.get(key)
            role = sheet_row.role if sheet_row else Role.PARTICIPANT
            code = self.key.code_for(label, role, self.settings.pseudonymise)
            codes[key] = code
            speaker_rows[code] = ({"role": role.value, "group": sheet_row.group,
                                   "organisation": sheet_row.organisation,
                                   "region": sheet_row.region} if sheet_row else
                                  {"role": role.value, "group": meta.group or UNKNOWN_GROUP})
        pseudonymiser = Pseudonymiser(self.key, self.settings.pseudonymise)
        utterances: list[Utterance] = []
        offset = 0
        for index, turn in enumerate(parsed.turns):
            text = pseudonymiser.replace(turn.text.strip())
            code = codes.get(normalise_label(turn.speaker)) if turn.speaker else None
            utterances.append(Utterance(index, code, text, offset, offset + len(text),
                                        turn.start, turn.end))
            offset += len(text) + 2  # joined with a blank line
        file_name = pseudonymise_file_name(pseudonymiser, safe_file_name(source.name))
        clean_meta = replace(meta, prompt=pseudonymiser.replace(meta.prompt),
                             title=pseudonymiser.replace(meta.title))
        document = Document(digest, file_name, parsed.format, clean_meta,
                            pseudonymiser.replace(parsed.header), utterances)
        self._last_speakers = {normalise_label(l) for l in labels}
        return document, speaker_rows


def pseudonymise_file_name(pseudonymiser: Pseudonymiser, name: str) -> str:
    """File names often carry names joined by '_' or '-' (interview_Ayşe_Demir.vtt)."""
    direct = pseudonymiser.replace(name)
    spaced = name.replace("_", " ")
    replaced = pseudonymiser.replace(spaced)
    if replaced == spaced:
        return direct
    return replaced.replace(" ", "_")
