"""A report for a selection (one stakeholder group): the table "Documenten" counts the words
of the selection per document, so its column adds up to 'Woorden' in the facts, and says so
in every format (HTML, Word, PDF, Excel, CSV); the whole document stays beside it, labelled.
A small fictional Dutch corpus: two focus groups, each with a union member."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
import openpyxl
import pypdf
import pytest
from click.testing import CliRunner

from lexicon.io import load_seed
from lexicon.store import LexiconStore
from pipeline.access.users import Users
from pipeline.cli.main import cli
from pipeline.core.records import DocumentMeta
from pipeline.core.settings import Settings, load_settings
from pipeline.ingest.service import Ingestor, collect_requests
from pipeline.ingest.sheets import read_participants
from pipeline.privacy.leaks import leak_scanner
from pipeline.reports.build import make_report
from pipeline.reports.context import ReportOptions
from pipeline.reports.export import export_report
from pipeline.reports.model import Report, Table
from pipeline.store.database import Store
from pipeline.terms.run import run_analysis
from tests.conftest import TEST_PASSWORD

SHEET = ("spreker,groep,rol\nHilde Verstraeten,begeleiding,facilitator\n"
         "Ayşe Demir,lokaal bestuur,deelnemer\nJan Wouters,vakbond,deelnemer\n"
         "Sofie Claes,vakbond,deelnemer\nBart Peeters,lokaal bestuur,deelnemer\n")
GROUP_A = """Hilde Verstraeten: Welkom allemaal. Wat betekent integratie voor jullie werk?
Ayşe Demir: Voor ons bestuur gaat integratie over meedoen: werk, taal en een plek in de buurt.
Jan Wouters: Op de werkvloer zie ik nog racisme, ook al zegt niemand het hardop.
Ayşe Demir: Wij merken dat mensen afhaken als de wachtlijsten voor Nederlands te lang zijn.
Jan Wouters: Dat racisme merk je vooral bij sollicitaties en bij de ploegwissels.
"""
GROUP_B = """Hilde Verstraeten: We beginnen met een korte ronde. Wat viel jullie op?
Sofie Claes: In de vakbond spreken we liever over samenleven dan over integratie.
Bart Peeters: Bij de gemeente horen we het woord integratie nog elke dag aan het loket.
Sofie Claes: Praktijktesten tonen dat racisme op de arbeidsmarkt echt bestaat.
"""
WHEN = dt.datetime(2026, 6, 1, 9, 30, tzinfo=dt.timezone.utc)
SELECTION_COLUMN = "woorden (selectie)"
WHOLE_COLUMN = "woorden (heel document)"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Store]:
    folder = tmp_path_factory.mktemp("selectie")
    settings = load_settings(base_dir=folder)
    store = Store(settings.database_url)
    sheet = folder / "deelnemers.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    LexiconStore(store).import_entries(load_seed(), by="comité", why="startlexicon")
    ingest = Ingestor(settings, store, read_participants(sheet, settings.ingest))
    for name, text, number in (("gesprek-a.txt", GROUP_A, 1), ("gesprek-b.txt", GROUP_B, 2)):
        (folder / name).write_text(text, encoding="utf-8")
        assert ingest.ingest(collect_requests([folder / name], DocumentMeta(round=number),
                                              settings)).ok
    run_analysis(settings, store)
    yield settings, store
    store.close()


def report_for(corpus, **changes: object) -> Report:
    settings, store = corpus
    base = ReportOptions(terms=("integratie", "racisme"), author="Testgebruiker",
                         created=WHEN)
    return make_report(store, settings, dataclasses.replace(base, **changes))


def documents_table(report: Report) -> Table:
    return next(b for b in report.sections[0].blocks
                if isinstance(b, Table) and b.key == "documenten")


def words_of(text: str, *speakers: str) -> int:
    """Words the given speakers said (their turns without the 'Naam:' label)."""
    lines = [line.split(":", 1)[1] for line in text.splitlines()
             if line.split(":", 1)[0] in speakers]
    return sum(len(line.split()) for line in lines)


def test_the_table_of_one_group_adds_up_to_the_facts(corpus) -> None:
    report = report_for(corpus, groups=("vakbond",))
    table = documents_table(report)
    assert table.columns[-2:] == (SELECTION_COLUMN, WHOLE_COLUMN)
    selected = {row[0]: row[-2] for row in table.rows}
    whole = {row[0]: row[-1] for row in table.rows}
    assert selected == {"gesprek-a.txt": words_of(GROUP_A, "Jan Wouters"),
                        "gesprek-b.txt": words_of(GROUP_B, "Sofie Claes")}
    facts = dict(report.summary)["Woorden"]
    assert facts == "44 (selectie: groep vakbond)"
    total = int(facts.split()[0].replace(".", ""))
    assert sum(selected.values()) == total == 24 + 20
    assert all(whole[name] > selected[name] for name in whole)  # the rest of the group
    assert "groep vakbond" in table.note and f"de {total} woorden" in table.note


def test_a_group_and_round_selection_names_both(corpus) -> None:
    report = report_for(corpus, groups=("vakbond",), rounds=(2,))
    table = documents_table(report)
    assert [row[0] for row in table.rows] == ["gesprek-b.txt"]
    assert table.rows[0][-2] == words_of(GROUP_B, "Sofie Claes") == 20
    assert dict(report.summary)["Woorden"] == "20 (selectie: groep vakbond; ronde 2)"


def test_without_a_selection_one_column_that_adds_up_as_well(corpus) -> None:
    report = report_for(corpus)
    table = documents_table(report)
    assert table.columns[-1] == "woorden" and SELECTION_COLUMN not in table.columns
    total = int(dict(report.summary)["Woorden"].replace(".", ""))  # no selection named
    assert sum(row[-1] for row in table.rows) == total
    assert total == words_of(GROUP_A, "Hilde Verstraeten", "Ayşe Demir", "Jan Wouters") \
        + words_of(GROUP_B, "Hilde Verstraeten", "Sofie Claes", "Bart Peeters")


def test_every_format_labels_the_selection_columns(corpus) -> None:
    settings, _ = corpus
    report = report_for(corpus, groups=("vakbond",))
    scanner = leak_scanner(settings)
    expected = [str(row[-2]) for row in documents_table(report).rows]
    html = export_report(report, "html", scanner).decode("utf-8")
    assert SELECTION_COLUMN in html and WHOLE_COLUMN in html and "groep vakbond" in html
    word = docx.Document(io.BytesIO(export_report(report, "docx", scanner)))
    table = next(t for t in word.tables if t.rows[0].cells[-2].text == SELECTION_COLUMN)
    assert [r.cells[-2].text for r in table.rows[1:]] == expected
    pdf = pypdf.PdfReader(io.BytesIO(export_report(report, "pdf", scanner)))
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    assert "(selectie)" in text and "(heel document)" in text and "groep vakbond" in text
    book = openpyxl.load_workbook(io.BytesIO(export_report(report, "xlsx", scanner)))
    sheet = book["Documenten"]
    header = [c.value for c in sheet[1]]
    column = header.index(SELECTION_COLUMN)
    assert WHOLE_COLUMN in header
    assert [str(r[column].value) for r in sheet.iter_rows(min_row=2)] == expected
    with zipfile.ZipFile(io.BytesIO(export_report(report, "csv", scanner))) as archive:
        name = next(n for n in archive.namelist() if "ocumenten" in n)
        rows = list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig")),
                                   delimiter=";"))
    assert [r[SELECTION_COLUMN] for r in rows] == expected


def test_cli_report_for_one_group_shows_the_selection_words(corpus, tmp_path: Path) -> None:
    settings, store = corpus
    users = Users(store, settings.access)
    users.add("test-admin", "admin", TEST_PASSWORD)
    users.add("begeleider", "facilitator", TEST_PASSWORD)
    config = tmp_path / "settings.toml"
    config.write_text(f'[paths]\ndata_dir = "{settings.paths.data_dir.as_posix()}"\n',
                      encoding="utf-8")
    out = tmp_path / "vakbond.html"
    result = CliRunner().invoke(cli, ["--settings", str(config), "--as", "begeleider", "report",
                                      "--format", "html", "--out", str(out),
                                      "--groups", "vakbond"])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert SELECTION_COLUMN in html and "de 44 woorden van dit rapport" in html
