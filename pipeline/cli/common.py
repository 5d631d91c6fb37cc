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
from pipeline.privacy.review import REANALYSE_NOTICE, analysis_outdated
from pipeline.store.database import Store


@dataclass
class Context:
    """`ctx.obj` of the `focuslex` group: the settings of this call."""

    settings: Settings

    def store(self) -> Store:
        return Store(self.settings.database_url)


def fail(error: FocuslexError) -> NoReturn:
    """A user error: its Dutch message on stderr, exit code 2, no traceback."""
    click.echo(error.message, err=True)
    sys.exit(2)


def settings_of(ctx: click.Context) -> Settings:
    """The settings of the root context (`focuslex --settings/--db`); defaults when a
    command group runs on its own (tests)."""
    settings = getattr(ctx.find_root().obj, "settings", None)
    return settings if isinstance(settings, Settings) else load_settings()


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
