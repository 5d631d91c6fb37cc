"""The gold set of issue #11 with deduce (LGPL-3.0), for comparison. Never a dependency of
focuslex: run it with the Python of a separate virtual environment that has deduce.

    python3 -m venv /tmp/deduce-venv && /tmp/deduce-venv/bin/pip install deduce==3.0.6
    /tmp/deduce-venv/bin/python benchmarks/name_detection_deduce.py

Its first start builds a lookup cache (about 100 s, 77 MB, inside its package). Same measures
as `benchmarks/name_detection.py`: person recall, and kept precision counting only deduce's
person annotations (`persoon`, `patient`) as replacements; `kept, all tags` also counts
what deduce removes besides persons (locations, institutions, dates...).
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.names_gold import (PARTS, Mention, Tally, Unit, real_units,  # noqa: E402
                                   written_units)

PERSON_TAGS = ("persoon", "patient")


def demo_units() -> list[Unit]:
    folder = REPO / "corpora" / "demo" / "annotations"
    gold: dict[str, list[Mention]] = {}
    for line in (folder / "names.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            gold.setdefault(row["sentence_id"], []).append(
                Mention(row["start"], row["end"], "PER"))
    units = []
    for line in (folder / "sentences.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            mentions = gold.get(row["id"], [])
            # as benchmarks/name_detection.py: other capitalised words inside a sentence
            words = [Mention(m.start(), m.end(), "WORD") for m in re.finditer(
                r"(?<=[\w,;] )[A-ZÀ-Ý][\w'-]*", row["text"])
                if not any(g.start < m.end() and m.start() < g.end for g in mentions)]
            units.append(Unit(row["id"], row["text"], mentions + words))
    return units


def tallies(deduce, units: list[Unit]) -> tuple[Tally, Tally]:
    persons, everything = Tally(), Tally()
    for unit in units:
        annotations = deduce.deidentify(unit.text).annotations
        spans = [(a.start_char, a.end_char) for a in annotations]
        person_spans = [(a.start_char, a.end_char) for a in annotations
                        if a.tag.startswith(PERSON_TAGS)]
        persons.add(unit, person_spans)
        everything.add(unit, spans)
    return persons, everything


def main() -> None:
    from deduce import Deduce  # noqa: PLC0415 - only in the separate venv

    began = time.perf_counter()
    deduce = Deduce()
    logging.disable(logging.CRITICAL)  # deduce turns on DEBUG logging at import
    print(f"deduce loaded in {time.perf_counter() - began:.0f} s", file=sys.stderr)
    rows = []
    for part in PARTS:
        label = "dev (tuned on)" if part == "dev" else "test (held out)"
        units = written_units(part)
        real = real_units(part)
        if real is not None:
            units += real[0]
        rows.append((f"{label}: all", *tallies(deduce, units)))
    rows.append(("demo corpus (names.jsonl)", *tallies(deduce, demo_units())))
    print(f"{'deduce 3.0.6':<42} {'person recall':>20} {'kept (persons)':>20} "
          f"{'kept (all tags)':>20}")
    for label, persons, everything in rows:
        print(f"{label:<42} {persons.recall:8.3f} ({persons.persons_found}/{persons.persons})"
              f"   {persons.kept_precision:8.3f} ({persons.kept_intact}/{persons.kept})"
              f"   {everything.kept_precision:8.3f}")


if __name__ == "__main__":
    main()
