"""What every command group of the CLI shares: the context object, the exit on a user error,
the warning that the analysis is outdated, and writing an output file."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import click

from pipeline.core.errors import FocuslexError
from pipeline.core.settings import Settings, load_settings
from pipeline.privacy.keys import bind_key
from pipeline.privacy.review import REANALYSE_NOTICE, analysis_outdated
from pipeline.store.database import Store


@dataclass
class Context:
    """`ctx.obj` of the `focuslex` group: the settings of this call."""

    settings: Settings

    def store(self) -> Store:
        """The database; from here on `settings` points at its own pseudonym key."""
        store = Store(self.settings.database_url)
        self.settings = bind_key(self.settings, store)
        return store


def fail(error: FocuslexError) -> NoReturn:
    """A user error: its Dutch message on stderr, exit code 2, no traceback."""
    click.echo(error.message, err=True)
    sys.exit(2)


def settings_of(ctx: click.Context) -> Settings:
    """The settings of the root context (`focuslex --settings/--db`); defaults when a
    command group runs on its own (tests)."""
    obj = ctx.find_root().obj
    if isinstance(obj, Context):
        return obj.settings
    return load_settings()


def warn_if_outdated(store: Store) -> None:
    """Say on stderr that the analysis must run again when a name review changed stored
    texts after it (their term hits were deleted)."""
    if analysis_outdated(store):
        click.echo(REANALYSE_NOTICE, err=True)


def write_text(path: Path, text: str) -> None:
    """Write an export file (folders created); FX-TRM-002 when that fails."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise FocuslexError("FX-TRM-002", file=str(path), detail=exc.strerror or str(exc)) \
            from exc
