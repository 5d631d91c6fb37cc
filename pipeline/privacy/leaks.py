"""Leak scan: every export and report checks its text for real names before writing.

`ensure_no_names(text, key, target)` raises FX-PSE-003 naming where (line, column and whose
name, as a code: never the name itself) when `text` still holds a name from the pseudonym
key: a speaker's label or a person's name, and the parts people are called by (first name,
surname with and without particles). Matching is case- and diacritics-insensitive (Ayşe =
Ayse = AYSE), includes possessives (Fatima's, Jans) and respects word boundaries (Ine is not
found in 'machine'; underscores count as spaces, so file names are covered). A one-word name
that is also a Dutch word (Roos, Bakker) only counts when it is capitalised.

Callers with a `Settings` object use `leak_scanner(settings)`, which also leaves out the words
a reviewer rejected as no name and, when statements may keep them, the public figures.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.core.errors import FocuslexError
from pipeline.core.text import common_dutch_words, fold
from pipeline.privacy.detect import COMPASS, area_word_before
from pipeline.privacy.pseudonymise import (PseudonymKey, at_sentence_start, name_variants,
                                           normalise_name, organisation_spans)
from pipeline.core.settings import Settings
from pipeline.privacy.review import ReviewBook, review_path

MAX_SHOWN = 5


@dataclass(frozen=True)
class Leak:
    """A real name found in an output: offsets, 1-based line and column, whose name."""

    start: int
    end: int
    line: int
    column: int
    code: str

    @property
    def where(self) -> str:
        return f"regel {self.line}, kolom {self.column}: naam van {self.code}"


class LeakScanner:
    """Finds the names of a pseudonym key in texts."""

    def __init__(self, key: PseudonymKey, ignore: Iterable[str] = ()) -> None:
        skip = {normalise_name(i) for i in ignore if i.strip()}
        owners: dict[str, set[str]] = defaultdict(set)
        single: dict[str, bool] = {}
        for name, code in key.all_names():
            for variant in name_variants(name):
                folded = " ".join(fold(variant).split())
                if folded in skip or len(folded) < 2:
                    continue
                owners[folded].add(code)
                single[folded] = " " not in folded
        common = common_dutch_words() if owners else frozenset()
        self._owners = dict(owners)
        self._needs_capital = {v for v, s in single.items() if s and v in common}
        # as at ingest (pipeline.privacy.pseudonymise.Pseudonymiser): an ordinary word alone
        # at the start of a sentence is the word ("Jong geleerd" with a participant De Jong),
        # unless it is a speaker's first name; names inside the sheet's organisations stay
        first_names = {fold(e.label.split()[0]) for e in key.entries if e.label.split()}
        self._not_initial = self._needs_capital - first_names
        self._organisations = list(key.organisations)
        # a compass word after a place or group word is an area, as at ingest
        self._compass = {v for v, s in single.items() if s and COMPASS.fullmatch(v)}
        self._pattern = None
        if owners:
            alternation = "|".join(re.escape(v).replace(r"\ ", r"[\s_]+")
                                   for v in sorted(owners, key=len, reverse=True))
            self._pattern = re.compile(rf"(?<![^\W_])({alternation})(?:'s|'|s)?(?![^\W_])")

    def scan(self, text: str) -> list[Leak]:
        if self._pattern is None or not text:
            return []
        folded = fold(text)
        leaks = []
        protected = organisation_spans(text, self._organisations)
        for match in self._pattern.finditer(folded):
            variant = " ".join(match.group(1).replace("_", " ").split())
            original = text[match.start(1):match.end(1)]
            if variant in self._needs_capital and not original[:1].isupper():
                continue
            if (variant in self._not_initial and at_sentence_start(text, match.start(1))
                    and text[match.end():match.end() + 1] != ","):
                continue
            if any(a <= match.start(1) and match.end(1) <= b for a, b in protected):
                continue
            if variant in self._compass and area_word_before(text, match.start(1)):
                continue
            line = text.count("\n", 0, match.start(1)) + 1
            column = match.start(1) - (text.rfind("\n", 0, match.start(1)) + 1) + 1
            code = "/".join(sorted(self._owners[variant]))
            leaks.append(Leak(match.start(1), match.end(1), line, column, code))
        return leaks

    def ensure(self, text: str, target: str) -> None:
        """Raise FX-PSE-003 when `text` (about to be written to `target`) holds a name."""
        leaks = self.scan(text)
        if not leaks:
            return
        where = "; ".join(leak.where for leak in leaks[:MAX_SHOWN])
        if len(leaks) > MAX_SHOWN:
            where += f"; en nog {len(leaks) - MAX_SHOWN} keer"
        raise FocuslexError("FX-PSE-003", target=target, where=where)


def scan_for_names(text: str, key: PseudonymKey, *, ignore: Iterable[str] = ()) -> list[Leak]:
    """Every place where `text` holds a name from `key` (see the module docstring)."""
    return LeakScanner(key, ignore).scan(text)


def ensure_no_names(text: str, key: PseudonymKey, target: str, *,
                    ignore: Iterable[str] = ()) -> None:
    """Refuse (FX-PSE-003) to write `text` to `target` when it holds a name from `key`."""
    LeakScanner(key, ignore).ensure(text, target)


def leak_scanner(settings: Settings) -> LeakScanner:
    """The scanner for this installation: the key file, minus rejected words (and public
    figures when statements may keep them)."""

    key = PseudonymKey.load(settings.paths.key_file)
    ignore = set(ReviewBook.load(review_path(settings)).decisions.rejected)
    if settings.pseudonymise.keep_public_figures_in_statements:
        ignore |= set(settings.pseudonymise.public_figures)
    return LeakScanner(key, ignore)
