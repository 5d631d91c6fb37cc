"""What every command group of the CLI shares: the context object, who a change is made by
(`acting`), the exit on a user error, the warning that the analysis is outdated, and writing
an output file.

The CLI runs as a named focuslex user: `focuslex --as NAME` or `cli_user` under `[access]`
in the settings. Every command that changes something calls `acting(Permission.X)` first,
which returns the `Actor` (its name is recorded as the author) or stops with a coded
message. Reading commands need no user: whoever can run the CLI can read the database file.
Until the first user exists (set-up mode) changes are made as 'lokaal'.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import click

from pipeline.access.roles import Permission
from pipeline.access.users import Actor, Users, acting_user
from pipeline.core.errors import FocuslexError
from pipeline.core.settings import Settings, load_settings
from pipeline.privacy.keys import bind_key
from pipeline.privacy.review import REANALYSE_NOTICE, analysis_outdated
from pipeline.store.database import Store


@dataclass
class Context:
    """`ctx.obj` of the `focuslex` group: the settings of this call, and the focuslex user
    given with `--as NAME` (changes are made by that user; see `acting`)."""

    settings: Settings
    as_user: str | None = None

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


def cli_settings(ctx: click.Context | None = None) -> Settings:
    """`settings_of` for the current click context."""
    return settings_of(ctx or click.get_current_context())


def cli_user_name(ctx: click.Context | None = None) -> str:
    """The name given with `--as`, else `[access] cli_user` (may be empty)."""
    obj = (ctx or click.get_current_context()).find_root().obj
    return (getattr(obj, "as_user", None) or cli_settings(ctx).access.cli_user or "").strip()


def cli_users(ctx: click.Context | None = None) -> Users:
    """The users of the database of this call."""
    settings = cli_settings(ctx)
    return Users(Store(settings.database_url), settings.access)


def acting(permission: Permission, ctx: click.Context | None = None) -> Actor:
    """The user this command-line change is made by, checked for `permission` (raises a
    FocuslexError: FX-ACC-003 unknown user, FX-ACC-006 not allowed, FX-ACC-007 no user)."""
    return acting_user(cli_users(ctx), cli_user_name(ctx), permission)


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
