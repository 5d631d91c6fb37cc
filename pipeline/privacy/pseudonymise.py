"""Pseudonymisation at ingest: speaker labels become stable codes, known speakers' names in
the text become placeholders. Real names live only in the key file, outside the database.

Matching is case- and diacritics-insensitive (Ayşe = Ayse = AYSE), longest match first, and
includes possessives (Fatima's, Jans) and first-name-only or surname-only mentions. A single
name part that is also a common Dutch word (Roos, Bakker, Visser) is only replaced when it is
capitalised in the text, so 'een roos' stays a flower.

Other people (named in the text, not on the participants sheet) are found by
`pipeline.privacy.detect.NameDetector` and get numbered placeholders `[PERSOON-n]` that are stable
across the corpus: the key keeps every person's names, so the same person gets the same
number in every document, and a first-name-only or surname-only mention of a known person
maps to that person when it fits only one. `DocumentPseudonymiser` does one document: known
speakers first, then known persons, then newly detected names, longest match first; it also
returns the private record of which placeholder hid which word (`Occurrence`), which the
review (pipeline/privacy/review.py) needs to undo a wrong replacement.
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.core.errors import FocuslexError
from pipeline.core.text import SURNAME_PARTICLES, common_dutch_words, fold, normalise_label
from pipeline.core.files import write_private_json
from pipeline.core.settings import PseudonymSettings
from pipeline.core.records import Role
from pipeline.nlp.tokens import TokenTable, replace_in_table
from pipeline.privacy.detect import (COMPASS, ORGANISATION, PERSON, NameDetector, NameSpan,
                                     area_word_before)


def lock_path(key_file: Path) -> Path:
    """The lock file beside the key file (`<key file>.lock`)."""
    key_file = Path(key_file)
    return key_file.with_name(key_file.name + ".lock")


@contextmanager
def key_lock(key_file: Path) -> Iterator[None]:
    """Hold an exclusive lock on the key file and the review book beside it.

    Whoever loads, changes and saves the key or the review book (an ingest, a review
    decision) does so inside this lock and re-reads the files inside it, so two processes
    never lose each other's codes or decisions. A file lock (fcntl.flock) on a sibling
    `.lock` file; where fcntl does not exist (Windows) it does not lock."""
    path = lock_path(key_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        yield
        return
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        os.close(handle)


@dataclass(frozen=True)
class KeyEntry:
    label: str
    code: str
    role: Role


@dataclass
class PersonEntry:
    """Someone named in the text who is not a speaker: a number (`[PERSOON-3]`) and the
    names they were mentioned by ("Sofie Peeters", "Sofie"). `origin`: detected | added."""

    number: int
    names: list[str] = field(default_factory=list)
    origin: str = "detected"

    def placeholder(self, settings: PseudonymSettings) -> str:
        return settings.person_placeholder.format(n=self.number)


def normalise_name(name: str) -> str:
    """A person's name as a key: folded, single spaces, no possessive ending."""
    folded = " ".join(fold(name).split()).strip(" .,:;")
    for ending in ("'s", "'"):
        if folded.endswith(ending) and len(folded) > len(ending) + 1:
            return folded[: -len(ending)]
    return folded


