"""Reading each supported format into speaker turns (before pseudonymisation)."""

from __future__ import annotations

import codecs

import pytest

from pipeline.core.errors import FocuslexError
from pipeline.ingest.readers import SourceFile, read_source, repair_pdf_text
from pipeline.core.settings import IngestSettings
from pipeline.core.records import Kind
from tests.conftest import INGEST, make_docx
from tests.pdfmaker import make_pdf

S = IngestSettings()


def read(name: str, data: bytes, kind: Kind = Kind.TRANSCRIPT, known: set[str] | None = None):
    return read_source(SourceFile(name, data), kind, S, known)


def test_txt_markers_header_and_multi_paragraph_turns() -> None:
    parsed = read("gesprek.txt", (INGEST / "gesprek.txt").read_bytes())
    assert parsed.header.startswith("Focusgroep Samenleven")
    assert "Datum: 3 maart 2026" in parsed.header
    speakers = [t.speaker for t in parsed.turns]
    assert speakers == ["Hilde Verstraeten", "Ayşe Demir", "Jan Roos",
                        "Fatima Zahra El Idrissi", "Wouter Bakker", "Hilde Verstraeten"]
    ayse = parsed.turns[1]
    assert "geen eenrichtingsverkeer. Iedereen moet" in ayse.text  # hard break joined
    assert ayse.text.endswith("En dat zeg ik al jaren, hé.")  # second paragraph, same turn
    assert "\n\n" in ayse.text
    assert parsed.turns[2].start == 135.0  # Name (00:02:15):
    assert parsed.turns[4].start == 280.0  # [00:04:40] Name:
    # 'Kijk:' inside a turn is not a speaker
    assert parsed.turns[4].text.startswith("Kijk: dat is geen racisme")


def test_markdown_bold_markers() -> None:
    parsed = read("gesprek.md", (INGEST / "gesprek.md").read_bytes())
    assert [t.speaker for t in parsed.turns] == ["Hilde Verstraeten", "Ayşe Demir", "Jan Roos"]
    assert "Focusgroep test (markdown)" in parsed.header
    assert "Dat woord gebruiken we" in parsed.turns[1].text


def test_webvtt_voice_tags_merge_consecutive_cues_and_keep_times() -> None:
    parsed = read("gesprek.vtt", (INGEST / "gesprek.vtt").read_bytes())
    assert [t.speaker for t in parsed.turns] == ["Hilde Verstraeten", "Ayşe Demir", "Jan Roos"]
    ayse = parsed.turns[1]
    assert ayse.text == ("Dank u, Hilde. Ik begin met discriminatie op de woningmarkt. "
                         "Dat zien we elke week bij het meldpunt.")
    assert (ayse.start, ayse.end) == (5.0, 12.0)


def test_srt_name_prefixes() -> None:
    parsed = read("gesprek.srt", (INGEST / "gesprek.srt").read_bytes())
    assert [t.speaker for t in parsed.turns] == ["Hilde Verstraeten", "Wouter Bakker",
                                                 "Fatima Zahra El Idrissi"]
    assert parsed.turns[1].text.endswith("kwestie van talent.")
    assert parsed.turns[2].end == 14.25


def test_docx_paragraphs_and_tables() -> None:
    data = make_docx(["Verslag focusgroep", "Hilde Verstraeten: Welkom.",
                      "Ayşe Demir: Integratie is wederzijds.", "Een tweede alinea van Ayşe."])
    parsed = read("verslag.docx", data)
    assert [t.speaker for t in parsed.turns] == ["Hilde Verstraeten", "Ayşe Demir"]
    assert parsed.turns[1].text == "Integratie is wederzijds.\n\nEen tweede alinea van Ayşe."
    table = make_docx(["Verslag ronde 3"], [("Hilde Verstraeten", "Welkom."),
                                            ("Jan Roos", "Eerste punt.\nTweede punt.")])
    parsed = read("tabel.docx", table)
    assert parsed.header == "Verslag ronde 3"
    assert [t.speaker for t in parsed.turns] == ["Hilde Verstraeten", "Jan Roos"]
    assert parsed.turns[1].text == "Eerste punt.\n\nTweede punt."


def test_pdf_text_layer_with_hyphenation_repair() -> None:
    data = make_pdf([["Hilde Verstraeten: Welkom bij de focusgroep over", "samenleven in de stad.",
                      "Jan Roos: Het integratie-", "beleid van de stad is een goed begin, maar",
                      "de wachtlijsten zijn te lang."]])
    parsed = read("verslag.pdf", data)
    assert [t.speaker for t in parsed.turns] == ["Hilde Verstraeten", "Jan Roos"]
    assert parsed.turns[0].text == "Welkom bij de focusgroep over samenleven in de stad."
    assert "integratiebeleid van de stad" in parsed.turns[1].text


def test_pdf_repair_keeps_coordination_hyphen() -> None:
    lines = repair_pdf_text("Het Integratie-\nen Gelijkekansenbeleid.\n")
    assert lines[0] == "Het Integratie- en Gelijkekansenbeleid."


