"""Lexicon entries -> matcher data: normalised word forms, compound stems, multiword patterns,
exclusions and contextual sense-trap rules. Pure data and string work; no spaCy here
(`pipeline.terms.matcher` runs it over parsed text).

Normalisation: every form is compared *folded* (case- and accent-insensitive,
`pipeline.core.text.fold_word`), so
`geïntegreerd`, `Geintegreerd` and `GEÏNTEGREERD` are one form.

What a `PatternSet` holds, built by `build_patterns(entries)`:
- forms: every single-word preferred, alternative and hidden label of a term, plus Dutch
  inflections generated from it (`inflections`: plural -s/-en with spelling changes, adjective
  -e, verb forms of an infinitive: integreert, integreerde, geïntegreerd, ingeburgerd ...).
  A label written by the committee outranks a generated form of another kind.
- stems: the single-word labels (and multiword labels glued: `gelijkekansen`) used for compound
  analysis: `integratie|beleid`, `inburgering|s|traject` (modifier, with a linking -s-/-en-/-e-),
  `arbeidsmarkt|discriminatie` (head, with an inflection ending), `wereld|vluchtelingen|dag`,
  prefixes (`anti`, `niet-`), hyphens. A compound hit records the compound's other part.
- exclusions: a term's single-word exclusions (and their inflections) block that term on the
  form and inside compounds that contain the exclusion (`vn-biodiversiteitsverdrag`); multiword
  exclusions (`diversiteit aan`, `geïntegreerde aanpak`, `in de minderheid`) are phrases that
  block the term's hits they cover.
- phrases: multiword labels as token slots, each slot a set of inflected variants; articles
  (de, het, een) are optional.
- context rules (`CONTEXT_RULES`): sense traps that word forms cannot express, as data:
  `inclusief` followed by a noun phrase ('including'), bare plural `diverse` ('various'),
  attributive `geïntegreerde` ('combined').

`PatternSet.classify(word)` says what one token's text is (a `FormInfo`); `pipeline.terms.matcher`
caches the answer per distinct token text, so each form is analysed once per lexicon.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from lexicon.model import Entry
from pipeline.core.text import fold_with_map, fold_word

# Bump when the matching data or rules change: part of the run record.
PATTERNS_VERSION = "9"  # 2: brackets in phrases, fuzzy pass (issue 16); 3: OCR symbol repairs;
# 4: a hyphen-split word joined into a longer term, a compound cut by a stray space,
# multiword exclusions for damaged and split hits; 5: words with an OCR digit or symbol read
# as their word (also in phrases), a line-break hyphen joins a word of the same term
# (arbeids- migranten), a spaced compound gives no inner hits, plural places after 'diverse'
# are 'various', ', inclusief' + noun is 'including', an exclusion's last word may start a
# compound (allochtoon gesteenteblok); 6: e for c and a capital I for l are OCR repairs, a
# compound whose other part is no word may be a damaged longer term, 'meest/minst diverse';
# 7: a label phrase split by a line-break hyphen (gelijke onderwijs- kansen), 'de diverse' +
# plural and 'worden inclusief' + noun are 'various' and 'including', geIijke kansen; 8: 5 for
# s (raci5me), a noun + 'inclusief' at the end of a clause is 'included'; 9: 'nie' (spoken
# Flemish niet) before inclusief/diverse, and before the clause-end rule

MIN_STEM = 5          # shortest label used as a compound stem (folded characters)
MIN_PART = 3          # shortest other part of a compound (unless it is a known prefix)
ARTICLES = frozenset({"de", "het", "een", "'t", "'n"})
# Between a modifier stem and the rest of the compound: integratie|beleid, inburgering|s|traject
LINKERS: tuple[str, ...] = ("", "s", "en", "e", "n", "-", "s-", "en-", "e-", "n-")
# After a head stem at the end of a word: inflection only (discriminaties, racistische).
HEAD_TAILS = frozenset({"", "s", "en", "n", "e", "'s", "er", "ere", "ers", "st", "ste"})
# Endings that make a derived word, not a compound: inburgeringsplicht|igen is no compound.
DERIVATIONAL_SUFFIXES = frozenset({
    "ig", "ige", "igen", "iger", "isch", "ische", "heid", "heden", "ing", "ingen", "elijk",
    "elijke", "lijk", "lijke", "baar", "bare", "loos", "loze", "achtig", "achtige", "isme",
    "ist", "isten", "istisch", "istische", "ief", "ieve", "eel", "ele", "aal", "ale", "iteit",
    "teit", "tje", "tjes", "je", "jes", "ster", "sters", "aar", "aars", "erd", "erde", "ende",
    "end", "ers", "ere", "est", "ste", "tie", "ties", "ische", "atie", "aties"})
# Bound prefixes that make a compound even though they are short: anti-racisme, niet-integratie
PREFIXES = frozenset({"anti", "niet", "non", "pro", "contra", "ex", "neo", "pseudo", "post",
                      "pre", "zelf", "mega", "hyper", "ultra"})
NEGATING_PREFIXES = frozenset({"niet", "non"})
# Function words that a PDF line break may glue to a term ("vanracisme", "degeïntegreerde"):
# the hit then covers the term part only and is not a compound.
GLUE_WORDS = frozenset({"de", "het", "een", "van", "en", "of", "op", "met", "voor", "over",
                        "tegen", "geen", "niet", "dat", "die", "is", "zijn", "aan", "om",
                        "bij", "als", "naar", "uit", "te", "door", "zonder", "ook", "wel"})
# Words never inflected in multiword patterns.
FUNCTION_WORDS = frozenset({"van", "met", "zonder", "om", "op", "in", "aan", "tegen", "voor",
                            "tot", "de", "het", "een", "en", "of", "te", "bij", "naar", "over",
                            "uit", "door"}) | ARTICLES
# Verb particles (separable): samen|leven -> samen|ge|leefd, in|burgeren -> in|ge|burgerd.
PARTICLES: tuple[str, ...] = ("samen", "in", "op", "uit", "aan", "af", "mee", "door", "over",
                              "om", "toe", "weg", "terug", "voor", "na", "bij", "achter")
_LINKERS_LONGEST_FIRST = tuple(sorted(LINKERS, key=len, reverse=True))
_VOWELS = set("aeiouy")
_KOFSCHIP = set("tkfschp")  # 't kofschip: past tense in -te after these


# -- folding --------------------------------------------------------------------------------

def fold_phrase(text: str) -> tuple[str, ...]:
    return tuple(fold_word(part) for part in text.split())


# -- Dutch inflection (generous: a form that does not exist costs nothing) -----------------

def _short_vowel_end(word: str) -> bool:
    """Ends in consonant + single a/e/o/u + consonant: the vowel is written double when the
    syllable closes (integrer -> integreer, allochton -> allochtoon)."""
    return (len(word) >= 3 and word[-1] not in _VOWELS and word[-2] in "aeou"
            and word[-3] not in _VOWELS)


def _undouble_vowel(word: str) -> str | None:
    """allochtoon -> allochton, vooroordeel -> vooroordel (before adding -en/-e)."""
    if (len(word) >= 4 and word[-1] not in _VOWELS and word[-2] in _VOWELS
            and word[-2] == word[-3] and word[-2] in "aeou" and word[-4] not in _VOWELS):
        return word[:-2] + word[-1]
    return None


def _double_consonant(word: str) -> str | None:
    """wit -> witt (before -e/-en) after a single short vowel."""
    if (len(word) >= 3 and word[-1] not in _VOWELS and word[-1] not in "wjh"
            and word[-2] in _VOWELS and word[-3] not in _VOWELS):
        return word + word[-1]
    return None


def _voiced(word: str) -> str:
    """inclusief -> inclusiev, huis -> huiz (before -e/-en)."""
    if word.endswith("f") and len(word) > 2:
        return word[:-1] + "v"
    if word.endswith("s") and len(word) > 2 and not word.endswith(("ss", "sch")):
        return word[:-1] + "z"
    return word


def _before_ending(word: str) -> set[str]:
    bases = {word, _voiced(word)}
    for change in (_undouble_vowel(word), _double_consonant(word)):
        if change:
            bases.add(change)
            bases.add(_voiced(change))
    return bases


def noun_forms(word: str) -> set[str]:
    forms = {word + "s", word + "'s"}
    for base in _before_ending(word):
        forms.add(base + "en")
    if word.endswith("e"):
        forms.add(word + "n")
    if word.endswith("ie"):
        forms.add(word + "en")
    if word.endswith("heid"):
        forms.add(word[:-4] + "heden")
    return forms | diminutives(word)


def diminutives(word: str) -> set[str]:
    """Diminutive forms, singular and plural (nieuwkomertje, migrantjes, vluchtelingetje,
    racistje); the Dutch rules pick one suffix, but forms that do not exist never match."""
    suffixes = ("pje",) if word.endswith("m") else ("tje", "je", "etje")
    return {word + suffix + plural for suffix in suffixes for plural in ("", "s")}


def adjective_forms(word: str) -> set[str]:
    forms: set[str] = set()
    for base in _before_ending(word):
        forms |= {base + "e", base + "er", base + "ere"}
    forms |= {word + "st", word + "ste"}
    if word.endswith("e") and len(word) > 4 and not word.endswith(("ie", "ee")):
        stem = word[:-1]  # inclusieve -> inclusief, allochtone -> allochtoon, witte -> wit
        forms.add(stem)
        if stem.endswith("v"):
            forms.add(stem[:-1] + "f")
        if stem.endswith("z"):
            forms.add(stem[:-1] + "s")
        if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS:
            forms.add(stem[:-1])
        if _short_vowel_end(stem):
            forms.add(stem[:-1] + stem[-2] + stem[-1])
    return forms


def _verb_stems(infinitive: str) -> set[str]:
    base = infinitive[:-2]
    stems = {base}
    if _short_vowel_end(base):
        stems.add(base[:-1] + base[-2] + base[-1])  # integrer -> integreer
    if len(base) >= 2 and base[-1] == base[-2] and base[-1] not in _VOWELS:
        stems.add(base[:-1])  # zitt -> zit
    out = set()
    for stem in stems:
        if stem.endswith("v"):
            stem = stem[:-1] + "f"
        elif stem.endswith("z"):
            stem = stem[:-1] + "s"
        out.add(stem)
    # samenleev -> samenleef: vowel doubling after the v/f change
    for stem in list(out):
        if _short_vowel_end(stem):
            out.add(stem[:-1] + stem[-2] + stem[-1])
    return out


def verb_forms(infinitive: str) -> set[str]:
    """Finite forms and participles of an infinitive ending in -en."""
    if not infinitive.endswith("en") or len(infinitive) < 6:
        return set()
    forms = {infinitive + "d", infinitive + "de", infinitive + "den"}
    base = infinitive[:-2]
    voiceless = base[-1:] in _KOFSCHIP or base.endswith("ch")
    past = "t" if voiceless else "d"
    splits = [("", infinitive)] + [(p, infinitive[len(p):]) for p in PARTICLES
                                  if infinitive.startswith(p) and len(infinitive) - len(p) >= 5]
    for particle, rest in splits:
        for stem in _verb_stems(rest):
            full = particle + stem
            # not the bare stem: for a plural noun it is the singular (illegalen -> illegaal)
            forms |= {full + "t", full + past + "e", full + past + "en"}
            participle = particle + "ge" + stem + ("" if stem.endswith(("t", "d")) else past)
            forms |= {participle, participle + "e"}
    return forms


def inflections(word: str) -> set[str]:
    """Generated forms of a folded single word (the word itself not included)."""
    if len(word) < 4 or word in FUNCTION_WORDS:
        return set()
    forms = noun_forms(word) | adjective_forms(word) | verb_forms(word)
    forms.discard(word)
    return {f for f in forms if len(f) >= 3}


# -- the data -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class TokenMatch:
    """A term found inside one token's text: character offsets within the token."""
    term_id: str
    start: int
    end: int
    compound_part: str = ""
    kind: str = "form"      # form | hidden | compound | glued | truncated | lemma
    negated: bool = False   # a negating prefix: niet-integratie
    fuzzy: bool = False     # found by the fuzzy pass (pipeline.terms.fuzzy)


