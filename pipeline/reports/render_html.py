"""HTML renderer: the document model through one Jinja2 template (autoescape on).

The page is self-contained: the stylesheet is inline, charts are inline SVG drawn by
vl-convert, and nothing refers to another file or server. Every text from the data passes
through Jinja2's escaping; the SVG is the only markup inserted as is.
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from pipeline.reports.charts import chart_svg
from pipeline.reports.model import Cell, Report


def number(value: Cell, decimals: int = 2) -> str:
    """A number the Dutch way: 1.234 and 3,50 (empty for None); floats with `decimals`."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    text = f"{value:,}" if isinstance(value, int) else f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def decimals(column: str) -> int:
    """Percentages with one decimal, other figures with two."""
    return 1 if column == "%" else 2


def cell_class(value: Cell) -> str:
    """'code' for a hash, 'short' for a short token that should not wrap (a date)."""
    if not isinstance(value, str):
        return ""
    if len(value) == 64 and all(c in "0123456789abcdef" for c in value):
        return "code"
    return "short" if len(value) <= 12 and " " not in value else ""


def environment() -> Environment:
    env = Environment(loader=PackageLoader("pipeline.reports", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=False, lstrip_blocks=False,
                      keep_trailing_newline=True)
    env.filters["number"] = number
    env.filters["kind"] = lambda block: type(block).__name__
    env.filters["cellclass"] = cell_class
    env.globals["decimals"] = decimals
    return env


def render_html(report: Report) -> str:
    """The report as one HTML document."""
    svgs = {chart.key: Markup(_strip_xml_header(chart_svg(chart))) for chart in report.charts()}
    return environment().get_template("report.html.j2").render(report=report, svgs=svgs)


def _strip_xml_header(svg: str) -> str:
    return svg[svg.index("<svg"):] if "<svg" in svg else svg
