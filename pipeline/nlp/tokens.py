"""Token tables: the few token attributes that matching and collocations need from a parsed
text (text, offset, lemma, POS, head, dependency, sentence starts), without spaCy Docs.

`table_from_doc` takes them from a parsed Doc; `pipeline.nlp.cache` stores them in the light
token-table cache, so re-matching after a lexicon edit needs neither a parse nor Doc
deserialisation.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc


class TokenTable:
    """What matching needs from a parsed text; whitespace tokens left out. The columns other
    than words and lemmas may be decoded lazily (`TokenTable.lazy`): most texts have no hit,
    and only hits need offsets, POS, heads, dependencies and sentences."""

    __slots__ = ("words", "lemmas", "_idx", "_pos", "_heads", "_deps", "_sent_starts",
                 "_loader")

    def __init__(self, words: list[str], idx: list[int], lemmas: list[str], pos: list[str],
                 heads: list[int], deps: list[str], sent_starts: list[int]) -> None:
        self.words = words
        self.lemmas = lemmas
        self._idx, self._pos, self._heads, self._deps = idx, pos, heads, deps
        self._sent_starts = sent_starts
        self._loader: Callable[[], tuple[list[int], list[str], list[int], list[str],
                                         list[int]]] | None = None

    @classmethod
    def lazy(cls, words: list[str], lemmas: list[str],
             loader: Callable[[], tuple[list[int], list[str], list[int], list[str], list[int]]]
             ) -> "TokenTable":
        """A table whose other columns (idx, pos, heads, deps, sent_starts) come from
        `loader` on first use."""
        table = cls(words, [], lemmas, [], [], [], [])
        table._loader = loader
        return table

    def _load(self) -> None:
        if self._loader is not None:
            loader, self._loader = self._loader, None
            (self._idx, self._pos, self._heads, self._deps,
             self._sent_starts) = loader()

    @property
    def idx(self) -> list[int]:
        self._load()
        return self._idx

    @property
    def pos(self) -> list[str]:
        self._load()
        return self._pos

    @property
    def heads(self) -> list[int]:
        self._load()
        return self._heads

    @property
    def deps(self) -> list[str]:
        self._load()
        return self._deps

    @property
    def sent_starts(self) -> list[int]:
        self._load()
        return self._sent_starts or [0]

    def __len__(self) -> int:
        return len(self.words)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TokenTable):
            return NotImplemented
        return (self.words, self.idx, self.lemmas, self.pos, self.heads, self.deps,
                self.sent_starts) == (other.words, other.idx, other.lemmas, other.pos,
                                      other.heads, other.deps, other.sent_starts)


def table_from_doc(doc: Doc) -> TokenTable:
    """The token table of a parsed Doc (sentences from the parser or sentencizer; without
    either the text is one sentence)."""
    keep = [t for t in doc if not t.is_space]
    where = {t.i: k for k, t in enumerate(keep)}
    starts = {0} if keep else set()
    if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
        for sent in doc.sents:
            first = next((t for t in sent if not t.is_space), None)
            if first is not None:
                starts.add(where[first.i])
    return TokenTable(
        words=[t.text for t in keep], idx=[t.idx for t in keep],
        lemmas=[t.lemma_ for t in keep], pos=[t.pos_ for t in keep],
        heads=[where.get(t.head.i, k) for k, t in enumerate(keep)],
        deps=[t.dep_ for t in keep], sent_starts=sorted(starts) or [0])