@dataclass(frozen=True, slots=True)
class FormInfo:
    """What one token text is, for the matcher (cached per distinct text)."""
    folded: str
    match: TokenMatch | None = None
    excluded: frozenset[str] = frozenset()   # terms this form is an exclusion of
    phrase_start: bool = False                # the anchor word of a multiword label
    split_start: bool = False                 # may be the first half of a word split in two
    truncated: bool = False                   # ends in a coordination hyphen: Integratie-


PLAIN = FormInfo(folded="")  # the answer for the great majority of tokens


@dataclass(frozen=True, slots=True)
class Phrase:
    """A multiword label (or exclusion) as token slots of folded variants. `anchor`: the
    slot a label phrase is looked up by (its longest content word, so that common words like
    'een' or 'mensen' never start a search)."""
    term_id: str
    slots: tuple[frozenset[str], ...]
    optional: tuple[bool, ...]
    exclusion: bool = False
    source: str = ""
    anchor: int = 0


@dataclass(frozen=True, slots=True)
class ContextRule:
    """A sense trap decided by the neighbouring words: a hit on one of `forms` is dropped
    unless the context says it is the concept. `keep_prev`: kept when the previous word is one
    of these (a determiner or degree word makes it an adjective); `keep_next_pos` /
    `keep_next`: kept when the next token has this POS or form (none: end of sentence).
    `strict_after`: after one of these words the next token's POS keeps the hit only when it
    is a punctuation mark or a conjunction (the tagger takes an unknown plural noun for a
    verb: `, inclusief verplaatsingskosten`)."""
    name: str
    forms: frozenset[str]
    keep_prev: frozenset[str] = frozenset()
    keep_next: frozenset[str] = frozenset()
    keep_next_pos: frozenset[str] = frozenset()
    keep_at_end: bool = True
    strict_after: frozenset[str] = frozenset()
    # dropped after a noun or number when the sentence or clause ends right after it
    # (`water inclusief.`, `maaltijden inclusief)`: 'included', not the adjective)
    postposed: bool = False
    # for the sense step: a determiner or degree word before the form only makes it the
    # adjective, not the lexicon's sense of it ('een diverse keuze van wol' is varied):
    # such a keep is no evidence (0) unless the next word is one of `keep_next`
    weak_prev: bool = False
    note: str = ""


