"""Representative quotes of a term, chosen by a fixed rule (never at random).

The rule (`choose_quotes`), also printed in the methods annex of every report:
1. Candidates are the uses of the term in the selection by participants (or in statements),
   not by facilitators, unless only facilitators used it; of those, the uses whose sentence
   has at least `reports.quote_min_words` words, unless none has.
2. Stakeholder groups take turns, the group that used the term most first (ties: group name),
   one quote per group per turn, until `reports.quotes_per_term` quotes are chosen or the
   candidates run out. A speaker is quoted at most once per term while another speaker is
   left, and the same sentence never twice.
3. Within a group: a plain use (not negated, not only mentioned as a word) before a negated or
   mentioned one; then the sentence whose length is closest to the median sentence length of
   all candidates of the term (typical rather than extreme); then the earliest (round,
   document, position).

The quote is the sentence of the use as stored (pseudonymised), split around the term; a
sentence longer than `reports.quote_max_chars` is cut around the term at word boundaries.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from statistics import median
from typing import Any

import pandas as pd

from pipeline.analysis.comparison import round_key
from pipeline.analysis.concordance import MENTION_LABELS
from pipeline.core.settings import ReportSettings
from pipeline.reports.model import Quote


def split_sentence(sentence: str, text: str, start: int, end: int) -> tuple[str, str, str]:
    """(before, term, after) of a use at text[start:end] inside `sentence`. The sentence is
    looked up around the use in the document text; when it cannot be placed, the first
    occurrence of the used words in the sentence is taken."""
    term = text[start:end] if 0 <= start <= end <= len(text) else ""
    lo = max(0, start - len(sentence))
    at = text.find(sentence, lo, end + len(sentence)) if sentence else -1
    if at >= 0 and at <= start and end <= at + len(sentence):
        return sentence[:start - at], term, sentence[end - at:]
    pos = sentence.find(term) if term else -1
    if pos < 0:
        return sentence, "", ""
    return sentence[:pos], term, sentence[pos + len(term):]


def shorten(before: str, term: str, after: str, limit: int) -> tuple[str, str, str]:
    """Cut the sides at word boundaries so the whole fits in about `limit` characters."""
    room = max(0, limit - len(term))
    if len(before) + len(after) <= room:
        return before, term, after
    left = min(len(before), max(room // 2, room - len(after)))
    right = room - left
    if left < len(before):
        cut = before[len(before) - left:]
        space = cut.find(" ")
        before = "… " + (cut[space + 1:] if space >= 0 else cut).lstrip()
    if right < len(after):
        cut = after[:right]
        space = cut.rfind(" ")
        after = (cut[:space] if space > 0 else cut).rstrip() + " …"
    return before, term, after


def _words(sentence: str) -> int:
    return len(sentence.split())


def _note(hit: Any) -> str:
    notes = []
    if bool(hit.negated):
        notes.append("ontkend")
    if hit.mention:
        notes.append("als woord vermeld: " + MENTION_LABELS.get(hit.mention, hit.mention))
    return "; ".join(notes)


def _ranked(candidates: pd.DataFrame, typical: float) -> pd.DataFrame:
    ranked = candidates.assign(
        _marked=(candidates["negated"].astype(bool) | (candidates["mention"] != "")).astype(int),
        _dist=[abs(_words(s) - typical) for s in candidates["sentence"]],
        _round=[int(r) if r is not None and not pd.isna(r) else math.inf
                for r in candidates["round"]])
    return ranked.sort_values(["_marked", "_dist", "_round", "document", "start"],
                              kind="stable")


def choose_quotes(hits: pd.DataFrame, texts: Mapping[int, str], settings: ReportSettings,
                  facilitators: frozenset[str] = frozenset()) -> list[Quote]:
    """The quotes of one term's hits by the rule in the module docstring; `facilitators`
    are the speaker codes of facilitators."""
    if not len(hits) or settings.quotes_per_term <= 0:
        return []
    participants = hits[~hits["speaker"].isin(list(facilitators))]
    hits = participants if len(participants) else hits
    long_enough = hits[[_words(s) >= settings.quote_min_words for s in hits["sentence"]]]
    candidates = long_enough if len(long_enough) else hits
    typical = median(_words(s) for s in candidates["sentence"])
    uses = candidates["group"].value_counts()
    groups = sorted(uses.index, key=lambda g: (-int(uses[g]), str(g).casefold()))
    queues = {g: list(_ranked(candidates[candidates["group"] == g], typical)
                      .itertuples(index=False)) for g in groups}
    speakers = set(candidates["speaker"].fillna(""))
    chosen: list[Any] = []
    seen_speakers: set[str] = set()
    seen_sentences: set[str] = set()
    while len(chosen) < settings.quotes_per_term and any(queues.values()):
        for group in groups:
            if len(chosen) >= settings.quotes_per_term:
                break
            pick = _next(queues[group], seen_speakers, seen_sentences,
                         fresh_left=len(seen_speakers) < len(speakers))
            if pick is not None:
                chosen.append(pick)
                seen_speakers.add(pick.speaker or "")
                seen_sentences.add(pick.sentence)
    return [_quote(h, texts, settings) for h in chosen]


def _next(queue: list[Any], speakers: set[str], sentences: set[str], *,
          fresh_left: bool) -> Any | None:
    """Pop the best hit of a group's queue: a new sentence, by a new speaker while any is
    left."""
    for i, hit in enumerate(queue):
        if hit.sentence in sentences:
            continue
        if fresh_left and (hit.speaker or "") in speakers:
            continue
        return queue.pop(i)
    queue[:] = [h for h in queue if h.sentence not in sentences]
    if not fresh_left and queue:
        return queue.pop(0)
    return None


def _quote(hit: Any, texts: Mapping[int, str], settings: ReportSettings) -> Quote:
    parts = split_sentence(hit.sentence, texts.get(int(hit.document_id), ""), int(hit.start),
                           int(hit.end))
    before, term, after = shorten(*_spaced(parts), settings.quote_max_chars)
    rnd = round_key(hit.round)
    return Quote(before=before, term=term, after=after,
                 speaker=hit.speaker if isinstance(hit.speaker, str) else "",
                 group=str(hit.group), round=rnd if rnd.isdigit() else "",
                 document=str(hit.document), note=_note(hit))


def _spaced(parts: tuple[str, str, str]) -> tuple[str, str, str]:
    """Collapse inner whitespace but keep one space next to the term where there was one."""
    before, term, after = parts
    b = " ".join(before.split()) + (" " if before[-1:].isspace() else "")
    a = (" " if after[:1].isspace() else "") + " ".join(after.split())
    return b, " ".join(term.split()), a
