"""The name-detection gold set of issue #11 (benchmarks/data/names_gold/): well-formed, big
enough, and its real-text annotations still fit the texts in ../shared (offsets + hashes)."""

from __future__ import annotations

import json

import pytest

from benchmarks.names_gold import (GOLD_DIR, LABELS, PARTS, Tally, Unit, Mention, parse_written,
                                   real_units, written_units)
from tests.conftest import SHARED


def test_written_parts_parse_into_units_with_labelled_mentions() -> None:
    for part in PARTS:
        units = written_units(part)
        assert len(units) >= 35
        for unit in units:
            assert "[[" not in unit.text and "]]" not in unit.text
            for m in unit.mentions:
                assert m.label in LABELS
                surface = unit.text[m.start:m.end]
                assert surface == surface.strip() and surface


def test_the_gold_set_has_at_least_400_mentions_and_separate_parts() -> None:
    written = {p: sum(len(u.mentions) for u in written_units(p)) for p in PARTS}
    real = {p: sum(1 for line in (GOLD_DIR / f"real_{p}.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()) for p in PARTS}
    assert sum(written.values()) + sum(real.values()) >= 400
    units = {p: {json.loads(line)["unit"] for line in (GOLD_DIR / f"real_{p}.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()} for p in PARTS}
    assert not units["dev"] & units["test"]
    texts = {p: {u.text for u in written_units(p)} for p in PARTS}
    assert not texts["dev"] & texts["test"]


def test_markup_errors_are_refused() -> None:
    with pytest.raises(ValueError):
        parse_written("Een [[NAAM:Jan]] hier.", "x")
    unit = parse_written("Dag [[PER:Jan Peeters]] van [[ORG:VOKA]].", "x")[0]
    assert unit.text == "Dag Jan Peeters van VOKA."
    assert [(unit.text[m.start:m.end], m.label) for m in unit.mentions] == [
        ("Jan Peeters", "PER"), ("VOKA", "ORG")]


def test_scoring_counts_partly_hidden_persons_as_missed() -> None:
    unit = Unit("x", "Jan Peeters van VOKA", [Mention(0, 11, "PER"), Mention(16, 20, "ORG")])
    tally = Tally()
    tally.add(unit, [(0, 3)])
    assert (tally.persons_found, tally.kept_intact) == (0, 1)
    tally.add(unit, [(0, 11), (16, 18)])
    assert (tally.persons_found, tally.kept_intact) == (1, 1)


@pytest.mark.shared
@pytest.mark.skipif(not (SHARED / "real").is_dir(), reason="../shared/data/real is absent")
def test_real_annotations_still_fit_the_shared_texts() -> None:
    for part in PARTS:
        resolved = real_units(part, SHARED / "real")
        assert resolved is not None
        units, drifted = resolved
        assert drifted == 0
        assert sum(len(u.mentions) for u in units) >= 100
