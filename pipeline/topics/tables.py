"""The stored topics as the committee curated them, as pandas frames: what the app page
*Onderwerpen*, the CLI and the reports read.

- `load_topics(store)`: one row per topic (curated label, words, size, map place, quotes);
- `load_topic_units(store)`: one row per unit with its (curated) topic;
- `topic_table(store, by)`: units per topic and stakeholder group, or per topic and round;
- `group_round_table(store)`: units per topic, group and round (the heatmap);
- `thin_cells(...)`: the warnings for cells with too few units to say anything;
- `export_topics(...)`: `focuslex topics export` (csv or jsonl), leak-scanned.
Hidden topics stay in the frames (column `hidden`); the page and charts leave them out.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pandas as pd

from pipeline.core.errors import FocuslexError
from pipeline.core.formats import count_noun
from pipeline.core.csvfile import csv_text
from pipeline.core.settings import CsvSettings, Settings
from pipeline.privacy.leaks import leak_scanner
from pipeline.store.database import Store
from pipeline.store.topics import TopicStore
from pipeline.topics.curation import apply_curation
from pipeline.topics.model import OUTLIER

TOPIC_COLUMNS: tuple[str, ...] = ("topic", "label", "auto_label", "words", "size", "share",
                                  "x", "y", "hidden", "merged_into", "quotes")
UNIT_COLUMNS: tuple[str, ...] = ("document", "document_id", "utterance_index", "unit",
                                 "start", "end", "speaker", "group", "round", "text", "topic",
                                 "topic_label", "outlier", "hidden")
EXPORT_COLUMNS: tuple[str, ...] = ("document", "unit", "start", "end", "speaker", "group",
                                   "round", "topic", "topic_label", "outlier")
NO_ROUND = "zonder ronde"
OUTLIER_LABEL = "(geen onderwerp)"


def auto_label(topic: int, words: Sequence[str]) -> str:
    """`3: werk, sollicitatie, werkgever`: number and first three words."""
    if topic == OUTLIER:
        return OUTLIER_LABEL
    return f"{topic}: " + ", ".join(list(words)[:3]) if words else f"Onderwerp {topic}"


def load_topics(store: Store) -> pd.DataFrame:
    """One row per stored topic, curation applied (TOPIC_COLUMNS). `size` counts the units
    after merges (a merged topic has size 0 and `merged_into` set); `quotes` are the texts
    of the units nearest the topic's centre. Empty when no fit is stored."""
    topic_store = TopicStore(store)
    rows = topic_store.topics()
    if not rows:
        return pd.DataFrame(columns=list(TOPIC_COLUMNS))
    words = {r["topic"]: list(r["words"]) for r in rows}
    curated = apply_curation(words, topic_store.curation())
    units = topic_store.units(fit_order=True)  # `examples` index the units of the fit
    texts = {(u["document_id"], u["start"]): u["text"] for u in units}
    index = [(u["document_id"], u["start"]) for u in units]
    sizes: dict[int, int] = {}
    for u in units:
        target = curated[u["topic"]].merged_into if u["topic"] in curated else None
        key = u["topic"] if target is None else target
        sizes[key] = sizes.get(key, 0) + 1
    total = max(1, len(units))
    out = []
    for r in rows:
        c = curated[r["topic"]]
        automatic = auto_label(r["topic"], r["words"])
        out.append({"topic": r["topic"], "label": c.label or automatic, "auto_label": automatic,
                    "words": list(r["words"]), "size": sizes.get(r["topic"], 0),
                    "share": sizes.get(r["topic"], 0) / total, "x": r["x"], "y": r["y"],
                    "hidden": c.hidden, "merged_into": c.merged_into,
                    "quotes": [texts[index[i]] for i in r["examples"] if i < len(index)]})
    return pd.DataFrame(out, columns=list(TOPIC_COLUMNS))


def load_topic_units(store: Store) -> pd.DataFrame:
    """One row per unit with its curated topic (a merged topic's units count under the topic
    they were merged into) and that topic's label (UNIT_COLUMNS)."""
    topics = load_topics(store)
    units = TopicStore(store).units()
    if topics.empty or not units:
        return pd.DataFrame(columns=list(UNIT_COLUMNS))
    merged = {int(t): (int(m) if pd.notna(m) else int(t))
              for t, m in zip(topics["topic"], topics["merged_into"])}
    labels = dict(zip(topics["topic"], topics["label"]))
    hidden = dict(zip(topics["topic"], topics["hidden"]))
    frame = pd.DataFrame(units)
    frame["topic"] = [merged.get(t, t) for t in frame["topic"]]
    frame["topic_label"] = [labels.get(t, auto_label(t, [])) for t in frame["topic"]]
    frame["hidden"] = [bool(hidden.get(t, False)) for t in frame["topic"]]
    return frame[list(UNIT_COLUMNS)]


