"""The demo corpus: stored through the real ingest, counts as promised in corpora/demo/README.md."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pipeline.ingest.service import Ingestor, collect_requests
from pipeline.core.settings import Settings, load_settings
from pipeline.ingest.sheets import read_participants
from pipeline.core.settings import IngestSettings
from pipeline.store.database import DocumentRow, SpeakerRow, Store, UtteranceRow
from pipeline.core.records import DocumentMeta

DEFAULT_INGEST = IngestSettings()  # the participants sheets of these tests are small

DEMO = Path(__file__).resolve().parent.parent / "corpora" / "demo"
ANNOTATIONS = DEMO / "annotations"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Store, object]:
    settings = load_settings(base_dir=tmp_path_factory.mktemp("demo"))
    store = Store(settings.database_url)
    ingestor = Ingestor(settings, store, read_participants(DEMO / "participants.csv", DEFAULT_INGEST))
    report = ingestor.ingest(collect_requests([DEMO], DocumentMeta(), settings))
    yield settings, store, report
    store.close()


def test_everything_is_stored_without_errors(demo) -> None:
    _, store, report = demo
    assert report.ok, [(o.name, o.error.message) for o in report.outcomes if o.error]
    assert not report.warnings, report.warnings
    listed = (DEMO / "documents.csv").read_text(encoding="utf-8").strip().count("\n")
    assert report.count("stored") == listed


def test_counts_promised_by_the_corpus(demo) -> None:
    _, store, _ = demo
    with store.session() as s:
        transcripts = s.scalars(select(DocumentRow).where(DocumentRow.kind == "transcript")).all()
        statements = s.scalars(select(DocumentRow).where(DocumentRow.kind == "statement")).all()
        speaking = s.execute(select(SpeakerRow.code, SpeakerRow.group, SpeakerRow.role)
                             .join(UtteranceRow, UtteranceRow.speaker_id == SpeakerRow.id)
                             .distinct()).all()
        statement_groups = {d.group for d in statements}
    assert len({d.round for d in transcripts}) == 4
    assert len({d.date for d in transcripts}) >= 4
    assert all(d.prompt for d in transcripts)
    assert sum(d.word_count for d in transcripts) >= 25_000
    assert {d.format for d in transcripts} >= {"txt", "docx", "vtt", "srt"}
    participants = {code for code, _, role in speaking if role == "participant"}
    groups = {group for _, group, role in speaking if role == "participant"}
    assert len(participants) >= 60
    assert len(groups) >= 7
    assert any(role == "facilitator" for _, _, role in speaking)
    assert len(statements) >= 8
    assert len(statement_groups) >= 7


def test_speakers_are_unevenly_active(demo) -> None:
    """Some speakers dominate, some rarely talk (as in real focus groups)."""
    _, store, _ = demo
    with store.session() as s:
        turns = Counter(dict(s.execute(
            select(SpeakerRow.code, func.count(UtteranceRow.id))
            .join(UtteranceRow, UtteranceRow.speaker_id == SpeakerRow.id)
            .where(SpeakerRow.role == "participant").group_by(SpeakerRow.code)).all()))
    assert min(turns.values()) == 1
    assert max(turns.values()) >= 8


def test_no_roster_name_reaches_the_database(demo) -> None:
    settings, store, _ = demo
    store.close()
    raw = b"".join(p.read_bytes() for p in settings.paths.data_dir.glob("focuslex.db*"))
    labels = [row["speaker"] for row in _rows(DEMO / "participants.csv")]
    for label in labels:
        assert label.encode("utf-8") not in raw, label


def _rows(path: Path) -> list[dict[str, str]]:
    import csv

    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_answer_key_is_consistent() -> None:
    sentences = {s["id"]: s for s in map(json.loads, (ANNOTATIONS / "sentences.jsonl").open())}
    terms = [json.loads(l) for l in (ANNOTATIONS / "terms.jsonl").open()]
    with_terms = {t["sentence_id"] for t in terms}
    assert len(with_terms) >= 300
    for term in terms:
        text = sentences[term["sentence_id"]]["text"]
        assert text[term["start"]:term["end"]] == term["surface"], term
    assert sum(1 for t in terms if not t["in_scope"]) >= 20  # sense traps are annotated
    turns = [json.loads(l) for l in (ANNOTATIONS / "turns.jsonl").open()]
    assert all(t["themes"] for t in turns)


@pytest.mark.slow
def test_analysis_export_of_the_demo_corpus(demo) -> None:
    """Issue 'term usages': the export of the demo corpus has the promised columns, every
    row points at its text in the stored document, and every lexicon term is found."""
    import csv
    import io

    from lexicon.io import load_seed
    from lexicon.store import LexiconStore
    from pipeline.terms.run import export_hits, run_analysis

    settings, store, _ = demo
    store = Store(settings.database_url)
    LexiconStore(store).import_entries(load_seed(), by="test", why="startlexicon")
    report = run_analysis(settings, store)
    assert report.terms_found == report.terms == 49
    text, count = export_hits(store, "csv", settings)
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert count == len(rows) == report.hits > 1000
    assert set(rows[0]) >= {"document", "term_id", "label", "text", "start", "end", "sentence",
                            "speaker", "group", "round", "negated", "mention"}
    texts = {d.file_name: d.text for d in store.documents()}
    for row in rows:
        assert texts[row["document"]][int(row["start"]):int(row["end"])] == row["text"]
    assert {r["mention"] for r in rows} >= {"", "quoted", "distanced", "named"}
    assert any(r["negated"] == "true" for r in rows)
    store.close()
