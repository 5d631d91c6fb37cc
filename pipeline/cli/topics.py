"""CLI groups `focuslex topics fit|show|export` and `focuslex activities suggest|export`, and
`run_topics_and_activities`, which `focuslex analyse` calls after the terms. Thin: the work
is in `pipeline.topics` and `pipeline.activities`. User-facing text is Dutch.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import pandas as pd

from pipeline.activities.suggest import suggest_activities
from pipeline.activities.tables import export_activities
from pipeline.access.roles import Permission
from pipeline.cli.common import acting, fail
from pipeline.core.errors import FocuslexError
from pipeline.core.csvfile import csv_file_text
from pipeline.core.formats import count_noun
from pipeline.core.formats import format_int as n
from pipeline.core.formats import format_percent
from pipeline.core.settings import Settings
from pipeline.store.database import Store
from pipeline.topics.embeddings import load_encoder
from pipeline.topics.run import load_units, run_topics
from pipeline.topics.tables import export_topics, load_topics, thin_cells, topic_table


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise FocuslexError("FX-TOP-008", file=str(path), detail=exc.strerror or str(exc)) \
            from exc


def run_topics_and_activities(obj: Any) -> None:
    """`focuslex analyse` after the terms: fit topics and suggest activities on the same
    units and encoder, print a summary; exits 2 on a user error."""
    try:
        store = obj.store()
        try:
            _topics_and_activities(obj.settings, store)
        finally:
            store.close()
    except FocuslexError as error:
        if error.code != "FX-TOP-001":
            fail(error)
        click.echo(f"let op: onderwerpen en activiteiten overgeslagen. {error.message}",
                   err=True)


def _topics_and_activities(settings: Settings, store: Store) -> None:
    units = load_units(settings, store)
    encoder = load_encoder(settings.topics.embedder)
    report = run_topics(settings, store, encoder=encoder, units=units)
    click.echo(f"{count_noun(report.topics, 'onderwerp', 'onderwerpen')} in "
               f"{count_noun(report.units, 'fragment', 'fragmenten')} "
               f"({format_percent(report.outlier_share, 0)} eerst zonder onderwerp, daarna "
               f"toegewezen aan het dichtstbijzijnde; "
               f"{count_noun(report.embedded, 'nieuwe embedding', 'nieuwe embeddings')}, "
               f"{n(report.seconds)} s).")
    activities = suggest_activities(settings, store, encoder=encoder, units=units)
    click.echo(f"{count_noun(activities.suggestions, 'voorgestelde activiteit', 'voorgestelde activiteiten')}"
               f" voor {count_noun(activities.units, 'fragment', 'fragmenten')} (voorstellen: te bevestigen in de app, pagina Activiteiten).")


@click.group()
def topics() -> None:
    """Onderwerpen (BERTopic) per stakeholdergroep en ronde."""


@topics.command("fit")
@click.pass_obj
def fit(obj: Any) -> None:
    """Zoek de onderwerpen in alles wat opgeslagen is (de eerdere curatie blijft)."""
    try:
        acting(Permission.ANALYSE)
        store = obj.store()
        try:
            report = run_topics(obj.settings, store)
        finally:
            store.close()
    except FocuslexError as error:
        fail(error)
    click.echo(f"{count_noun(report.topics, 'onderwerp', 'onderwerpen')} in "
               f"{count_noun(report.units, 'fragment', 'fragmenten')}; "
               f"{format_percent(report.outlier_share, 0)} eerst zonder onderwerp "
               f"(embeddings: {report.embedder}, {n(report.embedded)} nieuw; "
               f"{n(report.seconds)} s).")


@topics.command("show")
@click.option("--by", type=click.Choice(["group", "round"]),
              help="Toon ook het aandeel per stakeholdergroep of per ronde.")
@click.pass_obj
def show(obj: Any, by: str | None) -> None:
    """Toon de onderwerpen: nummer, naam, aantal fragmenten en woorden."""
    try:
        store = obj.store()
        try:
            frame = load_topics(store)
            table = topic_table(store, by) if by else None
        finally:
            store.close()
        if frame.empty:
            raise FocuslexError("FX-TOP-004")
    except FocuslexError as error:
        fail(error)
    for row in frame.itertuples():
        state = " (verborgen)" if row.hidden else ""
        if pd.notna(row.merged_into):
            state = f" (samengevoegd met {int(row.merged_into)})"
        click.echo(f"{row.topic:>3}  {row.label}{state}  [{row.size}]  {', '.join(row.words)}")
    if table is not None:
        click.echo("")
        for row in table.itertuples():
            click.echo(f"{row.topic:>3}  {getattr(row, by):<28} {row.units:>5}  {row.share:.0%}")
        for warning in thin_cells(table, by, obj.settings.topics.min_cell_units):
            click.echo(f"let op: {warning}", err=True)


def _export(obj: Any, fmt: str, out: Path | None, export: Any,
            what: tuple[str, str]) -> None:
    try:
        store = obj.store()
        try:
            text, count = export(store, fmt, obj.settings, target=str(out) if out else "stdout")
        finally:
            store.close()
        if out is None:
            click.echo(text, nl=False)
        else:  # a file: with the byte-order mark of the settings [csv]
            _write(out, csv_file_text(text, obj.settings.csv) if fmt == "csv" else text)
    except FocuslexError as error:
        fail(error)
    if out is not None:
        click.echo(f"{count_noun(count, *what)} geschreven naar {out}.", err=True)


FORMAT = click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), required=True,
                      help="csv of jsonl (één JSON-object per regel).")
OUT = click.option("--out", "out", type=click.Path(path_type=Path),
                   help="Uitvoerbestand; zonder deze optie naar het scherm (stdout).")


@topics.command("export")
@FORMAT
@OUT
@click.pass_obj
def export_topics_command(obj: Any, fmt: str, out: Path | None) -> None:
    """Exporteer één rij per fragment met zijn onderwerp."""
    _export(obj, fmt, out, export_topics, ("fragment", "fragmenten"))


@click.group()
def activities() -> None:
    """Activiteiten van het systeemmodel: voorstellen per fragment, te bevestigen."""


@activities.command("suggest")
@click.pass_obj
def suggest(obj: Any) -> None:
    """Stel per fragment activiteiten voor (bevestigde beslissingen blijven)."""
    try:
        acting(Permission.ANALYSE)
        store = obj.store()
        try:
            report = suggest_activities(obj.settings, store)
        finally:
            store.close()
    except FocuslexError as error:
        fail(error)
    click.echo(f"{count_noun(report.suggestions, 'voorgestelde activiteit', 'voorgestelde activiteiten')}"
               f" voor {count_noun(report.units, 'fragment', 'fragmenten')}.")


@activities.command("export")
@FORMAT
@OUT
@click.pass_obj
def export_activities_command(obj: Any, fmt: str, out: Path | None) -> None:
    """Exporteer één rij per fragment en voorgestelde activiteit, met de status."""
    _export(obj, fmt, out, export_activities, ("voorstel", "voorstellen"))
