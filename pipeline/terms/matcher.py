"""Term usages: the lexicon matcher, the registered spaCy component `focuslex_terms`, and
`find_terms`, which turns parsed utterances plus their metadata into `TermHit`s.

Matching works on a `TokenTable`: the few token attributes matching needs (text, offset,
lemma, POS, head, dependency, sentence starts), taken from a spaCy Doc or read from the light
token cache (`pipeline.nlp.cache`), so re-matching after a lexicon edit needs neither a parse
nor Doc deserialisation. One code path serves the component and re-matching.

Per token text the `PatternSet` (pipeline/terms/patterns.py) is asked once what it is (a form of a
term, a compound holding one, an exclusion, the start of a multiword label ...); the answer
is cached per matcher (most tokens are `PLAIN`), so the loop over tokens is one dict lookup
for the word and one for the lemma. spaCy's PhraseMatcher/Matcher are not used: they need
Doc objects, and the matcher's own phrase slots carry inflected variants and optional
articles directly.

Then, for each candidate:
- multiword labels (`onbewuste vormen van racisme`, `mensen met (een) migratieachtergrond`)
  win over the single words inside them; a term's multiword exclusions (`diversiteit aan`,
  `geïntegreerde aanpak`) and the context rules (`inclusief` + noun phrase) drop hits;
- words split at a PDF line break (`discrimi natie`, `integratie- beleid`) are joined; a
  coordination hyphen (`Integratie- en Gelijkekansenbeleid`) gives a hit on `Integratie` with
  the compound part of the last conjunct;
- negation: a negator (niet, geen, nooit, ...) in the term's clause. The clause is the
  stretch of the sentence between clause boundaries (, ; : and subordinating words such as
  dat, of, omdat, maar, die, wat); a term coordinated with a negated noun (`geen racisme of
  xenofobie`, dependency `conj`) shares its negation; a negating prefix (`niet-integratie`)
  counts too;
- a label phrase may hold an optional modifier in brackets (`(onbewust) racisme`): a hit of
  the longer term, and the words inside keep their own hits;
- the fuzzy pass (`pipeline.terms.fuzzy`, optional) for damaged long word forms; the sense
  step (`pipeline.terms.senses`) is applied by `find_terms`, not by the spaCy component;
- use/mention (`TermHit.mention`): "rejected" (ik gebruik liever geen …, wij vermijden …),
  "named" (het woord …, de term …), "distanced" (zogenaamde …, wat men … noemt), "quoted"
  (inside quotation marks), in that order of precedence; "" for a plain use.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from spacy.language import Language
from spacy.tokens import Doc, Span

from lexicon.model import Entry
from pipeline.core.text import fold_word
from pipeline.terms.patterns import PLAIN, FormInfo, Phrase, PatternSet, TokenMatch, build_patterns
from pipeline.core.records import StoredUtterance, TermHit
from pipeline.nlp.tokens import TokenTable, table_from_doc
from pipeline.terms.fuzzy import SHORT_LENGTH as FUZZY_MIN_LENGTH, FuzzyForms, capital_i_repair
from lexicon.io import load_seed, read_lexicon_file

SPANS_KEY = "focuslex_terms"
# Lemma matching only for content words (a wrong lemma on a function word is noise).
LEMMA_POS = frozenset({"NOUN", "VERB", "ADJ", "PROPN"})

NEGATORS = frozenset({"niet", "geen", "nooit", "niemand", "niets", "nergens", "noch",
                      "geenszins", "allerminst", "nimmer"})
CLAUSE_PUNCT = frozenset({",", ";", ":", "(", ")", "[", "]", "–", "—", "-", ".", "!", "?",
                          "…", "..."})
CLAUSE_OPENERS = frozenset({
    "dat", "omdat", "of", "want", "maar", "terwijl", "hoewel", "zodat", "doordat", "wanneer",
    "die", "wie", "wat", "waar", "waarom", "waardoor", "waarin", "waarbij", "waarmee",
    "waarop", "waarvan", "waarover", "toen", "nadat", "voordat", "zodra", "tenzij", "indien",
    "alhoewel", "ofschoon", "opdat", "zolang", "aangezien", "behalve", "dus"})
COORDINATORS = frozenset({"en", "of", "noch", "tot", ","})
NOMINAL_POS = frozenset({"NOUN", "PROPN", "ADJ"})

# use/mention cues (folded word forms)
NAMING_NOUNS = frozenset({"woord", "woorden", "woordje", "term", "termen", "begrip",
                          "begrippen", "label", "etiket", "uitdrukking", "benaming", "naam"})
DISTANCING_WORDS = frozenset({"zogenaamd", "zogenaamde", "zogezegd", "zogezegde", "zgn",
                              "zogeheten", "zogenoemde", "zogenoemd", "quasi"})
CALLING_VERBS = frozenset({"noemt", "noemen", "noemde", "noemden", "heet", "heten",
                           "genoemd", "betitelt", "betitelen"})
CALLERS = frozenset({"men", "ze", "zij", "we", "wij", "je", "jullie", "sommigen", "velen",
                     "mensen", "politici", "anderen", "hij", "iedereen", "sommige", "de",
                     "u", "gij", "ge"})
REJECTING_WORDS = frozenset({"vermijd", "vermijden", "vermijdt", "vermeden", "schrappen",
                             "schrapt", "schrap", "geschrapt", "afschaffen", "bannen",
                             "verbannen"})
REJECTING_PAIRS = frozenset({("liever", "geen"), ("liever", "niet"), ("niet", "meer"),
                             ("geen", "fan"), ("nooit", "meer")})
USING_WORDS = frozenset({"gebruik", "gebruiken", "gebruikt", "zeg", "zeggen", "zegt",
                         "spreek", "spreken", "hoor", "horen", "schrijf", "schrijven"})
MENTION_SKIP = frozenset({"'", '"', "‘", "’", "“", "”", "«", "»", "„", ":", "als", "zoals",
                          "de", "het", "een", "dat", "dit", "die"})
OPEN_QUOTES = {'"': '"', "“": "”", "„": "”", "‘": "’", "'": "'", "«": "»", "‹": "›"}
_QUOTE_CHARS = set(OPEN_QUOTES) | set(OPEN_QUOTES.values())


@dataclass(frozen=True, slots=True)
class Match:
    """A term found in one text (an utterance): char offsets into that text."""
    term_id: str
    start: int
    end: int
    first: int          # first and last token (inclusive)
    last: int
    compound_part: str
    kind: str
    negated: bool
    mention: str
    sentence_start: int
    sentence_end: int
    fuzzy: bool = False


class TermMatcher:
    """Finds lexicon terms in token tables. Keeps a cache of token text -> `FormInfo`."""

    def __init__(self, patterns: PatternSet, fuzzy: bool = False) -> None:
        self.patterns = patterns
        self.fuzzy = FuzzyForms(patterns) if fuzzy else None
        self._forms: dict[str, FormInfo] = {}
        self._joins: dict[str, FormInfo] = {}   # two tokens joined (`_joined`)
        self._special: set[str] = set()   # token texts whose FormInfo is not PLAIN
        self._lemmas: dict[str, TokenMatch | None] = {}
        self._folded: dict[str, str] = {}

    @classmethod
    def from_entries(cls, entries: Sequence[Entry], fuzzy: bool = False) -> "TermMatcher":
        """A matcher of the lexicon; `fuzzy`: with the fuzzy pass (`pipeline.terms.fuzzy`)."""
        return cls(build_patterns(entries), fuzzy=fuzzy)

    def label(self, term_id: str) -> str:
        return self.patterns.terms[term_id].label

    def repaired_word(self, word: str) -> str | None:
        """The word the fuzzy pass repaired a damaged token into (`integratle` ->
        integratie), or None."""
        return self.fuzzy.repaired.get(fold_word(word)) if self.fuzzy is not None else None

    # -- helpers ------------------------------------------------------------------------
    def _fold(self, word: str) -> str:
        """The folded word; with the fuzzy pass, a word with a digit or symbol between
        letters (`ge1ijke` -> gelijke) or a damaged form the fuzzy pass repaired
        (`rnigratie` -> migratie) is read as the word it was before OCR damaged it. (Tokens
        are classified, and so repaired, before any of them is folded here.)"""
        folded = self._folded.get(word)
        if folded is None:
            folded = fold_word(word)
            if self.fuzzy is not None:
                folded = self.fuzzy.symbol_repair(folded) \
                    or self.fuzzy.repaired.get(folded, folded)
            self._folded[word] = folded
        return folded

    def _lemma_match(self, lemma: str) -> TokenMatch | None:
        if lemma in self._lemmas:
            return self._lemmas[lemma]
        found = self.patterns.form_match(fold_word(lemma)) if lemma else None
        result = TokenMatch(found[0], 0, 0, "", "lemma") if found else None
        self._lemmas[lemma] = result
        return result

    # -- matching -----------------------------------------------------------------------
    def _classify(self, word: str) -> FormInfo:
        info = self.patterns.classify(word)
        if self.fuzzy is None:
            return info
        if info is not PLAIN:
            return self._damaged_longer(word, info)
        folded = fold_word(word)
        capital = capital_i_repair(word)
        if capital is not None and (self.patterns.form_match(capital) is not None
                                    or capital in self.fuzzy.phrase_words):
            return self._read_as(folded, capital)  # incIusie, VIuchtelingen, geIijke kansen
        repaired = self.fuzzy.symbol_repair(folded)
        if repaired is not None and self.patterns.classify(repaired) is not PLAIN:
            return self._read_as(folded, repaired)  # ge1ijke: a label word, or a form
        if len(word) >= FUZZY_MIN_LENGTH:
            info = self.fuzzy.classify(word)
        if info is PLAIN:
            phrase_word = self.fuzzy.phrase_repair(folded)
            if phrase_word is not None:  # bescherrning: read as bescherming in phrases
                return self._read_as(folded, phrase_word)
        return info

    def _read_as(self, folded: str, repaired: str) -> FormInfo:
        """Read a damaged token as the word it was (kept in `fuzzy.repaired`, for folding
        and the sense step); its match, if any, is marked fuzzy."""
        self.fuzzy.repaired[folded] = repaired  # type: ignore[union-attr]
        info = self.patterns.classify(repaired)
        return replace(info, match=info.match and replace(info.match, fuzzy=True))

    def _damaged_longer(self, word: str, info: FormInfo) -> FormInfo:
        """A compound hit whose other part is no Dutch word may be a damaged form of a longer
        term (`migratieaehtergrond` is migratieachtergrond, not migratie + `aehtergrond`):
        the fuzzy pass's answer when it finds another term, else the compound hit."""
        match = info.match
        if match is None or match.kind != "compound" or not match.compound_part \
                or fold_word(match.compound_part) in self.fuzzy.dictionary:  # type: ignore[union-attr]
            return info
        fuzzy = self.fuzzy.classify(word, remember=False)  # type: ignore[union-attr]
        if fuzzy.match is None or fuzzy.match.term_id == match.term_id:
            return info  # (`migratieachter`: no other term; the token stays itself)
        return self.fuzzy.classify(word)  # type: ignore[union-attr]

    def match(self, table: TokenTable, text: str,
              defer: frozenset[str] = frozenset()) -> list[Match]:
        """Every term use in `text` (whose parse is `table`), in text order. `defer`: terms
        whose context rules are left to the sense step (`pipeline.terms.senses`)."""
        words = table.words
        vocabulary = set(words)
        self._learn(vocabulary)
        # set operations run in C: most texts hold no special token and no lemma key
        has_forms = not self._special.isdisjoint(vocabulary)
        keys = self.patterns.lemma_keys
        has_lemmas = not keys.isdisjoint(table.lemmas)
        joins = (self._symbol_joins(table) if self.fuzzy is not None
                 and not vocabulary.isdisjoint(SPLIT_SYMBOLS) else [])
        if not has_forms and not has_lemmas and not joins:
            return []
        cache = self._forms
        infos = [cache[word] for word in words]
        special = [i for i, info in enumerate(infos) if info is not PLAIN] if has_forms else []
        # lemma-aware: a token whose lemma is a single-word label (an irregular form the
        # generated inflections miss), if its own form is nothing (no match, no exclusion)
        by_lemma: dict[int, TokenMatch] = {}
        if has_lemmas:
            for i, lemma in enumerate(table.lemmas):
                if lemma in keys and infos[i] is PLAIN and table.pos[i] in LEMMA_POS:
                    found = self._lemma_match(lemma)
                    if found is not None:
                        by_lemma[i] = found
        if not special and not by_lemma and not joins:
            return []
        candidates = self._candidates(table, special, infos, by_lemma, joins)
        if not candidates:
            return []
        return self._finish(table, text, candidates, defer)

    def _learn(self, vocabulary: set[str]) -> None:
        """Classify the token texts not seen before (once per matcher)."""
        cache = self._forms
        if cache.keys() >= vocabulary:
            return
        for word in vocabulary:
            if word not in cache:
                info = cache[word] = self._classify(word)
                if info is not PLAIN:
                    self._special.add(word)

    def _candidates(self, table: TokenTable, special: list[int], infos: list[FormInfo],
                    by_lemma: dict[int, TokenMatch],
                    joins: list[tuple[int, int, TokenMatch]]
                    ) -> list[tuple[int, int, TokenMatch]]:
        """(first token, last token, match) before exclusions, longest phrases first."""
        phrase_hits: list[tuple[int, int, TokenMatch, bool]] = []
        single: list[tuple[int, int, TokenMatch]] = list(joins)  # first: they win a tie
        for i in special:
            info = infos[i]
            if info.phrase_start:
                best = self._best_phrase(table, i, info.folded)
                if best is not None:
                    phrase_hits.append(best)
            match = info.match
            if match is not None and info.truncated:
                single.append(self._truncated(table, i, match))
            elif match is not None:
                single.append(self._longer_join(table, i, match))
            elif info.split_start and i + 1 < len(table.words):
                joined = self._joined(table, i)
                if joined is not None:
                    single.append(joined)
                split = self._split_phrase(table, i) if info.truncated else None
                # gelijke onderwijs- kansen; onbewust racis- tisch (a longer term than the
                # joined word's: racis- tisch is racisme)
                if split is not None and (joined is None
                                          or split[2].term_id != joined[2].term_id):
                    phrase_hits.append(split)
        single += [(i, i, match) for i, match in by_lemma.items()]
        return self._resolve(phrase_hits, single, table.words)

    def _best_phrase(self, table: TokenTable, i: int,
                     folded: str) -> tuple[int, int, TokenMatch, bool] | None:
        """The longest label phrase around token i: (first, last, match, bracketed)."""
        best: tuple[int, int, TokenMatch, bool] | None = None
        for phrase in self.patterns.phrases.get(folded, ()):
            span = self._match_around(phrase, table, i, phrase.anchor)
            if span is not None and (best is None or span[1] - span[0] > best[1] - best[0]):
                best = (span[0], span[1], TokenMatch(phrase.term_id, 0, 0, "", "phrase"),
                        span[2])
        if best is not None and self.fuzzy is not None and any(
                fold_word(w) in self.fuzzy.repaired for w in table.words[best[0]:best[1] + 1]):
            best = (best[0], best[1], replace(best[2], fuzzy=True), best[3])  # ge1ijke kansen
        return best

    def _split_phrase(self, table: TokenTable,
                      i: int) -> tuple[int, int, TokenMatch, bool] | None:
        """A label phrase whose anchor word a line break splits over tokens i and i+1
        (`gelijke onderwijs- kansen`): (first, last, match, bracketed) or None."""
        words = table.words
        if not words[i + 1][:1].islower():
            return None
        joined = self._fold(words[i]).rstrip("-") + self._fold(words[i + 1])
        for phrase in self.patterns.phrases.get(joined, ()):
            after = self._walk(phrase, words, i + 2, phrase.anchor + 1, 1)
            before = self._walk(phrase, words, i - 1, phrase.anchor - 1, -1)
            if after is not None and before is not None:
                return (before[0] + 1, after[0] - 1,
                        TokenMatch(phrase.term_id, 0, 0, "", "phrase"), after[1] or before[1])
        return None

    def _resolve(self, phrase_hits: list[tuple[int, int, TokenMatch, bool]],
                 single: list[tuple[int, int, TokenMatch]],
                 words: list[str]) -> list[tuple[int, int, TokenMatch]]:
        """Longest phrase first; then single tokens. Inside a phrase a word of another term
        stays a hit of its own (etnisch-culturele minderheden: etnisch and minderheid),
        unless the phrase's term is narrower (onbewust racisme: no racisme hit), the other
        term excludes the phrase (positieve discriminatie) or the phrase is one word of its
        term with a stray space (migratie achtergrond: no migratie hit). A phrase with an
        optional modifier in brackets ('(onbewust) racisme') is a use of the longer term and
        of the shorter one: its words keep their own hits."""
        phrase_hits.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
        taken: set[int] = set()
        owner: dict[int, str] = {}
        closed: set[int] = set()  # tokens of a spaced compound: no other hit
        out: list[tuple[int, int, TokenMatch]] = []
        for first, last, match, bracketed in phrase_hits:
            span = set(range(first, last + 1))
            if span & taken:
                continue
            out.append((first, last, match))
            if not bracketed:
                taken |= span
                owner.update((t, match.term_id) for t in span)
                if self._spaced_word(words[first:last + 1], match.term_id):
                    closed |= span
        single_taken: set[int] = set()
        broader = self.patterns.broader
        for first, last, match in sorted(single, key=lambda h: h[0]):
            span = set(range(first, last + 1))
            if span & single_taken or span & closed or any(
                    t in taken and (owner[t] == match.term_id
                                    or match.term_id in broader.get(owner[t], ()))
                    for t in span):
                continue
            single_taken |= span
            out.append((first, last, match))
        out.sort(key=lambda h: h[0])
        return out

    def _spaced_word(self, words: list[str], term_id: str) -> bool:
        """Are these words one word form of the term written with spaces or hyphens
        (`migratie achtergrond`, `migratie-achtergrond`)? Not when the word is only the
        glued spelling of a multiword label (`anderstalige nieuwkomers`)."""
        joined = "".join(self._fold(w).replace("-", "") for w in words)
        found = self.patterns.forms.get(joined)
        return found is not None and found[0] == term_id and found[2] != 2

    def _match_around(self, phrase: Phrase, table: TokenTable, i: int,
                      k: int, brackets: bool = True) -> tuple[int, int, bool] | None:
        """(first, last, bracketed) tokens of `phrase` matched with its slot k on token i,
        or None. Optional slots (articles) may be missing; one article in the text that the
        phrase lacks may stand between two slots (mensen met een migratieachtergrond); a
        bracket may close or open between two slots ('(onbewust) racisme'), and the phrase
        then starts at the opening bracket."""
        words = table.words
        after = self._walk(phrase, words, i + 1, k + 1, 1, brackets)
        if after is None:
            return None
        before = self._walk(phrase, words, i - 1, k - 1, -1, brackets)
        if before is None:
            return None
        first, last = before[0] + 1, after[0] - 1
        bracketed = after[1] or before[1]
        if bracketed and first > 0 and words[first - 1] in _OPEN_BRACKETS:
            first -= 1
        return first, last, bracketed

    def _walk(self, phrase: Phrase, words: list[str], j: int, s: int, step: int,
              brackets: bool = True) -> tuple[int, bool] | None:
        """Match the slots from s on (step +1: rightwards, -1: leftwards) against the words
        from j on; (the first word index past the phrase, a bracket skipped) or None. The last
        word of an exclusion may also be the first part of a compound (`allochtoon
        gesteente` excludes `allochtoon gesteentepakket`)."""
        slots, optional = phrase.slots, phrase.optional
        fold = self._fold
        n = len(words)
        bracket = False
        last = len(slots) - 1 if phrase.exclusion and step == 1 else -1
        while 0 <= s < len(slots):
            inside = 0 <= j < n
            if inside and (fold(words[j]) in slots[s]
                           or s == last and _starts_compound(fold(words[j]), slots[s])):
                j, s = j + step, s + step
            elif inside and 0 <= j + step < n and _hyphen_split(
                    fold(words[min(j, j + step)]), fold(words[max(j, j + step)]), slots[s]):
                j, s = j + 2 * step, s + step  # gelijke onderwijs- / kansen
            elif optional[s]:
                s += step
            elif inside and 0 <= j + step < n and fold(words[j]) in _ARTICLES \
                    and fold(words[j + step]) in slots[s]:
                j, s = j + 2 * step, s + step
            elif inside and brackets and not bracket and words[j] in _BRACKETS and 0 <= j + step < n \
                    and fold(words[j + step]) in slots[s]:
                bracket = True
                j += step
            else:
                return None
        return j, bracket

    def _truncated(self, table: TokenTable, i: int,
                   match: TokenMatch) -> tuple[int, int, TokenMatch]:
        """`Integratie-` before `en`/`of`: a hit on the word, with the compound part of the
        last conjunct; `integratie- beleid` (a broken word): the joined word."""
        words = table.words
        n = len(words)
        nxt = self._fold(words[i + 1]) if i + 1 < n else ""
        if nxt in COORDINATORS:
            part = ""
            j = i + 1
            while j < n and j <= i + 6:
                word = words[j]
                folded = self._fold(word)
                if folded in COORDINATORS or folded.endswith("-"):
                    j += 1
                    continue
                info = self._forms.get(word) or self.patterns.classify(word)
                if info.match is not None and info.match.compound_part:
                    part = info.match.compound_part.split("+")[-1]
                break
            return (i, i, TokenMatch(match.term_id, match.start, match.end, part, "truncated",
                                     match.negated))
        joined = self._joined(table, i)
        if joined is not None:
            return joined
        return (i, i, match)

    def _symbol_joins(self, table: TokenTable) -> list[tuple[int, int, TokenMatch]]:
        """`woonsegregat!e`: OCR wrote a symbol for a letter and the tokenizer split the word
        there. Three tokens written without a space, letters on both sides of the symbol,
        are one damaged word for the fuzzy pass (a hit over the three tokens)."""
        words = table.words
        out: list[tuple[int, int, TokenMatch]] = []
        for i in range(1, len(words) - 1):
            if words[i] not in SPLIT_SYMBOLS or not words[i - 1][-1:].isalpha() \
                    or not words[i + 1][:1].isalpha():
                continue
            idx = table.idx
            if idx[i] != idx[i - 1] + len(words[i - 1]) or idx[i + 1] != idx[i] + len(words[i]):
                continue
            joined = words[i - 1] + words[i] + words[i + 1]
            info = self._forms.get(joined)
            if info is None:
                info = self._forms[joined] = self._classify(joined)
            m = info.match
            if m is not None and m.kind != "glued":
                out.append((i - 1, i + 1, TokenMatch(m.term_id, 0, -1, m.compound_part, "split",
                                                     m.negated, fuzzy=True)))
        return out

    def _longer_join(self, table: TokenTable, i: int,
                     match: TokenMatch) -> tuple[int, int, TokenMatch]:
        """A compound hit cut by a stray space or line break before its last letters
        (`migratieachtergr ond`): the joined word when that is a form of another term."""
        if match.kind == "compound" and i + 1 < len(table.words):
            joined = self._joined(table, i)
            if joined is not None and joined[2].term_id != match.term_id:
                return joined
        return (i, i, match)

    def _joined(self, table: TokenTable, i: int) -> tuple[int, int, TokenMatch] | None:
        """A word split in two tokens (PDF line break): `discrimi natie`, `integratie- beleid`."""
        words = table.words
        if i + 1 >= len(words):
            return None
        second = words[i + 1]
        if not second[:1].isalpha() or not second[:1].islower():
            return None
        if len(second) > 2 and second.endswith("."):
            second = second[:-1]  # the tokenizer kept the full stop: vluchtelin- / gen.
        joined = self._fold(words[i]).rstrip("-") + self._fold(second)
        info = self._joins.get(joined)  # not `_forms`: a token with this text is classified
        if info is None:  # with the fuzzy pass, a join without (the answer must not depend
            info = self._joins[joined] = self.patterns.classify(joined)  # on the order)
        if info.match is None or info.match.kind == "glued":
            return None
        second_info = self._forms.get(second)
        if second_info is not None and second_info.match is not None \
                and not words[i].endswith("-"):
            return None  # meer diversiteit: two words; super- diversiteit, arbeids- migranten: one
        # the offsets are decoded only now (a lazy column of the token table)
        if table.idx[i + 1] - (table.idx[i] + len(words[i])) > 2:
            return None
        m = info.match
        return (i, i + 1, TokenMatch(m.term_id, 0, -1, m.compound_part, "split", m.negated))

    # -- exclusions, context, negation, mention -----------------------------------------
    def _finish(self, table: TokenTable, text: str,
                candidates: list[tuple[int, int, TokenMatch]],
                defer: frozenset[str] = frozenset()) -> list[Match]:
        out: list[Match] = []
        quotes: list[tuple[int, int]] | None = None
        for first, last, match in candidates:
            if self._excluded(table, first, last, match.term_id, match.fuzzy):
                continue
            if first == last and match.term_id not in defer \
                    and not self._context_allows(table, first, match.kind):
                continue
            start, end = self._offsets(table, first, last, match)
            sent_first, sent_last = self._sentence(table, first)
            negated = match.negated or self._negated(table, first, last, sent_first, sent_last)
            mention = self._mention(table, first, last, sent_first)
            if not mention:
                if quotes is None:
                    quotes = quote_spans(text)
                if any(a <= start and end <= b for a, b in quotes):
                    mention = "quoted"
            s_start = table.idx[sent_first]
            s_end = table.idx[sent_last] + len(table.words[sent_last])
            out.append(Match(match.term_id, start, end, first, last, match.compound_part,
                             match.kind, negated, mention, s_start, s_end, match.fuzzy))
        return out

    def _offsets(self, table: TokenTable, first: int, last: int,
                 match: TokenMatch) -> tuple[int, int]:
        if first == last and match.kind not in ("phrase", "lemma", "split"):
            base = table.idx[first]
            return base + match.start, base + match.end
        start = table.idx[first]
        end = table.idx[last] + len(table.words[last])
        if match.kind == "split" and len(table.words[last]) > 2 \
                and table.words[last].endswith("."):
            end -= 1  # not the full stop the tokenizer kept on a second half (`gen.`)
        return start, end

    def _excluded(self, table: TokenTable, first: int, last: int, term_id: str,
                  fuzzy: bool = False) -> bool:
        """Is the hit inside one of its term's multiword exclusions? A damaged hit is read
        as its repaired word (`discrirninerend vermogen`)."""
        index = self.patterns.exclusion_phrases
        for i in range(first, last + 1):
            word = self._fold(table.words[i])
            if fuzzy:
                word = self.repaired_word(table.words[i]) or word
            for phrase, k in index.get(word, ()):
                if phrase.term_id == term_id and self._match_around(phrase, table, i, k,
                                                                    brackets=False):
                    return True
        if first > 0 and table.words[first - 1].endswith("-") and term_id in \
                self.patterns.classify(table.words[first - 1] + table.words[first]).excluded:
            return True  # re- integratie: a hyphenated exclusion split at a line break
        return last > first and self._split_excluded(table, first, last, term_id)

    def _split_excluded(self, table: TokenTable, first: int, last: int, term_id: str) -> bool:
        """A word split over a line break (`anders- talige webpagina`) that starts or ends a
        multiword exclusion of its term, read as the joined word."""
        words = table.words
        joined = "".join(self._fold(w).rstrip("-") for w in words[first:last])
        joined += self._fold(words[last])
        for phrase, k in self.patterns.exclusion_phrases.get(joined, ()):
            if phrase.term_id != term_id:
                continue
            if k == 0 and self._match_around(phrase, table, last, k, brackets=False):
                return True
            if k == len(phrase.slots) - 1 and self._match_around(phrase, table, first, k,
                                                                 brackets=False):
                return True
        return False

    def _context_allows(self, table: TokenTable, i: int, kind: str) -> bool:
        if kind not in ("form", "hidden", "lemma"):
            return True
        rules = self.patterns.rules.get(self._fold(table.words[i]))
        if not rules:
            return True
        sent_first, sent_last = self._sentence(table, i)
        prev = self._fold(table.words[i - 1]) if i > sent_first else ""
        nxt = self._fold(table.words[i + 1]) if i < sent_last else None
        nxt_pos = table.pos[i + 1] if i < sent_last else ""
        if nxt_pos == "VERB" and i + 1 < sent_last and table.pos[i + 2] == "NOUN":
            # a participle before a noun is an adjective (diverse bestaande budgetten)
            nxt, nxt_pos = self._fold(table.words[i + 2]), "NOUN"
        prev_pos = table.pos[i - 1] if i > sent_first else ""
        # `plaatsing niet inclusief.`: a noun, a negation, the clause ends ('not included')
        if prev in _NOT and i - 1 > sent_first and (nxt is None or nxt_pos == "PUNCT"):
            prev, prev_pos = "", table.pos[i - 2]
        for rule in rules:
            if prev in rule.keep_prev and prev_pos not in _VERB_OR_CONJUNCTION:
                continue  # not `dat` the conjunction nor `zijn` the verb: a determiner
            if rule.postposed and prev_pos in _POSTPOSED_AFTER and (
                    nxt is None or nxt_pos == "PUNCT"):
                return False  # water inclusief.
            if nxt is None:
                if rule.keep_at_end:
                    continue
                return False
            if nxt in rule.keep_next or nxt_pos in rule.keep_next_pos and (
                    prev not in rule.strict_after or nxt_pos in _CLAUSE_POS):
                continue
            return False
        return True

    def rule_verdict(self, table: TokenTable, i: int) -> int:
        """The context rules on token i: 0 when none applies to its form, +1 when they keep
        the hit, -1 when they would drop it (a signal for the sense step); 0 too when a
        `weak_prev` rule keeps it only for the word before it (`een diverse keuze`)."""
        rules = self.patterns.rules.get(self._fold(table.words[i]))
        if not rules:
            return 0
        if not self._context_allows(table, i, "form"):
            return -1
        first, last = self._sentence(table, i)
        prev = self._fold(table.words[i - 1]) if i > first else ""
        nxt = self._fold(table.words[i + 1]) if i < last else ""
        weak = any(r.weak_prev and prev in r.keep_prev and nxt not in r.keep_next for r in rules)
        return 0 if weak else 1

    @staticmethod
    def sentence_of(table: TokenTable, i: int) -> tuple[int, int]:
        """First and last token of the sentence holding token i."""
        return TermMatcher._sentence(table, i)

    @staticmethod
    def _sentence(table: TokenTable, i: int) -> tuple[int, int]:
        starts = table.sent_starts
        k = bisect_right(starts, i) - 1
        first = starts[k] if k >= 0 else 0
        last = (starts[k + 1] - 1) if k + 1 < len(starts) else len(table.words) - 1
        return first, last

    def _clause(self, table: TokenTable, first: int, last: int, sent_first: int,
                sent_last: int) -> tuple[int, int]:
        words = table.words
        a = first
        while a > sent_first:
            w = self._fold(words[a - 1])
            if w in CLAUSE_PUNCT:
                break
            a -= 1
            if w in CLAUSE_OPENERS:
                break
        b = last
        while b < sent_last:
            w = self._fold(words[b + 1])
            if w in CLAUSE_PUNCT or w in CLAUSE_OPENERS:
                break
            b += 1
        return a, b

    def _negated(self, table: TokenTable, first: int, last: int, sent_first: int,
                 sent_last: int, follow: bool = True) -> bool:
        a, b = self._clause(table, first, last, sent_first, sent_last)
        words = table.words
        for j in range(a, b + 1):
            if (j < first or j > last) and self._fold(words[j]) in NEGATORS:
                return True
        if follow:  # geen racisme of xenofobie: a conjunct shares the negation
            for t in range(first, last + 1):
                head = table.heads[t]
                if (table.deps[t] == "conj" and head != t and not first <= head <= last
                        and sent_first <= head <= sent_last and table.pos[head] in NOMINAL_POS):
                    return self._negated(table, head, head, sent_first, sent_last, False)
        return False

    def _mention(self, table: TokenTable, first: int, last: int, sent_first: int) -> str:
        words = table.words
        before = [self._fold(words[j]) for j in range(max(sent_first, first - 10), first)]
        # rejected: ik gebruik liever geen …, wij vermijden het woord …
        if any(w in REJECTING_WORDS for w in before):
            return "rejected"
        pairs = set(zip(before, before[1:]))
        if pairs & REJECTING_PAIRS and any(w in USING_WORDS for w in before):
            return "rejected"
        # named: het woord …, de term 'racisme', woorden als …
        j = first - 1
        while j >= sent_first and self._fold(words[j]) in MENTION_SKIP:
            j -= 1
        if j >= sent_first and self._fold(words[j]) in NAMING_NOUNS:
            return "named"
        # distanced: zogenaamde …, wat men … noemt
        near = before[-3:]
        if any(w in DISTANCING_WORDS for w in near):
            return "distanced"
        if "wat" in before[-4:]:
            w_index = len(before) - 1 - before[::-1].index("wat")
            if w_index + 1 < len(before) and before[w_index + 1] in CALLERS:
                after = [self._fold(words[j])
                         for j in range(last + 1, min(len(words), last + 4))]
                if any(w in CALLING_VERBS for w in after):
                    return "distanced"
        return ""


