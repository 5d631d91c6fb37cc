"""Upload as a checked step (pipeline/ingest/plan.py): read without storing, correct, ingest
each file with its own round; the CLI takes round, date and question from header blocks."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from pipeline.cli.main import cli
from pipeline.core.errors import FocuslexError
from pipeline.core.records import DocumentMeta, Kind
from pipeline.core.settings import IngestSettings, Settings
from pipeline.ingest.plan import (FROM_CORRECTION, FROM_HEADER, FROM_SHEET, FROM_USER, correct,
                                  corrections_from_frame, ingest_plan, plan_frame, plan_upload)
from pipeline.ingest.readers import SourceFile
from pipeline.ingest.sheets import read_documents_sheet, read_participants
from pipeline.store.database import DocumentRow, Store
from tests.conftest import FIXTURE_NAMES, INGEST, REPO

ROUND_TWO = """Focusgroep Samenleven Gent
Ronde: 2
Datum: 14/03/2026
Vraag: Waar ervaren mensen in uw omgeving discriminatie?
Focusgroep: Gent 2B

Hilde Verstraeten: Welkom in deze tweede ronde. Ayşe, wil jij beginnen?

Ayşe Demir: Dank u, Hilde. Op de woningmarkt zien we het elke week.

Jan Roos: Bij ons op de werkvloer ook, al zegt niemand het hardop.
"""
ROUND_THREE = """Focusgroep Samenleven Gent – ronde 3
dinsdag 21 april 2026
Wat is er nodig voor gelijke kansen in onderwijs en werk?

Hilde Verstraeten: Welkom terug. Wouter?

Wouter Bakker: Ik denk aan stages, Hilde.

Onbekende Gast: Mag ik ook iets zeggen?
"""
STATEMENT = """Open brief van de Federatie Bruggenbouwers

Samen bouwen is geen eenrichtingsstraat. Wij vragen een beleid dat wederzijds is.