_DETERMINERS_AND_DEGREE = frozenset({
    "een", "de", "het", "geen", "deze", "die", "dit", "dat", "onze", "ons", "hun", "mijn",
    "uw", "zijn", "haar", "jullie", "elke", "iedere", "meer", "zo", "zeer", "heel", "erg",
    "echt", "minder", "te", "niet", "volledig", "werkelijk", "nog", "even", "helemaal", "steeds",
    "almaar", "best", "goed", "beter", "slecht", "slechter", "volop", "oprecht", "écht", "ook",
    "al", "weinig", "vrij", "behoorlijk", "nogal", "al", "wel", "veel", "zeker", "meest",
    "minst", "nie"})  # nie: spoken Flemish for niet
# Neuter nouns that 'inclusief' qualifies without an article (inclusief leiderschap: the
# adjective, not 'including').
_INCLUSIVE_NOUNS = frozenset({
    "beleid", "onderwijs", "leiderschap", "werkgeverschap", "ondernemerschap", "taalgebruik",
    "ontwerp", "design", "personeelsbeleid", "aanwervingsbeleid", "denken", "burgerschap",
    "klimaat", "bestuur", "stadsbeleid", "jeugdbeleid", "sportbeleid", "armoedebeleid"})
# Adverbs before 'diverse' that are no degree of it: al/ook/nog/wel diverse keren ('various').
_FOCUS_ADVERBS = frozenset({"al", "ook", "nog", "wel"})
# 'de diverse vondsten' is 'the various finds': a definite article is no sign of the
# adjective of diversity (only with a noun of origin or make-up: de diverse bevolking).
_DEFINITE = frozenset({"de", "deze", "die"})
# 'veel diverse partners' is 'many various partners': a quantifier of the noun, no degree.
_QUANTIFIERS = frozenset({"veel", "weinig"})
# After these the tagger's guess for the next word decides nothing for 'inclusief':
# 'worden inclusief douanedocumenten afgehandeld' ('including'); 'is inclusief.' stays.
_AUXILIARIES = frozenset({"is", "zijn", "wordt", "worden", "werd", "werden", "was", "waren",
                          "blijft", "blijven"})