_ARTICLES = frozenset({"de", "het", "een", "'t", "'n"})
_POSTPOSED_AFTER = frozenset({"NOUN", "PROPN", "NUM", "SYM"})
_NOT = frozenset({"niet", "nie"})
# `dat` and `zijn` are determiners (that, his) only when the tagger says they are no
# conjunction or verb: `erop dat diverse vrijwilligers`, `de tarieven zijn inclusief btw`.
_VERB_OR_CONJUNCTION = frozenset({"SCONJ", "AUX", "VERB"})
# Symbols that OCR writes for a letter and that the tokenizer splits a word at
# (`woonsegregat!e`); the fuzzy pass (`pipeline.terms.fuzzy.OCR_REPAIRS`) undoes them.
def _hyphen_split(head: str, tail: str, slot: frozenset[str]) -> bool:
    """Two tokens that are one word of a phrase split by a line-break hyphen (`onderwijs-`
    + `kansen` in `gelijke onderwijs- kansen`)."""
    return len(head) > 2 and head.endswith("-") and tail[:1].isalpha() \
        and head[:-1] + tail in slot


def _starts_compound(word: str, slot: frozenset[str]) -> bool:
    """Is `word` a compound (3+ more letters) that starts with a variant of the slot?"""
    return any(word.startswith(v) for v in slot if len(word) >= len(v) + 3)