Wij rekenen op het lerend netwerk om dit mee te dragen.
"""


def files() -> list[SourceFile]:
    return [SourceFile("ronde2.txt", ROUND_TWO.encode()),
            SourceFile("ronde3.txt", ROUND_THREE.encode()),
            SourceFile("brief.txt", STATEMENT.encode()),
            SourceFile("leeg.txt", b"   \n")]


@pytest.fixture
def sheet() -> list:
    return read_participants(INGEST / "participants.csv", IngestSettings())


def test_plan_reads_headers_speakers_and_kinds_without_storing(
        settings: Settings, store: Store, sheet: list) -> None:
    plan = plan_upload(files(), sheet, settings, store=store)
    two, three, letter, empty = plan
    assert (two.meta.round, two.meta.date, two.meta.focus_group) == (2, "2026-03-14", "Gent 2B")
    assert two.meta.prompt == "Waar ervaren mensen in uw omgeving discriminatie?"
    assert two.origin["round"] == FROM_HEADER
    assert (two.format, two.detected_kind, two.speakers, two.matched, two.unmatched) == \
        ("txt", Kind.TRANSCRIPT, 3, 3, 0)
    assert two.warnings == ()
    assert (three.meta.round, three.meta.date) == (3, "2026-04-21")
    assert three.meta.focus_group == ""  # 'Focusgroep Samenleven Gent' names no group id
    assert three.meta.prompt.startswith("Wat is er nodig")
    assert three.unmatched_labels == ("Onbekende Gast",)  # for the uploader's eyes only
    assert any("1 van de 3 sprekers" in w for w in three.warnings)
    assert letter.meta.kind is Kind.STATEMENT and letter.detected_kind is Kind.STATEMENT
    assert any("als verklaring" in w for w in letter.warnings)
    assert empty.error is not None and empty.error.code == "FX-IN-001" and not empty.ok
    assert store.status()["documents"] == 0  # nothing stored
    assert not list(settings.paths.key_file.parent.glob("*.json"))  # no key written


def test_check_table_has_typed_columns_and_no_names(settings: Settings, sheet: list) -> None:
    frame = plan_frame(plan_upload(files(), sheet, settings))
    assert frame["bestand"].tolist() == ["ronde2.txt", "ronde3.txt", "brief.txt", "leeg.txt"]
    assert str(frame["ronde"].dtype) == "Int64" and frame["ronde"].tolist()[:2] == [2, 3]
    assert frame["datum"].tolist()[:2] == ["14/03/2026", "21/04/2026"]
    assert frame["soort"].tolist()[:3] == ["transcript", "transcript", "verklaring"]
    pa.Table.from_pandas(frame)  # Arrow-safe for st.data_editor
    text = frame.to_csv()
    assert "Onbekende" not in text and "Ayşe" not in text and "[FX-IN-001]" in text


def test_corrections_and_their_errors(settings: Settings, sheet: list) -> None:
    plan = plan_upload(files(), sheet, settings)
    fixed = correct(plan[0], round="4", date="15 maart 2026", kind="transcript")
    assert (fixed.meta.round, fixed.meta.date) == (4, "2026-03-15")
    assert fixed.origin["round"] == FROM_CORRECTION
    letter = correct(plan[2], round="")
    assert letter.meta.round is None and not any("als verklaring" in w
                                                 for w in correct(plan[2], kind="verklaring").warnings)
    for change, code in (({"round": "twee-en-een-half"}, "FX-IN-050"),
                         ({"round": -1}, "FX-IN-050"),
                         ({"date": "gisteren"}, "FX-IN-051"),
                         ({"kind": "notulen"}, "FX-IN-052")):
        with pytest.raises(FocuslexError) as caught:
            correct(plan[0], **change)
        assert caught.value.code == code
    # Edited check table -> corrected plan.
    frame = plan_frame(plan)
    frame.loc[1, "ronde"] = 5
    frame.loc[2, "groep"] = "migrantenorganisatie"
    corrected = corrections_from_frame(plan, frame)
    assert corrected[0].meta == plan[0].meta  # untouched row (date shown as dd/mm/jjjj)
    assert corrected[1].meta.round == 5
    assert corrected[2].meta.group == "migrantenorganisatie"


def test_documents_sheet_wins_and_given_values_override(settings: Settings, sheet: list,
                                                        tmp_path: Path) -> None:
    documents = {"ronde2.txt": DocumentMeta(round=7, prompt="Uit de lijst")}
    plan = plan_upload(files()[:2], sheet, settings, documents=documents,
                       given=DocumentMeta(focus_group="Gent"))
    assert plan[0].meta.round == 7 and plan[0].origin["round"] == FROM_SHEET
    assert plan[0].meta.prompt == "Uit de lijst"
    assert plan[0].meta.date == "2026-03-14"  # the header fills what the sheet leaves empty
    assert plan[1].meta.focus_group == "Gent" and plan[1].origin["focus_group"] == FROM_USER


def test_ingest_plan_gives_each_file_its_own_round(settings: Settings, store: Store,
                                                   sheet: list) -> None:
    plan = plan_upload(files(), sheet, settings, store=store)
    plan[1] = correct(plan[1], round=3)
    plan = [p for p in plan if p.name != "ronde3.txt"] + [plan[1]]  # order kept per file
    report = ingest_plan(plan, settings, store, sheet)
    outcomes = {o.name: o for o in report.outcomes}
    assert outcomes["ronde2.txt"].status == "stored"
    assert outcomes["brief.txt"].status == "stored"
    assert outcomes["leeg.txt"].status == "error"
    assert outcomes["ronde3.txt"].status == "error"  # 'Onbekende Gast' is not on the sheet
    assert outcomes["ronde3.txt"].error.code == "FX-IN-015"
    with store.session() as s:
        rows = {d.file_name: d for d in s.scalars(select(DocumentRow))}
    assert rows["ronde2.txt"].round == 2 and rows["ronde2.txt"].date == "2026-03-14"
    assert rows["brief.txt"].kind == "statement"
    assert set(store.status()["words_by_round"]) == {"2", "zonder ronde"}
    again = plan_upload(files()[:1], sheet, settings, store=store)
    assert again[0].duplicate_of is not None and not again[0].ok
    raw = Path(settings.database_url.removeprefix("sqlite:///")).read_bytes()
    for name in FIXTURE_NAMES:
        assert name.encode() not in raw, name


def test_demo_corpus_plan_matches_its_documents_sheet(settings: Settings) -> None:
    """Without documents.csv the header blocks give the round, date and question of every
    demo transcript with a header (txt, md, docx); the sheet agrees with them."""
    demo = REPO / "corpora" / "demo"
    sheet = read_documents_sheet(demo / "documents.csv", IngestSettings())
    names = [n for n in sheet if n.endswith((".txt", ".md", ".docx")) and n.startswith("ronde")]
    plan = plan_upload([SourceFile(Path(n).name, (demo / n).read_bytes()) for n in names],
                       read_participants(demo / "participants.csv", IngestSettings()), settings)
    for name, planned in zip(names, plan):
        expected = sheet[name]
        assert (planned.meta.round, planned.meta.date, planned.meta.prompt,
                planned.meta.focus_group) == (expected.round, expected.date, expected.prompt,
                                              expected.focus_group), name
        assert planned.unmatched == 0 and planned.meta.kind is Kind.TRANSCRIPT, name


def test_cli_ingest_takes_rounds_from_header_blocks(tmp_path: Path) -> None:
    folder = tmp_path / "upload"
    folder.mkdir()
    (folder / "ronde2.txt").write_text(ROUND_TWO, encoding="utf-8")
    (folder / "ronde3.txt").write_text(ROUND_THREE.replace("Onbekende Gast", "Jan Roos"),
                                       encoding="utf-8")
    db = tmp_path / "f.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "ingest", str(folder), "--participants",
                                      str(INGEST / "participants.csv")])
    assert result.exit_code == 0, result.output
    assert "ronde 2)" in result.output and "ronde 3)" in result.output
    info = json.loads(CliRunner().invoke(cli, ["--db", str(db), "status", "--json"]).output)
    assert set(info["words_by_round"]) == {"2", "3"}
    # --round stays an override for every file.
    other = tmp_path / "g.db"
    result = CliRunner().invoke(cli, ["--db", str(other), "ingest", str(folder), "--round", "9",
                                      "--participants", str(INGEST / "participants.csv")])
    assert result.exit_code == 0, result.output
    info = json.loads(CliRunner().invoke(cli, ["--db", str(other), "status", "--json"]).output)
    assert set(info["words_by_round"]) == {"9"}
