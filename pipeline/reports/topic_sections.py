"""Sections "Onderwerpen" and "Activiteiten" of a report, from the stored topic fit and the
activity suggestions (`pipeline.topics.tables`, `pipeline.activities.tables`).

Topics: hidden topics are left out, a merged topic is named under the topic it was merged
into, the report's group and round filters narrow the units. Quote rule (deterministic): the
units BERTopic found nearest the topic's centre, in that order, within the selection, at
most QUOTES_PER_TOPIC, one per speaker while other speakers remain.

Activities: only suggestions a committee member confirmed count, unless the report was asked
with `unconfirmed`; then open suggestions are shown too, marked "niet bevestigd".
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from pipeline.activities.charts import activity_matrix_chart
from pipeline.activities.model import ACTIVITIES
from pipeline.activities.suggest import CONFIRMED, SUGGESTED
from pipeline.activities.tables import load_suggestions
from pipeline.core.formats import count_noun
from pipeline.reports.charts import CONFIG
from pipeline.reports.context import ReportContext, round_label
from pipeline.reports.model import Block, Cell, Chart, Facts, Paragraph, Quote, Section, Table
from pipeline.reports.quality import ACTIVITY_FIGURES, TOPIC_FIGURES, QualityFigure
from pipeline.topics.charts import group_round_heatmap, topic_bars_chart
from pipeline.topics.tables import (NO_ROUND, group_round_table, load_topic_units, load_topics,
                                    thin_cells, topic_table)

QUOTES_PER_TOPIC = 2
QUOTES_PER_ACTIVITY = 3
WORDS_SHOWN = 8
UNCONFIRMED = "niet bevestigd"


def _spec_chart(key: str, title: str, chart: alt.TopLevelMixin, alt_text: str,
                columns: tuple[str, ...], rows: list[tuple[Cell, ...]]) -> Chart:
    """An Altair chart of the topics/activities library as a report `Chart` block."""
    spec = chart.configure(**CONFIG).to_dict(validate=False)
    spec.pop("$schema", None)
    _drop_gradient_legends(spec)
    return Chart(key=key, title=title, spec=spec, alt=alt_text,
                 data=tuple(rows), columns=columns)


def _drop_gradient_legends(spec: Any) -> None:
    """Remove the colour legends of quantitative scales (the cells carry their numbers):
    vl-convert numbers legend gradients per process (gradient_1, gradient_2, ...), which
    would make two builds of the same report differ."""
    if isinstance(spec, dict):
        color = spec.get("color")
        if isinstance(color, dict) and color.get("type") == "quantitative":
            color["legend"] = None
        for value in spec.values():
            _drop_gradient_legends(value)
    elif isinstance(spec, list):
        for value in spec:
            _drop_gradient_legends(value)


def _round_key(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return NO_ROUND
    return str(int(value))


def _selected(frame: pd.DataFrame, ctx: ReportContext) -> pd.DataFrame:
    """Rows of a frame with `group` and `round` columns inside the report's selection."""
    keep = pd.Series(True, index=frame.index)
    if ctx.options.groups:
        keep &= frame["group"].isin(ctx.options.groups)
    if ctx.options.rounds:
        wanted = {str(r) for r in ctx.options.rounds}
        keep &= pd.Series([(_round_key(v) if not isinstance(v, str) else v) in wanted
                           for v in frame["round"]], index=frame.index)
    return frame[keep]


def _speaker(value: Any) -> str:
    """A speaker code, or '' for a statement (no speaker; the quote then says 'verklaring')."""
    return value if isinstance(value, str) else ""


def _percent(share: float) -> str:
    return f"{share * 100:.0f} %"


