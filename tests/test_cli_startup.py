"""`focuslex` imports a command's heavy modules only when that command runs (Click's lazy
loading of subcommands, `pipeline/cli/lazy.py`): `focuslex --help`, `focuslex ingest --help`
and `focuslex analyse --no-topics` in a fresh process never import BERTopic, UMAP, HDBSCAN,
torch or dask.distributed, and the lazy listing says what the commands themselves say.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from pipeline.cli.lazy import LazyGroup, resolve
from pipeline.cli.main import LAZY_COMMANDS, cli
from pipeline.cli.terms import DASK_ANALYSIS, TOPICS_STEP
from tests.conftest import INGEST, REPO

# Top-level packages a command that fits no topics and starts no cluster must not import.
HEAVY = ("bertopic", "umap", "hdbscan", "torch", "numba", "distributed")

# Runs `focuslex ARGS...` as the installed entry point does, then writes the top-level
# packages it imported (of those asked) and its output to a JSON file. LOAD_ALL: import
# every lazy command first.
RUNNER = """
import click, contextlib, io, json, sys
out, asked, load_all, args = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3], sys.argv[4:]
sys.argv = ["focuslex", *args]
stdout, stderr, code = io.StringIO(), io.StringIO(), None
from pipeline.cli.main import cli, main
if load_all == "yes":
    for name in cli.list_commands(click.Context(cli)):
        cli.get_command(click.Context(cli), name)
with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
    try:
        main()
    except SystemExit as stop:
        code = stop.code
loaded = sorted({name.split(".")[0] for name in sys.modules} & set(asked))
with open(out, "w", encoding="utf-8") as handle:
    json.dump({"code": code, "loaded": loaded, "output": stdout.getvalue(),
               "errors": stderr.getvalue()}, handle)
"""


def run_focuslex(tmp_path: Path, *args: str, load_all: bool = False) -> dict:
    out = tmp_path / "imports.json"
    result = subprocess.run([sys.executable, "-c", RUNNER, str(out), json.dumps(HEAVY),
                             "yes" if load_all else "no", *args],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "COLUMNS": "80", "PYTHONPATH": str(REPO)})
    assert out.is_file(), result.stderr
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("args", [["--help"], ["ingest", "--help"], ["lexicon", "list"]])
def test_commands_without_topics_import_no_topic_or_cluster_library(
        tmp_path: Path, args: list[str]) -> None:
    ran = run_focuslex(tmp_path, "--db", str(tmp_path / "f.db"), *args)
    assert ran["code"] == 0, ran
    assert ran["loaded"] == [], f"focuslex {' '.join(args)} imported {ran['loaded']}"
    assert ran["output"].strip()


def test_analyse_without_topics_imports_neither_bertopic_nor_dask(tmp_path: Path) -> None:
    db = str(tmp_path / "f.db")
    ingested = run_focuslex(tmp_path, "--db", db, "ingest", str(INGEST / "gesprek.txt"),
                            "--participants", str(INGEST / "participants.csv"))
    assert ingested["code"] == 0, ingested
    ran = run_focuslex(tmp_path, "--db", db, "analyse", "--no-topics")
    assert ran["code"] == 0, ran
    assert "termgebruiken gevonden" in ran["output"]
    assert ran["loaded"] == [], ran["loaded"]


def test_the_lazy_listing_is_what_the_commands_say(tmp_path: Path) -> None:
    """Each lazy entry leads to a Click command whose short help (at every width) is the
    entry's; `focuslex --help` before any import equals the help with every command loaded."""
    lazy = run_focuslex(tmp_path, "--help")
    loaded = run_focuslex(tmp_path, "--help", load_all=True)
    assert lazy["output"] == loaded["output"] and "Commando's:" in lazy["output"]
    assert lazy["loaded"] == [] and "bertopic" in loaded["loaded"]
    for name, lazy in LAZY_COMMANDS.items():
        command = resolve(lazy.target)
        assert isinstance(command, click.Command) and command.name == name, lazy.target
        stand_in = click.Command(name, help=lazy.summary)
        for limit in (20, 45, 64, 200):
            assert stand_in.get_short_help_str(limit) == command.get_short_help_str(limit), name
    assert callable(resolve(DASK_ANALYSIS)) and callable(resolve(TOPICS_STEP))
    ctx = click.Context(cli)
    for name in cli.list_commands(ctx):
        assert cli.get_command(ctx, name) is not None
    assert set(LAZY_COMMANDS) <= set(cli.commands)


def test_lazy_loading_keeps_click_dutch_and_its_suggestions(tmp_path: Path) -> None:
    ran = run_focuslex(tmp_path, "analyze")   # a misspelt command that is not imported yet
    assert ran["code"] == 2 and "[FX-APP-001]" in ran["errors"]
    assert "Bedoelde je 'analyse'?" in ran["errors"], ran["errors"]
    help_of_lazy = run_focuslex(tmp_path, "terms", "kwic", "--help")
    assert "--group TEKST" in help_of_lazy["output"]        # Dutch metavars after loading
    assert "Gebruik: focuslex terms kwic [OPTIES] TERM" in help_of_lazy["output"]


def test_a_lazy_group_lists_and_loads_on_demand() -> None:
    group = LazyGroup("demo", lazy_subcommands={"gebruikers": LAZY_COMMANDS["users"]})
    ctx = click.Context(group)
    assert group.list_commands(ctx) == ["gebruikers"] and group.commands == {}
    assert isinstance(group.get_command(ctx, "gebruikers"), click.Group)
    assert "gebruikers" in group.commands and group.get_command(ctx, "onbekend") is None