_PERSON_NOUNS = frozenset({
    "mensen", "nieuwkomers", "nieuwkomer", "migranten", "migrant", "burgers", "jongeren",
    "kinderen", "leerlingen", "gezinnen", "families", "vrouwen", "mannen", "ouders", "inwoners",
    "buren", "collega's", "collegas", "werknemers", "vluchtelingen", "vluchteling", "allochtonen",
    "personen", "persoon", "generatie", "gemeenschap", "gemeenschappen", "groep", "groepen",
    "minderheden", "moslims", "gastarbeiders", "studenten", "vlamingen", "belgen", "medewerkers"})
# Nouns after a bare 'diverse' that make it 'of varied origin' (diverse achtergronden,
# diverse teams). Plural places are not among them: 'in diverse steden/wijken/scholen' is
# 'in various cities' (a singular place takes an article: 'een diverse wijk').
_DIVERSITY_NOUNS = frozenset({
    "achtergrond", "achtergronden", "afkomst", "origine", "origines", "culturen", "cultuur",
    "nationaliteiten", "nationaliteit", "gemeenschappen", "wijk", "buurt",
    "stad", "samenleving", "klas", "klassen", "team", "teams", "personeel",
    "personeelsbestand", "school", "bevolking", "samenstelling", "groepen", "groep",
    "roots", "herkomst", "identiteiten", "talen", "religies", "geloofsovertuigingen",
    "kleuren", "huidskleuren", "profielen", "rolmodellen", "redactie", "bronnen", "stemmen"})
_PREDICATE_POS = frozenset({"PUNCT", "CCONJ", "VERB", "AUX", "SCONJ"})
# After 'diverse' a verb tag is mostly an unknown plural noun (diverse kerktoonaarden).
_CLAUSE_END_POS = frozenset({"PUNCT", "CCONJ", "SCONJ"})

