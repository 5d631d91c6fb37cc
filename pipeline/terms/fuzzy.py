"""The optional fuzzy pass: long word forms damaged by OCR or typing (`discrirninatie`,
`nieuwkomrs`, `lntegratie`) still give a hit, marked `fuzzy`.

Only for a token the exact matching found nothing in, of at least `MIN_LENGTH` (9) folded
characters, that is not a Dutch dictionary word (`pipeline.core.text.common_dutch_words`:
`integrale` stays itself). Allowed edit distance
(Levenshtein, computed by rapidfuzz): 1 for 9 to 13 characters, 2 from 14 on. Two ways:
1. the whole token against every word form of the lexicon (labels and their generated
   inflections) and every single-word exclusion, through a deletion index (SymSpell: two
   strings within distance d share a string made by deleting at most d characters from each),
   each candidate checked with `rapidfuzz.distance.Levenshtein`; an exclusion as close as the
   nearest form blocks the hit (`biodiversitcit` is no diversity);
2. for compounds (`inburgeringsp1ichtigen`, `arbeidsmarktdiscrirninatie`): the token with
   one typical OCR confusion undone (`rn`->`m`, `1`/`|`->`l`/`i`, `0`->`o`, a leading `l`->`i`,
   `c`->`e`) and then analysed exactly like any token, if the repair is within the distance.
The answer per token text is cached by the matcher like any other.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from rapidfuzz.distance import Levenshtein

from pipeline.core.text import common_dutch_words
from pipeline.terms.patterns import PLAIN, FormInfo, PatternSet, TokenMatch, fold_word

MIN_LENGTH = 9
LONG_LENGTH = 14
# Typical OCR confusions: (what OCR wrote, what it was)
OCR_REPAIRS: tuple[tuple[str, str], ...] = (
    ("rn", "m"), ("1", "l"), ("1", "i"), ("|", "l"), ("0", "o"), ("c", "e"), ("ii", "ij"),
    ("l", "i"))


def max_distance(length: int) -> int:
    """Edit distance allowed for a form of `length` characters (0: no fuzzy matching)."""
    if length >= LONG_LENGTH:
        return 2
    return 1 if length >= MIN_LENGTH else 0


def _deletions(word: str, depth: int) -> set[str]:
    out = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


class FuzzyForms:
    """Nearest lexicon form of a damaged token (see the module docstring)."""

    def __init__(self, patterns: PatternSet) -> None:
        self.patterns = patterns
        self.dictionary = common_dutch_words()
        targets = {form: False for form in patterns.forms}
        targets.update({form: True for form in patterns.excluded_forms})
        self.excluded = {form for form, is_exclusion in targets.items() if is_exclusion}
        self.index: dict[str, list[str]] = {}
        for form in targets:
            depth = max_distance(len(form) + 1)  # a form one shorter than the token
            if depth and "-" not in form:
                for key in _deletions(form, depth):
                    self.index.setdefault(key, []).append(form)

    def classify(self, word: str) -> FormInfo:
        """A fuzzy `FormInfo` for a token that matched nothing exactly, or `PLAIN`."""
        folded = fold_word(word)
        depth = max_distance(len(folded))
        if not depth or folded in self.dictionary or not any(c.isalpha() for c in folded):
            return PLAIN
        match = self._whole(folded, depth) or self._repaired(folded, depth)
        if match is None:
            return PLAIN
        return FormInfo(folded=folded, match=replace(match, start=0, end=len(word), fuzzy=True))

    def _whole(self, folded: str, depth: int) -> TokenMatch | None:
        best: tuple[int, bool, str] | None = None
        for key in _deletions(folded, depth):
            for form in self.index.get(key, ()):
                distance = Levenshtein.distance(folded, form, score_cutoff=depth)
                if distance <= depth:
                    candidate = (distance, form not in self.excluded, form)
                    if best is None or candidate[:2] < (best[0], best[1]) or \
                            (candidate[:2] == best[:2] and form < best[2]):
                        best = candidate
        if best is None or best[1] is False:
            return None  # nothing near, or an exclusion is nearest
        found = self.patterns.form_match(best[2])
        return TokenMatch(found[0], 0, 0, "", found[1]) if found else None

    def _repaired(self, folded: str, depth: int) -> TokenMatch | None:
        for variant in _ocr_variants(folded):
            if Levenshtein.distance(folded, variant, score_cutoff=depth) > depth:
                continue
            info = self.patterns.classify(variant)
            if info.match is not None and info.match.kind not in ("glued", "truncated") \
                    and not info.excluded:
                return info.match
        return None


def _ocr_variants(folded: str) -> Iterator[str]:
    """The token with one OCR confusion undone, in a fixed order."""
    for wrong, right in OCR_REPAIRS:
        if wrong == "l":  # only a leading l for i: lntegratie, lnburgering
            if folded.startswith("l") and len(folded) > 1 and folded[1] not in "aeiouy":
                yield "i" + folded[1:]
            continue
        start = folded.find(wrong)
        while start != -1:
            yield folded[:start] + right + folded[start + len(wrong):]
            start = folded.find(wrong, start + 1)