def _topic_quotes(topic: pd.Series, units: pd.DataFrame) -> list[Quote]:
    """The quote rule of the module docstring."""
    chosen: list[pd.Series] = []
    mine = units[units["topic"] == topic["topic"]]
    candidates = [row for text in topic["quotes"]
                  for _, row in mine[mine["text"] == text].head(1).iterrows()]
    for row in candidates:
        said = {_speaker(c["speaker"]) or c["document"] for c in chosen}
        if len(chosen) < QUOTES_PER_TOPIC and (_speaker(row["speaker"]) or row["document"]) \
                not in said:
            chosen.append(row)
    for row in candidates:
        if len(chosen) < QUOTES_PER_TOPIC and not any(row.equals(c) for c in chosen):
            chosen.append(row)
    return [Quote(before=str(r["text"]), term="", after="", speaker=_speaker(r["speaker"]),
                  group=str(r["group"]), round=_round_key(r["round"]).replace(NO_ROUND, ""),
                  document=str(r["document"])) for r in chosen]


def _topic_subsection(topic: pd.Series, topics: pd.DataFrame, units: pd.DataFrame) -> Section:
    merged = topics[topics["merged_into"] == topic["topic"]]
    mine = units[units["topic"] == topic["topic"]]
    facts = [("Trefwoorden", ", ".join(topic["words"][:WORDS_SHOWN])),
             ("Fragmenten", f"{len(mine)} ({_percent(len(mine) / max(1, len(units)))})")]
    if topic["label"] != topic["auto_label"]:
        facts.append(("Automatisch label", str(topic["auto_label"])))
    if len(merged):
        facts.append(("Samengevoegd met", "; ".join(merged["label"])))
    blocks: list[Block] = [Facts(tuple(facts)), *_topic_quotes(topic, units)]
    return Section(f"topic-{int(topic['topic'])}", str(topic["label"]), blocks=tuple(blocks))


def _share_table(ctx: ReportContext, by: str, labels: list[str]) -> tuple[Table, pd.DataFrame]:
    """Share of each topic per group or round (columns), with the thin-cell warnings."""
    table = topic_table(ctx.store, by=by)
    chosen = ctx.options.groups if by == "group" else tuple(map(str, ctx.options.rounds))
    if chosen:
        table = table[table[by].isin(chosen)]
    table = table[table["topic_label"].isin(labels)]
    cells = list(dict.fromkeys(sorted(table[by], key=lambda v: (v == NO_ROUND, v))))
    names = cells if by == "group" else [round_label(c) for c in cells]
    rows = tuple((label, *(_share(table, label, by, c) for c in cells)) for label in labels)
    warnings = thin_cells(table, by, ctx.settings.topics.min_cell_units)
    title = "Aandeel per stakeholdergroep" if by == "group" else "Aandeel per ronde"
    other = ctx.options.rounds if by == "group" else ctx.options.groups
    note = ("Aandeel van de fragmenten van die " + ("groep" if by == "group" else "ronde")
            + " (aantal fragmenten tussen haakjes)"
            + (", over alle " + ("rondes" if by == "group" else "groepen") if other else "")
            + ". " + " ".join(warnings)).strip()
    return Table(f"onderwerpen-{by}", title, ("onderwerp", *names), rows, note=note), table


def _share(table: pd.DataFrame, label: str, by: str, cell: str) -> str:
    row = table[(table["topic_label"] == label) & (table[by] == cell)]
    if row.empty:
        return "–"
    return f"{_percent(float(row['share'].iloc[0]))} ({int(row['units'].iloc[0])})"


def _topic_charts(ctx: ReportContext, by_group: pd.DataFrame, labels: list[str]) -> list[Chart]:
    data = by_group[by_group["topic_label"].isin(labels)]
    bars = _spec_chart(
        "onderwerpen-groep", "Onderwerpen per stakeholdergroep", topic_bars_chart(data, "group"),
        "Per stakeholdergroep het aandeel van elk onderwerp in de fragmenten van die groep.",
        ("onderwerp", "groep", "fragmenten", "aandeel"),
        [(r.topic_label, r.group, int(r.units), round(float(r.share), 4))
         for r in data.itertuples()])
    cells = _selected(group_round_table(ctx.store), ctx)
    cells = cells[cells["topic_label"].isin(labels)]
    heat = _spec_chart(
        "onderwerpen-groep-ronde", "Fragmenten per groep en ronde", group_round_heatmap(cells),
        "Aantal fragmenten met een onderwerp per stakeholdergroep (rijen) en ronde (kolommen).",
        ("groep", "ronde", "fragmenten"),
        [(g, r, int(n)) for (g, r), n in
         cells.groupby(["group", "round"])["units"].sum().items()])
    return [bars, heat]


