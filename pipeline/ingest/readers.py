"""Readers for transcript and statement files: bytes in, `ParsedFile` (turns) out.

Formats: txt and md with speaker markers, docx (paragraphs and two-column tables), WebVTT and
SRT (voice tags or `Name:` prefixes, times kept), pdf with a text layer (hyphenation and hard
line breaks repaired). Statements are read as paragraphs without speakers.
Nothing here touches the store; real names are still present in what these return.
"""

from __future__ import annotations

import codecs
import html
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from pipeline.core.errors import FocuslexError
from pipeline.core.text import (SURNAME_PARTICLES, common_dutch_words, fold, normalise_label,
                                stop_word_keys)
from pipeline.core.settings import IngestSettings, compile_speaker_regex
from pipeline.core.records import Kind, ParsedFile, Turn
from pipeline.privacy.detect import load_name_lists
from pipeline.ingest.labels import (BARE_LINE_PATTERN, INLINE_PATTERNS, TIMED_LINE_PATTERNS,
                                    Label, canonical_label, inverted_accepted)

SUPPORTED = {".txt": "txt", ".md": "md", ".markdown": "md", ".docx": "docx", ".vtt": "vtt",
             ".srt": "srt", ".pdf": "pdf"}

# Speaker markers: see pipeline/ingest/labels.py.
MARKER_PATTERNS: tuple[re.Pattern[str], ...] = INLINE_PATTERNS


@dataclass(frozen=True)
class SourceFile:
    """A file to read: its display name (no folders) and its bytes."""

    name: str
    data: bytes

    @property
    def suffix(self) -> str:
        dot = self.name.rfind(".")
        return self.name[dot:].lower() if dot >= 0 else ""


# decoding --------------------------------------------------------------------------------
def decode_text(source: SourceFile) -> str:
    """Decode text bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    data = source.data
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise FocuslexError("FX-IN-006", file=source.name)
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise FocuslexError("FX-IN-006", file=source.name) from exc
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\r\n\t\f")
    if controls > max(3, len(text) // 100):
        raise FocuslexError("FX-IN-006", file=source.name)
    return text


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").split("\n")


def parse_time(value: str | None) -> float | None:
    """'01:02:03.5' / '1:02' / '00:01:02,500' -> seconds."""
    if not value:
        return None
    parts = value.replace(",", ".").split(":")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return seconds


# speaker markers ---------------------------------------------------------------------------
@dataclass
class _Candidate:
    line_no: int
    name: str
    text: str
    time: float | None
    custom: bool = False
    label: Label | None = None  # how the label was written (inverted, titled)
    line: str = "inline"  # inline | timed (label and time alone) | bare (label alone)


def _looks_like_name(name: str) -> bool:
    tokens = name.split()
    if not tokens or len(name) > 60 or not tokens[0][:1].isupper():
        return False
    return all(t[:1].isupper() or fold(t) in SURNAME_PARTICLES or t[:1].isdigit()
               for t in tokens)


# Words that make a speaker label a role rather than a name ("De voorzitter", "Deelnemer 3").
ROLE_WORDS = frozenset({
    "voorzitter", "ondervoorzitter", "minister", "staatssecretaris", "moderator", "facilitator",
    "begeleider", "gespreksleider", "interviewer", "respondent", "deelnemer", "spreker", "tolk",
    "notulist", "journalist", "schepen", "burgemeester", "secretaris", "griffier", "presentator",
    "vraagsteller", "publiek", "zaal", "onbekend", "onbekende", "persoon", "stem",
})


def _looks_like_role(label: str) -> bool:
    """'De voorzitter', 'Moderator', 'Deelnemer 3': capitalised, at most three words, one of
    them a role word."""
    tokens = label.split()
    return (1 <= len(tokens) <= 3 and tokens[0][:1].isupper()
            and all(t.isalpha() or t.isdigit() for t in tokens)
            and any(fold(t) in ROLE_WORDS for t in tokens))


# One-word labels that, followed by a colon at the start of a line, are far more often an
# interjection or a function word than a speaker ("Oké: ...", "Allee: ..."), some of them
# in the name lists ("Oke", "Wel", "Over"). A known speaker with such a name still counts.
_NOT_SPEAKER_WORDS = frozenset({"oke", "okay", "ok", "allee", "awel", "enfin", "bon", "tja",
                                "nou", "euh", "ja", "jawel", "nee", "neen", "wel", "over",
                                "meer", "boven", "allen", "moet", "werd", "wilde", "uwe"})


@lru_cache(maxsize=1)
def _listed_names() -> frozenset[str]:
    """Folded first names and surnames of focuslex's name lists (read once per process)."""

    lists = load_name_lists()
    return lists.first_names | lists.surnames


