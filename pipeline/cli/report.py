"""`focuslex report`: build the report once and write it in one format, with its run record
beside it (`<name>.runrecord.json`). Thin: the work is in `pipeline.reports`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from pipeline.access.roles import Permission
from pipeline.cli.common import acting, fail
from pipeline.core.errors import FocuslexError
from pipeline.privacy.leaks import leak_scanner
from pipeline.reports.build import make_report
from pipeline.reports.context import ReportOptions
from pipeline.reports.export import FORMATS, write_report


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    """Repeated options and comma-separated lists both work: --groups a,b --groups c."""
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def _rounds(values: tuple[str, ...]) -> tuple[int, ...]:
    try:
        return tuple(int(v) for v in _split(values))
    except ValueError as exc:
        raise click.BadParameter("geef rondenummers, bv. --rounds 1,2", param_hint="--rounds") \
            from exc


@click.command("report")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), required=True,
              help="html, docx (Word), pdf, xlsx (Excel, één blad per tabel) of csv (zip).")
@click.option("--out", "out", type=click.Path(path_type=Path), required=True,
              help="Uitvoerbestand; het run record komt ernaast als NAAM.runrecord.json.")
@click.option("--groups", multiple=True, metavar="GROEP[,GROEP]",
              help="Alleen deze stakeholdergroepen (herhaal of scheid met komma's).")
@click.option("--rounds", multiple=True, metavar="N[,N]",
              help="Alleen deze rondes (herhaal of scheid met komma's).")
@click.option("--terms", multiple=True, metavar="TERM[,TERM]",
              help="Alleen deze termen (id of voorkeurslabel); standaard elke gebruikte term.")
@click.option("--release", type=int, help="Lexiconrelease voor definities en status "
                                          "(standaard de laatste).")
@click.option("--unconfirmed", is_flag=True,
              help="Toon ook activiteitensuggesties die nog niemand bevestigde (gemarkeerd).")
@click.pass_obj
def report(obj: Any, fmt: str, out: Path, groups: tuple[str, ...], rounds: tuple[str, ...],
           terms: tuple[str, ...], release: int | None, unconfirmed: bool) -> None:
    """Maak een rapport voor het lerend netwerk (html, docx, pdf, xlsx of csv); de maker is
    de gebruiker van de opdrachtregel (--as NAAM)."""
    try:
        actor = acting(Permission.READ_REPORTS)
        options = ReportOptions(groups=_split(groups), rounds=_rounds(rounds),
                                terms=_split(terms), release=release, unconfirmed=unconfirmed,
                                released_only=not actor.may(Permission.READ_LEXICON),
                                author=actor.name)
        store = obj.store()
        try:
            built = make_report(store, obj.settings, options)
        finally:
            store.close()
        written = write_report(built, fmt, out, leak_scanner(obj.settings), obj.settings.csv)
    except FocuslexError as error:
        fail(error)
    click.echo(f"Rapport geschreven naar {written[0]} (run record: {written[1]}).")