def test_statement_paragraphs_without_speakers() -> None:
    parsed = read("verklaring.txt", (INGEST / "verklaring.txt").read_bytes(), Kind.STATEMENT)
    assert all(t.speaker is None for t in parsed.turns)
    assert len(parsed.turns) == 3
    assert parsed.turns[1].text.startswith("Wij engageren ons")


def test_cp1252_and_bom_are_decoded() -> None:
    text = "Hilde Verstraeten: Welkom.\nJan Roos: Ik ben gediscrimineerd, zegt hij, geïntegreerd of niet.\n"
    for data in (text.encode("cp1252"), codecs.BOM_UTF8 + text.encode("utf-8"),
                 text.encode("utf-16")):
        parsed = read("t.txt", data)
        assert parsed.turns[1].text.endswith("geïntegreerd of niet.")
        assert parsed.turns[0].speaker == "Hilde Verstraeten"  # no BOM glued to the name


@pytest.mark.parametrize("name,data,code", [
    ("leeg.txt", b"", "FX-IN-001"),
    ("spaties.txt", b"  \n\n ", "FX-IN-001"),
    ("kapot.docx", bytes(range(256)) * 8, "FX-IN-004"),
    ("leeg.vtt", b"WEBVTT\n", "FX-IN-008"),
    ("beeld.png", b"\x89PNG....", "FX-IN-002"),
    ("binair.txt", b"\x00\x01\x02\xff\xfe\x00garbage\x00", "FX-IN-006"),
])
def test_bad_files_give_clear_errors(name: str, data: bytes, code: str) -> None:
    with pytest.raises(FocuslexError) as info:
        read(name, data)
    assert info.value.code == code
    assert name in info.value.message


def test_transcript_without_speakers_suggests_statement() -> None:
    with pytest.raises(FocuslexError) as info:
        read("zonder_sprekers.txt", (INGEST / "zonder_sprekers.txt").read_bytes())
    assert info.value.code == "FX-IN-007"
    assert "--kind statement" in info.value.message


def test_too_large_upload_is_refused() -> None:
    small = IngestSettings(max_upload_mb=0.001)
    with pytest.raises(FocuslexError) as info:
        read_source(SourceFile("groot.txt", b"Jan: hallo\n" * 200), Kind.TRANSCRIPT, small)
    assert info.value.code == "FX-IN-003"


def test_docx_zip_bomb_is_refused_before_unpacking() -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * (60 * 1024 * 1024))
    bomb = IngestSettings(max_unpacked_mb=50)
    with pytest.raises(FocuslexError) as info:
        read_source(SourceFile("bom.docx", buffer.getvalue()), Kind.TRANSCRIPT, bomb)
    assert info.value.code == "FX-IN-005"


def test_configurable_speaker_regex() -> None:
    settings = IngestSettings(speaker_regex=r"^>>\s*(?P<name>[A-Z0-9]+)\s*-\s*(?P<text>.*)$")
    data = b">> SPREKER1 - Eerste beurt.\n>> SPREKER2 - Tweede beurt.\n"
    parsed = read_source(SourceFile("eigen.txt", data), Kind.TRANSCRIPT, settings)
    assert [t.speaker for t in parsed.turns] == ["SPREKER1", "SPREKER2"]


def test_role_labels_are_speakers_but_ordinary_words_are_not() -> None:
    data = ("De voorzitter: Ik open de vergadering.\n\nDeelnemer 3: Ik heb een vraag.\n"
            "Dus: wat doen we?\n\nDe voorzitter: Goede vraag.\n").encode()
    parsed = read("raad.txt", data)
    assert [t.speaker for t in parsed.turns] == ["De voorzitter", "Deelnemer 3", "De voorzitter"]
    assert parsed.turns[1].text == "Ik heb een vraag. Dus: wat doen we?"


def test_name_labels_are_speakers_even_when_they_are_words() -> None:
    # Without a participants sheet: "Ben" is a stop word, "Jan" and "Roos" common words,
    # each used once; they are listed names, so they start turns. "Dus", "Maar", "Kijk"
    # and "Oké" stay inside the turn.
    data = ("Karim: Integratie is belangrijk.\nBen: Ik vind van niet.\n"
            "Maar: dat zeg jij.\nJan: Kijk: zo zit het.\nDus: wat doen we?\n"
            "Oké: dan stemmen we.\nRoos: Akkoord.\n").encode()
    parsed = read("namen.txt", data)
    assert [t.speaker for t in parsed.turns] == ["Karim", "Ben", "Jan", "Roos"]
    assert parsed.turns[0].text == "Integratie is belangrijk."
    assert parsed.turns[1].text == "Ik vind van niet. Maar: dat zeg jij."
    assert parsed.turns[2].text == "Kijk: zo zit het. Dus: wat doen we? Oké: dan stemmen we."


