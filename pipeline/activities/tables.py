"""The stored activity suggestions and decisions as pandas frames: what the app page
*Activiteiten*, the CLI and the reports read.

- `load_suggestions(store)`: one row per unit and suggested activity, with its status
  (suggested / confirmed / rejected: the latest decision) and who decided when;
- `document_activities(store)`: per document and activity a score (the mean of the unit
  scores of its best suggestions) and the counts by status;
- `activity_matrix(store)`: activity x stakeholder group with counts of confirmed and of
  open suggestions and evidence quotes per cell (confirmed quotes first; the others are
  marked as suggestions);
- `export_activities(...)`: `focuslex activities export` (csv or jsonl), leak-scanned.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipeline.activities.model import ACTIVITY_IDS, LABELS
from pipeline.activities.suggest import CONFIRMED, REJECTED, SUGGESTED
from pipeline.core.errors import FocuslexError
from pipeline.core.settings import Settings
from pipeline.privacy.leaks import leak_scanner
from pipeline.store.activities import ActivityStore
from pipeline.store.database import Store
from pipeline.topics.tables import format_rows

SUGGESTION_COLUMNS: tuple[str, ...] = (
    "document", "document_id", "utterance_index", "unit", "start", "end", "speaker", "group",
    "round", "text", "activity", "activity_label", "score", "rank", "terms", "status",
    "decided_by", "decided_at")
EXPORT_COLUMNS: tuple[str, ...] = ("document", "unit", "start", "end", "group", "round",
                                   "activity", "score", "status")
MATRIX_COLUMNS: tuple[str, ...] = ("activity", "activity_label", "group", "confirmed",
                                   "suggested", "rejected", "quotes")
STATUS_LABELS: dict[str, str] = {SUGGESTED: "voorgesteld", CONFIRMED: "bevestigd",
                                 REJECTED: "verworpen"}
QUOTES_PER_CELL = 3


def load_suggestions(store: Store) -> pd.DataFrame:
    """Every stored suggestion with its status (SUGGESTION_COLUMNS), in document order."""
    activities = ActivityStore(store)
    rows = activities.suggestions()
    if not rows:
        return pd.DataFrame(columns=list(SUGGESTION_COLUMNS))
    latest: dict[tuple[int, int, int, str], dict[str, Any]] = {}
    for decision in activities.decisions():
        latest[(decision["document_id"], decision["start"], decision["end"],
                decision["activity"])] = decision
    out = []
    for row in rows:
        decision = latest.get((row["document_id"], row["start"], row["end"], row["activity"]))
        out.append({**row, "activity_label": LABELS[row["activity"]],
                    "status": decision["status"] if decision else SUGGESTED,
                    "decided_by": decision["by"] if decision else "",
                    "decided_at": decision["at"] if decision else None})
    return pd.DataFrame(out, columns=list(SUGGESTION_COLUMNS))


def document_activities(store: Store) -> pd.DataFrame:
    """Per document and activity: units (best suggestion of a unit), mean score of those,
    and the counts of confirmed and rejected suggestions. Sorted by document, then units."""
    frame = load_suggestions(store)
    columns = ["document", "activity", "activity_label", "units", "score", "confirmed",
               "rejected"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    best = frame[frame["rank"] == 1]
    table = (best.groupby(["document", "activity"])
             .agg(units=("unit", "size"), score=("score", "mean")).reset_index())
    status = (frame.groupby(["document", "activity", "status"]).size()
              .unstack(fill_value=0).reindex(columns=[CONFIRMED, REJECTED], fill_value=0))
    table = table.join(status, on=["document", "activity"]).fillna(0)
    table["activity_label"] = [LABELS[a] for a in table["activity"]]
    table[[CONFIRMED, REJECTED]] = table[[CONFIRMED, REJECTED]].astype(int)
    return (table[columns].sort_values(["document", "units", "activity"],
                                       ascending=[True, False, True], kind="stable")
            .reset_index(drop=True))


def _quotes(cell: pd.DataFrame) -> list[dict[str, Any]]:
    """Up to QUOTES_PER_CELL quotes: confirmed first, then the best-scored suggestions."""
    order = cell.assign(_c=(cell["status"] != CONFIRMED)).sort_values(
        ["_c", "score"], ascending=[True, False], kind="stable")
    return [{"text": r.text, "status": r.status, "document": r.document, "speaker": r.speaker,
             "round": None if pd.isna(r.round) else int(r.round), "score": float(r.score)}
            for r in order.head(QUOTES_PER_CELL).itertuples()]


def activity_matrix(store: Store, *, best_only: bool = True) -> pd.DataFrame:
    """Activity x stakeholder group (MATRIX_COLUMNS): `confirmed` counts confirmed units,
    `suggested` open suggestions, `rejected` rejected ones; `quotes` the evidence (each
    with its status, so a suggestion is never shown as a fact). `best_only` counts open
    suggestions of rank 1 only (a confirmed or rejected one counts at any rank)."""
    frame = load_suggestions(store)
    if frame.empty:
        return pd.DataFrame(columns=list(MATRIX_COLUMNS))
    if best_only:
        frame = frame[(frame["rank"] == 1) | (frame["status"] != SUGGESTED)]
    rows = []
    for activity_id in ACTIVITY_IDS:
        for group in sorted(frame["group"].unique()):
            cell = frame[(frame["activity"] == activity_id) & (frame["group"] == group)]
            counts = cell["status"].value_counts()
            rows.append({"activity": activity_id, "activity_label": LABELS[activity_id],
                         "group": group, "confirmed": int(counts.get(CONFIRMED, 0)),
                         "suggested": int(counts.get(SUGGESTED, 0)),
                         "rejected": int(counts.get(REJECTED, 0)),
                         "quotes": _quotes(cell[cell["status"] != REJECTED])})
    return pd.DataFrame(rows, columns=list(MATRIX_COLUMNS))


def export_rows(store: Store) -> list[dict[str, Any]]:
    frame = load_suggestions(store)
    return [{"document": r.document, "unit": f"{int(r.utterance_index)}:{int(r.unit)}", "start": int(r.start),
             "end": int(r.end), "group": r.group,
             "round": None if pd.isna(r.round) else int(r.round), "activity": r.activity,
             "score": round(float(r.score), 4), "status": r.status}
            for r in frame.itertuples()]


def export_activities(store: Store, fmt: str, settings: Settings,
                      target: str = "stdout") -> tuple[str, int]:
    """One row per unit and suggested activity (EXPORT_COLUMNS); FX-ACT-006 for another
    format, FX-ACT-001 before suggestions exist, FX-PSE-003 when a real name would leak."""
    if fmt not in ("csv", "jsonl"):
        raise FocuslexError("FX-ACT-006", value=fmt)
    rows = export_rows(store)
    if not rows:
        raise FocuslexError("FX-ACT-001")
    text = format_rows(rows, EXPORT_COLUMNS, fmt, settings.csv)
    leak_scanner(settings).ensure(text, target)
    return text, len(rows)


def speaker_or_source(speaker: object, document: str) -> str:
    """Who said a quote: the speaker code, or the document for a statement (no speaker)."""
    return str(speaker) if isinstance(speaker, str) and speaker else document