# Sense traps that word forms cannot express. They apply to whichever term the form is a
# label of (a lexicon without that label never triggers them).
CONTEXT_RULES: tuple[ContextRule, ...] = (
    ContextRule(
        name="inclusief=including", forms=frozenset({"inclusief"}),
        keep_prev=_DETERMINERS_AND_DEGREE - _FOCUS_ADVERBS, keep_next=_INCLUSIVE_NOUNS,
        keep_next_pos=_PREDICATE_POS, strict_after=frozenset({",", *_AUXILIARIES}),
        postposed=True,
        note="'inclusief' voor een getal, lidwoord of naamwoordgroep betekent 'met inbegrip "
             "van' (ook na een komma: 'alle kosten, inclusief btw'); na een lidwoord of "
             "gradatiewoord, of voor een werkwoord of leesteken, is het het bijvoeglijk "
             "naamwoord."),
    ContextRule(
        name="diverse=various", forms=frozenset({"diverse"}),
        keep_prev=_DETERMINERS_AND_DEGREE - _FOCUS_ADVERBS - _DEFINITE - _QUANTIFIERS,
        keep_next=_DIVERSITY_NOUNS, keep_next_pos=_CLAUSE_END_POS, weak_prev=True,
        note="'diverse' zonder lidwoord of na 'de', 'deze' of 'die' voor een meervoud "
             "betekent 'verschillende' (diverse redenen, de diverse vondsten), behalve bij "
             "woorden over herkomst en samenstelling (de diverse bevolking)."),
    ContextRule(
        name="geïntegreerde=combined", forms=frozenset({"geintegreerde"}),
        keep_prev=frozenset({"goed", "beter", "best", "volledig", "niet", "slecht", "slechter",
                             "minder", "meer", "zeer", "heel", "erg", "perfect", "sterk",
                             "succesvol", "maatschappelijk", "sociaal", "nog"}),
        keep_next=_PERSON_NOUNS, keep_at_end=False,
        note="'geïntegreerde' voor een zaak (aanpak, zorg, politie) betekent 'samenhangend'; "
             "voor personen of na 'goed', 'volledig', 'niet' gaat het over integratie."),
)


@dataclass(frozen=True)
class TermInfo:
    id: str
    label: str


