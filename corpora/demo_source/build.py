#!/usr/bin/env python3
"""Build the focuslex demo corpus from the hand-written, marked-up sources in this folder.

Usage (from the repository root, with the project venv):

    .venv/bin/python corpora/demo_source/build.py --check corpora/demo_source/r1_a.txt ...
    .venv/bin/python corpora/demo_source/build.py

``--check`` parses and validates only the given files and prints every problem as
``FILE:LINE: message`` (exit status 1 if there is any error; warnings do not fail).
Without arguments all sources (``r*_*.txt`` and ``statements/*.txt``) are checked; on any
error nothing is written, otherwise ``corpora/demo/`` is (re)written: the documents in their
target formats, ``participants.xlsx``, ``documents.csv`` and the answer key in
``annotations/``. The source format and the markup are described in ``FORMAT.md``.

The build is deterministic: the same sources give byte-identical outputs (zip timestamps,
document core properties and PDF dates are fixed; cue timings use a seeded generator).
"""

from __future__ import annotations

import argparse
import csv
import difflib
import hashlib
import io
import json
import random
import re
import sys
import unicodedata
import uuid
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

SOURCE_DIR = Path(__file__).resolve().parent
DEMO_DIR = SOURCE_DIR.parent / "demo"
ROSTER_CSV = DEMO_DIR / "participants.csv"
ANNOTATIONS_DIR = DEMO_DIR / "annotations"
DOCUMENTS_CSV = DEMO_DIR / "documents.csv"
PARTICIPANTS_XLSX = DEMO_DIR / "participants.xlsx"

# Mirrors the lists in FORMAT.md; change both together.
CONCEPTS: tuple[str, ...] = (
    "integratie", "assimilatie", "discriminatie", "racisme", "onbewust_racisme", "inburgering",
    "nieuwkomer", "migratieachtergrond", "migratieroots", "allochtoon", "autochtoon",
    "diversiteit", "superdiversiteit", "inclusie", "segregatie", "burgerschap", "etnisch",
    "gelijke_kansen", "migratie", "vluchteling", "asielzoeker", "xenofobie", "vreemdelingenhaat",
    "antisemitisme", "participatie", "samenleven", "statushouder", "islamofobie", "vooroordeel",
    "stereotype", "etnisch_profileren", "haatspraak", "polarisatie", "radicalisering",
    "positieve_actie", "positieve_discriminatie", "interculturaliteit",
    "multiculturele_samenleving", "nieuwe_vlaming", "mensen_van_kleur", "wit_privilege",
    "anderstalige", "gastarbeider", "sociale_cohesie", "gelijkwaardigheid", "emancipatie",
    "kansengroep", "mensen_zonder_wettig_verblijf", "minderheid",
)
THEMES: tuple[str, ...] = (
    "werk", "onderwijs", "wonen", "taal_inburgering", "buurt_vertrouwen", "media",
    "racisme_vooroordelen", "participatie", "gelijke_kansen", "taal_en_begrippen", "proces",
)
SESSION_KEYS: tuple[str, ...] = ("id", "round", "focus_group", "date", "prompt", "format", "file")
STATEMENT_KEYS: tuple[str, ...] = (
    "id", "kind", "organisation", "group", "date", "title", "format", "file",
)
SESSION_FORMATS: dict[str, str] = {
    "txt": ".txt", "txt-timestamps": ".txt", "md": ".md", "docx": ".docx",
    "docx-table": ".docx", "vtt": ".vtt", "srt": ".srt",
}
STATEMENT_FORMATS: dict[str, str] = {"txt": ".txt", "md": ".md", "docx": ".docx", "pdf": ".pdf"}
MIN_SESSION_WORDS = 3400
ROUNDS = range(1, 5)

# Words outside markup that look like a delicate term and must therefore be marked.
# "samenleving" ('society') is deliberately not matched; the forms of samenleven are.
TERM_STEM_RE = re.compile(
    r"integr|discrimin|racis|inburger|nieuwkom|allochto|autochto|divers|inclus|segreg"
    r"|burgerschap|etnisch|migra|vlucht|asiel|xenofob|vreemdeling|antisemit|particip|assimil"
    r"|statushouder|superdivers|islamofob|vooroorde|stereotyp|polaris|radicalis|intercultur"
    r"|multicultur|gastarbeid|cohesie|gelijkwaardig|emancip|kansengroep|minderhe"
    r"|samenleven|samenleeft|samengeleefd|samenleef",
    re.IGNORECASE,
)
WORD_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
MARKUP_RE = re.compile(r"\{\{(.*?)\}\}|<<(.*?)>>", re.DOTALL)
STRAY_MARKUP_RE = re.compile(r"\{|\}|<|>|\|")
SPEAKER_LINE_RE = re.compile(r"^==\s*(?P<label>[^|]*?)\s*(?:\|\s*(?P<themes>.*?)\s*)?$")
HEADER_LINE_RE = re.compile(r"^(?P<key>[A-Za-z_]+)\s*:\s*(?P<value>.*)$")
HEADER_COMMENT_RE = re.compile(r"\s+#\s.*$")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

SENTENCE_END_RE = re.compile(r"[.!?…]+[\"”’»')\]]*\s+")
OPENING_QUOTES = "\"“‘'„«"
ABBREVIATION_RE = re.compile(
    r"(?:^|[\s(])(?:bv|bijv|dr|mevr|dhr|mr|nr|o\.a|m\.a\.w|i\.p\.v|t\.o\.v|vgl|zgn|ca|St)[.]$"
)

SURNAME_PARTICLES = frozenset({"van", "de", "den", "der", "el", "ait", "le", "la", "du", "ter", "ten"})
DUTCH_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december",
)
FIXED_DATETIME = datetime(2026, 1, 1, 9, 0, 0)
FIXED_ZIP_TIME = (2026, 1, 1, 9, 0, 0)
WORDS_PER_SECOND = 2.5
CUE_MAX_WORDS = 18
SRT_LINE_WIDTH = 70
PDF_FONT_CANDIDATES = ("DejaVuSans.ttf", "LiberationSans-Regular.ttf", "NotoSans-Regular.ttf")
PDF_BOLD_CANDIDATES = ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf", "NotoSans-Bold.ttf")
PDF_FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
PDF_VOWELS = frozenset("aeiouyàáâäèéêëìíîïòóôöùúûü")
PDF_ONSETS = frozenset(
    {"bl", "br", "ch", "dr", "dw", "fl", "fr", "gl", "gr", "kl", "kn", "kr", "kw", "pl", "pr",
     "sc", "sj", "sl", "sm", "sn", "sp", "st", "sw", "th", "tj", "tr", "tw", "vl", "vr", "wr",
     "zw"}
)


