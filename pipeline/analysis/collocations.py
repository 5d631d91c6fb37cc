"""Collocations of lexicon terms: which content words occur near a term more than chance.

The unit of text is a `Segment` (one utterance: a speaker turn or a statement paragraph) given
as a sequence of content tokens with character offsets into the stored document text. A hit
is mapped onto the token positions it covers (its *node*); its window is the `window` content
tokens to the left of the node and the `window` to its right, never crossing the segment.

Counting, per term (and per stakeholder group when asked):
- `cooc` (f_xy, O11): occurrences of collocate c at token positions inside the union of the
  term's windows in a segment. Taking the union means a position near two hits counts once,
  so every cell of the contingency table stays a count of token positions.
- `window_tokens` (R1): positions in those windows; `collocate_freq` (f_y, C1): occurrences of
  c in all segments considered; `total_tokens` (N): all content tokens considered;
  `node_freq` (f_x): number of hits of the term.

Scores:
- log-likelihood G² (Dunning 1993, `pipeline.analysis.stats.contingency_g2`) over the 2x2
  table window/outside × c/other:
  G² = 2 Σ O_ij ln(O_ij / E_ij), E_ij = row_i × col_j / N; signed: negative when c occurs
  less often in the windows than expected (O11 < E11).
- logDice (Rychlý 2008): 14 + log2(2 f_xy / (f_x + f_y)).

Content tokens: from a parse (a spaCy Doc, or the token table the last `focuslex analyse` cached,
see `cached_token_tables`) the lemmas of NOUN/PROPN/ADJ/VERB/ADV tokens that are not stop
words (`doc_content_tokens`); without a parse, lower-cased word forms that are not Dutch stop
words (`content_tokens`, spaCy's `spacy.lang.nl.stop_words`). Pseudonym placeholders ("[P07]")
and tokens with digits are never content words.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pandas as pd
from spacy.lang.nl.stop_words import STOP_WORDS
from spacy.tokens import Doc

from pipeline.analysis.concordance import check_hits
from pipeline.core.records import StoredUtterance
from pipeline.store.database import Store
from pipeline.analysis.stats import contingency_g2, log_dice
from pipeline.nlp.cache import stored_tables

# A content token: (key, start, end); key is the lower-cased lemma or word form, offsets are
# character offsets into the stored document text.
Token = tuple[str, int, int]

CONTENT_POS: frozenset[str] = frozenset({"NOUN", "PROPN", "ADJ", "VERB", "ADV"})
# spaCy spells some with a typographic apostrophe ("zo’n"); tokens are keyed with "'".
DUTCH_STOP_WORDS: frozenset[str] = frozenset(
    w.replace("’", "'").replace("‘", "'") for w in STOP_WORDS)
# The `group` value of collocations computed over all groups together.
ALL_GROUPS = ""

COLLOCATION_COLUMNS: tuple[str, ...] = (
    "term_id", "group", "collocate", "cooc", "collocate_freq", "node_freq", "window_tokens",
    "total_tokens", "expected", "g2", "log_dice",
)

# A placeholder is skipped as a whole; a word is letters with inner hyphens or apostrophes.
_WORD = re.compile(r"\[[^\]\n]{0,40}\]|([^\W\d_]+(?:[-'’][^\W\d_]+)*)")


@dataclass(frozen=True)
class Segment:
    """Content tokens of one utterance, with where it belongs."""

    document_id: int
    utterance_index: int
    group: str
    tokens: Sequence[Token]


def content_tokens(text: str, offset: int = 0,
                   stop_words: frozenset[str] = DUTCH_STOP_WORDS) -> list[Token]:
    """Lower-cased words of `text` that are not stop words (offsets shifted by `offset`)."""
    out: list[Token] = []
    for match in _WORD.finditer(text):
        if match.group(1) is None:
            continue
        key = match.group(1).casefold().replace("’", "'")
        if len(key) < 2 or key in stop_words:
            continue
        out.append((key, match.start() + offset, match.end() + offset))
    return out


class TokenColumns(Protocol):
    """Parallel token attributes of a parsed text (e.g. `pipeline.terms.matcher.TokenTable`)."""

    words: Sequence[str]
    idx: Sequence[int]
    lemmas: Sequence[str]
    pos: Sequence[str]


def doc_content_tokens(doc: Doc | TokenColumns, offset: int = 0,
                       stop_words: frozenset[str] = DUTCH_STOP_WORDS) -> list[Token]:
    """Lemmas of the content words (NOUN/PROPN/ADJ/VERB/ADV) of a parsed Doc or token table;
    stop-word lemmas ("niet", "ook" are ADV) and placeholders ("[P07]") are left out."""
    if isinstance(doc, Doc):
        words = [t.text for t in doc]
        return column_content_tokens(words, [t.idx for t in doc], [t.lemma_ for t in doc],
                                     [t.pos_ for t in doc], offset, stop_words)
    return column_content_tokens(doc.words, doc.idx, doc.lemmas, doc.pos, offset, stop_words)


def column_content_tokens(words: Sequence[str], idx: Sequence[int], lemmas: Sequence[str],
                          pos: Sequence[str], offset: int = 0,
                          stop_words: frozenset[str] = DUTCH_STOP_WORDS) -> list[Token]:
    """`doc_content_tokens` over parallel token attributes."""
    out: list[Token] = []
    last = len(words) - 1
    for i, (word, start, lemma, tag) in enumerate(zip(words, idx, lemmas, pos)):
        if tag not in CONTENT_POS or any(c.isdigit() for c in word):
            continue
        if 0 < i < last and words[i - 1] == "[" and words[i + 1] == "]":
            continue
        key = (lemma or word).casefold().replace("’", "'")
        if len(key) < 2 or key in stop_words or not any(c.isalpha() for c in key):
            continue
        out.append((key, start + offset, start + len(word) + offset))
    return out


def node_span(tokens: Sequence[Token], start: int, end: int) -> tuple[int, int]:
    """Token positions [i, j) that overlap the characters [start, end); an empty range at
    the insertion point when no content token overlaps (the term itself was filtered out)."""
    starts = [t[1] for t in tokens]
    i = bisect_left(starts, start)
    # a token that starts before `start` may still overlap it
    if i > 0 and tokens[i - 1][2] > start:
        i -= 1
    j = i
    while j < len(tokens) and tokens[j][1] < end:
        j += 1
    return i, j


def window_positions(length: int, nodes: Iterable[tuple[int, int]], window: int) -> set[int]:
    """Positions within `window` tokens left and right of any node, minus the nodes."""
    nodes = list(nodes)
    inside: set[int] = set()
    covered: set[int] = set()
    for i, j in nodes:
        covered.update(range(i, j))
        inside.update(range(max(0, i - window), i))
        inside.update(range(j, min(length, j + window)))
    return inside - covered


def score(cooc: Mapping[str, int], window_tokens: int, node_freq: int,
          freqs: Mapping[str, int], total: int, *, min_count: int = 2,
          attracted_only: bool = True) -> list[dict[str, float | int | str]]:
    """Rows of scores for each collocate seen at least `min_count` times in the windows."""
    rows: list[dict[str, float | int | str]] = []
    for word, o11 in cooc.items():
        if o11 < min_count:
            continue
        c1 = freqs[word]
        expected = window_tokens * c1 / total if total else 0.0
        if attracted_only and o11 <= expected:
            continue
        rows.append({"collocate": word, "cooc": o11, "collocate_freq": c1,
                     "node_freq": node_freq, "window_tokens": window_tokens,
                     "total_tokens": total, "expected": expected,
                     "g2": contingency_g2(o11, window_tokens, c1, total),
                     "log_dice": log_dice(o11, node_freq, c1)})
    return rows


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=list(COLLOCATION_COLUMNS))


def find_collocations(segments: Sequence[Segment], hits: pd.DataFrame, *, window: int = 5,
                      min_count: int = 2, by_group: bool = False,
                      attracted_only: bool = True, terms: Sequence[str] | None = None
                      ) -> pd.DataFrame:
    """Collocations per term over `segments` (`COLLOCATION_COLUMNS`), sorted by term, group
    and G² (strongest first). Overall rows have group `ALL_GROUPS`; with `by_group` each
    stakeholder group gets its own rows, scored against that group's segments only.

    Hits are placed by (document_id, utterance_index); hits without a segment are ignored."""
    check_hits(hits)
    if terms is not None:
        hits = hits[hits["term_id"].isin(list(terms))]
    if not len(hits) or not segments:
        return _empty()
    nodes = _term_nodes(segments, hits)
    scopes: list[tuple[str, list[Segment]]] = [(ALL_GROUPS, list(segments))]
    if by_group:
        grouped: dict[str, list[Segment]] = defaultdict(list)
        for segment in segments:
            grouped[segment.group].append(segment)
        scopes += sorted(grouped.items())
    frames = [row for group, scope in scopes
              for row in _scope_rows(group, scope, nodes, window, min_count, attracted_only)]
    if not frames:
        return _empty()
    out = pd.DataFrame(frames, columns=list(COLLOCATION_COLUMNS))
    order = {g: i for i, (g, _) in enumerate(scopes)}
    out["_scope"] = out["group"].map(order)
    out = out.sort_values(["term_id", "_scope", "g2", "collocate"],
                          ascending=[True, True, False, True], kind="stable")
    return out.drop(columns="_scope").reset_index(drop=True)


Nodes = dict[str, dict[tuple[int, int], list[tuple[int, int]]]]


def _term_nodes(segments: Sequence[Segment], hits: pd.DataFrame) -> Nodes:
    """term -> (document_id, utterance_index) -> token spans of its hits in that segment;
    hits without a segment are left out."""
    by_key = {(s.document_id, s.utterance_index): s for s in segments}
    nodes: Nodes = defaultdict(lambda: defaultdict(list))
    for term_id, doc_id, index, start, end in zip(hits["term_id"], hits["document_id"],
                                                 hits["utterance_index"], hits["start"],
                                                 hits["end"]):
        key = (int(doc_id), int(index))
        segment = by_key.get(key)
        if segment is not None:
            nodes[term_id][key].append(node_span(segment.tokens, int(start), int(end)))
    return nodes


def _scope_rows(group: str, scope: Sequence[Segment], nodes: Nodes, window: int,
                min_count: int, attracted_only: bool) -> list[dict[str, float | int | str]]:
    """Scored collocates of every term, counted over the segments of one scope."""
    freqs: Counter[str] = Counter()
    for segment in scope:
        freqs.update(t[0] for t in segment.tokens)
    total = sum(freqs.values())
    in_scope = {(s.document_id, s.utterance_index): s for s in scope}
    rows: list[dict[str, float | int | str]] = []
    for term_id in sorted(nodes):
        cooc: Counter[str] = Counter()
        window_tokens = node_freq = 0
        for key, spans in nodes[term_id].items():
            segment = in_scope.get(key)
            if segment is None:
                continue
            node_freq += len(spans)
            positions = window_positions(len(segment.tokens), spans, window)
            window_tokens += len(positions)
            cooc.update(segment.tokens[p][0] for p in positions)
        if not node_freq:
            continue
        for row in score(cooc, window_tokens, node_freq, freqs, total,
                         min_count=min_count, attracted_only=attracted_only):
            rows.append({"term_id": term_id, "group": group, **row})
    return rows


def text_segments(utterances: Iterable[StoredUtterance],
                  docs: Mapping[tuple[int, int], Doc | TokenColumns] | None = None
                  ) -> list[Segment]:
    """Segments from stored utterances (`Store.stored_utterances`).

    An utterance with a parse in `docs` (a Doc or token table of the utterance text, keyed by
    (document_id, utterance_index)) uses its content-word lemmas, any other the stop-word
    list on its word forms."""
    docs = docs or {}
    out: list[Segment] = []
    for u in utterances:
        parsed = docs.get((u.document_id, u.index))
        tokens = (doc_content_tokens(parsed, u.char_start) if parsed is not None
                  else content_tokens(u.text, u.char_start))
        out.append(Segment(u.document_id, u.index, u.group, tokens))
    return out


def cached_token_tables(store: Store, cache_dir: Path,
                        utterances: Sequence[StoredUtterance]
                        ) -> dict[tuple[int, int], TokenColumns]:
    """Token tables of the utterances as the last `focuslex analyse` left them in its token
    cache (`pipeline.nlp.cache`), keyed by (document_id, utterance_index): no model is loaded
    and nothing is parsed. Utterances without a readable table are left out (they fall back
    to the stop-word list); so is everything when no analysis ran yet."""
    run = store.last_run("analyse")
    model = (run.details or {}).get("model") if run is not None else None
    ident = model.get("id") if isinstance(model, dict) else None
    if not ident:
        return {}
    tables = stored_tables(Path(cache_dir), ident, [u.text for u in utterances])
    return {(u.document_id, u.index): table for u, table in zip(utterances, tables)
            if table is not None}
