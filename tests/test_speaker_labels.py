"""Speaker labels of real minutes and transcripts (pipeline/ingest/labels.py, readers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.core.errors import FocuslexError
from pipeline.core.records import DocumentMeta, Kind, Participant, Role
from pipeline.core.settings import IngestSettings, Settings
from pipeline.ingest.labels import canonical_label
from pipeline.ingest.readers import SourceFile, read_source
from pipeline.ingest.service import IngestRequest, Ingestor
from pipeline.ingest.sheets import parse_participants
from pipeline.privacy.pseudonymise import PseudonymKey
from pipeline.store.database import Store
from tests.conftest import make_docx

S = IngestSettings()

COMMITTEE = """Commissie voor Binnenlandse Zaken en Integratie
Vergadering van woensdag 14 januari 2026

De voorzitter: Ik open de vergadering. Het woord is aan mevrouw Janssens.

Janssens, Marie: Dank u, mijnheer de voorzitter. Ik heb een vraag over het
inburgeringstraject in Mechelen.

Goed, Marleen: dit is geen spreker, maar een zin in de beurt van mevrouw Janssens.

Van den Broeck, Jan (N-VA): Ik sluit mij aan bij de vraag van collega Janssens.

De heer Peeters: Mijnheer de voorzitter, kort: de cijfers volgen nog.

Mevrouw Claes (Groen): Ik dank de minister voor zijn antwoord.

01.02  Lode Vermeulen (CD&V): Een korte repliek, voorzitter.

JANSSENS, MARIE: Tot slot nog dit.

