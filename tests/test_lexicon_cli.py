"""`focuslex lexicon list|show|import|export|edit|release|diff` through the main CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Graph
from rdflib.namespace import RDF, SKOS

from lexicon.io import SEED_LEXICON, load_csv
from pipeline.cli.main import cli
from tests.conftest import FIXTURES

LEX = FIXTURES / "lexicon"


@pytest.fixture
def run(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = str(tmp_path / "lexicon.db")

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(cli, ["--db", db, "lexicon", *args], catch_exceptions=False)
    return invoke


@pytest.fixture
def seeded(run):  # type: ignore[no-untyped-def]
    result = run("import", "--seed", "--by", "beheerder")
    assert result.exit_code == 0, result.output
    assert "49 nieuw, 0 bijgewerkt, 0 ongewijzigd." in result.output
    return run


def test_list_and_filters(seeded) -> None:  # type: ignore[no-untyped-def]
    result = seeded("list")
    assert result.exit_code == 0 and "49 termen." in result.output
    result = seeded("list", "--status", "afgeraden")
    assert "allochtoon" in result.output and "gebruik: migratieachtergrond" in result.output
    assert "1 termen." in result.output
    result = seeded("list", "--search", "intergratie", "--json")
    assert '"id": "integratie"' in result.output
    assert seeded("list", "--search", "zzzz").output.strip() == "Geen termen gevonden."


def test_show_deprecated_term_prominently(seeded) -> None:  # type: ignore[no-untyped-def]
    result = seeded("show", "allochtoon")
    assert result.output.splitlines()[0] == "AFGERADEN — gebruik in de plaats: migratieachtergrond"
    assert "Geschiedenis:" in result.output and "beheerder" in result.output
    assert seeded("show", "allochtoon", "--yaml").output.startswith("id: allochtoon\n")
    missing = seeded("show", "bestaat_niet")
    assert missing.exit_code == 2 and "FX-LEX-009" in missing.stderr


def test_export_yaml_is_identical_to_the_seed(seeded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = seeded("export", "--format", "yaml")
    assert result.output == SEED_LEXICON.read_text(encoding="utf-8")
    out = tmp_path / "uit" / "lexicon.csv"
    result = seeded("export", "--format", "csv", "--out", str(out))
    assert result.exit_code == 0 and "49 termen geschreven" in result.stderr
    assert len(load_csv(out.read_text(encoding="utf-8"))) == 49


@pytest.mark.parametrize("fmt, parser", [("turtle", "turtle"), ("jsonld", "json-ld")])
def test_export_skos(seeded, fmt: str, parser: str) -> None:  # type: ignore[no-untyped-def]
    result = seeded("export", "--format", fmt)
    graph = Graph().parse(data=result.output, format=parser)
    assert len(set(graph.subjects(RDF.type, SKOS.Concept))) == 49
    assert len(list(graph.subject_objects(SKOS.changeNote))) == 49


def test_edit_then_stale_edit_is_refused(seeded) -> None:  # type: ignore[no-untyped-def]
    result = seeded("edit", "integratie", "--by", "An", "--why", "aanvulling", "--version", "1",
                    "--set", "scope_note=Alleen voor het maatschappelijke proces.")
    assert result.exit_code == 0 and "nu versie 2" in result.output
    result = seeded("edit", "integratie", "--by", "Bo", "--why", "korter", "--version", "1",
                    "--set", "definition=Samen een samenleving vormen.")
    assert result.exit_code == 2
    assert "FX-LEX-008" in result.stderr
    assert "jouw versie:       Samen een samenleving vormen." in result.stderr
    assert "opgeslagen versie: Alleen voor het maatschappelijke proces." in result.stderr
    shown = seeded("show", "integratie").output
    assert "Alleen voor het maatschappelijke proces." in shown
    assert "Samen een samenleving vormen." not in shown


def test_edit_lists_status_and_file(seeded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = seeded("edit", "diversiteit", "--by", "An", "--why", "vorm",
                    "--set", "alt_labels=[divers, diverse, diversiteitsbeleid]")
    assert result.exit_code == 0, result.stderr
    result = seeded("edit", "diversiteit", "--by", "An", "--why", "agenda",
                    "--status", "in bespreking")
    assert "status in bespreking" in result.output
    refused = seeded("edit", "diversiteit", "--by", "An", "--why", "x", "--status", "afgeraden")
    assert refused.exit_code == 2 and "FX-LEX-006" in refused.stderr
    yaml_text = seeded("show", "diversiteit", "--yaml").output
    edited = tmp_path / "diversiteit.yaml"
    edited.write_text(yaml_text.replace("sensitivity: neutraal", "sensitivity: contextafhankelijk"),
                      encoding="utf-8")
    result = seeded("edit", "diversiteit", "--by", "An", "--why", "gevoeliger", "--file",
                    str(edited))
    assert result.exit_code == 0, result.stderr
    assert "contextafhankelijk" in seeded("list", "--sensitivity", "contextafhankelijk").output
    again = seeded("edit", "diversiteit", "--by", "Bo", "--why", "x", "--file", str(edited))
    assert again.exit_code == 2 and "FX-LEX-008" in again.stderr  # the file is now stale
    bad = seeded("edit", "diversiteit", "--by", "An", "--why", "x", "--set", "version=9")
    assert bad.exit_code == 2 and "FX-LEX-015" in bad.stderr


def test_create_a_term(seeded) -> None:  # type: ignore[no-untyped-def]
    result = seeded("edit", "wijkfeest", "--create", "--by", "An", "--why", "nieuw",
                    "--set", "pref_label=wijkfeest", "--set", "definition=Een feest in de wijk.")
    assert result.exit_code == 0 and "aangemaakt" in result.output
    assert "voorstel" in seeded("show", "wijkfeest").output


def test_release_and_diff(seeded) -> None:  # type: ignore[no-untyped-def]
    assert "Release 1 gemaakt met 49 termen." in seeded("release", "--by", "An",
                                                        "--note", "eerste").output
    seeded("edit", "inclusie", "--by", "An", "--why", "x", "--set", "scope_note=Korter.")
    assert "Release 2" in seeded("release", "--by", "Bo").output
    listing = seeded("release", "--list").output
    assert "release 1" in listing and "release 2" in listing
    diff = seeded("diff", "1", "2").output
    assert "~ inclusie" in diff and "toepassingsnota:" in diff and "→ Korter." in diff
    assert "geen verschillen" in seeded("diff", "2").output
    exported = seeded("export", "--release", "1").output
    assert "\nrelease: 1\n" in exported
    assert seeded("diff", "9").exit_code == 2
    assert seeded("release").exit_code == 2


@pytest.mark.parametrize("name, code", [
    ("malformed.yaml", "FX-LEX-001"), ("duplicate_ids.yaml", "FX-LEX-003"),
    ("shared_label.yaml", "FX-LEX-004"), ("unknown_status.yaml", "FX-LEX-002"),
    ("missing_column.csv", "FX-LEX-010"),
])
def test_import_bad_files(run, name: str, code: str) -> None:  # type: ignore[no-untyped-def]
    result = run("import", str(LEX / name), "--by", "An")
    assert result.exit_code == 2 and code in result.stderr
    assert run("list").output.strip() == "Geen termen gevonden."


def test_import_needs_exactly_one_source_and_a_name(run) -> None:  # type: ignore[no-untyped-def]
    assert run("import", "--by", "An").exit_code == 2
    assert run("import", "--seed").exit_code == 2
    result = run("import", str(LEX / "small.yaml"), "--by", "An")
    assert result.exit_code == 0 and "3 nieuw" in result.output
