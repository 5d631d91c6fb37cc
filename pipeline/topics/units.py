"""Units of the topic model: sentences (or short chunks of sentences) of participants' turns
and of statements, with where they come from.

Facilitator turns are left out (their prompts would become topics of their own), and so are
sentences shorter than `topics.min_unit_words` words (back-channels and fillers: "Ja, klopt.",
"Euh, allee."). Each unit keeps its document, turn, character offsets into the stored
document text, speaker code, stakeholder group and round, and the content lemmas the topic
words are made of: the lemmas of the bundled spaCy pipeline, read from the token tables that
`focuslex analyse` cached (nothing is parsed again). A turn without a cached table falls back
to its lower-cased words and a simple sentence split.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pipeline.terms.matcher import TokenTable
from pipeline.core.records import StoredUtterance
from pipeline.core.settings import TopicSettings

_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"'‘“(\[]?[A-ZÀ-Ý0-9])")


@dataclass(frozen=True, slots=True)
class Unit:
    """One unit of the topic model. `start`/`end` are offsets into the stored document text;
    `lemmas` the lower-cased lemmas of its words (the vectorizer's input)."""

    document_id: int
    document: str
    utterance_index: int
    unit: int
    start: int
    end: int
    speaker: str | None
    group: str
    round: int | None
    text: str
    lemmas: str

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.document_id, self.start, self.end)


@dataclass(frozen=True, slots=True)
class _Sentence:
    start: int
    end: int
    words: int
    lemmas: list[str]


def _table_sentences(text: str, table: TokenTable) -> list[_Sentence]:
    starts = list(table.sent_starts) + [len(table.words)]
    out: list[_Sentence] = []
    for first, stop in zip(starts, starts[1:]):
        if stop <= first:
            continue
        last = stop - 1
        words = [w for w in table.words[first:stop] if _WORD.fullmatch(w)]
        lemmas = [(lemma or word).lower() for word, lemma in
                  zip(table.words[first:stop], table.lemmas[first:stop]) if _WORD.fullmatch(word)]
        out.append(_Sentence(table.idx[first], table.idx[last] + len(table.words[last]),
                             len(words), lemmas))
    return out


def _plain_sentences(text: str) -> list[_Sentence]:
    out: list[_Sentence] = []
    position = 0
    for part in _SENTENCE_END.split(text):
        start = text.find(part, position)
        position = start + len(part)
        stripped = part.strip()
        if not stripped:
            continue
        start += len(part) - len(part.lstrip())
        words = _WORD.findall(stripped)
        out.append(_Sentence(start, start + len(stripped), len(words),
                             [w.lower() for w in words]))
    return out


def _chunks(sentences: list[_Sentence], max_words: int) -> list[_Sentence]:
    """Consecutive sentences joined while they stay within `max_words` (0: one each)."""
    if max_words <= 0:
        return sentences
    out: list[_Sentence] = []
    for sentence in sentences:
        last = out[-1] if out else None
        if last is not None and last.words + sentence.words <= max_words:
            out[-1] = _Sentence(last.start, sentence.end, last.words + sentence.words,
                                last.lemmas + sentence.lemmas)
        else:
            out.append(sentence)
    return out


def make_units(utterances: Sequence[StoredUtterance], file_names: Mapping[int, str],
               tables: Mapping[tuple[int, int], TokenTable], facilitators: set[str],
               settings: TopicSettings) -> list[Unit]:
    """The units of the utterances, in a stable order (document file name, then offset):
    the same corpus gives the same units in the same order on every run."""
    units: list[Unit] = []
    for u in utterances:
        if u.speaker is not None and u.speaker in facilitators:
            continue
        table = tables.get((u.document_id, u.index))
        sentences = (_table_sentences(u.text, table) if table is not None and len(table)
                     else _plain_sentences(u.text))
        kept = [s for s in sentences if s.words >= settings.min_unit_words]
        for number, part in enumerate(_chunks(kept, settings.unit_words)):
            units.append(Unit(
                document_id=u.document_id, document=file_names.get(u.document_id, ""),
                utterance_index=u.index, unit=number, start=u.char_start + part.start,
                end=u.char_start + part.end, speaker=u.speaker, group=u.group, round=u.round,
                text=u.text[part.start:part.end], lemmas=" ".join(part.lemmas)))
    units.sort(key=lambda x: (x.document, x.document_id, x.start))
    return units
