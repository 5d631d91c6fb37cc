"""Ingest end to end: files -> pseudonymised documents in the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from pipeline.core.errors import FocuslexError
from pipeline.ingest.service import IngestRequest, Ingestor, collect_requests, safe_file_name
from pipeline.ingest.readers import SourceFile
from pipeline.core.settings import Settings
from pipeline.ingest.sheets import parse_participants, read_participants
from pipeline.core.settings import IngestSettings
from pipeline.store.database import DocumentRow, Store, UtteranceRow
from pipeline.core.records import DocumentMeta, Kind
from tests.conftest import FIXTURE_NAMES, INGEST, make_docx
from tests.pdfmaker import make_pdf

DEFAULT_INGEST = IngestSettings()  # the participants sheets of these tests are small


def request(name: str, data: bytes | None = None, **meta: object) -> IngestRequest:
    payload = data if data is not None else (INGEST / name).read_bytes()
    return IngestRequest(SourceFile(name, payload), DocumentMeta(**meta))


def ingestor(settings: Settings, store: Store, sheet: str | None = "participants.csv") -> Ingestor:
    participants = read_participants(INGEST / sheet, DEFAULT_INGEST) if sheet else None
    return Ingestor(settings, store, participants)


def all_fixture_requests() -> list[IngestRequest]:
    docx_data = make_docx(["Hilde Verstraeten: Welkom, Wouter.",
                           "Wouter Bakker: Dank u Hilde. Ayşe had gelijk over integratie."])
    pdf_data = make_pdf([["Hilde Verstraeten: Welkom Jan.", "Jan Roos: Dank u Hilde, het",
                          "discriminatie-", "beleid moet beter."]])
    return [request("gesprek.txt", round=1), request("gesprek.md", round=2),
            request("gesprek.vtt", round=2), request("gesprek.srt", round=3),
            request("verslag.docx", docx_data, round=3), request("verslag.pdf", pdf_data, round=4),
            request("verklaring.txt", kind=Kind.STATEMENT, group="werkgeversorganisatie",
                    organisation="Unie van Ondernemers")]


def test_every_format_stores_the_right_turns_and_speakers(settings: Settings, store: Store) -> None:
    report = ingestor(settings, store).ingest(all_fixture_requests())
    assert report.ok, [o.error.message for o in report.outcomes if o.error]
    assert report.count("stored") == 7
    with store.session() as s:
        docs = {d.file_name: d for d in s.scalars(select(DocumentRow))}
        turns = {name: [(u.speaker.code if u.speaker else None) for u in d.utterances]
                 for name, d in docs.items()}
    assert turns["gesprek.txt"] == ["FAC1", "P01", "P02", "P03", "P04", "FAC1"]
    assert turns["gesprek.md"] == ["FAC1", "P01", "P02"]
    assert turns["gesprek.vtt"] == ["FAC1", "P01", "P02"]
    assert turns["gesprek.srt"] == ["FAC1", "P04", "P03"]
    assert turns["verslag.docx"] == ["FAC1", "P04"]
    assert turns["verslag.pdf"] == ["FAC1", "P02"]
    assert turns["verklaring.txt"] == [None, None, None]
    assert docs["gesprek.vtt"].utterances[1].start_time == 5.0
    assert docs["verklaring.txt"].kind == "statement"
    assert docs["verklaring.txt"].group == "werkgeversorganisatie"
    assert "discriminatiebeleid moet beter" in docs["verslag.pdf"].text
    assert docs["gesprek.txt"].round == 1


def test_names_in_text_are_replaced(settings: Settings, store: Store) -> None:
    ingestor(settings, store).ingest([request("gesprek.txt")])
    with store.session() as s:
        texts = [u.text for u in s.scalars(select(UtteranceRow).order_by(UtteranceRow.idx))]
    assert texts[0] == "Goeiemiddag iedereen. [P01], wil jij beginnen?"
    # case/diacritics-insensitive (Ayse), possessive (Fatima's), surname that is a word (Roos)
    assert texts[2].startswith("Ja maar [P01], ge kunt")
    assert "[P03]'s voorstel" in texts[2]
    assert texts[4].endswith("Vraag het maar aan [P02].")
    assert texts[5] == "Dank u [P04]. [P02]'s punt nemen we mee."  # 'Jans' -> possessive


def test_utterance_offsets_point_into_the_document_text(settings: Settings, store: Store) -> None:
    ingestor(settings, store).ingest([request("gesprek.txt")])
    with store.session() as s:
        doc = s.scalars(select(DocumentRow)).one()
        for u in doc.utterances:
            assert doc.text[u.char_start:u.char_end] == u.text


def test_no_real_name_reaches_the_database_file(settings: Settings, store: Store) -> None:
    ingestor(settings, store).ingest(all_fixture_requests())
    store.close()
    raw = b""
    for path in Path(settings.paths.data_dir).glob("focuslex.db*"):
        raw += path.read_bytes()
    assert raw, "database file not found"
    for name in FIXTURE_NAMES:
        for encoded in {name.encode("utf-8"), name.lower().encode("utf-8"),
                        name.encode("utf-16-le")}:
            assert encoded not in raw, f"{name!r} leaked into the database"
    key = json.loads(settings.paths.key_file.read_text(encoding="utf-8"))
    assert {e["label"] for e in key["speakers"]} >= {"Ayşe Demir", "Hilde Verstraeten"}
    assert settings.paths.key_file.stat().st_mode & 0o077 == 0


def test_same_file_twice_is_one_document(settings: Settings, store: Store) -> None:
    first = ingestor(settings, store).ingest([request("gesprek.txt")])
    second = ingestor(settings, store).ingest([request("gesprek.txt"), request("gesprek.txt")])
    assert first.count("stored") == 1
    assert second.count("duplicate") == 2
    assert store.status()["documents"] == 1


def test_codes_are_stable_across_ingests(settings: Settings, store: Store) -> None:
    ingestor(settings, store, sheet=None).ingest([request("gesprek.vtt")])
    ingestor(settings, store, sheet=None).ingest([request("gesprek.md")])
    with store.session() as s:
        codes = [[u.speaker.code for u in d.utterances] for d in s.scalars(
            select(DocumentRow).order_by(DocumentRow.id))]
    assert codes[0] == codes[1] == ["P01", "P02", "P03"]


def test_failing_file_leaves_nothing_and_keeps_what_was_stored(settings: Settings,
                                                               store: Store) -> None:
    ingestor(settings, store).ingest([request("gesprek.txt")])
    before = store.status()
    report = ingestor(settings, store).ingest([
        request("kapot.docx", b"PK\x03\x04 not really a docx"),
        request("leeg.txt", b""),
        request("zonder_sprekers.txt"),
        request("gesprek.srt"),
    ])
    codes = [o.error.code if o.error else o.status for o in report.outcomes]
    assert codes == ["FX-IN-004", "FX-IN-001", "FX-IN-007", "stored"]
    after = store.status()
    assert after["documents"] == before["documents"] + 1
    with store.session() as s:
        assert s.scalar(select(DocumentRow).where(DocumentRow.file_name == "gesprek.txt"))


def test_database_failure_rolls_back_the_whole_file(settings: Settings, store: Store,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.store.database import UtteranceRow as Row

    original = Row.__init__

    def broken(self, **kwargs):  # the third utterance cannot be written
        if kwargs.get("idx") == 2:
            raise __import__("sqlalchemy").exc.SQLAlchemyError("schijf vol")
        original(self, **kwargs)

    monkeypatch.setattr(Row, "__init__", broken)
    report = ingestor(settings, store).ingest([request("gesprek.txt")])
    assert report.outcomes[0].error.code == "FX-DB-002"
    with store.session() as s:
        assert s.scalar(select(DocumentRow.id)) is None
        assert s.scalar(select(UtteranceRow.id)) is None


def test_statement_transcript_without_speakers_can_be_stored_as_statement(
        settings: Settings, store: Store) -> None:
    report = ingestor(settings, store).ingest([request("zonder_sprekers.txt",
                                                       kind=Kind.STATEMENT)])
    assert report.count("stored") == 1


def test_unknown_speakers_against_the_sheet(settings: Settings, store: Store) -> None:
    report = ingestor(settings, store, "participants_incomplete.csv").ingest(
        [request("gesprek.txt")])
    error = report.outcomes[0].error
    assert error.code == "FX-IN-015"
    assert "Jan Roos" in error.message and "gesprek.txt" in error.message
    assert store.status()["documents"] == 0


def test_sheet_rows_that_never_speak_give_a_warning(settings: Settings, store: Store) -> None:
    report = ingestor(settings, store).ingest([request("gesprek.vtt")])
    assert report.ok
    assert any("spreken in geen enkel" in w for w in report.warnings)


def test_participants_sheet_missing_column() -> None:
    with pytest.raises(FocuslexError) as info:
        read_participants(INGEST / "participants_missing_column.csv", DEFAULT_INGEST)
    assert info.value.code == "FX-IN-013"
    assert "group" in info.value.message


def test_participants_sheet_xlsx_and_groups(settings: Settings, store: Store,
                                            tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Spreker", "Groep", "Organisatie", "Regio", "Rol"])
    sheet.append(["Hilde Verstraeten", "facilitator", "Proces", "Vlaanderen", "begeleider"])
    sheet.append(["Ayşe Demir", "lokaal bestuur", "Stad", "Limburg", "deelnemer"])
    sheet.append(["Jan Roos", "vakbond", "Bond", "Gent", "deelnemer"])
    path = tmp_path / "deelnemers.xlsx"
    book.save(path)
    participants = read_participants(path, DEFAULT_INGEST)
    Ingestor(settings, store, participants).ingest([request("gesprek.vtt")])
    groups = {s.code: s.group for s in store.speakers()}
    assert groups == {"FAC1": "facilitator", "P01": "lokaal bestuur", "P02": "vakbond"}
    assert store.status()["words_by_group"]["vakbond"] == 6


def test_duplicate_speaker_in_sheet_is_refused() -> None:
    data = "speaker,group\nJan Roos,vakbond\nJAN ROOS,vakbond\n".encode()
    with pytest.raises(FocuslexError) as info:
        parse_participants(SourceFile("dubbel.csv", data), DEFAULT_INGEST)
    assert info.value.code == "FX-IN-017"


@pytest.mark.parametrize("name", ["../geheim.txt", "..", "map/bestand.txt", "..\\x.txt", ""])
def test_upload_names_with_folders_are_refused(name: str) -> None:
    with pytest.raises(FocuslexError) as info:
        safe_file_name(name)
    assert info.value.code == "FX-IN-011"


def test_file_names_are_pseudonymised(settings: Settings, store: Store) -> None:
    data = (INGEST / "gesprek.vtt").read_bytes()
    ingestor(settings, store).ingest([request("interview_Ayşe_Demir.vtt", data)])
    with store.session() as s:
        assert s.scalar(select(DocumentRow.file_name)) == "interview_[P01].vtt"


def test_folder_with_documents_sheet(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "map"
    folder.mkdir()
    (folder / "a.txt").write_bytes((INGEST / "gesprek.txt").read_bytes())
    (folder / "README.md").write_text("# Uitleg\n\nGeen transcript.\n", encoding="utf-8")
    (folder / "documents.csv").write_text(
        "file,kind,focus_group,round,date,prompt\na.txt,transcript,FG 1,2,2026-03-03,Wat?\n",
        encoding="utf-8")
    requests = collect_requests([folder], DocumentMeta(), settings)
    assert [r.source.name for r in requests] == ["a.txt"]
    assert requests[0].meta.round == 2 and requests[0].meta.focus_group == "FG 1"
    (folder / "documents.csv").write_text("file,round\nontbreekt.txt,1\n", encoding="utf-8")
    with pytest.raises(FocuslexError) as info:
        collect_requests([folder], DocumentMeta(), settings)
    assert info.value.code == "FX-IN-019"