# --------------------------------------------------------------------------- data model


@dataclass(frozen=True)
class Span:
    """A marked term or name, as code-point offsets into the stripped paragraph text."""

    kind: str  # "term" or "name"
    start: int
    end: int
    surface: str
    concept: str | None = None
    in_scope: bool = True


@dataclass
class Paragraph:
    line: int
    text: str
    spans: list[Span]
    style: str = "body"  # body | heading | bullet (headings and bullets: statements only)


@dataclass
class Unit:
    """A turn of a transcript, or one paragraph (heading, bullet) of a statement."""

    line: int
    speaker: str | None
    themes: list[str]
    paragraphs: list[Paragraph]


@dataclass
class Source:
    path: Path
    shown: str
    kind: str  # "session" or "statement"
    header: dict[str, str]
    header_lines: dict[str, int]
    units: list[Unit] = field(default_factory=list)

    @property
    def doc_id(self) -> str:
        return self.header["id"]

    @property
    def fmt(self) -> str:
        return self.header["format"]

    @property
    def out_file(self) -> str:
        return self.header["file"]

    def words(self) -> int:
        return sum(count_words(p.text) for u in self.units for p in u.paragraphs)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        prefix = "warning: " if self.warning else ""
        return f"{self.file}:{self.line}: {prefix}{self.message}"


@dataclass(frozen=True)
class Roster:
    speakers: dict[str, dict[str, str]]  # label -> csv row
    name_forms: frozenset[str]  # casefolded first names, surnames and full names

    def organisations(self) -> dict[str, str]:
        return {row["organisation"]: row["group"] for row in self.speakers.values()}

    def groups(self) -> set[str]:
        return {row["group"] for row in self.speakers.values() if row["group"] != "facilitator"}


@dataclass
class Sentence:
    sentence_id: str
    file: str
    unit: int
    speaker: str | None
    text: str
    spans: list[Span]


@dataclass(frozen=True)
class Cue:
    unit: int
    part: int
    speaker: str
    text: str
    start: float
    end: float


# --------------------------------------------------------------------------- helpers


def count_words(text: str) -> int:
    """Whitespace-separated tokens that contain at least one letter or digit."""
    return sum(1 for token in text.split() if any(ch.isalnum() for ch in token))


def dutch_date(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.day} {DUTCH_MONTHS[day.month - 1]} {day.year}"


def session_title(source: Source) -> str:
    return f"Transcript {source.header['focus_group']} – ronde {source.header['round']}"


def document_title(source: Source) -> str:
    return session_title(source) if source.kind == "session" else source.header["title"]


def name_forms_of(label: str) -> set[str]:
    """Full name, first name, given names and surname (with particles) of a roster label."""
    tokens = label.split()
    forms = {label, tokens[0]}
    if len(tokens) > 1:
        cut = next(
            (i for i in range(1, len(tokens)) if tokens[i].lower() in SURNAME_PARTICLES),
            len(tokens) - 1,
        )
        forms.add(" ".join(tokens[cut:]))
        forms.add(" ".join(tokens[:cut]))
    return {form.casefold() for form in forms}


def load_roster(path: Path = ROSTER_CSV) -> Roster:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [
            {key: unicodedata.normalize("NFC", value) for key, value in row.items()}
            for row in csv.DictReader(handle)
        ]
    speakers = {row["speaker"]: row for row in rows}
    forms: set[str] = set()
    for label in speakers:
        forms |= name_forms_of(label)
    return Roster(speakers=speakers, name_forms=frozenset(forms))


