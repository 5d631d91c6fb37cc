"""Hostile input, case by case: zip bombs and archives that lie about their sizes, XML with
entity declarations, damaged encodings and PDFs, broken caption timings, ragged sheets,
dangerous file names, huge files, and one bad file in a batch. (Random inputs:
tests/test_fuzz.py.)"""

from __future__ import annotations

import csv
import io
import struct
import tracemalloc
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from lexicon.io import dump_csv
from lexicon.model import entry_from_dict
from pipeline.cli.main import cli
from pipeline.core.errors import FocuslexError
from pipeline.core.files import safe_cell
from pipeline.core.records import Document, DocumentMeta, Kind, TermHit, Utterance
from pipeline.core.settings import IngestSettings, Settings
from pipeline.ingest.readers import SourceFile, read_source
from pipeline.ingest.service import IngestRequest, Ingestor, safe_file_name
from pipeline.ingest.sheets import parse_participants
from pipeline.store.database import Store
from pipeline.terms.run import format_rows
from tests.conftest import INGEST, make_docx
from tests.fuzzing import make_xlsx
from tests.pdfmaker import make_pdf

SMALL_BUDGET = IngestSettings(max_unpacked_mb=5, max_xml_mb=2)


def read(name: str, data: bytes, settings: IngestSettings = IngestSettings(),
         kind: Kind = Kind.TRANSCRIPT):  # type: ignore[no-untyped-def]
    return read_source(SourceFile(name, data), kind, settings, set())


def code_of(name: str, data: bytes, settings: IngestSettings = IngestSettings()) -> str:
    with pytest.raises(FocuslexError) as caught:
        read(name, data, settings)
    return caught.value.code


def fast(settings: Settings) -> Settings:
    return replace(settings, pseudonymise=replace(settings.pseudonymise,
                                                  detect_with_pipeline=False))


# -- zip bombs, lying sizes, entities ---------------------------------------------------------------

def _with_part(archive: bytes, part: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, data if info.filename == part else source.read(info))
    return out.getvalue()


def _bomb_docx(unpacked_mb: int) -> bytes:
    """A real docx whose document.xml is padded with `unpacked_mb` MB of spaces inside the
    body (compresses about 1000:1)."""
    seed = make_docx(["Jan: Hallo."])
    with zipfile.ZipFile(io.BytesIO(seed)) as archive:
        xml = archive.read("word/document.xml")
    padded = xml.replace(b"<w:body>", b"<w:body>" + b" " * (unpacked_mb * 1024 * 1024), 1)
    return _with_part(seed, "word/document.xml", padded)


def _lie_about_sizes(archive: bytes, part: str, size: int) -> bytes:
    """Patch the declared uncompressed size of `part` (local header and central directory)."""
    data = bytearray(archive)
    name = part.encode()
    at = 0
    while (at := data.find(b"PK\x03\x04", at)) >= 0:  # local file headers
        name_len = struct.unpack_from("<H", data, at + 26)[0]
        if data[at + 30:at + 30 + name_len] == name:
            struct.pack_into("<I", data, at + 22, size)
        at += 4
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:  # central directory entries
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + name_len] == name:
            struct.pack_into("<I", data, at + 24, size)
        at += 4
    return bytes(data)


def _peak_mb(call) -> float:  # type: ignore[no-untyped-def]
    tracemalloc.start()
    try:
        call()
    except FocuslexError:
        pass
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024 / 1024


def test_zip_bomb_is_refused_while_unpacking_with_bounded_memory() -> None:
    bomb = _bomb_docx(20)
    assert len(bomb) < 100_000  # 20 MB of XML in a file of a few dozen kB
    assert code_of("bom.docx", bomb, SMALL_BUDGET) == "FX-IN-005"
    peak = _peak_mb(lambda: read("bom.docx", bomb, SMALL_BUDGET))
    assert peak < 8, f"{peak:.1f} MB"  # one chunk at a time, never the whole 20 MB