@dataclass
class PatternSet:
    """All matching data of a lexicon; immutable after `build_patterns`."""
    terms: dict[str, TermInfo]
    forms: dict[str, tuple[str, str, int]]           # folded form -> (term, kind, rank)
    stems: dict[str, tuple[str, str]]                # folded stem -> (term, kind)
    stem_index: dict[str, tuple[str, ...]]           # first 3 chars -> stems, longest first
    exclusions: dict[str, dict[str, int]]            # term -> folded exclusion word -> rank
    excluded_forms: dict[str, frozenset[str]]        # folded form -> terms excluded on it
    phrases: dict[str, tuple[Phrase, ...]]           # anchor slot variant -> label phrases
    exclusion_phrases: dict[str, tuple[tuple[Phrase, int], ...]]  # variant -> (phrase, slot)
    rules: dict[str, tuple[ContextRule, ...]]        # folded form -> context rules
    split_prefixes: frozenset[str]                   # first halves of split words
    # first halves (with the line-break hyphen) of long anchor words of multiword labels
    # (`onderwijs-` of `gelijke onderwijs- kansen`)
    phrase_heads: frozenset[str] = frozenset()
    lemma_keys: frozenset[str] = frozenset()         # single-word labels, as lemmas may be
    # term -> terms its preferred label contains (onbewust racisme -> racisme): inside a
    # phrase of the narrower term, the broader term gets no hit of its own
    broader: dict[str, frozenset[str]] = field(default_factory=dict)
    fingerprint: str = ""
    # any stem anywhere in a word (one regex over a trie of the stems, run in C): a word
    # without one is no compound of a term, so the position-by-position analysis is skipped
    stem_search: re.Pattern[str] | None = None

    # -- classification of one token text -------------------------------------------------
    def classify(self, word: str) -> FormInfo:
        """What a token's text is: a term form, a compound holding a term, an exclusion, the
        start of a multiword label, ... (`PLAIN` for nothing at all)."""
        folded, positions = fold_with_map(word)
        if not folded:
            return PLAIN
        truncated = len(folded) > 2 and folded.endswith("-") and not folded.endswith("--")
        core = folded[:-1] if truncated else folded
        excluded = self.excluded_forms.get(core, frozenset())
        match = self._match_form(core, positions, word, excluded)
        phrase_start = core in self.phrases
        # a first half of 2 letters only before a hyphen (`mi-` at the end of a line); of 3
        # also before a stray space (`rac isme`)
        split_start = match is None and ((core in self.split_prefixes
                                          and (len(core) >= 3 or truncated))
                                         or (truncated and folded in self.phrase_heads))
        if match is None and not excluded and not phrase_start and not split_start:
            return PLAIN
        if truncated and match is not None:
            match = TokenMatch(match.term_id, match.start, match.end, match.compound_part,
                               "truncated", match.negated)
        return FormInfo(folded=core, match=match, excluded=excluded, phrase_start=phrase_start,
                        split_start=split_start, truncated=truncated)

    def form_match(self, folded: str) -> tuple[str, str] | None:
        """(term, kind) of a whole folded form, exclusions applied; for joins and lemmas."""
        found = self.forms.get(folded)
        if found is None or found[0] in self.excluded_forms.get(folded, ()):
            return None
        return found[0], found[1]

    def _match_form(self, folded: str, positions: Sequence[int], word: str,
                    excluded: frozenset[str]) -> TokenMatch | None:
        end = positions[len(folded) - 1] + 1 if folded else 0
        found = self.forms.get(folded)
        bare = folded.replace("-", "")
        if (found is None or found[0] in excluded) and bare != folded:
            found = self.forms.get(bare)
            if found is not None and found[0] in self.excluded_forms.get(bare, ()):
                found = None
        if found is not None and found[0] not in excluded:
            # a label that is itself a compound (integratiebeleid): find its other part
            inner = self._match_compound(folded, positions, word, only=found[0], whole=False)
            if inner is not None and inner.compound_part:
                return TokenMatch(found[0], 0, end, inner.compound_part, "compound",
                                  inner.negated)
            return TokenMatch(found[0], 0, end, "", found[1])
        match = self._match_compound(folded, positions, word)
        if match is not None and match.term_id in excluded:
            return None  # natuurinclusieve: an inflection of an exclusion
        return match

    def _match_compound(self, folded: str, positions: Sequence[int], word: str, *,
                        only: str | None = None, whole: bool = True) -> TokenMatch | None:
        """The best stem that makes `folded` a compound. `only`: stems of that term only;
        `whole=False`: skip analyses without another part. A stem that contains another
        term's stem is the more specific term (superdiversiteit|s|beleid, not
        super|diversiteitsbeleid); otherwise the longest stem wins, then the leftmost."""
        if len(folded) < MIN_STEM + 2 or (self.stem_search is not None
                                           and self.stem_search.search(folded) is None):
            return None
        found: list[tuple[int, str, TokenMatch]] = []
        for i in range(len(folded) - MIN_STEM + 1):
            for stem in self.stem_index.get(folded[i:i + 3], ()):
                if not folded.startswith(stem, i):
                    continue
                if only is not None and self.stems[stem][0] != only:
                    continue
                match = self._compound_at(folded, positions, word, stem, i)
                if match is not None and (whole or match.compound_part):
                    found.append((i, stem, match))
        if len({m.term_id for _, _, m in found}) > 1:
            # the core of a candidate: the shortest stem of its term at its position
            core: dict[tuple[int, str], int] = {}
            for i, stem, m in found:
                key = (i, m.term_id)
                core[key] = min(core.get(key, len(stem)), len(stem))
            kept = [(i, stem, m) for i, stem, m in found
                    if not any(m.term_id != m2.term_id and i2 <= i
                               and i2 + len(stem2) >= i + core[(i, m.term_id)]
                               for i2, stem2, m2 in found)]
            found = kept or found
        best: tuple[int, str, TokenMatch] | None = None
        for candidate in found:  # in order of position: keep the first of the longest
            if best is None or len(candidate[1]) > len(best[1]):
                best = candidate
        return best[2] if best else None

    def _compound_at(self, folded: str, positions: Sequence[int], word: str, stem: str,
                     i: int) -> TokenMatch | None:
        """`folded` = modifier + stem + tail; a hit when the modifier is a word, a prefix or a
        glued function word and the tail an inflection or (linker +) a word."""
        term_id, kind = self.stems[stem]
        j = i + len(stem)
        modifier, tail = folded[:i], folded[j:]
        if not modifier and not tail:
            return None  # a plain form: the form table decides
        for excl in self.exclusions.get(term_id, ()):
            k = folded.find(excl)
            while k != -1:
                if k <= i and k + len(excl) >= j:
                    return None
                k = folded.find(excl, k + 1)
        glued = negated = False
        mod_clean = modifier.rstrip("-")
        if modifier:
            if mod_clean in GLUE_WORDS and not modifier.endswith("-"):
                glued = True
            elif mod_clean in PREFIXES:
                negated = mod_clean in NEGATING_PREFIXES
            elif len(mod_clean.replace("-", "")) < MIN_PART or not _wordlike(mod_clean):
                return None
        rest = ""
        if tail not in HEAD_TAILS:
            for linker in _LINKERS_LONGEST_FIRST:
                if (tail.startswith(linker) and len(tail) - len(linker) >= MIN_PART
                        and _wordlike(tail[len(linker):])
                        and tail[len(linker):] not in DERIVATIONAL_SUFFIXES):
                    rest = tail[len(linker):]
                    break
            else:
                return None
        start = positions[i] if glued else 0
        end = positions[len(folded) - 1] + 1
        pieces = []
        if modifier and not glued:
            pieces.append(_original(word, positions, 0, len(modifier)).rstrip("-").lower())
        if rest:
            pieces.append(_original(word, positions, len(folded) - len(rest),
                                    len(folded)).lower())
        part = "+".join(p for p in pieces if p)
        match_kind = "compound" if part else ("glued" if glued else kind)
        return TokenMatch(term_id, start, end, part, match_kind, negated)


