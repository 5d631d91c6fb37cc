"""Text keys shared by every stage: the one fold family and the word lists it is used with.

Every comparison key of focuslex is made here; no other module folds text itself.

| key | case | accents | ß | whitespace | length | used for |
|---|---|---|---|---|---|---|
| `fold` | lower | stripped | s | kept | same as input | names, speaker markers (offsets) |
| `fold_word` | casefold | stripped (NFKD) | ss | kept | may change | term patterns, matcher |
| `fold_with_map` | as `fold_word`, plus each folded character's index in the input | | | | | term hits in compounds |
| `search_key` | casefold | stripped (NFKD) | ss | collapsed | may change | lexicon search, `terms kwic TERM` |
| `label_key` | casefold | kept (NFC) | ss | collapsed | may change | lexicon labels: 'geintegreerd' (a hidden misspelling) differs from 'geïntegreerd' |
| `normalise_label` | as `fold`, '_' as space, collapsed, no surrounding ' .:-' | | | | | speaker labels |

`fold` keeps offsets: one output character per input character, so a match in the folded
text is a match at the same place in the original (the name detector and the speaker
readers rely on that). `common_dutch_words` are the word forms of spacy-lookups-data's Dutch
lemma table.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

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
    if text.isascii():  # the common case: lower case is the whole fold
        return text.lower()
    return "".join(_fold_char(c) for c in text)


def fold_all(texts: Sequence[str]) -> list[str]:
    """`fold` of many texts at once (one `str.translate` over them all; the same result as
    folding each text, much faster for a word list)."""
    if not texts:
        return []
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1:  # a text holds the separator itself
        return [fold(t) for t in texts]
    table = {ord(c): _fold_char(c) for c in set(joined)}
    return joined.translate(table).split("\x00")


def fold_word(text: str) -> str:
    """Case- and accent-insensitive key of a word form: casefolded, compatibility-decomposed
    (NFKD) and without combining marks ('Geïntegreerd' -> 'geintegreerd', 'ß' -> 'ss').
    The same as `fold_with_map(text)[0]`; the length may differ from the input's."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_with_map(text: str) -> tuple[str, Sequence[int]]:
    """`fold_word` of `text` and, for each folded character, its index in `text` (folding may
    change lengths: 'ß' -> 'ss', a decomposed 'e' + '¨' -> 'e')."""
    if text.isascii():  # the common case: lower case, one character each
        return text.lower(), range(len(text))
    out: list[str] = []
    positions: list[int] = []
    for i, char in enumerate(text):
        for c in unicodedata.normalize("NFKD", char.casefold()):
            if not unicodedata.combining(c):
                out.append(c)
                positions.append(i)
    return "".join(out), positions


def search_key(text: str) -> str:
    """Search key: `fold_word` with inner whitespace collapsed to one space and the ends
    stripped ('  Onbewust   Racisme ' -> 'onbewust racisme')."""
    return " ".join(fold_word(text).split())


def label_key(text: str) -> str:
    """Comparison key of a lexicon label: NFC, casefolded, inner whitespace collapsed.
    Accents are kept: 'geintegreerd' (a hidden misspelling) differs from 'geïntegreerd'."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def normalise_label(label: str) -> str:
    """A speaker label as a key: folded, single spaces, no surrounding punctuation."""
    return " ".join(fold(label).replace("_", " ").split()).strip(" .:-")


@lru_cache(maxsize=1)
def stop_word_keys() -> frozenset[str]:
    """spaCy's Dutch stop words as `fold` keys ('één' -> 'een')."""
    from spacy.lang.nl.stop_words import STOP_WORDS  # spaCy is heavy: import on first use

    return frozenset(fold(w) for w in STOP_WORDS)


@lru_cache(maxsize=1)
def common_dutch_words() -> frozenset[str]:
    """Lower-cased Dutch word forms from spacy-lookups-data, to tell 'Roos' from 'roos'."""
    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / "nl_lemma_lookup.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        table = json.load(handle)
    return frozenset(fold_all([*table, *table.values()]))


# Every character Markdown (CommonMark + GFM, Streamlit's dialect) or HTML gives a meaning:
# emphasis, links and images, autolinks (':' and '.'), tables, math ('$'), colours (':red[').
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&=\"'^])")
# GFM turns bare URLs and e-mail addresses into links *after* escapes are resolved, so a
# backslash does not stop it: an invisible WORD JOINER (U+2060) breaks the patterns it looks
# for ('://', 'www.', '@') without changing what the reader sees.
_AUTOLINK = re.compile(r"(?=://)|(?=@)|(?<=[wW])(?=[wW]{2}\.)")
WORD_JOINER = "\u2060"


def literal_markdown(text: str) -> str:
    """User or document text made safe for a Markdown renderer (st.markdown, st.caption,
    st.error, ...): every Markdown/HTML control character is backslash-escaped and bare
    URLs and e-mail addresses are broken up invisibly, so '<script>', '**x**',
    '![x](http://...)', 'javascript:' links or 'www.x.be' are shown as typed and never
    interpreted (no image is loaded, no link is made). Line breaks are kept. The one
    escaping helper of focuslex: the app shows user text through it or as plain text."""
    unlinked = _AUTOLINK.sub(WORD_JOINER, str(text))
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", unlinked)
    return "  \n".join(escaped.splitlines())
