"""spaCy components of focuslex, registered by name.

`focuslex_lemma_fixes` runs after the tagger/lemmatizer of any Dutch pipeline (the bundled
nl_focuslex_sm has it in its config; the loader adds it to nl_core_news_* pipelines) and
repairs what a small statistical model gets wrong in focuslex's material:

(a) diacritics: forms are compared in NFC, and a lemma that starts with a diaeresis after a
    stripped prefix loses it (`geïntegreerd` -> `ïntegreren` -> `integreren`);
(b) sentence-initial capitals: a common word at the start of a sentence gets a lower-case
    lemma (`Jongeren` -> `jongere`), proper nouns keep theirs;
(c) unseen forms: a word the statistical model never saw in training is lemmatised from
    spacy-lookups-data's Dutch lemma table when that table knows it (`verloopt` -> `verlopen`);
(d) focuslex's own vocabulary: a small table fixes lemma, POS and morphology of delicate
    terms (`onbewust` ADJ, `nieuwkomers` NOUN `nieuwkomer`).

Importing this module registers the factory; `pipeline.nlp.loader` imports it before loading.
"""

from __future__ import annotations

import json
import logging
import unicodedata
from pathlib import Path
from typing import Iterable, Mapping

from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.util import ensure_path

log = logging.getLogger("focuslex.nlp")

# Bump when the behaviour changes: it is part of the parse-cache key.
LEMMA_FIXES_VERSION = "1"

# lower-cased NFC form -> (lemma, UPOS, morphology or None to keep the predicted one)
DOMAIN_VOCABULARY: dict[str, tuple[str, str, str | None]] = {
    "integratie": ("integratie", "NOUN", "Gender=Com|Number=Sing"),
    "integraties": ("integratie", "NOUN", "Number=Plur"),
    "integreren": ("integreren", "VERB", None),
    "integreert": ("integreren", "VERB", None),
    "integreer": ("integreren", "VERB", None),
    "integreerde": ("integreren", "VERB", None),
    "integreerden": ("integreren", "VERB", None),
    "geïntegreerd": ("integreren", "VERB", "VerbForm=Part"),
    "geïntegreerde": ("integreren", "VERB", "VerbForm=Part"),
    "geintegreerd": ("integreren", "VERB", "VerbForm=Part"),
    "geintegreerde": ("integreren", "VERB", "VerbForm=Part"),
    "assimilatie": ("assimilatie", "NOUN", "Gender=Com|Number=Sing"),
    "assimileren": ("assimileren", "VERB", None),
    "geassimileerd": ("assimileren", "VERB", "VerbForm=Part"),
    "discriminatie": ("discriminatie", "NOUN", "Gender=Com|Number=Sing"),
    "discriminaties": ("discriminatie", "NOUN", "Number=Plur"),
    "discrimineren": ("discrimineren", "VERB", None),
    "discrimineert": ("discrimineren", "VERB", None),
    "gediscrimineerd": ("discrimineren", "VERB", "VerbForm=Part"),
    "gediscrimineerde": ("discrimineren", "VERB", "VerbForm=Part"),
    "racisme": ("racisme", "NOUN", "Gender=Neut|Number=Sing"),
    "antiracisme": ("antiracisme", "NOUN", "Gender=Neut|Number=Sing"),
    "racist": ("racist", "NOUN", "Gender=Com|Number=Sing"),
    "racisten": ("racist", "NOUN", "Number=Plur"),
    "racistisch": ("racistisch", "ADJ", "Degree=Pos"),
    "racistische": ("racistisch", "ADJ", "Degree=Pos"),
    "onbewust": ("onbewust", "ADJ", "Degree=Pos"),
    "onbewuste": ("onbewust", "ADJ", "Degree=Pos"),
    "inburgering": ("inburgering", "NOUN", "Gender=Com|Number=Sing"),
    "inburgeringstraject": ("inburgeringstraject", "NOUN", "Gender=Neut|Number=Sing"),
    "inburgeringstrajecten": ("inburgeringstraject", "NOUN", "Number=Plur"),
    "inburgeraar": ("inburgeraar", "NOUN", "Gender=Com|Number=Sing"),
    "inburgeraars": ("inburgeraar", "NOUN", "Number=Plur"),
    "inburgeren": ("inburgeren", "VERB", None),
    "nieuwkomer": ("nieuwkomer", "NOUN", "Gender=Com|Number=Sing"),
    "nieuwkomers": ("nieuwkomer", "NOUN", "Number=Plur"),
    "migratieachtergrond": ("migratieachtergrond", "NOUN", "Gender=Com|Number=Sing"),
    "allochtoon": ("allochtoon", "NOUN", "Gender=Com|Number=Sing"),
    "allochtonen": ("allochtoon", "NOUN", "Number=Plur"),
}

_DIAERESIS = {"ä": "a", "ë": "e", "ï": "i", "ö": "o", "ü": "u"}
_LEMMATISED_POS = {"NOUN", "VERB", "AUX", "ADJ"}

_LOOKUP_CACHE: dict[str, Mapping[str, str]] = {}


def load_lemma_lookup() -> Mapping[str, str]:
    """spacy-lookups-data's Dutch lemma table (a spaCy Table: `form in t`, `t.get(form)`);
    empty when spacy-lookups-data is not installed."""
    if "nl" not in _LOOKUP_CACHE:
        try:
            from spacy.lookups import load_lookups

            _LOOKUP_CACHE["nl"] = load_lookups("nl", ["lemma_lookup"]).get_table("lemma_lookup")
        except (ImportError, ValueError, KeyError) as exc:
            log.warning("Dutch lemma lookup table unavailable (%s); no lookup fallback", exc)
            _LOOKUP_CACHE["nl"] = {}
    return _LOOKUP_CACHE["nl"]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


