"""Speaker labels on real parliamentary records from ../shared/data/real (skipped when
absent). The records are rebuilt as minutes in the run, with the speaker lines minutes use
('Ponthier, Annick:', 'De heer Nijboer (PvdA):', 'Minister De Jonge:', 'De voorzitter:'),
by benchmarks/speaker_labels.py (which also prints the figures); nothing is copied into the
repository."""

from __future__ import annotations

import importlib.util
import re
import sys

import pytest

from pipeline.core.records import DocumentMeta, Kind
from pipeline.core.settings import IngestSettings, Settings
from pipeline.core.text import normalise_label
from pipeline.ingest.readers import SourceFile, read_source
from pipeline.ingest.service import IngestRequest, Ingestor
from pipeline.privacy.pseudonymise import PseudonymKey
from pipeline.store.database import Store
from tests.conftest import REPO, SHARED

REAL = SHARED / "real"
pytestmark = [pytest.mark.shared,
              pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is absent")]


def bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "bench_speaker_labels", REPO / "benchmarks" / "speaker_labels.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("corpus", ["tk_handelingen", "tk_2024_sjiub", "tk_vlos",
                                    "parlamint_be_sample", "europarl_nl"])
def test_debates_with_minutes_labels_give_one_turn_per_utterance(corpus: str) -> None:
    b = bench()
    documents = [rows for rows in b.debates(REAL).values() if rows[0]["corpus"] == corpus]
    assert documents
    for rows in documents:
        text, expected = b.debate_minutes(rows)
        parsed = read_source(SourceFile("debat.txt", text.encode()), Kind.TRANSCRIPT,
                             IngestSettings())
        assert [normalise_label(t.speaker or "") for t in parsed.turns] == \
            [normalise_label(e) for e in expected]


def test_parlamint_session_as_minutes(settings: Settings, store: Store) -> None:
    b = bench()
    path = REAL / b.PARLAMINT_FILE
    if not path.is_file():
        pytest.skip("ParlaMint-NL file is absent")
    text, expected = b.parlamint_minutes(path)
    parsed = read_source(SourceFile("parlamint.txt", text.encode()), Kind.TRANSCRIPT,
                         IngestSettings())
    assert [t.speaker for t in parsed.turns] == expected
    assert len(expected) == 98
    # Pseudonymised: one code per inverted label, and no name part in the stored text.
    report = Ingestor(settings, store).ingest(
        [IngestRequest(SourceFile("parlamint.txt", text.encode()), DocumentMeta())])
    assert report.ok, [o.error.message for o in report.outcomes if o.error]
    key = PseudonymKey.load(settings.paths.key_file)
    assert len(key.entries) == len(set(expected))
    stored = "\n".join(u.text for u, _ in store.utterances(report.outcomes[0].document_id))
    for name in set(expected) - {"De voorzitter"}:
        for part in [name, *name.split()]:  # full name, first name, surname
            assert not re.search(rf"\b{re.escape(part)}\b", stored), part


def test_benchmark_prints_both_readers(capsys: pytest.CaptureFixture[str]) -> None:
    b = bench()
    b.main()
    out = capsys.readouterr().out
    assert "baseline (line prefix + colon)" in out and "focuslex readers" in out
    documents = len(b.documents(REAL))
    assert f"focuslex readers                 documents right {documents}/{documents}" in out
