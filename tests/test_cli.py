"""The command line contract: ingest, status, help, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli.main import cli
from tests.conftest import INGEST


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text('[paths]\ndata_dir = "data"\n', encoding="utf-8")
    return path


def run(settings_file: Path, *args: str) -> object:
    return CliRunner().invoke(cli, ["--settings", str(settings_file), *args])


def test_ingest_and_status(settings_file: Path, tmp_path: Path) -> None:
    result = run(settings_file, "ingest", str(INGEST / "gesprek.txt"), str(INGEST / "gesprek.vtt"),
                 "--participants", str(INGEST / "participants.csv"), "--round", "2")
    assert result.exit_code == 0, result.output
    assert "opgeslagen: gesprek.txt (6 beurten" in result.output
    status = run(settings_file, "status", "--json")
    info = json.loads(status.output)
    assert info["documents"] == 2
    assert info["speakers"] == 5
    assert set(info["words_by_round"]) == {"2"}
    assert info["words_by_group"]["lokaal bestuur"] > 0
    # one key per database: data/private/<database id>/pseudonym_key.json (issue #11)
    assert len(list((tmp_path / "data" / "private").glob("*/pseudonym_key.json"))) == 1
    text = run(settings_file, "status")
    assert "Woorden per stakeholdergroep:" in text.output and "vakbond" in text.output
    # the facilitator group is listed apart, not as a stakeholder group (issue 14)
    assert "facilitator" not in text.output and "(begeleiding)" in text.output
    assert "4 deelnemers en 1 begeleider aan het woord" in text.output


def test_ingest_errors_exit_2_and_name_the_file(settings_file: Path) -> None:
    result = run(settings_file, "ingest", str(INGEST / "zonder_sprekers.txt"))
    assert result.exit_code == 2
    assert "zonder_sprekers.txt" in result.output and "FX-IN-007" in result.output
    ok = run(settings_file, "ingest", str(INGEST / "zonder_sprekers.txt"), "--kind", "statement",
             "--group", "middenveld")
    assert ok.exit_code == 0, ok.output


def test_missing_path_and_bad_sheet(settings_file: Path) -> None:
    result = run(settings_file, "ingest", "bestaat/niet.txt")
    assert result.exit_code == 2 and "FX-IN-012" in result.output
    result = run(settings_file, "ingest", str(INGEST / "gesprek.txt"), "--participants",
                 str(INGEST / "participants_missing_column.csv"))
    assert result.exit_code == 2 and "FX-IN-013" in result.output


def test_db_option_takes_a_path(settings_file: Path, tmp_path: Path) -> None:
    db = tmp_path / "andere.db"
    result = run(settings_file, "--db", str(db), "ingest", str(INGEST / "gesprek.md"))
    assert result.exit_code == 0, result.output
    assert db.exists()


@pytest.mark.parametrize("command", [[], ["ingest"], ["status"]])
def test_help_for_each_command(command: list[str]) -> None:
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert "Gebruik:" in result.output and "Usage:" not in result.output
