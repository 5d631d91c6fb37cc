"""Review of detected person names: the private queue, the decisions, and their effect on
the stored texts.

Everything here that holds a real name lives in one JSON file beside the pseudonym key
(`names_review.json` in the folder of `settings.paths.key_file`, owner-only permissions),
never in the database:
- `occurrences`: for every `[PERSOON-n]` placeholder written into a stored text, the document
  (content hash), the field (header, title, prompt, u<turn>), the character offsets of the
  placeholder in the stored text, the original words it hides, and a context snippet;
- `decisions`: names a reviewer confirmed, rejected (not a person) or added (a missed name).

Default = safe: every detected name is replaced at ingest. `confirm_names` keeps it replaced;
`reject_names` puts the original words back into the stored texts and forgets the name in the
key; `add_name` replaces a missed name in every stored text and remembers it. Later uploads
use the decisions: rejected words are no longer detected, added and confirmed names are.

A decision that changes stored texts also deletes, in the same transaction, the term hits of
the documents it touched (their sentences and offsets are of the old text), and then the
parse-cache and token-table-cache files of the old utterance texts (they hold the old words);
it records a `review` run, so `analysis_outdated` tells the CLI and the app that the analysis
must be run again. Decisions load and save the key and this file under `key_lock`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from pipeline.core.errors import FocuslexError
from pipeline.core.files import write_private_json
from pipeline.core.formats import count_noun, format_datetime
from pipeline.core.text import fold
from pipeline.privacy.detect import PERSON, NameDetector, NameLists, NameSpan, load_name_lists
from pipeline.privacy.pseudonymise import (CONTEXT_CHARS, Occurrence, PseudonymKey,
                                           Pseudonymiser, at_sentence_start, key_lock,
                                           normalise_name)
from pipeline.privacy.rules import RULES
from pipeline.core.settings import Settings
from pipeline.store.database import DocumentRow, RunRow, SpeakerRow, Store, TermHitRow
from pipeline.nlp.cache import forget_texts

REVIEW_FILE = "names_review.json"
CONTEXTS_SHOWN = 5
_VALID_NAME = re.compile(r"^[^\W\d_](?:[\w'’ .-]*[^\W\d_])?$")
REVIEW_RUN = "review"
REANALYSE_NOTICE = ("De opgeslagen teksten zijn gewijzigd door het nakijken van namen: voer de "
                    "analyse opnieuw uit (focuslex analyse) voor je termgebruik bekijkt of "
                    "exporteert.")
# Document fields a review edit may change besides the turns (u<index>).
_META_FIELDS = ("header", "title", "prompt", "focus_group", "organisation", "date")
# The speakers table is edited as one more "document" of the review book: `doc` SPEAKERS,
# field "<code>:<column>" (a decision applies to every stored field, speaker metadata too).
SPEAKERS = "speakers"
_SPEAKER_FIELDS = ("organisation", "region", "group")


def review_path(settings: Settings) -> Path:
    """The private review file: beside the key file."""
    return Path(settings.paths.key_file).with_name(REVIEW_FILE)


@dataclass(frozen=True)
class Record(Occurrence):
    """An `Occurrence` in a stored document (`doc` is the document's content hash)."""

    doc: str = ""


@dataclass
class Decisions:
    confirmed: set[str] = field(default_factory=set)  # normalised names
    rejected: set[str] = field(default_factory=set)  # normalised words
    added: list[str] = field(default_factory=list)  # names as typed by the reviewer


@dataclass(frozen=True)
class ReviewItem:
    """One detected name waiting for a decision, with where it was found."""

    name: str  # normalised (the key of decisions)
    shown: str  # as written most often in the texts
    placeholders: tuple[str, ...]
    count: int
    documents: int
    cues: tuple[str, ...]
    contexts: tuple[str, ...]


class ReviewBook:
    """The private review file: occurrences and decisions."""

    def __init__(self, path: Path, decisions: Decisions | None = None,
                 records: list[Record] | None = None) -> None:
        self.path = Path(path)
        self.decisions = decisions or Decisions()
        self.records: list[Record] = list(records or [])

    @classmethod
    def load(cls, path: Path) -> "ReviewBook":
        path = Path(path)
        if not path.exists():
            return cls(path)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            d = raw.get("decisions", {})
            decisions = Decisions({str(n) for n in d.get("confirmed", [])},
                                  {str(n) for n in d.get("rejected", [])},
                                  [str(n) for n in d.get("added", [])])
            records = [Record(**r) for r in raw.get("occurrences", [])]
        except (ValueError, TypeError, AttributeError) as exc:
            raise FocuslexError("FX-PSE-004", file=str(path), detail=str(exc)) from exc
        return cls(path, decisions, records)

    def save(self) -> None:
        """Write atomically with owner-only permissions."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "version": 1,
            "note": "focuslex: detected names and review decisions. Real names: keep private.",
            "decisions": {"confirmed": sorted(self.decisions.confirmed),
                          "rejected": sorted(self.decisions.rejected),
                          "added": self.decisions.added},
            "occurrences": [asdict(r) for r in self.records],
        }
        write_private_json(self.path, payload, indent=0)

    # -- what ingest and detection need ----------------------------------------------------
    def add(self, doc: str, occurrences: Iterable[Occurrence]) -> None:
        self.records.extend(Record(doc=doc, **asdict(o)) for o in occurrences)

    @property
    def known_names(self) -> set[str]:
        """Names a reviewer confirmed or added: detected without further cues."""
        return set(self.decisions.confirmed) | {normalise_name(n) for n in self.decisions.added}

    def undecided(self, documents: Iterable[str] | None = None) -> dict[str, list[Record]]:
        """The mentions of each detected name without a decision, in `documents` (content
        hashes; None: everywhere)."""
        decided = self.decisions.confirmed | self.decisions.rejected
        wanted = None if documents is None else set(documents)
        groups: dict[str, list[Record]] = defaultdict(list)
        for record in self.records:
            if record.name not in decided and (wanted is None or record.doc in wanted):
                groups[record.name].append(record)
        return groups

    def pending(self, documents: Iterable[str] | None = None) -> list[ReviewItem]:
        """Detected names without a decision, most frequent first; with `documents` (content
        hashes, e.g. those of one upload) only their mentions there."""
        items = []
        for name, records in self.undecided(documents).items():
            shown = Counter(_without_possessive(r.original) for r in records).most_common(1)[0][0]
            items.append(ReviewItem(
                name=name, shown=shown,
                placeholders=tuple(sorted({r.placeholder.split("]")[0] + "]" for r in records})),
                count=len(records), documents=len({r.doc for r in records}),
                cues=tuple(sorted({r.cue for r in records if r.cue})),
                contexts=tuple(r.context for r in records[:CONTEXTS_SHOWN])))
        items.sort(key=lambda i: (-i.count, i.shown.casefold()))
        return items


def _without_possessive(text: str) -> str:
    for ending in ("'s", "’s", "'", "’"):
        if text.endswith(ending) and len(text) > len(ending) + 1:
            return text[: -len(ending)]
    return text


# -- decisions ------------------------------------------------------------------------------

def confirm_names(settings: Settings, names: Iterable[str]) -> int:
    """Confirm that these detected names are persons: they stay replaced. Returns how many."""
    with key_lock(settings.paths.key_file):
        book = ReviewBook.load(review_path(settings))
        wanted = {normalise_name(n) for n in names}
        _require_known(book, wanted)
        book.decisions.confirmed |= wanted
        book.decisions.rejected -= wanted
        book.save()
    return len(wanted)


def reject_names(settings: Settings, store: Store, names: Iterable[str]) -> int:
    """These words are no person's name: put them back in every stored text, forget them in
    the key and never detect them again. Returns the number of restored occurrences.
    The term hits and cached parses of the changed texts are deleted (see the module
    docstring)."""
    with key_lock(settings.paths.key_file):
        book = ReviewBook.load(review_path(settings))
        key = PseudonymKey.load(settings.paths.key_file)
        wanted = {normalise_name(n) for n in names}
        _require_known(book, wanted)
        edits: dict[tuple[str, str], list[_Edit]] = defaultdict(list)
        for record in book.records:
            if record.name in wanted:
                edits[(record.doc, record.field)].append(_Edit(record.start, record.end,
                                                               record.original, remove=record))
        restored, old_texts = _apply_edits(store, book, edits)
        for name in wanted:
            key.remove_person_name(name)
        book.decisions.rejected |= wanted
        book.decisions.confirmed -= wanted
        book.decisions.added = [n for n in book.decisions.added
                                if normalise_name(n) not in wanted]
        key.save()
        book.save()
    _after_edits(settings, store, old_texts, "reject", restored)
    return restored


def add_name(settings: Settings, store: Store, name: str) -> int:
    """A name the detection missed: replace it (and its first name / surname parts, as at
    ingest) in every stored text and remember it for later uploads. Returns the number of
    replaced occurrences.

    The typed name itself is matched in any case ("zerrin", also a lower-case common word:
    the reviewer asked for it); its parts follow the rules of ingest (a part that is a Dutch
    word only when capitalised). The term hits and cached parses of the changed texts are
    deleted (see the module docstring)."""
    shown = " ".join(name.split())
    if len(shown) < 2 or not _VALID_NAME.match(shown):
        raise FocuslexError("FX-PSE-005", detail="te kort of met tekens die in geen naam staan"
                            if len(shown) < 2 else "bevat cijfers, haakjes of leestekens")
    return _replace_everywhere(settings, store, [(shown, "toegevoegd")], added=True)


def _replace_everywhere(settings: Settings, store: Store, names: Sequence[tuple[str, str]],
                        added: bool) -> int:
    """Replace each (name as shown, cue) in every stored text. `added`: a reviewer added
    the name (any case, confirmed, remembered); else the name goes back to the review queue
    with its cue (the undo of 'geen naam')."""
    replaced = 0
    old_texts: list[str] = []
    with key_lock(settings.paths.key_file):
        book = ReviewBook.load(review_path(settings))
        key = PseudonymKey.load(settings.paths.key_file)
        for shown, cue in names:
            wanted = normalise_name(shown)
            book.decisions.rejected.discard(wanted)
            person, ambiguous = key.register_person(shown, origin="added" if added
                                                    else "detected")
            target = (settings.pseudonymise.ambiguous_placeholder if ambiguous or person is None
                      else person.placeholder(settings.pseudonymise))
            matcher = Pseudonymiser(key, settings.pseudonymise,
                                    rejected=book.decisions.rejected,
                                    any_case=[shown] if added else [])
            count, texts = _apply_edits(store, book, _added_name_edits(store, matcher, target,
                                                                       cue))
            replaced += count
            old_texts += texts
            if added:
                if shown not in book.decisions.added:
                    book.decisions.added.append(shown)
                book.decisions.confirmed.add(wanted)
        key.save()
        book.save()
    _after_edits(settings, store, old_texts, "add" if added else "undo", replaced)
    return replaced


def _added_name_edits(store: Store, matcher: Pseudonymiser, target: str,
                      cue: str = "toegevoegd") -> dict[tuple[str, str], list[_Edit]]:
    """Where an added name stands in every stored field: the texts and metadata of every
    document, and the speakers' organisation, region and group."""
    edits: dict[tuple[str, str], list[_Edit]] = defaultdict(list)
    with store.session() as session:
        targets = [(row.content_hash, _fields(row)) for row in session.scalars(
            select(DocumentRow).options(selectinload(DocumentRow.utterances)))]
        targets.append((SPEAKERS, _speaker_fields(list(session.scalars(select(SpeakerRow))))))
    for doc, fields in targets:
        for field_name, text in fields.items():
            for span in matcher.spans(text):
                if span.kind != "person" or span.placeholder != target:
                    continue
                original = text[span.start:span.full_end]
                edits[(doc, field_name)].append(_Edit(
                    span.start, span.full_end, target + span.suffix,
                    new=Record(doc=doc, field=field_name, start=0, end=0,
                               placeholder=target + span.suffix, original=original,
                               name=normalise_name(original), cue=cue,
                               context="")))
    return edits


@dataclass(frozen=True)
class KeptItem:
    """Something in the stored texts that looks like a name but was kept, and why."""

    shown: str
    count: int
    reason: str  # the reason of the detection rule that kept it (Dutch)
    context: str
    rule: str = ""


# Rules whose kept runs may hide a missed name (an ordinary word or an unknown capitalised
# word mid-sentence, something taken for a place or organisation).
_NAME_LIKE = frozenset({"organisatie", "straat-of-gebouw", "plaats", "na-plaatsvoorzetsel",
                        "evenement", "woord-vooraan", "geen-aanwijzing", "gewoon-woord"})
_MID_SENTENCE_ONLY = frozenset({"geen-aanwijzing", "gewoon-woord"})
_UNSURE = frozenset({"geen-aanwijzing", "woord-vooraan", "gewoon-woord", "na-plaatsvoorzetsel"})


def _looks_like_a_name(span: NameSpan, detector: NameDetector, text: str) -> bool:
    """A kept run worth showing: a listed first name or surname, an unknown capitalised word
    mid-sentence, or a place/organisation/event that is not an ordinary Dutch word."""
    if span.kind == PERSON or span.rule not in _NAME_LIKE:
        return False
    lists = detector.lists
    words = [w for w in span.text.split() if w[:1].isupper()]
    if any(lists.is_first_name(w) or lists.is_surname(w) for w in words):
        return not (span.rule in _MID_SENTENCE_ONLY and at_sentence_start(text, span.start))
    if span.rule in _MID_SENTENCE_ONLY and (span.rule == "gewoon-woord"
                                            or at_sentence_start(text, span.start)):
        return False
    return not all(detector.is_ordinary(w) for w in words)


def kept_candidates(store: Store, detector: NameDetector, limit: int = 60,
                    documents: Iterable[int] | None = None) -> list[KeptItem]:
    """What looks like a name in the stored turns (of `documents`, ids; None: all) but was
    kept, most frequent first, so a reviewer can add a missed name in one click
    (`add_name`). Capitalised words at the start of a sentence are left out unless a rule
    flagged them. The context is a whole-word snippet with the word between ⟦ ⟧."""
    wanted = None if documents is None else set(documents)
    found: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for utterance in store.stored_utterances():
        if wanted is not None and utterance.document_id not in wanted:
            continue
        text = utterance.text
        for span in detector.explain(text):
            if not _looks_like_a_name(span, detector, text):
                continue
            found[span.text].append((span.rule, span.cue,
                                     whole_word_snippet(text, span.start, span.full_end,
                                                        width=35)))
    items = []
    for shown, hits in found.items():
        rule, reason = Counter((r, c) for r, c, _ in hits).most_common(1)[0][0]
        items.append(KeptItem(shown, len(hits), reason, hits[0][2], rule))
    # unknown words and names that are also words first: they hide most missed names
    items.sort(key=lambda i: (i.rule not in _UNSURE, -i.count, i.shown.casefold()))
    return items[:limit]


def analysis_outdated(store: Store) -> bool:
    """Whether a review decision changed stored texts after the last analysis (its term
    hits were deleted): then the analysis must be run again (`REANALYSE_NOTICE`)."""
    review = store.last_run(REVIEW_RUN)
    if review is None:
        return False
    analysis = store.last_run("analyse")
    return analysis is None or analysis.id < review.id


def _after_edits(settings: Settings, store: Store, old_texts: list[str], action: str,
                 count: int) -> None:
    """After a decision changed stored texts: delete the cache files of the old texts and
    record a `review` run (counts only, no names)."""
    if not old_texts:
        return
    removed = forget_texts(Path(settings.paths.cache_dir), old_texts)
    checkpoint(store)
    run_id = store.start_run(REVIEW_RUN, {"action": action})
    store.finish_run(run_id, "ok", {"occurrences": count, "texts": len(old_texts),
                                    "cache_files_removed": removed})


def checkpoint(store: Store) -> None:
    """After a rewrite of stored texts: copy the SQLite write-ahead log into the database and
    truncate it, so the old texts do not linger in `<db>-wal` (with `secure_delete` on, the
    freed space in the database itself is zeroed). Nothing to do for other databases."""
    if store.engine.dialect.name != "sqlite":
        return
    with store.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _require_known(book: ReviewBook, names: set[str]) -> None:
    present = {r.name for r in book.records} | book.decisions.confirmed | book.decisions.rejected
    if not names or not names <= present:
        raise FocuslexError("FX-PSE-006")


# -- editing stored texts -------------------------------------------------------------------

@dataclass
class _Edit:
    start: int
    end: int
    text: str
    remove: Record | None = None  # the record this edit undoes
    new: Record | None = None  # the record this edit creates (offsets filled in)


def _fields(row: DocumentRow) -> dict[str, str]:
    texts = {name: getattr(row, name) or "" for name in _META_FIELDS}
    # the file name as the name detection saw it at ingest (pipeline.ingest.service.file_name_text)
    texts["file_name"] = (row.file_name or "").replace("_", " ").replace("-", " ")
    for u in row.utterances:
        texts[f"u{u.idx}"] = u.text
    return texts


def _speaker_fields(rows: list[SpeakerRow]) -> dict[str, str]:
    return {f"{r.code}:{column}": getattr(r, column) or "" for r in rows
            for column in _SPEAKER_FIELDS}


def _set_speaker_field(rows: list[SpeakerRow], field_name: str, text: str) -> None:
    code, _, column = field_name.partition(":")
    for row in rows:
        if row.code == code and column in _SPEAKER_FIELDS:
            setattr(row, column, text)


def _set_field(row: DocumentRow, field_name: str, text: str) -> None:
    if field_name in _META_FIELDS:
        setattr(row, field_name, text)
        return
    if field_name == "file_name":
        row.file_name = text.replace(" ", "_")
        return
    idx = int(field_name[1:])
    for u in row.utterances:
        if u.idx == idx:
            u.text = text
            return


def _relayout(row: DocumentRow) -> None:
    """Recompute the document text, utterance offsets and word count after an edit."""
    offset = 0
    texts = []
    for u in sorted(row.utterances, key=lambda u: u.idx):
        u.char_start, u.char_end = offset, offset + len(u.text)
        offset += len(u.text) + 2
        texts.append(u.text)
    row.text = "\n\n".join(texts)
    row.word_count = sum(len(t.split()) for t in texts)


def _rewrite(text: str, edits: list[_Edit], kept: list[Record]) -> tuple[str, list[Record], int]:
    """Apply non-overlapping edits to one field; shift the kept records; return the new
    text, the records of this field afterwards and the number of edits applied."""
    valid = []
    for edit in sorted(edits, key=lambda e: e.start):
        if edit.remove is not None and text[edit.start:edit.end] != edit.remove.placeholder:
            continue  # the stored text changed since: leave it, drop the stale record
        if valid and edit.start < valid[-1].end:
            continue
        valid.append(edit)
    pieces: list[str] = []
    last = 0
    shift = 0
    new_records: list[Record] = []
    for edit in valid:
        pieces.append(text[last:edit.start])
        pieces.append(edit.text)
        if edit.new is not None:
            start = edit.start + shift
            context = _context(text, edit)
            new_records.append(Record(**{**asdict(edit.new), "start": start,
                                         "end": start + len(edit.text), "context": context}))
        shift += len(edit.text) - (edit.end - edit.start)
        last = edit.end
    pieces.append(text[last:])
    moved = []
    for record in kept:
        if any(e.start < record.end and record.start < e.end for e in valid):
            continue
        delta = sum(len(e.text) - (e.end - e.start) for e in valid if e.end <= record.start)
        moved.append(Record(**{**asdict(record), "start": record.start + delta,
                               "end": record.end + delta}))
    return "".join(pieces), sorted(moved + new_records, key=lambda r: r.start), len(valid)


def _context(text: str, edit: _Edit) -> str:
    original = edit.new.original if edit.new else ""
    snippet = text[max(0, edit.start - 70):edit.start] + "⟦" + original + "⟧" + \
        text[edit.end:edit.end + 70]
    return " ".join(snippet.split())


def _apply_edits(store: Store, book: ReviewBook,
                 edits: dict[tuple[str, str], list[_Edit]]) -> tuple[int, list[str]]:
    """Apply edits to the stored documents (and the speakers table, `SPEAKERS`) in one
    transaction and keep the book's records in step with the new offsets. Records of touched
    fields that no longer fit are dropped. In the same transaction the term hits of the
    touched documents are deleted. Returns the number of edits applied and the old texts of
    the changed utterances (for the caches)."""
    if not edits:
        return 0, []
    removed = {id(e.remove) for group in edits.values() for e in group if e.remove is not None}
    by_field: dict[tuple[str, str], list[Record]] = defaultdict(list)
    others: list[Record] = []
    for record in book.records:
        if (record.doc, record.field) in edits:
            if id(record) not in removed:
                by_field[(record.doc, record.field)].append(record)
        else:
            others.append(record)
    applied = 0
    rewritten: list[Record] = []
    old_texts: list[str] = []
    touched: set[int] = set()
    docs = sorted({doc for doc, _ in edits})
    with store.session() as session:
        rows = {r.content_hash: r for r in session.scalars(
            select(DocumentRow).where(DocumentRow.content_hash.in_(docs))
            .options(selectinload(DocumentRow.utterances)))}
        speakers = list(session.scalars(select(SpeakerRow))) if SPEAKERS in docs else []
        for (doc, field_name), group in edits.items():
            row = rows.get(doc)
            fields = _speaker_fields(speakers) if doc == SPEAKERS else (
                _fields(row) if row is not None else {})  # a deleted document: records go
            text = fields.get(field_name)
            if text is None:
                continue
            new_text, records, count = _rewrite(text, group, by_field[(doc, field_name)])
            if row is None:
                _set_speaker_field(speakers, field_name, new_text)
            else:
                if new_text != text and field_name.startswith("u"):
                    touched.add(row.id)  # hits hold sentences and offsets of the turns only
                    old_texts.append(text)
                _set_field(row, field_name, new_text)
            rewritten.extend(records)
            applied += count
        for row in rows.values():
            _relayout(row)
        if touched:
            session.execute(delete(TermHitRow).where(TermHitRow.document_id.in_(sorted(touched))))
    book.records = others + rewritten
    return applied, old_texts


# -- the review table: filters, plain cues, confidence, bulk actions with undo ----------------

# Per rule (`pipeline.privacy.rules`, and the older short cues): the cue in plain Dutch for
# the reviewer, and how sure the detection is (0..1; the table shows the least sure first).
PLAIN_CUES: dict[str, tuple[str, float]] = {
    "onbekende-eigennaam": ("onbekend woord met een hoofdletter midden in een zin", 0.3),
    "eigennaam-woord": ("ook een gewoon woord, hier met een hoofdletter midden in een zin", 0.35),
    "namenlijst": ("staat in de lijst met voornamen of familienamen", 0.5),
    "aanspreking-vooraan": ("vooraan in een zin, gevolgd door een komma", 0.5),
    "taalmodel": ("het taalmodel herkent er een persoonsnaam in", 0.55),
    "werkt-bij": ("een voornaam, gevolgd door waar iemand werkt", 0.7),
    "citaat": ("staat vóór een citaat", 0.7),
    "aanspreking": ("iemand wordt bij naam aangesproken", 0.75),
    "voornaam-en-naam": ("een voornaam met een familienaam erbij", 0.8),
    "werkwoord": ("staat na 'heet', 'noemen' of 'ik ben'", 0.85),
    "titel": ("staat na een titel of rol, zoals 'mevrouw', 'schepen' of 'mijn collega'", 0.9),
    "bekend": ("eerder door een nakijker bevestigd of toegevoegd", 1.0),
    "toegevoegd": ("door een nakijker toegevoegd", 1.0),
    # the short cues of review files written before the rules had names
    "lijst": ("staat in de lijst met voornamen of familienamen", 0.5),
    "propn": ("het taalmodel herkent er een persoonsnaam in", 0.55),
}
_RULE_OF_REASON = {rule.reason: rule.name for rule in RULES}
UNKNOWN_CUE = ("geen reden bewaard", 0.5)


def certainty_label(confidence: float) -> str:
    """How sure the detection is, in a word for the reviewer."""
    return "twijfel" if confidence < 0.5 else ("vrij zeker" if confidence < 0.8 else "zeker")


def plain_cue(cue: str) -> tuple[str, float]:
    """The plain-Dutch cue and the confidence of a stored cue (a rule's reason, a rule name
    or an older short cue)."""
    rule = _RULE_OF_REASON.get(cue, cue)
    return PLAIN_CUES.get(rule, (cue, UNKNOWN_CUE[1]) if cue else UNKNOWN_CUE)


def whole_word_snippet(text: str, start: int, end: int, marked: str | None = None,
                       width: int = 60, cut_left: bool = False, cut_right: bool = False) -> str:
    """`text[start:end]` (or `marked`) between ⟦ ⟧ with at most about `width` characters on
    each side, cut only between words (never inside one), '…' where text was left out.
    `cut_left`/`cut_right`: `text` itself was cut there, so its first/last word may be
    partial and is dropped."""
    left_words = text[:start].split()
    right_words = text[end:].split()
    if cut_left and left_words and not text[:1].isspace():
        left_words = left_words[1:]
    if cut_right and right_words and not text[-1:].isspace():
        right_words = right_words[:-1]
    left: list[str] = []
    for word in reversed(left_words):
        if left and sum(len(w) + 1 for w in left) + len(word) > width:
            break
        left.insert(0, word)
    right: list[str] = []
    for word in right_words:
        if right and sum(len(w) + 1 for w in right) + len(word) > width:
            break
        right.append(word)
    pieces = (["…"] if len(left) < len(left_words) or cut_left else []) + left
    core = "⟦" + (text[start:end] if marked is None else marked) + "⟧"
    glue = "" if start > 0 and not text[start - 1:start].isspace() else " "
    after = "" if end < len(text) and not text[end:end + 1].isspace() else " "
    tail = right + (["…"] if len(right) < len(right_words) or cut_right else [])
    return (" ".join(pieces) + glue + core + after + " ".join(tail)).strip()


def _record_snippet(context: str, width: int = 60) -> str:
    """A whole-word snippet of a stored context ('... text ⟦Name⟧ text ...', cut from the
    stored text at CONTEXT_CHARS characters on each side, so its edge words may be partial)."""
    start, end = context.find("⟦"), context.find("⟧")
    if start < 0 or end < start:
        return " ".join(context.split()[1:-1])
    plain = context[:start] + context[start + 1:end] + context[end + 1:]
    return whole_word_snippet(plain, start, end - 1, width=width,
                              cut_left=start >= CONTEXT_CHARS - 15,
                              cut_right=len(context) - end - 1 >= CONTEXT_CHARS - 15)


@dataclass(frozen=True)
class Upload:
    """One upload (an ingest run) and the documents it stored (content hashes)."""

    run_id: int
    at: dt.datetime | None
    documents: frozenset[str]


def uploads(store: Store) -> list[Upload]:
    """Every upload that stored documents, newest first, with the documents it stored (from
    the ingest runs: a file of the run that was stored during the run; a file that was
    already stored belongs to the upload that stored it)."""
    with store.session() as session:
        runs = list(session.scalars(select(RunRow).where(RunRow.command == "ingest")
                                    .order_by(RunRow.id.desc())))
        created = {digest: when for digest, when in session.execute(
            select(DocumentRow.content_hash, DocumentRow.created_at)).all()}
    found = []
    for run in runs:
        files = (run.details or {}).get("files", [])
        began = _as_utc(run.started_at)
        hashes = frozenset(h for f in files if isinstance(f, dict)
                           and (h := f.get("sha256", "")) in created
                           and began is not None and _as_utc(created[h]) >= began)
        if hashes:
            found.append(Upload(run.id, run.finished_at or run.started_at, hashes))
    return found


def _as_utc(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.timezone.utc)


def upload_label(upload: Upload, files: dict[str, str]) -> str:
    """'upload 12 · 24/11/2026 14:05 · gesprek-1.txt, gesprek-2.txt +1' (files: content
    hash -> file name)."""
    names = sorted(files.get(h, "?") for h in upload.documents)
    shown = ", ".join(names[:2]) + (f" +{len(names) - 2}" if len(names) > 2 else "")
    return f"upload {upload.run_id} · {format_datetime(upload.at)} · {shown}"


@dataclass(frozen=True)
class ReviewRow:
    """One row of the review table: a detected name waiting for a decision."""

    name: str  # normalised (the key of decisions)
    shown: str  # as written most often
    kind: str  # voornaam, familienaam, voor- en familienaam, onbekend woord (Dutch)
    cue: str  # the most certain reason, in plain Dutch
    confidence: float  # 0..1, of the most certain reason
    mentions: int
    documents: int
    context: str  # one whole-word snippet, the name between ⟦ ⟧
    contexts: tuple[str, ...] = ()  # the other distinct snippets
    short_context: str = ""  # the first snippet in about 35 characters a side (for a table)


def name_kind(shown: str, lists: NameLists) -> str:
    """What kind of name `shown` is, by the name lists (Dutch)."""
    words = [fold(w) for w in shown.split() if w[:1].isupper()]
    first = any(w in lists.first_names for w in words)
    last = any(w in lists.surnames for w in words)
    if len(words) > 1 and first:
        return "voor- en familienaam"
    if first:
        return "voornaam"
    if last:
        return "familienaam"
    return "onbekend woord"


def review_rows(book: ReviewBook, documents: Iterable[str] | None = None,
                lists: NameLists | None = None) -> list[ReviewRow]:
    """The names waiting for a decision, with their mentions in `documents` (content
    hashes; None: everywhere), least sure first, then most mentioned. One snippet per name
    (and the other distinct ones), never cut inside a word."""
    lists = lists or load_name_lists()
    rows = []
    for name, records in book.undecided(documents).items():
        shown = Counter(_without_possessive(r.original) for r in records).most_common(1)[0][0]
        cue, confidence = max((plain_cue(r.cue) for r in records), key=lambda c: c[1])
        snippets = list(dict.fromkeys(_record_snippet(r.context) for r in records))
        rows.append(ReviewRow(name, shown, name_kind(shown, lists), cue, confidence,
                              len(records), len({r.doc for r in records}), snippets[0],
                              tuple(snippets[1:CONTEXTS_SHOWN]),
                              _record_snippet(records[0].context, width=35)))
    rows.sort(key=lambda r: (r.confidence, -r.mentions, r.shown.casefold()))
    return rows


@dataclass(frozen=True)
class BulkAction:
    """One bulk decision, enough to undo it: `action` 'confirm' (is a person, stays
    replaced) or 'reject' (no name: the words went back into the texts); per name the name
    as shown and its stored cue; `count` what the decision did (names or occurrences)."""

    action: str
    names: tuple[tuple[str, str, str], ...]  # (normalised, shown, cue)
    count: int

    def summary(self) -> str:
        """What was done, in Dutch (for the notice and the undo button)."""
        names = count_noun(len(self.names), "naam", "namen")
        if self.action == "confirm":
            return (f"{names} bevestigd als persoon; "
                    f"{'hij blijft' if len(self.names) == 1 else 'ze blijven'} vervangen.")
        return (f"{names} behouden als gewoon woord: "
                f"{count_noun(self.count, 'vermelding', 'vermeldingen')} teruggezet in de tekst.")


def decide_names(settings: Settings, store: Store, action: str,
                 rows: Sequence[ReviewRow]) -> BulkAction:
    """Confirm (`action` 'confirm') or keep as ordinary words ('reject') the names of
    `rows` at once; returns what `undo_bulk` needs."""
    if not rows:
        raise FocuslexError("FX-PSE-006")
    book = ReviewBook.load(review_path(settings))
    cues: dict[str, str] = {}
    for record in book.records:
        if record.name in {r.name for r in rows}:
            best = cues.get(record.name)
            if best is None or plain_cue(record.cue)[1] > plain_cue(best)[1]:
                cues[record.name] = record.cue
    names = tuple((r.name, r.shown, cues.get(r.name, "")) for r in rows)
    if action == "confirm":
        count = confirm_names(settings, [r.name for r in rows])
    elif action == "reject":
        count = reject_names(settings, store, [r.name for r in rows])
    else:
        raise ValueError(action)
    return BulkAction(action, names, count)


def undo_bulk(settings: Settings, store: Store, last: BulkAction) -> int:
    """Undo one bulk decision: confirmed names wait for review again; names kept as words
    are replaced again in every stored text (capitalised, as detected) and wait for review
    with their old cue. Returns the number of names (confirm) or occurrences (reject)."""
    if last.action == "confirm":
        with key_lock(settings.paths.key_file):
            book = ReviewBook.load(review_path(settings))
            book.decisions.confirmed -= {name for name, _, _ in last.names}
            book.save()
        return len(last.names)
    return _replace_everywhere(settings, store, [(shown, cue) for _, shown, cue in last.names],
                               added=False)