SPLIT_SYMBOLS = frozenset({"!"})
_CLAUSE_POS = frozenset({"PUNCT", "CCONJ", "SCONJ"})  # see ContextRule.strict_after
_BRACKETS = frozenset({"(", ")", "[", "]"})
_OPEN_BRACKETS = frozenset({"(", "["})


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans inside quotation marks ('…', "…", ‘…’, “…”, «…», „…”) in `text`.
    An apostrophe inside a word or a clitic (Fatima's, 's avonds) opens nothing: an opening
    mark stands after a space, a bracket or the start and before a non-space; a closing one
    after a non-space and before a space, punctuation or the end; a quote never crosses a
    paragraph."""
    spans: list[tuple[int, int]] = []
    n = len(text)
    i = 0
    while i < n:
        c = text[i]
        clitic = (c in "'‘’" and i + 2 <= n and text[i + 1:i + 2] in ("s", "t", "k", "n")
                  and (i + 2 == n or not text[i + 2].isalpha()))  # 's avonds, 't is
        if c in OPEN_QUOTES and not clitic and (i == 0 or text[i - 1] in " \t\n([{—–-/" or
                                                text[i - 1] in _QUOTE_CHARS) \
                and i + 1 < n and not text[i + 1].isspace():
            closers = {OPEN_QUOTES[c]} | ({"“", "”"} if c == "„" else set())
            j = i + 1
            limit = min(n, i + 400)
            found = -1
            while j < limit:
                d = text[j]
                if d == "\n" and j + 1 < n and text[j + 1] == "\n":
                    break
                if d in closers and not text[j - 1].isspace() and \
                        (j + 1 == n or not text[j + 1].isalnum()):
                    found = j
                    break
                j += 1
            if found != -1:
                spans.append((i + 1, found))
                i = found + 1
                continue
        i += 1
    return spans


# -- TermHits from parsed utterances ------------------------------------------------------

class SenseJudge(Protocol):
    """What `find_terms` needs of the sense step (`pipeline.terms.senses.SenseModel`)."""

    @property
    def deferred(self) -> frozenset[str]: ...

    def is_ambiguous(self, match: Match, surface: str = "") -> bool: ...

    def prepare(self, hits: Sequence[tuple[TokenTable, Match, str]],
                passages: Sequence[str] = ()) -> None: ...

    def judge(self, table: TokenTable, match: Match, sentence: str,
              passage: str = "", company: bool = False) -> Any: ...


def find_terms(parsed: Sequence[Doc | TokenTable], utterances: Sequence[StoredUtterance],
               matcher: TermMatcher, senses: SenseJudge | None = None) -> list[TermHit]:
    """Hits of every parsed utterance (a Doc or its token table, in the order of
    `utterances`), with offsets into the stored document text and the utterance's metadata.
    With `senses`, hits of ambiguous terms are scored and kept, dropped or flagged uncertain
    (their sentences are encoded in one batch first)."""
    defer = senses.deferred if senses is not None else frozenset()
    found: list[tuple[StoredUtterance, TokenTable, list[Match]]] = []
    for item, meta in zip(parsed, utterances, strict=True):
        table = item if isinstance(item, TokenTable) else table_from_doc(item)
        matches = matcher.match(table, meta.text, defer)
        if matches:
            found.append((meta, table, matches))
    verdicts = (judge_senses([(meta.text, table, ms) for meta, table, ms in found], senses)
                if senses is not None else {})
    hits: list[TermHit] = []
    for k, (meta, table, matches) in enumerate(found):
        for m in matches:
            sentence = _sentence_text(meta.text, m)
            score, uncertain = None, False
            verdict = verdicts.get((k, m))
            if verdict is not None:
                if verdict.decision == "drop":
                    continue
                score, uncertain = verdict.score, verdict.decision == "uncertain"
            base = meta.char_start
            hits.append(TermHit(
                document_id=meta.document_id, utterance_index=meta.index, term_id=m.term_id,
                label=matcher.label(m.term_id), text=meta.text[m.start:m.end],
                start=base + m.start, end=base + m.end, sentence=sentence,
                speaker=meta.speaker, group=meta.group, round=meta.round,
                compound_part=m.compound_part, negated=m.negated, mention=m.mention,
                sense_score=score, uncertain=uncertain, fuzzy=m.fuzzy))
    return hits


def judge_senses(found: Sequence[tuple[str, TokenTable, Sequence[Match]]],
                 senses: SenseJudge) -> dict[tuple[int, Match], Any]:
    """The sense step's verdicts on the hits it judges: (position in `found`, match) ->
    verdict, for `found` = (text, its table, its matches); the text is the passage (an
    utterance or paragraph) of the domain signal. The sentences, windows and passages of all
    judged hits are encoded (or read from the cache) in one batch first."""
    todo = judged_hits(found, senses)
    senses.prepare([(table, m, sentence) for _, table, m, sentence, _ in todo],
                   sorted({found[k][0] for k, *_ in todo}))
    return {(k, m): senses.judge(table, m, sentence, found[k][0], company)
            for k, table, m, sentence, company in todo}


def judged_hits(found: Sequence[tuple[str, TokenTable, Sequence[Match]]],
                senses: SenseJudge) -> list[tuple[int, TokenTable, Match, str, bool]]:
    """The hits the sense step judges, as (position in `found`, table, match, sentence text,
    company): a hit has company when its passage holds an unjudged hit of another term."""
    todo: list[tuple[int, TokenTable, Match, str]] = []
    sure: dict[int, set[str]] = {}  # passage -> terms of its unjudged hits
    for k, (text, table, ms) in enumerate(found):
        for m in ms:
            if senses.is_ambiguous(m, text[m.start:m.end]):
                todo.append((k, table, m, _sentence_text(text, m)))
            else:
                sure.setdefault(k, set()).add(m.term_id)
    return [(k, table, m, sentence, bool(sure.get(k, set()) - {m.term_id}))
            for k, table, m, sentence in todo]


def _sentence_text(text: str, m: Match) -> str:
    return " ".join(text[m.sentence_start:m.sentence_end].split())


# -- the spaCy component --------------------------------------------------------------------

if not Doc.has_extension(SPANS_KEY):
    Doc.set_extension(SPANS_KEY, default=None)


class TermComponent:
    """`focuslex_terms`: puts term hits on `doc.spans["focuslex_terms"]` (label = term id) and
    the full records (compound part, negation, mention) on `doc._.focuslex_terms`."""

    def __init__(self, name: str, matcher: TermMatcher, spans_key: str = SPANS_KEY) -> None:
        self.name = name
        self.matcher = matcher
        self.spans_key = spans_key

    def set_lexicon(self, entries: Sequence[Entry]) -> None:
        """Rebuild the matcher from (edited) lexicon entries."""
        self.matcher = TermMatcher.from_entries(entries)

    def __call__(self, doc: Doc) -> Doc:
        matches = self.matcher.match(table_from_doc(doc), doc.text)
        spans: list[Span] = []
        records: list[dict[str, object]] = []
        for m in matches:
            span = doc.char_span(m.start, m.end, label=m.term_id, alignment_mode="expand")
            if span is not None:
                spans.append(span)
            records.append({"term_id": m.term_id, "label": self.matcher.label(m.term_id),
                            "text": doc.text[m.start:m.end], "start": m.start, "end": m.end,
                            "compound_part": m.compound_part, "negated": m.negated,
                            "mention": m.mention,
                            "sentence": doc.text[m.sentence_start:m.sentence_end]})
        doc.spans[self.spans_key] = spans
        doc._.set(SPANS_KEY, records)
        return doc


def load_entries(lexicon_path: str | Path | None) -> list[Entry]:
    """Entries of a lexicon file (YAML, CSV or Turtle); the seed lexicon when no path."""

    if not lexicon_path:
        return load_seed()
    return read_lexicon_file(Path(lexicon_path))


@Language.factory(
    "focuslex_terms",
    default_config={"lexicon_path": "", "spans_key": SPANS_KEY},
    requires=["token.lemma", "token.pos", "token.dep"],
    assigns=["doc.spans", f"doc._.{SPANS_KEY}"],
)
def make_term_component(nlp: Language, name: str, lexicon_path: str,
                        spans_key: str) -> TermComponent:
    """Build the component from a lexicon file (empty: focuslex's seed lexicon). Replace the
    lexicon later with `component.set_lexicon(entries)`."""
    return TermComponent(name, TermMatcher.from_entries(load_entries(lexicon_path)), spans_key)