def test_recurring_word_label_is_a_speaker_but_a_recurring_stop_word_is_not() -> None:
    data = ("Buurman: Goedemiddag.\nMaar: toch niet.\nBuurvrouw: Dag.\n"
            "Buurman: Alles goed?\nMaar: echt niet.\nBuurvrouw: Prima.\n").encode()
    parsed = read("buren.txt", data)
    assert [t.speaker for t in parsed.turns] == ["Buurman", "Buurvrouw", "Buurman",
                                                 "Buurvrouw"]
    assert parsed.turns[0].text == "Goedemiddag. Maar: toch niet."
    assert parsed.turns[2].text == "Alles goed? Maar: echt niet."


def test_lower_case_label_of_an_accepted_or_known_speaker_starts_a_turn() -> None:
    data = ("Ayşe Demir: Welkom.\nJan Roos: Dank u.\nayşe demir: Ja, zeker.\n"
            "sofie claes: Ik ook.\ndus ja: dat klopt.\n").encode()
    parsed = read("klein.txt", data, known={"sofie claes"})
    assert [t.speaker for t in parsed.turns] == ["Ayşe Demir", "Jan Roos", "Ayşe Demir",
                                                 "sofie claes"]
    assert parsed.turns[2].text == "Ja, zeker."
    assert parsed.turns[3].text == "Ik ook. dus ja: dat klopt."


def test_moderator_turns_are_kept() -> None:
    data = ("Focusgroep wonen\nDatum: 3 maart 2026\n\nModerator: Welkom allemaal.\n"
            "Ayşe Demir: Dank u.\nModerator: Wie begint?\n").encode()
    parsed = read("moderator.txt", data)
    assert parsed.header == "Focusgroep wonen\nDatum: 3 maart 2026"
    assert [t.speaker for t in parsed.turns] == ["Moderator", "Ayşe Demir", "Moderator"]
    assert parsed.turns[2].text == "Wie begint?"


def _docx(blocks: list[str | list[list[str]]]) -> bytes:
    """A docx of paragraphs (str) and tables (rows of cells), in this order."""
    import io

    import docx

    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        table = document.add_table(rows=len(block), cols=len(block[0]))
        for row, cells in zip(table.rows, block):
            for cell, text in zip(row.cells, cells):
                cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_participants_table_is_not_read_as_turns() -> None:
    data = _docx(["Verslag focusgroep",
                  [["Naam", "Organisatie", "Regio"], ["Ayşe Demir", "Vzw De Brug", "Gent"],
                   ["Jan Roos", "Buurtwerk", "Aalst"]],
                  "Ayşe Demir: Integratie is wederzijds.", "Jan Roos: Dat vind ik ook."])
    parsed = read("deelnemers.docx", data)
    assert [t.speaker for t in parsed.turns] == ["Ayşe Demir", "Jan Roos"]
    assert parsed.turns[0].text == "Integratie is wederzijds."
    assert "Vzw De Brug" in parsed.header and "Gent" in parsed.header


def test_docx_turn_table_and_paragraph_turns_keep_document_order() -> None:
    data = _docx(["Verslag ronde 3", "Hilde Verstraeten: Welkom.",
                  [["Spreker", "Tekst"], ["Ayşe Demir", "Eerste punt.\nTweede punt."],
                   ["Jan Roos", "Ik sluit me aan."]],
                  "Hilde Verstraeten: Dank jullie wel."])
    parsed = read("gemengd.docx", data)
    assert parsed.header == "Verslag ronde 3"
    assert [t.speaker for t in parsed.turns] == ["Hilde Verstraeten", "Ayşe Demir", "Jan Roos",
                                                 "Hilde Verstraeten"]
    assert parsed.turns[1].text == "Eerste punt.\n\nTweede punt."
    assert parsed.turns[3].text == "Dank jullie wel."
    statement = read("gemengd.docx", data, Kind.STATEMENT)
    assert [t.text for t in statement.turns][1:4] == [
        "Hilde Verstraeten: Welkom.", "Eerste punt.\n\nTweede punt.", "Ik sluit me aan."]


def test_webvtt_cue_with_several_voices_is_split_per_voice() -> None:
    data = ("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n"
            "<v Jan Peeters>Goed.</v> <v Sofie Claes>Oké Peeters.</v>\n\n"
            "00:00:05.000 --> 00:00:07.000\n<v.luid Sofie Claes>Nog <i>iets</i> erbij.\n").encode()
    parsed = read("stemmen.vtt", data)
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("Jan Peeters", "Goed."), ("Sofie Claes", "Oké Peeters. Nog iets erbij.")]
    assert parsed.turns[1].end == 7.0


def test_bad_speaker_regex_gives_a_settings_error() -> None:
    bad = IngestSettings(speaker_regex=r"^(?P<name>\w+")
    with pytest.raises(FocuslexError) as info:
        read_source(SourceFile("eigen.txt", b"Jan: hallo\n"), Kind.TRANSCRIPT, bad)
    assert info.value.code == "FX-SET-005"
