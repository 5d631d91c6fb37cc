"""Lexicon files: YAML (lossless, canonical), CSV (spreadsheets) and bad input."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from lexicon.io import (COLUMNS, SEED_LEXICON, dump_csv, dump_yaml, load_csv, load_seed,
                        load_yaml, read_lexicon_file)
from lexicon.model import Entry, entry_from_dict, entry_to_dict
from pipeline.core.errors import FocuslexError
from pipeline.core.settings import CsvSettings
from tests.conftest import FIXTURES

LEX = FIXTURES / "lexicon"


def error_of(call, *args) -> FocuslexError:  # type: ignore[no-untyped-def]
    with pytest.raises(FocuslexError) as caught:
        call(*args)
    return caught.value


# -- YAML -------------------------------------------------------------------------------------

def test_seed_yaml_round_trip_is_byte_identical() -> None:
    text = SEED_LEXICON.read_text(encoding="utf-8")
    entries = load_yaml(text)
    assert dump_yaml(entries) == text
    assert load_yaml(dump_yaml(entries)) == entries


def test_fixture_round_trip_keeps_every_field() -> None:
    entries = read_lexicon_file(LEX / "small.yaml")
    assert load_yaml(dump_yaml(entries)) == entries
    buurt = entries[0]
    assert buurt.decision is not None and buurt.decision.dissent[0].by == "lid 4"
    assert buurt.alternatives[0].audience == "welzijnssector"
    assert buurt.version == 3 and buurt.pref_label["en"] == "neighbourhood work"


def test_release_number_is_written_and_accepted() -> None:
    entries = read_lexicon_file(LEX / "small.yaml")
    text = dump_yaml(entries, release=4)
    assert "\nrelease: 4\n" in text
    assert load_yaml(text) == entries


def test_single_term_mapping_and_bare_list_are_accepted() -> None:
    assert load_yaml("id: x\npref_label: {nl-BE: x}\ndefinition: d\n")[0].id == "x"
    assert load_yaml("- id: x\n  pref_label: x\n  definition: d\n")[0].label == "x"


def test_multiline_text_uses_literal_blocks() -> None:
    entry = entry_from_dict({"id": "x", "pref_label": "x", "definition": "regel 1\nregel 2"})
    text = dump_yaml([entry])
    assert "definition: |-\n" in text
    assert load_yaml(text) == [entry]


def test_malformed_yaml_names_the_line() -> None:
    error = error_of(read_lexicon_file, LEX / "malformed.yaml")
    assert error.code == "FX-LEX-001"
    assert "malformed.yaml" in error.message and "regel 6" in error.message


@pytest.mark.parametrize("text, expected", [
    ("terms:\n  - id: x\n    id: y\n", "dubbele sleutel 'id'"),
    ("a: &anker [1]\nb: *anker\n", "aliassen"),
])
def test_duplicate_keys_and_aliases_are_refused(text: str, expected: str) -> None:
    error = error_of(load_yaml, text, "t.yaml")
    assert error.code == "FX-LEX-001" and expected in error.message


@pytest.mark.parametrize("text", ["42\n", "terms: 5\n", "format: iets-anders\nterms: []\n",
                                  "terms: []\nextra: 1\n"])
def test_wrong_shape(text: str) -> None:
    assert error_of(load_yaml, text, "t.yaml").code == "FX-LEX-017"


def test_duplicate_ids_in_a_file() -> None:
    error = error_of(read_lexicon_file, LEX / "duplicate_ids.yaml")
    assert error.code == "FX-LEX-003" and "buurtwerking" in error.message


def test_label_shared_by_two_terms_in_a_file() -> None:
    error = error_of(read_lexicon_file, LEX / "shared_label.yaml")
    assert error.code == "FX-LEX-004"
    assert "wijkwerking" in error.message and "shared_labels" in error.message


def test_unknown_status_in_a_file() -> None:
    error = error_of(read_lexicon_file, LEX / "unknown_status.yaml")
    assert error.code == "FX-LEX-002" and "goedgekeurd" in error.message


def test_html_in_a_definition_is_kept_as_plain_data() -> None:
    entry = read_lexicon_file(LEX / "html_definition.yaml")[0]
    assert entry.definition.startswith("<script>alert('x')</script>")
    assert load_yaml(dump_yaml([entry])) == [entry]
    assert load_csv(dump_csv([entry])) == [entry]


def test_unknown_and_missing_files(tmp_path: Path) -> None:
    assert error_of(read_lexicon_file, tmp_path / "nergens.yaml").code == "FX-LEX-020"
    other = tmp_path / "lexicon.docx"
    other.write_text("x", encoding="utf-8")
    error = error_of(read_lexicon_file, other)
    assert error.code == "FX-LEX-020" and ".docx" in error.message
    binary = tmp_path / "kapot.yaml"
    binary.write_bytes(b"\xff\xfe\x00kapot")
    assert error_of(read_lexicon_file, binary).code == "FX-LEX-020"


# -- CSV --------------------------------------------------------------------------------------

def rows(text: str) -> list[dict[str, str]]:
    """A CSV export read back as Belgian Excel reads it: cells separated by ";"."""
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_csv_has_one_row_per_term_and_round_trips() -> None:
    seed = load_seed()
    text = dump_csv(seed)
    table = rows(text)
    assert len(table) == len(seed) and list(table[0]) == list(COLUMNS)
    integratie = next(r for r in table if r["id"] == "integratie")
    assert "geïntegreerd" in integratie["alt_labels"].splitlines()
    assert integratie["other_pref_labels"] == "en: integration"
    assert load_csv(text) == seed


def test_csv_structured_cells_round_trip() -> None:
    entries = read_lexicon_file(LEX / "small.yaml")
    table = rows(dump_csv(entries))
    assert table[0]["decision_dissent"].startswith("lid 4 | Liever")
    assert table[0]["alternatives"] == ("samenlevingsopbouw | welzijnssector | "
                                        "de sector die dit werk professioneel doet")
    assert load_csv(dump_csv(entries)) == entries


def test_csv_guards_against_spreadsheet_formulas() -> None:
    entry = entry_from_dict({"id": "x", "pref_label": "x",
                             "definition": "=HYPERLINK(\"http://x\")", "scope_note": "+1"})
    text = dump_csv([entry])
    table = rows(text)
    assert table[0]["definition"].startswith("'=") and table[0]["scope_note"] == "'+1"
    assert load_csv(text) == [entry]


def test_csv_with_commas_tabs_and_bom_from_other_tools() -> None:
    entries = read_lexicon_file(LEX / "small.yaml")
    for separator in (",", "\t"):
        text = dump_csv(entries, CsvSettings(separator=separator))
        assert text.startswith(f"id{separator}pref_label{separator}")
        assert load_csv("\ufeff" + text) == entries
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS))  # a comma-separated file
    writer.writeheader()
    for row in rows(dump_csv(entries)):
        writer.writerow(row)
    assert load_csv("\ufeff" + buffer.getvalue()) == entries


def test_csv_missing_column() -> None:
    error = error_of(read_lexicon_file, LEX / "missing_column.csv")
    assert error.code == "FX-LEX-010" and "definition" in error.message


def test_csv_bad_cells_name_the_row() -> None:
    entries = read_lexicon_file(LEX / "small.yaml")
    text = dump_csv(entries).replace(";3\n", ";drie\n", 1)
    error = error_of(load_csv, text, "lijst.csv")
    assert error.code == "FX-LEX-011" and "rij 2" in error.message and "drie" in error.message
    table = rows(dump_csv(entries))
    table[1]["status"] = "goedgekeurd"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS))
    writer.writeheader()
    writer.writerows(table)
    error = error_of(load_csv, buffer.getvalue(), "lijst.csv")
    assert error.code == "FX-LEX-002" and "rij 3" in error.message


def test_csv_row_with_too_many_cells() -> None:
    header = ",".join(COLUMNS)
    error = error_of(load_csv, header + "\n" + ",".join(["x"] * (len(COLUMNS) + 2)) + "\n")
    assert error.code == "FX-LEX-011" and "meer cellen" in error.message


def test_csv_empty_rows_are_skipped() -> None:
    entries = read_lexicon_file(LEX / "small.yaml")
    text = dump_csv(entries) + ";" * (len(COLUMNS) - 1) + "\n"
    assert load_csv(text) == entries


def test_plain_form_of_every_seed_entry_is_stable() -> None:
    for entry in load_seed():
        assert entry_from_dict(entry_to_dict(entry)) == entry
        assert isinstance(entry, Entry)