def _cell(value: Any) -> str:
    """A group or round as a table key: rounds as "1", "2", ...; no round: NO_ROUND."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return NO_ROUND
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def topic_table(store: Store, by: str, *, include_hidden: bool = False) -> pd.DataFrame:
    """Units per topic within each stakeholder group (`by="group"`) or round (`by="round"`):
    columns topic, topic_label, <by>, units, cell_units (all units of that group/round),
    share (units / cell_units), words (BERTopic's topics_per_class / topics_over_time words
    of that topic in that cell)."""
    if by not in ("group", "round"):
        raise ValueError(by)
    units = load_topic_units(store)
    columns = ["topic", "topic_label", by, "units", "cell_units", "share", "words"]
    if units.empty:
        return pd.DataFrame(columns=columns)
    units = units.assign(**{by: [_cell(v) for v in units[by]]})
    cell_units = units.groupby(by).size()
    if not include_hidden:
        units = units[~units["hidden"]]
    table = (units.groupby(["topic", "topic_label", by]).size().rename("units").reset_index())
    table["cell_units"] = [int(cell_units[v]) for v in table[by]]
    table["share"] = table["units"] / table["cell_units"]
    words = {(c["topic"], c["value"]): c["words"] for c in TopicStore(store).classes(by)}
    table["words"] = [words.get((t, "0" if by == "round" and v == NO_ROUND else v), [])
                      for t, v in zip(table["topic"], table[by])]
    return table[columns].sort_values(["topic", by], kind="stable").reset_index(drop=True)


def group_round_table(store: Store, *, include_hidden: bool = False) -> pd.DataFrame:
    """Units per topic, stakeholder group and round: topic, topic_label, group, round,
    units."""
    units = load_topic_units(store)
    if units.empty:
        return pd.DataFrame(columns=["topic", "topic_label", "group", "round", "units"])
    if not include_hidden:
        units = units[~units["hidden"]]
    units = units.assign(round=[_cell(v) for v in units["round"]])
    return (units.groupby(["topic", "topic_label", "group", "round"]).size()
            .rename("units").reset_index())


def thin_cells(table: pd.DataFrame, by: str, minimum: int) -> list[str]:
    """Dutch warnings for the groups or rounds of `topic_table` with fewer than `minimum`
    units in all (too few to compare topic shares)."""
    if table.empty:
        return []
    cells = table.drop_duplicates(by)[[by, "cell_units"]]
    name = "groep" if by == "group" else "ronde"
    return [f"De {name} '{value}' heeft maar {count_noun(count, 'fragment', 'fragmenten')} "
            f"(minder dan {minimum}): "
            f"te weinig om er iets over te zeggen."
            for value, count in zip(cells[by], cells["cell_units"]) if count < minimum]


def export_rows(store: Store) -> list[dict[str, Any]]:
    """One row per unit (EXPORT_COLUMNS)."""
    units = load_topic_units(store)
    return [{"document": r.document, "unit": f"{int(r.utterance_index)}:{int(r.unit)}", "start": int(r.start),
             "end": int(r.end), "speaker": r.speaker, "group": r.group,
             "round": None if pd.isna(r.round) else int(r.round), "topic": int(r.topic),
             "topic_label": r.topic_label, "outlier": bool(r.outlier)}
            for r in units.itertuples()]


def format_rows(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str,
                csv_settings: CsvSettings = CsvSettings()) -> str:
    """Rows as JSON Lines or CSV (`pipeline.core.csvfile`: header row, ";" and a decimal
    comma by default, booleans true/false, a cell a spreadsheet would run as a formula gets
    a leading apostrophe). ValueError on another format."""
    if fmt == "jsonl":
        return "".join(json.dumps({c: row[c] for c in columns}, ensure_ascii=False) + "\n"
                       for row in rows)
    if fmt != "csv":
        raise ValueError(fmt)
    return csv_text(columns, ([row[c] for c in columns] for row in rows), csv_settings)


def export_topics(store: Store, fmt: str, settings: Settings,
                  target: str = "stdout") -> tuple[str, int]:
    """The export text of every unit and its topic, and the number of rows (FX-TOP-005 for
    another format, FX-TOP-004 before a fit, FX-PSE-003 when a real name would leak)."""
    if fmt not in ("csv", "jsonl"):
        raise FocuslexError("FX-TOP-005", value=fmt)
    rows = export_rows(store)
    if not rows:
        raise FocuslexError("FX-TOP-004")
    text = format_rows(rows, EXPORT_COLUMNS, fmt, settings.csv)
    leak_scanner(settings).ensure(text, target)
    return text, len(rows)


def topic_label(topics: pd.DataFrame, topic: int) -> str:
    """The (curated) label of a topic in `load_topics`' frame."""
    return str(topics.loc[topics["topic"] == topic, "label"].iloc[0])
