"""CLI commands over term usages: `focuslex analyse` and the `focuslex terms ...` group.

Registered on the main group in `pipeline/cli.py`. Thin: the work is in `pipeline.terms.run`
(orchestration, export) and `pipeline.terms.matcher` (the matcher). User-facing text is Dutch;
progress goes to stderr; a user error exits with code 2 and a catalogue message.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from pipeline.access.roles import Permission
from pipeline.cli.analysis import register_analysis_commands
from pipeline.cli.users import acting
from pipeline.core.errors import FocuslexError
from pipeline.terms.run import run_analysis
from pipeline.terms.run import export_hits
from pipeline.privacy.review import REANALYSE_NOTICE, analysis_outdated


def _fail(error: FocuslexError) -> None:
    click.echo(error.message, err=True)
    sys.exit(2)


@click.command()
@click.option("--lexicon", "lexicon_file", type=click.Path(path_type=Path),
              help="Lexiconbestand (YAML/CSV) in plaats van het lexicon in de database.")
@click.pass_obj
def analyse(obj: Any, lexicon_file: Path | None) -> None:
    """Analyseer wat opgeslagen is: taalanalyse (spaCy) en termgebruik uit het lexicon."""

    bar: Any = None

    def progress(done: int, total: int, stage: str) -> None:
        nonlocal bar
        if bar is None or bar.label != stage:
            if bar is not None:
                bar.render_finish()
            bar = click.progressbar(length=max(total, 1), label=stage, file=sys.stderr,
                                    show_pos=True)
        bar.update(done - bar.pos)

    try:
        acting(Permission.ANALYSE)
        store = obj.store()
        try:
            report = run_analysis(obj.settings, store, lexicon_file=lexicon_file,
                                  progress=progress)
        finally:
            if bar is not None:
                bar.render_finish()
            store.close()
    except FocuslexError as error:
        _fail(error)
    click.echo(f"{report.documents} documenten, {report.utterances} beurten, "
               f"{report.words} woorden geanalyseerd ({report.parsed} nieuw ontleed, "
               f"{report.cached} uit de cache) met taalpijplijn {report.pipeline}.")
    click.echo(f"{report.hits} termgebruiken gevonden voor {report.terms_found} van de "
               f"{report.terms} termen (lexicon: {report.lexicon_source}).")


@click.group()
def terms() -> None:
    """Termgebruik: exporteren, concordantie en vergelijking tussen groepen."""


@terms.command("export")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), required=True,
              help="jsonl (één JSON-object per regel) of csv.")
@click.option("--out", "out", type=click.Path(path_type=Path),
              help="Uitvoerbestand; zonder deze optie naar het scherm (stdout).")
@click.pass_obj
def export(obj: Any, fmt: str, out: Path | None) -> None:
    """Exporteer alle termgebruiken, één rij per gebruik."""

    try:
        store = obj.store()
        try:
            warn_if_outdated(store)
            text, count = export_hits(store, fmt, obj.settings,
                                      target=str(out) if out else "stdout")
        finally:
            store.close()
        if out is None:
            click.echo(text, nl=False)
        else:
            _write(out, text)
    except FocuslexError as error:
        _fail(error)
    if out is not None:
        click.echo(f"{count} termgebruiken geschreven naar {out}.", err=True)


def warn_if_outdated(store: Any) -> None:
    """Say on stderr that the analysis must run again when a name review changed stored
    texts after it (their term hits were deleted)."""

    if analysis_outdated(store):
        click.echo(REANALYSE_NOTICE, err=True)


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise FocuslexError("FX-TRM-002", file=str(path), detail=exc.strerror or str(exc)) \
            from exc


def register_commands(group: click.Group) -> None:
    """Add `analyse` and the `terms` group to the main command group."""
    group.add_command(analyse)
    register_analysis_commands(terms)  # terms kwic, terms compare
    group.add_command(terms)