class PseudonymKey:
    """The key real name <-> code, stored as JSON in a file outside the database: speakers
    (label <-> P01/FAC1) and other persons (names <-> PERSOON-n). `organisations`: those of
    the participants sheets, never replaced (the leak scan does not count names inside them)."""

    def __init__(self, path: Path, entries: list[KeyEntry] | None = None,
                 persons: list[PersonEntry] | None = None,
                 organisations: list[str] | None = None) -> None:
        self.path = Path(path)
        self.organisations: list[str] = list(organisations or [])
        self._entries: dict[str, KeyEntry] = {}
        for entry in entries or []:
            self._entries[normalise_label(entry.label)] = entry
        self._persons: dict[int, PersonEntry] = {p.number: p for p in persons or []}

    @classmethod
    def load(cls, path: Path) -> "PseudonymKey":
        path = Path(path)
        if not path.exists():
            return cls(path)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            entries = [KeyEntry(e["label"], e["code"], Role(e["role"])) for e in raw["speakers"]]
            persons = [PersonEntry(int(p["number"]), [str(n) for n in p["names"]],
                                   str(p.get("origin", "detected")))
                       for p in raw.get("persons", [])]
            organisations = [str(o) for o in raw.get("organisations", [])]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise FocuslexError("FX-PSE-001", file=str(path), detail=str(exc)) from exc
        return cls(path, entries, persons, organisations)

    def save(self) -> None:
        """Write atomically with owner-only permissions."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"version": 2,
                   "note": "focuslex pseudonym key: real names. Keep apart from the database.",
                   "speakers": [{"label": e.label, "code": e.code, "role": e.role.value}
                                for e in self._entries.values()],
                   "persons": [{"number": p.number, "names": p.names, "origin": p.origin}
                               for p in sorted(self._persons.values(), key=lambda p: p.number)],
                   "organisations": sorted(set(self.organisations))}
        write_private_json(self.path, payload)

    @property
    def entries(self) -> list[KeyEntry]:
        return list(self._entries.values())

    @property
    def persons(self) -> list[PersonEntry]:
        return [self._persons[n] for n in sorted(self._persons)]

    def person(self, number: int) -> PersonEntry | None:
        return self._persons.get(number)

    def all_names(self) -> list[tuple[str, str]]:
        """Every real name in the key with the code it stands for (for leak scans)."""
        names = [(e.label, e.code) for e in self._entries.values()]
        names += [(name, f"PERSOON-{p.number}") for p in self.persons for name in p.names]
        return names

    def find_person(self, name: str) -> tuple[PersonEntry | None, bool]:
        """The person a name refers to, and whether it is ambiguous (fits several persons).

        An exact name wins; a single word is matched against the first names and surnames of
        persons known by a longer name ("Sofie" -> "Sofie Peeters")."""
        wanted = normalise_name(name)
        exact = [p for p in self._persons.values()
                 if any(normalise_name(n) == wanted for n in p.names)]
        if exact:
            return exact[0], len(exact) > 1
        if " " not in wanted:
            partial = [p for p in self._persons.values()
                       if any(" " in normalise_name(n)
                              and wanted in {normalise_name(v) for v in name_variants(n)}
                              for n in p.names)]
            if partial:
                return (partial[0], False) if len(partial) == 1 else (None, True)
            return None, False
        # A longer name of someone known so far by a first name or surname only.
        parts = {normalise_name(v) for v in name_variants(name)} - {wanted}
        single = [p for p in self._persons.values()
                  if p.names and all(" " not in normalise_name(n) for n in p.names)
                  and any(normalise_name(n) in parts for n in p.names)]
        longer = [p for p in self._persons.values()
                  if any(" " in normalise_name(n) and wanted.split()[0]
                         == normalise_name(n).split()[0] for n in p.names)]
        if len(single) == 1 and not longer:
            return single[0], False
        return None, False

    def register_person(self, name: str, origin: str = "detected") -> tuple[PersonEntry | None, bool]:
        """The person for `name`, created (next number) when nobody fits; `(None, True)` when
        the name is ambiguous. A new name of an existing person is remembered."""
        display = " ".join(name.split())
        person, ambiguous = self.find_person(display)
        if ambiguous:
            return None, True
        if person is None:
            number = 1 + max(self._persons, default=0)
            person = PersonEntry(number, [], origin)
            self._persons[number] = person
        if all(normalise_name(n) != normalise_name(display) for n in person.names):
            person.names.append(display)
        return person, False

    def remove_person_name(self, name: str) -> list[int]:
        """Forget a name (a reviewer said it is no person); returns the numbers it belonged
        to. Numbers are never reused."""
        wanted = normalise_name(name)
        touched = []
        for person in self._persons.values():
            kept = [n for n in person.names if normalise_name(n) != wanted]
            if len(kept) != len(person.names):
                person.names = kept
                touched.append(person.number)
        return touched

    def get(self, label: str) -> KeyEntry | None:
        return self._entries.get(normalise_label(label))

    def code_for(self, label: str, role: Role, settings: PseudonymSettings) -> str:
        """The stable code of a speaker, assigned on first sight (P01…, FAC1…)."""
        existing = self.get(label)
        if existing is not None:
            return existing.code
        if role is Role.FACILITATOR:
            prefix, width = settings.facilitator_prefix, 1
        else:
            prefix, width = settings.participant_prefix, 2
        used = {e.code for e in self._entries.values()}
        number = 1 + sum(1 for e in self._entries.values() if e.role is role)
        while f"{prefix}{number:0{width}d}" in used:
            number += 1
        code = f"{prefix}{number:0{width}d}"
        self._entries[normalise_label(label)] = KeyEntry(" ".join(label.split()), code, role)
        return code


def name_variants(label: str) -> list[str]:
    """Ways a speaker may be named in running text: the full label, the first name(s) and
    the surname with its particles ("Fatima Zahra El Idrissi" -> Fatima Zahra, Fatima,
    El Idrissi, Idrissi)."""
    tokens = label.split()
    variants = {" ".join(tokens)}
    if len(tokens) >= 2:
        # Surname starts at the first particle after the first token, else at the last token.
        start = next((i for i in range(1, len(tokens)) if fold(tokens[i]) in SURNAME_PARTICLES),
                     len(tokens) - 1)
        first = tokens[:start]
        surname = tokens[start:]
        variants.add(" ".join(first))
        variants.add(first[0])
        variants.add(" ".join(surname))
        core = [t for t in surname if fold(t) not in SURNAME_PARTICLES]
        if core:
            variants.add(" ".join(core))
    return [v for v in variants if len(v) >= 2 and fold(v) not in SURNAME_PARTICLES]


@dataclass(frozen=True)
class KeySpan:
    """A known name found in a text: `start`..`end` is the name, `full_end` includes a
    possessive ending; `placeholder` replaces it; kind is speaker or person."""

    start: int
    end: int
    full_end: int
    placeholder: str
    kind: str
    suffix: str = ""


_SENTENCE_END = frozenset(".!?:;…")
_OPENERS = frozenset("\"'«„“‘([-–—* \t")


def at_sentence_start(text: str, position: int) -> bool:
    """Whether `position` starts a sentence (or a line) in `text`."""
    i = position - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    if i < 0:
        return True
    return text[i] in _SENTENCE_END or text[i] == "\n"


def organisation_spans(text: str, organisations: Iterable[str]) -> list[tuple[int, int]]:
    """Where these organisations ("Bakker & Zonen") stand in `text`, case- and
    diacritics-insensitively."""
    names = sorted({" ".join(fold(o).split()) for o in organisations if len(o.strip()) >= 2},
                   key=len, reverse=True)
    if not names or not text:
        return []
    alternation = "|".join(re.escape(o).replace(r"\ ", r"\s+") for o in names)
    return [(m.start(), m.end())
            for m in re.finditer(rf"(?<!\w)(?:{alternation})(?!\w)", fold(text))]


def speaker_variants(label: str, current: frozenset[str] | None) -> list[str]:
    """The names a speaker is recognised by in a text: every variant (first name, surname)
    for the speakers of this upload (`current`, normalised labels; None: every speaker), only
    the full name of two or more words for participants of earlier uploads."""
    if current is None or normalise_label(label) in current:
        return name_variants(label)
    return [" ".join(label.split())] if len(label.split()) >= 2 else []


class Pseudonymiser:
    """Replaces the names of the speakers in the key by their placeholder, and the names of
    every person in the key by theirs (speakers win when a name part fits both).

    `current`: the labels of this upload's speakers (the sheet first). Their first names and
    surnames count; earlier participants count only by their full name. A name part that fits
    several speakers is no speaker's: `spans` returns it as kind `shared`, which ingest
    replaces by a `[PERSOON-n]` that goes to review (`replace` writes the ambiguous
    placeholder)."""

    def __init__(self, key: PseudonymKey, settings: PseudonymSettings,
                 rejected: Iterable[str] = (), keep: Iterable[str] = (),
                 any_case: Iterable[str] = (), current: Iterable[str] | None = None) -> None:
        self.settings = settings
        skip = {normalise_name(r) for r in rejected} | {normalise_name(k) for k in keep}
        owners: dict[str, set[str]] = defaultdict(set)
        single_token: dict[str, bool] = {}
        now = None if current is None else frozenset(normalise_label(c) for c in current)
        for entry in key.entries:
            for variant in speaker_variants(entry.label, now):
                folded = fold(variant)
                owners[folded].add(settings.speaker_placeholder.format(code=entry.code))
                single_token[folded] = " " not in variant
        speaker_variants_found = set(owners)
        self._shared = {v for v, o in owners.items() if len(o) > 1}
        person_variants: set[str] = set()
        for person in key.persons:
            for name in person.names:
                for variant in name_variants(name):
                    folded = " ".join(fold(variant).split())
                    if (folded in speaker_variants_found or normalise_name(folded) in skip
                            or folded in SURNAME_PARTICLES):
                        continue
                    owners[folded].add(person.placeholder(settings))
                    single_token[folded] = " " not in variant
                    person_variants.add(folded)
        self._owners = dict(owners)
        self._kinds = {v: ("shared" if v in self._shared else "speaker"
                           if v in speaker_variants_found else "person") for v in owners}
        common = common_dutch_words() if owners else frozenset()
        # A one-word name that is also a Dutch word must be capitalised to count; any other
        # name counts in any case ("buurvrouw zerrin"), as in the leak scan (pipeline/privacy/leaks.py)
        # ... except the names in `any_case` (a name a reviewer added: any case, always) ...
        forced = {" ".join(fold(n).split()) for n in any_case}
        self._needs_capital = {v for v, single in single_token.items()
                               if single and v in common and v not in forced}
        # ... and a word must not stand alone at the start of a sentence ("Jong geleerd, oud
        # gedaan" with a participant De Jong), unless someone is addressed ("Bakker, wat ...").
        first_names = {fold(e.label.split()[0]) for e in key.entries if e.label.split()}
        self._not_initial = {v for v in owners
                             if single_token[v] and v in common and v not in forced
                             and not (v in speaker_variants_found and v in first_names)}
        # ... and a compass word (a participant called West) after a place or a group word
        # names an area: "Focusgroep West", "regio West", "Gent West" stay.
        self._compass = {v for v in owners if single_token[v] and COMPASS.fullmatch(v)}
        self._pattern = self._compile(sorted(owners, key=len, reverse=True))

    @staticmethod
    def _compile(variants: list[str]) -> re.Pattern[str] | None:
        if not variants:
            return None
        alternation = "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in variants)
        return re.compile(rf"(?<![\w\[])({alternation})('s|'|s)?(?![\w\]])")

    def placeholder(self, folded_variant: str) -> str:
        placeholders = self._owners[folded_variant]
        if len(placeholders) == 1:
            return next(iter(placeholders))
        return self.settings.ambiguous_placeholder

    def spans(self, text: str) -> list[KeySpan]:
        """Every known name in `text`, longest match first, left to right."""
        if self._pattern is None or not text:
            return []
        folded = fold(text)
        found: list[KeySpan] = []
        for match in self._pattern.finditer(folded):
            variant = " ".join(match.group(1).split())
            original = text[match.start(1):match.end(1)]
            if variant in self._needs_capital and not original[:1].isupper():
                continue
            if (variant in self._not_initial and at_sentence_start(text, match.start(1))
                    and not text[match.end():match.end() + 1] == ","):
                continue
            if variant in self._compass and area_word_before(text, match.start(1)):
                continue
            suffix = ""
            if match.group(2):
                suffix = "'s" if match.group(2) in ("s", "'s") else "'"
            found.append(KeySpan(match.start(1), match.end(1), match.end(),
                                 self.placeholder(variant), self._kinds[variant], suffix))
        return found

    def replace(self, text: str) -> str:
        """Return `text` with every known name replaced by its placeholder."""
        spans = self.spans(text)
        if not spans:
            return text
        pieces: list[str] = []
        last = 0
        for span in spans:
            pieces.append(text[last:span.start])
            pieces.append(span.placeholder + span.suffix)
            last = span.full_end
        pieces.append(text[last:])
        return "".join(pieces)


@dataclass(frozen=True)
class Occurrence:
    """The private record of one replaced person name: in `field` of a document (header,
    title, prompt or u<turn index>), `start`..`end` of the stored text holds `placeholder`
    (with a possessive ending, if any) where the original text was `original`. `name` is the
    normalised name; `context` is the stored text around it with the original marked ⟦ ⟧."""

    field: str
    start: int
    end: int
    placeholder: str
    original: str
    name: str
    cue: str
    context: str


@dataclass(frozen=True)
class Planned:
    """One replacement in original offsets."""

    start: int
    end: int
    replacement: str
    kind: str  # speaker | person | organisation | place
    cue: str = ""
    priority: int = 0
    name: str = ""  # the name without a possessive ending


CONTEXT_CHARS = 70
SHARED_REASON = "voornaam of familienaam van meer dan één deelnemer"


class DocumentPseudonymiser:
    """Pseudonymises the texts of one document: known speakers, known persons, detected
    names (registered in the key as persons), and organisations/places when the settings ask.

    Detected names in a statement that are listed in `settings.public_figures` are kept when
    `settings.keep_public_figures_in_statements` is on."""

    def __init__(self, key: PseudonymKey, settings: PseudonymSettings,
                 detector: NameDetector | None = None, *, rejected: Iterable[str] = (),
                 statement: bool = False, speakers: Iterable[str] | None = None,
                 organisations: Iterable[str] = (), keep_parses: bool = False) -> None:
        self.key = key
        self.settings = settings
        self.detector = detector
        # keep_parses: the detector parses with the full pipeline and `parsed_tables` gives
        # the token tables of the pseudonymised texts (the ingest caches them for `analyse`)
        self.keep_parses = keep_parses
        self._tables: dict[str, TokenTable] = {}
        self._plans: dict[str, list[Planned]] = {}
        # this upload's speaker labels (see Pseudonymiser: `current`); None: every speaker
        self.speakers = None if speakers is None else tuple(speakers)
        # organisations of the participants sheet: never replaced, not even in part
        self.organisations = tuple(sorted({" ".join(fold(o).split()) for o in organisations
                                           if len(o.strip()) >= 2}, key=len, reverse=True))
        self.rejected = tuple(rejected)
        self.keep = (tuple(settings.public_figures)
                     if statement and settings.keep_public_figures_in_statements else ())

    def pseudonymise(self, texts: Mapping[str, str]) -> tuple[dict[str, str], list[Occurrence]]:
        """Return the pseudonymised texts (same keys) and the private occurrence records."""
        out: dict[str, str] = dict(texts)
        occurrences: list[Occurrence] = []
        self._plans = self.plan(texts)
        for f, chosen in self._plans.items():
            out[f], found = self._write(f, texts[f], chosen)
            occurrences.extend(found)
        return out, occurrences

    def parsed_tables(self, texts: Mapping[str, str], clean: Mapping[str, str]
                      ) -> dict[str, TokenTable]:
        """After `pseudonymise(texts)` with `keep_parses`: the token table of each
        pseudonymised text (`clean`), built from the parse of the original text with the
        replacements applied (no second parse). A text whose rebuilt form differs from
        `clean` is left out (it is parsed by `analyse` as before)."""
        if self.detector is None or self.detector.nlp is None:
            return {}
        out: dict[str, TokenTable] = {}
        for f, table in self._tables.items():
            chosen = self._plans.get(f, [])
            try:
                text, new = replace_in_table(
                    table, texts[f], [(p.start, p.end, p.replacement) for p in chosen],
                    self.detector.tokenise)
            except ValueError:
                continue
            if text == clean[f] and all(text[i:i + len(w)] == w
                                        for i, w in zip(new.idx, new.words)):
                out[f] = new
        return out

    def _detect(self, texts: Mapping[str, str], fields: list[str]) -> list[list[NameSpan]]:
        """The detector's names in each field (and, with keep_parses, the full parses)."""
        assert self.detector is not None
        if not self.keep_parses:
            return self.detector.detect_many([texts[f] for f in fields])
        parsed = self.detector.detect_parsed([texts[f] for f in fields])
        self._tables = {f: t for f, (_, t) in zip(fields, parsed) if t is not None}
        return [spans for spans, _ in parsed]

    def plan(self, texts: Mapping[str, str]) -> dict[str, list[Planned]]:
        """The replacements for each text, in original offsets, left to right (detected
        persons are registered in the key on the way)."""
        fields = [f for f, t in texts.items() if t]
        speakers = Pseudonymiser(self.key, self.settings, self.rejected, self.keep,
                                 current=self.speakers)
        found = {f: speakers.spans(texts[f]) for f in fields}
        speaker_spans = {f: [s for s in found[f] if s.kind == "speaker"] for f in fields}
        detected: dict[str, list[NameSpan]] = {f: [] for f in fields}
        kept = {normalise_name(k) for k in self.keep}
        if self.detector is not None and fields:
            for f, spans in zip(fields, self._detect(texts, fields)):
                detected[f] = [piece for s in spans if normalise_name(s.text) not in kept
                               for piece in self._outside_speakers(texts[f], s,
                                                                   speaker_spans[f])]
        for f in fields:  # a name part of several speakers: a person, to review
            detected[f] += [NameSpan(s.start, s.end, texts[f][s.start:s.end], PERSON,
                                     SHARED_REASON, s.full_end if s.full_end > s.end else -1,
                                     "gedeelde-naam")
                            for s in found[f] if s.kind == "shared"]
        assigned = self._register(texts, detected)
        known = Pseudonymiser(self.key, self.settings, self.rejected, self.keep,
                              current=self.speakers)
        plans: dict[str, list[Planned]] = {}
        for f in fields:
            plan = [Planned(s.start, s.full_end, s.placeholder + s.suffix, s.kind,
                            "bekend", 0 if s.kind == "speaker" else 2, texts[f][s.start:s.end])
                    for s in known.spans(texts[f]) if s.kind != "shared"]
            for span in detected[f]:
                plan.append(self._plan_detected(texts[f], span, assigned))
            chosen: list[Planned] = []
            protected = self._organisation_spans(texts[f])
            for item in sorted(plan, key=lambda p: (-(p.end - p.start), p.priority, p.start)):
                if all(item.end <= c.start or item.start >= c.end
                       for c in chosen + protected):
                    chosen.append(item)
            plans[f] = sorted(chosen, key=lambda p: p.start)
        return plans

    def _organisation_spans(self, text: str) -> list[Planned]:
        """Where the sheet's organisations stand in `text` (as spans nothing may overlap)."""
        return [Planned(a, b, "", ORGANISATION)
                for a, b in organisation_spans(text, self.organisations)]

    def _outside_speakers(self, text: str, span: NameSpan,
                          speakers: list[KeySpan]) -> list[NameSpan]:
        """A detected span never swallows a known speaker's name ("Oké Peeters" with
        speaker Peeters): it is cut at the speaker's span, and what is left on either side
        counts only when the detector finds a name in it on its own. Except a speaker's
        first name followed by another surname: that is someone else."""

        inside = [k for k in speakers if k.start < span.full_end and span.start < k.full_end]
        if not inside:
            return [span]
        if (len(inside) == 1 and inside[0].start == span.start
                and inside[0].full_end < span.end and text[inside[0].full_end:][:1].isspace()
                and " " not in text[inside[0].start:inside[0].end]):
            # "Dirk Verhaegen" with a participant Dirk Peeters: a speaker's first name with
            # another surname is someone else, not "[P07] [PERSOON-3]"
            return [span]
        if any(k.start <= span.start and span.end <= k.full_end for k in inside):
            return []
        pieces: list[NameSpan] = []
        cursor = span.start
        bounds = sorted((k.start, k.full_end) for k in inside) + [(span.full_end, span.full_end)]
        for k_start, k_end in bounds:
            piece = text[cursor:max(cursor, k_start)]
            if piece.strip() and self.detector is not None:
                for found in self.detector.detect(piece):
                    pieces.append(NameSpan(cursor + found.start, cursor + found.end,
                                               found.text, found.kind, found.cue,
                                               cursor + found.suffix_end
                                               if found.suffix_end >= 0 else -1))
            cursor = max(cursor, k_end)
        return pieces

    def _register(self, texts: Mapping[str, str],
                  detected: dict[str, list[NameSpan]]) -> dict[str, str]:
        """Give every detected person a placeholder via the key; longer names first, so that
        'Sofie' later maps to 'Sofie Peeters' met earlier or later in the same document."""

        in_order: dict[str, None] = {}  # first appearance, fields in document order
        for f in texts:
            for s in detected.get(f, []):
                if s.kind == PERSON:
                    in_order.setdefault(" ".join(s.text.split()))
        names = sorted(in_order, key=lambda n: len(n.split()) == 1)  # stable: longer first
        assigned: dict[str, str] = {}
        for name in names:
            person, ambiguous = self.key.register_person(name)
            assigned[normalise_name(name)] = (self.settings.ambiguous_placeholder if ambiguous
                                              else person.placeholder(self.settings))
        return assigned

    def _plan_detected(self, text: str, span: NameSpan, assigned: dict[str, str]) -> Planned:

        suffix = ""
        if span.full_end > span.end:
            suffix = "'s" if text[span.end:span.full_end].endswith("s") else "'"
        if span.kind == PERSON:
            replacement = assigned[normalise_name(span.text)]
            return Planned(span.start, span.full_end, replacement + suffix, PERSON, span.cue, 1,
                           span.text)
        replacement = (self.settings.organisation_placeholder if span.kind == ORGANISATION
                       else self.settings.place_placeholder)
        return Planned(span.start, span.full_end, replacement + suffix, span.kind, span.cue, 3,
                       span.text)

    @staticmethod
    def _write(field_name: str, text: str,
               chosen: list[Planned]) -> tuple[str, list[Occurrence]]:
        pieces: list[str] = []
        marks: list[tuple[int, int, Planned]] = []
        last = 0
        length = 0
        for item in chosen:
            gap = text[last:item.start]
            pieces.append(gap)
            length += len(gap)
            pieces.append(item.replacement)
            marks.append((length, length + len(item.replacement), item))
            length += len(item.replacement)
            last = item.end
        pieces.append(text[last:])
        new_text = "".join(pieces)
        occurrences = []
        for start, end, item in marks:
            if item.kind != "person":
                continue
            original = text[item.start:item.end]
            context = (new_text[max(0, start - CONTEXT_CHARS):start] + "⟦" + original + "⟧"
                       + new_text[end:end + CONTEXT_CHARS])
            occurrences.append(Occurrence(field_name, start, end, item.replacement, original,
                                          normalise_name(item.name or original), item.cue,
                                          " ".join(context.split())))
        return new_text, occurrences
