"""Integration tests on real Dutch text from ../shared/data/real (skipped when absent).

The text is read from ../shared at test time, never copied into the repository.
"""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path

import pytest

from pipeline.ingest.service import IngestRequest, Ingestor
from pipeline.ingest.readers import SourceFile
from pipeline.core.settings import Settings
from pipeline.store.database import Store
from pipeline.core.records import DocumentMeta, Participant
from tests.conftest import REPO, SHARED

REAL = SHARED / "real"
pytestmark = [pytest.mark.shared,
              pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is absent")]


def debate_slice(corpus: str, limit: int) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with (REAL / "debates_nl.tsv").open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
                if r["corpus"] == corpus]
    return rows[:limit]


def _debate_transcript(rows: list[dict[str, str]]) -> IngestRequest:
    transcript = "\n\n".join(f"{r['speaker']}: {r['text']}" for r in rows)
    return IngestRequest(SourceFile("debat.txt", transcript.encode("utf-8")), DocumentMeta())


def test_parliamentary_debate_with_a_sheet_keeps_every_speaker_and_leaks_no_name(
        settings: Settings, store: Store) -> None:
    rows = debate_slice("tk_2024_sjiub", 120)
    labels = {r["speaker"] for r in rows}
    sheet = [Participant(label, next(r["party"] for r in rows if r["speaker"] == label)
                         or "voorzitter") for label in sorted(labels)]
    report = Ingestor(settings, store, sheet).ingest([_debate_transcript(rows)])
    assert report.ok, [o.error.message for o in report.outcomes if o.error]
    assert report.outcomes[0].turns == len(rows)  # one marker, one turn
    assert store.status()["speakers_who_spoke"] == len(labels)
    store.close()
    raw = b"".join(p.read_bytes() for p in settings.paths.data_dir.glob("focuslex.db*"))
    for label in labels - {"De voorzitter"}:
        assert label.encode("utf-8") not in raw, label


def test_parliamentary_debate_without_a_sheet_finds_recurring_speakers(
        settings: Settings, store: Store) -> None:
    rows = debate_slice("tk_2024_sjiub", 120)
    report = Ingestor(settings, store).ingest([_debate_transcript(rows)])
    assert report.ok
    recurring = {r["speaker"] for r in rows
                 if sum(1 for x in rows if x["speaker"] == r["speaker"]) >= 2}
    assert store.status()["speakers_who_spoke"] >= len(recurring)


def _benchmark(name: str):
    path = REPO / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def term_quality(loader_name: str, tmp_path: Path) -> tuple[float, float, tuple[int, int, int]]:
    """Precision and recall of the matcher (code path of `focuslex analyse`) on a gold set,
    counted by benchmarks/term_quality.py."""
    from pipeline.nlp.cache import token_tables
    from pipeline.nlp.loader import load_pipeline
    from pipeline.core.settings import NlpSettings
    from pipeline.terms.matcher import TermMatcher, load_entries

    bench = _benchmark("term_quality")
    gold = getattr(bench, loader_name)()
    assert gold is not None
    matcher = TermMatcher.from_entries(load_entries(None))
    nlp = load_pipeline(Settings(nlp=NlpSettings(model="")))
    ids = list(gold.texts)
    tables, _ = token_tables(nlp, [gold.texts[i] for i in ids], tmp_path / "cache")
    result = bench.score(gold, bench.matcher_hits(matcher, dict(zip(ids, tables)), gold))
    tp, fp, fn = (sum(c.values()) for c in (result.tp, result.fp, result.fn))
    precision, recall, _ = bench.prf(tp, fp, fn)
    return precision, recall, (tp, fp, fn)


@pytest.mark.slow
def test_term_detection_meets_its_targets_on_real_sentences(tmp_path: Path) -> None:
    """230 adjudicated real sentences: recall >= 0.95, precision >= 0.92 (in-scope items)."""
    precision, recall, counts = term_quality("load_real", tmp_path)
    assert recall >= 0.95, counts
    assert precision >= 0.92, counts
