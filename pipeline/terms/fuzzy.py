"""The optional fuzzy pass: long word forms damaged by OCR or typing (`discrirninatie`,
`nieuwkomrs`, `lntegratie`) still give a hit, marked `fuzzy`.

Only for a token the exact matching found nothing in, of at least `MIN_LENGTH` (9) folded
characters, that is not a Dutch dictionary word (`pipeline.core.text.common_dutch_words`:
`integrale` stays itself) nor a compound of two (`rassengelijkheid` is no damaged
`kansengelijkheid`). Allowed edit distance
(Levenshtein, computed by rapidfuzz): 1 for 9 to 13 characters, 2 from 14 on. Two ways:
1. the whole token against the word forms of the lexicon (labels and their generated
   inflections) and single-word exclusions that share its first or its last three
   characters and differ in length by at most the distance, scored by
   `rapidfuzz.process.extract` with `Levenshtein.distance`; an exclusion as close as the
   nearest form blocks the hit (`biodiversitcit` is no diversity);
2. for compounds (`inburgeringsp1ichtigen`, `arbeidsmarktdiscrirninatie`, `nieuwkorners`):
   the token with one typical OCR confusion undone (`rn`->`m`, `1`/`|`/`!`->`l`/`i`, `0`->`o`,
   `€`->`e`, `@`->`a`, `$`->`s`, `5`->`s`, `l`->`i` at the start or between consonants,
   `c`->`e`, `e`->`c`;
   one confusion counts as one edit) and then analysed exactly like any token. A digit or symbol inside a word is damage
   for sure, so after undoing one the word may still be the distance from a whole form
   (`vooroorde1`: a lost letter as well). `woonsegregat!e`, which the tokenizer splits at the
   `!`, is joined back by the matcher (`SPLIT_SYMBOLS`) and then analysed here;
3. shorter tokens (`SHORT_LENGTH` to 8 characters, `racisrne`, `rac1sme`, `divcrse`,
   `raeisme`): only
   one OCR confusion undone, and only when that gives a whole word form of the lexicon
   exactly (also one that is a dictionary word: `inc1usie` is inclusie);
4. a word with a digit or symbol between letters (`ge1ijke`, `inc1usie`) is OCR damage for
   sure: `symbol_repair` gives the Dutch word or lexicon form that one such repair makes of
   it, and the matcher reads the token as that word everywhere, also as a word of a
   multiword label (`ge1ijke kansen`) or exclusion.
5. an upper-case I inside a lower-case word (`incIusie`, `VIuchtelingen`) is an OCR l for
   sure: `capital_i_repair` reads it so when that gives a lexicon form;
6. a word of a multiword label damaged by one OCR confusion (`bescherrning`) is read as that
   word (`phrase_repair`), so the label is found.
The answer per token text is cached by the matcher like any other; the word a damaged token
was repaired into is kept in `FuzzyForms.repaired` (the sense step encodes that word, not the
damaged one).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from pipeline.core.text import common_dutch_words
from pipeline.terms.patterns import PLAIN, FormInfo, PatternSet, TokenMatch, fold_word

MIN_LENGTH = 9
SHORT_LENGTH = 6  # from here, one OCR repair that gives a whole lexicon form exactly
LONG_LENGTH = 14
_VOWELS_L = frozenset("aeiouyl")
_DAMAGE = frozenset("105|!€@$")  # characters OCR writes for letters
# Typical OCR confusions: (what OCR wrote, what it was)
OCR_REPAIRS: tuple[tuple[str, str], ...] = (
    ("rn", "m"), ("1", "l"), ("1", "i"), ("|", "l"), ("|", "i"), ("!", "i"), ("!", "l"),
    ("0", "o"), ("€", "e"), ("@", "a"), ("$", "s"), ("c", "e"), ("ii", "ij"), ("l", "i"),
    ("e", "c"), ("5", "s"))
# An upper-case I between a letter and a lower-case letter is an OCR l (`incIusie`,
# `VIuchtelingen`): no Dutch word is spelt so.
_CAPITAL_I = re.compile(r"(?<=[^\W\d_])I(?=[a-zà-ÿ])")


def _keys(form: str) -> tuple[str, str]:
    """Bucket keys: the first and the last three characters (damage at both ends of one
    word at once is not found)."""
    return "<" + form[:3], form[-3:] + ">"


def max_distance(length: int) -> int:
    """Edit distance allowed for a form of `length` characters (0: no fuzzy matching)."""
    if length >= LONG_LENGTH:
        return 2
    return 1 if length >= MIN_LENGTH else 0


class FuzzyForms:
    """Nearest lexicon form of a damaged token (see the module docstring)."""

    def __init__(self, patterns: PatternSet) -> None:
        self.patterns = patterns
        self.dictionary = common_dutch_words()
        self.excluded = frozenset(patterns.excluded_forms)
        # (first or last three characters, length) -> forms
        self.buckets: dict[tuple[str, int], list[str]] = {}
        for form in sorted(set(patterns.forms) | self.excluded):
            if max_distance(len(form) + 1) and "-" not in form:
                for key in _keys(form):
                    self.buckets.setdefault((key, len(form)), []).append(form)
        # every word of a multiword label or exclusion (gelijke, kansen)
        self.phrase_words = frozenset(
            word for phrases in patterns.phrases.values() for phrase in phrases
            for slot in phrase.slots for word in slot) | frozenset(patterns.exclusion_phrases)
        # folded damaged word -> the word it was repaired into (for the sense step)
        self.repaired: dict[str, str] = {}

    def classify(self, word: str, remember: bool = True) -> FormInfo:
        """A fuzzy `FormInfo` for a token that matched nothing exactly, or `PLAIN`.
        `remember=False`: a question only, the repaired word is not kept in `repaired`."""
        folded = fold_word(word)
        depth = max_distance(len(folded))
        if len(folded) < SHORT_LENGTH or folded in self.dictionary \
                or not any(c.isalpha() for c in folded):
            return PLAIN
        if not depth:
            found = self._short_repair(folded)
        elif self._compound_of_words(folded):
            return PLAIN
        else:
            found = self._whole(folded, depth) or self._repaired(folded, depth)
        if found is None:
            return PLAIN
        match, repaired = found
        if remember:
            self.repaired[folded] = repaired
        return FormInfo(folded=folded, match=replace(match, start=0, end=len(word), fuzzy=True))

    def _compound_of_words(self, folded: str) -> bool:
        """A compound of two dictionary words (rassen|gelijkheid, with a linking s/e/en) is a
        word of its own, not a damaged form (kansengelijkheid is two edits away)."""
        words = self.dictionary
        for i in range(3, len(folded) - 2):
            head, tail = folded[:i], folded[i:]
            if tail in words and (head in words or (head[-1:] == "s" and head[:-1] in words)
                                  or (head[-2:] == "en" and head[:-2] in words)):
                return True
        return False

    def _whole(self, folded: str, depth: int) -> tuple[TokenMatch, str] | None:
        """The nearest form (then: not an exclusion, then alphabetical) within `depth`."""
        size = len(folded)
        candidates = sorted({form for key in _keys(folded)
                             for length in range(size - depth, size + depth + 1)
                             for form in self.buckets.get((key, length), ())})
        if not candidates:
            return None
        best: tuple[int, bool, str] | None = None
        for form, distance, _ in process.extract(folded, candidates, scorer=Levenshtein.distance,
                                                 score_cutoff=depth, limit=None):
            candidate = (int(distance), form not in self.excluded, form)
            if best is None or (candidate[0], not candidate[1], form) < \
                    (best[0], not best[1], best[2]):
                best = candidate
        if best is None or not best[1]:
            return None  # nothing near, or an exclusion is nearest
        found = self.patterns.form_match(best[2])
        return (TokenMatch(found[0], 0, 0, "", found[1]), best[2]) if found else None

    def _short_repair(self, folded: str) -> tuple[TokenMatch, str] | None:
        """A short token that one OCR repair makes a whole lexicon form (`racisrne`)."""
        for _, variant in _ocr_variants(folded):
            found = self.patterns.form_match(variant)
            if found is not None and variant not in self.excluded:
                return TokenMatch(found[0], 0, 0, "", found[1]), variant
        return None

    def symbol_repair(self, folded: str) -> str | None:
        """The word a token with a digit or symbol between letters was before OCR damaged it
        (`ge1ijke` -> gelijke): the first one-symbol repair that is a Dutch dictionary word,
        a lexicon form or a word of a multiword label or exclusion; None for any other
        token (`co2`, `2de`, `a1`)."""
        if sum(c.isalpha() for c in folded) < 3 or not any(
                c in _DAMAGE and folded[k - 1:k].isalpha() and folded[k + 1:k + 2].isalpha()
                for k, c in enumerate(folded)):
            return None
        for wrong, variant in _ocr_variants(folded):
            if not wrong.isalpha() and (variant in self.dictionary or variant in
                                        self.patterns.forms or variant in self.phrase_words):
                return variant
        return None

    def phrase_repair(self, folded: str) -> str | None:
        """The word of a multiword label or exclusion that one OCR repair makes of a token of
        8 or more letters that is no Dutch word (`bescherrning` -> bescherming, in `verzoeker
        om internationale bescherming`), or None."""
        if len(folded) < MIN_LENGTH - 1 or folded in self.dictionary:
            return None
        return next((variant for _, variant in _ocr_variants(folded)
                     if variant in self.phrase_words), None)

    def _repaired(self, folded: str, depth: int) -> tuple[TokenMatch, str] | None:
        """One OCR confusion undone (it counts as one edit, also `rn`->`m`), then exact
        analysis (compounds too). A digit or symbol undone inside a word is damage for sure:
        that repair costs nothing, and the repaired word may still be `depth` edits from a
        whole form (`vooroorde1`: `vooroordel` -> vooroordeel)."""
        symbol_repaired: list[str] = []
        for wrong, variant in _ocr_variants(folded):
            info = self.patterns.classify(variant)
            if info.match is not None and info.match.kind not in ("glued", "truncated") \
                    and not info.excluded and (wrong != "e" or info.match.kind != "compound"):
                return info.match, variant  # e for c: only into a whole form (e is frequent)
            if not wrong.isalpha() and variant not in self.dictionary:
                symbol_repaired.append(variant)
        for variant in symbol_repaired:
            found = self._whole(variant, depth)
            if found is not None:
                return found
        return None


def capital_i_repair(word: str) -> str | None:
    """The folded word with every upper-case I between a letter and a lower-case letter
    read as l (`incIusie` -> inclusie), or None when the word has none."""
    repaired = _CAPITAL_I.sub("l", word)
    return fold_word(repaired) if repaired != word else None


def _ocr_variants(folded: str) -> Iterator[tuple[str, str]]:
    """(what OCR wrote, the token with that one confusion undone), in a fixed order."""
    for wrong, right in OCR_REPAIRS:
        if wrong == "l":  # l for i: at the start (lntegratie) or between consonants
            for k, char in enumerate(folded):  # (discrimlnatie)
                if char == "l" and k + 1 < len(folded) and folded[k + 1] not in _VOWELS_L \
                        and (k == 0 or folded[k - 1] not in _VOWELS_L):
                    yield wrong, folded[:k] + "i" + folded[k + 1:]
            continue
        start = folded.find(wrong)
        while start != -1:
            yield wrong, folded[:start] + right + folded[start + len(wrong):]
            start = folded.find(wrong, start + 1)
