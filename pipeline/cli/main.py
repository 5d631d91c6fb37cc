"""The focuslex command line: a thin layer over the library.

Exit code 0 on success, 2 on a user error (the message names the problem and what to do).
Progress goes to stderr. User-facing text is Dutch.
"""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from pipeline.access.roles import Permission
from pipeline.cli.users import acting
from pipeline.core.errors import FocuslexError
from pipeline.ingest.service import Ingestor, collect_requests
from pipeline.core.settings import Settings, load_settings
from pipeline.ingest.sheets import read_participants
from pipeline.store.database import Store
from pipeline.core.records import DocumentMeta, Kind


@dataclass
class Context:
    settings: Settings
    # `--as NAME`: the focuslex user changes are made by (see pipeline/cli/users.py).
    as_user: str | None = None

    def store(self) -> Store:
        return Store(self.settings.database_url)


def fail(error: FocuslexError) -> None:
    click.echo(error.message, err=True)
    sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--settings", "settings_file", type=click.Path(path_type=Path),
              help="Instellingenbestand (TOML); zie settings.example.toml.")
@click.option("--db", "db", metavar="PATH_OR_URL",
              help="Databasebestand (SQLite) of SQLAlchemy-URL (bv. postgresql://...).")
@click.option("--as", "as_user", metavar="NAAM",
              help="De focuslex-gebruiker namens wie je wijzigingen maakt (anders "
                   "[access] cli_user uit de instellingen).")
@click.option("-v", "--verbose", is_flag=True, help="Toon technische meldingen (Engels).")
@click.pass_context
def cli(ctx: click.Context, settings_file: Path | None, db: str | None, as_user: str | None,
        verbose: bool) -> None:
    """focuslex: analyse Nederlandstalige focusgroepgesprekken en beheer het lexicon."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    try:
        settings = load_settings(settings_file).with_database(db)
    except FocuslexError as error:
        fail(error)
    ctx.obj = Context(settings, as_user)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--participants", type=click.Path(path_type=Path),
              help="Deelnemerslijst (csv of xlsx): spreker, groep, organisatie, regio, rol.")
@click.option("--group", default="", help="Stakeholdergroep (van de auteur van een verklaring).")
@click.option("--round", "round_", type=int, help="Rondenummer van de focusgroep.")
@click.option("--kind", type=click.Choice([k.value for k in Kind]),
              help="transcript (met sprekers) of statement (verklaring zonder sprekers).")
@click.option("--organisation", default="", help="Organisatie (van de auteur van een verklaring).")
@click.pass_obj
def ingest(obj: Context, paths: tuple[Path, ...], participants: Path | None, group: str,
           round_: int | None, kind: str | None, organisation: str) -> None:
    """Laad bestanden of mappen op (txt, md, docx, vtt, srt, pdf); namen worden gepseudonimiseerd."""
    try:
        acting(Permission.UPLOAD)
        sheet = read_participants(participants) if participants else None
        meta = DocumentMeta(kind=Kind(kind) if kind else Kind.TRANSCRIPT, round=round_,
                            group=group, organisation=organisation)
        requests = collect_requests(paths, meta, obj.settings)
        store = obj.store()
        ingestor = Ingestor(obj.settings, store, sheet)
    except FocuslexError as error:
        fail(error)
    with click.progressbar(length=len(requests), label="Opladen", file=sys.stderr,
                           show_pos=True) as bar:
        def progress(done: int, total: int, name: str) -> None:
            bar.update(done - bar.pos)
        report = ingestor.ingest(requests, progress)
    for outcome in report.outcomes:
        if outcome.status == "stored":
            click.echo(f"opgeslagen: {outcome.name} ({outcome.turns} beurten, "
                       f"{outcome.speakers} sprekers, {outcome.words} woorden)")
        elif outcome.status == "duplicate":
            click.echo(f"al opgeslagen: {outcome.name} (document {outcome.document_id})")
        else:
            click.echo(f"FOUT bij {outcome.name}: {outcome.error.message}", err=True)
    for warning in report.warnings:
        click.echo(f"let op: {warning}", err=True)
    if report.names_notice:
        click.echo(f"let op: {report.names_notice}", err=True)
    click.echo(f"{report.count('stored')} opgeslagen, {report.count('duplicate')} al aanwezig, "
               f"{report.count('error')} met fouten.")
    store.close()
    if not report.ok:
        sys.exit(2)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
@click.pass_obj
def status(obj: Context, as_json: bool) -> None:
    """Toon wat er opgeslagen is: documenten, sprekers, woorden per groep en ronde."""
    try:
        store = obj.store()
        info = store.status()
        store.close()
    except FocuslexError as error:
        fail(error)
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False, indent=2))
        return
    click.echo(f"Documenten: {info['documents']} ({_fmt(info['documents_by_kind'])})")
    click.echo(f"Formaten:   {_fmt(info['documents_by_format'])}")
    click.echo(f"Sprekers:   {info['speakers']} ({info['speakers_who_spoke']} aan het woord)")
    click.echo(f"Woorden:    {info['words']}")
    click.echo("Woorden per groep:")
    for group, words in info["words_by_group"].items():
        click.echo(f"  {group:<28} {words:>8}")
    click.echo("Woorden per ronde:")
    for rnd, words in info["words_by_round"].items():
        click.echo(f"  {rnd:<28} {words:>8}")


def _fmt(counts: dict[str, int]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in counts.items()) or "-"


from pipeline.cli.terms import register_commands  # noqa: E402  (analyse, terms ...)
register_commands(cli)


from pipeline.cli.lexicon import lexicon as lexicon_group  # noqa: E402  (after `cli` is defined)
cli.add_command(lexicon_group)

from pipeline.cli.users import users as users_group  # noqa: E402
cli.add_command(users_group)

from pipeline.cli.backup import backup as backup_command, restore as restore_command  # noqa: E402
cli.add_command(backup_command)
cli.add_command(restore_command)


def main() -> None:
    cli(prog_name="focuslex")


if __name__ == "__main__":
    main()
