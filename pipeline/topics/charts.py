"""Charts of the topics as Altair (Vega-Lite) specifications: the app shows them with
`st.altair_chart`, and a report renders the same chart to SVG or PNG without a browser with
`vl-convert-python` (`chart_png`, `chart_svg`). Titles and axes are Dutch.

Each builder takes the frame of `pipeline.topics.tables` and returns an `alt.Chart`.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import vl_convert

WIDTH = 640


def topic_map_chart(topics: pd.DataFrame) -> alt.Chart:
    """The topics on a 2-D map (PCA of their centroids): a circle per visible topic, sized
    by its units, labelled with its label (frame of `load_topics`)."""
    data = topics[~topics["hidden"] & topics["merged_into"].isna()]
    data = data[["topic", "label", "size", "x", "y"]].assign(
        woorden=[", ".join(w[:6]) for w in topics.loc[data.index, "words"]],
        kort=[f"{t}: {w[0]}" if w else str(t)
              for t, w in zip(data["topic"], topics.loc[data.index, "words"])])
    base = alt.Chart(data).encode(
        x=alt.X("x:Q", axis=None), y=alt.Y("y:Q", axis=None))
    points = base.mark_circle(opacity=0.6).encode(
        size=alt.Size("size:Q", title="Fragmenten", scale=alt.Scale(range=[60, 2400])),
        color=alt.Color("label:N", legend=None),
        tooltip=[alt.Tooltip("label:N", title="Onderwerp"),
                 alt.Tooltip("size:Q", title="Fragmenten"),
                 alt.Tooltip("woorden:N", title="Woorden")])
    labels = base.mark_text(dy=-12, fontSize=11).encode(text="kort:N")
    return (points + labels).properties(width=WIDTH, height=420, title=alt.TitleParams(
        "Kaart van de onderwerpen (dichter bij elkaar = verwanter)",
        subtitle="Nummer en eerste woord; wijs een cirkel aan voor de naam en de woorden."))


def topic_bars_chart(table: pd.DataFrame, by: str) -> alt.FacetChart:
    """Share of each topic within each stakeholder group (`by="group"`) or round, from
    `topic_table`: one small bar chart per group or round, topics in the same order in each,
    so the columns can be compared side by side."""
    title = "stakeholdergroep" if by == "group" else "ronde"
    data = table.assign(aandeel=table["share"])
    order = list(data.sort_values("topic")["topic_label"].drop_duplicates())
    cells = data[by].nunique() or 1
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("aandeel:Q", title="Aandeel", axis=alt.Axis(format="%", tickCount=3)),
        y=alt.Y("topic_label:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
        color=alt.value("#4c78a8"),
        tooltip=[alt.Tooltip(f"{by}:N", title=title.capitalize()),
                 alt.Tooltip("topic_label:N", title="Onderwerp"),
                 alt.Tooltip("units:Q", title="Fragmenten"),
                 alt.Tooltip("cell_units:Q", title=f"Fragmenten in deze {title}"),
                 alt.Tooltip("aandeel:Q", title="Aandeel", format=".0%")],
    ).properties(width=max(70, min(160, (WIDTH - 260) // cells)))
    return bars.facet(column=alt.Column(f"{by}:N", title=title.capitalize(),
                                        header=alt.Header(labelAngle=0, labelLimit=140))
                      ).properties(title=f"Onderwerpen per {title}")


def group_round_heatmap(table: pd.DataFrame, topic_label: str | None = None) -> alt.Chart:
    """Units per stakeholder group and round (of one topic, or of all), from
    `group_round_table`."""
    data = table if topic_label is None else table[table["topic_label"] == topic_label]
    data = data.groupby(["group", "round"], as_index=False)["units"].sum()
    title = f"Fragmenten per groep en ronde: {topic_label}" if topic_label \
        else "Fragmenten per groep en ronde"
    base = alt.Chart(data).encode(
        x=alt.X("round:O", title="Ronde", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("group:N", title="Stakeholdergroep", axis=alt.Axis(labelLimit=220)))
    cells = base.mark_rect().encode(
        color=alt.Color("units:Q", title="Fragmenten", scale=alt.Scale(scheme="blues")),
        tooltip=[alt.Tooltip("group:N", title="Groep"), alt.Tooltip("round:O", title="Ronde"),
                 alt.Tooltip("units:Q", title="Fragmenten")])
    text = base.mark_text(fontSize=11).encode(text="units:Q")
    return (cells + text).properties(width=WIDTH // 2, title=title)


def chart_svg(chart: alt.Chart) -> str:
    """The chart as SVG text (no browser, no network)."""
    return vl_convert.vegalite_to_svg(chart.to_json())


def chart_png(chart: alt.Chart, scale: float = 2.0) -> bytes:
    """The chart as PNG bytes (no browser, no network)."""
    return vl_convert.vegalite_to_png(chart.to_json(), scale=scale)