def test_zip_entries_that_lie_about_their_sizes_are_refused_with_bounded_memory() -> None:
    bomb = _bomb_docx(20)
    for declared in (100, 0, 2**32 - 1):  # far too small, zero, absurdly large
        liar = _lie_about_sizes(bomb, "word/document.xml", declared)
        with zipfile.ZipFile(io.BytesIO(liar)) as archive:
            assert archive.getinfo("word/document.xml").file_size == declared
        assert code_of("leugen.docx", liar, SMALL_BUDGET) in ("FX-IN-004", "FX-IN-005")
        peak = _peak_mb(lambda: read("leugen.docx", liar, SMALL_BUDGET))
        assert peak < 8, (declared, f"{peak:.1f} MB")


def test_a_docx_that_declares_huge_sizes_but_is_small_is_read() -> None:
    honest = make_docx(["Jan: Integratie vraagt tijd.", "Sofie: Dat klopt."])
    liar = _lie_about_sizes(honest, "word/styles.xml", 2**31)
    # Only the bytes that really unpack count: an exaggerated size is no reason to refuse.
    assert [t.speaker for t in read("verslag.docx", liar).turns] == ["Jan", "Sofie"]


BILLION_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1
                                                            else b"&lol;") * 10)
                             for i in range(1, 10))
                  + b"]>\n")


def test_xml_entities_in_a_docx_are_refused() -> None:
    seed = make_docx(["Jan: Hallo."])
    with zipfile.ZipFile(io.BytesIO(seed)) as archive:
        xml = archive.read("word/document.xml")
    body = xml.split(b"?>", 1)[1].replace(b"Hallo.", b"&lol9;")
    bomb = _with_part(seed, "word/document.xml", BILLION_LAUGHS + body)
    assert code_of("lach.docx", bomb) == "FX-IN-024"
    utf16 = _with_part(seed, "word/document.xml",
                       (BILLION_LAUGHS + body).decode().replace('"1.0"?>', '"1.0" encoding="UTF-16"?>')
                       .encode("utf-16"))
    assert code_of("lach.docx", utf16) == "FX-IN-024"


def test_entity_declarations_are_refused_in_any_part_a_doctype_only_in_xml() -> None:
    seed = make_docx(["Jan: Hallo.", "Sofie: Dag Jan."])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(seed)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        target.writestr("word/afchunk.dat", BILLION_LAUGHS + b"<x>&lol9;</x>")
    assert code_of("verborgen.docx", out.getvalue()) == "FX-IN-024"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(seed)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        target.writestr("word/afchunk.htm", b"<!DOCTYPE html><html><p>Bijlage</p></html>")
    assert len(read("bijlage.docx", out.getvalue()).turns) == 2  # an HTML page is no threat


def test_a_docx_whose_xml_is_no_word_document_is_a_coded_error() -> None:
    # Found by make fuzz: a mutated namespace URI leaves an XML tree without a body.
    seed = make_docx(["Jan: Hallo.", "Sofie: Dag Jan."])
    with zipfile.ZipFile(io.BytesIO(seed)) as archive:
        xml = archive.read("word/document.xml")
    broken = xml.replace(b'xmlns:w="http://', b"xmlns:w=\"http'//", 1)
    assert broken != xml
    assert code_of("vreemd.docx", _with_part(seed, "word/document.xml", broken)) == "FX-IN-004"


def test_xml_entities_in_a_participants_xlsx_are_refused() -> None:
    seed = make_xlsx([["speaker", "group"], ["Jan", "vakbond"]])
    part = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(io.BytesIO(seed)) as archive:
        xml = archive.read(part)
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    bomb = _with_part(seed, part, BILLION_LAUGHS + body)
    with pytest.raises(FocuslexError) as caught:
        parse_participants(SourceFile("deelnemers.xlsx", bomb), IngestSettings())
    assert caught.value.code == "FX-IN-024"