def suggestion(value: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


# --------------------------------------------------------------------------- parsing


def parse_markup(raw: str, line: int, shown: str) -> tuple[Paragraph, list[Problem]]:
    """Strip the markup of one paragraph (lines joined by newlines) and collect its spans."""
    problems: list[Problem] = []
    pieces: list[str] = []
    spans: list[Span] = []
    position = 0
    length = 0

    def line_of(offset: int) -> int:
        return line + raw.count("\n", 0, offset)

    def add_literal(chunk: str, offset: int) -> None:
        nonlocal length
        for stray in STRAY_MARKUP_RE.finditer(chunk):
            problems.append(Problem(shown, line_of(offset + stray.start()),
                                    f"stray or unbalanced markup character '{stray.group()}'"))
        pieces.append(chunk)
        length += len(chunk)

    for match in MARKUP_RE.finditer(raw):
        add_literal(raw[position:match.start()], position)
        position = match.end()
        where = line_of(match.start())
        if match.group(1) is not None:
            span, message = term_span(match.group(1), length)
        else:
            span, message = name_span(match.group(2), length)
        if message:
            problems.append(Problem(shown, where, f"{message} in '{match.group(0)}'"))
        if span is None:
            continue
        spans.append(span)
        pieces.append(span.surface)
        length += len(span.surface)
    add_literal(raw[position:], position)
    with_newlines = "".join(pieces)
    paragraph = Paragraph(line=line, text=with_newlines.replace("\n", " "), spans=spans)
    problems += check_span_boundaries(paragraph, with_newlines, shown)
    problems += check_unmarked_stems(paragraph, with_newlines, shown)
    return paragraph, problems


def term_span(inner: str, offset: int) -> tuple[Span | None, str]:
    parts = inner.split("|")
    if len(parts) not in (2, 3):
        return None, "term markup must be {{surface|concept}} or {{surface|concept|trap}}"
    surface, concept = parts[0].replace("\n", " "), parts[1].strip()
    if not surface.strip() or surface != surface.strip():
        return None, "empty surface or surface with leading/trailing spaces"
    if STRAY_MARKUP_RE.search(surface):
        return None, "markup characters inside a surface"
    if concept not in CONCEPTS:
        return None, f"unknown concept id '{concept}'{suggestion(concept, CONCEPTS)}"
    if len(parts) == 3 and parts[2].strip() != "trap":
        return None, f"third field must be 'trap', not '{parts[2].strip()}'"
    span = Span("term", offset, offset + len(surface), surface, concept, len(parts) == 2)
    return span, ""


def name_span(inner: str, offset: int) -> tuple[Span | None, str]:
    surface = inner.replace("\n", " ")
    if not surface.strip() or surface != surface.strip():
        return None, "empty name or name with leading/trailing spaces"
    if STRAY_MARKUP_RE.search(surface):
        return None, "markup characters inside a name"
    return Span("name", offset, offset + len(surface), surface), ""


def check_span_boundaries(paragraph: Paragraph, text: str, shown: str) -> list[Problem]:
    """A term span must hold the whole orthographic word (coordination hyphen excepted)."""
    problems: list[Problem] = []
    for span in paragraph.spans:
        if span.kind != "term":
            continue
        before = text[span.start - 1] if span.start > 0 else " "
        before2 = text[span.start - 2] if span.start > 1 else " "
        after = text[span.end] if span.end < len(text) else " "
        after2 = text[span.end + 1] if span.end + 1 < len(text) else " "
        inside_start = before.isalnum() or (before in "-‑" and before2.isalnum())
        inside_end = after.isalnum() or (after in "-‑" and after2.isalnum())
        if inside_start or inside_end:
            line = paragraph.line + text.count("\n", 0, span.start)
            problems.append(Problem(
                shown, line,
                f"term span '{span.surface}' is not the whole word (include compound parts "
                "and internal hyphens in the span)"))
    return problems


def check_unmarked_stems(paragraph: Paragraph, text: str, shown: str) -> list[Problem]:
    problems: list[Problem] = []
    for word in WORD_RE.finditer(text):
        if any(s.start < word.end() and word.start() < s.end for s in paragraph.spans):
            continue
        stem = TERM_STEM_RE.search(word.group())
        if stem:
            line = paragraph.line + text.count("\n", 0, word.start())
            problems.append(Problem(
                shown, line,
                f"unmarked term stem '{stem.group().lower()}' in '{word.group()}' "
                "(mark it as {{surface|concept}} or {{surface|concept|trap}})"))
    return problems


def split_header(lines: list[str], shown: str) -> tuple[dict[str, str], dict[str, int], int,
                                                        list[Problem]]:
    header: dict[str, str] = {}
    header_lines: dict[str, int] = {}
    problems: list[Problem] = []
    for index, raw in enumerate(lines):
        line_no = index + 1
        stripped = raw.strip()
        if stripped == "---":
            return header, header_lines, index + 1, problems
        if not stripped or stripped.startswith("#"):
            continue
        match = HEADER_LINE_RE.match(stripped)
        if not match:
            problems.append(Problem(shown, line_no, f"header line is not 'key: value': {stripped}"))
            continue
        key = match.group("key")
        if key in header:
            problems.append(Problem(shown, line_no, f"duplicate header key '{key}'"))
        header[key] = HEADER_COMMENT_RE.sub("", match.group("value")).strip()
        header_lines[key] = line_no
    problems.append(Problem(shown, 1, "no '---' line closing the header"))
    return header, header_lines, len(lines), problems


def check_header(source: Source, roster: Roster) -> list[Problem]:
    shown, header = source.shown, source.header
    expected = SESSION_KEYS if source.kind == "session" else STATEMENT_KEYS
    formats = SESSION_FORMATS if source.kind == "session" else STATEMENT_FORMATS
    problems: list[Problem] = []

    def where(key: str) -> int:
        return source.header_lines.get(key, 1)

    for key in expected:
        if not header.get(key):
            problems.append(Problem(shown, 1, f"missing or empty header key '{key}'"))
    for key in header:
        if key not in expected:
            problems.append(Problem(shown, where(key), f"unknown header key '{key}' for a "
                                    f"{source.kind}{suggestion(key, expected)}"))
    for key, value in header.items():
        if MARKUP_RE.search(value) or "{{" in value or "<<" in value:
            problems.append(Problem(shown, where(key), f"no markup allowed in header '{key}'"))
    if header.get("id") and not ID_RE.match(header["id"]):
        problems.append(Problem(shown, where("id"), f"id '{header['id']}' must be lower-case "
                                "letters, digits and hyphens"))
    if header.get("date"):
        problems += check_date(header["date"], shown, where("date"))
    fmt = header.get("format", "")
    if fmt and fmt not in formats:
        problems.append(Problem(shown, where("format"), f"format '{fmt}' not one of "
                                f"{', '.join(formats)}"))
    out = header.get("file", "")
    if out:
        problems += check_out_file(out, formats.get(fmt), shown, where("file"))
    if source.kind == "session" and header.get("round"):
        if not header["round"].isdigit() or int(header["round"]) not in ROUNDS:
            problems.append(Problem(shown, where("round"), "round must be 1, 2, 3 or 4"))
    if source.kind == "statement":
        problems += check_statement_header(source, roster)
    return problems


def check_date(value: str, shown: str, line: int) -> list[Problem]:
    if DATE_RE.match(value):
        try:
            date.fromisoformat(value)
            return []
        except ValueError:
            pass
    return [Problem(shown, line, f"date '{value}' is not a valid YYYY-MM-DD date")]


def check_out_file(out: str, suffix: str | None, shown: str, line: int) -> list[Problem]:
    problems: list[Problem] = []
    path = Path(out)
    if path.is_absolute() or ".." in path.parts or "\\" in out:
        problems.append(Problem(shown, line, f"file '{out}' must be a relative path inside "
                                "corpora/demo"))
    if path.parts and path.parts[0] == "annotations" or out in {
            "documents.csv", "participants.csv", "participants.xlsx"}:
        problems.append(Problem(shown, line, f"file '{out}' collides with a generated file"))
    if suffix and path.suffix != suffix:
        problems.append(Problem(shown, line, f"file '{out}' should end in '{suffix}' for this "
                                "format"))
    return problems


def check_statement_header(source: Source, roster: Roster) -> list[Problem]:
    shown, header = source.shown, source.header
    problems: list[Problem] = []
    if header.get("kind") and header["kind"] != "statement":
        problems.append(Problem(shown, source.header_lines.get("kind", 1),
                                "kind must be 'statement'"))
    organisations = roster.organisations()
    org, group = header.get("organisation", ""), header.get("group", "")
    matches = [name for name in organisations if name == org or name.startswith(org + " - ")]
    if org and not matches:
        problems.append(Problem(shown, source.header_lines.get("organisation", 1),
                                f"organisation '{org}' not in participants.csv"
                                f"{suggestion(org, organisations)}"))
    if group and group not in roster.groups():
        problems.append(Problem(shown, source.header_lines.get("group", 1),
                                f"group '{group}' not in participants.csv"
                                f"{suggestion(group, roster.groups())}"))
    elif group and matches and all(organisations[name] != group for name in matches):
        problems.append(Problem(shown, source.header_lines.get("group", 1),
                                f"group '{group}' does not match the group of '{org}' "
                                f"({organisations[matches[0]]})"))
    return problems


def blocks(lines: list[str], first_line: int) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, lines) of blank-line-separated blocks; '==' lines stand alone."""
    current: list[str] = []
    start = first_line
    for offset, raw in enumerate(lines):
        line_no = first_line + offset
        stripped = raw.strip()
        if stripped.startswith("=="):
            if current:
                yield start, current
            yield line_no, [stripped]
            current = []
        elif not stripped:
            if current:
                yield start, current
            current = []
        else:
            if not current:
                start = line_no
            current.append(stripped)
    if current:
        yield start, current


def parse_session_body(source: Source, lines: list[str], first_line: int,
                       roster: Roster) -> list[Problem]:
    problems: list[Problem] = []
    shown = source.shown
    for line_no, block in blocks(lines, first_line):
        if block[0].startswith("=="):
            match = SPEAKER_LINE_RE.match(block[0])
            label = match.group("label") if match else ""
            themes_raw = match.group("themes") if match else None
            if label not in roster.speakers:
                problems.append(Problem(shown, line_no, f"speaker '{label}' not in "
                                        f"participants.csv{suggestion(label, roster.speakers)}"))
            themes = [t.strip() for t in (themes_raw or "").split(",") if t.strip()]
            if not themes:
                problems.append(Problem(shown, line_no, "turn without themes ('== Label | "
                                        "theme, theme')"))
            for theme in themes:
                if theme not in THEMES:
                    problems.append(Problem(shown, line_no, f"unknown theme '{theme}'"
                                            f"{suggestion(theme, THEMES)}"))
            source.units.append(Unit(line=line_no, speaker=label, themes=themes, paragraphs=[]))
            continue
        if not source.units:
            problems.append(Problem(shown, line_no, "text before the first '== Speaker | themes' "
                                    "line"))
            continue
        paragraph, found = parse_markup("\n".join(block), line_no, shown)
        problems += found
        source.units[-1].paragraphs.append(paragraph)
    for unit in source.units:
        if not unit.paragraphs:
            problems.append(Problem(shown, unit.line, "turn without text"))
    if not source.units:
        problems.append(Problem(shown, first_line, "no turns"))
    return problems


def parse_statement_body(source: Source, lines: list[str], first_line: int) -> list[Problem]:
    problems: list[Problem] = []
    shown = source.shown
    for line_no, block in blocks(lines, first_line):
        if block[0].startswith("=="):
            problems.append(Problem(shown, line_no, "statements have no turns ('==' line)"))
            continue
        for start, style, chunk in statement_paragraphs(block, line_no):
            paragraph, found = parse_markup("\n".join(chunk), start, shown)
            paragraph.style = style
            problems += found
            source.units.append(Unit(line=start, speaker=None, themes=[], paragraphs=[paragraph]))
    if not source.units:
        problems.append(Problem(shown, first_line, "no paragraphs"))
    return problems


def statement_paragraphs(block: list[str], line_no: int) -> Iterator[tuple[int, str, list[str]]]:
    """Split a block into paragraphs: '## ' heading lines, '- ' bullet items, body text."""
    if block[0].startswith("## ") and len(block) == 1:
        yield line_no, "heading", [block[0][3:].strip()]
        return
    if not block[0].startswith("- "):
        yield line_no, "body", block
        return
    current: list[str] = []
    start = line_no
    for offset, text in enumerate(block):
        if text.startswith("- "):
            if current:
                yield start, "bullet", current
            current, start = [text[2:].strip()], line_no + offset
        else:
            current.append(text)
    if current:
        yield start, "bullet", current


def parse_source(path: Path, shown: str, roster: Roster) -> tuple[Source, list[Problem]]:
    try:
        text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        source = Source(path=path, shown=shown, kind="session", header={}, header_lines={})
        return source, [Problem(shown, 1, f"cannot read file: {error}")]
    lines = text.splitlines()
    header, header_lines, body_start, problems = split_header(lines, shown)
    is_statement = path.parent.name == "statements" or header.get("kind") == "statement"
    source = Source(path=path, shown=shown, kind="statement" if is_statement else "session",
                    header=header, header_lines=header_lines)
    problems += check_header(source, roster)
    body = lines[body_start:]
    if source.kind == "session":
        problems += parse_session_body(source, body, body_start + 1, roster)
        words = source.words()
        if words < MIN_SESSION_WORDS:
            problems.append(Problem(shown, 1, f"session has {words} words (at least "
                                    f"{MIN_SESSION_WORDS} expected)", warning=True))
    else:
        problems += parse_statement_body(source, body, body_start + 1)
    return source, problems


def check_sources(sources: list[Source]) -> list[Problem]:
    """Cross-file checks for a full build: unique ids and unique output files."""
    problems: list[Problem] = []
    seen_ids: dict[str, str] = {}
    seen_files: dict[str, str] = {}
    for source in sources:
        doc_id, out = source.header.get("id"), source.header.get("file")
        if doc_id in seen_ids:
            problems.append(Problem(source.shown, source.header_lines.get("id", 1),
                                    f"id '{doc_id}' also used in {seen_ids[doc_id]}"))
        if out in seen_files:
            problems.append(Problem(source.shown, source.header_lines.get("file", 1),
                                    f"file '{out}' also written by {seen_files[out]}"))
        seen_ids.setdefault(doc_id or "", source.shown)
        seen_files.setdefault(out or "", source.shown)
    return problems


# --------------------------------------------------------------------------- sentences and cues


def sentence_bounds(text: str, spans: list[Span]) -> list[tuple[int, int]]:
    """Split at .!?… followed by space and an upper-case letter or a quote, never in markup."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for match in SENTENCE_END_RE.finditer(text):
        nxt = match.end()
        if nxt >= len(text) or not (text[nxt].isupper() or text[nxt] in OPENING_QUOTES):
            continue
        if any(s.start < match.start() < s.end or s.start < nxt < s.end for s in spans):
            continue
        if ABBREVIATION_RE.search(text[start:match.start() + 1]):
            continue
        end = len(text[:nxt].rstrip())
        bounds.append((start, end))
        start = nxt
    bounds.append((start, len(text.rstrip())))
    return [(a, b) for a, b in bounds if text[a:b].strip()]


