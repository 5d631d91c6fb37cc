"""Command groups whose subcommands are imported when they run: Click's "Lazily Loading
Subcommands" (Click's documentation, *Complex Applications*).

A `LazyGroup` names each lazy subcommand by where it lives ("pipeline.cli.topics:topics") and
by the first sentence of its help. `focuslex --help` lists the subcommands from those
sentences without importing their modules; a subcommand's module is imported when Click
resolves that subcommand (to run it or to show its own help). So `focuslex --help`,
`focuslex ingest` or `focuslex lexicon list` do not import BERTopic, UMAP, HDBSCAN or
dask.distributed, which only the commands that use them load (`tests/test_cli_startup.py`).

`resolve` is the same import by name for the few steps a command needs only with some of
its options (`focuslex analyse` without `--no-topics` fits topics; with `--engine dask` it
starts the Dask client).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import click


@dataclass(frozen=True)
class LazyCommand:
    """Where a subcommand lives ("module:attribute") and the first sentence of its help,
    which the group's help shows without importing it."""

    target: str
    summary: str


def resolve(target: str) -> Any:
    """The object named by "module:attribute", its module imported now (once)."""
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)


class LazyGroup(click.Group):
    """A group whose `lazy_subcommands` are imported on first use (`get_command`)."""

    def __init__(self, *args: Any, lazy_subcommands: Mapping[str, LazyCommand] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_subcommands = dict(lazy_subcommands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_subcommands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        lazy = self.lazy_subcommands.get(cmd_name)
        if lazy is not None and cmd_name not in self.commands:
            command = resolve(lazy.target)
            if not isinstance(command, click.Command):
                raise TypeError(f"{lazy.target} is no Click command")
            self.add_command(self.loaded(command), cmd_name)
        return super().get_command(ctx, cmd_name)

    def resolve_command(self, ctx: click.Context, args: list[str]
                        ) -> tuple[str | None, click.Command | None, list[str]]:
        """Click's resolution; an unknown name's "did you mean" also looks at the lazy
        subcommands (Click itself only looks at those already imported)."""
        try:
            return super().resolve_command(ctx, args)
        except click.exceptions.NoSuchCommand as error:
            raise click.exceptions.NoSuchCommand(
                error.command_name, possibilities=self.list_commands(ctx), ctx=ctx) from None

    def loaded(self, command: click.Command) -> click.Command:
        """A subcommand just imported; subclasses adapt it (`DutchGroup`: Dutch metavars)."""
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Click's own list of subcommands; one not imported yet shows its summary, which
        Click shortens exactly as it shortens the help of the command itself."""
        listing = {name: click.Command(name, help=lazy.summary)
                   for name, lazy in self.lazy_subcommands.items()}
        listing.update(self.commands)
        click.Group.format_commands(click.Group(self.name, commands=listing), ctx, formatter)