def _original(word: str, positions: Sequence[int], a: int, b: int) -> str:
    """The original text of folded characters [a, b)."""
    if a >= b:
        return ""
    return word[positions[a]:positions[b - 1] + 1]


def _wordlike(text: str) -> bool:
    letters = text.replace("-", "").replace("'", "")
    return bool(letters) and letters.isalpha() and any(c in _VOWELS for c in letters)


# -- building -------------------------------------------------------------------------------

def _label_texts(entry: Entry) -> list[tuple[str, str]]:
    """(text, kind) of every label used for detection: preferred (all languages), alternative
    (word forms) and hidden (misspellings)."""
    out = [(text, "form") for text in entry.pref_label.values()]
    out += [(text, "form") for text in entry.alt_labels]
    out += [(text, "hidden") for text in entry.hidden_labels]
    return out


def _slot(word: str) -> frozenset[str]:
    if word in FUNCTION_WORDS:
        return frozenset({word})
    return frozenset({word} | inflections(word))


def _phrase(term_id: str, text: str, exclusion: bool) -> Phrase | None:
    words = list(fold_phrase(text))
    if len(words) < 2:
        return None
    # Articles inside a phrase are optional (mensen met (een) migratieachtergrond); at the
    # start or end of a label they are part of it ('een illegaal' is not 'illegaal').
    optional = tuple(w in ARTICLES and (exclusion or 0 < k < len(words) - 1)
                     for k, w in enumerate(words))
    anchor = max(range(len(words)),
                 key=lambda k: (words[k] not in FUNCTION_WORDS, len(words[k]), -k))
    return Phrase(term_id, tuple(_slot(w) for w in words), optional, exclusion, text, anchor)


def build_patterns(entries: Sequence[Entry]) -> PatternSet:
    """Compile a lexicon into matching data (deterministic: same lexicon, same fingerprint)."""
    entries = sorted(entries, key=lambda e: e.id)
    build = _Builder()
    for entry in entries:
        build.labels(entry)
        build.exclusions(entry)
    for entry in entries:  # generated forms last: they never replace an explicit label
        for text, kind in _label_texts(entry):
            words = fold_phrase(text)
            if len(words) == 1:
                for form in inflections(words[0]):
                    build.put_form(form, entry.id, kind, 1)
    forms = build.forms
    patterns = PatternSet(
        terms={e.id: TermInfo(e.id, e.label) for e in entries}, forms=forms,
        stems=build.stems, stem_index=_stem_index(build.stems),
        # exclusions apply inside compounds only when written by the committee (rank 3)
        exclusions={t: {w: r for w, r in words.items() if r == 3 and len(w) >= 4}
                    for t, words in build.excluded.items()},
        excluded_forms=_excluded_forms(forms, build.excluded),
        phrases=_phrase_index(build.label_phrases),
        exclusion_phrases=_exclusion_index(build.exclusion_phrases),
        rules=_rule_index(), split_prefixes=_split_prefixes(forms),
        phrase_heads=_phrase_heads(build.label_phrases),
        lemma_keys=_lemma_keys(entries, forms), broader=_broader(entries, forms),
        stem_search=_trie_pattern(build.stems))
    patterns.fingerprint = _fingerprint(entries)
    return patterns


