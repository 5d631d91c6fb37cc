"""Records that move between stages. Plain dataclasses; spaCy and SQLAlchemy stay inside
their own stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


# Group of a speaker who is on no participants sheet.
UNKNOWN_GROUP = "onbekend"


class Kind(str, Enum):
    TRANSCRIPT = "transcript"
    STATEMENT = "statement"


# What a user reads for each kind (the check table of an upload, the overview).
KIND_LABELS = {Kind.TRANSCRIPT: "transcript", Kind.STATEMENT: "verklaring"}


class Role(str, Enum):
    PARTICIPANT = "participant"
    FACILITATOR = "facilitator"


@dataclass(frozen=True)
class Participant:
    """One row of a participants sheet. `label` is how the speaker appears in transcripts
    (a real name: it never reaches the store)."""

    label: str
    group: str
    organisation: str = ""
    region: str = ""
    role: Role = Role.PARTICIPANT


@dataclass(frozen=True)
class DocumentMeta:
    """Metadata of one document, from the documents sheet or the command line."""

    kind: Kind = Kind.TRANSCRIPT
    focus_group: str = ""
    round: int | None = None
    date: str = ""
    prompt: str = ""
    organisation: str = ""
    group: str = ""
    title: str = ""


@dataclass
class Turn:
    """A speaker turn as read from a file, before pseudonymisation."""

    speaker: str | None
    text: str
    start: float | None = None
    end: float | None = None


@dataclass
class ParsedFile:
    """What a reader returns: turns in order plus an optional untagged header block."""

    format: str
    turns: list[Turn]
    header: str = ""
    # Dutch notes on what the reader repaired or left out (a caption's unreadable time).
    warnings: list[str] = field(default_factory=list)


@dataclass
class Utterance:
    """A pseudonymised speaker turn (or statement paragraph) as stored."""

    index: int
    speaker_code: str | None
    text: str
    char_start: int
    char_end: int
    start: float | None = None
    end: float | None = None


@dataclass
class Document:
    """A pseudonymised document as stored. `text` joins the utterances with blank lines;
    utterance offsets point into it."""

    content_hash: str
    file_name: str
    format: str
    meta: DocumentMeta
    header: str
    utterances: list[Utterance] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(u.text for u in self.utterances)

    @property
    def word_count(self) -> int:
        return sum(len(u.text.split()) for u in self.utterances)


@dataclass(frozen=True, slots=True)
class StoredUtterance:
    """A stored utterance with what analyses need: its document, offset into the document
    text, speaker code and the group and round it counts for."""

    document_id: int
    index: int
    text: str
    char_start: int
    speaker: str | None
    group: str
    round: int | None


@dataclass(frozen=True)
class TermHit:
    """One use of a lexicon term in a stored document (issue: term usages).

    Offsets are character offsets into the stored (pseudonymised) document text.
    `compound_part` is the other part of a compound ("beleid" in integratiebeleid), empty
    for a plain word; `mention` is the use/mention cue ("" for a plain use, else one of
    "quoted", "distanced", "named", "rejected")."""

    document_id: int
    utterance_index: int
    term_id: str
    label: str
    text: str
    start: int
    end: int
    sentence: str
    speaker: str | None
    group: str
    round: int | None
    compound_part: str = ""
    negated: bool = False
    mention: str = ""
    # the sense step (pipeline.terms.senses): None for a term that is never judged
    sense_score: float | None = None
    uncertain: bool = False     # kept, but for a person to confirm
    fuzzy: bool = False         # found by the fuzzy pass (a damaged word form)
