"""Reports (`pipeline.reports`, `focuslex report`, page Rapport) on the demo corpus: every
format read back (html.parser, python-docx, pypdf, openpyxl, zip+csv) for its sections, a
known quote, a chart and the run record; the leak scan refuses a planted real name;
the same data, release and settings give the same HTML bytes and XLSX cell values."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import docx
import openpyxl
import pandas as pd
import pypdf
import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from lexicon.io import load_seed
from lexicon.store import LexiconStore
from pipeline.access.users import Users
from pipeline.cli.main import cli
from pipeline.core.errors import FocuslexError
from pipeline.core.records import DocumentMeta
from pipeline.core.settings import CsvSettings, ReportSettings, Settings, load_settings
from pipeline.ingest.service import Ingestor, collect_requests
from pipeline.ingest.sheets import read_participants
from pipeline.privacy.leaks import leak_scanner
from pipeline.reports.annex import _changed_since_analysis
from pipeline.reports.build import SECTIONS, build_report, make_report
from pipeline.reports.context import ReportOptions, load_context, load_lexicon
from pipeline.reports.export import export_report, record_path, write_report
from pipeline.reports.model import Quote, Section, Table
from pipeline.reports.quality import FIGURES
from pipeline.reports.quotes import choose_quotes, shorten, split_sentence
from pipeline.reports.render_tables import csv_files, render_xlsx
from pipeline.store.database import Store
from pipeline.terms.run import run_analysis
from tests.conftest import TEST_PASSWORD, app_login

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "corpora" / "demo"
TERMS = ("integratie", "racisme", "allochtoon")
WHEN = dt.datetime(2026, 6, 1, 9, 30, tzinfo=dt.timezone.utc)
# Chosen by the quote rule for 'integratie' (most uses: migrantenorganisatie; a plain use
# of typical length).
KNOWN_QUOTE = "De vraag is niet of wij geïntegreerd zijn, de vraag is of de huurmarkt dat al is."
SECTION_TITLES = ["Wat werd geanalyseerd", "Gevoelige termen", "Uittreksel uit het "
                  "afgesproken lexicon", "Bijlage: werkwijze", "Verantwoording (run record)"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Store]:
    """The demo corpus ingested and analysed once, with the seed lexicon in which the
    committee agreed on 'integratie', frozen as release 1."""
    settings = load_settings(base_dir=tmp_path_factory.mktemp("report"))
    store = Store(settings.database_url)
    lexicon = LexiconStore(store)
    lexicon.import_entries(load_seed(), by="comité", why="startlexicon")
    ingest = Ingestor(settings, store, read_participants(DEMO / "participants.csv", settings.ingest))
    assert ingest.ingest(collect_requests([DEMO], DocumentMeta(), settings)).ok
    run_analysis(settings, store)
    entry = lexicon.get("integratie")
    entry = lexicon.set_status("integratie", "in bespreking", entry.version, by="comité",
                               why="agenda")
    lexicon.set_status("integratie", "afgesproken", entry.version, by="comité", why="akkoord")
    lexicon.release(by="comité", note="eerste release")
    yield settings, store
    store.close()


def options(**changes: object) -> ReportOptions:
    base = ReportOptions(terms=TERMS, author="Testgebruiker", created=WHEN)
    return dataclasses.replace(base, **changes)


@pytest.fixture(scope="module")
def report(demo):
    settings, store = demo
    return make_report(store, settings, options())


@pytest.fixture(scope="module")
def rendered(demo, report) -> dict[str, bytes]:
    settings, _ = demo
    scanner = leak_scanner(settings)
    return {fmt: export_report(report, fmt, scanner) for fmt in ("html", "docx", "pdf")}


def all_quotes(report) -> list[Quote]:
    return [b for top in report.sections for _, s in top.walk() for b in s.blocks
            if isinstance(b, Quote)]


# -- the document model ---------------------------------------------------------------------

def test_sections_come_in_the_promised_order_without_topics(report) -> None:
    assert [s.title for s in report.sections] == SECTION_TITLES
    terms = report.sections[1]
    assert [s.title for s in terms.subsections] == list(TERMS)
    methods = " ".join(b.text for b in report.sections[3].blocks if hasattr(b, "text"))
    assert "Onderwerpen (topics) per groep en ronde maakten geen deel uit" in methods
    assert "zes activiteiten" in methods and "Citaten." in methods
    # the committee changed a status after the analysis: the annex says so
    assert "het lexicon is daarna nog gewijzigd" in methods


def test_a_term_section_has_definition_frequency_use_mention_quotes_collocations(report
                                                                                 ) -> None:
    section = report.sections[1].subsections[0]
    kinds = [type(b).__name__ for b in section.blocks]
    assert kinds[:5] == ["Facts", "Paragraph", "Table", "Chart", "Table"]
    facts = dict(section.blocks[0].items)
    assert facts["Status"].startswith("afgesproken")  # from release 1
    assert facts["Voorkeursalternatieven"].startswith("samenleven")
    frequency = section.blocks[2]
    assert frequency.columns[0] == "groep" and "ronde 1" in frequency.columns
    assert sum(row[-2] for row in frequency.rows) == int(
        report.sections[1].blocks[1].rows[0][3])  # totals agree with the overview table
    mention = dict((r[0], r[1]) for r in section.blocks[4].rows)
    assert set(mention) >= {"gebruik", "tussen aanhalingstekens"}
    assert any(isinstance(b, Table) and b.sheet == "Collocaties" for b in section.blocks)


def test_quotes_follow_the_rule(report) -> None:
    quotes = [b for b in report.sections[1].subsections[0].blocks if isinstance(b, Quote)]
    assert quotes[0].text == KNOWN_QUOTE
    assert quotes[0].term == "geïntegreerd"
    assert len(quotes) == 3 and len({q.group for q in quotes}) == 3
    assert len({q.speaker for q in quotes if q.speaker}) == len([q for q in quotes
                                                                  if q.speaker])
    assert not any(q.speaker.startswith("FAC") for q in all_quotes(report))


def test_unknown_group_round_or_term_are_refused(demo) -> None:
    settings, store = demo
    for opts, code in ((options(groups=("astronauten",)), "FX-REP-006"),
                       (options(rounds=(9,)), "FX-REP-007"),
                       (options(terms=("blablabla",)), "FX-TRM-050"),
                       (options(release=7), "FX-LEX-012")):
        with pytest.raises(FocuslexError) as caught:
            load_context(store, settings, opts)
        assert caught.value.code == code


def test_a_selection_narrows_groups_and_rounds(demo) -> None:
    settings, store = demo
    ctx = load_context(store, settings, options(groups=("vakbond",), rounds=(2,)))
    assert set(ctx.hits["group"]) == {"vakbond"} and set(ctx.hits["round"]) == {2}
    assert {u.group for u in ctx.utterances} == {"vakbond"}


def test_a_registered_section_plugs_in_and_the_annex_sees_it(demo) -> None:
    settings, store = demo
    ctx = load_context(store, settings, options(terms=("racisme",)))

    def topics_section(c) -> Section:
        return Section("topics", "Onderwerpen", methods=())

    sections = (*SECTIONS[:2], topics_section, lambda c: None, *SECTIONS[2:])
    built = build_report(ctx, sections)
    assert [s.key for s in built.sections] == ["analysed", "terms", "topics", "lexicon",
                                               "methods", "record"]
    methods = " ".join(getattr(b, "text", "") for b in built.sections[4].blocks)
    assert "Onderwerpen (topics)" not in methods and "zes activiteiten" in methods


# -- HTML ----------------------------------------------------------------------------------------

class Outline(HTMLParser):
    """Headings, text, tags and attribute values of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[str, str]] = []
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.text: list[str] = []
        self._heading: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(k, v or "") for k, v in attrs]
        if tag in ("h1", "h2", "h3"):
            self._heading = tag
            self.headings.append((tag, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == self._heading:
            self._heading = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._heading:
            tag, text = self.headings[-1]
            self.headings[-1] = (tag, text + data)


def outline(html: bytes) -> Outline:
    parser = Outline()
    parser.feed(html.decode("utf-8"))
    return parser


def test_html_has_sections_quote_chart_and_run_record(rendered, report) -> None:
    page = outline(rendered["html"])
    h2 = [text for tag, text in page.headings if tag == "h2" and text != "Inhoud"]
    assert h2 == SECTION_TITLES
    text = "".join(page.text)
    assert KNOWN_QUOTE.replace("geïntegreerd", "") in text.replace("geïntegreerd", "")
    assert "svg" in page.tags and "Gebruik per 10.000 woorden".lower() in text.lower()
    assert report.record.inputs[0]["sha256"] in text
    assert "Testgebruiker" in text and "1 juni 2026, 09:30 UTC" in text


def test_html_is_self_contained(rendered) -> None:
    page = outline(rendered["html"])
    assert not {"script", "link", "img", "iframe"} & set(page.tags)
    fetched = [v for k, v in page.attributes if k in ("src", "href") and not v.startswith("#")]
    assert fetched == []
    assert b"url(" not in rendered["html"] and b"@import" not in rendered["html"]


def test_html_escapes_document_text(demo, report) -> None:
    settings, _ = demo
    planted = plant(report, "<script>alert(1)</script> & co")
    html = export_report(planted, "html", leak_scanner(settings)).decode("utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html


# -- DOCX, PDF ---------------------------------------------------------------------------------

def test_docx_has_headings_toc_figures_quote_and_record(rendered, report) -> None:
    document = docx.Document(io.BytesIO(rendered["docx"]))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Inhoud", *SECTION_TITLES]
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 2"] == list(TERMS)
    assert "TOC \\o" in document.element.xml and "w:tblHeader" in document.element.xml
    assert len(document.inline_shapes) == len(report.charts()) >= 4
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert f"“{KNOWN_QUOTE}”" in quotes
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert report.record.inputs[0]["sha256"] in cells


def test_pdf_has_sections_page_numbers_quote_chart_and_record(rendered, report) -> None:
    reader = pypdf.PdfReader(io.BytesIO(rendered["pdf"]))
    pages = [page.extract_text() for page in reader.pages]
    text = " ".join(" ".join(p.split()) for p in pages)
    assert len(pages) > 5
    for title in SECTION_TITLES:
        assert title in text
    assert f"pagina 1 van {len(pages)}" in pages[0]
    assert re.search(r"Wat werd geanalyseerd ?\.{5,} ?\d+", pages[0])  # contents with pages
    assert "Gevoelige termen" in pages[len(pages) // 2]  # running header
    assert "geïntegreerd" in text and "de vraag is of de huurmarkt dat al is" in text
    assert "integratie: gebruik per 10.000 woorden" in text  # the heatmap, drawn as vector
    assert report.record.inputs[0]["sha256"][:40] in text.replace(" ", "")


# -- XLSX, CSV ---------------------------------------------------------------------------------

def test_xlsx_one_sheet_per_table_frozen_header_and_record(report) -> None:
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    assert book.sheetnames[0] == "Verantwoording"
    assert {"Rondes", "Stakeholdergroepen", "Documenten", "Termen in dit rapport",
            "Gebruik per groep en ronde", "Collocaties", "Invoerbestanden"} <= set(book.sheetnames)
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.cell(1, 1).font.b
    record = {r[0]: r[1] for r in book["Verantwoording"].iter_rows(min_row=2, values_only=True)}
    assert record["created_by"] == "Testgebruiker" and record["lexicon.release"] == "1"
    freq = book["Gebruik per groep en ronde"]
    assert {r[0] for r in freq.iter_rows(min_row=2, values_only=True)} == set(TERMS)
    assert book["Invoerbestanden"].column_dimensions["B"].width >= 60


def test_spreadsheets_guard_formula_text(report) -> None:
    planted = plant_table(report, "=HYPERLINK(\"http://x\")")
    sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(planted)))["Rondes"]
    cell = sheet.cell(2, 3)
    assert cell.value == "=HYPERLINK(\"http://x\")" and cell.data_type == "s"
    assert cell.quotePrefix
    rows = list(csv.reader(io.StringIO(csv_files(planted)["01-rondes.csv"]), delimiter=";"))
    assert rows[1][2] == "'=HYPERLINK(\"http://x\")"


def test_csv_zip_holds_every_table_and_the_record(demo, report, tmp_path: Path) -> None:
    settings, _ = demo
    out = tmp_path / "rapport.zip"
    written = write_report(report, "csv", out, leak_scanner(settings))
    assert written == [out, record_path(out)]
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        record = json.loads(archive.read("runrecord.json"))
        rounds = archive.read("01-rondes.csv").decode("utf-8")
    assert names[0] == "00-verantwoording.csv" and len(names) >= 10
    assert "2026-02-10" in rounds
    assert record == json.loads(record_path(out).read_text(encoding="utf-8"))
    assert record["inputs"][0]["sha256"] == report.record.inputs[0]["sha256"]
    assert record["analysis"]["model"]["id"].startswith("nl_")


# -- reproducible, run record, leak scan ----------------------------------------------------------

def test_same_data_release_and_settings_give_the_same_report(demo, report, rendered) -> None:
    settings, store = demo
    again = make_report(store, settings, options())
    scanner = leak_scanner(settings)
    assert export_report(again, "html", scanner) == rendered["html"]
    first = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    second = openpyxl.load_workbook(io.BytesIO(render_xlsx(again)))
    assert first.sheetnames == second.sheetnames
    for a, b in zip(first.worksheets, second.worksheets):
        assert list(a.iter_rows(values_only=True)) == list(b.iter_rows(values_only=True))
    later = make_report(store, settings, options(created=WHEN + dt.timedelta(days=3)))
    assert dataclasses.replace(later.record, created=report.record.created) == report.record
    old = rendered["html"].decode("utf-8").splitlines()
    new = export_report(later, "html", scanner).decode("utf-8").splitlines()
    changed = [(a, b) for a, b in zip(old, new) if a != b]
    assert len(old) == len(new) and changed
    assert all("juni 2026" in a and "juni 2026" in b for a, b in changed)


def test_run_record_names_inputs_lexicon_pipeline_and_settings(report, demo) -> None:
    _, store = demo
    record = report.record.as_dict()
    hashes = {d.content_hash for d in store.documents()}
    assert {i["sha256"] for i in record["inputs"]} == hashes
    assert record["lexicon"]["release"] == 1 and len(record["lexicon"]["fingerprint"]) == 64
    assert record["analysis"]["model"]["version"] and record["analysis"]["status"] == "ok"
    assert record["settings"]["reports"]["quotes_per_term"] == 3
    assert record["selection"]["terms"] == list(TERMS)
    assert record["ingest_runs"][0]["files"] == len(hashes)
    assert record["focuslex_version"] and record["created"] == WHEN.isoformat()


def plant(report, text: str):
    """The report with `text` in the first quote of the first term."""
    term = report.sections[1].subsections[0]
    index = next(i for i, b in enumerate(term.blocks) if isinstance(b, Quote))
    quote = dataclasses.replace(term.blocks[index], after=f" {text}")
    blocks = (*term.blocks[:index], quote, *term.blocks[index + 1:])
    terms = dataclasses.replace(report.sections[1], subsections=(
        dataclasses.replace(term, blocks=blocks), *report.sections[1].subsections[1:]))
    return dataclasses.replace(report, sections=(report.sections[0], terms,
                                                 *report.sections[2:]))


def plant_table(report, text: str):
    overview = report.sections[0]
    blocks = list(overview.blocks)
    index = next(i for i, b in enumerate(blocks) if isinstance(b, Table))
    rows = list(blocks[index].rows)
    rows[0] = (*rows[0][:2], text, *rows[0][3:])
    blocks[index] = dataclasses.replace(blocks[index], rows=tuple(rows))
    return dataclasses.replace(report, sections=(
        dataclasses.replace(overview, blocks=tuple(blocks)), *report.sections[1:]))


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf", "xlsx", "csv"])
def test_a_real_name_in_a_quote_stops_the_export(demo, report, tmp_path: Path,
                                                 fmt: str) -> None:
    settings, _ = demo
    real = "Dirk Goossens"  # a participant of the demo corpus (participants.csv)
    assert real in (DEMO / "participants.csv").read_text(encoding="utf-8")
    out = tmp_path / f"rapport.{fmt}"
    with pytest.raises(FocuslexError) as caught:
        write_report(plant(report, f"zei {real} toen."), fmt, out, leak_scanner(settings))
    message = caught.value.message
    assert caught.value.code == "FX-REP-003"
    assert "'integratie'" in message and "regel " in message
    assert "Dirk" not in message and "Goossens" not in message
    assert not out.exists() and not record_path(out).exists()


# -- quotes (unit) -----------------------------------------------------------------------------

def hit(speaker: str, group: str, sentence: str, start: int, **extra: object) -> dict:
    return {"document_id": 1, "document": "gesprek.txt", "utterance_index": start,
            "term_id": "integratie", "label": "integratie", "text": "integratie",
            "start": start, "end": start + 10, "sentence": sentence, "speaker": speaker,
            "group": group, "round": 1, "compound_part": "", "negated": False, "mention": "",
            **extra}


def test_quote_rule_prefers_big_groups_plain_uses_and_new_speakers() -> None:
    typical = "Voor ons is integratie iets wat je samen doet in de buurt."
    frame = pd.DataFrame([
        hit("FAC1", "facilitator", "Wat betekent integratie voor jullie, concreet in de buurt?", 0),
        hit("P01", "vakbond", "Integratie is " + "heel " * 30 + "lang.", 100),
        hit("P01", "vakbond", typical, 200),
        hit("P02", "vakbond", "Dat is geen integratie maar aanpassing aan de rest hier.", 300,
            negated=True),
        hit("P03", "onderwijs", "In de klas werkt integratie als iedereen meedoet, echt.", 400),
        hit("P04", "media", "Integratie.", 500),
    ])
    quotes = choose_quotes(frame, {}, ReportSettings(quotes_per_term=3),
                           frozenset({"FAC1"}))
    # vakbond used it most; P01's typical sentence beats the long one; the negated use comes
    # after the other group's plain use; 'Integratie.' is too short; FAC1 is a facilitator
    assert [(q.speaker, q.group) for q in quotes] == [("P01", "vakbond"), ("P03", "onderwijs"),
                                                      ("P02", "vakbond")]
    assert quotes[0].text == typical and quotes[2].note == "ontkend"
    again = choose_quotes(frame.sample(frac=1, random_state=3), {},
                          ReportSettings(quotes_per_term=3), frozenset({"FAC1"}))
    assert again == quotes
    four = choose_quotes(frame, {}, ReportSettings(quotes_per_term=5), frozenset({"FAC1"}))
    assert [q.speaker for q in four] == ["P01", "P03", "P02", "P01"]  # a speaker again last


def test_quote_is_split_at_the_use_and_shortened_around_it() -> None:
    text = "Inleiding.\n\nWij zeggen integratie, maar we bedoelen samenleven."
    start = text.index("integratie")
    sentence = "Wij zeggen integratie, maar we bedoelen samenleven."
    assert split_sentence(sentence, text, start, start + 10) == (
        "Wij zeggen ", "integratie", ", maar we bedoelen samenleven.")
    before, term, after = shorten("een " * 40, "integratie", " twee" * 40, 60)
    assert before.startswith("… ") and after.endswith(" …") and term == "integratie"
    assert len(before) + len(term) + len(after) <= 66


# -- documented figures, CLI, app --------------------------------------------------------------

def test_quality_figures_are_the_documented_ones() -> None:
    for figure in FIGURES:
        assert figure.evidence in (REPO / figure.source).read_text(encoding="utf-8"), figure


def cli_settings(demo, tmp_path: Path) -> Path:
    settings, _ = demo
    path = tmp_path / "settings.toml"
    path.write_text(f'[paths]\ndata_dir = "{settings.paths.data_dir.as_posix()}"\n',
                    encoding="utf-8")
    return path


def reporter(demo) -> list[str]:
    """`--as beleidsmedewerker`, a viewer (reports are for the learning network)."""
    settings, _ = demo
    users = Users(Store(settings.database_url), settings.access)
    if users.count() == 0:
        users.add("test-admin", "admin", TEST_PASSWORD)
    if users.find("beleidsmedewerker") is None:
        users.add("beleidsmedewerker", "viewer", TEST_PASSWORD)
    return ["--as", "beleidsmedewerker"]


def test_cli_report_is_made_by_the_command_lines_user(demo, tmp_path: Path) -> None:
    settings = str(cli_settings(demo, tmp_path))
    reporter(demo)
    nobody = CliRunner().invoke(cli, ["--settings", settings, "report", "--format", "html",
                                      "--out", str(tmp_path / "r.html")])
    assert nobody.exit_code == 2 and "FX-ACC-007" in nobody.output
    unknown = CliRunner().invoke(cli, ["--settings", settings, "--as", "onbekende", "report",
                                       "--format", "html", "--out", str(tmp_path / "r.html")])
    assert unknown.exit_code == 2 and "FX-ACC-003" in unknown.output
    assert not (tmp_path / "r.html").exists()


def test_cli_writes_the_report_and_its_run_record(demo, tmp_path: Path) -> None:
    out = tmp_path / "uit" / "rapport.html"
    result = CliRunner().invoke(cli, [
        "--settings", str(cli_settings(demo, tmp_path)), *reporter(demo),
        "report", "--format", "html", "--out", str(out), "--terms", "racisme,allochtoon",
        "--groups", "vakbond", "--groups", "media"])
    assert result.exit_code == 0, result.output
    assert out.exists() and "beleidsmedewerker" in out.read_text(encoding="utf-8")
    record = json.loads(record_path(out).read_text(encoding="utf-8"))
    assert record["selection"]["groups"] == ["vakbond", "media"]
    assert record["selection"]["terms"] == ["racisme", "allochtoon"]


def test_cli_user_error_exits_2_with_a_coded_message(demo, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, [
        "--settings", str(cli_settings(demo, tmp_path)), *reporter(demo), "report",
        "--format", "pdf",
        "--out", str(tmp_path / "r.pdf"), "--groups", "astronauten"])
    assert result.exit_code == 2
    assert "FX-REP-006" in result.output and "vakbond" in result.output
    assert not (tmp_path / "r.pdf").exists()


def test_report_page_builds_shows_and_offers_every_format(demo) -> None:
    settings, _ = demo
    at = AppTest.from_file(str(REPO / "app_pages" / "report.py"), default_timeout=120)
    at.session_state["focuslex_settings"] = settings
    app_login(at, settings, "viewer", "lerend-netwerk").run()  # the learning network
    assert "Gemaakt door" not in [w.label for w in at.text_input]  # the author is the user
    assert not at.exception and at.title[0].value == "Rapport"
    at.multiselect[2].set_value(["racisme"])
    at.button[0].click().run()
    assert not at.exception, at.exception
    labels = [b.label for b in at.button]
    assert "Word maken" in labels and "PDF maken" in labels
    report = at.session_state["report"]
    assert [s.title for s in report.sections[1].subsections] == ["racisme"]
    assert report.record.created_by == "lerend-netwerk"  # the logged-in user
    assert at.session_state["report_files"]["html"].startswith(b"<!DOCTYPE html>")
    next(b for b in at.button if b.label == "Excel maken").click().run()
    assert not at.exception
    assert at.session_state["report_files"]["xlsx"][:2] == b"PK"


def test_a_reader_of_the_agreed_lexicon_gets_a_release_never_the_working_version(
        tmp_path: Path, demo) -> None:
    """A viewer may read only agreed terms: without a release the report is refused
    (FX-REP-010) instead of quoting terms still 'in bespreking'; with one it quotes it."""
    settings, store = demo
    empty = Store(load_settings(base_dir=tmp_path).database_url)
    LexiconStore(empty).import_entries(load_seed(), by="comité", why="startlexicon")
    with pytest.raises(FocuslexError) as refused:
        load_lexicon(empty, None, released_only=True)
    assert refused.value.code == "FX-REP-010" and "release" in refused.value.message
    assert load_lexicon(empty, None).release is None  # a facilitator gets the working version
    empty.close()
    ctx = load_context(store, settings, options(released_only=True))
    assert ctx.lexicon.release == 1


def test_a_lexicon_edit_in_the_second_the_analysis_started_still_counts() -> None:
    """Revisions keep whole seconds: the annex compares the revision the analysis recorded
    (as the stale banners do), so an edit right after a quick analysis is not missed."""
    started = dt.datetime(2026, 5, 26, 10, 0, 0, 700_000)
    same_second = "2026-05-26T10:00:00+00:00"
    run = SimpleNamespace(started_at=started, details={"lexicon_revision": 3})
    assert _changed_since_analysis(SimpleNamespace(
        analysis_run=run, lexicon_changed_at=same_second, lexicon_revision=4))
    assert not _changed_since_analysis(SimpleNamespace(
        analysis_run=run, lexicon_changed_at=same_second, lexicon_revision=3))
    old_run = SimpleNamespace(started_at=started, details={})  # recorded before revisions
    assert _changed_since_analysis(SimpleNamespace(
        analysis_run=old_run, lexicon_changed_at=same_second, lexicon_revision=4))


# -- counts with the right noun (singular for one) --------------------------------------------

SMALL_SHEET = ("spreker,groep,rol\nHilde Verstraeten,begeleiding,facilitator\n"
               "Ayşe Demir,lokaal bestuur,deelnemer\nJan Wouters,vakbond,deelnemer\n")
SMALL_TRANSCRIPT = """Hilde Verstraeten: Welkom. Wat betekent integratie voor jullie werk?
Ayşe Demir: Voor ons bestuur gaat integratie over meedoen: werk, taal en een plek in de buurt.
Jan Wouters: Op de werkvloer zie ik nog racisme, ook al zegt niemand het hardop.
Jan Wouters: Dat racisme merk je vooral bij sollicitaties en bij de ploegwissels.
"""


def test_report_counts_take_the_singular_for_one(settings: Settings, store: Store,
                                                 tmp_path: Path) -> None:
    sheet = tmp_path / "deelnemers.csv"
    sheet.write_text(SMALL_SHEET, encoding="utf-8")
    (tmp_path / "gesprek.txt").write_text(SMALL_TRANSCRIPT, encoding="utf-8")
    LexiconStore(store).import_entries(load_seed(), by="comité", why="startlexicon")
    ingest = Ingestor(settings, store, read_participants(sheet, settings.ingest))
    assert ingest.ingest(collect_requests([tmp_path / "gesprek.txt"], DocumentMeta(round=1),
                                          settings)).ok
    run_analysis(settings, store)
    report = make_report(store, settings, options(terms=("integratie", "racisme")))
    facts = dict(report.summary)
    assert facts["Documenten"] == "1 (1 transcript, 0 verklaringen)"
    assert facts["Gebruik van lexicontermen"] == "4 keer, 2 termen"
    lead = report.sections[0].blocks[0].text
    assert "in 1 transcript van focusgroepgesprekken en 0 schriftelijke verklaringen" in lead
    usage = {s.title: " ".join(b.text for b in s.blocks if type(b).__name__ == "Paragraph")
             for s in report.sections[1].subsections}
    assert "werd 2 keer gebruikt door 1 spreker in 1 document (1 groep, 1 ronde)" \
        in usage["racisme"]
    assert "werd 2 keer gebruikt door 2 sprekers in 1 document (2 groepen, 1 ronde)" \
        in usage["integratie"]
    html = export_report(report, "html", leak_scanner(settings)).decode("utf-8")
    assert "1 transcript, 0 verklaringen" in html and "1 documenten" not in html


# -- CSV for Belgian Excel ------------------------------------------------------------------

def zipped_csv(data: bytes, part: str) -> tuple[bytes, str]:
    """The raw bytes and the text (byte-order mark removed) of the first CSV file of a
    report zip whose name holds `part`."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        name = next(n for n in archive.namelist() if part in n and n.endswith(".csv"))
        raw = archive.read(name)
    return raw, raw.decode("utf-8-sig")


def test_csv_zip_opens_in_belgian_excel(demo, report, tmp_path: Path) -> None:
    settings, _ = demo
    out = tmp_path / "rapport.zip"
    write_report(report, "csv", out, leak_scanner(settings), settings.csv)
    data = out.read_bytes()
    with zipfile.ZipFile(out) as archive:
        assert all(archive.read(n).startswith("\ufeff".encode("utf-8"))
                   for n in archive.namelist() if n.endswith(".csv"))
    _, text = zipped_csv(data, "rondes")
    rounds = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert list(rounds[0]) == ["ronde", "datum", "leidvraag", "documenten", "woorden"]
    assert all(r["woorden"].isdigit() for r in rounds)  # whole numbers, no thousands mark
    _, text = zipped_csv(data, "collocaties")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    values = [r["G²"] for r in rows]
    assert values and all(re.fullmatch(r"\d+(,\d+)?", v) for v in values)  # decimal comma
    assert any("," in v for v in values)
    assert float(values[0].replace(",", ".")) == pytest.approx(
        next(t for t in report.tables() if t.key.startswith("collocaties")).rows[0][3])


def test_csv_separator_comma_for_other_tools(demo, report) -> None:
    settings, _ = demo
    data = export_report(report, "csv", leak_scanner(settings),
                         csv_settings=CsvSettings(separator=",", bom=False))
    raw, text = zipped_csv(data, "collocaties")
    assert not raw.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and all(re.fullmatch(r"\d+(\.\d+)?", r["G²"]) for r in rows)


def test_csv_setting_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[csv]\nseparator = "|"\n', encoding="utf-8")
    with pytest.raises(FocuslexError) as error:
        load_settings(path)
    assert error.value.code == "FX-POL-001" and "'|'" in error.value.message
    path.write_text('[csv]\nseparator = ","\nbom = false\n', encoding="utf-8")
    assert load_settings(path).csv == CsvSettings(separator=",", bom=False)
