"""The store on PostgreSQL: the same ingest behaviour as on SQLite.

Runs when FOCUSLEX_TEST_POSTGRES_URL names a throwaway database (CI starts one with
.ci/postgres.sh); skipped otherwise.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import select

from pipeline.ingest.service import IngestRequest, Ingestor
from pipeline.ingest.readers import SourceFile
from pipeline.core.settings import Settings
from pipeline.ingest.sheets import read_participants
from pipeline.core.settings import IngestSettings
from pipeline.store.database import Base, DocumentRow, Store
from pipeline.core.records import DocumentMeta
from tests.conftest import FIXTURE_NAMES, INGEST

DEFAULT_INGEST = IngestSettings()  # the participants sheets of these tests are small

URL = os.environ.get("FOCUSLEX_TEST_POSTGRES_URL", "")
pytestmark = pytest.mark.skipif(not URL, reason="FOCUSLEX_TEST_POSTGRES_URL not set")


@pytest.fixture
def pg_store(settings: Settings) -> Store:
    store = Store(URL)
    Base.metadata.drop_all(store.engine)
    Base.metadata.create_all(store.engine)
    yield store
    Base.metadata.drop_all(store.engine)
    store.close()


def ingest(settings: Settings, store: Store, *names: str):
    ingestor = Ingestor(settings.with_database(URL), store,
                        read_participants(INGEST / "participants.csv", DEFAULT_INGEST))
    return ingestor.ingest([IngestRequest(SourceFile(n, (INGEST / n).read_bytes()),
                                          DocumentMeta(round=1)) for n in names])


def test_ingest_status_and_idempotency_on_postgres(settings: Settings, pg_store: Store) -> None:
    report = ingest(settings, pg_store, "gesprek.txt", "gesprek.vtt", "gesprek.srt")
    assert report.count("stored") == 3
    again = ingest(settings, pg_store, "gesprek.txt")
    assert again.count("duplicate") == 1
    info = pg_store.status()
    assert info["documents"] == 3 and info["speakers"] == 5
    assert info["words_by_round"] == {"1": info["words"]}
    with pg_store.session() as s:
        texts = " ".join(s.scalars(select(DocumentRow.text)))
    for name in FIXTURE_NAMES:
        assert name not in texts


def test_failing_file_rolls_back_on_postgres(settings: Settings, pg_store: Store) -> None:
    ingestor = Ingestor(settings, pg_store, None)
    report = ingestor.ingest([IngestRequest(SourceFile("kapot.docx", b"PK\x03\x04 kapot"),
                                            DocumentMeta())])
    assert report.outcomes[0].error.code == "FX-IN-004"
    assert pg_store.status()["documents"] == 0
