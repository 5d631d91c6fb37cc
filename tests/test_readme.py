"""The README stays true: the two commands lead, and every focuslex command it shows exists."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from pipeline.cli.main import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted({line.split("#")[0].strip() for line in README.splitlines()
                   if line.strip().startswith(".venv/bin/focuslex")})


# Options of the main `focuslex` group that take a value and come before the command.
GLOBAL_OPTIONS = ("--as", "--db", "--settings")


def test_readme_leads_with_the_two_commands() -> None:
    first_block = README.split("```")[1]
    assert re.findall(r"^make (\w+)", first_block, re.M) == ["run", "test"]


@pytest.mark.parametrize("line", COMMANDS)
def test_every_documented_command_exists(line: str) -> None:
    words = shlex.split(line)[1:]
    while words and words[0] in GLOBAL_OPTIONS:  # `focuslex --as NAAM lexicon ...`
        words = words[2:]
    path: list[str] = []
    group = cli
    for word in words:  # walk down the command groups until the options start
        if word.startswith("-") or not isinstance(group, click.Group):
            break
        child = group.get_command(click.Context(group), word)  # imports a lazy command
        if child is None:
            break
        path.append(word)
        group = child
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, (line, result.output)
    for option in re.findall(r"(?<!\S)(--[a-z-]+)", line):
        if option not in ("--help",):
            assert option in result.output or option in CliRunner().invoke(
                cli, ["--help"]).output, (line, option)
