"""The activity x stakeholder-group matrix as an Altair (Vega-Lite) chart: shown with
`st.altair_chart` in the app and rendered to SVG/PNG for reports with
`pipeline.topics.charts.chart_svg` / `chart_png`. Confirmed units and open suggestions are
told apart in the cell text ("3 | 12": confirmed | suggested, explained in the subtitle), and
only confirmed units colour a cell, so a suggestion never reads as a fact.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from pipeline.activities.model import ACTIVITIES


def activity_matrix_chart(matrix: pd.DataFrame) -> alt.Chart:
    """A heatmap of `activity_matrix`: colour = confirmed units, text = confirmed | suggested
    counts."""
    data = matrix[["activity_label", "group", "confirmed", "suggested"]].assign(
        tekst=[f"{c} | {s}" for c, s in zip(matrix["confirmed"], matrix["suggested"])])
    order = [a.label for a in ACTIVITIES]
    top = max(1, int(matrix["confirmed"].max() or 0))
    base = alt.Chart(data).encode(
        x=alt.X("group:N", title="Stakeholdergroep",
                axis=alt.Axis(labelAngle=-20, labelLimit=180, labelOverlap=False)),
        y=alt.Y("activity_label:N", title=None, sort=order, axis=alt.Axis(labelLimit=240)))
    cells = base.mark_rect(stroke="#dddddd").encode(
        color=alt.Color("confirmed:Q", title="Bevestigd",
                        scale=alt.Scale(domain=[0, top], range=["#ffffff", "#1a7f37"]),
                        legend=alt.Legend(format="d", tickMinStep=1)),
        tooltip=[alt.Tooltip("activity_label:N", title="Activiteit"),
                 alt.Tooltip("group:N", title="Groep"),
                 alt.Tooltip("confirmed:Q", title="Bevestigd"),
                 alt.Tooltip("suggested:Q", title="Voorgesteld (nog niet bevestigd)")])
    text = base.mark_text(fontSize=12).encode(text="tekst:N")
    return (cells + text).properties(width=720, height=300, title=alt.TitleParams(
        "Activiteiten per stakeholdergroep",
        subtitle="In elke cel: bevestigd | voorgesteld (nog niet bevestigd, beste voorstel "
                 "per fragment)"))
