"""Term detection against the demo corpus answer key (written by hand with the text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_real_data import term_quality


@pytest.mark.slow
def test_term_detection_meets_its_targets_on_the_demo_key(tmp_path: Path) -> None:
    precision, recall, counts = term_quality("load_demo", tmp_path)
    assert recall >= 0.95, counts
    assert precision >= 0.92, counts
