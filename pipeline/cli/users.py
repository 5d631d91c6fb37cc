"""`focuslex users ...` (who a command-line change is made by: `pipeline.cli.common.acting`)."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.access.roles import ROLE_LABELS, Permission, Role
from pipeline.access.users import generate_password
from pipeline.cli.common import acting, cli_settings, cli_user_name, cli_users
from pipeline.cli.common import fail as _fail
from pipeline.core.errors import FocuslexError

ROLES = [r.value for r in Role]


def read_secret_file(path: Path) -> str:
    """The first line of a file (a password or passphrase), without its line break."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise FocuslexError("FX-ACC-013", file=str(path), detail=str(exc)) from exc
    return lines[0] if lines else ""


def prompt_secret(label: str) -> str:
    """Ask twice without echo; FX-ACC-012 when the two differ."""
    first = click.prompt(label, hide_input=True, err=True)
    if click.prompt("Nog eens", hide_input=True, err=True) != first:
        raise FocuslexError("FX-ACC-012")
    return first


def _show_one_time(name: str, password: str) -> None:
    click.echo(f"Eenmalig wachtwoord voor '{name}': {password}")
    click.echo("Het wordt niet meer getoond en moet bij de eerste aanmelding vervangen worden.")


@click.group("users")
def users() -> None:
    """Gebruikers en rollen (viewer, facilitator, committee, admin)."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True, help="De rol.")
@click.option("--password-file", type=click.Path(path_type=Path),
              help="Bestand met het wachtwoord op de eerste regel (anders een eenmalig "
                   "wachtwoord dat bij de eerste aanmelding vervangen moet worden).")
def add(name: str, role: str, password_file: Path | None) -> None:
    """Voeg een gebruiker toe (vraagt de rol admin, behalve voor de eerste gebruiker)."""
    try:
        acting(Permission.MANAGE_USERS)
        password = read_secret_file(password_file) if password_file else generate_password()
        actor = cli_users().add(name, role, password, one_time=password_file is None)
    except FocuslexError as error:
        _fail(error)
    click.echo(f"Gebruiker '{actor.name}' toegevoegd als {ROLE_LABELS[actor.role]}.")
    if password_file is None:
        _show_one_time(actor.name, password)


@users.command("init")
@click.option("--name", default="beheerder", show_default=True, help="Naam van de beheerder.")
def init(name: str) -> None:
    """Maak de eerste beheerder aan als er nog geen gebruikers zijn (anders niets)."""
    try:
        store = cli_users()
        if store.count():
            click.echo("Er zijn al gebruikers; er is niets veranderd.")
            return
        password = generate_password()
        actor = store.add(name, Role.ADMIN, password, one_time=True)
    except FocuslexError as error:
        _fail(error)
    click.echo(f"Beheerder '{actor.name}' aangemaakt.")
    _show_one_time(actor.name, password)


@users.command("list")
def list_users() -> None:
    """Toon de gebruikers met hun rol en of ze geblokkeerd zijn."""
    try:
        rows = cli_users().list()
    except FocuslexError as error:
        _fail(error)
    if not rows:
        click.echo("Er zijn nog geen gebruikers (voeg er een toe met 'focuslex users add "
                   "NAAM --role admin').")
    for row in rows:
        notes = []
        if row.must_change_password:
            notes.append("moet wachtwoord wijzigen")
        if row.locked_until is not None:
            notes.append(f"geblokkeerd tot {row.locked_until:%Y-%m-%d %H:%M} UTC")
        last = f"{row.last_login_at:%Y-%m-%d %H:%M}" if row.last_login_at else "nooit"
        click.echo(f"{row.name:<24} {row.role.value:<12} laatst aangemeld: {last}"
                   + (f"  ({'; '.join(notes)})" if notes else ""))


@users.command("remove")
@click.argument("name")
def remove(name: str) -> None:
    """Verwijder een gebruiker (de laatste beheerder blijft)."""
    try:
        acting(Permission.MANAGE_USERS)
        cli_users().remove(name)
    except FocuslexError as error:
        _fail(error)
    click.echo(f"Gebruiker '{name}' verwijderd. Wat hij of zij schreef, blijft op naam staan.")


@users.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES))
def set_role(name: str, role: str) -> None:
    """Geef een gebruiker een andere rol."""
    try:
        acting(Permission.MANAGE_USERS)
        actor = cli_users().set_role(name, role)
    except FocuslexError as error:
        _fail(error)
    click.echo(f"'{actor.name}' is nu {ROLE_LABELS[actor.role]}.")


@users.command("passwd")
@click.argument("name")
@click.option("--password-file", type=click.Path(path_type=Path),
              help="Bestand met het nieuwe wachtwoord op de eerste regel.")
@click.option("--one-time", is_flag=True,
              help="Maak een eenmalig wachtwoord (vervangen bij de volgende aanmelding).")
def passwd(name: str, password_file: Path | None, one_time: bool) -> None:
    """Nieuw wachtwoord (je eigen, of als beheerder dat van een ander); heft een blokkering op."""
    try:
        if cli_user_name().lower() != name.strip().lower():
            acting(Permission.MANAGE_USERS)
        else:
            cli_users().get(name)
        if one_time:
            password = generate_password()
        elif password_file:
            password = read_secret_file(password_file)
        else:
            password = prompt_secret("Nieuw wachtwoord")
        cli_users().set_password(name, password, one_time=one_time)
    except FocuslexError as error:
        _fail(error)
    click.echo(f"Het wachtwoord van '{name.strip().lower()}' is gewijzigd.")
    if one_time:
        _show_one_time(name.strip().lower(), password)
