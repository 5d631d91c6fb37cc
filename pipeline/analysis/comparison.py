"""Comparison of term use across stakeholder groups and rounds.

- `keyness`: for every term and every group (or round), is the term used more or less in that
  group than in the rest of the corpus? Log-likelihood G² over the two frequencies (Rayson &
  Garside 2000, `pipeline.analysis.stats.frequency_g2`), signed (+ more in the group, - less),
  with its p-value (chi-square, 1 df),
  and two effect sizes: log ratio (Hardie 2014; a zero frequency counts as 0.5) and %DIFF
  (Gabrielatos & Marchi 2012; infinite when the rest never uses the term). Frequencies are
  also given per 10,000 words, with the words per group/round counted from the store.
- `dispersion`: distinct speakers, documents, groups and rounds per term.
- `term_matrix` / `group_round_table`: hits per term × group × round (absolute or per
  10,000 words).

Words are counted as `Store.status` counts them (whitespace-separated, per utterance, in the
group of the speaker, else of the document), so per-10k figures match the overview page.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Literal

import pandas as pd

from pipeline.analysis.concordance import check_hits
from pipeline.core.records import StoredUtterance
from pipeline.analysis.stats import frequency_g2, log_ratio, p_value, pct_diff

By = Literal["group", "round"]

NO_ROUND = "zonder ronde"
PER = 10_000

KEYNESS_COLUMNS: tuple[str, ...] = (
    "term_id", "label", "category", "hits", "words", "per_10k", "rest_hits", "rest_words",
    "rest_per_10k", "g2", "p", "log_ratio", "pct_diff",
)
DISPERSION_COLUMNS: tuple[str, ...] = (
    "term_id", "label", "hits", "speakers", "documents", "groups", "rounds",
    "no_round_documents",
)
MATRIX_COLUMNS: tuple[str, ...] = ("term_id", "label", "group", "round", "hits", "words",
                                   "per_10k")


def round_key(value: object) -> str:
    """The key of a round: '1', '2', ... or 'zonder ronde' (as in `Store.status`)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return NO_ROUND
    try:
        return str(int(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return str(value)


def _sort_key(value: str) -> tuple[int, int, str]:
    """Rounds in numeric order, 'zonder ronde' last; other keys alphabetically."""
    if value.isdigit():
        return (0, int(value), "")
    return (1 if value == NO_ROUND else 0, 0, value.casefold())


def word_counts(utterances: Iterable[StoredUtterance]) -> pd.DataFrame:
    """Words per (group, round) over stored utterances: columns group, round, words."""
    counts: dict[tuple[str, str], int] = {}
    for u in utterances:
        key = (u.group, round_key(u.round))
        counts[key] = counts.get(key, 0) + len(u.text.split())
    rows = [{"group": g, "round": r, "words": n} for (g, r), n in counts.items()]
    frame = pd.DataFrame(rows, columns=["group", "round", "words"])
    return frame.astype({"words": "int64"})


def words_by(counts: pd.DataFrame, by: By) -> dict[str, int]:
    """Words per group or per round (keys as in `round_key`) from `word_counts`."""
    if not len(counts):
        return {}
    totals = counts.groupby(by)["words"].sum()
    return {str(k): int(v) for k, v in sorted(totals.items(), key=lambda kv: _sort_key(str(kv[0])))}


def _category(hits: pd.DataFrame, by: By) -> pd.Series:
    if by == "round":
        return hits["round"].map(round_key)
    return hits["group"].fillna("").astype(str)


def keyness(hits: pd.DataFrame, words: Mapping[str, int], by: By = "group") -> pd.DataFrame:
    """Keyness of every term in every group (or round) against the rest (`KEYNESS_COLUMNS`).

    `words` maps the categories (groups, or rounds as `round_key`) to their word counts;
    categories without words are left out, and so are their hits. Sorted by term, then G²
    (most characteristic first)."""
    check_hits(hits)
    words = {str(k): int(v) for k, v in words.items() if v and int(v) > 0}
    total = sum(words.values())
    if not len(hits) or not words:
        return pd.DataFrame(columns=list(KEYNESS_COLUMNS))
    frame = hits.assign(category=_category(hits, by))
    frame = frame[frame["category"].isin(list(words))]
    counts = frame.groupby(["term_id", "category"]).size()
    labels = hits.drop_duplicates("term_id").set_index("term_id")["label"]
    rows = []
    for term_id in sorted(frame["term_id"].unique()):
        term_counts = counts.loc[term_id]
        term_total = int(term_counts.sum())
        for category, n1 in words.items():
            a = int(term_counts.get(category, 0))
            b = term_total - a
            n2 = total - n1
            g2 = frequency_g2(a, b, n1, n2) if n2 else 0.0
            rows.append({
                "term_id": term_id, "label": labels.get(term_id, term_id), "category": category,
                "hits": a, "words": n1, "per_10k": a * PER / n1,
                "rest_hits": b, "rest_words": n2,
                "rest_per_10k": b * PER / n2 if n2 else math.nan,
                "g2": g2, "p": p_value(g2),
                "log_ratio": log_ratio(a, b, n1, n2) if n2 else math.nan,
                "pct_diff": pct_diff(a, b, n1, n2) if n2 else math.nan,
            })
    out = pd.DataFrame(rows, columns=list(KEYNESS_COLUMNS))
    return out.sort_values(["term_id", "g2", "category"], ascending=[True, False, True],
                           kind="stable").reset_index(drop=True)


def dispersion(hits: pd.DataFrame) -> pd.DataFrame:
    """Per term: hits and the number of distinct speakers, documents, groups and rounds
    (`DISPERSION_COLUMNS`), most widely used first (speakers, then documents, then hits).
    `rounds` counts real rounds only; the documents without a round (statements, say) are
    counted apart in `no_round_documents`."""
    check_hits(hits)
    if not len(hits):
        return pd.DataFrame(columns=list(DISPERSION_COLUMNS))
    keys = hits["round"].map(round_key)
    frame = hits.assign(_round=keys.where(keys != NO_ROUND),
                        _no_round=hits["document_id"].where(keys == NO_ROUND))
    grouped = frame.groupby("term_id")
    out = pd.DataFrame({
        "label": grouped["label"].first(),
        "hits": grouped.size(),
        "speakers": grouped["speaker"].nunique(dropna=True),
        "documents": grouped["document_id"].nunique(),
        "groups": grouped["group"].nunique(dropna=True),
        "rounds": grouped["_round"].nunique(),
        "no_round_documents": grouped["_no_round"].nunique(),
    }).reset_index()
    out = out[list(DISPERSION_COLUMNS)]
    return out.sort_values(["speakers", "documents", "hits", "term_id"],
                           ascending=[False, False, False, True], kind="stable"
                           ).reset_index(drop=True)


def term_matrix(hits: pd.DataFrame, counts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Hits per term × group × round in long form (`MATRIX_COLUMNS`); with `counts` (from
    `word_counts`) also the words of that group in that round and hits per 10,000 words."""
    check_hits(hits)
    if not len(hits):
        return pd.DataFrame(columns=list(MATRIX_COLUMNS))
    frame = hits.assign(round=hits["round"].map(round_key), group=hits["group"].fillna(""))
    out = (frame.groupby(["term_id", "group", "round"]).agg(label=("label", "first"),
                                                            hits=("term_id", "size"))
           .reset_index())
    if counts is not None and len(counts):
        out = out.merge(counts, on=["group", "round"], how="left")
        out["words"] = out["words"].fillna(0).astype("int64")
        out["per_10k"] = [h * PER / w if w else math.nan for h, w in zip(out["hits"],
                                                                         out["words"])]
    else:
        out["words"] = 0
        out["per_10k"] = math.nan
    out = out[list(MATRIX_COLUMNS)]
    out["_r"] = out["round"].map(_sort_key)
    return (out.sort_values(["term_id", "group", "_r"], kind="stable").drop(columns="_r")
            .reset_index(drop=True))


def group_round_table(hits: pd.DataFrame, counts: pd.DataFrame | None = None, *,
                      per_10k: bool = False) -> pd.DataFrame:
    """Groups (rows) × rounds (columns) of the hits given (filter them to one term first).

    Absolute hits, or hits per 10,000 words of that group in that round when `per_10k`
    (needs `counts`). Every group and round with words in `counts` appears, zero-filled, so
    absent use shows as absent rather than missing."""
    check_hits(hits)
    frame = hits.assign(round=hits["round"].map(round_key), group=hits["group"].fillna(""))
    table = frame.groupby(["group", "round"]).size().rename("hits")
    groups = set(frame["group"])
    rounds = set(frame["round"])
    if counts is not None and len(counts):
        groups |= set(counts["group"])
        rounds |= set(counts["round"])
    index = sorted(groups, key=_sort_key)
    columns = sorted(rounds, key=_sort_key)
    out = table.unstack("round") if len(table) else pd.DataFrame()
    out = out.reindex(index=index, columns=columns).fillna(0).astype("int64")
    out.index.name, out.columns.name = "group", "round"
    if per_10k:
        if counts is None:
            raise ValueError("per_10k needs word counts")
        words = (counts.set_index(["group", "round"])["words"].unstack("round")
                 .reindex(index=index, columns=columns).fillna(0))
        out = (out * PER / words.where(words > 0)).astype("float64")
    return out
