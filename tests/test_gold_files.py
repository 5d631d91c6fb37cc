"""Format of the hand-written held-out gold files (benchmarks/data/check_gold.py).

Only the format is checked here (markup balance, known concept and activity ids, unique ids,
no label words in an activity sentence); nothing in this file runs the matcher or a model
on the held-out text."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

DATA = REPO / "benchmarks" / "data"


@pytest.fixture(scope="module")
def check():
    spec = importlib.util.spec_from_file_location("focuslex_check_gold",
                                                  DATA / "check_gold.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def known(check) -> frozenset[str]:
    return frozenset(entry.id for entry in check.load_seed())


def test_term_test2_is_well_formed_and_large_enough(check, known) -> None:
    report = check.check_terms(DATA / "term_test2.txt", known)
    assert report.errors == []
    assert report.passages >= 70
    assert sum(report.traps.values()) > 0 and sum(report.in_scope.values()) > 0
    assert report.with_neither > 0 or name in ("term_test12.txt", "term_test14.txt",
                                               "term_test18.txt")


def test_activity_test2_is_well_formed_with_eight_per_activity(check) -> None:
    errors, records = check.check_activities(DATA / "activity_test2.jsonl")
    assert errors == []
    per_activity = {a: sum(r["activity"] == a for r in records) for a in check.ACTIVITY_IDS}
    assert min(per_activity.values()) >= 8, per_activity
    assert {r["split"] for r in records} == {"test2"}


def test_activity_test3_has_ten_per_activity_and_no_label_words(check) -> None:
    errors, records = check.check_activities(DATA / "activity_test3.jsonl")
    assert errors == []
    per_activity = {a: sum(r["activity"] == a for r in records) for a in check.ACTIVITY_IDS}
    assert set(per_activity.values()) == {10}, per_activity
    assert {r["split"] for r in records} == {"test3"}
    stems = [stem for a in check.ACTIVITIES for stem in check.label_stems(a.label)]
    assert not [(r["sentence_id"], stem) for r in records for stem in stems
                if stem in r["text"].lower()]


# Minimum size of each later term set: passages, in-scope items, traps, focus-group turns,
# PDF passages; sets from test7 on annotate all 24 concepts in scope (traps only of those).
# Every set has a passage with neither an item nor a trap, except test12, test14 and test18
# (all 100 hold one).
TERM_SETS = [("term_test3.txt", 110, 1, 1, 35, 35, False),
             ("term_test4.txt", 110, 1, 1, 35, 35, False),
             ("term_test5.txt", 80, 1, 1, 25, 25, False),
             ("term_test6.txt", 95, 150, 35, 28, 28, False),
             ("term_test7.txt", 100, 180, 50, 30, 30, True),
             ("term_test8.txt", 95, 165, 55, 28, 27, True),
             ("term_test9.txt", 100, 165, 50, 30, 30, True),
             ("term_test10.txt", 100, 200, 65, 30, 30, True),
             ("term_test11.txt", 100, 225, 70, 30, 30, True),
             ("term_test12.txt", 100, 200, 65, 45, 25, True),
             ("term_test13.txt", 100, 240, 75, 40, 25, True),
             ("term_test14.txt", 100, 190, 65, 35, 25, True),
             ("term_test15.txt", 100, 230, 80, 40, 25, True),
             ("term_test16.txt", 100, 175, 55, 45, 25, True),
             ("term_test17.txt", 100, 175, 65, 40, 25, True),
             ("term_test18.txt", 100, 200, 65, 45, 25, True),
             ("term_test19.txt", 100, 180, 60, 40, 25, True),
             ("term_test20.txt", 100, 140, 50, 45, 25, True),
             ("term_test21.txt", 100, 180, 60, 45, 25, True),
             ("term_test22.txt", 100, 175, 60, 45, 25, True),
             ("term_test23.txt", 100, 185, 60, 45, 25, True),
             ("term_test24.txt", 100, 190, 65, 45, 25, True),
             ("term_test25.txt", 100, 190, 65, 45, 25, True),
             ("term_test26.txt", 100, 185, 65, 45, 25, True),
             ("term_test27.txt", 100, 175, 75, 45, 25, True),
             ("term_test28.txt", 100, 175, 70, 45, 25, True)]


@pytest.mark.parametrize(("name", "passages", "in_scope", "traps", "turns", "pdf", "all24"),
                         TERM_SETS)
def test_term_set_is_well_formed_with_traps_and_all_source_kinds(
        check, known, name: str, passages: int, in_scope: int, traps: int, turns: int,
        pdf: int, all24: bool) -> None:
    report = check.check_terms(DATA / name, known)
    assert report.errors == []
    assert report.passages >= passages
    assert sum(report.in_scope.values()) >= in_scope and sum(report.traps.values()) >= traps
    assert report.with_neither > 0 or name in ("term_test12.txt", "term_test14.txt",
                                               "term_test18.txt")
    assert report.sources["focusgroep"] >= turns and report.sources["pdf"] >= pdf
    if all24:
        assert len(report.in_scope) == 24 and set(report.traps) <= set(report.in_scope)


@pytest.mark.parametrize("name", ["term_test9.txt", "term_test10.txt", "term_test11.txt",
                                  "term_test12.txt", "term_test13.txt", "term_test14.txt",
                                  "term_test15.txt", "term_test16.txt", "term_test17.txt",
                                  "term_test18.txt", "term_test19.txt", "term_test20.txt",
                                  "term_test21.txt", "term_test22.txt", "term_test23.txt",
                                  "term_test24.txt", "term_test25.txt", "term_test26.txt",
                                  "term_test27.txt", "term_test28.txt"])
def test_later_term_sets_have_three_in_scope_items_of_every_concept(check, known,
                                                                    name: str) -> None:
    assert min(check.check_terms(DATA / name, known).in_scope.values()) >= 3


def test_activity_test4_has_ten_per_activity_and_no_label_words(check) -> None:
    errors, records = check.check_activities(DATA / "activity_test4.jsonl")
    assert errors == []
    per_activity = {a: sum(r["activity"] == a for r in records) for a in check.ACTIVITY_IDS}
    assert set(per_activity.values()) == {10}, per_activity
    assert {r["split"] for r in records} == {"test4"}
    assert len({r["group"] for r in records}) == 7
    stems = [stem for a in check.ACTIVITIES for stem in check.label_stems(a.label)]
    assert not [(r["sentence_id"], stem) for r in records for stem in stems
                if stem in r["text"].lower()]


def test_the_main_entry_checks_all_held_out_files(check, capsys) -> None:
    assert check.main([]) == 0
    out = capsys.readouterr().out
    for name in ("term_test2.txt", "term_test3.txt", "term_test4.txt", "term_test5.txt",
                 "term_test6.txt", "term_test7.txt", "term_test8.txt", "term_test9.txt",
                 "term_test10.txt", "term_test11.txt", "term_test12.txt", "term_test13.txt",
                 "term_test14.txt", "term_test15.txt", "term_test16.txt", "term_test17.txt",
                 "term_test18.txt", "term_test19.txt", "term_test20.txt", "term_test21.txt",
                 "term_test22.txt", "term_test23.txt", "term_test24.txt", "term_test25.txt",
                 "term_test26.txt", "term_test27.txt", "term_test28.txt",
                 "activity_test2.jsonl", "activity_test3.jsonl", "activity_test4.jsonl"):
        assert name in out


HEAD = "concepts: integratie racisme onbewust_racisme\n---\n"


@pytest.mark.parametrize(("body", "expected"), [
    ("@ a001 x\nEen [[integratie|integratie beleid.", "never closed"),
    ("@ a001 x\nEen integratie]] beleid.", "without '[['"),
    ("@ a001 x\nHet [[integratiex|integratie]].", "unknown concept"),
    ("@ a001 x\nHet [[discriminatie|discriminatie]].", "not on the concepts: line"),
    ("@ a001 x\nHet [[integratie|integratie]].\n---\n@ a001 y\nDe [[racisme|racisme]]."
     "\n---\n@ a002 z\n[[onbewust_racisme|onbewust racisme]]", "duplicate id"),
    ("@ a001 x\nHet [[integratie|integratie]]beleid [[racisme|racisme]] "
     "[[onbewust_racisme|onbewust racisme]].", "not a whole word"),
    ("@ a001 x\nHet [[integratie|integratie]].", "never annotated"),
    ("Tekst zonder kop.", "without '@ id source'"),
])
def test_term_format_errors_are_found(check, known, tmp_path: Path, body: str,
                                      expected: str) -> None:
    path = tmp_path / "terms.txt"
    path.write_text(HEAD + body + "\n", encoding="utf8")
    errors = check.check_terms(path, known).errors
    assert any(expected in e for e in errors), errors


def test_nested_markup_gives_both_items(check) -> None:
    text, items = check.parse_markup(
        "De [[onbewust_racisme|(onbewust) [[racisme|racisme]]]] en [[!integratie|integraal]].")
    assert text == "De (onbewust) racisme en integraal."
    assert [(c, s, text[a:b]) for c, s, a, b in items] == [
        ("racisme", True, "racisme"), ("onbewust_racisme", True, "(onbewust) racisme"),
        ("integratie", False, "integraal")]


@pytest.mark.parametrize(("record", "expected"), [
    ({"sentence_id": "x1", "group": "media", "activity": "geluk", "split": "t",
      "text": "Een zin."}, "unknown activity"),
    ({"sentence_id": "x1", "group": "media", "activity": "vertrouwen", "split": "t",
      "text": "Bewoners vertrouwen de wijkagent."}, "of its label"),
    ({"sentence_id": "x1", "activity": "vertrouwen", "split": "t", "text": "Een zin."},
     "missing"),
])
def test_activity_format_errors_are_found(check, tmp_path: Path, record: dict,
                                          expected: str) -> None:
    path = tmp_path / "labels.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf8")
    errors, _ = check.check_activities(path)
    assert any(expected in e for e in errors), errors


def test_duplicate_activity_ids_are_found(check, tmp_path: Path) -> None:
    record = {"sentence_id": "x1", "group": "media", "activity": "herverdelen",
              "split": "t", "text": "Meer sociale woningen."}
    path = tmp_path / "labels.jsonl"
    path.write_text((json.dumps(record) + "\n") * 2 + "{kapot\n", encoding="utf8")
    errors, records = check.check_activities(path)
    assert len(records) == 1
    assert any("duplicate" in e for e in errors) and any("not JSON" in e for e in errors)
