"""Text keys shared by every stage: one fold and the word lists it is used with.

`fold` lower-cases and strips diacritics one character for one character, so offsets in the
folded text are offsets in the original (the name detector and the speaker readers rely on
that). `common_dutch_words` are the word forms of spacy-lookups-data's Dutch lemma table.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
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