def _topic_methods(ctx: ReportContext) -> tuple[Block, ...]:
    run = ctx.store.last_run("topics")
    details = (run.details or {}) if run is not None else {}
    s = details.get("settings") or {}
    outliers = details.get("outlier_share")
    text = (
        "Onderwerpen. De uitspraken van deelnemers en de verklaringen werden in fragmenten "
        f"(zinnen) verdeeld; fragmenten van minder dan "
        f"{count_noun(s.get('min_unit_words'), 'woord', 'woorden')} "
        "en beurten van begeleiders bleven buiten. BERTopic groepeerde de fragmenten op "
        f"betekenis met de embedder '{details.get('embedder', '-')}', reductie "
        f"{s.get('reduction', '-')} en clustering {s.get('clustering', '-')}, met vaste "
        f"seed {s.get('seed', '-')}; de trefwoorden zijn lemma's. "
        + (f"{_percent(float(outliers))} van de fragmenten kreeg eerst geen onderwerp"
           if outliers is not None else "")
        + ("; die kregen daarna het dichtstbijzijnde onderwerp (BERTopic reduce_outliers)."
           if s.get("reduce_outliers") else ".")
        + " Het comité kan onderwerpen hernoemen, samenvoegen en verbergen; verborgen "
        "onderwerpen staan niet in dit rapport. Citaten: de fragmenten die het dichtst bij "
        f"het midden van het onderwerp liggen, hoogstens {QUOTES_PER_TOPIC}, bij voorkeur "
        "van verschillende sprekers.")
    return (Paragraph(text), _figures_table("kwaliteit-onderwerpen",
                                            "Gemeten kwaliteit van de onderwerpen",
                                            TOPIC_FIGURES))


def _figures_table(key: str, title: str, figures: tuple[QualityFigure, ...]) -> Table:
    return Table(key, title, ("wat", "resultaat", "gemeten op", "bron"),
                 tuple((f.what, f.figure, f.data, f"focuslex-documentatie ({f.source})")
                       for f in figures),
                 note="Overgenomen uit de documentatie van focuslex (benchmarks); niet "
                      "opnieuw gemeten op de gegevens van dit rapport.")


def topics_section(ctx: ReportContext) -> Section | None:
    """Topics with labels, keywords, quotes, shares per group and round and a heatmap;
    None when no topics are stored."""
    topics = load_topics(ctx.store)
    if topics.empty:
        return None
    units = _selected(load_topic_units(ctx.store), ctx)
    units = units[~units["hidden"]]
    shown = topics[~topics["hidden"] & topics["merged_into"].isna()]
    counts = units["topic"].value_counts()
    shown = shown[shown["topic"].isin(counts.index)]
    shown = shown.assign(n=[int(counts[t]) for t in shown["topic"]]).sort_values(
        ["n", "topic"], ascending=[False, True], kind="stable")
    if shown.empty:
        return None
    labels = list(shown["label"])
    group_table, by_group = _share_table(ctx, "group", labels)
    round_table, _ = _share_table(ctx, "round", labels)
    blocks: list[Block] = [
        Paragraph(f"focuslex vond {count_noun(len(shown), 'onderwerp', 'onderwerpen')} in "
                  f"{count_noun(len(units), 'fragment', 'fragmenten')}: "
                  "groepen van uitspraken die over hetzelfde gaan. De namen zijn die van het "
                  "comité, of (zonder naam) het nummer en de eerste trefwoorden. Een "
                  "onderwerp zegt waarover gesproken werd, niet wat ervan gevonden werd.",
                  "lead"),
        Table("onderwerpen", "Onderwerpen", ("onderwerp", "trefwoorden", "fragmenten",
                                             "aandeel"),
              tuple((r.label, ", ".join(r.words[:WORDS_SHOWN]), r.n,
                     _percent(r.n / max(1, len(units)))) for r in shown.itertuples()),
              numeric=(False, False, True, False)),
        group_table, round_table, *_topic_charts(ctx, by_group, labels)]
    subsections = tuple(_topic_subsection(row, topics, units) for _, row in shown.iterrows())
    return Section("topics", "Onderwerpen", blocks=tuple(blocks), subsections=subsections,
                   methods=_topic_methods(ctx))


