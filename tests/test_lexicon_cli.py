"""`focuslex lexicon list|show|import|export|edit|release|diff` through the main CLI."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Graph
from rdflib.namespace import RDF, SKOS

from lexicon.io import SEED_LEXICON, load_csv
from pipeline.cli.main import cli
from pipeline.access.users import Users
from pipeline.core.settings import AccessSettings
from pipeline.store.database import Store
from tests.conftest import FIXTURES, TEST_PASSWORD

LEX = FIXTURES / "lexicon"


@pytest.fixture
def run(tmp_path: Path):  # type: ignore[no-untyped-def]
    """`focuslex --db DB --as USER lexicon ...`; users beheerder (admin), an and bo
    (committee) exist, so every change needs a user with the right role."""
    db = str(tmp_path / "lexicon.db")
    users = Users(Store(f"sqlite:///{db}"), AccessSettings())
    users.add("beheerder", "admin", TEST_PASSWORD)
    for name in ("an", "bo"):
        users.add(name, "committee", TEST_PASSWORD)
    users.add("lezer", "viewer", TEST_PASSWORD)

    def invoke(*args: str, user: str | None = "beheerder") -> Result:
        who = ["--as", user] if user else []
        return CliRunner().invoke(cli, ["--db", db, *who, "lexicon", *args],
                                  catch_exceptions=False)
    return invoke


@pytest.fixture
def seeded(run):  # type: ignore[no-untyped-def]
    result = run("import", "--seed")
    assert result.exit_code == 0, result.output
    assert "49 nieuw, 0 bijgewerkt, 0 ongewijzigd." in result.output
    return run


def test_list_and_filters(seeded) -> None:  # type: ignore[no-untyped-def]
    result = seeded("list")
    assert result.exit_code == 0 and "49 termen." in result.output
    result = seeded("list", "--status", "afgeraden")
    assert "allochtoon" in result.output and "gebruik: migratieachtergrond" in result.output
    assert "1 term." in result.output and "1 termen" not in result.output
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
    # for Belgian Excel: a byte-order mark and ";" between cells
    assert out.read_bytes().startswith("\ufeffid;pref_label;".encode("utf-8"))
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert len(rows) == 49 and {r["id"] for r in rows} >= {"integratie", "racisme"}


@pytest.mark.parametrize("fmt, parser", [("turtle", "turtle"), ("jsonld", "json-ld")])
def test_export_skos(seeded, fmt: str, parser: str) -> None:  # type: ignore[no-untyped-def]
    result = seeded("export", "--format", fmt)
    graph = Graph().parse(data=result.output, format=parser)
    assert len(set(graph.subjects(RDF.type, SKOS.Concept))) == 49
    assert len(list(graph.subject_objects(SKOS.changeNote))) == 49


def test_edit_then_stale_edit_is_refused(seeded) -> None:  # type: ignore[no-untyped-def]
    result = seeded("edit", "integratie", "--why", "aanvulling", "--version", "1",
                    "--set", "scope_note=Alleen voor het maatschappelijke proces.", user="an")
    assert result.exit_code == 0 and "nu versie 2" in result.output
    result = seeded("edit", "integratie", "--why", "korter", "--version", "1",
                    "--set", "definition=Samen een samenleving vormen.", user="bo")
    assert result.exit_code == 2
    assert "FX-LEX-008" in result.stderr
    assert "jouw versie:       Samen een samenleving vormen." in result.stderr
    assert "opgeslagen versie: Alleen voor het maatschappelijke proces." in result.stderr
    shown = seeded("show", "integratie").output
    assert "Alleen voor het maatschappelijke proces." in shown
    assert "Samen een samenleving vormen." not in shown


def test_edit_lists_status_and_file(seeded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = seeded("edit", "diversiteit", "--why", "vorm",
                    "--set", "alt_labels=[divers, diverse, diversiteitsbeleid]", user="an")
    assert result.exit_code == 0, result.stderr
    result = seeded("edit", "diversiteit", "--why", "agenda",
                    "--status", "in bespreking", user="an")
    assert "status in bespreking" in result.output
    refused = seeded("edit", "diversiteit", "--why", "x", "--status", "afgeraden", user="an")
    assert refused.exit_code == 2 and "FX-LEX-006" in refused.stderr
    yaml_text = seeded("show", "diversiteit", "--yaml").output
    edited = tmp_path / "diversiteit.yaml"
    edited.write_text(yaml_text.replace("sensitivity: neutraal", "sensitivity: contextafhankelijk"),
                      encoding="utf-8")
    result = seeded("edit", "diversiteit", "--why", "gevoeliger", "--file",
                    str(edited), user="an")
    assert result.exit_code == 0, result.stderr
    assert "contextafhankelijk" in seeded("list", "--sensitivity", "contextafhankelijk").output
    again = seeded("edit", "diversiteit", "--why", "x", "--file", str(edited), user="bo")
    assert again.exit_code == 2 and "FX-LEX-008" in again.stderr  # the file is now stale
    bad = seeded("edit", "diversiteit", "--why", "x", "--set", "version=9", user="an")
    assert bad.exit_code == 2 and "FX-LEX-015" in bad.stderr


def test_create_a_term(seeded) -> None:  # type: ignore[no-untyped-def]
    result = seeded("edit", "wijkfeest", "--create", "--why", "nieuw", "--set",
                    "pref_label=wijkfeest", "--set", "definition=Een feest in de wijk.", user="an")
    assert result.exit_code == 0 and "aangemaakt" in result.output
    assert "voorstel" in seeded("show", "wijkfeest").output


def test_release_and_diff(seeded) -> None:  # type: ignore[no-untyped-def]
    assert "Release 1 gemaakt met 49 termen." in seeded("release", "--note", "eerste",
                                                        user="an").output
    seeded("edit", "inclusie", "--why", "x", "--set", "scope_note=Korter.", user="an")
    assert "Release 2" in seeded("release", user="bo").output
    listing = seeded("release", "--list").output
    assert "release 1" in listing and "release 2" in listing
    diff = seeded("diff", "1", "2").output
    assert "~ inclusie" in diff and "toepassingsnota:" in diff and "→ Korter." in diff
    assert "geen verschillen" in seeded("diff", "2").output
    exported = seeded("export", "--release", "1").output
    assert "\nrelease: 1\n" in exported
    assert seeded("diff", "9").exit_code == 2
    assert "FX-ACC-006" in seeded("release", user="lezer").stderr  # a viewer may not
    assert "FX-ACC-007" in seeded("release", user=None).stderr  # nobody named
    # release N  dd/mm/jjjj uu:mm  AUTHOR  ...
    authors = [line.split()[4] for line in seeded("release", "--list").output.splitlines()]
    assert authors == ["an", "bo"]  # the users the CLI ran as


@pytest.mark.parametrize("name, code", [
    ("malformed.yaml", "FX-LEX-001"), ("duplicate_ids.yaml", "FX-LEX-003"),
    ("shared_label.yaml", "FX-LEX-004"), ("unknown_status.yaml", "FX-LEX-002"),
    ("missing_column.csv", "FX-LEX-010"),
])
def test_import_bad_files(run, name: str, code: str) -> None:  # type: ignore[no-untyped-def]
    result = run("import", str(LEX / name), user="an")
    assert result.exit_code == 2 and code in result.stderr
    assert run("list").output.strip() == "Geen termen gevonden."


def test_import_needs_exactly_one_source_and_a_user(run) -> None:  # type: ignore[no-untyped-def]
    assert run("import").exit_code == 2
    assert "FX-ACC-007" in run("import", "--seed", user=None).stderr
    assert "FX-ACC-003" in run("import", "--seed", user="niemand").stderr
    result = run("import", str(LEX / "small.yaml"), user="an")
    assert result.exit_code == 0 and "3 nieuw" in result.output
    assert "door an (import)" in run("show", "buurtwerking", user=None).output