# -- encodings -------------------------------------------------------------------------------------

def test_every_text_encoding_error_is_a_coded_error() -> None:
    text = (INGEST / "gesprek.txt").read_text(encoding="utf-8")
    utf16 = text.encode("utf-16")
    assert code_of("oneven.txt", utf16[:-1]) == "FX-IN-022"  # odd byte count
    lone = utf16[:10] + b"\x00\xd8" + utf16[10:]  # a high surrogate without its partner
    assert code_of("surrogaat.txt", lone) == "FX-IN-022"
    assert code_of("surrogaat.vtt", b"\xff\xfe" + "WEBVTT\n\n".encode("utf-16-le")
                   + b"\x00\xdc") == "FX-IN-022"
    assert code_of("binair.txt", b"Jan: \x81\x8d\x8f\x90\x9d \x00 hallo") == "FX-IN-006"
    # UTF-8 that encodes a surrogate is not UTF-8: read as cp1252, never stored as a surrogate
    parsed = read("cesu.txt", b"Jan: hallo \xed\xa0\x80 daar.\nSofie: Ja.")
    for turn in parsed.turns:
        turn.text.encode("utf-8")


# -- pdf ---------------------------------------------------------------------------------------------

def _pdf_with_huge_array() -> bytes:
    """A valid pdf whose page holds an array of 100,001 numbers: pypdf refuses it with
    LimitReachedError (its guard against resource exhaustion)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, NameObject, NumberObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([["Jan: Hallo."]]))))
    writer.pages[0][NameObject("/Groot")] = ArrayObject([NumberObject(0)] * 100_001)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_pypdf_limit_reached_is_a_coded_error() -> None:
    with pytest.raises(FocuslexError) as caught:
        read("groot.pdf", _pdf_with_huge_array())
    assert caught.value.code == "FX-IN-009"
    assert "LimitReachedError" in caught.value.message


def test_damaged_pdfs_are_read_or_refused_with_a_code() -> None:
    pdf = make_pdf([["Jan: Hallo.", "Sofie: Dag Jan."]])
    cyclic = pdf.replace(b"/Kids [4 0 R]", b"/Kids [2 0 R]")  # /Pages is its own kid
    for damaged in (pdf[: len(pdf) // 2], pdf.replace(b"/Root 1 0 R", b"/Root 9 0 R"),
                    pdf.replace(b"/Length", b"/Length 99999999 /X"), b"%PDF-1.4\n%%EOF",
                    cyclic):
        try:  # pypdf repairs some damage; what it cannot repair is a coded error
            read("kapot.pdf", damaged)
        except FocuslexError as error:
            assert error.code in ("FX-IN-009", "FX-IN-010", "FX-IN-007")
    with pytest.raises(FocuslexError) as caught:
        read("lus.pdf", cyclic)
    assert caught.value.code == "FX-IN-009"


# -- captions -------------------------------------------------------------------------------------

VTT = """WEBVTT

00:00:01.000 --> 00:00:03.000
<v Jan Peeters>Welkom allemaal.

00:00:0x.000 --> 00:00:05.000
<v Sofie Janssens>Deze tijd is kapot, maar wat ik zeg telt.

