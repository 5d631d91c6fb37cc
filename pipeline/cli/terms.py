"""CLI commands over term usages: `focuslex analyse` and the `focuslex terms ...` group
(with `kwic` and `compare` of `pipeline/cli/analysis.py`).

Registered on the main group in `pipeline/cli/main.py` (imported when one of them runs). Thin:
the work is in `pipeline.terms.run` (orchestration, export) and `pipeline.terms.matcher` (the
matcher). User-facing text is Dutch; progress goes to stderr; a user error exits with code 2
and a catalogue message. `analyse` imports the topics step (BERTopic, UMAP, HDBSCAN) only
without `--no-topics` and the Dask engine (dask.distributed) only with `--engine dask`
(`pipeline.cli.lazy.resolve`).
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from pipeline.access.roles import Permission
from pipeline.cli.analysis import compare_command, kwic_command
from pipeline.cli.common import Context, acting, fail, warn_if_outdated, write_text
from pipeline.cli.lazy import resolve
from pipeline.core.errors import FocuslexError
from pipeline.engine.options import ENGINES, DaskOptions, check_engine
from pipeline.terms.run import AnalysisReport, export_hits, run_analysis
from pipeline.core.csvfile import csv_file_text
from pipeline.core.formats import count_noun, format_int

# Imported only by the runs that use them (see the module docstring).
DASK_ANALYSIS = "pipeline.engine.cluster:run_dask_analysis"
TOPICS_STEP = "pipeline.cli.topics:run_topics_and_activities"


@click.command()
@click.option("--lexicon", "lexicon_file", type=click.Path(path_type=Path),
              help="Lexiconbestand (YAML/CSV) in plaats van het lexicon in de database.")
@click.option("--no-topics", is_flag=True,
              help="Sla de onderwerpen en de voorgestelde activiteiten over.")
@click.option("--engine", type=click.Choice(ENGINES),
              help="Rekenmotor: local (dit proces) of dask (Dask-workers, per deel van de "
                   "documenten). Standaard: engine.name in de instellingen (local).")
@click.option("--scheduler", metavar="ADRES",
              help="Adres van een draaiende Dask-scheduler (bv. tcp://10.0.0.5:8786); "
                   "zonder: een lokale cluster op deze machine. Alleen met --engine dask.")
@click.option("--workers", type=click.IntRange(min=1),
              help="Aantal workerprocessen van de lokale Dask-cluster (standaard: "
                   "engine.workers). Alleen met --engine dask.")
@click.pass_obj
def analyse(obj: Context, lexicon_file: Path | None, no_topics: bool, engine: str | None,
            scheduler: str | None, workers: int | None) -> None:
    """Analyseer wat opgeslagen is: taalanalyse (spaCy), termgebruik uit het lexicon,
    daarna onderwerpen en voorgestelde activiteiten (tenzij --no-topics). Met --engine dask
    gebeuren de taalanalyse, de termen en de embeddings van de fragmenten op Dask-workers."""
    engine = engine or obj.settings.engine.name
    if engine != "dask" and (scheduler is not None or workers is not None):
        raise click.UsageError("--scheduler en --workers gelden alleen met --engine dask.")
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
            if engine == "dask":
                report = resolve(DASK_ANALYSIS)(obj.settings, store, lexicon_file=lexicon_file,
                                                options=DaskOptions(scheduler, workers),
                                                embed=not no_topics, progress=progress)
            else:
                check_engine(replace(obj.settings.engine, name=engine))
                report = run_analysis(obj.settings, store, lexicon_file=lexicon_file,
                                      progress=progress)
        finally:
            if bar is not None:
                bar.render_finish()
            store.close()
    except FocuslexError as error:
        fail(error)
    click.echo(describe_analysis(report))
    if not no_topics:
        resolve(TOPICS_STEP)(obj)


def describe_analysis(report: AnalysisReport) -> str:
    """What an analysis did, in Dutch (two lines)."""
    return (f"{count_noun(report.documents, 'document', 'documenten')}, "
            f"{count_noun(report.utterances, 'beurt', 'beurten')}, "
            f"{count_noun(report.words, 'woord', 'woorden')} geanalyseerd "
            f"({format_int(report.parsed)} nieuw ontleed, "
            f"{format_int(report.cached)} uit de cache) met taalpijplijn {report.pipeline}.\n"
            f"{count_noun(report.hits, 'termgebruik', 'termgebruiken')} gevonden voor "
            f"{format_int(report.terms_found)} van de "
            f"{count_noun(report.terms, 'term', 'termen')} (lexicon: {report.lexicon_source})."
            + (f"\n{count_noun(report.uncertain, 'gebruik', 'gebruiken')} met een onzekere "
               "betekenis (na te kijken op "
               f"de pagina Termen), {format_int(report.fuzzy)} gevonden in een beschadigde "
               "woordvorm."
               if report.uncertain or report.fuzzy else ""))


@click.group()
def terms() -> None:
    """Termgebruik: exporteren, concordantie en vergelijking tussen groepen."""


@terms.command("export")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), required=True,
              help="jsonl (één JSON-object per regel) of csv.")
@click.option("--out", "out", type=click.Path(path_type=Path),
              help="Uitvoerbestand; zonder deze optie naar het scherm (stdout).")
@click.pass_obj
def export(obj: Context, fmt: str, out: Path | None) -> None:
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
        else:  # a file: with the byte-order mark of the settings [csv]
            write_text(out, csv_file_text(text, obj.settings.csv) if fmt == "csv" else text)
    except FocuslexError as error:
        fail(error)
    if out is not None:
        click.echo(f"{count_noun(count, 'termgebruik', 'termgebruiken')} geschreven naar "
                   f"{out}.", err=True)


terms.add_command(kwic_command)
terms.add_command(compare_command)
