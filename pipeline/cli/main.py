"""The focuslex command line: a thin layer over the library.

Exit code 0 on success, 2 on a user error (the message names the problem and what to do).
Progress goes to stderr. User-facing text is Dutch.

The command groups of their own modules are imported when they run (`LAZY_COMMANDS`, see
`pipeline/cli/lazy.py`): `focuslex --help` and `focuslex ingest` do not load BERTopic, UMAP,
HDBSCAN or dask.distributed. A new group: its module `pipeline/cli/<group>.py` and one line
in `LAZY_COMMANDS` (where it lives, the first sentence of its help).
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import click

from pipeline.access.roles import Permission
from pipeline.cli.common import Context, acting, fail
from pipeline.cli.dutch import DutchGroup
from pipeline.cli.lazy import LazyCommand
from pipeline.core.errors import FocuslexError
from pipeline.core.formats import count_noun, format_datetime, format_int
from pipeline.core.groups import role_group_total, without_role_groups
from pipeline.ingest.plan import plan_requests
from pipeline.ingest.service import IngestRequest, Ingestor, collect_requests
from pipeline.core.settings import load_settings
from pipeline.ingest.sheets import read_participants
from pipeline.core.records import DocumentMeta, Kind


# The commands of their own modules, imported when they run: name -> where it lives and the
# first sentence of its help (`tests/test_cli_startup.py` checks both against the command).
LAZY_COMMANDS = {
    "analyse": LazyCommand("pipeline.cli.terms:analyse", "Analyseer wat opgeslagen is: "
                           "taalanalyse (spaCy), termgebruik uit het lexicon, daarna onderwerpen "
                           "en voorgestelde activiteiten (tenzij --no-topics)."),
    "terms": LazyCommand("pipeline.cli.terms:terms", "Termgebruik: exporteren, concordantie "
                         "en vergelijking tussen groepen."),
    "topics": LazyCommand("pipeline.cli.topics:topics",
                          "Onderwerpen (BERTopic) per stakeholdergroep en ronde."),
    "activities": LazyCommand("pipeline.cli.topics:activities", "Activiteiten van het "
                              "systeemmodel: voorstellen per fragment, te bevestigen."),
    "lexicon": LazyCommand("pipeline.cli.lexicon:lexicon", "Het gedeelde lexicon: termen "
                           "bekijken, importeren, exporteren, bewerken, vrijgeven."),
    "report": LazyCommand("pipeline.cli.report:report", "Maak een rapport voor het lerend "
                          "netwerk (html, docx, pdf, xlsx of csv); de maker is de gebruiker "
                          "van de opdrachtregel (--as NAAM)."),
    "users": LazyCommand("pipeline.cli.users:users",
                         "Gebruikers en rollen (viewer, facilitator, committee, admin)."),
    "backup": LazyCommand("pipeline.cli.backup:backup", "Maak een back-up van de database en "
                          "het lexicon (één zip met controlesommen)."),
    "restore": LazyCommand("pipeline.cli.backup:restore", "Zet een back-up terug (geweigerd "
                           "in een niet-lege database, behalve met --replace)."),
}


@click.group("focuslex", cls=DutchGroup, lazy_subcommands=LAZY_COMMANDS,
             context_settings={"help_option_names": ["-h", "--help"]})
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
        sheet = read_participants(participants, obj.settings.ingest) if participants else None
        meta = DocumentMeta(kind=Kind(kind) if kind else Kind.TRANSCRIPT, round=round_,
                            group=group, organisation=organisation)
        requests = collect_requests(paths, meta, obj.settings)
        # Round, date, question and focus group per file from its header block where the
        # command line and documents.csv leave them empty (pipeline/ingest/plan.py).
        plan = plan_requests(requests, sheet, obj.settings, given=meta, detect_kind=False)
        requests = [IngestRequest(p.source, p.meta, p.error) for p in plan]
        store = obj.store()
        ingestor = Ingestor(obj.settings, store, sheet)
    except FocuslexError as error:
        fail(error)
    with click.progressbar(length=len(requests), label="Opladen", file=sys.stderr,
                           show_pos=True) as bar:
        def progress(done: int, total: int, name: str) -> None:
            bar.update(done - bar.pos)
        try:  # a file's own errors are in the report; this is the database as a whole
            report = ingestor.ingest(requests, progress)
        except FocuslexError as error:
            fail(error)
    for outcome, request in zip(report.outcomes, requests):
        if outcome.status == "stored":
            rnd = request.meta.round
            click.echo(f"opgeslagen: {outcome.name} "
                       f"({count_noun(outcome.turns, 'beurt', 'beurten')}, "
                       f"{count_noun(outcome.speakers, 'spreker', 'sprekers')}, "
                       f"{count_noun(outcome.words, 'woord', 'woorden')}, "
                       + (f"ronde {rnd})" if rnd is not None else "zonder ronde)"))
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
    click.echo(format_status(info))


def format_status(info: dict[str, Any]) -> str:
    """`store.status()` as Dutch text with Belgian number formats; role groups
    (facilitators) apart from the stakeholder groups."""
    by_group = info["words_by_group"]
    lines = [f"Documenten: {format_int(info['documents'])} ({_fmt(info['documents_by_kind'])})",
             f"Formaten:   {_fmt(info['documents_by_format'])}",
             f"Sprekers:   {count_noun(info['participants_who_spoke'], 'deelnemer', 'deelnemers')} "
             f"en {count_noun(info['facilitators_who_spoke'], 'begeleider', 'begeleiders')} "
             "aan het woord"
             + (f" ({format_int(info['speakers'])} bekend)"
                if info["speakers"] != info["speakers_who_spoke"] else ""),
             f"Woorden:    {format_int(info['words'])}",
             "Woorden per stakeholdergroep:"]
    lines += [f"  {group:<28} {format_int(words):>8}"
              for group, words in without_role_groups(by_group).items()]
    if role_group_total(by_group):
        lines.append(f"  {'(begeleiding)':<28} {format_int(role_group_total(by_group)):>8}")
    lines.append("Woorden per ronde:")
    lines += [f"  {rnd:<28} {format_int(words):>8}" for rnd, words in info["words_by_round"].items()]
    for run in info.get("unfinished_runs", []):
        state = "onderbroken" if run["status"] == "interrupted" else "bezig"
        lines.append(f"Run {run['id']} ({run['command']}, gestart "
                     f"{format_datetime(run['started_at'])}): {state}")
    return "\n".join(lines)


def _fmt(counts: dict[str, int]) -> str:
    return ", ".join(f"{k}: {format_int(v)}" for k, v in counts.items()) or "-"


def main() -> None:
    cli(prog_name="focuslex")


if __name__ == "__main__":
    main()
