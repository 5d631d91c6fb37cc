"""Render a report in a format, after the leak scan, and write it with its run record.

The leak scan (`check_leaks`) reads the plain text of every section of the document model
(what every format shows) and, for HTML and CSV, the rendered text as well. A real name from
the pseudonym key stops the export with FX-REP-003, which says in which section and on
which line (and whose name, as a code), never the name itself. Nothing is written then.

Text that stands as such in the seed lexicon shipped with focuslex is public (its definitions
cite authors, whose first names may be those of participants) and is not scanned, as in
`focuslex lexicon export`: every seed text of at least `PUBLIC_MIN_CHARS` characters is blanked
(same length, so lines and columns stay right) before the scan.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from markupsafe import escape

from lexicon.io import load_seed
from lexicon.model import entry_to_dict
from pipeline.core.errors import FocuslexError
from pipeline.core.files import write_atomic
from pipeline.core.settings import CsvSettings
from pipeline.privacy.leaks import MAX_SHOWN, Leak, LeakScanner
from pipeline.reports.model import Report, section_lines
from pipeline.reports.render_docx import render_docx
from pipeline.reports.render_html import render_html
from pipeline.reports.render_pdf import html_to_pdf
from pipeline.reports.render_tables import csv_files, render_csv_zip, render_xlsx

FORMATS: tuple[str, ...] = ("html", "docx", "pdf", "xlsx", "csv")
SUFFIXES: dict[str, str] = {"html": ".html", "docx": ".docx", "pdf": ".pdf", "xlsx": ".xlsx",
                            "csv": ".zip"}
MEDIA_TYPES: dict[str, str] = {
    "html": "text/html",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "application/zip",
}
RECORD_SUFFIX = ".runrecord.json"
PUBLIC_MIN_CHARS = 30


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _strings(v)]
    return []


def public_texts() -> tuple[str, ...]:
    """Texts of the shipped seed lexicon long enough to hold a citation, longest first; also
    as they appear escaped in HTML and quoted in CSV."""
    seed = {t for entry in load_seed() for t in _strings(entry_to_dict(entry))
            if len(t) >= PUBLIC_MIN_CHARS}
    texts = seed | {str(escape(t)) for t in seed} | {t.replace('"', '""') for t in seed}
    return tuple(sorted(texts, key=lambda t: (-len(t), t)))


def blank_public(text: str, public: tuple[str, ...]) -> str:
    for known in public:
        if known in text:
            text = text.replace(known, " " * len(known))
    return text


def _refuse(leaks: list[Leak], section: str, target: str) -> None:
    where = "; ".join(leak.where for leak in leaks[:MAX_SHOWN])
    if len(leaks) > MAX_SHOWN:
        where += f"; en nog {len(leaks) - MAX_SHOWN} keer"
    raise FocuslexError("FX-REP-003", section=section, where=where, target=target)


def _scan(scanner: LeakScanner, text: str, section: str, target: str,
          public: tuple[str, ...] = ()) -> None:
    leaks = scanner.scan(blank_public(text, public))
    if leaks:
        _refuse(leaks, section, target)


def check_leaks(report: Report, scanner: LeakScanner, target: str,
                public: tuple[str, ...] | None = None) -> None:
    """FX-REP-003 when any part of the report holds a real name (see the module docstring)."""
    public = public_texts() if public is None else public
    cover = [report.title, report.subtitle, *(f"{k}: {v}" for k, v in report.summary)]
    _scan(scanner, "\n".join(cover), "titelpagina", target)
    for top in report.sections:
        for _, section in top.walk():
            _scan(scanner, "\n".join(section_lines(section)), section.title, target, public)
    _scan(scanner, report.record.to_json(), "run record (JSON)", target)


Scan = Callable[[str, str], None]  # (rendered text, where) -> None or FX-REP-003


def _html(report: Report, scan: Scan, _csv_settings: CsvSettings) -> bytes:
    html = render_html(report)
    scan(html, "HTML-opmaak")
    return html.encode("utf-8")


def _csv(report: Report, scan: Scan, csv_settings: CsvSettings) -> bytes:
    for name, text in csv_files(report, csv_settings).items():
        scan(text, f"CSV-bestand {name}")
    return render_csv_zip(report, csv_settings)


def _pdf(report: Report, scan: Scan, _csv_settings: CsvSettings) -> bytes:
    html = render_html(report)
    scan(html, "HTML-opmaak")
    return html_to_pdf(html)


RENDERERS: dict[str, Callable[[Report, Scan, CsvSettings], bytes]] = {
    "html": _html, "pdf": _pdf, "csv": _csv,
    "docx": lambda report, _scan, _csv_settings: render_docx(report),
    "xlsx": lambda report, _scan, _csv_settings: render_xlsx(report),
}


def export_report(report: Report, fmt: str, scanner: LeakScanner,
                  target: str = "rapport", csv_settings: CsvSettings = CsvSettings()) -> bytes:
    """The report in `fmt` as bytes, after the leak scan (FX-REP-003) of the model and, for
    HTML, PDF and CSV, of the rendered text. FX-REP-004 for an unknown format. The CSV zip
    follows `csv_settings` (settings `[csv]`: ";" and a decimal comma by default)."""
    if fmt not in RENDERERS:
        raise FocuslexError("FX-REP-004", value=fmt, choices=", ".join(FORMATS))
    public = public_texts()
    check_leaks(report, scanner, target, public)

    def scan(text: str, where: str) -> None:
        _scan(scanner, text, where, target, public)

    return RENDERERS[fmt](report, scan, csv_settings)


def record_path(out: Path) -> Path:
    """The run record beside a report: rapport.pdf -> rapport.runrecord.json."""
    return out.with_name(out.stem + RECORD_SUFFIX)


def write_report(report: Report, fmt: str, out: Path, scanner: LeakScanner,
                 csv_settings: CsvSettings = CsvSettings()) -> list[Path]:
    """Write the report and its JSON run record; nothing is written when the leak scan
    refuses. Returns the paths written."""
    out = Path(out)
    data = export_report(report, fmt, scanner, str(out), csv_settings)
    sidecar = record_path(out)
    try:
        write_atomic(out, data)
        write_atomic(sidecar, report.record.to_json().encode("utf-8"))
    except OSError as exc:
        raise FocuslexError("FX-REP-005", file=str(out), detail=exc.strerror or str(exc)) \
            from exc
    return [out, sidecar]
