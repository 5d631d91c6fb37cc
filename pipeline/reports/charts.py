"""Charts of a report: Altair (Vega-Lite) specifications as data, drawn with vl-convert.

The specifications are the same kind the app draws with `st.altair_chart`; `chart_svg` and
`chart_png` render them without a browser and without any network request (no base URL is
allowed, so a specification cannot load data from elsewhere). Numbers use the Dutch locale
(decimal comma).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import vl_convert

from pipeline.core.errors import FocuslexError
from pipeline.reports.model import Cell, Chart

LOCALE = "nl-NL"
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
BLUE = "#1f5f8b"
CONFIG: dict[str, Any] = {
    "font": FONT, "view": {"stroke": None},
    "axis": {"labelFontSize": 11, "titleFontSize": 11, "labelLimit": 220},
    "title": {"fontSize": 13, "anchor": "start", "color": "#1b2a3a"},
}


def _chart(key: str, chart: alt.TopLevelMixin, alt_text: str, title: str,
           columns: Sequence[str], rows: Sequence[Sequence[Cell]]) -> Chart:
    # validated against the Vega-Lite schema in the tests (by drawing every chart); skipping
    # Altair's validation here makes a report with 50 charts several seconds faster
    spec = chart.configure(**CONFIG).to_dict(validate=False)
    spec.pop("$schema", None)  # a URL: nothing is fetched, but keep the report free of them
    return Chart(key=key, title=title, spec=spec, alt=alt_text,
                 data=tuple(tuple(r) for r in rows), columns=tuple(columns))


def bar_chart(key: str, title: str, rows: Sequence[tuple[str, float]], *, category: str,
              value: str, alt_text: str, fmt: str = ",.0f") -> Chart:
    """Horizontal bars, one per category, in the order given (largest first, usually)."""
    values = [{"c": c, "v": v} for c, v in rows]
    order = [c for c, _ in rows]
    base = alt.Chart(alt.Data(values=values)).encode(
        y=alt.Y("c:N", sort=order, title=None),
        x=alt.X("v:Q", title=value, axis=alt.Axis(format=fmt)))
    bars = base.mark_bar(color=BLUE)
    labels = base.mark_text(align="left", dx=3, fontSize=10, color="#333").encode(
        text=alt.Text("v:Q", format=fmt))
    chart = (bars + labels).properties(width=420, height=max(60, 18 * len(rows)), title=title)
    return _chart(key, chart, alt_text, title, (category, value), rows)


def heatmap(key: str, title: str, cells: Sequence[tuple[str, str, float, int]], *,
            groups: Sequence[str], rounds: Sequence[str], alt_text: str) -> Chart:
    """Groups (rows) × rounds (columns): colour by uses per 10,000 words, each cell labelled
    with that figure and the number of uses. `cells`: (group, round, per_10k, uses)."""
    values = [{"g": g, "r": r, "v": round(v, 2), "n": n,
               "t": f"{v:.1f}".replace(".", ",") + f" ({n})"} for g, r, v, n in cells]
    dark = 0.55 * max((v for _, _, v, _ in cells), default=0.0)
    base = alt.Chart(alt.Data(values=values)).encode(
        x=alt.X("r:N", sort=list(rounds), title=None, axis=alt.Axis(orient="top", labelAngle=0)),
        y=alt.Y("g:N", sort=list(groups), title=None))
    rect = base.mark_rect(stroke="white").encode(
        color=alt.Color("v:Q", legend=None, scale=alt.Scale(scheme="blues", domainMin=0)))
    text = base.mark_text(fontSize=10).encode(
        text="t:N", color=alt.condition(f"datum.v > {dark:.4f}", alt.value("white"),
                                        alt.value("#222")))
    chart = (rect + text).properties(width=max(160, 90 * len(rounds)),
                                     height=max(40, 24 * len(groups)), title=title)
    rows = [(g, r, round(v, 2), n) for g, r, v, n in cells]
    return _chart(key, chart, alt_text, title,
                  ("groep", "ronde", "per 10.000 woorden", "gebruik"), rows)


def chart_svg(chart: Chart) -> str:
    """The chart as an SVG document (text)."""
    try:
        return vl_convert.vegalite_to_svg(chart.spec, allowed_base_urls=[],
                                          format_locale=LOCALE)
    except Exception as exc:  # vl-convert raises plain ValueError/RuntimeError
        raise FocuslexError("FX-REP-009", format="grafiek", detail=str(exc)) from exc


def chart_png(chart: Chart, scale: float = 2.0) -> bytes:
    """The chart as PNG bytes (for DOCX)."""
    try:
        return vl_convert.vegalite_to_png(chart.spec, scale=scale, allowed_base_urls=[],
                                          format_locale=LOCALE)
    except Exception as exc:
        raise FocuslexError("FX-REP-009", format="grafiek", detail=str(exc)) from exc
