"""Format check of the hand-written gold files in benchmarks/data (no matcher, no model).

    .venv/bin/python benchmarks/data/check_gold.py [--terms FILE ...] [--activities FILE ...]

Without arguments it checks the held-out files `term_test2.txt`, `term_test3.txt`,
`term_test4.txt`, `term_test5.txt`, `term_test6.txt`, `term_test7.txt`,
`term_test8.txt`, `term_test9.txt`, `term_test10.txt`, `term_test11.txt`,
`term_test12.txt`, `term_test13.txt`, `term_test14.txt`, `term_test15.txt`,
`term_test16.txt`, `term_test17.txt`, `term_test18.txt`, `term_test19.txt`,
`term_test20.txt`, `term_test21.txt`, `term_test22.txt`, `term_test23.txt`,
`term_test24.txt`, `term_test25.txt`, `term_test26.txt`, `term_test27.txt`,
`term_test28.txt`, `activity_test2.jsonl`,
`activity_test3.jsonl` and `activity_test4.jsonl` and prints their counts (items per concept, in scope and sense
traps; sentences per activity and group).
Exit status 1 when a file has a format error; every error is listed with its place.

Term files (the markup of `term_test.txt`, read by `benchmarks/term_quality.py`): a
`concepts:` line with known seed-lexicon ids; blocks separated by a line `---`, each starting
with `@ id source`; ids unique; `[[concept|surface]]` and `[[!concept|surface]]` balanced
(nesting allowed), the concept known and listed on the `concepts:` line, the surface not
empty, without surrounding spaces and a whole word (no letter right before or after it);
every listed concept annotated at least once.

Activity files (JSON lines like `activity_labels.jsonl`): the fields sentence_id, group,
activity, split and text; ids unique; the activity one of the six ids of
`pipeline.activities.model`; and no text holding a word of its own activity's Dutch label
(so that a suggestion cannot win on the label's words alone).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from lexicon.io import load_seed  # noqa: E402
from pipeline.activities.model import ACTIVITIES, ACTIVITY_IDS  # noqa: E402

DATA = Path(__file__).resolve().parent
TERMS = (DATA / "term_test2.txt", DATA / "term_test3.txt", DATA / "term_test4.txt",
         DATA / "term_test5.txt", DATA / "term_test6.txt", DATA / "term_test7.txt",
         DATA / "term_test8.txt", DATA / "term_test9.txt", DATA / "term_test10.txt",
         DATA / "term_test11.txt", DATA / "term_test12.txt", DATA / "term_test13.txt",
         DATA / "term_test14.txt", DATA / "term_test15.txt", DATA / "term_test16.txt",
         DATA / "term_test17.txt", DATA / "term_test18.txt", DATA / "term_test19.txt",
         DATA / "term_test20.txt", DATA / "term_test21.txt", DATA / "term_test22.txt",
         DATA / "term_test23.txt", DATA / "term_test24.txt", DATA / "term_test25.txt",
         DATA / "term_test26.txt", DATA / "term_test27.txt", DATA / "term_test28.txt")
ACTIVITY_FILES = (DATA / "activity_test2.jsonl", DATA / "activity_test3.jsonl",
                  DATA / "activity_test4.jsonl")
_TOKEN = re.compile(r"\[\[(!?)([^|\]\[]*)\||\]\]")
_ID = re.compile(r"^[a-z]+[0-9]+$")
ACTIVITY_FIELDS = ("sentence_id", "group", "activity", "split", "text")


@dataclass
class TermReport:
    errors: list[str] = field(default_factory=list)
    passages: int = 0
    in_scope: Counter = field(default_factory=Counter)
    traps: Counter = field(default_factory=Counter)
    sources: Counter = field(default_factory=Counter)
    with_in_scope: int = 0
    with_trap: int = 0
    with_neither: int = 0


Item = tuple[str, bool, int, int]  # concept, in scope, start, end in the plain text


def parse_markup(marked: str) -> tuple[str, list[Item]]:
    """Plain text and (concept, in_scope, start, end) items of a marked passage; ValueError
    on unbalanced or malformed markup."""
    out: list[str] = []
    stack: list[tuple[str, bool, int]] = []
    items: list[Item] = []
    pos = 0
    for m in _TOKEN.finditer(marked):
        out.append(marked[pos:m.start()])
        pos = m.end()
        if m.group(0) == "]]":
            if not stack:
                raise ValueError(f"']]' without '[[' at character {m.start()}")
            concept, in_scope, start = stack.pop()
            items.append((concept, in_scope, start, len("".join(out))))
        else:
            stack.append((m.group(2), m.group(1) != "!", len("".join(out))))
    rest = marked[pos:]
    out.append(rest)
    if stack:
        raise ValueError(f"'[[{stack[-1][0]}|' is never closed")
    plain = "".join(out)
    if "[[" in plain or "]]" in plain:
        raise ValueError("'[[' without 'concept|' after it")
    return plain, items


def _check_items(sid: str, text: str, items: list[Item], listed: frozenset[str],
                 known: frozenset[str], report: TermReport) -> None:
    for concept, in_scope, start, end in items:
        surface = text[start:end]
        if concept not in known:
            report.errors.append(f"{sid}: unknown concept id {concept!r}")
        elif concept not in listed:
            report.errors.append(f"{sid}: concept {concept!r} is not on the concepts: line")
        if not surface.strip() or surface != surface.strip():
            report.errors.append(f"{sid}: empty surface or surrounding spaces: {surface!r}")
        elif (start > 0 and text[start - 1].isalpha()) or (end < len(text)
                                                             and text[end].isalpha()):
            report.errors.append(f"{sid}: {surface!r} is not a whole word")
        (report.in_scope if in_scope else report.traps)[concept] += 1


def _check_block(lines: list[str], listed: frozenset[str], known: frozenset[str],
                 seen: set[str], report: TermReport) -> None:
    head = lines[0].split()
    if len(head) != 3 or not _ID.match(head[1]):
        report.errors.append(f"bad block header {lines[0]!r} (expected '@ id source')")
        return
    sid, source = head[1], head[2]
    if sid in seen:
        report.errors.append(f"{sid}: duplicate id")
    seen.add(sid)
    body = "\n".join(lines[1:]).strip("\n")
    if not body.strip():
        report.errors.append(f"{sid}: no text")
    try:
        text, items = parse_markup(body)
    except ValueError as error:
        report.errors.append(f"{sid}: {error}")
        return
    _check_items(sid, text, items, listed, known, report)
    report.passages += 1
    report.sources[source] += 1
    report.with_in_scope += any(item[1] for item in items)
    report.with_trap += any(not item[1] for item in items)
    report.with_neither += not items


def check_terms(path: Path, known: frozenset[str]) -> TermReport:
    """Check a term test file written in the markup of term_test.txt."""
    report = TermReport()
    raw = path.read_text(encoding="utf8")
    concept_lines = [ln for ln in raw.split("\n") if ln.startswith("concepts:")]
    if len(concept_lines) != 1:
        report.errors.append(f"expected one 'concepts:' line, found {len(concept_lines)}")
        return report
    listed = frozenset(concept_lines[0].split(":", 1)[1].split())
    report.errors += [f"unknown concept id on the concepts: line: {c!r}"
                      for c in sorted(listed - known)]
    seen: set[str] = set()
    for block in raw.split("\n---\n"):
        lines = [ln for ln in block.split("\n") if not ln.startswith("#")]
        lines = [ln for ln in lines if not ln.startswith("concepts:")]
        while lines and not lines[0].strip():
            lines.pop(0)
        if not lines:
            continue
        if not lines[0].startswith("@ "):
            report.errors.append(f"block without '@ id source' line: {lines[0][:60]!r}")
            continue
        _check_block(lines, listed, known, seen, report)
    used = set(report.in_scope) | set(report.traps)
    report.errors += [f"listed concept never annotated: {c!r}" for c in sorted(listed - used)]
    return report


def label_stems(label: str) -> list[str]:
    """Stems of the words of an activity label (5+ letters), to find them in a text."""
    stems = []
    for word in label.lower().split():
        stem = word[:-2] if word.endswith("en") else word
        if len(stem) >= 5:
            stems.append(stem)
    return stems


def _check_record(where: str, record: object, seen: set[str]) -> list[str]:
    if not isinstance(record, dict):
        return [f"{where}: not a JSON object"]
    missing = [f for f in ACTIVITY_FIELDS if not isinstance(record.get(f), str) or not
               record[f].strip()]
    if missing:
        return [f"{where}: missing or empty field(s) {', '.join(missing)}"]
    errors = []
    sid = record["sentence_id"]
    if sid in seen:
        errors.append(f"{where}: duplicate sentence_id {sid!r}")
    seen.add(sid)
    if record["activity"] not in ACTIVITY_IDS:
        errors.append(f"{where}: unknown activity {record['activity']!r}")
        return errors
    label = next(a.label for a in ACTIVITIES if a.id == record["activity"])
    text = record["text"].lower()
    errors += [f"{where}: text holds {stem!r} of its label {label!r}"
               for stem in label_stems(label) if re.search(r"\b" + re.escape(stem), text)]
    return errors


def check_activities(path: Path) -> tuple[list[str], list[dict]]:
    """Errors and records of an activity label file (JSON lines)."""
    errors: list[str] = []
    records: list[dict] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf8").split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            errors.append(f"line {number}: not JSON ({error})")
            continue
        found = _check_record(f"line {number}", record, seen)
        errors += found
        if not found:
            records.append(record)
    return errors, records


def _print_terms(path: Path, report: TermReport) -> None:
    print(f"{path.name}: {report.passages} passages ({dict(report.sources)}); "
          f"{report.with_in_scope} with an in-scope item, {report.with_trap} with a trap, "
          f"{report.with_neither} with neither; {sum(report.in_scope.values())} in-scope "
          f"items, {sum(report.traps.values())} traps")
    for concept in sorted(set(report.in_scope) | set(report.traps)):
        print(f"  {concept:<22}{report.in_scope[concept]:>4} in scope"
              f"{report.traps[concept]:>4} trap")


def _print_activities(path: Path, records: list[dict]) -> None:
    print(f"{path.name}: {len(records)} sentences")
    print("  per activity: " + ", ".join(f"{a} {n}" for a, n in
                                          sorted(Counter(r["activity"] for r in records).items())))
    print("  per group: " + ", ".join(f"{g} {n}" for g, n in
                                       sorted(Counter(r["group"] for r in records).items())))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--terms", type=Path, nargs="*", default=list(TERMS))
    parser.add_argument("--activities", type=Path, nargs="*", default=list(ACTIVITY_FILES))
    args = parser.parse_args(argv)
    known = frozenset(entry.id for entry in load_seed())
    failed = False
    for path in args.terms:
        report = check_terms(path, known)
        _print_terms(path, report)
        failed |= bool(report.errors)
        print("\n".join(f"  ERROR {e}" for e in report.errors) or "  format OK")
    for path in args.activities:
        errors, records = check_activities(path)
        _print_activities(path, records)
        failed |= bool(errors)
        print("\n".join(f"  ERROR {e}" for e in errors) or "  format OK")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
