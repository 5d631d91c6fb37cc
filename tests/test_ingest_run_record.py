"""An ingest that fails unexpectedly still closes its run record."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pipeline.ingest.service import IngestRequest, Ingestor
from pipeline.ingest.readers import SourceFile
from pipeline.core.settings import Settings
from pipeline.store.database import RunRow, Store
from pipeline.core.records import DocumentMeta


def test_unexpected_failure_marks_the_run_as_error(settings: Settings, store: Store,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    ingestor = Ingestor(settings, store, None)

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("stuk")

    monkeypatch.setattr(ingestor, "_ingest_one", boom)
    request = IngestRequest(SourceFile("gesprek.txt", b"Ayse Demir: Dag.\nJan Roos: Hallo.\n"),
                            DocumentMeta())
    with pytest.raises(RuntimeError):
        ingestor.ingest([request])
    with store.session() as s:
        runs = list(s.scalars(select(RunRow).where(RunRow.command == "ingest")))
    assert [r.status for r in runs] == ["error"]
    assert runs[0].finished_at is not None
    assert runs[0].details["failure"] == "RuntimeError"