# -- activities ------------------------------------------------------------------------------

def _suggestions(ctx: ReportContext) -> pd.DataFrame:
    """Confirmed suggestions (any rank) and, with `unconfirmed`, open best suggestions, in
    the selection; rejected ones never."""
    frame = load_suggestions(ctx.store)
    if frame.empty:
        return frame
    frame = _selected(frame, ctx)
    keep = frame["status"] == CONFIRMED
    if ctx.options.unconfirmed:
        keep |= (frame["status"] == SUGGESTED) & (frame["rank"] == 1)
    return frame[keep]


def _cell_text(cell: pd.DataFrame, unconfirmed: bool) -> Cell:
    confirmed = int((cell["status"] == CONFIRMED).sum())
    if not unconfirmed:
        return confirmed
    return f"{confirmed} (+{int((cell['status'] == SUGGESTED).sum())})"


def _matrix(frame: pd.DataFrame, groups: list[str]) -> pd.DataFrame:
    """The frame of `activity_matrix` (what `activity_matrix_chart` draws) for `frame`."""
    rows = [{"activity": a.id, "activity_label": a.label, "group": g,
             "confirmed": int(((frame["activity"] == a.id) & (frame["group"] == g)
                               & (frame["status"] == CONFIRMED)).sum()),
             "suggested": int(((frame["activity"] == a.id) & (frame["group"] == g)
                               & (frame["status"] == SUGGESTED)).sum())}
            for a in ACTIVITIES for g in groups]
    return pd.DataFrame(rows)


def _confirmed_chart(matrix: pd.DataFrame) -> alt.LayerChart:
    """Activity x group, coloured and labelled by confirmed units only."""
    base = alt.Chart(matrix).encode(
        x=alt.X("group:N", title="Stakeholdergroep", axis=alt.Axis(labelAngle=-20)),
        y=alt.Y("activity_label:N", title=None, sort=[a.label for a in ACTIVITIES]))
    cells = base.mark_rect(stroke="#dddddd").encode(
        color=alt.Color("confirmed:Q", title="Bevestigd", legend=None,
                        scale=alt.Scale(scheme="greens", domainMin=0)))
    text = base.mark_text(fontSize=12).encode(text="confirmed:Q")
    return (cells + text).properties(width=420, height=220, title=alt.TitleParams(
        "Activiteiten per stakeholdergroep", subtitle="Bevestigde fragmenten per cel"))


def _activity_quotes(frame: pd.DataFrame, activity_id: str) -> list[Quote]:
    """Confirmed first, then the best-scored; at most QUOTES_PER_ACTIVITY."""
    mine = frame[frame["activity"] == activity_id]
    mine = mine.assign(_open=mine["status"] != CONFIRMED).sort_values(
        ["_open", "score", "document", "start"], ascending=[True, False, True, True],
        kind="stable")
    return [Quote(before=str(r.text), term="", after="", speaker=_speaker(r.speaker),
                  group=str(r.group), round=_round_key(r.round).replace(NO_ROUND, ""),
                  document=str(r.document),
                  note="" if r.status == CONFIRMED else
                  f"{UNCONFIRMED}: voorstel van focuslex, door niemand bevestigd")
            for r in mine.head(QUOTES_PER_ACTIVITY).itertuples()]