class LemmaFixes:
    """Rule- and lookup-based repairs of lemmas and tags (see the module docstring)."""

    def __init__(self, nlp: Language, name: str, *, use_lookup: bool, lowercase_sentence_start: bool,
                 use_domain_vocabulary: bool) -> None:
        self.name = name
        self.use_lookup = use_lookup
        self.lowercase_sentence_start = lowercase_sentence_start
        self.use_domain_vocabulary = use_domain_vocabulary
        # Word forms the statistical lemmatizer was trained on (NFC, original case). None:
        # unknown (an official pipeline); then the lookup only replaces lemmas equal to the form.
        self.training_forms: frozenset[str] | None = None
        self._seen_lower: frozenset[str] = frozenset()  # lower-cased training forms
        self._seen_in_lower_case: frozenset[str] = frozenset()  # forms seen written in lower case
        self._lookup: Mapping[str, str] | None = None

    @property
    def lookup(self) -> Mapping[str, str]:
        if self._lookup is None:
            self._lookup = load_lemma_lookup() if self.use_lookup else {}
        return self._lookup

    def set_training_forms(self, forms: Iterable[str] | None) -> None:
        if forms is None:
            self.training_forms = None
            self._seen_lower = self._seen_in_lower_case = frozenset()
            return
        self.training_forms = frozenset(_nfc(f) for f in forms)
        self._seen_lower = frozenset(f.lower() for f in self.training_forms)
        self._seen_in_lower_case = frozenset(f for f in self.training_forms if f[:1].islower())

    def initialize(self, get_examples=None, *, nlp=None, training_forms=None) -> None:
        if training_forms is not None:
            self.set_training_forms(training_forms)

    def __call__(self, doc: Doc) -> Doc:
        lookup = self.lookup  # load once, outside the loop
        at_start = True
        for token in doc:
            self.fix_token(token, sentence_start=at_start, lookup=lookup)
            text = token.text
            if token.is_space:
                at_start = at_start or "\n" in text
            elif text in _SENTENCE_END:
                at_start = True
            elif not (token.is_punct and text in _OPENING):
                at_start = False
        return doc

    def fix_token(self, token: Token, *, sentence_start: bool = False,
                  lookup: Mapping[str, str] | None = None) -> None:
        """Repair one token; sentence_start: it begins a sentence in the written text."""
        if lookup is None:
            lookup = self.lookup
        form = _nfc(token.text)
        lower = form.lower()
        if self.use_domain_vocabulary and lower in DOMAIN_VOCABULARY:
            lemma, pos, morph = DOMAIN_VOCABULARY[lower]
            token.lemma_ = lemma
            if token.pos_ != pos:
                token.pos_ = pos
                if morph is not None:
                    token.set_morph(morph)
            return
        original = token.lemma_
        lemma = _nfc(original) if original else form
        pos = token.pos_
        if pos in _KEEP_POS:
            if lemma != original:
                token.lemma_ = lemma
            return
        known = self.training_forms is not None
        # (b) a capitalised common word at the start of a sentence: lemmatise it in lower case
        if (self.lowercase_sentence_start and sentence_start and form[:1].isupper()
                and lemma[:1].isupper() and not form.isupper()
                and (lower in self._seen_in_lower_case or lower in lookup)):
            if lemma == form and lower in lookup:
                lemma = _nfc(lookup[lower])
            else:
                lemma = lemma[:1].lower() + lemma[1:]
        # (c) unseen forms: trust the lookup table over a guessed edit tree
        elif pos in _LEMMATISED_POS and lower in lookup:
            if (known and lower not in self._seen_lower) or (not known and lemma.lower() == lower):
                lemma = _nfc(lookup[lower])
                if form[:1].isupper() and not sentence_start:  # Vlaams-nationale, mid-sentence
                    lemma = lemma[:1].upper() + lemma[1:]
        # (a) diaeresis left at the start of a lemma after a prefix was stripped
        if lemma[:1] in _DIAERESIS and lower[:1] != lemma[:1]:
            lemma = _DIAERESIS[lemma[0]] + lemma[1:]
        if lemma != original:
            token.lemma_ = lemma

    # serialisation: only the training forms are data; the tables live in code / packages
    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        forms = sorted(self.training_forms) if self.training_forms is not None else None
        data = {"version": LEMMA_FIXES_VERSION, "training_forms": forms}
        (path / "data.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf8")

    def from_disk(self, path, *, exclude=tuple()) -> "LemmaFixes":
        file = Path(path) / "data.json"
        if file.exists():
            data = json.loads(file.read_text(encoding="utf8"))
            self.set_training_forms(data.get("training_forms"))
        return self


_SENTENCE_END = {".", "!", "?", ":", "…", "...", ";"}
_OPENING = set("\"'«„“‘([-–—")
_KEEP_POS = {"PROPN", "X", "SYM", "PUNCT", "NUM"}


@Language.factory(
    "focuslex_lemma_fixes",
    default_config={"use_lookup": True, "lowercase_sentence_start": True,
                    "use_domain_vocabulary": True},
    requires=["token.pos", "token.lemma"],
    assigns=["token.lemma", "token.pos", "token.morph"],
)
def make_lemma_fixes(nlp: Language, name: str, use_lookup: bool, lowercase_sentence_start: bool,
                     use_domain_vocabulary: bool) -> LemmaFixes:
    return LemmaFixes(nlp, name, use_lookup=use_lookup,
                      lowercase_sentence_start=lowercase_sentence_start,
                      use_domain_vocabulary=use_domain_vocabulary)