def _label_accepted(name: str, key: str, counts: Counter[str], known: set[str],
                    header_labels: set[str]) -> bool:
    """Whether a capitalised label ("Jan", "Ayşe Demir", "De voorzitter") is a speaker.

    A known speaker always is, a header label ("Datum") never. A one-word label is a speaker
    when it is a listed first name or surname ("Ben", "Jan", "Roos"), or when it recurs as a
    marker and is no stop word; a stop word or a one-off common word ("Dus", "Kijk") is not."""
    if key in known:
        return True
    if key in header_labels:
        return False
    if not _looks_like_name(name):
        # Role labels ("De voorzitter", "Moderator", "Deelnemer 3").
        return _looks_like_role(name)
    if " " in key:
        return True
    if key in _NOT_SPEAKER_WORDS:
        return False
    if key in _listed_names():
        return True
    if key in stop_word_keys():
        return False  # "Dus: ...", "Maar: ..." inside a turn
    return counts[key] >= 2 or key not in common_dutch_words()  # "Kijk: ..." once


def _match_marker(line: str, patterns: Iterable[re.Pattern[str]],
                  custom: re.Pattern[str] | None = None) -> _Candidate | None:
    stripped = line.strip()
    for pattern in ([custom] if custom else []) + list(patterns):
        match = pattern.match(stripped)
        if match:
            groups = match.groupdict()
            name = " ".join(groups["name"].replace("**", "").split()).strip(" :")
            party = f" ({groups['party']})" if groups.get("party") else ""
            label = None if pattern is custom else canonical_label(name + party)
            return _Candidate(-1, label.name if label else name, groups.get("text") or "",
                              parse_time(groups.get("time")), custom=pattern is custom,
                              label=label)
    return None


def _match_label_line(line: str, kind: str) -> _Candidate | None:
    """A label alone on its line, with a time (`kind` 'timed') or without ('bare')."""
    stripped = line.strip()
    if not stripped or stripped[-1] in ".!?;,":
        return None
    for pattern in TIMED_LINE_PATTERNS if kind == "timed" else (BARE_LINE_PATTERN,):
        match = pattern.match(stripped)
        if match:
            label = canonical_label(match.group("name"))
            return _Candidate(-1, label.name, "", parse_time(match.groupdict().get("time")),
                              label=label, line=kind)
    return None


def _candidate_accepted(c: _Candidate, key: str, counts: Counter[str], known: set[str],
                        header_labels: set[str]) -> bool:
    """Whether a marker candidate is a speaker: `_label_accepted`, with the evidence of
    how the label was written. 'Janssens, Marie' must not read as a sentence addressing
    someone ('Goed, Marleen: ...'); a title ('De heer Peeters') marks a name; a label alone
    on its line without a time counts only when known or recurring and no common word."""
    if c.custom or key in known:
        return True
    if key in header_labels or not key:
        return False
    label = c.label
    if label is not None and label.cue == "inverted":
        return counts[key] >= 2 or inverted_accepted(label, common_dutch_words(),
                                                     _listed_names())
    if label is not None and label.cue in ("titled", "party") and _looks_like_name(c.name):
        return True
    if c.line == "timed" and " " not in key and key in common_dutch_words() \
            and key not in _listed_names():
        return False  # '10:00 Pauze' in an agenda, however often it recurs
    if c.line == "bare":
        tokens = key.split()
        return (_looks_like_name(c.name) and len(tokens) <= 4
                and not any(t in header_labels or any(ch.isdigit() for ch in t)
                            for t in tokens)
                and (len(tokens) > 1 or key in _listed_names()
                     or key not in common_dutch_words()))
    return _label_accepted(c.name, key, counts, known, header_labels)


def _bare_markers(candidates: list[_Candidate], counts: Counter[str], known: set[str],
                  header_labels: set[str]) -> dict[int, _Candidate]:
    """Labels alone on their line (a Teams export without times): taken only when at
    least one of them recurs and there are at least three such lines in the file."""
    accepted = [c for c in candidates if c.line == "bare" and _candidate_accepted(
        c, normalise_label(c.name), counts, known, header_labels)]
    keys = Counter(normalise_label(c.name) for c in accepted)
    if len(accepted) < 3 or max(keys.values(), default=0) < 2:
        return {}
    return {c.line_no: c for c in accepted}


