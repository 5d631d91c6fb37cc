"""Term detection against the demo corpus answer key (written by hand with the text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_real_data import _benchmark, term_quality


@pytest.mark.slow
def test_term_detection_meets_its_targets_on_the_demo_key(tmp_path: Path) -> None:
    precision, recall, counts = term_quality("load_demo", tmp_path)
    assert recall >= 0.95, counts
    assert precision >= 0.92, counts


def test_the_old_test_parts_are_dev_sets_and_the_new_one_is_optional(tmp_path: Path) -> None:
    bench = _benchmark("term_quality")
    assert "dev" in bench.PARTS["old-test"] and "dev" in bench.PARTS["old-test2"]
    assert "dev" in bench.PARTS["old-test3"] and bench.OLD_TEST3.name == "term_test3.txt"
    assert "dev" in bench.PARTS["old-test4"] and bench.OLD_TEST4.name == "term_test4.txt"
    assert "dev" in bench.PARTS["old-test5"] and bench.OLD_TEST5.name == "term_test5.txt"
    assert "dev" in bench.PARTS["old-test6"] and bench.OLD_TEST6.name == "term_test6.txt"
    assert "dev" in bench.PARTS["old-test7"] and bench.OLD_TEST7.name == "term_test7.txt"
    assert "dev" in bench.PARTS["old-test8"] and bench.OLD_TEST8.name == "term_test8.txt"
    assert "dev" in bench.PARTS["old-test9"] and bench.OLD_TEST9.name == "term_test9.txt"
    assert "dev" in bench.PARTS["old-test10"] and bench.OLD_TEST10.name == "term_test10.txt"
    assert "dev" in bench.PARTS["old-test11"] and bench.OLD_TEST11.name == "term_test11.txt"
    assert "dev" in bench.PARTS["old-test12"] and bench.OLD_TEST12.name == "term_test12.txt"
    assert "dev" in bench.PARTS["old-test13"] and bench.OLD_TEST13.name == "term_test13.txt"
    assert "dev" in bench.PARTS["old-test14"] and bench.OLD_TEST14.name == "term_test14.txt"
    assert "dev" in bench.PARTS["old-test15"] and bench.OLD_TEST15.name == "term_test15.txt"
    assert "dev" in bench.PARTS["old-test16"] and bench.OLD_TEST16.name == "term_test16.txt"
    assert "dev" in bench.PARTS["old-test17"] and bench.OLD_TEST17.name == "term_test17.txt"
    assert "dev" in bench.PARTS["old-test18"] and bench.OLD_TEST18.name == "term_test18.txt"
    assert "dev" in bench.PARTS["old-test19"] and bench.OLD_TEST19.name == "term_test19.txt"
    assert "dev" in bench.PARTS["old-test20"] and bench.OLD_TEST20.name == "term_test20.txt"
    assert "dev" in bench.PARTS["old-test21"] and bench.OLD_TEST21.name == "term_test21.txt"
    assert "dev" in bench.PARTS["old-test22"] and bench.OLD_TEST22.name == "term_test22.txt"
    assert "dev" in bench.PARTS["old-test23"] and bench.OLD_TEST23.name == "term_test23.txt"
    assert "dev" in bench.PARTS["old-test24"] and bench.OLD_TEST24.name == "term_test24.txt"
    assert "TEST" in bench.PARTS["test"] and "TEST" in bench.PARTS["test-b"]
    assert "TEST" in bench.PARTS["test-c"] and bench.TEST_C.name == "term_test27.txt"
    assert "TEST" in bench.PARTS["test-d"] and bench.TEST_D.name == "term_test28.txt"
    assert bench.TEST_B.name == "term_test26.txt"
    assert bench.OLD_TEST2.name == "term_test2.txt" and bench.TEST.name == "term_test25.txt"
    assert bench.load_marked(tmp_path / "ontbreekt.txt", "test") is None
    sample = tmp_path / "gold.txt"
    sample.write_text("# kop\nconcepts: integratie\n---\n@ x1 beleid\nDe [[integratie|integratie]]"
                      " van [[!integratie|software]] loopt.\n", encoding="utf8")
    gold = bench.load_marked(sample, "test")
    assert gold.name == "test" and gold.concepts == frozenset({"integratie"})
    assert gold.texts["x1"] == "De integratie van software loopt."
    assert [(i.surface, i.in_scope) for i in gold.items["x1"]] == [("integratie", True),
                                                                   ("software", False)]
    glued = tmp_path / "zonder_scheiding.txt"   # the first passage right after the header
    glued.write_text("# kop\nconcepts: integratie\n@ x1 beleid\nDe [[integratie|integratie]]."
                     "\n---\n@ x2 beleid\nGeen term.\n", encoding="utf8")
    assert list(bench.load_marked(glued, "test").texts) == ["x1", "x2"]
