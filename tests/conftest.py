"""Shared fixtures: settings in a temporary folder, a store, fixture files."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from pipeline.core.settings import Settings, load_settings
from pipeline.store.database import Store

FIXTURES = Path(__file__).parent / "fixtures"
INGEST = FIXTURES / "ingest"
REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "data"

# Hypothesis profiles (tests/test_fuzz.py): `quick` in `make test` (derandomised, so CI is
# repeatable), `fuzz` in `make fuzz` (--hypothesis-profile=fuzz): 2,000 random inputs per
# test. No example database: the tests run in temporary folders.
_FUZZ_CHECKS = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                HealthCheck.data_too_large, HealthCheck.filter_too_much]
hypothesis_settings.register_profile("quick", max_examples=40, deadline=None,
                                     derandomize=True, database=None,
                                     suppress_health_check=_FUZZ_CHECKS)
hypothesis_settings.register_profile("fuzz", max_examples=2000, deadline=None,
                                     database=None, suppress_health_check=_FUZZ_CHECKS)
hypothesis_settings.load_profile("quick")

# Every real name that appears in the ingest fixtures (for leak checks).
FIXTURE_NAMES = ["Hilde", "Verstraeten", "Ayşe", "Ayse", "Demir", "Jan Roos", "Fatima",
                 "Zahra", "Idrissi", "Wouter", "Bakker"]


@pytest.fixture(autouse=True)
def _isolated_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test in its own folder: default settings (data/, the pseudonym key, the
    caches) then point there, never at the developer's own data/ in the repository."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Default settings with every path inside tmp_path (database, cache, key)."""
    return load_settings(base_dir=tmp_path)


@pytest.fixture
def store(settings: Settings) -> Store:
    s = Store(settings.database_url)
    yield s
    s.close()


def make_docx(paragraphs: list[str], table: list[tuple[str, str]] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        t = document.add_table(rows=1, cols=2)
        t.rows[0].cells[0].text, t.rows[0].cells[1].text = "Spreker", "Tekst"
        for speaker, text in table:
            row = t.add_row()
            row.cells[0].text, row.cells[1].text = speaker, text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
