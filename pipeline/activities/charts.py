"""The activity x stakeholder-group matrix as an Altair (Vega-Lite) chart: shown with
`st.altair_chart` in the app and rendered to SVG/PNG for reports with
`pipeline.topics.charts.chart_svg` / `chart_png`. Confirmed units and open suggestions are
told apart in the cell text ("3 bevestigd · 12 voorgesteld"), so a suggestion never reads
as a fact.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from pipeline.activities.model import ACTIVITIES


def activity_matrix_chart(matrix: pd.DataFrame) -> alt.Chart:
    """A heatmap of `activity_matrix`: colour = confirmed units, text = confirmed and
    suggested counts."""
    data = matrix[["activity_label", "group", "confirmed", "suggested"]].assign(
        tekst=[f"{c} bevestigd · {s} voorgesteld"
               for c, s in zip(matrix["confirmed"], matrix["suggested"])])
    order = [a.label for a in ACTIVITIES]
    base = alt.Chart(data).encode(
        x=alt.X("group:N", title="Stakeholdergroep", axis=alt.Axis(labelAngle=-30)),
        y=alt.Y("activity_label:N", title="Activiteit", sort=order))
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("confirmed:Q", title="Bevestigd", scale=alt.Scale(scheme="greens")),
        tooltip=[alt.Tooltip("activity_label:N", title="Activiteit"),
                 alt.Tooltip("group:N", title="Groep"),
                 alt.Tooltip("confirmed:Q", title="Bevestigd"),
                 alt.Tooltip("suggested:Q", title="Voorgesteld (nog niet bevestigd)")])
    text = base.mark_text(fontSize=10).encode(text="tekst:N")
    return (cells + text).properties(
        width=760, height=300, title="Activiteiten per stakeholdergroep")
