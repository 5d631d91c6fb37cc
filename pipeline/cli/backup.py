"""`focuslex backup --out FILE [--with-key]` and `focuslex restore FILE [--replace]`.

Thin over `pipeline.access.backup`. Both need the role admin (or set-up mode). The archive
also holds the lexicon as YAML (readable without focuslex). The private files (pseudonym
key and names review) go in only with `--with-key`, encrypted with a passphrase that is
asked for (twice) or read from `--passphrase-file`; never from an environment variable.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from lexicon.io import dump_yaml
from lexicon.store import LexiconStore
from pipeline.access.backup import read_backup, restore_backup, write_backup
from pipeline.access.roles import Permission
from pipeline.cli.common import acting, cli_settings
from pipeline.cli.users import prompt_secret, read_secret_file
from pipeline.core.errors import FocuslexError
from pipeline.core.formats import count_noun
from pipeline.core.settings import Settings
from pipeline.privacy.review import review_path
from pipeline.store.database import Store


def _fail(error: FocuslexError) -> NoReturn:
    click.echo(error.message, err=True)
    sys.exit(2)


def private_files(settings: Settings) -> dict[str, Path]:
    """The private files a backup with --with-key holds: name in the archive -> path."""
    return {"pseudonym_key.json": Path(settings.paths.key_file),
            "names_review.json": review_path(settings)}


def _passphrase(passphrase_file: Path | None, twice: bool) -> str:
    if passphrase_file is not None:
        return read_secret_file(passphrase_file)
    if twice:
        return prompt_secret("Wachtwoordzin voor de sleutel")
    return click.prompt("Wachtwoordzin voor de sleutel", hide_input=True, err=True)


@click.command("backup")
@click.option("--out", type=click.Path(path_type=Path), required=True,
              help="Het back-upbestand (zip) dat gemaakt wordt.")
@click.option("--with-key", is_flag=True,
              help="Ook de pseudoniemsleutel en de namenlijst, versleuteld met een wachtwoordzin.")
@click.option("--passphrase-file", type=click.Path(path_type=Path),
              help="Bestand met de wachtwoordzin op de eerste regel (anders gevraagd).")
def backup(out: Path, with_key: bool, passphrase_file: Path | None) -> None:
    """Maak een back-up van de database en het lexicon (één zip met controlesommen)."""
    if passphrase_file is not None and not with_key:
        raise click.UsageError("--passphrase-file hoort bij --with-key (zonder sleutel is er "
                               "niets te versleutelen).")
    try:
        actor = acting(Permission.BACKUP)
        settings = cli_settings()
        store = Store(settings.database_url)
        lexicon = dump_yaml(sorted(LexiconStore(store).list(), key=lambda e: e.id))
        passphrase = _passphrase(passphrase_file, twice=True) if with_key else None
        report = write_backup(store, out, created_by=actor.name,
                              extras={"lexicon.yaml": lexicon.encode("utf-8")},
                              private=private_files(settings) if with_key else None,
                              passphrase=passphrase,
                              min_passphrase=settings.access.min_password_length)
        store.close()
    except FocuslexError as error:
        _fail(error)
    rows = sum(report.tables.values())
    click.echo(f"Back-up geschreven naar {out}: "
               f"{count_noun(len(report.tables), 'tabel', 'tabellen')}, "
               f"{count_noun(rows, 'rij', 'rijen')}"
               + (f", versleuteld: {', '.join(report.private)}" if report.private else
                  ", zonder de pseudoniemsleutel") + ".")


@click.command("restore")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--replace", is_flag=True,
              help="Vervang wat er nu in de database (en de sleutel) staat.")
@click.option("--passphrase-file", type=click.Path(path_type=Path),
              help="Bestand met de wachtwoordzin van de sleutel op de eerste regel.")
def restore(file: Path, replace: bool, passphrase_file: Path | None) -> None:
    """Zet een back-up terug (geweigerd in een niet-lege database, behalve met --replace)."""
    try:
        acting(Permission.BACKUP)
        settings = cli_settings()
        store = Store(settings.database_url)
        archive = read_backup(file)
        has_key = bool(archive.manifest.get("key"))
        passphrase = _passphrase(passphrase_file, twice=False) if has_key else None
        report = restore_backup(store, archive, replace=replace, passphrase=passphrase,
                                private=private_files(settings) if has_key else None)
        store.close()
    except FocuslexError as error:
        _fail(error)
    click.echo(f"Teruggezet: {count_noun(len(report.tables), 'tabel', 'tabellen')}, "
               f"{count_noun(sum(report.tables.values()), 'rij', 'rijen')}" + (f"; sleutelbestanden: {', '.join(str(p) for p in report.private)}"
                          if report.private else "") + ".")

