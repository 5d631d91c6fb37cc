"""Ingest: files -> pseudonymised `Document`s with speaker-turn `Utterance`s -> store.

One pass of named stages per file, each a function with a typed input and output:
read bytes (`IngestRequest`) -> `Ingestor.segment` (`Segmented`: turns, via the readers) ->
`Ingestor.identify` (`Identified`: speaker codes against the sheet) ->
`Ingestor.replace_names` (`Pseudonymised`, via pipeline.privacy) -> `Store.add_document`.

Each file is read, pseudonymised and stored in its own transaction: a failing file leaves
nothing half-written and does not stop the others. The same content twice is one document.
Real names go only to the pseudonym key file (settings.paths.key_file) and, for names of
other people found in the text, to the private review file beside it (pipeline/privacy/review.py).
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from pipeline.core.errors import FocuslexError
from pipeline.core.files import read_input
from pipeline.core.formats import count_noun
from pipeline.nlp.cache import store_tables
from pipeline.nlp.loader import pipeline_id
from pipeline.nlp.tokens import TokenTable
from pipeline.privacy.detect import NameDetector, shared_pipeline
from pipeline.core.text import normalise_label
from pipeline.privacy.pseudonymise import (DocumentPseudonymiser, Occurrence, PseudonymKey, Pseudonymiser, key_lock)
from pipeline.ingest.readers import SourceFile, read_source
from pipeline.core.settings import Settings
from pipeline.privacy.review import ReviewBook, review_path
from pipeline.ingest.sheets import read_documents_sheet
from pipeline.store.database import Store
from pipeline.core.records import (UNKNOWN_GROUP, Document, DocumentMeta, Kind, ParsedFile,
                                   Participant, Role, Utterance)

if TYPE_CHECKING:
    from spacy.language import Language

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
    # Mentions of other people replaced by [PERSOON-n] in this ingest, and the names that
    # wait for review (app page "Namen nakijken"), both of this ingest only; see names_notice.
    names_replaced: int = 0
    names_pending: int = 0
    run_id: int | None = None  # the ingest run (an upload) that made this report

    @property
    def names_notice(self) -> str:
        """A Dutch line for the CLI and the app about this ingest's names, empty when none of
        them waits for review."""
        if not (self.names_replaced and self.names_pending):
            return ""
        replaced, pending = self.names_replaced, self.names_pending
        return (f"{count_noun(replaced, 'vermelding', 'vermeldingen')} van "
                f"{'een andere persoon is' if replaced == 1 else 'andere personen zijn'} "
                "vervangen door [PERSOON-n]; "
                f"{count_noun(pending, 'naam', 'namen')} {'wacht' if pending == 1 else 'wachten'}"
                " op nakijken op de pagina 'Namen nakijken'.")

    @property
    def ok(self) -> bool:
        return all(o.status != "error" for o in self.outcomes)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


@dataclass(frozen=True)
class IngestRequest:
    """Stage 1 (read bytes): one file to ingest with its metadata; `error` when it could
    not even be read (a missing path, a listed file outside its folder): it gets its line in
    the report."""

    source: SourceFile
    meta: DocumentMeta
    error: FocuslexError | None = None


# Bidirectional controls make a name display differently from what it is
# ("verslag\u202etxt.exe"); other control characters have no place in a file name.
_BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                           "\u2066\u2067\u2068\u2069")
MAX_FILE_NAME = 255


@dataclass(frozen=True)
class Segmented:
    """Stage 2 (segment): the file as speaker turns and a header block."""

    request: IngestRequest
    digest: str
    parsed: ParsedFile


@dataclass(frozen=True)
class Identified:
    """Stage 3 (identify speakers): labels in order, their codes (by normalised label) and
    the speaker rows to store (by code)."""

    segmented: Segmented
    labels: list[str]
    codes: dict[str, str]
    speaker_rows: dict[str, dict[str, str]]


@dataclass(frozen=True)
class Pseudonymised:
    """Stage 4 (detect and replace names): what stage 5 stores, and the private records."""

    document: Document
    speaker_rows: dict[str, dict[str, str]]
    occurrences: list[Occurrence]
    speakers: set[str]  # normalised labels that speak in this file
    # stored utterance text -> token table from the name detection's parse (for analyse)
    tables: dict[str, TokenTable] = field(default_factory=dict)


def safe_file_name(name: str) -> str:
    """The bare file name of an upload; refuses folders and '..' (path traversal), control
    characters and bidirectional controls, and names longer than 255 characters."""
    if not name or not name.strip():
        raise FocuslexError("FX-IN-011", file=repr(name), detail="lege of ongeldige naam")
    if any(unicodedata.category(c) == "Cc" or c in _BIDI_CONTROLS for c in name):
        raise FocuslexError("FX-IN-011", file=ascii(name), detail="stuurtekens in de naam")
    if "/" in name or "\\" in name or name in (".", "..") or name.startswith(".."):
        raise FocuslexError("FX-IN-011", file=name, detail="mappen of '..' in de naam")
    if len(name) > MAX_FILE_NAME:
        raise FocuslexError("FX-IN-011", file=name[:40] + "...",
                            detail=f"langer dan {MAX_FILE_NAME} tekens")
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
            requests.append(_failed(path.name or str(path), meta,
                                    FocuslexError("FX-IN-012", file=str(path))))
            continue
        if path.is_dir():
            sheet = path / DOCUMENTS_SHEET
            if sheet.is_file():
                metas = read_documents_sheet(sheet, settings.ingest)
                missing = [name for name in metas if not (path / name).is_file()]
                if missing:
                    raise FocuslexError("FX-IN-019", file=str(sheet), missing=", ".join(missing))
                for name, file_meta in metas.items():
                    merged = _override(file_meta, meta)
                    requests.append(_listed_request(path, name, merged))
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
    try:
        return IngestRequest(SourceFile(path.name, read_input(path)), meta)
    except FocuslexError as error:  # missing or unreadable: this file's line in the report
        return _failed(path.name, meta, error)


def _failed(name: str, meta: DocumentMeta, error: FocuslexError) -> IngestRequest:
    return IngestRequest(SourceFile(name, b""), meta, error)


def _listed_request(folder: Path, name: str, meta: DocumentMeta) -> IngestRequest:
    """A file listed in a documents sheet; refused when it lies outside the sheet's folder
    ('../elders/geheim.txt', an absolute path, a link pointing out)."""
    path = folder / name
    if not path.resolve().is_relative_to(folder.resolve()):
        return _failed(PurePath(name).name, meta, FocuslexError(
            "FX-IN-011", file=name, detail="het bestand ligt buiten de map van de lijst"))
    return _request(path, meta)


class Ingestor:
    """Ingests requests into a store, keeping the pseudonym key up to date.

    `nlp`: the Dutch spaCy pipeline for name detection; without it the configured pipeline
    is loaded when `pseudonymise.detect_with_pipeline` is on (once per process)."""

    def __init__(self, settings: Settings, store: Store,
                 participants: list[Participant] | None = None,
                 nlp: Language | None = None) -> None:
        self.settings = settings
        self.store = store
        self.participants = participants
        self.key = PseudonymKey.load(settings.paths.key_file)
        self.review = ReviewBook.load(review_path(settings))
        self._sheet = {normalise_label(p.label): p for p in participants or []}
        self._last_occurrences: list[Occurrence] = []
        self._nlp = nlp
        self._detector: NameDetector | None = None
        self._detector_decisions: tuple[frozenset[str], frozenset[str]] | None = None
        self._warnings: list[str] = []
        if participants:
            self._register(participants)

    def detector(self) -> NameDetector | None:
        """The name detector for this ingest (None when detection is switched off)."""
        options = self.settings.pseudonymise
        if not options.detect_names:
            return None
        decisions = (frozenset(self.review.known_names),
                     frozenset(self.review.decisions.rejected))
        if self._detector is not None and decisions != self._detector_decisions:
            self._detector = None  # another process decided on names since: detect anew
        if self._detector is None:
            nlp = self._nlp
            if nlp is None and options.detect_with_pipeline:
                try:
                    nlp = shared_pipeline(self.settings.nlp.model,
                                          str(self.settings.nlp.bundled_path))
                except FocuslexError as error:
                    log.warning("name detection without a language pipeline (%s)", error.code)
                    self._warnings.append(
                        "Namen van andere personen zijn gezocht zonder taalpijplijn "
                        f"({error.code}); kijk de tekst extra goed na.")
            self._detector = NameDetector(
                nlp=nlp, known=decisions[0], rejected=decisions[1],
                find_organisations=not options.keep_organisations,
                find_places=not options.keep_places,
                organisations=[p.organisation for p in self.participants or []])
            self._detector_decisions = decisions
            if nlp is not None:
                self._nlp = nlp
        return self._detector

    def _reload(self) -> None:
        """Re-read the key and the review book (inside `key_lock`): another ingest or a
        review decision may have changed them since this Ingestor was made."""
        self.key = PseudonymKey.load(self.settings.paths.key_file)
        self.review = ReviewBook.load(review_path(self.settings))

    def _register(self, participants: list[Participant]) -> None:
        """Give every participant on the sheet a code and store their (non-name) details."""
        rows = {}
        with key_lock(self.settings.paths.key_file):
            self._reload()
            self.key.organisations += [p.organisation for p in participants
                                       if p.organisation.strip()]
            for p in participants:
                code = self.key.code_for(p.label, p.role, self.settings.pseudonymise)
                rows[code] = {"role": p.role.value, "group": p.group,
                              "organisation": p.organisation, "region": p.region}
            self.key.save()
        rows = {code: self._known_names_out(row) for code, row in rows.items()}
        self.store.upsert_speakers(rows)

    def _known_names_out(self, row: dict[str, str]) -> dict[str, str]:
        """A speaker row's free text (region, group) without names from the key. The
        organisation named on the participants sheet stays as it is (an organisation is no
        person: "Bakker & Zonen" with a participant Bakker)."""
        pseudonymiser = Pseudonymiser(self.key, self.settings.pseudonymise,
                                      self.review.decisions.rejected,
                                      current=self._sheet_labels())
        return {k: (pseudonymiser.replace(v) if k not in ("role", "organisation")
                    and isinstance(v, str) else v) for k, v in row.items()}

    def _sheet_labels(self) -> list[str] | None:
        """The speakers of this upload's participants sheet (None without a sheet)."""
        return [p.label for p in self.participants] if self.participants else None

    def ingest(self, requests: list[IngestRequest],
               progress: Callable[[int, int, str], None] | None = None) -> IngestReport:
        report = IngestReport()
        run_id = self.store.start_run("ingest", {
            "files": [{"sha256": content_hash(r.source.data), "format": r.source.suffix}
                      for r in requests]})
        report.run_id = run_id
        try:
            spoken: set[str] = set()
            replaced = 0
            stored: list[str] = []  # content hashes of this upload's stored files
            for number, request in enumerate(requests):
                if progress:
                    progress(number, len(requests), request.source.name)
                outcome = self._ingest_one(request, spoken)
                report.outcomes.append(outcome)
                if outcome.status == "stored":
                    replaced += len(self._last_occurrences)
                    stored.append(content_hash(request.source.data))
            if progress:
                progress(len(requests), len(requests), "")
            report.warnings.extend(self._warnings)
            self._warnings = []
            report.names_replaced = replaced
            report.names_pending = len(self.review.pending(stored))
            if self.participants:
                silent = [p.label for p in self.participants
                          if normalise_label(p.label) not in spoken and p.role is Role.PARTICIPANT]
                if silent and report.count("stored"):
                    report.warnings.append(
                        f"{count_noun(len(silent), 'deelnemer', 'deelnemers')} van de "
                        f"deelnemerslijst {'spreekt' if len(silent) == 1 else 'spreken'} in "
                        "geen enkel opgeladen bestand; controleer de schrijfwijze als dat niet "
                        "klopt.")
        except BaseException as exc:
            # An unexpected failure must not leave the run 'running'.
            try:
                self.store.finish_run(run_id, "error", {
                    "stored": report.count("stored"), "failure": type(exc).__name__})
            except Exception:  # keep the original exception
                log.warning("could not close ingest run %s", run_id)
            raise
        self.store.finish_run(run_id, "ok" if report.ok else "errors", {
            "stored": report.count("stored"), "duplicate": report.count("duplicate"),
            "errors": [o.error.code for o in report.outcomes if o.error]})
        return report

    def _ingest_one(self, request: IngestRequest, spoken: set[str]) -> FileOutcome:
        """One file, isolated: whatever goes wrong with it becomes its error outcome (an
        unexpected exception FX-IN-025), and the batch goes on with the next file. The
        stages: read bytes (`IngestRequest`) -> `segment` into turns -> `identify` speakers
        against the sheet -> `replace_names` -> store."""
        source = request.source
        try:
            if request.error is not None:
                raise request.error
            safe_file_name(source.name)
            return self._store_one(request, spoken)
        except FocuslexError as error:
            log.info("ingest refused a file (%s)", error.code)
            self._last_occurrences = []
            return FileOutcome(source.name, "error", error=error)
        except Exception as exc:  # a bug or a library failure: this file only
            log.warning("ingest failed on a file (%s)", type(exc).__name__)
            self._last_occurrences = []
            return FileOutcome(source.name, "error", error=FocuslexError(
                "FX-IN-025", file=source.name, detail=type(exc).__name__))

    def _store_one(self, request: IngestRequest, spoken: set[str]) -> FileOutcome:
        source = request.source
        # The key and the review book are re-read, changed and saved under one lock, so a
        # concurrent ingest (or review decision) loses no codes and gives no code twice.
        with key_lock(self.settings.paths.key_file):
            self._reload()
            digest = content_hash(source.data)
            existing = self.store.document_id(digest)
            if existing is not None:
                return FileOutcome(source.name, "duplicate", existing)
            result = self.replace_names(self.identify(self.segment(request, digest)))
            # The key is saved before the database commit, so every stored code resolves.
            self.key.save()
            document_id = self.store.add_document(result.document, result.speaker_rows)
            self._last_occurrences = result.occurrences
            self._remember(digest)
        self._cache_parses(result.tables)
        spoken.update(result.speakers)
        document = result.document
        log.info("stored document %s (%d turns)", document_id, len(document.utterances))
        return FileOutcome(source.name, "stored", document_id, len(document.utterances),
                           len(result.speaker_rows), document.word_count)

    def _cache_parses(self, tables: dict[str, TokenTable]) -> None:
        """Hand `analyse` the parses of the stored texts (token-table cache), so that it
        does not parse them again."""
        if tables and self._nlp is not None:
            written = store_tables(pipeline_id(self._nlp), self.settings.paths.cache_dir, tables)
            log.info("cached the parse of %d of %d stored texts", written, len(tables))

    def _remember(self, digest: str) -> None:
        """Keep the private record of replaced names (after the database commit)."""
        if not self._last_occurrences:
            return
        self.review.add(digest, self._last_occurrences)
        try:
            self.review.save()
        except OSError as exc:
            log.warning("could not write the review file (%s)", type(exc).__name__)
            self._warnings.append("Het privébestand met gevonden namen kon niet bewaard "
                                  "worden; verworpen namen kunnen niet teruggezet worden.")

    def build_document(self, request: IngestRequest,
                       digest: str) -> tuple[Document, dict[str, dict[str, str]]]:
        """Read and pseudonymise one file (nothing is stored here)."""
        result = self.replace_names(self.identify(self.segment(request, digest)))
        return result.document, result.speaker_rows

    # -- the stages ------------------------------------------------------------------------
    def segment(self, request: IngestRequest, digest: str) -> Segmented:
        """Stage 2: the file's bytes as speaker turns (readers), known speakers first."""
        known = set(self._sheet) | {normalise_label(e.label) for e in self.key.entries}
        parsed = read_source(request.source, request.meta.kind, self.settings.ingest, known)
        self._warnings.extend(f"{request.source.name}: {warning}" for warning in parsed.warnings)
        if not parsed.turns:
            raise FocuslexError("FX-IN-001", file=request.source.name)
        return Segmented(request, digest, parsed)

    def identify(self, segmented: Segmented) -> Identified:
        """Stage 3: every speaker label gets its code; speakers of the sheet get their group,
        organisation and region. With a sheet, a label missing from it is refused."""
        labels = [t.speaker for t in segmented.parsed.turns if t.speaker]
        if self._sheet:
            unknown = sorted({l for l in labels if normalise_label(l) not in self._sheet})
            if unknown:
                raise FocuslexError("FX-IN-015", file=segmented.request.source.name,
                                    speakers=", ".join(unknown))
        rows: dict[str, dict[str, str]] = {}
        codes: dict[str, str] = {}
        group = segmented.request.meta.group or UNKNOWN_GROUP
        for label in labels:
            key = normalise_label(label)
            if key in codes:
                continue
            sheet_row = self._sheet.get(key)
            role = sheet_row.role if sheet_row else Role.PARTICIPANT
            code = self.key.code_for(label, role, self.settings.pseudonymise)
            codes[key] = code
            rows[code] = ({"role": role.value, "group": sheet_row.group,
                           "organisation": sheet_row.organisation,
                           "region": sheet_row.region} if sheet_row else
                          {"role": role.value, "group": group})
        return Identified(segmented, labels, codes, rows)

    def replace_names(self, identified: Identified) -> Pseudonymised:
        """Stage 4: names in the turns, the header, the free-text metadata and the file name
        become codes and placeholders (pipeline.privacy); nothing is stored here."""
        parsed, meta = identified.segmented.parsed, identified.segmented.request.meta
        current = list(self._sheet_labels() or []) + identified.labels
        file_name = safe_file_name(identified.segmented.request.source.name)
        # Free-text metadata and the file name get the same detection as the text; the file
        # name with '_' and '-' as spaces (verslag_Mohammed_El_Amrani.txt).
        texts = {"header": parsed.header, "title": meta.title, "prompt": meta.prompt,
                 "focus_group": meta.focus_group, "file_name": file_name_text(file_name)}
        texts.update({f"u{i}": turn.text.strip() for i, turn in enumerate(parsed.turns)})
        pseudonymiser = DocumentPseudonymiser(
            self.key, self.settings.pseudonymise, self.detector(),
            rejected=self.review.decisions.rejected, statement=meta.kind is Kind.STATEMENT,
            speakers=current, organisations=[p.organisation for p in self.participants or []],
            keep_parses=True)
        clean, occurrences = pseudonymiser.pseudonymise(texts)
        tables = {clean[f]: t for f, t in pseudonymiser.parsed_tables(texts, clean).items()
                  if f.startswith("u")}
        utterances: list[Utterance] = []
        offset = 0
        for index, turn in enumerate(parsed.turns):
            text = clean[f"u{index}"]
            code = identified.codes.get(normalise_label(turn.speaker)) if turn.speaker else None
            utterances.append(Utterance(index, code, text, offset, offset + len(text),
                                        turn.start, turn.end))
            offset += len(text) + 2  # joined with a blank line
        pseudonymiser = Pseudonymiser(self.key, self.settings.pseudonymise,
                                      self.review.decisions.rejected, current=current)
        if clean["file_name"] != texts["file_name"]:
            file_name = stored_file_name(clean["file_name"])
        else:
            file_name = pseudonymise_file_name(pseudonymiser, file_name)
        # Short metadata (organisation, group, date) only loses names from the key: the
        # detection would take an organisation's name for a person's or an organisation.
        clean_meta = replace(meta, prompt=clean["prompt"], title=clean["title"],
                             focus_group=clean["focus_group"],
                             organisation=pseudonymiser.replace(meta.organisation),
                             group=pseudonymiser.replace(meta.group),
                             date=pseudonymiser.replace(meta.date))
        rows = {code: self._known_names_out(row) for code, row in identified.speaker_rows.items()}
        document = Document(identified.segmented.digest, file_name, parsed.format, clean_meta,
                            clean["header"], utterances)
        return Pseudonymised(document, rows, occurrences,
                             {normalise_label(l) for l in identified.labels}, tables)


def file_name_text(name: str) -> str:
    """A file name as text for the name detection: '_' and '-' become spaces."""
    return name.replace("_", " ").replace("-", " ")


def stored_file_name(text: str) -> str:
    """A pseudonymised `file_name_text` as a file name again (spaces become '_'); its
    `file_name_text` is the text the review records' offsets refer to."""
    return text.replace(" ", "_")


def pseudonymise_file_name(pseudonymiser: Pseudonymiser, name: str) -> str:
    """File names often carry names joined by '_' or '-' (interview_Ayşe_Demir.vtt)."""
    direct = pseudonymiser.replace(name)
    spaced = name.replace("_", " ")
    replaced = pseudonymiser.replace(spaced)
    if replaced == spaced:
        return direct
    return replaced.replace(" ", "_")