def _find_candidates(lines: list[str], forced: dict[int, _Candidate],
                     custom: re.Pattern[str] | None) -> list[_Candidate]:
    """Every line that may start a turn: a label with a time alone on its line, a marker
    with text, or a label alone on its line (in that order of preference)."""
    candidates: list[_Candidate] = []
    for number, line in enumerate(lines):
        if number in forced:
            continue
        candidate = (_match_label_line(line, "timed")
                     or _match_marker(line, MARKER_PATTERNS, custom)
                     or _match_label_line(line, "bare"))
        if candidate is not None:
            candidate.line_no = number
            candidates.append(candidate)
    return candidates


def split_turns(lines: list[str], settings: IngestSettings, known: set[str],
                file_name: str, forced: dict[int, _Candidate] | None = None,
                ) -> tuple[str, list[Turn]]:
    """Split lines into an untagged header block and speaker turns.

    A line starts a turn when it carries a speaker marker whose label is accepted (see
    `_label_accepted`), or when it is in `forced` (rows of a docx turn table, with their
    turn). A lower-case label ("ayşe demir: ...") is accepted when it equals, folded, a
    known speaker or a label accepted elsewhere in the same file."""
    markers = _turn_markers(lines, settings, known, forced or {})
    if not markers:
        raise FocuslexError("FX-IN-007", file=file_name)
    first = min(markers)
    header = "\n".join(l.strip() for l in lines[:first] if l.strip())
    return header, _turns(lines, markers, first)


def _turn_markers(lines: list[str], settings: IngestSettings, known: set[str],
                  forced: dict[int, _Candidate]) -> dict[int, _Candidate]:
    """line number -> the accepted speaker marker starting a turn on that line."""
    custom = compile_speaker_regex(settings.speaker_regex, "de instellingen")
    header_labels = {fold(h) for h in settings.header_labels}
    candidates = _find_candidates(lines, forced, custom)
    counts = Counter(normalise_label(c.name) for c in candidates)
    counts.update(normalise_label(c.name) for c in forced.values())

    markers: dict[int, _Candidate] = dict(forced)
    spelling: dict[str, str] = {normalise_label(c.name): c.name for c in forced.values()}
    rest: list[_Candidate] = []
    for c in candidates:
        key = normalise_label(c.name)
        if c.line != "bare" and _candidate_accepted(c, key, counts, known, header_labels):
            markers[c.line_no] = c
            spelling.setdefault(key, c.name)
        else:
            rest.append(c)
    if not markers:  # labels alone on their line only when no line has a marker
        markers.update(_bare_markers(rest, counts, known, header_labels))
        spelling.update({normalise_label(c.name): c.name for c in markers.values()})
    for c in rest:
        key = normalise_label(c.name)
        if key in spelling and key not in header_labels and c.name[:1].islower():
            c.name = spelling[key]  # "ayşe demir:" after "Ayşe Demir:"
            markers[c.line_no] = c
    return markers


def _turns(lines: list[str], markers: dict[int, _Candidate], first: int) -> list[Turn]:
    """The turns from line `first` on: a marker opens a turn; blank lines end paragraphs."""
    turns: list[Turn] = []
    paragraphs: list[str] = []
    current: _Candidate | None = None

    def close() -> None:
        if current is not None:
            text = "\n\n".join(p for p in paragraphs if p)
            turns.append(Turn(current.name, text, current.time))

    buffer: list[str] = []
    for number in range(first, len(lines)):
        line = lines[number]
        if number in markers:
            if buffer:
                paragraphs.append(" ".join(buffer))
                buffer = []
            close()
            current = markers[number]
            paragraphs = []
            buffer = [current.text.strip()] if current.text.strip() else []
        elif line.strip():
            buffer.append(line.strip())
        elif buffer:
            paragraphs.append(" ".join(buffer))
            buffer = []
    if buffer:
        paragraphs.append(" ".join(buffer))
    close()
    return [t for t in turns if t.text.strip()]


def paragraphs_to_statement(lines: list[str]) -> list[Turn]:
    """Blank-line separated paragraphs, each one utterance without a speaker."""
    turns: list[Turn] = []
    buffer: list[str] = []
    for line in lines + [""]:
        if line.strip():
            buffer.append(line.strip())
        elif buffer:
            turns.append(Turn(None, " ".join(buffer)))
            buffer = []
    return turns


