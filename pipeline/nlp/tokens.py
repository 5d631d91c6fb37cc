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



Tokenise = Callable[[str], list[tuple[int, str]]]


def replace_in_table(table: TokenTable, text: str, replacements: list[tuple[int, int, str]],
                     tokenise: Tokenise) -> tuple[str, TokenTable]:
    """The text and token table after replacing character spans of `text` (left to right,
    not overlapping) by new strings, without parsing again: tokens outside the spans keep
    their attributes (offsets shifted); the tokens a span touches become the tokens
    `tokenise` gives for the new string (with what the span left of those tokens), lemma =
    word, POS PROPN, the first one taking the place of the span's highest token in the tree
    (its head and dependency), the others `flat:name` under it. Used by the ingest, whose
    name detection parsed the original text, so that `analyse` needs no second parse.
    ValueError when a new string gives no token."""
    if not replacements:
        return text, table
    return _Rebuild(table, text, tokenise).run(_merged(text, sorted(replacements)))


def _merged(text: str, replacements: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Replacements with no whitespace between them as one ("motie-Bosma/Snels": two names
    in one token), so that no token is touched by two."""
    out: list[tuple[int, int, str]] = []
    for start, end, new in replacements:
        if out and not any(c.isspace() for c in text[out[-1][1]:start]):
            first, last, joined = out[-1]
            out[-1] = (first, end, joined + text[last:start] + new)
        else:
            out.append((start, end, new))
    return out


class _Rebuild:
    """The state of one `replace_in_table`."""

    def __init__(self, table: TokenTable, text: str, tokenise: Tokenise) -> None:
        self.old, self.text, self.tokenise = table, text, tokenise
        self.ends = [i + len(w) for i, w in zip(table.idx, table.words)]
        self.depth = _depths(table.heads)
        self.starts = set(table.sent_starts)
        self.cols: dict[str, list] = {k: [] for k in ("words", "idx", "lemmas", "pos",
                                                     "deps", "origin")}
        self.new_of = [0] * len(table)  # old token -> new token
        self.new_starts: set[int] = set()
        self.shift = 0

    def _add(self, word: str, offset: int, lemma: str, pos: str, dep: str, origin: int,
             *, start: bool) -> int:
        """origin: the old token whose head the new one takes (-1: the previous new root)."""
        new = len(self.cols["words"])
        for key, value in (("words", word), ("idx", offset), ("lemmas", lemma), ("pos", pos),
                           ("deps", dep), ("origin", origin)):
            self.cols[key].append(value)
        if start:
            self.new_starts.add(new)
        return new

    def _keep_until(self, k: int, stop: Callable[[int], bool]) -> int:
        old = self.old
        while k < len(old) and not stop(k):
            self.new_of[k] = self._add(old.words[k], old.idx[k] + self.shift, old.lemmas[k],
                                       old.pos[k], old.deps[k], k, start=k in self.starts)
            k += 1
        return k

    def _replace(self, first: int, k: int, start: int, end: int, new: str) -> int:
        """Tokens first..k-1 touched by the span start..end -> the tokens of `new`; returns
        where the next piece of the text begins."""
        touched = range(first, k)
        left = min(start, self.old.idx[first]) if touched else start
        right = max(end, self.ends[k - 1]) if touched else end
        chunk = self.text[left:start] + new + self.text[end:right]
        tokens = self.tokenise(chunk)
        if not tokens:
            raise ValueError(f"no token in {chunk!r}")
        root = min(touched, key=lambda t: (self.depth[t], t)) if touched else -1
        base = len(self.cols["words"])
        for j, (offset, word) in enumerate(tokens):
            self._add(word, left + self.shift + offset, word, "PROPN",
                      self.old.deps[root] if j == 0 and root >= 0 else "flat:name",
                      root if j == 0 else -2 - base,
                      start=j == 0 and any(t in self.starts for t in touched))
        for t in touched:
            self.new_of[t] = base
        self.pieces.append(self.text[self.cursor:left] + chunk)
        self.shift += len(chunk) - (right - left)
        return right

    def run(self, replacements: list[tuple[int, int, str]]) -> tuple[str, TokenTable]:
        self.pieces: list[str] = []
        self.cursor, k = 0, 0
        for start, end, new in replacements:
            k = self._keep_until(k, lambda t: self.ends[t] > start)
            first = k
            while k < len(self.old) and self.old.idx[k] < end:
                k += 1
            self.cursor = self._replace(first, k, start, end, new)
        self._keep_until(k, lambda t: False)
        self.pieces.append(self.text[self.cursor:])
        heads = []
        for i, origin in enumerate(self.cols["origin"]):
            if origin < -1:  # a later token of a replacement: under its first one
                heads.append(-2 - origin)
            elif origin < 0 or self.old.heads[origin] == origin:
                heads.append(i)
            else:
                heads.append(self.new_of[self.old.heads[origin]])
        c = self.cols
        return "".join(self.pieces), TokenTable(
            c["words"], c["idx"], c["lemmas"], c["pos"], heads, c["deps"],
            sorted(self.new_starts) or ([0] if c["words"] else []))


def _depths(heads: list[int]) -> list[int]:
    """Each token's distance from the top of its tree (a token heading itself is 0; a cycle
    counts as a top)."""
    depth = [-1] * len(heads)
    for i in range(len(heads)):
        path: list[int] = []
        j = i
        while depth[j] < 0 and heads[j] != j and j not in path:
            path.append(j)
            j = heads[j]
        if depth[j] < 0:
            depth[j] = 0
        d = depth[j]
        for p in reversed(path):
            d += 1
            depth[p] = d
    return depth