De voorzitter: De vergadering is gesloten.
"""


def speakers(name: str, text: str | bytes, known: set[str] | None = None) -> list[str | None]:
    data = text.encode() if isinstance(text, str) else text
    return [t.speaker for t in read_source(SourceFile(name, data), Kind.TRANSCRIPT, S,
                                           known).turns]


@pytest.mark.parametrize("raw, name, cue", [
    ("Janssens, Marie", "Marie Janssens", "inverted"),
    ("Van den Broeck, Jan", "Jan Van den Broeck", "inverted"),
    ("De heer Peeters", "Peeters", "titled"),
    ("Mevrouw Claes", "Claes", "titled"),
    ("Minister Jambon", "Jambon", "titled"),
    ("De voorzitter", "De voorzitter", ""),
    ("Mevrouw de minister", "Mevrouw de minister", ""),
    ("JANSSENS", "JANSSENS", ""),
])
def test_canonical_label(raw: str, name: str, cue: str) -> None:
    label = canonical_label(raw)
    assert (label.name, label.cue) == (name, cue)


def test_committee_minutes_with_every_label_form() -> None:
    parsed = read_source(SourceFile("commissie.txt", COMMITTEE.encode()), Kind.TRANSCRIPT, S)
    assert [t.speaker for t in parsed.turns] == [
        "De voorzitter", "Marie Janssens", "Jan Van den Broeck", "Peeters", "Claes",
        "Lode Vermeulen", "MARIE JANSSENS", "De voorzitter"]
    assert parsed.header.startswith("Commissie voor Binnenlandse Zaken")
    # "Goed, Marleen: ..." addresses someone: it stays in the turn before it.
    assert "Goed, Marleen: dit is geen spreker" in parsed.turns[1].text
    assert parsed.turns[5].text == "Een korte repliek, voorzitter."


def test_all_caps_labels() -> None:
    text = "JANSSENS: Goeiemorgen.\n\nPEETERS: Dag allemaal.\n\nJANSSENS: We beginnen.\n"
    assert speakers("caps.txt", text) == ["JANSSENS", "PEETERS", "JANSSENS"]


def test_teams_docx_export_with_times() -> None:
    data = make_docx(["Transcript", "14 januari 2026, 10:00", "Janssens, Marie   0:03",
                      "Goeiemorgen allemaal, welkom in deze tweede ronde.",
                      "El Amrani, Youssef   1:15", "Dank u wel voor de uitnodiging.",
                      "Janssens, Marie   2:01", "Goed, dan beginnen we."])
    parsed = read_source(SourceFile("teams.docx", data), Kind.TRANSCRIPT, S)
    assert [(t.speaker, t.start) for t in parsed.turns] == [
        ("Marie Janssens", 3.0), ("Youssef El Amrani", 75.0), ("Marie Janssens", 121.0)]
    assert parsed.turns[1].text == "Dank u wel voor de uitnodiging."


def test_teams_export_without_times() -> None:
    text = ("Focusgroep 2B\n\nMarie Janssens\nGoeiemorgen allemaal, welkom.\n\n"
            "Youssef El Amrani\nDank u wel voor de uitnodiging.\nIk heb twee punten.\n\n"
            "Marie Janssens\nGoed, dan beginnen we.\n")
    parsed = read_source(SourceFile("teams.txt", text.encode()), Kind.TRANSCRIPT, S)
    assert [t.speaker for t in parsed.turns] == ["Marie Janssens", "Youssef El Amrani",
                                                 "Marie Janssens"]
    assert parsed.turns[1].text == "Dank u wel voor de uitnodiging. Ik heb twee punten."
    assert parsed.header == "Focusgroep 2B"


def test_short_recurring_lines_are_no_bare_labels() -> None:
    """'Pauze' alone on a line twice is no speaker; a file with colon markers never
    takes bare lines."""
    text = ("Marie Janssens: Welkom.\n\nPauze\n\nYoussef El Amrani: Dank u.\n\nPauze\n\n"
            "Marie Janssens: Tot slot.\n")
    assert speakers("pauze.txt", text) == ["Marie Janssens", "Youssef El Amrani",
                                           "Marie Janssens"]


def test_agenda_lines_with_a_time_are_no_labels() -> None:
    text = ("Agenda\n10:00 Welkom\n11:30 Pauze\n14:00 Pauze\n\nMarie Janssens: Welkom.\n\n"
            "Youssef El Amrani: Dank u.\n\n15:00 Pauze\n\nMarie Janssens: We gaan verder.\n")
    parsed = read_source(SourceFile("agenda.txt", text.encode()), Kind.TRANSCRIPT, S)
    assert [t.speaker for t in parsed.turns] == ["Marie Janssens", "Youssef El Amrani",
                                                 "Marie Janssens"]
    assert "11:30 Pauze" in parsed.header


def test_zoom_labels_in_brackets_with_clock_time() -> None:
    text = ("[Marie Janssens] 10:02:15\nGoeiemorgen allemaal.\n\n"
            "[Youssef El Amrani] 10:02:30\nDank u.\n")
    parsed = read_source(SourceFile("zoom.txt", text.encode()), Kind.TRANSCRIPT, S)
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("Marie Janssens", "Goeiemorgen allemaal."), ("Youssef El Amrani", "Dank u.")]
    assert parsed.turns[0].start == 10 * 3600 + 2 * 60 + 15


def test_webvtt_voice_tags_and_prefixes_with_inverted_names() -> None:
    vtt = ("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Janssens, Marie>Welkom allemaal.</v>\n\n"
           "00:00:05.000 --> 00:00:08.000\n<v El Amrani, Youssef>Dank u.</v>\n")
    assert speakers("teams.vtt", vtt) == ["Marie Janssens", "Youssef El Amrani"]
    srt = ("1\n00:00:01,000 --> 00:00:04,000\nJanssens, Marie: Welkom allemaal.\n\n"
           "2\n00:00:05,000 --> 00:00:08,000\nEl Amrani, Youssef: Dank u.\n")
    assert speakers("zoom.srt", srt) == ["Marie Janssens", "Youssef El Amrani"]


def test_sheet_labels_are_canonical_too() -> None:
    sheet = parse_participants(SourceFile("deelnemers.csv", (
        'spreker,groep\n"Janssens, Marie",lokaal bestuur\nDe heer Peeters,vakbond\n'
        "De voorzitter,facilitator\n").encode()), IngestSettings())
    assert [p.label for p in sheet] == ["Marie Janssens", "Peeters", "De voorzitter"]
    with pytest.raises(FocuslexError) as caught:  # the comma not quoted: a Dutch message
        parse_participants(SourceFile("deelnemers.csv",
                                      b"spreker,groep\nJanssens, Marie,lokaal bestuur\n"), IngestSettings())
    assert caught.value.code == "FX-IN-014" and "aanhalingstekens" in caught.value.message


def test_inverted_label_is_one_speaker_and_no_name_survives(settings: Settings,
                                                            store: Store) -> None:
    """'Janssens, Marie', 'JANSSENS, MARIE' and the sheet's 'Marie Janssens' are one speaker
    code; neither her first name nor her surname reaches the stored text."""
    sheet = [Participant("Marie Janssens", "lokaal bestuur"),
             Participant("Jan Van den Broeck", "vakbond"),
             Participant("Peeters", "werkgeversorganisatie"),
             Participant("Claes", "onderwijs"),
             Participant("Lode Vermeulen", "middenveld"),
             Participant("De voorzitter", "facilitator", role=Role.FACILITATOR)]
    report = Ingestor(settings, store, sheet).ingest(
        [IngestRequest(SourceFile("commissie.txt", COMMITTEE.encode()), DocumentMeta())])
    assert report.ok, [o.error.message for o in report.outcomes if o.error]
    document_id = report.outcomes[0].document_id
    rows = store.utterances(document_id)
    codes = [s.code if s else None for _, s in rows]
    assert codes[1] == codes[6]  # 'Janssens, Marie' and 'JANSSENS, MARIE'
    key = PseudonymKey.load(settings.paths.key_file)
    assert sum(1 for e in key.entries if "janssens" in e.label.lower()) == 1
    stored = "\n".join(u.text for u, _ in rows)
    for name in ("Janssens", "Marie", "Peeters", "Claes", "Broeck", "Vermeulen"):
        assert name.lower() not in stored.lower(), name
    raw = Path(settings.database_url.removeprefix("sqlite:///")).read_bytes()
    assert b"Janssens" not in raw and b"JANSSENS" not in raw
