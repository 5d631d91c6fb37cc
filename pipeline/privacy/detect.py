"""Detection of person names in Dutch text, beyond the participants list.

`NameDetector.detect(text)` returns the spans of person names (and, when the settings ask for
it, of organisations and places) in one text. It works from text features alone and uses a
spaCy pipeline when one is given:

- a capitalised run of words ("Jan De Vos", "Els van den Broeck", "Fatima's") is a candidate;
  leading titles and sentence-initial common words are cut off;
- the pipeline's named entities (PER/PERSON) when it has an NER (nl_core_news_* do);
- cues before the run: titles and roles (meneer, mevrouw, schepen, juf, mijn collega),
  naming verbs (ze heet Samira, ik ben Hilde);
- the name lists in `pipeline/privacy/data/names/` (first names and surnames, see its README);
- the pipeline's PROPN tag on a capitalised word that is not at the start of a sentence.
A name that is also a Dutch word (Roos, Bakker, Visser, De Vos, Jan, Joke) only counts with a
cue: a title before it, a naming verb, a first name or surname beside it, a PER entity, or a
PROPN tag away from the start of a sentence. Runs in the place list, after a place preposition
(in Genk, uit Kabul) or holding an organisation word (Stad Genkberg, Werknemersbond) are places
and organisations, never persons; so is a compass word after a place or a group or area word
(Focusgroep Oost, regio West, Gent Zuid), while "Jan West" stays a person.

The spaCy pipeline parses the raw text in memory only: never through the parse cache, because
the raw text still holds the names. `detect_parsed` also returns the token table of that parse;
the ingest caches it only after the names in it were replaced.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.core.settings import NlpSettings, Settings
from pipeline.core.text import SURNAME_PARTICLES, common_dutch_words, fold, stop_word_keys
from pipeline.nlp.loader import LEMMA_FIXES, load_pipeline
from pipeline.nlp.tokens import TokenTable, table_from_doc
from pipeline.privacy.rules import (EVENT, NOT_A_NAME, ORGANISATION, PERSON, PLACE, Candidate,
                                    decide)

if TYPE_CHECKING:  # spaCy stays optional for callers that only use text features
    from spacy.language import Language
    from spacy.tokens import Doc

DATA_DIR = Path(__file__).resolve().parent / "data" / "names"

__all__ = ["COMPASS", "EVENT", "NOT_A_NAME", "ORGANISATION", "PERSON", "PLACE", "NameDetector",
           "NameLists", "NameSpan", "area_word_before", "load_name_lists", "shared_pipeline"]
# Prepositions after which a capitalised run is a place ("in Genkberg", "uit Kabul").
PLACE_PREPOSITIONS = frozenset({"in", "uit", "naar", "te", "rond", "vanuit", "richting",
                                "nabij", "buiten", "binnen", "doorheen", "via"})
# Lower-case particles that may stand inside or at the start of a name (after a title).
PARTICLES = frozenset({"van", "de", "den", "der", "von", "ter", "ten", "el", "le", "la", "du",
                       "des", "da", "dos", "di", "d'", "'t", "vande", "vanden", "vander", "ait",
                       "abou", "abu"})
# Words before a comma that address someone ("Dank u, An."), and pronouns after a comma that
# show the word before it was someone addressed ("Joke, gij zit in de bouw").
THANKS = frozenset({"dank", "bedankt", "merci", "sorry", "dag", "hallo", "hoi", "welkom",
                    "proficiat"})
SECOND_PERSON = frozenset({"gij", "ge", "jij", "je", "u", "jullie", "wil", "zou", "kunt",
                           "kan", "mag", "hebt", "heb", "zit", "bent", "wat", "hoe", "denkt",
                           "wilt", "vindt"})
# Lower-case articles: a capitalised word right after them is rarely a person's name
# ("de Dieren", "het Planbureau"), except a first name in Flemish speech ("de Jan").
ARTICLES = frozenset({"de", "het", "een", "der", "des", "'t", "ne", "nen"})
SENTENCE_END = frozenset({".", "!", "?", ":", ";", "…"})
OPENERS = frozenset("\"'«„“‘([-–—*")
QUOTES = frozenset("\"'«„“‘")
# Adjectives that start a street or square name ("Grote Markt", "Lange Nieuwstraat").
STREET_ADJECTIVES = frozenset({"grote", "kleine", "oude", "nieuwe", "lange", "korte", "hoge",
                               "lage", "brede", "smalle", "groene", "zuidelijke"})
# Compass words and their combinations ("Oost", "Noordwest", "Zuid-Oost"): after a place or a
# group or area word ("Gent Zuid", "Focusgroep Oost", "regio West") they name an area.
COMPASS = re.compile(r"(?:noord|zuid)(?:-?(?:oost|west))?|oost|west")
# The word right before a position, on the same line, with a space or a hyphen after it.
WORD_BEFORE = re.compile(r"([^\W\d_][\w'’]*)(?:[ \t]+|-)\Z")
NER_PERSON = frozenset({"PER", "PERSON"})
NER_ORG = frozenset({"ORG", "NORP"})
NER_PLACE = frozenset({"LOC", "GPE", "FAC"})
POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
TOKEN = re.compile(r"\[[^\[\]\s]{1,40}\]"  # a placeholder such as [P01] or [PERSOON-3]
                   r"|[^\W\d_]{3,}\.[A-Z][^\W\d_]+"  # Join.Vlaanderen, Digitaal.Vlaanderen
                   r"|[^\W\d_](?:[\w'’-]*\w)?(?:['’]s?)?"  # a word, possessive included
                   r"|\d+|\S")


@dataclass(frozen=True)
class NameSpan:
    """A name found in a text. `start`/`end` cover the name without a possessive ending;
    `suffix_end` also covers the ending ("Fatima's": end at 'a', suffix_end after 's')."""

    start: int
    end: int
    text: str
    kind: str = PERSON
    cue: str = ""  # why (the reason of the rule that decided, in Dutch)
    suffix_end: int = -1
    rule: str = ""  # the name of that rule (pipeline.privacy.rules)

    @property
    def full_end(self) -> int:
        return self.suffix_end if self.suffix_end > self.end else self.end


@dataclass(frozen=True)
class NameLists:
    """The word lists of `pipeline/privacy/data/names/`, folded (see `fold`)."""

    first_names: frozenset[str]
    surnames: frozenset[str]  # full surnames ("van den broeck") and their last word ("broeck")
    titles: frozenset[str]
    name_verbs: frozenset[str]
    places: frozenset[str]
    organisation_words: frozenset[str]
    organisation_endings: tuple[str, ...]
    common_words: frozenset[str]  # Dutch words (spaCy lookups) plus names that are words
    group_words: frozenset[str]  # demonyms and languages (Vlamingen, Marokkaans, Dari)
    dictionary: frozenset[str]  # a broader Dutch dictionary (simplemma), names included
    organisations: frozenset[str] = frozenset()  # organisations.txt, folded
    street_endings: tuple[str, ...] = ()  # street_words.txt
    events: frozenset[str] = frozenset()  # events.txt names, folded
    event_endings: tuple[str, ...] = ()  # events.txt '*' lines
    area_words: tuple[str, ...] = ()  # area_words.txt (groep, wijk, regio, ...)

    def is_listed_organisation(self, folded: str) -> bool:
        """A run that is, or starts with, a listed organisation ("voka limburg")."""
        words = folded.split()
        return any(" ".join(words[:k]) in self.organisations for k in range(len(words), 0, -1))

    def is_event(self, tokens: list) -> bool:
        """Gentse Feesten, Pukkelpop, Week van de Integratie, Zomerfestival."""
        folded = [t.folded for t in tokens]
        joined = " ".join(folded)
        if joined in self.events or any(f.endswith(self.event_endings) for f in folded[-1:]):
            return True
        return (len(folded) >= 3 and folded[0] in {"week", "dag", "nacht", "maand", "jaar"}
                and folded[1] in {"van", "tegen", "voor", "zonder"})

    def is_street(self, tokens: list) -> bool:
        """Kerkstraat, Sint-Pietersplein, Grote Markt, Kortrijksesteenweg, Provinciehuis: the
        last word ends in a street or building word (a listed name excepted: Verlaan)."""
        words = [t for t in tokens if t.folded not in ("van", "de", "het", "der", "den")]
        if not words:
            return False
        last = words[-1].folded
        if last in self.street_endings:
            return len(words) >= 2 and words[0].folded in STREET_ADJECTIVES
        if not last.endswith(self.street_endings) or len(last) < 6:
            return False
        named = self.is_first_name(words[-1].base) or (self.is_surname(words[-1].base)
                                                       and last not in self.places)
        return not named or len(words) >= 2 and words[0].folded in STREET_ADJECTIVES

    def is_area_word(self, folded: str) -> bool:
        """A group or area word, alone or ending a compound: Groep, Focusgroep, Wijk, Regio,
        Stadsdeel (see area_words.txt)."""
        return any(folded == w or (folded.endswith(w) and len(folded) > len(w) + 2)
                   for w in self.area_words)

    def is_first_name(self, word: str) -> bool:
        folded = fold(word)
        if folded in self.first_names:
            return True
        parts = [p for p in folded.split("-") if p]
        return len(parts) > 1 and all(p in self.first_names for p in parts)

    def is_surname(self, words: str) -> bool:
        return fold(words) in self.surnames

    def is_organisation_word(self, word: str) -> bool:
        """An organisation word ("vzw", "Werknemersbond") or a name written with capitals
        inside ("PvdA", "GroenLinks", "BlackRock"), which people's names in Flanders are not
        (unless listed)."""
        folded = fold(word)
        if folded in self.organisation_words or (
                len(folded) > 5 and folded.endswith(self.organisation_endings)):
            return True
        # capitals inside the word, not those that start a part of a double-barrelled
        # surname ("Dik-Faber", "Michon-Derkzen")
        inner = "".join(c for i, c in enumerate(word[1:], start=1) if word[i - 1] != "-")
        return (any(c.isupper() for c in inner) and not word.isupper()
                and not self.is_first_name(word) and folded not in self.surnames
                and not any(p in self.surnames or p in self.first_names
                            for p in folded.split("-")))

    def is_place(self, words: str) -> bool:
        """A listed place, also with a compass prefix (Noord-Afrika, Oost-Oekraïne) or a
        compass suffix (Antwerpen-Noord, Kortrijk-Zuid)."""
        folded = " ".join(fold(words).split())
        if folded in self.places:
            return True
        head, _, tail = folded.rpartition("-")
        if head in self.places and COMPASS.fullmatch(tail):
            return True
        for prefix in ("noord-", "zuid-", "oost-", "west-", "midden-", "centraal-", "groot-"):
            if folded.startswith(prefix) and folded[len(prefix):] in self.places:
                return True
        return False


def _read_list(path: Path, *, per_line: bool) -> list[str]:
    items: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if not line:
            continue
        items.extend([line] if per_line else line.split())
    return items


def _dictionary_words() -> frozenset[str]:
    """Forms and lemmas of simplemma's Dutch dictionary (empty when it is not installed).
    It holds some proper names too, so it only decides for words without other evidence."""
    try:
        from simplemma.strategies.dictionaries.dictionary_factory import (
            DefaultDictionaryFactory)
    except ImportError:
        return frozenset()
    table = DefaultDictionaryFactory().get_dictionary("nl")
    words = {fold(k) for k in table}
    for value in table.values():
        words.add(fold(value.decode("utf-8") if isinstance(value, bytes) else str(value)))
    return frozenset(words)


@lru_cache(maxsize=1)
def load_name_lists(folder: Path = DATA_DIR) -> NameLists:
    """Read the name lists once per process."""
    firsts = (_read_list(folder / "faker_first_names.txt", per_line=True)
              + _read_list(folder / "focuslex_first_names.txt", per_line=False))
    surnames: set[str] = set()
    for name in (_read_list(folder / "faker_surnames.txt", per_line=True)
                 + _read_list(folder / "focuslex_surnames.txt", per_line=True)):
        folded = " ".join(fold(name).split())
        surnames.add(folded)
        core = [w for w in folded.split() if w not in SURNAME_PARTICLES]
        if core:
            surnames.add(core[-1])
    org_lines = _read_list(folder / "organisation_words.txt", per_line=True)
    event_lines = _read_list(folder / "events.txt", per_line=True)
    places = (_read_list(folder / "places.txt", per_line=True)
              + _read_list(folder / "belgian_submunicipalities.txt", per_line=True))
    return NameLists(
        first_names=frozenset(fold(n) for n in firsts),
        surnames=frozenset(surnames),
        titles=frozenset(fold(t) for t in _read_list(folder / "titles.txt", per_line=True)),
        name_verbs=frozenset(fold(v) for v in _read_list(folder / "name_verbs.txt",
                                                          per_line=True)),
        places=frozenset(" ".join(fold(p).split()) for p in places),
        organisation_words=frozenset(fold(w) for w in org_lines if not w.endswith("*")),
        organisation_endings=tuple(fold(w[:-1]) for w in org_lines if w.endswith("*")),
        common_words=common_dutch_words() | stop_word_keys() | frozenset(
            fold(w) for w in _read_list(folder / "name_words.txt", per_line=True)
            + _read_list(folder / "not_names.txt", per_line=False)),
        group_words=frozenset(fold(w) for w in _read_list(folder / "group_words.txt",
                                                           per_line=False)),
        dictionary=_dictionary_words(),
        organisations=frozenset(" ".join(fold(o).split()) for o in _read_list(
            folder / "organisations.txt", per_line=True)),
        street_endings=tuple(fold(w) for w in _read_list(folder / "street_words.txt",
                                                         per_line=True)),
        events=frozenset(" ".join(fold(e).split()) for e in event_lines
                         if not e.startswith("*")),
        event_endings=tuple(fold(e[1:]) for e in event_lines if e.startswith("*")),
        area_words=tuple(fold(w) for w in _read_list(folder / "area_words.txt", per_line=True)),
    )


def area_word_before(text: str, start: int, lists: NameLists | None = None) -> bool:
    """Whether a compass word at `start` of `text` names an area by the word right before it
    (same line, a space or hyphen between): a group or area word ("Focusgroep West", "regio
    West") or a place that is no first name ("Gent West", "Antwerpen-West"). The key-based
    replacement and the leak scan use it, so that a participant called West does not turn
    "Focusgroep West" into a code."""
    match = WORD_BEFORE.search(text[max(0, start - 60):start])
    if match is None:
        return False
    lists = lists or load_name_lists()
    word = match.group(1)
    return lists.is_area_word(fold(word)) or (lists.is_place(word)
                                              and not lists.is_first_name(word))


@dataclass
class _Token:
    start: int
    end: int
    text: str
    base: str = ""  # the word without a possessive ending
    sentence_start: bool = False
    pos: str = ""
    ent: str = ""
    newline_before: bool = False  # a line break between the previous token and this one

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalpha()

    @property
    def is_placeholder(self) -> bool:
        return self.text.startswith("[") and len(self.text) > 2

    @property
    def capitalised(self) -> bool:
        base = self.base or self.text
        return (base[:1].isupper() and not (len(base) > 1 and base.isupper()))

    @property
    def folded(self) -> str:
        return fold(self.base or self.text)


@dataclass
class _Run:
    tokens: list[_Token]
    cue: str = ""
    kind: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def folded(self) -> str:
        return " ".join(t.folded for t in self.tokens)


class NameDetector:
    """Finds person names in texts (see the module docstring)."""

    def __init__(self, *, nlp: Language | None = None, lists: NameLists | None = None,
                 known: Iterable[str] = (), rejected: Iterable[str] = (),
                 keep: Iterable[str] = (), find_organisations: bool = False,
                 find_places: bool = False, organisations: Iterable[str] = ()) -> None:
        self.nlp = nlp
        self.lists = lists or load_name_lists()
        # Names a person confirmed or added: they count without further cues.
        self.known = frozenset(" ".join(fold(k).split()) for k in known if k.strip())
        # Words a reviewer said are not names: never detected again.
        self.rejected = frozenset(" ".join(fold(r).split()) for r in rejected if r.strip())
        # Names to leave in the text (public figures in statements).
        self.keep = frozenset(" ".join(fold(k).split()) for k in keep if k.strip())
        self.find_organisations = find_organisations
        self.find_places = find_places
        # Organisations of the participants sheet: never a person, never replaced.
        self.organisations = frozenset(" ".join(fold(o).split()) for o in organisations
                                       if o.strip())

    # -- public -------------------------------------------------------------------------
    def detect(self, text: str) -> list[NameSpan]:
        return self.detect_many([text])[0]

    def detect_many(self, texts: list[str]) -> list[list[NameSpan]]:
        """Detect names in several texts (one spaCy batch when a pipeline is given)."""
        # Docs are streamed, not kept: memory stays flat for a file with 100k turns.
        docs: Iterable[Doc | None] = ([None] * len(texts) if self.nlp is None
                                      else self._parse(texts))
        return [[s for s in self._detect(text, doc) if self._wanted(s.kind)]
                for text, doc in zip(texts, docs)]

    def detect_parsed(self, texts: list[str], batch_size: int = 64
                      ) -> list[tuple[list[NameSpan], TokenTable | None]]:
        """`detect_many`, with the full pipeline when there is one: besides the names, the
        token table of each text's complete parse (None without a pipeline), so that the
        ingest can hand `analyse` the parse of the pseudonymised text (see
        `pipeline.nlp.tokens.replace_in_table`) instead of parsing twice. The names are
        found before the lemma fixes run, on the same POS tags as `detect_many`."""
        if self.nlp is None:
            return [(spans, None) for spans in self.detect_many(texts)]
        nlp = self.nlp
        fixes = [name for name in nlp.pipe_names if name == LEMMA_FIXES]
        out: list[tuple[list[NameSpan], TokenTable | None]] = []
        for text, doc in zip(texts, nlp.pipe(texts, disable=fixes, batch_size=batch_size)):
            spans = [s for s in self._detect(text, doc) if self._wanted(s.kind)]
            for name in fixes:
                doc = nlp.get_pipe(name)(doc)
            out.append((spans, table_from_doc(doc)))
        return out

    def tokenise(self, text: str) -> list[tuple[int, str]]:
        """Offsets and texts of the pipeline's tokens of `text` (whitespace left out)."""
        assert self.nlp is not None
        return [(t.idx, t.text) for t in self.nlp.tokenizer(text) if not t.is_space]

    def explain(self, text: str) -> list[NameSpan]:
        """Every capitalised run that was considered, with its kind (also `none`), the rule
        that decided and its reason (`cue`): what was replaced and what was kept, and why."""
        doc = next(iter(self._parse([text]))) if self.nlp is not None else None
        return self._detect(text, doc)

    def _wanted(self, kind: str) -> bool:
        return (kind == PERSON or (kind == ORGANISATION and self.find_organisations)
                or (kind == PLACE and self.find_places))

    # -- parsing --------------------------------------------------------------------------
    def _parse(self, texts: list[str]) -> Iterable[Doc]:
        nlp = self.nlp
        assert nlp is not None
        wanted = {"tok2vec", "tagger", "morphologizer", "attribute_ruler", "ner",
                  "transformer", "senter"}
        disable = [name for name in nlp.pipe_names if name not in wanted]
        return nlp.pipe(texts, disable=disable, batch_size=32)

    @staticmethod
    def _tokens(text: str) -> list[_Token]:
        tokens: list[_Token] = []
        at_start = True
        last_end = 0
        for match in TOKEN.finditer(text):
            chunk = match.group()
            newline = "\n" in text[last_end:match.start()]
            if newline:
                at_start = True
            token = _Token(match.start(), match.end(), chunk, newline_before=newline)
            if token.is_word:
                base = POSSESSIVE.sub("", chunk)
                token.base = base if base else chunk
                token.sentence_start = at_start
                at_start = False
            elif chunk in SENTENCE_END:
                at_start = True
            elif token.is_placeholder:
                at_start = False
            elif chunk not in OPENERS and chunk != "." and not chunk.isdigit():
                # commas, closing quotes: the next word is not at a sentence start
                at_start = at_start and chunk in OPENERS
            tokens.append(token)
            last_end = match.end()
        return tokens

    @staticmethod
    def _annotate(tokens: list[_Token], doc: Doc | None) -> None:
        """Copy POS tags and entity labels from a spaCy Doc onto the regex tokens."""
        if doc is None:
            return
        by_start = {t.idx: t for t in doc}
        for token in tokens:
            sp = by_start.get(token.start)
            if sp is None:
                continue
            token.pos = sp.pos_
            token.ent = sp.ent_type_

    # -- detection ------------------------------------------------------------------------
    def _detect(self, text: str, doc: Doc | None) -> list[NameSpan]:
        tokens = self._tokens(text)
        self._annotate(tokens, doc)
        spans: list[NameSpan] = []
        for run, before, after in self._runs(tokens):
            for part, part_before, part_after in self._split(run, before, after):
                span = self._classify(text, part, part_before, part_after)
                if span is not None:
                    spans.append(span)
        return spans

    def _split(self, run: _Run, before: list[_Token],
               after: list[_Token]) -> Iterable[tuple[_Run, list[_Token], list[_Token]]]:
        """Split "Els van den Broeck van de Algemene Werknemersbond" before the particles
        that introduce an organisation, a place or an area ("West van Focusgroep Oost")."""
        tokens = run.tokens
        groups: list[tuple[int, int]] = []  # lower-case particle groups inside the run
        i = 1
        while i < len(tokens):
            if tokens[i].folded in PARTICLES and not tokens[i].capitalised:
                j = i
                while j < len(tokens) and tokens[j].folded in PARTICLES \
                        and not tokens[j].capitalised:
                    j += 1
                groups.append((i, j))
                i = j
            else:
                i += 1
        for i, j in reversed(groups):
            tail = [t for t in tokens[j:] if t.folded not in PARTICLES]
            if tail and (any(self.lists.is_organisation_word(t.base) for t in tail)
                         or all(self.lists.is_place(t.base) for t in tail)
                         or self._area(tail, tokens[:j])
                         or self.lists.is_listed_organisation(
                             " ".join(t.folded for t in tokens[j:]))):
                yield from self._split(_Run(tokens[:i]), before, tokens[i:] + after)
                yield _Run(tokens[j:]), before + tokens[:j], after
                return
        cut = self._address_cut(tokens)
        if cut is not None:
            yield from self._split(_Run(tokens[:cut]), before, tokens[cut:] + after)
            yield from self._split(_Run(tokens[cut:]), before + tokens[:cut], after)
            return
        yield run, before, after

    def _address_cut(self, tokens: list[_Token]) -> int | None:
        """Where a name stops before an address, building, square, organisation or event
        ("Jan Peeters Grote Markt 1", "Koen Bakker ACV", "Lies Peeters Stadhuis")."""
        lists = self.lists
        for i in range(1, len(tokens)):
            token = tokens[i]
            if not token.capitalised and not token.text.isupper():
                continue
            if tokens[i - 1].folded in PARTICLES and not tokens[i - 1].capitalised:
                continue  # "Huis van de Mens", "Els van den Broeck"
            rest = tokens[i:]
            multiword_org = any(" ".join(t.folded for t in rest[:k]) in lists.organisations
                                for k in range(2, min(len(rest), 6) + 1))
            acronym = token.text.isupper() and len(token.text) >= 2 \
                and token.folded in lists.organisations
            if tokens[i - 1].folded in STREET_ADJECTIVES and lists.is_street(rest[:1]):
                continue  # the street starts one word earlier ("Lange Nieuwstraat")
            street = lists.is_street(rest[:1]) or (
                token.folded in STREET_ADJECTIVES and lists.is_street(rest[:2]))
            place = len(rest) >= 2 and " ".join(t.folded for t in rest[:2]) in lists.places
            if multiword_org or acronym or street or place or lists.is_event(rest):
                return i
        return None

    def _runs(self, tokens: list[_Token]) -> Iterable[tuple[_Run, list[_Token], list[_Token]]]:
        """Maximal runs of capitalised words (particles allowed inside), with the tokens
        before and after each run. A run ends at a line break: a name never spans lines
        ("met Hilde Verbeke\n\nIntegratie was ...")."""
        i = 0
        n = len(tokens)
        while i < n:
            token = tokens[i]
            starts_run = token.is_word and token.capitalised
            if (not starts_run and token.is_word and token.folded in PARTICLES
                    and self._title_before(tokens[:i])):
                starts_run = self._particles_then_capital(tokens, i)
            if not starts_run:
                i += 1
                continue
            run = [token]
            j = i + 1
            while j < n:
                nxt = tokens[j]
                if nxt.newline_before:
                    break
                if nxt.is_word and nxt.capitalised and not self._ends_with_possessive(run):
                    run.append(nxt)
                    j += 1
                elif (nxt.is_word and nxt.folded in PARTICLES
                      and not self._ends_with_possessive(run)
                      and self._particles_then_capital(tokens, j)):
                    while tokens[j].folded in PARTICLES and not tokens[j].capitalised:
                        run.append(tokens[j])
                        j += 1
                else:
                    break
            yield _Run(run), tokens[:i], tokens[j:]
            i = j

    @staticmethod
    def _ends_with_possessive(run: list[_Token]) -> bool:
        return run[-1].base != run[-1].text

    @staticmethod
    def _particles_then_capital(tokens: list[_Token], j: int) -> bool:
        k = j
        while k < len(tokens) and k - j < 3 and tokens[k].is_word \
                and tokens[k].folded in PARTICLES and not tokens[k].capitalised \
                and not (k > j and tokens[k].newline_before):
            k += 1
        return (k > j and k < len(tokens) and tokens[k].is_word and tokens[k].capitalised
                and not tokens[k].newline_before)

    def _title_before(self, before: list[_Token], *, listed: bool = True) -> bool:
        """A title or role right before the run ("mevrouw", "collega", "Dank, mevrouw,") or,
        with `listed`, before an enumeration of names that this run ends ("de leden Van
        Vroonhoven en Boswijk", "mevrouw Agema, Hermans en Bergkamp")."""
        words = [t for t in before[-3:]]
        if words and words[-1].is_word and words[-1].folded in self.lists.titles:
            return True
        if (len(words) >= 2 and words[-1].text == "," and words[-2].is_word
                and words[-2].folded in self.lists.titles):
            return True
        if not listed or not words or words[-1].folded not in {"en", ","}:
            return False
        i = len(before) - 1
        while i >= 0 and before[i].folded in {"en", ","}:
            i -= 1
        named = i
        while i >= 0 and before[i].is_word and (before[i].capitalised
                                                 or before[i].folded in PARTICLES):
            i -= 1
        if named == i or named - i > 4:
            return False
        first = before[i + 1]
        if first.folded in PARTICLES and not first.capitalised and " ".join(
                t.folded for t in before[i + 1:named + 1]) not in self.lists.surnames:
            return False  # "minister van Justitie en Veiligheid": a role, no names
        return self._title_before(before[:i + 1], listed=True)

    def _classify(self, text: str, run: _Run, before: list[_Token],
                  after: list[_Token]) -> NameSpan | None:
        """The span of a run (titles trimmed), decided by the rule table
        (`pipeline.privacy.rules`): its kind, the rule and the rule's reason."""
        trimmed = self._trim(run.tokens, before)
        if trimmed is None:
            return None
        tokens, before = trimmed
        candidate = self._candidate(tokens, before, after)
        rule = decide(candidate)
        first, last = tokens[0], tokens[-1]
        start, end = first.start, last.start + len(last.base)
        suffix_end = last.end if last.base != last.text else -1
        return NameSpan(start, end, text[start:end], rule.kind, rule.reason, suffix_end,
                        rule.name)

    def _trim(self, tokens: list[_Token],
              before: list[_Token]) -> tuple[list[_Token], list[_Token]] | None:
        """Cut leading titles ("Schepen Verhaegen") and sentence-initial common words that are
        no names ("Ook Sofie"); particles stay ("Burgemeester De Clercq"). A trailing particle
        never ends a name."""
        lists = self.lists
        while len(tokens) > 1 and (
                tokens[0].folded in lists.titles
                or (tokens[0].folded in PARTICLES and not tokens[0].capitalised
                    and " ".join(t.folded for t in tokens) not in lists.surnames)
                or (tokens[0].folded in lists.common_words
                    and tokens[0].folded not in PARTICLES
                    and not self._name_follows(tokens))
                or ((tokens[0].folded in lists.dictionary or self._is_compound(tokens[0].folded))
                    and tokens[0].folded not in PARTICLES
                    and not lists.is_first_name(tokens[0].base)
                    and not lists.is_surname(tokens[0].base))):
            before = before + [tokens[0]]
            tokens = tokens[1:]
        while tokens and tokens[-1].folded in PARTICLES and not tokens[-1].capitalised:
            tokens = tokens[:-1]
        if not tokens or not tokens[0].capitalised and tokens[0].folded not in PARTICLES:
            return None
        if not any(t.folded not in PARTICLES for t in tokens):
            return None
        return tokens, before

    def _candidate(self, tokens: list[_Token], before: list[_Token],
                   after: list[_Token]) -> Candidate:
        lists = self.lists
        words = [t for t in tokens if t.folded not in PARTICLES]
        folded = " ".join(t.folded for t in tokens)
        prev_word = next((t for t in reversed(before) if t.is_word), None)
        prev = before[-1] if before else None
        after_word = prev is not None and prev is prev_word and not prev_word.capitalised
        ents = {t.ent for t in tokens if t.ent}
        firsts = [t for t in words if lists.is_first_name(t.base)]
        surnames = [t for t in words if lists.is_surname(t.base)]
        common = [t for t in words if t.folded in lists.common_words]
        listed_clean = [t for t in firsts + surnames if t.folded not in lists.common_words]
        propn = all(t.pos == "PROPN" for t in words)
        initial = tokens[0].sentence_start
        after_article = after_word and prev_word.folded in ARTICLES
        single_word_name = len(words) == 1 and bool(common) and bool(firsts or surnames)
        return Candidate(
            words=len(words),
            reviewer_rejected=folded in self.rejected or folded in self.keep,
            known=folded in self.known,
            title_only=len(tokens) == 1 and tokens[0].folded in lists.titles,
            role=tokens[0].folded in PARTICLES and not tokens[0].capitalised
            and folded not in lists.surnames,
            group_only=all(t.folded in lists.group_words for t in words),
            sheet_organisation=self._sheet_organisation(folded),
            listed_organisation=lists.is_listed_organisation(folded),
            organisation_shape=(any(lists.is_organisation_word(t.base) for t in words)
                                or (after_word and lists.is_organisation_word(prev_word.base))),
            event=lists.is_event(tokens),
            street=lists.is_street(tokens),
            place=(lists.is_place(folded) or all(lists.is_place(t.base) for t in words)
                   or bool(ents & NER_PLACE)),
            listed_place=folded in lists.places,
            area=self._area(words, before),
            after_place_preposition=after_word and prev_word.folded in PLACE_PREPOSITIONS,
            title=self._title_before(before),
            naming_verb=self._verb_before(before),
            addressed=(len(words) <= 2 and self._addressed(before, after)
                       and (bool(firsts or surnames)
                            or not any(t.folded in lists.dictionary for t in words))),
            quoted=self._quote_after(after) and (len(words) >= 2 or bool(firsts)),
            works_at=len(words) == 1 and bool(firsts) and self._works_at(after),
            ner_person=bool(ents & NER_PERSON),
            ner_organisation=bool(ents & NER_ORG),
            first_name_and_name=self._first_name_and_name(words, tokens, firsts),
            short=len(words) == 1 and len(words[0].base) < 3,
            initial_word_name=(len(words) == 1 and initial and bool(listed_clean)
                               and words[0].folded in lists.dictionary),
            comma_after=bool(after) and after[0].text == ",",
            listed=bool(listed_clean) and len(common) < len(words),
            listed_name=bool(listed_clean),
            word_name_propn=(single_word_name and propn and not initial and not after_article),
            ordinary=bool(common) and (len(words) == 1 or len(common) == len(words)),
            unknown_propn=(propn and not initial and len(words) <= 2 and not after_article
                           and not any(t.folded in lists.dictionary
                                       or self._is_compound(t.folded) for t in words)),
        )

    def _first_name_and_name(self, words: list[_Token], tokens: list[_Token],
                             firsts: list[_Token]) -> bool:
        """"Jan Visser", "Jan De Vos", "Fatima Zahra": a first name with a name beside it."""
        lists = self.lists
        if len(words) < 2:
            return False
        multi_surname = lists.is_surname(" ".join(t.base for t in tokens[1:]))
        return bool(firsts or multi_surname) and (
            lists.is_first_name(words[0].base) or multi_surname
            or lists.is_surname(words[-1].base)
            or words[-1].folded not in lists.common_words)

    def _area(self, words: list[_Token], before: list[_Token]) -> bool:
        """"Focusgroep Oost", "Wijk Noord", "regio West", "Gent Zuid", "Zone Zuidoost": a
        compass word last, after places or group and area words only (in the run, or the word
        right before it: the trim moves a sentence-initial "Focusgroep" there). A first name
        that is also a place (Sofia, Melle) does not count: "Sofia West" stays a person."""
        if not words or not COMPASS.fullmatch(words[-1].folded):
            return False
        heads = words[:-1]
        if not heads:
            last = before[-1] if before else None
            if last is None or not last.is_word or words[-1].newline_before:
                return False
            heads = [last]
        lists = self.lists
        return all(lists.is_area_word(t.folded) or (lists.is_place(t.base)
                                                    and not lists.is_first_name(t.base))
                   for t in heads)

    def _sheet_organisation(self, folded: str) -> bool:
        return any(folded == o or folded.startswith(o + " ") for o in self.organisations)

    @staticmethod
    def _quote_after(after: list[_Token]) -> bool:
        """`Naam: "..."`, `Naam, ORGANISATIE: "..."`, `Naam (woordvoerder X): "..."`: a colon
        and an opening quote right after the name, after a comma and an organisation's name
        (capitalised words), or after a bracketed role, on the same line."""
        if not after or after[0].newline_before:
            return False
        if after[0].text == ",":
            i = 1
            while i < len(after) and i < 8 and (after[i].text.isupper() or after[i].capitalised
                                                 or after[i].folded in PARTICLES
                                                 or after[i].text in {"&", "-"}):
                i += 1
            if i == 1:
                return False
        elif after[0].text == "(":
            i = next((k + 1 for k, t in enumerate(after[:10]) if t.text == ")"), 0)
            if not i:
                return False
        else:
            i = 0
        return (len(after) > i + 1 and after[i].text == ":" and after[i + 1].text in QUOTES
                and not any(t.newline_before for t in after[:i + 2]))

    def _works_at(self, after: list[_Token]) -> bool:
        """"Mo van de jeugdwerking", "Ilse van de bibliotheek", "Youssef van het buurthuis"."""
        words = [t.folded for t in after[:3]]
        if not words or words[0] != "van":
            return False
        rest = after[2] if len(words) > 2 and words[1] in ARTICLES else (
            after[1] if len(after) > 1 else None)
        return (rest is not None and rest.is_word and words[1] in ARTICLES
                and (not rest.capitalised or self.lists.is_listed_organisation(rest.folded)))

    def is_ordinary(self, word: str) -> bool:
        """A Dutch dictionary word or a compound of dictionary words ("Integratiepact")."""
        folded = fold(word)
        return folded in self.lists.dictionary or self._is_compound(folded)

    def _unknown_word(self, folded: str) -> bool:
        """Neither in the Dutch dictionary nor a compound of words of the narrower word list
        (the broad dictionary holds fragments such as "dere" and "ere", which would make the
        surname "Vermandere" a compound)."""
        return (folded not in self.lists.dictionary
                and not self._is_compound(folded, self.lists.common_words))

    def _is_compound(self, word: str, parts: frozenset[str] | None = None) -> bool:
        """A Dutch compound or hyphenated word of known parts ("Handelingsvermogen",
        "Duinhoek", "NT2-capaciteit"): no name, even when tagged PROPN. The parts come from
        the broad dictionary unless `parts` is given."""
        dictionary = self.lists.dictionary
        if "-" in word:
            return any(part in dictionary for part in word.split("-") if len(part) > 2)
        known = dictionary if parts is None else parts
        for i in range(3, len(word) - 2):
            head, tail = word[:i], word[i:]
            if tail in known and (head in known or (head.endswith("s") and head[:-1] in known)):
                return True
        return False

    def _name_follows(self, tokens: list[_Token]) -> bool:
        """Whether the first token is a first name followed by a listed name ("Jan Peeters"),
        as opposed to a common word before a name ("Ook Sofie", "Dan Handelingsvermogen")."""
        first, rest = tokens[0], [t for t in tokens[1:] if t.folded not in PARTICLES]
        if not rest or not (self.lists.is_first_name(first.base)
                            or self.lists.is_surname(first.base)):
            return False
        if self.lists.is_first_name(first.base) and (
                not first.sentence_start or self._unknown_word(rest[0].folded)
                or (len(rest) == 1 and COMPASS.fullmatch(rest[0].folded))):
            # a capital mid-sentence ("met Jan West"), or a first name before a word that is
            # no Dutch word ("Jan Westerlinck kwam") or before a compass word ("Kim Zuid
            # belde": the listed place Zuid), not "Dan Handelingsvermogen"
            return True
        return (self.lists.is_first_name(rest[0].base) or self.lists.is_surname(rest[-1].base)
                or self.lists.is_surname(" ".join(t.base for t in tokens[1:])))

    def _addressed(self, before: list[_Token], after: list[_Token]) -> bool:
        """"Dank u, An." / "Joke, gij zit in de bouw" / "Tariq, wil jij beginnen?"."""
        words = [t.folded for t in before[-3:]]
        if words and words[-1] == "," and any(w in THANKS for w in words[:-1]):
            return True
        if len(words) >= 2 and words[-1] in {"u", "je", "jou"} and words[-2] in THANKS:
            return True
        return (len(after) >= 2 and after[0].text == "," and after[1].is_word
                and after[1].folded in SECOND_PERSON)

    def _verb_before(self, before: list[_Token]) -> bool:
        if not before or not before[-1].is_word:
            return False  # "genoemd. Maar": the verb belongs to the previous sentence
        words = [t for t in before if t.is_word][-3:]
        if words[-1].folded in self.lists.name_verbs:
            return True
        folded = [w.folded for w in words]
        return folded[-2:] == ["ik", "ben"] or folded[-3:] == ["mijn", "naam", "is"] \
            or folded[-3:] == ["ze", "heet", "'t"]


@lru_cache(maxsize=2)
def shared_pipeline(model: str, bundled_path: str) -> Language:
    """The Dutch spaCy pipeline for name detection, loaded once per process."""

    return load_pipeline(Settings(nlp=NlpSettings(model=model, bundled_path=Path(bundled_path))))