def sentences_of(source: Source) -> list[Sentence]:
    sentences: list[Sentence] = []
    for unit_index, unit in enumerate(source.units):
        counter = 0
        for paragraph in unit.paragraphs:
            for a, b in sentence_bounds(paragraph.text, paragraph.spans):
                spans = [
                    Span(s.kind, s.start - a, s.end - a, s.surface, s.concept, s.in_scope)
                    for s in paragraph.spans if a <= s.start and s.end <= b
                ]
                sentence = Sentence(
                    sentence_id=f"{source.doc_id}.{unit_index:03d}.{counter:02d}",
                    file=source.out_file, unit=unit_index, speaker=unit.speaker,
                    text=paragraph.text[a:b], spans=spans)
                for span in spans:
                    assert sentence.text[span.start:span.end] == span.surface, sentence
                sentences.append(sentence)
                counter += 1
    return sentences


def cue_texts(sentences: list[Sentence]) -> list[str]:
    """Group the sentences of one turn into cues of one or two sentences."""
    texts: list[str] = []
    index = 0
    while index < len(sentences):
        text = sentences[index].text
        if index + 1 < len(sentences):
            pair = count_words(text) + count_words(sentences[index + 1].text)
            if pair <= CUE_MAX_WORDS:
                text = f"{text} {sentences[index + 1].text}"
                index += 1
        texts.append(text)
        index += 1
    return texts


