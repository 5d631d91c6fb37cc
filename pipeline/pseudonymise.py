"""Pseudonymisation at ingest: speaker labels become stable codes, known speakers' names in
the text become placeholders. Real names live only in the key file, outside the database.

Matching is case- and diacritics-insensitive (Ayşe = Ayse = AYSE), longest match first, and
includes possessives (Fatima's, Jans) and first-name-only or surname-only mentions. A single
name part that is also a common Dutch word (Roos, Bakker, Visser) is only replaced when it is
capitalised in the text, so 'een roos' stays a flower.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.errors import FocuslexError
from pipeline.settings import PseudonymSettings
from pipeline.types import Role

# Particles that belong to a surname (Van den Broeck, El Idrissi, De Smedt).
SURNAME_PARTICLES = frozenset({
    "van", "de", "den", "der", "het", "ter", "ten", "te", "vande", "vanden", "vander",
    "le", "la", "du", "des", "el", "al", "ben", "bin", "ait", "abou", "da", "dos", "di",
    "von", "op", "in", "t", "'t",
})
_SPECIAL_FOLD = {"ı": "i", "ß": "s", "ø": "o", "æ": "a", "œ": "o", "ł": "l", "đ": "d",
                 "’": "'", "‘": "'"}


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in _SPECIAL_FOLD:
        return _SPECIAL_FOLD[char]
    lowered = char.lower()
    if lowered in _SPECIAL_FOLD:
        return _SPECIAL_FOLD[lowered]
    base = unicodedata.normalize("NFD", lowered)[0]
    return base if len(base) == 1 else char


def fold(text: str) -> str:
    """Lower-case and strip diacritics, one output character per input character, so that
    offsets in the folded text are offsets in the original."""
    return "".join(_fold_char(c) for c in text)


def normalise_label(label: str) -> str:
    """A speaker label as a key: folded, single spaces, no surrounding punctuation."""
    return " ".join(fold(label).replace("_", " ").split()).strip(" .:-")


@lru_cache(maxsize=1)
def common_dutch_words() -> frozenset[str]:
    """Lower-cased Dutch word forms from spacy-lookups-data, to tell 'Roos' from 'roos'."""
    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / "nl_lemma_lookup.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        table = json.load(handle)
    words = {fold(w) for w in table} | {fold(w) for w in table.values()}
    return frozenset(words)


@dataclass(frozen=True)
class KeyEntry:
    label: str
    code: str
    role: Role


class PseudonymKey:
    """The key real name <-> code, stored as JSON in a file outside the database."""

    def __init__(self, path: Path, entries: list[KeyEntry] | None = None) -> None:
        self.path = Path(path)
        self._entries: dict[str, KeyEntry] = {}
        for entry in entries or []:
            self._entries[normalise_label(entry.label)] = entry

    @classmethod
    def load(cls, path: Path) -> "PseudonymKey":
        path = Path(path)
        if not path.exists():
            return cls(path)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            entries = [KeyEntry(e["label"], e["code"], Role(e["role"])) for e in raw["speakers"]]
        except (ValueError, KeyError, TypeError) as exc:
            raise FocuslexError("FX-PSE-001", file=str(path), detail=str(exc)) from exc
        return cls(path, entries)

    def save(self) -> None:
        """Write atomically with owner-only permissions."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"version": 1,
                   "note": "focuslex pseudonym key: real names. Keep apart from the database.",
                   "speakers": [{"label": e.label, "code": e.code, "role": e.role.value}
                                for e in self._entries.values()]}
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".key-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(payload, handle, ensure_ascii=False, indent=1)
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @property
    def entries(self) -> list[KeyEntry]:
        return list(self._entries.values())

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
    return [v for v in variants if len(v) >= 2]


class Pseudonymiser:
    """Replaces the names of every speaker in the key by their placeholder."""

    def __init__(self, key: PseudonymKey, settings: PseudonymSettings) -> None:
        self.settings = settings
        owners: dict[str, set[str]] = defaultdict(set)
        single_token: dict[str, bool] = {}
        for entry in key.entries:
            for variant in name_variants(entry.label):
                folded = fold(variant)
                owners[folded].add(entry.code)
                single_token[folded] = " " not in variant
        self._owners = dict(owners)
        common = common_dutch_words() if owners else frozenset()
        # A one-word name that is also a Dutch word must be capitalised to count.
        self._needs_capital = {v for v, single in single_token.items() if single and v in common}
        self._pattern = self._compile(sorted(owners, key=len, reverse=True))

    @staticmethod
    def _compile(variants: list[str]) -> re.Pattern[str] | None:
        if not variants:
            return None
        alternation = "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in variants)
        return re.compile(rf"(?<![\w\[])({alternation})('s|'|s)?(?![\w\]])")

    def placeholder(self, folded_variant: str) -> str:
        codes = self._owners[folded_variant]
        if len(codes) == 1:
            return self.settings.speaker_placeholder.format(code=next(iter(codes)))
        return self.settings.ambiguous_placeholder

    def replace(self, text: str) -> str:
        """Return `text` with every known speaker name replaced by its placeholder."""
        if self._pattern is None or not text:
            return text
        folded = fold(text)
        pieces: list[str] = []
        last = 0
        for match in self._pattern.finditer(folded):
            variant = " ".join(match.group(1).split())
            original = text[match.start(1):match.end(1)]
            if variant in self._needs_capital and not original[:1].isupper():
                continue
            pieces.append(text[last:match.start()])
            pieces.append(self.placeholder(variant))
            if match.group(2):
                pieces.append("'s" if match.group(2) in ("s", "'s") else "'")
            last = match.end()
        pieces.append(text[last:])
        return "".join(pieces)
