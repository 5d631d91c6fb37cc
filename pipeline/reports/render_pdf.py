"""PDF renderer: weasyprint lays out the same HTML (print stylesheet: A4, running headers,
page numbers, a table of contents with page numbers). No file or URL is fetched."""

from __future__ import annotations

from weasyprint import HTML

from pipeline.core.errors import FocuslexError
from pipeline.reports.model import Report
from pipeline.reports.render_html import render_html

def _no_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    raise ValueError(f"a report fetches nothing ({url})")


def html_to_pdf(html: str) -> bytes:
    try:
        return HTML(string=html, url_fetcher=_no_fetch).write_pdf()
    except Exception as exc:  # weasyprint raises many kinds; the user gets one coded error
        raise FocuslexError("FX-REP-009", format="pdf", detail=str(exc)) from exc


def render_pdf(report: Report) -> bytes:
    return html_to_pdf(render_html(report))