00:00:09.000 --> 00:00:07.000
<v Jan Peeters>Hier ligt het einde voor het begin.
"""


def test_malformed_caption_timing_keeps_the_cue_with_a_warning() -> None:
    parsed = read("sessie.vtt", VTT.encode())
    texts = [t.text for t in parsed.turns]
    assert texts == ["Welkom allemaal.", "Deze tijd is kapot, maar wat ik zeg telt.",
                     "Hier ligt het einde voor het begin."]
    assert (parsed.turns[0].start, parsed.turns[0].end) == (1.0, 3.0)
    assert (parsed.turns[1].start, parsed.turns[1].end) == (None, None)
    assert (parsed.turns[2].start, parsed.turns[2].end) == (9.0, None)  # end before start
    assert len(parsed.warnings) == 2
    assert "onleesbaar" in parsed.warnings[0] and "00:00:0x.000" in parsed.warnings[0]
    assert "vóór het begin" in parsed.warnings[1]


def test_srt_with_a_broken_timing_keeps_the_cue(settings: Settings, store: Store) -> None:
    srt = ("1\n00:00:01,000 --> 00:00:02,000\nJan Peeters: Goedemiddag.\n\n"
           "2\n00:00:02,5OO --> 00:00:04,000\nSofie Janssens: Ik wil iets zeggen over taal.\n")
    report = Ingestor(fast(settings), store).ingest(
        [IngestRequest(SourceFile("zoom.srt", srt.encode()), DocumentMeta())])
    assert report.outcomes[0].turns == 2
    assert any(w.startswith("zoom.srt: regel 6: tijdcode") for w in report.warnings)


def test_a_long_run_of_one_speakers_cues_is_one_turn() -> None:
    cues = "".join(f"{i // 60:02d}:{i % 60:02d}.000 --> {i // 60:02d}:{i % 60:02d}.500\n"
                   f"<v Jan Peeters>Zin {i}.\n\n" for i in range(3000))
    parsed = read("lang.vtt", ("WEBVTT\n\n" + cues).encode())
    assert len(parsed.turns) == 1
    assert parsed.turns[0].text.startswith("Zin 0. Zin 1.") and parsed.turns[0].end == 2999 % 60 + 49 * 60 + 0.5


# -- participants sheet ------------------------------------------------------------------------------

def test_a_participants_row_with_one_cell_too_many_names_its_line() -> None:
    data = ("speaker,group,organisation\nAyşe Demir,lokaal bestuur,Stad Genkberg\n"
            "Jan Roos,vakbond,AWB,Gent\n").encode()
    with pytest.raises(FocuslexError) as caught:
        parse_participants(SourceFile("deelnemers.csv", data), IngestSettings())
    assert caught.value.code == "FX-IN-023"
    assert caught.value.params["row"] == 3
    assert "Rij 3" in caught.value.message and "4 cellen" in caught.value.message


def test_a_participants_csv_with_a_huge_field_is_a_coded_error() -> None:
    data = b"speaker,group\n\"" + b"a" * 200_000 + b"\",vakbond\n"
    with pytest.raises(FocuslexError) as caught:
        parse_participants(SourceFile("deelnemers.csv", data), IngestSettings())
    assert caught.value.code == "FX-IN-014"


# -- file names ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["../geheim.txt", "..\\geheim.txt", "map/verslag.txt",
                                  "/etc/passwd", "..", "", "   ", "verslag\x00.txt",
                                  "verslag\n.txt", "verslag\x1b[31m.txt",
                                  "verslag\u202etxt.exe", "a" * 300 + ".txt"])
def test_dangerous_file_names_are_refused(name: str) -> None:
    with pytest.raises(FocuslexError) as caught:
        safe_file_name(name)
    assert caught.value.code == "FX-IN-011"
    assert "\x00" not in caught.value.message and "\x1b" not in caught.value.message


def test_ordinary_file_names_pass() -> None:
    for name in ("verslag ronde 2.txt", "Ayşe-gesprek_10:30.vtt", "één.docx"):
        assert safe_file_name(name) == name


def test_a_documents_sheet_cannot_reach_outside_its_folder(tmp_path: Path,
                                                           settings: Settings) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (tmp_path / "geheim.txt").write_text("Jan: Dit staat buiten de map.\n", encoding="utf-8")
    (folder / "gesprek.txt").write_bytes((INGEST / "gesprek.txt").read_bytes())
    (folder / "documents.csv").write_text("file,kind\ngesprek.txt,transcript\n"
                                          "../geheim.txt,transcript\n", encoding="utf-8")
    settings_file = tmp_path / "settings.toml"
    settings_file.write_text('[paths]\ndata_dir = "data"\n[pseudonymise]\n'
                             "detect_with_pipeline = false\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--settings", str(settings_file), "ingest", str(folder)])
    assert result.exit_code == 2
    assert "opgeslagen: gesprek.txt" in result.output
    assert "FX-IN-011" in result.output and "buiten de map" in result.output
    assert "1 opgeslagen, 0 al aanwezig, 1 met fouten." in result.output


# -- size: 100k turns, texts near the limit -------------------------------------------------------

def _turns(count: int) -> bytes:
    names = ["Jan Peeters", "Sofie Janssens", "Moderator"]
    return "\n".join(f"{names[i % 3]}: Beurt {i} over integratie en samenleven."
                     for i in range(count)).encode()


def test_100k_turns_are_read_in_memory_proportional_to_the_file() -> None:
    parsed = read("lang.txt", _turns(100_000))
    assert len(parsed.turns) == 100_000
    assert parsed.turns[-1].text == "Beurt 99999 over integratie en samenleven."
    small, large = _turns(10_000), _turns(40_000)
    peaks = {len(data): _peak_mb(lambda data=data: read("lang.txt", data))
             for data in (small, large)}
    # Four times the turns: about four times the memory (linear), never sixteen (quadratic).
    assert peaks[len(large)] < 6 * peaks[len(small)], peaks
    assert peaks[len(large)] < 40 * len(large) / 1024 / 1024, peaks


def test_a_text_over_the_text_limit_is_refused_before_parsing() -> None:
    limit = IngestSettings(max_text_mb=0.1)
    big = _turns(3_000)  # about 140 kB
    for name, data in (("lang.txt", big), ("lang.md", big),
                       ("lang.vtt", b"WEBVTT\n\n00:01.000 --> 00:02.000\n" + big)):
        assert code_of(name, data, limit) == "FX-IN-026"
    docx = make_docx([line.decode() for line in big.split(b"\n")])
    assert code_of("lang.docx", docx, limit) == "FX-IN-026"
    assert len(read("lang.txt", big).turns) == 3_000  # under the default limit: read


# -- batches: one bad file never stops the rest ------------------------------------------------------

def test_one_bad_file_does_not_stop_the_batch_in_the_cli(tmp_path: Path) -> None:
    good = (INGEST / "gesprek.txt").read_bytes()
    files = {"eerste.txt": good, "oneven.txt": good.decode().encode("utf-16")[:-1],
             "groot.pdf": _pdf_with_huge_array(),
             "bom.docx": _bomb_docx(260), "laatste.vtt": (INGEST / "gesprek.vtt").read_bytes()}
    paths = []
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    paths.insert(2, str(tmp_path / "ontbreekt.txt"))
    settings_file = tmp_path / "settings.toml"
    settings_file.write_text('[paths]\ndata_dir = "data"\n[pseudonymise]\n'
                             "detect_with_pipeline = false\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--settings", str(settings_file), "ingest", *paths])
    assert result.exit_code == 2
    out = result.output
    assert "opgeslagen: eerste.txt" in out and "opgeslagen: laatste.vtt" in out
    for name, code in (("oneven.txt", "FX-IN-022"), ("ontbreekt.txt", "FX-IN-012"),
                       ("groot.pdf", "FX-IN-009"), ("bom.docx", "FX-IN-005")):
        assert f"FOUT bij {name}: [{code}]" in out, (name, out)
    assert "2 opgeslagen, 0 al aanwezig, 4 met fouten." in out
    assert "Traceback" not in out


def test_an_unexpected_failure_fails_only_its_file(settings: Settings, store: Store,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.ingest.service as service

    real = service.read_source

    def flaky(source, *args, **kwargs):  # type: ignore[no-untyped-def]
        if source.name == "stuk.txt":
            raise RecursionError("maximum recursion depth exceeded")
        return real(source, *args, **kwargs)

    monkeypatch.setattr(service, "read_source", flaky)
    good = (INGEST / "gesprek.txt").read_bytes()
    report = Ingestor(fast(settings), store).ingest(
        [IngestRequest(SourceFile(n, d), DocumentMeta()) for n, d in
         (("stuk.txt", b"Jan: hallo"), ("gesprek.txt", good), ("../x.txt", b"Jan: x"))])
    assert [o.status for o in report.outcomes] == ["error", "stored", "error"]
    assert report.outcomes[0].error.code == "FX-IN-025"
    assert "RecursionError" in report.outcomes[0].error.message
    assert report.outcomes[2].error.code == "FX-IN-011"
    assert store.status()["documents"] == 1


# -- formula injection ---------------------------------------------------------------------------------

FORMULAS = ["=HYPERLINK(\"http://x\",\"klik\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def test_safe_cell_guards_every_formula_start() -> None:
    for value in FORMULAS:
        assert safe_cell(value) == "'" + value.replace("\r", "\n")
    assert safe_cell("integratie") == "integratie"
    assert safe_cell("regel\r=1+1") == "regel\n=1+1"  # quoted by every csv writer
    assert safe_cell(-2) == -2 and safe_cell(1.5) == 1.5  # numbers stay numbers
    assert safe_cell(None) == "" and safe_cell(True) == "true"


def _unguarded(text: str) -> list[str]:
    """Cells of a CSV file as focuslex writes it (";", decimal comma) that a spreadsheet
    would run as a formula."""
    return [cell for row in csv.reader(io.StringIO(text, newline=""), delimiter=";")
            for cell in row
            if cell.startswith(("=", "+", "-", "@", "\t", "\r"))
            and not _is_number(cell)]


def _is_number(cell: str) -> bool:
    try:
        float(cell.replace(",", "."))
    except ValueError:
        return False
    return True


def test_terms_export_csv_guards_formulas() -> None:
    rows = [{"document": FORMULAS[0], "term_id": "t", "label": FORMULAS[1], "text": FORMULAS[2],
             "start": 0, "end": 3, "sentence": FORMULAS[3], "speaker": "P01", "group": FORMULAS[4],
             "round": None, "negated": False, "mention": "", "compound_part": FORMULAS[5],
             "utterance_index": 0, "document_id": 1}]
    text = format_rows(rows, "csv")
    assert _unguarded(text) == []
    assert len(list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))) == 2
    assert "'=HYPERLINK" in text


def test_lexicon_csv_export_guards_formulas() -> None:
    entry = entry_from_dict({"id": "t", "pref_label": "=1+1", "definition": "@SUM(A1)",
                             "alt_labels": ["-min", "+plus"]})
    assert _unguarded(dump_csv([entry])) == []


def test_terms_compare_csv_guards_formulas(settings: Settings, store: Store) -> None:
    text = "Integratie vraagt tijd en integratie vraagt moeite van iedereen."
    store.add_document(Document("f" * 64, "gesprek.txt", "txt", DocumentMeta(round=1), "",
                                [Utterance(0, "P01", text, 0, len(text)),
                                 Utterance(1, "P02", text, len(text) + 2, 2 * len(text) + 2)]),
                       {"P01": {"role": "participant", "group": "=cmd|' /C calc'!A0"},
                        "P02": {"role": "participant", "group": "@vakbond"}})
    document_id = store.documents()[0].id
    hits = [TermHit(document_id=document_id, utterance_index=i, term_id="integratie",
                    label="+integratie", text="integratie", start=0, end=10, sentence=text,
                    speaker=f"P0{i + 1}", group=group, round=1)
            for i, group in enumerate(["=cmd|' /C calc'!A0", "@vakbond"])]
    store.replace_term_hits(hits)
    result = CliRunner().invoke(cli, ["--db", settings.database_url, "terms", "compare",
                                      "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "'=cmd" in result.output and "'@vakbond" in result.output
    assert _unguarded(result.output) == []
