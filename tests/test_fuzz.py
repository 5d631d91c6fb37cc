"""Property-based fuzzing of every reader and every lexicon importer (hypothesis).

The property: a hostile file ends either in a result or in a `FocuslexError` (a coded Dutch
message), never in another exception; what a reader returns is storable text (no lone
surrogates); an ingest or a lexicon import that fails stores nothing of that file.

`make test` runs the `quick` profile (derandomised, a few dozen inputs per test);
`make fuzz` runs the `fuzz` profile (at least 2,000 random inputs per test) and prints
hypothesis' statistics. See docs/robustness.md.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from lexicon.io import dump_csv, dump_yaml, read_lexicon_file
from lexicon.skos import dump_skos
from lexicon.store import LexiconStore
from pipeline.core.errors import FocuslexError
from pipeline.core.records import DocumentMeta, Kind, ParsedFile
from pipeline.core.settings import IngestSettings, Settings, load_settings
from pipeline.ingest.readers import SourceFile, read_source
from pipeline.ingest.service import IngestRequest, Ingestor
from pipeline.ingest.sheets import parse_participants
from pipeline.store.database import Store
from tests.conftest import FIXTURES, INGEST, make_docx
from tests.fuzzing import (caption_file, hostile_text, make_xlsx, mutations, office_file,
                           participants_csv, seed_pdf, transcript_lines)

pytestmark = pytest.mark.fuzz

INGEST_SETTINGS = IngestSettings()
KNOWN = {"hilde verstraeten", "ayse demir", "jan roos"}
KINDS = st.sampled_from([Kind.TRANSCRIPT, Kind.STATEMENT])


def _read(name: str, data: bytes, kind: Kind) -> ParsedFile | None:
    """The property every reader must have; returns the parse or None (a coded refusal)."""
    try:
        parsed = read_source(SourceFile(name, data), kind, INGEST_SETTINGS, set(KNOWN))
    except FocuslexError as error:
        assert error.message.startswith(f"[{error.code}]")
        return None
    for turn in parsed.turns:
        turn.text.encode("utf-8")  # storable: no lone surrogates
        if turn.speaker is not None:
            turn.speaker.encode("utf-8")
        assert turn.start is None or isinstance(turn.start, float)
        assert turn.end is None or turn.start is None or turn.end >= turn.start
    parsed.header.encode("utf-8")
    return parsed


# -- text readers ------------------------------------------------------------------------------

@given(data=hostile_text((INGEST / "gesprek.txt").read_bytes()), kind=KINDS)
def test_fuzz_txt_mutated(data: bytes, kind: Kind) -> None:
    _read("gesprek.txt", data, kind)


@given(data=st.one_of(transcript_lines(), transcript_lines().flatmap(mutations)), kind=KINDS)
def test_fuzz_txt_generated_turns(data: bytes, kind: Kind) -> None:
    _read("gesprek.txt", data, kind)


@given(data=st.one_of(hostile_text((INGEST / "gesprek.md").read_bytes()),
                      transcript_lines()), kind=KINDS)
def test_fuzz_md(data: bytes, kind: Kind) -> None:
    _read("gesprek.md", data, kind)


@given(data=st.one_of(hostile_text((INGEST / "gesprek.vtt").read_bytes()),
                      caption_file("vtt")), kind=KINDS)
@example(data=b"WEBVTT\n\n00:00:01.000 --> 00:00:00.500\n<v Jan>0\n\n"
              b"00:00:00.000 --> 00:00:00.500\n0\n", kind=Kind.TRANSCRIPT)  # found by make fuzz
def test_fuzz_vtt(data: bytes, kind: Kind) -> None:
    _read("gesprek.vtt", data, kind)


@given(data=st.one_of(hostile_text((INGEST / "gesprek.srt").read_bytes()),
                      caption_file("srt")), kind=KINDS)
@example(data=b"1\n00:00:01,000 --> 00:00:00,500\n<v Jan>0\n\n2\n00:00:00,000 --> "
              b"00:00:00,500\n0\n", kind=Kind.TRANSCRIPT)  # found by make fuzz
def test_fuzz_srt(data: bytes, kind: Kind) -> None:
    _read("gesprek.srt", data, kind)


# -- docx, pdf -----------------------------------------------------------------------------------

DOCX_SEED = make_docx(["Titel: Focusgroep integratie", "Hilde Verstraeten: Welkom.",
                       "Ayşe Demir: Integratie vraagt tijd."],
                      table=[("Jan Roos", "Ik spreek liever over samenleven."),
                             ("Ayşe Demir", "Dat begrijp ik, maar het woord blijft.")])


@given(data=office_file(DOCX_SEED, "word/document.xml"), kind=KINDS)
def test_fuzz_docx(data: bytes, kind: Kind) -> None:
    _read("verslag.docx", data, kind)


@given(paragraphs=st.lists(st.text(max_size=80).map(
    lambda t: "".join(c for c in t if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF)),
    max_size=8), kind=KINDS)
def test_fuzz_docx_generated_paragraphs(paragraphs: list[str], kind: Kind) -> None:
    _read("verslag.docx", make_docx(paragraphs), kind)


PDF_SEED = seed_pdf()


@given(data=mutations(PDF_SEED, max_mutations=4), kind=KINDS)
def test_fuzz_pdf(data: bytes, kind: Kind) -> None:
    _read("verklaring.pdf", data, kind)


# -- participants sheets -----------------------------------------------------------------------------

def _participants(name: str, data: bytes) -> None:
    try:
        participants = parse_participants(SourceFile(name, data), IngestSettings())
    except FocuslexError:
        return
    for p in participants:
        assert p.label and p.label == " ".join(p.label.split())
        p.label.encode("utf-8")


@given(data=st.one_of(participants_csv(),
                      hostile_text((INGEST / "participants.csv").read_bytes())))
def test_fuzz_participants_csv(data: bytes) -> None:
    _participants("deelnemers.csv", data)


XLSX_SEED = make_xlsx([["speaker", "group", "organisation", "role"],
                       ["Ayşe Demir", "lokaal bestuur", "Stad Genkberg", "participant"],
                       ["Hilde Verstraeten", "facilitator", "", "facilitator"]])


@given(data=st.one_of(office_file(XLSX_SEED, "xl/worksheets/sheet1.xml"),
                      office_file(XLSX_SEED, "xl/workbook.xml")))
def test_fuzz_participants_xlsx(data: bytes) -> None:
    _participants("deelnemers.xlsx", data)


# -- ingest: nothing half-written --------------------------------------------------------------------

@pytest.fixture(scope="module")
def ingest_target(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Store]:
    base = tmp_path_factory.mktemp("fuzz-ingest")
    settings = load_settings(base_dir=base)
    settings = replace(settings, pseudonymise=replace(settings.pseudonymise,
                                                      detect_with_pipeline=False))
    store = Store(settings.database_url)
    yield settings, store
    store.close()


SEEDS = {".txt": (INGEST / "gesprek.txt").read_bytes(), ".vtt": (INGEST / "gesprek.vtt").read_bytes(),
         ".srt": (INGEST / "gesprek.srt").read_bytes(), ".docx": DOCX_SEED, ".pdf": PDF_SEED}


@given(suffix=st.sampled_from(sorted(SEEDS)), data=st.data(),
       name=st.one_of(st.just("gesprek"), st.text(min_size=1, max_size=20)))
def test_fuzz_ingest_stores_a_file_whole_or_not_at_all(
        ingest_target: tuple[Settings, Store], suffix: str, data: st.DataObject,
        name: str) -> None:
    settings, store = ingest_target
    content = data.draw(mutations(SEEDS[suffix], max_mutations=3))
    before = _counts(store)
    report = Ingestor(settings, store).ingest(
        [IngestRequest(SourceFile(name + suffix, content), DocumentMeta())])
    outcome = report.outcomes[0]
    after = _counts(store)
    if outcome.status == "stored":
        assert after[0] == before[0] + 1 and after[1] == before[1] + outcome.turns
    else:
        assert outcome.status in ("duplicate", "error")
        assert outcome.status == "duplicate" or isinstance(outcome.error, FocuslexError)
        assert after == before
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def _counts(store: Store) -> tuple[int, int]:
    with store.engine.connect() as connection:
        return (connection.exec_driver_sql("SELECT count(*) FROM documents").scalar(),
                connection.exec_driver_sql("SELECT count(*) FROM utterances").scalar())


# -- lexicon importers --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def lexicon_target(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, LexiconStore]:
    base = tmp_path_factory.mktemp("fuzz-lexicon")
    store = Store(load_settings(base_dir=base).database_url)
    lexicon = LexiconStore(store)
    lexicon.import_entries(read_lexicon_file(FIXTURES / "lexicon" / "small.yaml"), "t", "t")
    yield base, lexicon
    store.close()


SMALL = read_lexicon_file(FIXTURES / "lexicon" / "small.yaml")
LEXICON_SEEDS = {".yaml": dump_yaml(SMALL).encode(), ".csv": dump_csv(SMALL).encode(),
                 ".ttl": dump_skos(SMALL, "turtle").encode()}


def _import(lexicon_target: tuple[Path, LexiconStore], suffix: str, content: bytes) -> None:
    base, lexicon = lexicon_target
    path = base / f"lexicon{suffix}"
    path.write_bytes(content)
    try:
        entries = read_lexicon_file(path)
    except FocuslexError:
        return
    before = [(e.id, e.version) for e in lexicon.list()]
    try:
        lexicon.import_entries(entries, "fuzzer", "fuzz")
    except FocuslexError:
        assert [(e.id, e.version) for e in lexicon.list()] == before  # all or nothing


@given(content=st.one_of(hostile_text(LEXICON_SEEDS[".yaml"]),
                         st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass"))))
@example(content=b" ? ?")  # found by make fuzz: a mapping as a key
@example(content=b"? [a, b]\n: c\n")
def test_fuzz_lexicon_yaml(lexicon_target: tuple[Path, LexiconStore], content: bytes) -> None:
    _import(lexicon_target, ".yaml", content)


@given(content=hostile_text(LEXICON_SEEDS[".csv"]))
def test_fuzz_lexicon_csv(lexicon_target: tuple[Path, LexiconStore], content: bytes) -> None:
    _import(lexicon_target, ".csv", content)


@given(content=hostile_text(LEXICON_SEEDS[".ttl"]))
def test_fuzz_lexicon_turtle(lexicon_target: tuple[Path, LexiconStore], content: bytes) -> None:
    _import(lexicon_target, ".ttl", content)
