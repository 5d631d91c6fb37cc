"""The name-detection gold set of issue #11: loading, resolving and scoring.

Two sources, each split into a dev part (tuned on) and a test part (held out, frozen before
any tuning; see `benchmarks/data/names_gold/README.md`):

- text written for focuslex (`written_dev.txt`, `written_test.txt`): Flemish transcript- and
  press-statement-like paragraphs with inline markup `[[LABEL:surface]]`;
- real text in `../shared/data/real/` (`real_dev.jsonl`, `real_test.jsonl`): annotations only,
  as unit + character offsets + label + a hash of the surface form. The text itself is never
  copied into the repository: it is read at benchmark/test time, and a unit whose text no
  longer matches the hash is reported as drifted and skipped. Without ../shared the real part
  is skipped.

Labels: PER (a person: must be replaced), ORG, LOC, EVT (event), WORD (an ordinary capitalised
word): these must be kept intact.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

GOLD_DIR = Path(__file__).resolve().parent / "data" / "names_gold"
REPO = Path(__file__).resolve().parent.parent
# ../shared beside the repository (a checkout in /work/main), or beside its parent folder (a
# git worktree in /work/wt/<name>).
SHARED_REAL = next((p / "shared" / "data" / "real" for p in (REPO.parent, REPO.parent.parent)
                    if (p / "shared" / "data" / "real").is_dir()),
                   REPO.parent / "shared" / "data" / "real")
PARTS = ("dev", "test")
KEPT = frozenset({"ORG", "LOC", "EVT", "WORD"})
LABELS = KEPT | {"PER"}
MARKUP = re.compile(r"\[\[([A-Z]+):([^\]]+)\]\]")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    label: str


@dataclass
class Unit:
    ident: str
    text: str
    mentions: list[Mention] = field(default_factory=list)


def surface_hash(surface: str) -> str:
    """The drift check of a real-text annotation: sha256 of the surface form, 16 hex."""
    return hashlib.sha256(surface.encode("utf-8")).hexdigest()[:16]


def parse_written(text: str, prefix: str) -> list[Unit]:
    """Paragraphs of a written gold file, markup removed, mentions in plain-text offsets."""
    units: list[Unit] = []
    body = "\n".join(l for l in text.splitlines() if not l.startswith("#"))
    for number, paragraph in enumerate(p.strip() for p in body.split("\n\n")):
        if not paragraph:
            continue
        plain, mentions, last = "", [], 0
        for match in MARKUP.finditer(paragraph):
            label, surface = match.group(1), match.group(2)
            if label not in LABELS:
                raise ValueError(f"unknown label {label!r} in {prefix}")
            plain += paragraph[last:match.start()]
            mentions.append(Mention(len(plain), len(plain) + len(surface), label))
            plain += surface
            last = match.end()
        plain += paragraph[last:]
        units.append(Unit(f"{prefix}.{number:03d}", plain, mentions))
    return units


def written_units(part: str) -> list[Unit]:
    path = GOLD_DIR / f"written_{part}.txt"
    return parse_written(path.read_text(encoding="utf-8"), f"written-{part}")


def _debate_texts(root: Path) -> dict[str, str]:
    csv.field_size_limit(sys.maxsize)
    with (root / "debates_nl.tsv").open(encoding="utf-8", newline="") as handle:
        return {row["utt_id"]: row["text"]
                for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)}


def _unit_text(unit: str, root: Path, debates: dict[str, str]) -> str | None:
    """`debates_nl.tsv#<utt_id>` (the text column) or `laws_nl_2017/<file>#<line number>`."""
    source, _, where = unit.rpartition("#")
    if source == "debates_nl.tsv":
        return debates.get(where)
    path = root / source
    if not path.is_file():
        return None
    lines = path.read_text(encoding="utf-8").splitlines()
    index = int(where) - 1
    return lines[index] if 0 <= index < len(lines) else None


def real_units(part: str, root: Path = SHARED_REAL) -> tuple[list[Unit], int] | None:
    """The real-text units of a part and the number of drifted annotations, or None when
    ../shared is absent."""
    if not (root / "debates_nl.tsv").is_file():
        return None
    debates = _debate_texts(root)
    units: dict[str, Unit] = {}
    drifted = 0
    for line in (GOLD_DIR / f"real_{part}.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        text = _unit_text(row["unit"], root, debates)
        if text is None or surface_hash(text[row["start"]:row["end"]]) != row["sha"]:
            drifted += 1
            continue
        unit = units.setdefault(row["unit"], Unit(row["unit"], text))
        unit.mentions.append(Mention(row["start"], row["end"], row["label"]))
    return list(units.values()), drifted


@dataclass
class Tally:
    """Person recall (a PER mention counts when every letter of it is replaced) and kept
    precision (an ORG/LOC/EVT/WORD mention counts when no replaced span touches it)."""

    persons: int = 0
    persons_found: int = 0
    kept: int = 0
    kept_intact: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.persons_found / self.persons if self.persons else float("nan")

    @property
    def kept_precision(self) -> float:
        return self.kept_intact / self.kept if self.kept else float("nan")

    def add(self, unit: Unit, replaced: Iterable[tuple[int, int]]) -> None:
        spans = list(replaced)
        covered = {i for a, b in spans for i in range(a, b)}
        for m in unit.mentions:
            surface = unit.text[m.start:m.end]
            if m.label == "PER":
                self.persons += 1
                letters = [i for i in range(m.start, m.end) if unit.text[i].isalnum()]
                if all(i in covered for i in letters):
                    self.persons_found += 1
                else:
                    self.misses.append(f"  missed person  {surface!r} in {unit.ident}")
            else:
                self.kept += 1
                if any(a < m.end and m.start < b for a, b in spans):
                    self.misses.append(f"  replaced {m.label:<4}  {surface!r} in {unit.ident}")
                else:
                    self.kept_intact += 1
