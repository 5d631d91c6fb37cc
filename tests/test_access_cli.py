"""`focuslex users ...` and the role check of every command-line change (`--as`,
`[access] cli_user`, set-up mode)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pipeline.access.users import Users
from pipeline.cli.main import cli
from pipeline.core.settings import load_settings
from pipeline.store.database import Store
from tests.conftest import INGEST

PASSWORD = "lange zin als wachtwoord"


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text('[paths]\ndata_dir = "data"\n', encoding="utf-8")
    return path


@pytest.fixture
def password_file(tmp_path: Path) -> Path:
    path = tmp_path / "wachtwoord.txt"
    path.write_text(PASSWORD + "\n", encoding="utf-8")
    return path


def run(settings_file: Path, *args: str, user: str | None = None, stdin: str = "") -> Result:
    who = ["--as", user] if user else []
    return CliRunner().invoke(cli, ["--settings", str(settings_file), *who, *args], input=stdin)


def users_of(settings_file: Path) -> Users:
    settings = load_settings(settings_file)
    return Users(Store(settings.database_url), settings.access)


def test_init_makes_a_one_time_admin_once(settings_file: Path) -> None:
    result = run(settings_file, "users", "init")
    assert result.exit_code == 0, result.output
    password = re.search(r"Eenmalig wachtwoord voor 'beheerder': (\S+)", result.output).group(1)
    actor = users_of(settings_file).authenticate("beheerder", password)
    assert actor.must_change_password  # the printed password must be replaced at login
    again = run(settings_file, "users", "init")
    assert again.exit_code == 0 and "niets veranderd" in again.output
    assert password not in again.output


def test_users_add_list_role_passwd_remove(settings_file: Path, password_file: Path) -> None:
    assert run(settings_file, "users", "add", "beheerder", "--role", "admin",
               "--password-file", str(password_file)).exit_code == 0  # set-up mode
    add = run(settings_file, "users", "add", "an", "--role", "committee", user="beheerder")
    assert add.exit_code == 0 and "Eenmalig wachtwoord voor 'an'" in add.output
    listing = run(settings_file, "users", "list").output  # reading needs no user
    assert re.search(r"an\s+committee.*moet wachtwoord wijzigen", listing)
    assert run(settings_file, "users", "role", "an", "facilitator",
               user="beheerder").exit_code == 0
    # an changes her own password (asked twice, hidden); no admin needed
    own = run(settings_file, "users", "passwd", "an", user="an",
              stdin="mijn eigen wachtwoord\nmijn eigen wachtwoord\n")
    assert own.exit_code == 0, own.output
    assert users_of(settings_file).authenticate("an", "mijn eigen wachtwoord").role.value == \
        "facilitator"
    typo = run(settings_file, "users", "passwd", "an", user="an", stdin="een wachtwoord\nanders\n")
    assert typo.exit_code == 2 and "FX-ACC-012" in typo.stderr
    # but not someone else's, nor add users
    for args in (("users", "passwd", "beheerder", "--one-time"),
                 ("users", "add", "bo", "--role", "admin"), ("users", "remove", "beheerder")):
        refused = run(settings_file, *args, user="an")
        assert refused.exit_code == 2 and "FX-ACC-006" in refused.stderr, args
    last = run(settings_file, "users", "remove", "beheerder", user="beheerder")
    assert last.exit_code == 2 and "FX-ACC-009" in last.stderr
    assert run(settings_file, "users", "remove", "an", user="beheerder").exit_code == 0
    assert [u.name for u in users_of(settings_file).list()] == ["beheerder"]


def test_every_change_checks_the_role(settings_file: Path, tmp_path: Path,
                                      password_file: Path) -> None:
    transcript = str(INGEST / "gesprek.txt")
    sheet = ["--participants", str(INGEST / "participants.csv")]
    run(settings_file, "users", "add", "beheerder", "--role", "admin",
        "--password-file", str(password_file))
    for name, role in (("lezer", "viewer"), ("comite", "committee"), ("begeleider",
                                                                       "facilitator")):
        run(settings_file, "users", "add", name, "--role", role, user="beheerder")
    nobody = run(settings_file, "ingest", transcript, *sheet)
    assert nobody.exit_code == 2 and "FX-ACC-007" in nobody.stderr
    viewer = run(settings_file, "ingest", transcript, *sheet, user="lezer")
    assert viewer.exit_code == 2 and "FX-ACC-006" in viewer.stderr
    assert "bestanden opladen" in viewer.stderr
    assert '"documents": 0' in run(settings_file, "status", "--json").output  # nothing stored
    assert run(settings_file, "ingest", transcript, *sheet, user="begeleider").exit_code == 0
    refused = {
        ("analyse",): "comite",
        ("lexicon", "import", "--seed"): "begeleider",
        ("lexicon", "release"): "lezer",
        ("backup", "--out", str(tmp_path / "b.zip")): "comite",
        ("restore", str(tmp_path / "b.zip")): "begeleider",
    }
    for args, name in refused.items():
        result = run(settings_file, *args, user=name)
        assert result.exit_code == 2 and "FX-ACC-006" in result.stderr, (args, result.output)
    assert not (tmp_path / "b.zip").exists()
    assert run(settings_file, "lexicon", "import", "--seed", user="comite").exit_code == 0
    shown = run(settings_file, "lexicon", "show", "racisme").output
    assert "door comite (import)" in shown
    assert run(settings_file, "users", "remove", "comite", user="beheerder").exit_code == 0
    assert "door comite (import)" in run(settings_file, "lexicon", "show", "racisme").output


def test_cli_user_from_the_settings(tmp_path: Path, password_file: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[paths]\ndata_dir = "data"\n[access]\ncli_user = "comite"\n',
                    encoding="utf-8")
    run(path, "users", "add", "beheerder", "--role", "admin", "--password-file",
        str(password_file))
    run(path, "users", "add", "comite", "--role", "committee", user="beheerder")
    assert run(path, "lexicon", "import", "--seed").exit_code == 0
    assert "door comite" in run(path, "lexicon", "show", "racisme").output
    # --as wins over the settings
    refused = run(path, "users", "add", "x1", "--role", "viewer")
    assert refused.exit_code == 2 and "'comite' (committee)" in refused.stderr
    assert run(path, "users", "add", "x1", "--role", "viewer", user="beheerder").exit_code == 0


def test_topics_activities_and_report_run_as_a_user_with_the_role(settings_file: Path,
                                                                  password_file: Path,
                                                                  tmp_path: Path) -> None:
    """`topics fit` and `activities suggest` need the role that may analyse; `report` runs
    as a user too (any role may read reports); the check comes before any work."""
    users = users_of(settings_file)
    users.add("beheerder", "admin", PASSWORD)
    users.add("lezer", "viewer", PASSWORD)
    for args in (("topics", "fit"), ("activities", "suggest")):
        nobody = run(settings_file, *args)
        assert nobody.exit_code == 2 and "FX-ACC-007" in nobody.stderr, args
        viewer = run(settings_file, *args, user="lezer")
        assert viewer.exit_code == 2 and "FX-ACC-006" in viewer.stderr, args
        assert "'lezer' (viewer) mag dit niet: de analyse starten" in viewer.stderr
        # allowed: the role check passes and the library says there is nothing yet
        admin = run(settings_file, *args, user="beheerder")
        assert admin.exit_code == 2 and "FX-ACC" not in admin.stderr, (args, admin.stderr)
    out = tmp_path / "rapport.html"
    nobody = run(settings_file, "report", "--format", "html", "--out", str(out))
    assert nobody.exit_code == 2 and "FX-ACC-007" in nobody.stderr
    viewer = run(settings_file, "report", "--format", "html", "--out", str(out), user="lezer")
    assert viewer.exit_code == 2 and "FX-REP-001" in viewer.stderr  # allowed; nothing stored
    assert "--by" not in run(settings_file, "report", "--help").output