# formats ------------------------------------------------------------------------------------
def _strip_markdown(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("#"):
            stripped = stripped.lstrip("#").strip()
            out.append(stripped)
            out.append("")
            continue
        if stripped in {"---", "***", "___"}:
            out.append("")
            continue
        out.append(line)
    return out


def check_zip(source: SourceFile, settings: IngestSettings) -> None:
    """Refuse broken archives and zip bombs before any library unpacks them."""
    try:
        with zipfile.ZipFile(io.BytesIO(source.data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise FocuslexError("FX-IN-004", file=source.name,
                            detail="het is geen zip-archief") from exc
    ratio = unpacked / max(1, len(source.data))
    if unpacked > settings.max_unpacked_mb * 1024 * 1024 or (
            ratio > settings.max_compression_ratio and unpacked > 10 * 1024 * 1024):
        raise FocuslexError("FX-IN-005", file=source.name, size_mb=unpacked / 1024 / 1024,
                            ratio=ratio)


_TABLE_HEADINGS = frozenset({"spreker", "speaker", "naam", "wie"})
_SENTENCE_ENDS = (".", "!", "?", "…", '"', "”", "»", ")")


def _table_turns(rows: list[list[str]], known: set[str],
                 settings: IngestSettings) -> list[Turn] | None:
    """The turns of a docx table whose first column holds speaker labels and whose last
    column holds what they said; None for any other table (a participants list
    'Naam | Organisatie | Regio', a schedule), whose cells are then read as paragraphs."""
    rows = [r for r in rows if len(r) >= 2 and any(r[:-1]) and r[-1]]
    if rows and fold(rows[0][0]) in _TABLE_HEADINGS:
        rows = rows[1:]
    if not rows:
        return None
    header_labels = {fold(h) for h in settings.header_labels}
    labels = [canonical_label(r[0]).name for r in rows]
    counts = Counter(normalise_label(l) for l in labels)
    speakers = sum(1 for l in labels
                   if _label_accepted(l, normalise_label(l), counts, known, header_labels))
    # What was said: sentences, or at least a few words, in most rows.
    spoken = sum(1 for r in rows
                 if r[-1].rstrip().endswith(_SENTENCE_ENDS) or len(r[-1].split()) >= 4)
    if speakers < 0.6 * len(rows) or spoken < 0.5 * len(rows):
        return None
    return [Turn(label, "\n\n".join(p.strip() for p in r[-1].split("\n") if p.strip()))
            for label, r in zip(labels, rows)]


def _docx_blocks(source: SourceFile, settings: IngestSettings, known: set[str],
                 ) -> tuple[list[str], dict[int, _Candidate]]:
    """The lines of a docx in document order, and the turns of its turn tables by the line
    that stands for them. Paragraphs are lines; the cells of other tables are paragraphs."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    check_zip(source, settings)
    try:
        document = docx.Document(io.BytesIO(source.data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise FocuslexError("FX-IN-004", file=source.name, detail=str(exc) or type(exc).__name__) from exc
    except Exception as exc:  # lxml or python-docx internals on corrupt parts
        raise FocuslexError("FX-IN-004", file=source.name, detail=type(exc).__name__) from exc
    lines: list[str] = []
    table_turns: dict[int, _Candidate] = {}
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(child, document).text
            lines.append(text)
            lines.append("")
        elif tag == "tbl":
            table = Table(child, document)
            rows: list[list[str]] = []
            for row in table.rows:
                cells: list[str] = []
                for cell in row.cells:  # merged cells repeat: keep one
                    text = cell.text.strip()
                    if not cells or text != cells[-1]:
                        cells.append(text)
                rows.append(cells)
            turns = _table_turns(rows, known, settings)
            if turns is None:
                for cells in rows:
                    for cell in cells:
                        for line in cell.split("\n"):
                            lines.append(line)
                        lines.append("")
                continue
            for turn in turns:
                table_turns[len(lines)] = _Candidate(len(lines), turn.speaker or "", turn.text,
                                                     None)
                lines.append("")
    return lines, table_turns


def _read_docx(source: SourceFile, kind: Kind, settings: IngestSettings,
               known: set[str]) -> ParsedFile:
    lines, table_turns = _docx_blocks(source, settings, known)
    if not any(l.strip() for l in lines) and not table_turns:
        raise FocuslexError("FX-IN-001", file=source.name)
    if kind is Kind.STATEMENT:
        # Paragraphs and table rows in document order; a table row is one utterance.
        turns: list[Turn] = []
        start = 0
        for number in sorted(table_turns) + [len(lines)]:
            turns.extend(paragraphs_to_statement(lines[start:number]))
            if number in table_turns:
                turns.append(Turn(None, table_turns[number].text))
            start = number + 1
        return ParsedFile("docx", turns)
    header, turns = split_turns(lines, settings, known, source.name, table_turns)
    return ParsedFile("docx", turns, header)


_VOICE_TAG = re.compile(r"<v(?:\.[^\s>]*)?[ \t]+([^>]*)>", re.IGNORECASE)
_ANY_TAG = re.compile(r"</?[a-zA-Z][^>]*>|<\d[^>]*>")


def _voice_pieces(caption: object) -> list[tuple[str | None, str]]:
    """(voice, text) pieces of a cue: one per `<v ...>` span, so that a cue with several
    voices ("<v Jan>Goed.</v> <v Sofie>Oké.</v>") is credited to each of them."""
    raw = getattr(caption, "raw_text", "") or ""
    tags = list(_VOICE_TAG.finditer(raw))
    if len(tags) < 2:
        return [(caption.voice, " ".join(caption.text.split()))]  # type: ignore[attr-defined]
    pieces: list[tuple[str | None, str]] = []
    before = html.unescape(_ANY_TAG.sub("", raw[:tags[0].start()]))
    if before.strip():
        pieces.append((None, " ".join(before.split())))
    for number, tag in enumerate(tags):
        end = tags[number + 1].start() if number + 1 < len(tags) else len(raw)
        text = html.unescape(_ANY_TAG.sub("", raw[tag.end():end]))
        voice = " ".join(html.unescape(tag.group(1)).split()) or None
        pieces.append((voice, " ".join(text.split())))
    return pieces


def _caption_turns(captions: Iterable[object], settings: IngestSettings, known: set[str],
                   file_name: str) -> list[Turn]:
    turns: list[Turn] = []
    for caption in captions:
        for speaker, text in _voice_pieces(caption):
            _add_caption_piece(turns, caption, speaker, text, known)
    if not any(t.speaker for t in turns):
        raise FocuslexError("FX-IN-007", file=file_name)
    return turns


def _add_caption_piece(turns: list[Turn], caption: object, speaker: str | None, text: str,
                       known: set[str]) -> None:
    if speaker:
        speaker = canonical_label(speaker).name  # '<v Janssens, Marie>'
    if not speaker:
        candidate = _match_marker(text, MARKER_PATTERNS[-1:])
        if candidate and (normalise_label(candidate.name) in known
                          or _looks_like_name(candidate.name)):
            speaker, text = candidate.name, candidate.text.strip()
    start = parse_time(caption.start)  # type: ignore[attr-defined]
    end = parse_time(caption.end)  # type: ignore[attr-defined]
    if not text:
        return
    if turns and speaker and turns[-1].speaker == speaker:
        turns[-1].text += " " + text
        turns[-1].end = end
    elif turns and not speaker and turns[-1].speaker:
        turns[-1].text += " " + text  # a cue without a speaker continues the turn
        turns[-1].end = end
    else:
        turns.append(Turn(speaker, text, start, end))


def _read_captions(source: SourceFile, fmt: str, kind: Kind, settings: IngestSettings,
                   known: set[str]) -> ParsedFile:
    import webvtt
    from webvtt.errors import MalformedFileError

    text = decode_text(source)
    if not text.strip():
        raise FocuslexError("FX-IN-001", file=source.name)
    try:
        if fmt == "vtt":
            captions = webvtt.from_string(text).captions
        else:
            captions = webvtt.from_buffer(io.StringIO(text.replace("\r\n", "\n")).readlines(),
                                          format="srt").captions
    except (MalformedFileError, ValueError, IndexError) as exc:
        raise FocuslexError("FX-IN-008", file=source.name, detail=str(exc) or type(exc).__name__) from exc
    if not captions:
        raise FocuslexError("FX-IN-008", file=source.name, detail="geen ondertitels gevonden")
    if kind is Kind.STATEMENT:
        return ParsedFile(fmt, [Turn(None, " ".join(c.text.split())) for c in captions])
    return ParsedFile(fmt, _caption_turns(captions, settings, known, source.name))


# A word broken at a line end ("integratie-\nbeleid"), but not a coordination hyphen
# ("Integratie-\nen Gelijkekansenbeleid").
# A word hyphenated at a line end, also across a page break (pages are joined by a blank
# line): joined. Not a coordination hyphen (integratie- en inburgeringsbeleid).
_HYPHEN_BREAK = re.compile(
    r"(\w)-[ \t]*\n(?:[ \t]*\n)*(?!(?:en|of|noch|tot|als)\b)(?=[a-zà-ÿ])")
# A compound's own hyphen before a capital at a line end (Oranje-\nNassau): kept, no space.
_HYPHEN_CAPITAL = re.compile(r"(\w)-[ \t]*\n(?=[A-ZÀ-Þ][a-zà-ÿ])")


def repair_pdf_text(text: str) -> list[str]:
    """Join words hyphenated at line ends and hard-wrapped lines into paragraphs; a line
    that starts with a speaker marker always starts a new paragraph."""
    text = text.replace("\r\n", "\n").replace("\u00ad\n", "").replace("\u00ad", "")
    text = _HYPHEN_BREAK.sub(r"\1", text)
    text = _HYPHEN_CAPITAL.sub(r"\1-", text)
    raw_lines = [l.rstrip() for l in text.split("\n")]
    lengths = sorted(len(l) for l in raw_lines if l.strip())
    typical = lengths[int(len(lengths) * 0.75)] if lengths else 0
    out: list[str] = []
    buffer: list[str] = []
    for line in raw_lines:
        starts_turn = _match_marker(line, MARKER_PATTERNS) is not None
        if not line.strip() or starts_turn:
            if buffer:
                out.extend([" ".join(buffer), ""])
                buffer = []
            if not line.strip():
                continue
        buffer.append(line.strip())
        ends_sentence = line.rstrip().endswith((".", "!", "?", ":", '"', "”", "»"))
        if ends_sentence and len(line) < 0.85 * typical:
            out.extend([" ".join(buffer), ""])
            buffer = []
    if buffer:
        out.append(" ".join(buffer))
    return out


def _read_pdf(source: SourceFile, kind: Kind, settings: IngestSettings,
              known: set[str]) -> ParsedFile:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(source.data))
        if reader.is_encrypted:
            raise FocuslexError("FX-IN-009", file=source.name, detail="de pdf is beveiligd")
        pages = [page.extract_text() or "" for page in reader.pages]
    except FocuslexError:
        raise
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise FocuslexError("FX-IN-009", file=source.name, detail=str(exc) or type(exc).__name__) from exc
    text = "\n\n".join(pages)
    if not text.strip():
        raise FocuslexError("FX-IN-010", file=source.name)
    lines = repair_pdf_text(text)
    if kind is Kind.STATEMENT:
        return ParsedFile("pdf", paragraphs_to_statement(lines))
    header, turns = split_turns(lines, settings, known, source.name)
    return ParsedFile("pdf", turns, header)


def read_source(source: SourceFile, kind: Kind, settings: IngestSettings,
                known: set[str] | None = None) -> ParsedFile:
    """Read one file into turns. `known` holds normalised labels of known speakers."""
    known = known or set()
    fmt = SUPPORTED.get(source.suffix)
    if fmt is None:
        raise FocuslexError("FX-IN-002", file=source.name, suffix=source.suffix or "geen extensie")
    if not source.data.strip():
        raise FocuslexError("FX-IN-001", file=source.name)
    if len(source.data) > settings.max_upload_mb * 1024 * 1024:
        raise FocuslexError("FX-IN-003", file=source.name,
                            size_mb=len(source.data) / 1024 / 1024, limit_mb=settings.max_upload_mb)
    if fmt == "docx":
        return _read_docx(source, kind, settings, known)
    if fmt in ("vtt", "srt"):
        return _read_captions(source, fmt, kind, settings, known)
    if fmt == "pdf":
        return _read_pdf(source, kind, settings, known)
    lines = _lines(decode_text(source))
    if not any(l.strip() for l in lines):
        raise FocuslexError("FX-IN-001", file=source.name)
    if fmt == "md":
        lines = _strip_markdown(lines)
    if kind is Kind.STATEMENT:
        return ParsedFile(fmt, paragraphs_to_statement(lines))
    header, turns = split_turns(lines, settings, known, source.name)
    return ParsedFile(fmt, turns, header)