def cues_of(source: Source, sentences: list[Sentence]) -> list[Cue]:
    """Plausible timings: about 2.5 words a second, small gaps, longer gaps between turns."""
    rng = random.Random(f"cues:{source.doc_id}")
    by_unit: dict[int, list[Sentence]] = defaultdict(list)
    for sentence in sentences:
        by_unit[sentence.unit].append(sentence)
    clock = rng.uniform(2.0, 9.0)
    cues: list[Cue] = []
    for unit_index, unit in enumerate(source.units):
        for part, text in enumerate(cue_texts(by_unit[unit_index])):
            duration = max(1.2, count_words(text) / WORDS_PER_SECOND * rng.uniform(0.9, 1.1))
            start = round(clock, 3)
            end = round(clock + duration, 3)
            cues.append(Cue(unit_index, part, unit.speaker or "", text, start, end))
            clock = end + rng.uniform(0.05, 0.35)
        clock += rng.uniform(0.4, 1.8)
    return cues


def timestamp(seconds: float, separator: str = ".") -> str:
    millis = int(round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def teams_cue_id(doc_id: str, unit: int, part: int) -> str:
    digest = hashlib.md5(f"{doc_id}/{unit}".encode("utf-8")).digest()
    return f"{uuid.UUID(bytes=digest, version=4)}/{unit + 10}-{part}"


def wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return lines


# --------------------------------------------------------------------------- writers


def header_lines_plain(source: Source) -> list[str]:
    if source.kind == "session":
        return [session_title(source), dutch_date(source.header["date"]),
                source.header["prompt"]]
    return [source.header["title"], source.header["organisation"],
            dutch_date(source.header["date"])]


def turn_texts(unit: Unit) -> list[str]:
    return [paragraph.text for paragraph in unit.paragraphs]


def render_txt(source: Source, cues: list[Cue], timestamps: bool) -> str:
    out = header_lines_plain(source) + [""]
    if source.kind == "statement":
        for unit in source.units:
            paragraph = unit.paragraphs[0]
            prefix = "- " if paragraph.style == "bullet" else ""
            out += [prefix + paragraph.text, ""]
        return "\n".join(out).rstrip("\n") + "\n"
    starts = {cue.unit: cue.start for cue in reversed(cues)}
    for index, unit in enumerate(source.units):
        texts = turn_texts(unit)
        stamp = f"[{timestamp(starts.get(index, 0.0))[:8]}] " if timestamps else ""
        out.append(f"{stamp}{unit.speaker}: {texts[0]}")
        out += texts[1:]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def render_md(source: Source) -> str:
    out = [f"# {document_title(source)}", ""]
    if source.kind == "session":
        out += [f"*{source.header['focus_group']} · ronde {source.header['round']} · "
                f"{dutch_date(source.header['date'])}*", "",
                f"*Gespreksvraag:* {source.header['prompt']}", "", "---", ""]
        for unit in source.units:
            texts = turn_texts(unit)
            out += [f"**{unit.speaker}:** {texts[0]}", ""]
            for text in texts[1:]:
                out += [text, ""]
        return "\n".join(out).rstrip("\n") + "\n"
    out += [f"**{source.header['organisation']}** · {dutch_date(source.header['date'])}", ""]
    for index, unit in enumerate(source.units):
        paragraph = unit.paragraphs[0]
        if paragraph.style == "heading":
            out += [f"## {paragraph.text}", ""]
        elif paragraph.style == "bullet":
            out.append(f"- {paragraph.text}")
            following = source.units[index + 1].paragraphs[0].style if index + 1 < len(
                source.units) else ""
            if following != "bullet":
                out.append("")
        else:
            out += [paragraph.text, ""]
    return "\n".join(out).rstrip("\n") + "\n"


def render_vtt(source: Source, cues: list[Cue]) -> str:
    out = ["WEBVTT", ""]
    for cue in cues:
        text = cue.text.replace("&", "&amp;")
        out += [teams_cue_id(source.doc_id, cue.unit, cue.part),
                f"{timestamp(cue.start)} --> {timestamp(cue.end)}",
                f"<v {cue.speaker}>{text}</v>", ""]
    return "\n".join(out)


def render_srt(cues: list[Cue]) -> str:
    out: list[str] = []
    for number, cue in enumerate(cues, start=1):
        out += [str(number), f"{timestamp(cue.start, ',')} --> {timestamp(cue.end, ',')}"]
        out += wrap(f"{cue.speaker}: {cue.text}", SRT_LINE_WIDTH)
        out.append("")
    return "\n".join(out)


def new_docx(author: str, title: str):  # -> docx.document.Document
    import docx  # imported lazily: --check needs no third-party package

    document = docx.Document()
    props = document.core_properties
    props.author = author
    props.last_modified_by = author
    props.title = title
    props.language = "nl-BE"
    props.created = FIXED_DATETIME
    props.modified = FIXED_DATETIME
    props.last_printed = FIXED_DATETIME
    props.revision = 1
    return document


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return normalized_zip(buffer.getvalue())


def normalized_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps and attributes, keeping the member order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()


def render_docx(source: Source, table: bool) -> bytes:
    title = document_title(source)
    author = "Procesbegeleiding Integratiepact" if source.kind == "session" else \
        source.header["organisation"]
    document = new_docx(author, title)
    document.add_heading(title, level=1)
    if source.kind == "statement":
        return render_statement_docx(document, source)
    # Untagged header paragraphs, as in the txt transcripts: no 'Key: value' line that a
    # reader could take for a turn.
    document.add_paragraph(f"{source.header['focus_group']} – ronde {source.header['round']}"
                           f" – {dutch_date(source.header['date'])}")
    document.add_paragraph().add_run(source.header["prompt"]).italic = True
    if table:
        grid = document.add_table(rows=1, cols=2)
        grid.style = "Table Grid"
        grid.rows[0].cells[0].text = "Spreker"
        grid.rows[0].cells[1].text = "Tekst"
        for unit in source.units:
            cells = grid.add_row().cells
            cells[0].text = unit.speaker or ""
            cells[1].text = "\n".join(turn_texts(unit))
        return docx_bytes(document)
    for unit in source.units:
        texts = turn_texts(unit)
        first = document.add_paragraph()
        first.add_run(f"{unit.speaker}:").bold = True
        first.add_run(f" {texts[0]}")
        for text in texts[1:]:
            document.add_paragraph(text)
    return docx_bytes(document)


def render_statement_docx(document, source: Source) -> bytes:
    meta = document.add_paragraph()
    meta.add_run(f"{source.header['organisation']} – {dutch_date(source.header['date'])}"
                 ).italic = True
    for unit in source.units:
        paragraph = unit.paragraphs[0]
        if paragraph.style == "heading":
            document.add_heading(paragraph.text, level=2)
        elif paragraph.style == "bullet":
            document.add_paragraph(paragraph.text, style="List Bullet")
        else:
            document.add_paragraph(paragraph.text)
    return docx_bytes(document)


# --------------------------------------------------------------------------- pdf


def find_font(candidates: tuple[str, ...]) -> Path | None:
    for directory in PDF_FONT_DIRS:
        if not directory.is_dir():
            continue
        for name in candidates:
            found = sorted(directory.rglob(name))
            if found:
                return found[0]
    return None


def pdf_available() -> str:
    """Empty string when PDFs can be written, otherwise the reason why not."""
    try:
        import fpdf  # noqa: F401  (maintainer-only tool, see FORMAT.md)
    except ImportError:
        return "fpdf2 is not installed in the venv (pip install fpdf2)"
    if find_font(PDF_FONT_CANDIDATES) is None:
        return "no Unicode TTF font (e.g. DejaVuSans.ttf) under /usr/share/fonts"
    return ""


def is_vowel(word: str, index: int) -> bool:
    char = word[index].lower()
    if char == "j" and index > 0 and word[index - 1].lower() == "i":
        return True
    return char in PDF_VOWELS


def hyphenation_points(word: str) -> list[int]:
    """Rough Dutch syllable breaks (V-CV, VC-CV; no break inside onset clusters)."""
    if not word.isalpha():
        return []
    points: list[int] = []
    for i in range(4, len(word) - 3):
        if is_vowel(word, i) or not any(is_vowel(word, k) for k in range(i + 1, min(i + 3,
                                                                                len(word)))):
            continue
        onset_ok = is_vowel(word, i + 1) or word[i:i + 2].lower() in PDF_ONSETS
        if not onset_ok:
            continue
        previous = word[i - 1].lower()
        if is_vowel(word, i - 1) or (previous + word[i].lower() not in PDF_ONSETS
                                     and is_vowel(word, i - 2)):
            points.append(i)
    return points


def split_to_fit(word: str, room: float, width_of) -> tuple[str, str] | None:
    """Best break of a long word so that 'head-' fits into room; None when there is none."""
    if "-" in word.strip("-"):
        head, _, tail = word.partition("-")
        if width_of(head + "-") <= room and tail:
            return head + "-", tail
        return None
    core = word.rstrip(".,;:!?)»”’\"")
    if len(core) < 10:
        return None
    for point in reversed(hyphenation_points(core)):
        if width_of(word[:point] + "-") <= room:
            return word[:point] + "-", word[point:]
    return None


def layout_lines(text: str, width: float, width_of) -> list[str]:
    """Greedy line filling with occasional hyphenation of long words at the line end."""
    lines: list[str] = []
    current = ""
    words = text.split(" ")
    index = 0
    while index < len(words):
        word = words[index]
        candidate = f"{current} {word}" if current else word
        if width_of(candidate) <= width or not current:
            current = candidate
            index += 1
            continue
        room = width - width_of(current + " ")
        parts = split_to_fit(word, room, width_of) if room > width * 0.12 else None
        if parts:
            lines.append(f"{current} {parts[0]}")
            words[index] = parts[1]
        else:
            lines.append(current)
        current = ""
    if current:
        lines.append(current)
    return lines


def render_pdf(source: Source) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    regular = find_font(PDF_FONT_CANDIDATES)
    bold = find_font(PDF_BOLD_CANDIDATES) or regular
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_creation_date(FIXED_DATETIME.replace(tzinfo=timezone.utc))
    pdf.set_title(source.header["title"])
    pdf.set_author(source.header["organisation"])
    pdf.set_lang("nl-BE")
    pdf.set_margins(25, 25, 25)
    pdf.set_auto_page_break(False)
    pdf.add_font("Body", "", str(regular))
    pdf.add_font("Body", "B", str(bold))
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def emit(text: str, size: float, style: str = "", indent: float = 0.0,
             bullet: str = "") -> None:
        pdf.set_font("Body", style, size)
        height = size * 0.5
        for number, line in enumerate(layout_lines(text, width - indent, pdf.get_string_width)):
            if pdf.get_y() + height > pdf.h - pdf.b_margin:
                pdf.add_page()
            if bullet and number == 0:
                pdf.set_x(pdf.l_margin)
                pdf.cell(indent, height, bullet)
            pdf.set_x(pdf.l_margin + indent)
            pdf.cell(width - indent, height, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(size * 0.3)

    emit(source.header["title"], 15, "B")
    emit(f"{source.header['organisation']} – {dutch_date(source.header['date'])}", 10)
    pdf.ln(3)
    for unit in source.units:
        paragraph = unit.paragraphs[0]
        if paragraph.style == "heading":
            pdf.ln(2)
            emit(paragraph.text, 12, "B")
        elif paragraph.style == "bullet":
            emit(paragraph.text, 11, indent=6, bullet="•")
        else:
            emit(paragraph.text, 11)
    return bytes(pdf.output())


# --------------------------------------------------------------------------- corpus files


def write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def render_document(source: Source, cues: list[Cue]) -> bytes:
    fmt = source.fmt
    if fmt in ("txt", "txt-timestamps"):
        return render_txt(source, cues, timestamps=fmt == "txt-timestamps").encode("utf-8")
    if fmt == "md":
        return render_md(source).encode("utf-8")
    if fmt in ("docx", "docx-table"):
        return render_docx(source, table=fmt == "docx-table")
    if fmt == "vtt":
        return render_vtt(source, cues).encode("utf-8")
    if fmt == "srt":
        return render_srt(cues).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(source)
    raise ValueError(f"unknown format {fmt}")


def remove_previous_outputs() -> None:
    """Delete what the previous build listed in documents.csv, and the old annotations."""
    if DOCUMENTS_CSV.exists():
        with DOCUMENTS_CSV.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                target = (DEMO_DIR / row["file"]).resolve()
                if DEMO_DIR.resolve() in target.parents and target.is_file():
                    target.unlink()
                    remove_empty_parents(target.parent)
    for name in ("sentences.jsonl", "terms.jsonl", "names.jsonl", "turns.jsonl", "README.md"):
        (ANNOTATIONS_DIR / name).unlink(missing_ok=True)


def remove_empty_parents(directory: Path) -> None:
    root = DEMO_DIR.resolve()
    while directory != root and root in directory.parents and not any(directory.iterdir()):
        directory.rmdir()
        directory = directory.parent


def document_row(source: Source) -> dict[str, str]:
    header = source.header
    session = source.kind == "session"
    return {
        "file": source.out_file,
        "kind": "transcript" if session else "statement",
        "focus_group": header.get("focus_group", "") if session else "",
        "round": header.get("round", "") if session else "",
        "date": header["date"],
        "prompt": header.get("prompt", "") if session else "",
        "organisation": "" if session else header["organisation"],
        "group": "" if session else header["group"],
        "title": document_title(source),
    }


def write_documents_csv(sources: list[Source]) -> None:
    columns = ["file", "kind", "focus_group", "round", "date", "prompt", "organisation",
               "group", "title"]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for source in sources:
        writer.writerow(document_row(source))
    write_text(DOCUMENTS_CSV, buffer.getvalue())


def write_participants_xlsx(roster_path: Path = ROSTER_CSV) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    with roster_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "participants"
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDE", (26, 24, 52, 22, 12)):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    workbook.properties.creator = "focuslex demo build"
    workbook.properties.created = FIXED_DATETIME
    workbook.properties.modified = FIXED_DATETIME
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_bytes(PARTICIPANTS_XLSX, normalized_zip(fix_xlsx_core(buffer.getvalue())))


def fix_xlsx_core(data: bytes) -> bytes:
    """openpyxl stamps the save time into docProps/core.xml; pin it to the fixed date."""
    stamp = FIXED_DATETIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode("ascii")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                blob = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp,
                              blob)
            dst.writestr(info, blob)
    return out.getvalue()


def jsonl(records: Iterable[dict]) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def write_annotations(sources: list[Source], sentences: dict[str, list[Sentence]],
                      roster: Roster) -> None:
    all_sentences = [s for source in sources for s in sentences[source.doc_id]]
    write_text(ANNOTATIONS_DIR / "sentences.jsonl", jsonl(
        {"id": s.sentence_id, "file": s.file, "turn": s.unit, "speaker": s.speaker,
         "text": s.text} for s in all_sentences))
    write_text(ANNOTATIONS_DIR / "terms.jsonl", jsonl(
        {"sentence_id": s.sentence_id, "file": s.file, "concept": span.concept,
         "surface": span.surface, "start": span.start, "end": span.end,
         "in_scope": span.in_scope}
        for s in all_sentences for span in s.spans if span.kind == "term"))
    write_text(ANNOTATIONS_DIR / "names.jsonl", jsonl(
        {"sentence_id": s.sentence_id, "file": s.file, "surface": span.surface,
         "start": span.start, "end": span.end,
         "on_roster": span.surface.casefold() in roster.name_forms}
        for s in all_sentences for span in s.spans if span.kind == "name"))
    write_text(ANNOTATIONS_DIR / "turns.jsonl", jsonl(
        {"file": source.out_file, "turn": index, "speaker": unit.speaker,
         "themes": unit.themes, "words": sum(count_words(p.text) for p in unit.paragraphs)}
        for source in sources if source.kind == "session"
        for index, unit in enumerate(source.units)))
    write_text(ANNOTATIONS_DIR / "README.md", annotations_readme(sources, all_sentences, roster))


def annotations_readme(sources: list[Source], sentences: list[Sentence], roster: Roster) -> str:
    in_scope: Counter[str] = Counter()
    trap: Counter[str] = Counter()
    names = [span for s in sentences for span in s.spans if span.kind == "name"]
    for s in sentences:
        for span in s.spans:
            if span.kind == "term":
                (in_scope if span.in_scope else trap)[span.concept or ""] += 1
    on_roster = sum(1 for span in names if span.surface.casefold() in roster.name_forms)
    transcripts = sum(1 for source in sources if source.kind == "session")
    lines = [
        "# Answer key of the demo corpus",
        "",
        "Generated by `corpora/demo_source/build.py`; do not edit by hand. The key was written "
        "by hand together with the text: the authors of the fictional transcripts and "
        "statements marked every delicate term and every person name inline while writing "
        "(see `corpora/demo_source/FORMAT.md`). It is **not** produced by focuslex, so it can "
        "be used to evaluate focuslex.",
        "",
        f"Documents: {len(sources)} ({transcripts} transcripts, {len(sources) - transcripts} "
        f"statements), listed with their metadata in `../documents.csv`. Sentences: "
        f"{len(sentences)}. Term occurrences: {sum(in_scope.values())} in scope, "
        f"{sum(trap.values())} sense traps. Name mentions: {len(names)} ({on_roster} on the "
        "roster).",
        "",
        "## Files",
        "",
        "- `sentences.jsonl`: one record per sentence: `id`, `file` (relative to `corpora/demo`), "
        "`turn` (0-based turn index within a transcript; for a statement the 0-based paragraph "
        "index, headings and bullet items counting as paragraphs), `speaker` (roster label, or "
        "null for statements), `text` (markup stripped).",
        "- `terms.jsonl`: one record per delicate-term occurrence: `sentence_id`, `file`, "
        "`concept` (seed-lexicon id), `surface`, `start`, `end`, `in_scope`.",
        "- `names.jsonl`: one record per person-name mention in running text: `sentence_id`, "
        "`file`, `surface`, `start`, `end`, `on_roster` (the surface is a first name, surname, "
        "given names or full name of someone in `participants.csv`, compared case-insensitively;"
        " a namesake who is not the participant still counts as on the roster).",
        "- `turns.jsonl`: one record per transcript turn: `file`, `turn`, `speaker`, `themes` "
        "(list of theme names), `words`. Statements have no turns and are not listed here.",
        "",
        "## Conventions",
        "",
        "- Offsets are Python code-point offsets into the sentence `text` (NFC), end exclusive: "
        "`text[start:end] == surface`.",
        "- Sentences are split with a simple rule: at `.`, `!`, `?` or `…` followed by a space and "
        "an upper-case letter or a quote, never inside a marked span, not after a few "
        "abbreviations (bv., dhr., mevr., ...). Paragraphs of one turn never share a sentence.",
        "- Span = the whole orthographic word holding the term, with compound parts and internal "
        "hyphens (`integratiebeleid`, `anti-racisme`); a multiword concept is one span "
        "(`onbewust racisme`, `mensen met een migratieachtergrond`). A coordination hyphen is "
        "left out (`Integratie- en gelijkekansenbeleid`: the span is `Integratie`).",
        "- `in_scope: true`: the term is used in its social/policy sense. Negation, rejection, "
        "quotation or disagreement does NOT make a use out of scope (`dat is geen racisme` is in "
        "scope).",
        "- `in_scope: false`: a sense trap, same stem but not the concept (biodiversiteit, "
        "prijsdiscriminatie, inclusief = including, een geïntegreerde aanpak = combined, "
        "integraal, re-integratie na ziekte, diverse = various, ...).",
        "- Names: a person's name mentioned in running text (participants addressed by name, "
        "people not on the roster). Speaker labels of turns are not name mentions. A possessive "
        "ending is outside the span (`Fatima's voorstel`: span `Fatima`).",
        "- Only the text of turns and statement paragraphs is annotated. The header block of a "
        "document (title, focus group, date, guiding question, organisation) is metadata: it "
        "is in `documents.csv` and is not annotated, although it may contain delicate terms.",
        "- In the VTT and SRT transcripts a cue holds one or two sentences of one turn; the "
        "paragraph breaks of a turn are not visible there. In the PDF statements a few long "
        "words are hyphenated at line ends; the key holds the unhyphenated text.",
        "",
        "## Term occurrences per concept",
        "",
        "| concept | in scope | trap |",
        "| --- | ---: | ---: |",
    ]
    for concept in sorted(set(in_scope) | set(trap)):
        lines.append(f"| {concept} | {in_scope[concept]} | {trap[concept]} |")
    lines.append(f"| **total** | **{sum(in_scope.values())}** | **{sum(trap.values())}** |")
    lines += ["", "## Documents", "", "| file | kind | words | terms | names |",
              "| --- | --- | ---: | ---: | ---: |"]
    for source in sources:
        doc_sentences = [s for s in sentences if s.file == source.out_file]
        terms = sum(1 for s in doc_sentences for span in s.spans if span.kind == "term")
        doc_names = sum(1 for s in doc_sentences for span in s.spans if span.kind == "name")
        kind = "transcript" if source.kind == "session" else "statement"
        lines.append(f"| {source.out_file} | {kind} | {source.words()} | {terms} | "
                     f"{doc_names} |")
    return "\n".join(lines) + "\n"


def print_summary(sources: list[Source], sentences: dict[str, list[Sentence]],
                  roster: Roster, skipped: list[str]) -> None:
    formats = Counter(source.fmt for source in sources)
    words_per_round: Counter[str] = Counter()
    for source in sources:
        key = f"ronde {source.header['round']}" if source.kind == "session" else "statements"
        words_per_round[key] += source.words()
    speakers = {u.speaker for s in sources for u in s.units if u.speaker}
    groups = Counter(roster.speakers[label]["group"] for label in speakers)
    spans = [span for doc in sentences.values() for s in doc for span in s.spans]
    terms = [span for span in spans if span.kind == "term"]
    names = [span for span in spans if span.kind == "name"]
    sessions = sorted(s.doc_id for s in sources if s.kind == "session")
    print(f"documents: {len(sources)} ({', '.join(f'{k}: {v}' for k, v in sorted(formats.items()))})")
    print(f"transcripts present: {', '.join(sessions) or 'none'}")
    for key in sorted(words_per_round):
        print(f"words {key}: {words_per_round[key]}")
    print(f"speakers: {len(speakers)} ({', '.join(f'{k}: {v}' for k, v in sorted(groups.items()))})")
    print(f"term occurrences: {len(terms)} ({sum(1 for t in terms if t.in_scope)} in scope, "
          f"{sum(1 for t in terms if not t.in_scope)} traps, "
          f"{len({t.concept for t in terms})} concepts)")
    print(f"names: {len(names)} "
          f"({sum(1 for n in names if n.surface.casefold() in roster.name_forms)} on roster)")
    for reason in skipped:
        print(f"skipped: {reason}")


# --------------------------------------------------------------------------- commands


def all_source_paths() -> list[Path]:
    return sorted(SOURCE_DIR.glob("r*_*.txt")) + sorted((SOURCE_DIR / "statements").glob("*.txt"))


def shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def describe(source: Source) -> str:
    spans = [span for u in source.units for p in u.paragraphs for span in p.spans]
    terms = [span for span in spans if span.kind == "term"]
    traps = sum(1 for span in terms if not span.in_scope)
    names = sum(1 for span in spans if span.kind == "name")
    speakers = len({u.speaker for u in source.units if u.speaker})
    units = "turns" if source.kind == "session" else "paragraphs"
    return (f"{source.shown}: {source.words()} words, {len(source.units)} {units}, "
            f"{speakers} speakers, {len(terms)} terms ({traps} traps), {names} names")


def run_check(paths: list[str]) -> int:
    roster = load_roster()
    errors = 0
    for raw in paths:
        source, problems = parse_source(Path(raw), raw, roster)
        for problem in problems:
            print(problem)
        errors += sum(1 for problem in problems if not problem.warning)
        print(describe(source))
    print("check failed" if errors else "check passed", f"({errors} errors)")
    return 1 if errors else 0


def run_build() -> int:
    roster = load_roster()
    sources: list[Source] = []
    problems: list[Problem] = []
    for path in all_source_paths():
        source, found = parse_source(path, shown_path(path), roster)
        sources.append(source)
        problems += found
    problems += check_sources(sources)
    for problem in problems:
        print(problem)
    if any(not problem.warning for problem in problems):
        print("errors found: nothing built", file=sys.stderr)
        return 1
    skipped: list[str] = []
    reason = pdf_available()
    if reason:
        for source in sources:
            if source.fmt == "pdf":
                skipped.append(f"{source.shown} ({reason})")
        sources = [source for source in sources if source.fmt != "pdf"]
    remove_previous_outputs()
    sentences = {source.doc_id: sentences_of(source) for source in sources}
    for source in sources:
        cues = cues_of(source, sentences[source.doc_id]) if source.kind == "session" else []
        write_bytes(DEMO_DIR / source.out_file, render_document(source, cues))
    write_participants_xlsx()
    write_documents_csv(sources)
    write_annotations(sources, sentences, roster)
    print_summary(sources, sentences, roster, skipped)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", nargs="+", metavar="FILE",
                        help="only parse and validate these source files")
    args = parser.parse_args(argv)
    if args.check:
        return run_check(args.check)
    return run_build()


if __name__ == "__main__":
    sys.exit(main())
