"""Every `focuslex` command ends a user error in a coded Dutch message with exit code 2.

The Click command tree is walked: each command is run with an unknown option, with a word
where a number is expected, and every file parameter with a missing file, a folder where a
file is expected and files that are not what they claim (not UTF-8, broken zip, wrong
format). Tests run as root, so permissions cannot make a file unreadable: a folder and
broken bytes stand in for that."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from pipeline.cli.dutch import walk_commands
from pipeline.cli.main import cli

# Broken inputs by file kind: the suffix says what it claims to be.
BROKEN = {
    "niet-utf8.csv": b"spreker;groep\n\xff\xfe\x81\x8d\x00\x00garbage\x9d\n",
    "kapot.xlsx": b"PK\x03\x04 dit is geen werkmap",
    "kapot.yaml": b"terms:\n  - id: [onaf\n  label: \xff\xfe",
    "kapot.toml": b"[paths\ndata_dir = \xff",
    "kapot.txt": b"\x00\xff\x00\xfe" * 50,
    "kapot.docx": b"PK\x03\x04 geen docx",
    "kapot.ttl": b"@prefix : <bla . \xff",
}
OUTPUT_PARAMS = {"out"}


def commands() -> Iterator[tuple[list[str], click.Command]]:
    """Every command, the lazy ones imported (Click's `list_commands`/`get_command`)."""
    def walk(path: list[str], command: click.Command) -> Iterator[tuple[list[str], click.Command]]:
        yield path, command
        if isinstance(command, click.Group):
            ctx = click.Context(command)
            for name in command.list_commands(ctx):
                child = command.get_command(ctx, name)
                assert child is not None, name
                yield from walk(path + [name], child)
    yield from walk([], cli)


def leaf_commands() -> list[tuple[list[str], click.Command]]:
    return [(p, c) for p, c in commands() if p and not isinstance(c, click.Group)]


def filler(param: click.Parameter, tmp: Path) -> list[str]:
    """A plausible value for a required parameter."""
    kind = param.type
    if isinstance(kind, click.Choice):
        value = str(kind.choices[0])
    elif isinstance(kind, (click.types.IntParamType, click.IntRange)):
        value = "1"
    elif isinstance(kind, click.Path):
        value = str(tmp / "bestaat-niet.csv")
    else:
        value = "integratie"
    if isinstance(param, click.Argument):
        return [value]
    return [] if getattr(param, "is_flag", False) else [param.opts[0], value]


def base_args(command: click.Command, tmp: Path, skip: str = "") -> list[str]:
    args: list[str] = []
    for param in command.params:
        if param.required and param.name != skip:
            args += filler(param, tmp)
    return args


def invoke(tmp: Path, *args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, ["--db", str(tmp / "focuslex.db"), *args])


def assert_coded(result: click.testing.Result, what: str) -> None:
    assert result.exit_code == 2, f"{what}: exit {result.exit_code}\n{result.output}" \
                                  f"\n{result.exception!r}"
    assert "Traceback" not in result.output, what
    assert "[FX-" in result.output or "Fout:" in result.output, f"{what}: {result.output}"
    assert "Error:" not in result.output and "Usage:" not in result.output, result.output


def test_the_tree_has_the_commands_of_the_readme() -> None:
    names = {" ".join(path) for path, _ in leaf_commands()}
    assert {"ingest", "status", "analyse", "terms export", "terms kwic", "terms compare",
            "lexicon import", "lexicon edit", "lexicon export"} <= names


@pytest.mark.parametrize("path", [" ".join(p) for p, _ in commands()])
def test_unknown_option_and_missing_values(path: str, tmp_path: Path) -> None:
    words = path.split()
    command = dict((" ".join(p), c) for p, c in commands())[path]
    assert_coded(invoke(tmp_path, *words, "--bestaat-niet"), f"{path} --bestaat-niet")
    for param in command.params:
        if isinstance(param, click.Option) and isinstance(
                param.type, (click.types.IntParamType, click.IntRange)):
            args = base_args(command, tmp_path, skip=param.name or "")
            assert_coded(invoke(tmp_path, *words, *args, param.opts[0], "twee"),
                         f"{path} {param.opts[0]} twee")
        if param.required:  # leave the required parameter out
            args = base_args(command, tmp_path, skip=param.name or "")
            assert_coded(invoke(tmp_path, *words, *args), f"{path} without {param.name}")


def bad_files(tmp: Path) -> Iterator[tuple[str, Path]]:
    yield "ontbrekend bestand", tmp / "ontbreekt.csv"
    folder = tmp / "map.csv"
    folder.mkdir(exist_ok=True)
    yield "map in plaats van bestand", folder
    for name, data in BROKEN.items():
        path = tmp / name
        path.write_bytes(data)
        yield name, path


@pytest.mark.parametrize("path", [" ".join(p) for p, _ in leaf_commands()])
def test_every_file_parameter_with_bad_files(path: str, tmp_path: Path) -> None:
    words = path.split()
    command = dict((" ".join(p), c) for p, c in commands())[path]
    file_params = [p for p in command.params if isinstance(p.type, click.Path)]
    for param in file_params:
        for what, bad in bad_files(tmp_path):
            if param.name in OUTPUT_PARAMS and not bad.is_dir():
                continue  # writing to a new or existing file may well succeed
            args = base_args(command, tmp_path, skip=param.name or "")
            value = [str(bad)] if isinstance(param, click.Argument) else [param.opts[0], str(bad)]
            assert_coded(invoke(tmp_path, *words, *args, *value),
                         f"{path} {param.name}={what}")


@pytest.mark.parametrize("what", ["ontbrekend bestand", "map in plaats van bestand",
                                  "kapot.toml", "niet-utf8.csv"])
def test_global_settings_and_database_files(what: str, tmp_path: Path) -> None:
    bad = dict(bad_files(tmp_path))[what]
    result = CliRunner().invoke(cli, ["--settings", str(bad), "status"])
    assert_coded(result, f"--settings {what}")
    if what != "ontbrekend bestand":
        result = CliRunner().invoke(cli, ["--db", str(bad), "status"])
        assert_coded(result, f"--db {what}")


def test_ingest_with_a_missing_participants_sheet_in_a_real_process(tmp_path: Path) -> None:
    """The case of the issue, as a user runs it: no traceback on stderr."""
    text = tmp_path / "gesprek.txt"
    text.write_text("Jan Peeters: Dag.\n\nMarie Janssens: Dag Jan.\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.cli.main", "--db", str(tmp_path / "f.db"), "ingest",
         str(text), "--participants", str(tmp_path / "missing.csv")],
        capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "[FX-IN-012]" in result.stderr and "missing.csv" in result.stderr


def test_click_texts_are_dutch(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert "Gebruik: focuslex [OPTIES] COMMANDO [ARGUMENTEN]..." in result.output
    assert "Toon deze hulp en stop." in result.output
    assert "Opties:" in result.output and "Commando's:" in result.output
    wrong = invoke(tmp_path, "terms", "kwic", "integratie", "--width", "breed")
    assert "[FX-APP-001]" in wrong.output and "'breed' is geen geldig getal" in wrong.output
    assert wrong.exit_code == 2
