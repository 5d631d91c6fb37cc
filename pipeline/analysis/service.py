"""The service layer over stored analyses: what the command line (`focuslex terms kwic|compare`)
and the app (page *Termen*, *Lexicon*) both call, so neither assembles data itself.

- hits: `stored_hits` (all, refusing an empty store), `lexicon_entries` / `lexicon_labels`;
- choosing a term: `TermChoice` (`term_choice`: labels, counts, options most used first);
- filtering: `HitFilter` (group, round, speaker, use/mention, negation) and `filter_term`;
- concordance: `concordance` (KWIC lines of chosen hits with their stored texts);
- comparisons: `compare` (keyness by group or round), `usage_summary` (dispersion, negation,
  mentions, hits per group of one term);
- collocations: `Corpus` (`assemble_corpus`: content-token segments, words per group and
  round, share of utterances with a parse) and `term_collocations`;
- display tables with Dutch column names for the app (`concordance_table`,
  `collocation_table`, `keyness_table`) and `collocation_basis` (what the words are).

Functions take a `Store` or frames and return frames or dataclasses; no Streamlit, no click.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from lexicon.model import Entry
from lexicon.store import LexiconStore
from pipeline.analysis.collocations import (Segment, cached_token_tables, find_collocations,
                                            text_segments)
from pipeline.analysis.comparison import (NO_ROUND, dispersion, keyness, round_key,
                                          word_counts, words_by)
from pipeline.analysis.concordance import (MENTION_LABELS, document_texts, filter_hits, kwic,
                                           load_hits, term_labels)
from pipeline.core.groups import without_role_groups
from pipeline.core.errors import FocuslexError
from pipeline.store.database import Store

By = Literal["group", "round"]


# -- hits and the lexicon --------------------------------------------------------------------

def stored_hits(store: Store) -> pd.DataFrame:
    """Every stored hit as the hit frame; FX-TRM-052 when there are none."""
    hits = load_hits(store)
    if not len(hits):
        raise FocuslexError("FX-TRM-052")
    return hits


def lexicon_entries(store: Store) -> dict[str, Entry]:
    """term id -> Entry of the curated lexicon (empty when there is none)."""
    return {entry.id: entry for entry in LexiconStore(store).list()}


def lexicon_labels(store: Store) -> dict[str, str]:
    """term id -> preferred label of every lexicon term (empty when there is no lexicon)."""
    return {term_id: entry.label for term_id, entry in lexicon_entries(store).items()}


@dataclass(frozen=True)
class TermChoice:
    """The terms to choose from: labels (lexicon first, else as recorded with the hits), hit
    counts, and the ids most used first (then by label)."""

    labels: dict[str, str]
    counts: dict[str, int]
    options: list[str]

    def caption(self, term_id: str) -> str:
        return f"{self.labels[term_id]} ({self.counts.get(term_id, 0)}×)"

    @property
    def signature(self) -> str:
        """A short digest of every caption, in order: it changes when a count or a label
        does (after an analysis, a lexicon edit). The app keys its select box on it, so the
        browser shows the box anew instead of the caption the term was picked with."""
        text = "\n".join(self.caption(term_id) for term_id in self.options)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def term_choice(hits: pd.DataFrame, entries: Mapping[str, Entry]) -> TermChoice:
    labels = term_labels(hits, {i: e.label for i, e in entries.items()})
    counts = {str(k): int(v) for k, v in hits["term_id"].value_counts().items()}
    options = sorted(labels, key=lambda i: (-counts.get(i, 0), labels[i].casefold(), i))
    return TermChoice(labels, counts, options)


# -- filtering and the concordance -----------------------------------------------------------

@dataclass(frozen=True)
class HitFilter:
    """What to keep of a term's hits; empty means everything. `rounds` are `round_key`s
    ('1', '2', 'zonder ronde'); `mention` is "use", "mention" or a cue name; `negated`
    True/False or None for both."""

    groups: Sequence[str] = ()
    rounds: Sequence[str] = ()
    speakers: Sequence[str] = ()
    mention: str | None = None
    negated: bool | None = None
    uncertain: bool | None = None
    fuzzy: bool | None = None


def filter_term(hits: pd.DataFrame, term_id: str, chosen: HitFilter = HitFilter()
                ) -> pd.DataFrame:
    """The hits of one term narrowed by `chosen`."""
    rounds = [None if r == NO_ROUND else int(r) for r in chosen.rounds]
    return filter_hits(hits, term=term_id, group=list(chosen.groups) or None,
                       round=rounds or None, speaker=list(chosen.speakers) or None,
                       mention=chosen.mention, negated=chosen.negated,
                       uncertain=chosen.uncertain, fuzzy=chosen.fuzzy)


def round_options(hits: pd.DataFrame) -> list[str]:
    """The rounds of some hits as `round_key`s, in numeric order, 'zonder ronde' last."""
    keys = {round_key(r) for r in hits["round"]}
    return sorted(keys, key=lambda r: (r == NO_ROUND, int(r) if r.isdigit() else 0))


def concordance(store: Store, hits: pd.DataFrame, *, width: int = 60,
                limit: int | None = None) -> pd.DataFrame:
    """KWIC lines (`pipeline.analysis.concordance.KWIC_COLUMNS`) of the hits given, cut
    from the stored texts of their documents only."""
    texts = document_texts(store, hits["document_id"].unique())
    return kwic(hits, texts, width=width, limit=limit)


def concordance_table(lines: pd.DataFrame) -> pd.DataFrame:
    """KWIC lines for display: left context, term, right context, then who said it."""
    return pd.DataFrame({
        "links": lines["left"], "term": lines["keyword"], "rechts": lines["right"],
        "spreker": lines["speaker"].fillna("-"), "groep": lines["group"],
        "ronde": [round_key(r) for r in lines["round"]],
        "ontkend": lines["negated"].astype(bool),
        "onzeker": lines["uncertain"].astype(bool), "vaag": lines["fuzzy"].astype(bool),
        "vermelding": [MENTION_LABELS.get(m, m) if m else "" for m in lines["mention"]],
        "samenstelling": lines["compound_part"], "document": lines["document"],
    })


# -- comparisons -----------------------------------------------------------------------------

def compare(store: Store, hits: pd.DataFrame, by: By) -> pd.DataFrame:
    """Keyness of every term per group or round against the rest, with the words counted
    from the stored utterances (`pipeline.analysis.comparison.KEYNESS_COLUMNS`)."""
    words = words_by(word_counts(store.stored_utterances()), by)
    if by == "group":  # role groups (facilitators) are no stakeholder group: left out
        words = without_role_groups(words)
    return keyness(hits, words, by=by)


def keyness_table(hits: pd.DataFrame, counts: pd.DataFrame, by: By) -> pd.DataFrame:
    """Keyness of the hits given against `word_counts`, for display (Dutch columns)."""
    table = keyness(hits, without_role_groups(words_by(counts, by)), by=by)
    return pd.DataFrame({
        "groep" if by == "group" else "ronde": table["category"],
        "gebruik": table["hits"], "woorden": table["words"],
        "per 10.000": table["per_10k"].round(2),
        "rest per 10.000": table["rest_per_10k"].round(2),
        "G²": table["g2"].round(2), "p": table["p"].round(4),
        "log-ratio": table["log_ratio"].round(2),
    })


@dataclass(frozen=True)
class UsageSummary:
    """How widely one term is used."""

    hits: int
    speakers: int
    documents: int
    groups: int
    rounds: int  # real rounds only
    negated: int
    mentioned: int
    by_group: pd.DataFrame  # columns groep, gebruik
    no_round_documents: int = 0  # documents without a round (statements, say)


def usage_summary(term_hits: pd.DataFrame) -> UsageSummary | None:
    """Dispersion, negations, mentions and hits per group of one term's hits (None when
    there are none)."""
    if not len(term_hits):
        return None
    spread = dispersion(term_hits).iloc[0]
    by_group = term_hits["group"].value_counts().rename_axis("groep").rename("gebruik")
    return UsageSummary(
        hits=int(spread["hits"]), speakers=int(spread["speakers"]),
        documents=int(spread["documents"]), groups=int(spread["groups"]),
        rounds=int(spread["rounds"]), negated=int(term_hits["negated"].sum()),
        mentioned=int((term_hits["mention"] != "").sum()), by_group=by_group.reset_index(),
        no_round_documents=int(spread["no_round_documents"]))


# -- collocations ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Corpus:
    """What collocations and per-10k figures need of the stored texts."""

    segments: list[Segment]
    counts: pd.DataFrame  # words per group and round (`word_counts`)
    parsed_share: float   # share of utterances whose tokens come from the analysis' parse


def assemble_corpus(store: Store, cache_dir: Path) -> Corpus:
    """Content-token segments of every stored utterance (lemmas from the analysis' token
    cache where present, else words without stop words), words per group and round, and
    the share of utterances that had a parse. Loads no model and parses nothing."""
    utterances = store.stored_utterances()
    tables = cached_token_tables(store, Path(cache_dir), utterances)
    parsed = len(tables) / len(utterances) if utterances else 0.0
    return Corpus(text_segments(utterances, tables), word_counts(utterances), parsed)


def term_collocations(corpus: Corpus, hits: pd.DataFrame, term_id: str,
                      min_count: int) -> pd.DataFrame:
    """Collocations of one term, over all groups (group '') and per group."""
    return find_collocations(corpus.segments, hits, terms=[term_id], by_group=True,
                             min_count=min_count)


def collocation_table(collocations: pd.DataFrame, group: str) -> pd.DataFrame:
    """The collocations of one group ('' for all) for display (Dutch columns)."""
    rows = collocations[collocations["group"] == group]
    return pd.DataFrame({
        "woord": rows["collocate"], "samen": rows["cooc"],
        "frequentie": rows["collocate_freq"], "G²": rows["g2"].round(2),
        "logDice": rows["log_dice"].round(2),
    })


def collocation_basis(parsed_share: float) -> str:
    """In Dutch: which words count as content words, given the share of parsed utterances."""
    if parsed_share >= 0.999:
        return ("lemma's van zelfstandige naamwoorden, eigennamen, bijvoeglijke naamwoorden, "
                "werkwoorden en bijwoorden uit de taalanalyse")
    if parsed_share == 0:
        return "woorden zonder stopwoorden (de taalanalyse is niet beschikbaar)"
    return (f"lemma's uit de taalanalyse voor {parsed_share:.0%} van de beurten, elders "
            "woorden zonder stopwoorden")
