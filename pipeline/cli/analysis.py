"""`focuslex terms kwic` and `focuslex terms compare`: the analyses over stored hits.

Added to the `terms` group in `pipeline/cli/terms.py`. Thin:
the work is in `pipeline.analysis.service` (which the app calls too). User-facing text is Dutch;
a user error exits with code 2 and a catalogue message.
"""

from __future__ import annotations

import math

import click
import pandas as pd

from pipeline.analysis.concordance import MENTION_LABELS, format_kwic, resolve_term, term_labels
from pipeline.analysis.service import (HitFilter, compare, concordance, filter_term,
                                       lexicon_labels, stored_hits)
from pipeline.cli.common import Context, fail, warn_if_outdated
from pipeline.core.errors import FocuslexError
from pipeline.core.csvfile import csv_text
from pipeline.core.formats import selection_parts
from pipeline.privacy.leaks import leak_scanner

BY_LABELS = {"group": "groep", "round": "ronde"}


@click.command("kwic", short_help="Concordantie: elk gebruik van een term met context.")
@click.argument("term")
@click.option("--group", "groups", multiple=True,
              help="Alleen deze stakeholdergroep (herhaal voor meer groepen).")
@click.option("--round", "rounds", type=int, multiple=True,
              help="Alleen deze ronde (herhaal voor meer rondes).")
@click.option("--width", type=click.IntRange(10, 300), default=50, show_default=True,
              help="Aantal tekens context links en rechts.")
@click.option("--limit", type=click.IntRange(min=1), help="Toon hoogstens zoveel regels.")
@click.pass_obj
def kwic_command(obj: Context, term: str, groups: tuple[str, ...], rounds: tuple[int, ...],
                 width: int, limit: int | None) -> None:
    """Concordantie: elk gebruik van TERM (id of voorkeurslabel) met context."""
    try:
        store = obj.store()
        try:
            warn_if_outdated(store)
            hits = stored_hits(store)
            term_id = resolve_term(term, term_labels(hits, lexicon_labels(store)))
            chosen = filter_term(hits, term_id, HitFilter(groups=groups,
                                                          rounds=[str(r) for r in rounds]))
            lines = concordance(store, chosen, width=width, limit=limit)
        finally:
            store.close()
    except FocuslexError as error:
        fail(error)
    label = term_labels(hits).get(term_id, term_id)
    where = _where(groups, rounds)
    if lines.empty:
        click.echo(f"Geen gebruik van '{label}' ({term_id}){where}.")
        return
    shown = f", {len(lines)} getoond" if len(lines) < len(chosen) else ""
    header = f"{label} ({term_id}): {len(chosen)} keer gebruikt{where}{shown}."
    shown_text = "\n".join([header, *format_kwic_rows(lines, width)])
    try:  # no real name reaches the screen (FX-PSE-003)
        leak_scanner(obj.settings).ensure(shown_text, "stdout")
    except FocuslexError as error:
        fail(error)
    click.echo(shown_text)


def format_kwic_rows(lines: pd.DataFrame, width: int) -> list[str]:
    """Concordance lines with document, speaker, group, round and notes in front."""
    out = []
    for text, line in zip(format_kwic(lines, width), lines.itertuples(index=False)):
        notes = []
        if line.negated:
            notes.append("ontkend")
        if line.mention:
            notes.append(MENTION_LABELS.get(line.mention, line.mention))
        note = f"  ({', '.join(notes)})" if notes else ""
        rnd = f"r{line.round}" if line.round is not None and not pd.isna(line.round) else "-"
        speaker = line.speaker if isinstance(line.speaker, str) and line.speaker else "-"
        out.append(f"{line.document[:28]:<28} {speaker:<6} {line.group[:18]:<18} "
                   f"{rnd:<3}{text}{note}")
    return out


def _where(groups: tuple[str, ...], rounds: tuple[int, ...]) -> str:
    parts = selection_parts(groups, rounds)
    return f" in {' en '.join(parts)}" if parts else ""


@click.command("compare", short_help="Vergelijk termgebruik tussen groepen of rondes.")
@click.option("--by", "by", type=click.Choice(["group", "round"]), default="group",
              show_default=True, help="Vergelijk stakeholdergroepen of rondes.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table",
              show_default=True, help="Tabel op het scherm of csv.")
@click.pass_obj
def compare_command(obj: Context, by: str, fmt: str) -> None:
    """Vergelijk termgebruik tussen groepen of rondes (log-likelihood, per 10.000 woorden)."""
    try:
        store = obj.store()
        try:
            warn_if_outdated(store)
            table = compare(store, stored_hits(store), by)  # type: ignore[arg-type]
        finally:
            store.close()
    except FocuslexError as error:
        fail(error)
    if fmt == "csv":
        frame = table.rename(columns={"category": by})
        text = csv_text(list(frame.columns), frame.itertuples(index=False), obj.settings.csv,
                        digits=6)
        try:  # labels and group names are written out: no real name (FX-PSE-003)
            leak_scanner(obj.settings).ensure(text, "stdout")
        except FocuslexError as error:
            fail(error)
        click.echo(text, nl=False)
        return
    click.echo(format_keyness(table, by))


def format_keyness(table: pd.DataFrame, by: str) -> str:
    """The keyness table as aligned Dutch text, one block per term."""
    name = BY_LABELS.get(by, by)
    header = (f"{name:<24} {'gebruik':>8} {'per 10.000':>11} {'rest /10.000':>13} "
              f"{'G²':>8} {'p':>7} {'log-ratio':>10}")
    out: list[str] = []
    for term_id, rows in table.groupby("term_id", sort=True):
        out.append(f"{rows['label'].iloc[0]} ({term_id})")
        out.append("  " + header)
        for row in rows.itertuples(index=False):
            mark = "***" if row.p < 0.001 else "**" if row.p < 0.01 else "*" if row.p < 0.05 else ""
            out.append(f"  {str(row.category)[:24]:<24} {row.hits:>8} {_num(row.per_10k, 11)} "
                       f"{_num(row.rest_per_10k, 13)} {_num(row.g2, 8, '+.2f')} {_p(row.p):>7} "
                       f"{_num(row.log_ratio, 10, '+.2f')} {mark}".rstrip())
        out.append("")
    out.append("G² > 0: meer gebruikt dan in de rest, G² < 0: minder; * p < 0,05, "
               "** p < 0,01, *** p < 0,001. Woorden geteld per groep en ronde uit de database.")
    return "\n".join(out)


def _num(value: float, width: int, spec: str = ".2f") -> str:
    """A right-aligned number with a decimal comma, '-' when undefined; `spec` is a format
    like '+.2f'."""
    if value is None or math.isnan(value):
        return f"{'-':>{width}}"
    return f"{format(value, spec).replace('.', ','):>{width}}"


def _p(value: float) -> str:
    return "<0,001" if value < 0.001 else f"{value:.3f}".replace(".", ",")