def _activity_methods(ctx: ReportContext) -> tuple[Block, ...]:
    run = ctx.store.last_run("activities")
    details = (run.details or {}) if run is not None else {}
    text = (
        "Activiteiten. Voor elk fragment berekende focuslex hoe sterk het lijkt op de "
        "beschrijving en voorbeeldzinnen van elk van de zes activiteiten van het systeemmodel "
        f"(embedder '{details.get('embedder', '-')}'), plus een gewicht "
        f"({details.get('lexicon_weight', '-')}) per lexiconterm in het fragment die bij die "
        "activiteit hoort. Dat is een voorstel; een fragment telt pas mee nadat een lid van "
        "het comité het voorstel bevestigde. "
        + ("Op vraag staan ook de beste onbevestigde voorstellen in dit rapport, gemarkeerd "
           f"als '{UNCONFIRMED}'." if ctx.options.unconfirmed
           else "Onbevestigde voorstellen staan niet in dit rapport."))
    return (Paragraph(text), _figures_table("kwaliteit-activiteiten",
                                            "Gemeten kwaliteit van de activiteitvoorstellen",
                                            ACTIVITY_FIGURES))


def activities_section(ctx: ReportContext) -> Section | None:
    """The six activities x stakeholder group with evidence quotes; None when nothing (or,
    without `unconfirmed`, nothing confirmed) is stored for the selection."""
    frame = _suggestions(ctx)
    if frame.empty:
        return None
    unconfirmed = ctx.options.unconfirmed
    # every stakeholder group with units (facilitators have none), also without confirmed ones
    groups = sorted(set(_selected(load_suggestions(ctx.store), ctx)["group"]),
                    key=str.casefold)
    rows = tuple((a.label, *(_cell_text(frame[(frame["activity"] == a.id)
                                              & (frame["group"] == g)], unconfirmed)
                             for g in groups)) for a in ACTIVITIES)
    matrix = _matrix(frame, groups)
    chart = activity_matrix_chart(matrix) if unconfirmed else _confirmed_chart(matrix)
    blocks: list[Block] = [
        Paragraph("Welke van de zes activiteiten van het systeemmodel in de uitspraken van "
                  "elke stakeholdergroep terugkomen: het aantal fragmenten dat een lid van "
                  "het comité aan een activiteit toewees."
                  + (f" Voorstellen die nog niemand bevestigde staan erbij als "
                     f"'{UNCONFIRMED}'; ze zijn geen vaststelling." if unconfirmed else ""),
                  "lead"),
        Table("activiteiten", "Activiteiten per stakeholdergroep", ("activiteit", *groups),
              rows, numeric=(False, *([not unconfirmed] * len(groups))),
              note="Bevestigde fragmenten" + (f"; tussen haakjes (+n): voorstellen die "
                                              f"{UNCONFIRMED} zijn (het beste voorstel per "
                                              "fragment)." if unconfirmed else ".")),
        _spec_chart("activiteiten", "Activiteiten per stakeholdergroep", chart,
                    "Per activiteit (rijen) en stakeholdergroep (kolommen) het aantal "
                    "bevestigde fragmenten" + (" | voorstellen die niet bevestigd zijn."
                                               if unconfirmed else "."),
                    ("activiteit", "groep", "bevestigd",
                     *((UNCONFIRMED,) if unconfirmed else ())),
                    [(r.activity_label, r.group, r.confirmed,
                      *((r.suggested,) if unconfirmed else ())) for r in matrix.itertuples()])]
    subsections = tuple(
        Section(f"activity-{a.id}", a.label, blocks=(Paragraph(a.description, "note"),
                                                     *_activity_quotes(frame, a.id)))
        for a in ACTIVITIES if (frame["activity"] == a.id).any())
    return Section("activities", "Activiteiten van het systeemmodel", blocks=tuple(blocks),
                   subsections=subsections, methods=_activity_methods(ctx))