def _trie_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    """A regex that finds any of `words` (None for none): alternatives nested by shared
    prefix, so the regex engine follows one branch per character instead of trying every
    word at every position."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def branch(node: dict[str, dict]) -> str:
        alternatives = [re.escape(c) + branch(child) for c, child in sorted(node.items()) if c]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"
        return f"(?:{body})?" if "" in node else body

    return re.compile(branch(trie)) if trie else None


class _Builder:
    """Collects forms, stems, phrases and exclusions of the entries (for build_patterns).
    Form ranks: 3 an explicit label, 2 a glued multiword label, 1 a generated inflection."""

    def __init__(self) -> None:
        self.forms: dict[str, tuple[str, str, int]] = {}
        self.excluded: dict[str, dict[str, int]] = {}
        self.stems: dict[str, tuple[str, str]] = {}
        self.label_phrases: list[Phrase] = []
        self.exclusion_phrases: list[Phrase] = []

    def put_form(self, form: str, term_id: str, kind: str, rank: int) -> None:
        old = self.forms.get(form)
        if old is None or rank > old[2] or (rank == old[2] and len(term_id) > len(old[0])):
            self.forms[form] = (term_id, kind, rank)

    def labels(self, entry: Entry) -> None:
        for text, kind in _label_texts(entry):
            words = fold_phrase(text)
            if len(words) == 1:
                self.put_form(words[0], entry.id, kind, 3)
                if len(words[0]) >= MIN_STEM:
                    self.stems.setdefault(words[0], (entry.id, kind))
            elif words:
                phrase = _phrase(entry.id, text, exclusion=False)
                if phrase:
                    self.label_phrases.append(phrase)
                glued = "".join(words)
                if len(glued) >= MIN_STEM + 3:
                    self.stems.setdefault(glued, (entry.id, kind))
                    self.put_form(glued, entry.id, kind, 2)

    def exclusions(self, entry: Entry) -> None:
        excl = self.excluded.setdefault(entry.id, {})
        for text in entry.exclusions:
            words = fold_phrase(text)
            if len(words) == 1:
                excl[words[0]] = 3
                for form in inflections(words[0]):
                    excl.setdefault(form, 1)
            elif words:
                phrase = _phrase(entry.id, text, exclusion=True)
                if phrase:
                    self.exclusion_phrases.append(phrase)


def _excluded_forms(forms: dict[str, tuple[str, str, int]],
                    exclusions: dict[str, dict[str, int]]) -> dict[str, frozenset[str]]:
    """folded form -> terms excluded on it. An exclusion outranks a form of the same term
    unless the form is an explicit label and the exclusion only generated."""
    out: dict[str, set[str]] = {}
    for term_id, words in exclusions.items():
        for word, rank in words.items():
            found = forms.get(word)
            if found is not None and found[0] == term_id and found[2] > rank:
                continue
            out.setdefault(word, set()).add(term_id)
    return {k: frozenset(v) for k, v in out.items()}


def _stem_index(stems: dict[str, tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for stem in stems:
        index.setdefault(stem[:3], []).append(stem)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in index.items()}


def _phrase_index(phrases: list[Phrase]) -> dict[str, tuple[Phrase, ...]]:
    index: dict[str, list[Phrase]] = {}
    for phrase in phrases:
        for variant in phrase.slots[phrase.anchor]:
            index.setdefault(variant, []).append(phrase)
    return {k: tuple(sorted(v, key=lambda p: -len(p.slots))) for k, v in index.items()}


def _exclusion_index(phrases: list[Phrase]) -> dict[str, tuple[tuple[Phrase, int], ...]]:
    index: dict[str, list[tuple[Phrase, int]]] = {}
    for phrase in phrases:
        for k, slot in enumerate(phrase.slots):
            if phrase.optional[k]:
                continue
            for variant in slot:
                index.setdefault(variant, []).append((phrase, k))
    return {k: tuple(v) for k, v in index.items()}


def _rule_index() -> dict[str, tuple[ContextRule, ...]]:
    rules: dict[str, list[ContextRule]] = {}
    for rule in CONTEXT_RULES:
        for form in rule.forms:
            rules.setdefault(form, []).append(rule)
    return {k: tuple(v) for k, v in rules.items()}


def _split_prefixes(forms: dict[str, tuple[str, str, int]]) -> frozenset[str]:
    """First halves of labels a PDF line break may split (discrimi natie, mi- gratie)."""
    out: set[str] = set()
    for form, (_term, _kind, rank) in forms.items():
        if rank >= 2 and len(form) >= 8 and "-" not in form:
            out.update(form[:k] for k in range(2, len(form) - 2))
    return frozenset(out)


def _phrase_heads(phrases: Sequence[Phrase]) -> frozenset[str]:
    """`onderwijs-`: the first half of a long anchor word of a label phrase with the hyphen
    of a line break (its second half starts the next line)."""
    out: set[str] = set()
    for phrase in phrases:
        for word in phrase.slots[phrase.anchor]:
            if len(word) >= 10 and "-" not in word:
                out.update(word[:k] + "-" for k in range(4, len(word) - 2))
    return frozenset(out)


def _lemma_keys(entries: Sequence[Entry], forms: dict[str, tuple[str, str, int]]
                ) -> frozenset[str]:
    keys = {form for form, (_t, _k, rank) in forms.items() if rank == 3}
    for entry in entries:  # lemmas keep their diacritics: geëmancipeerd -> emanciperen
        for text, _kind in _label_texts(entry):
            if " " not in text.strip():
                keys |= {text.strip(), unicodedata.normalize("NFC", text.strip()).lower()}
    return frozenset(keys)


def _broader(entries: Sequence[Entry], forms: dict[str, tuple[str, str, int]]
             ) -> dict[str, frozenset[str]]:
    """term -> the terms its preferred label contains (onbewust racisme -> racisme)."""
    out: dict[str, frozenset[str]] = {}
    for entry in entries:
        words = fold_phrase(entry.label)
        if len(words) > 1:
            inside = {forms[w][0] for w in words if w in forms} - {entry.id}
            if inside:
                out[entry.id] = frozenset(inside)
    return out


def _fingerprint(entries: Iterable[Entry]) -> str:
    """SHA-256 over what matching depends on (ids, labels, exclusions) and PATTERNS_VERSION."""
    data = [PATTERNS_VERSION] + [
        [e.id, e.label, sorted(e.pref_label.values()), list(e.alt_labels),
         list(e.hidden_labels), list(e.exclusions)] for e in entries]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode("utf8")).hexdigest()
