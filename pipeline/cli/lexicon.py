"""`focuslex lexicon ...`: a thin command line over `lexicon.store.LexiconStore`.

Registered on the main `focuslex` group in pipeline/cli/main.py. The group reads the settings
from the root context (`pipeline.cli.common.settings_of`). Edits go through `lexicon.editing`,
which the app's *Lexicon beheer* page uses too. Changes (import, edit, release) are made by
the command line's user (`focuslex --as NAME`, see `pipeline.cli.common.acting`), recorded as
the author of every revision. Exit code 2 on a user error.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import yaml

from lexicon.editing import apply_edit, content_changes, parse_set, read_entry_file
from lexicon.io import dump_csv, dump_entry_yaml, dump_yaml, load_seed, read_lexicon_file
from lexicon.model import ACTIVITIES, FIELD_LABELS, Entry, Sensitivity, Status
from lexicon.skos import dump_skos
from lexicon.store import LexiconDiff, LexiconStore
from pipeline.access.roles import Permission
from pipeline.cli.common import acting, fail, settings_of
from pipeline.core.errors import FocuslexError
from pipeline.core.csvfile import csv_file_text
from pipeline.core.formats import count_noun, format_datetime
from pipeline.store.database import Store
from pipeline.privacy.leaks import leak_scanner
from pipeline.privacy.keys import bind_key

EXPORT_FORMATS = ("yaml", "csv", "turtle", "jsonld")


def _open(ctx: click.Context) -> LexiconStore:
    return LexiconStore(Store(settings_of(ctx).database_url))


@click.group("lexicon")
def lexicon() -> None:
    """Het gedeelde lexicon: termen bekijken, importeren, exporteren, bewerken, vrijgeven."""


@lexicon.command("list")
@click.option("--search", "query", default="", help="Zoek in alle labels en definities.")
@click.option("--status", "statuses", multiple=True, type=click.Choice([s.value for s in Status]),
              help="Alleen termen met deze status (herhaalbaar).")
@click.option("--sensitivity", "sensitivities", multiple=True,
              type=click.Choice([s.value for s in Sensitivity]), help="Alleen deze gevoeligheid.")
@click.option("--activity", "activities", multiple=True, type=click.Choice(ACTIVITIES),
              help="Alleen termen bij deze activiteit.")
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
@click.pass_context
def list_terms(ctx: click.Context, query: str, statuses: tuple[str, ...],
               sensitivities: tuple[str, ...], activities: tuple[str, ...], as_json: bool) -> None:
    """Toon de termen (id, voorkeurslabel, status, gevoeligheid, versie)."""
    try:
        entries = _open(ctx).list(query=query, statuses=statuses, sensitivities=sensitivities,
                                  activities=activities)
    except FocuslexError as error:
        fail(error)
    if as_json:
        click.echo(json.dumps([{"id": e.id, "label": e.label, "status": e.status.value,
                                "sensitivity": e.sensitivity.value, "version": e.version,
                                "replaced_by": e.replaced_by} for e in entries],
                              ensure_ascii=False, indent=2))
        return
    if not entries:
        click.echo("Geen termen gevonden.")
        return
    for e in entries:
        extra = f"  → gebruik: {e.replaced_by}" if e.replaced_by else ""
        click.echo(f"{e.id:<30} {e.label:<30} {e.status.value:<14} {e.sensitivity.value:<18} "
                   f"v{e.version}{extra}")
    click.echo(f"{count_noun(len(entries), 'term', 'termen')}.")


@lexicon.command("show")
@click.argument("term_id")
@click.option("--yaml", "as_yaml", is_flag=True, help="De term als YAML (om te bewerken).")
@click.pass_context
def show(ctx: click.Context, term_id: str, as_yaml: bool) -> None:
    """Toon één term met definitie, alternatieven, gevoeligheid en geschiedenis."""
    try:
        store = _open(ctx)
        entry = store.get(term_id)
        history = store.history(term_id)
    except FocuslexError as error:
        fail(error)
    if as_yaml:
        click.echo(dump_entry_yaml(entry), nl=False)
        return
    click.echo(_describe(entry))
    click.echo("Geschiedenis:")
    for revision in history:
        click.echo(f"  {revision.summary()}")


def _describe(entry: Entry) -> str:
    lines = []
    if entry.deprecated:
        lines.append(f"AFGERADEN — gebruik in de plaats: {entry.replaced_by}")
    lines.append(f"{entry.label} ({entry.id}), versie {entry.version}, status: {entry.status.value}")
    other = ", ".join(f"{lang}: {t}" for lang, t in entry.pref_label.items() if lang != "nl-BE")
    if other:
        lines.append(f"  andere talen: {other}")
    lines.append(f"  definitie: {entry.definition}")
    if entry.scope_note:
        lines.append(f"  toepassingsnota: {entry.scope_note}")
    lines.append(f"  gevoeligheid: {entry.sensitivity.value}"
                 + (f" — {entry.sensitivity_note}" if entry.sensitivity_note else ""))
    for alternative in entry.alternatives:
        audience = f" [{alternative.audience}]" if alternative.audience else ""
        note = f": {alternative.note}" if alternative.note else ""
        lines.append(f"  alternatief: {alternative.label}{audience}{note}")
    for key in ("alt_labels", "hidden_labels", "exclusions", "acceptable_contexts",
                "source_guide", "related", "activities"):
        values = getattr(entry, key)
        if values:
            lines.append(f"  {FIELD_LABELS[key]}: {', '.join(values)}")
    if entry.decision is not None:
        d = entry.decision
        lines.append(f"  besluit ({d.date}, {d.meeting or 'vergadering onbekend'}): {d.rationale}")
        for dissent in d.dissent:
            lines.append(f"    afwijkende mening — {dissent.by}: {dissent.note}")
    lines.append(f"  gewijzigd: {format_datetime(entry.modified)} door {entry.modified_by}")
    return "\n".join(lines)


@lexicon.command("import")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--seed", is_flag=True, help="Importeer het meegeleverde startlexicon.")
@click.option("--why", default="", help="Waarom je importeert (standaard: de bestandsnaam).")
@click.pass_context
def import_(ctx: click.Context, path: Path | None, seed: bool, why: str) -> None:
    """Importeer termen uit YAML, CSV of SKOS-Turtle (alles of niets)."""
    if bool(path) == seed:
        raise click.UsageError("Geef een bestand op of gebruik --seed (niet allebei).")
    try:
        by = acting(Permission.CURATE_LEXICON, ctx).name
        entries = load_seed() if seed else read_lexicon_file(path)
        source = "startlexicon" if seed else path.name
        report = _open(ctx).import_entries(entries, by, why or f"Geïmporteerd uit {source}")
    except FocuslexError as error:
        fail(error)
    click.echo(f"{len(report.created)} nieuw, {len(report.updated)} bijgewerkt, "
               f"{len(report.unchanged)} ongewijzigd.")


@lexicon.command("export")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="yaml",
              show_default=True, help="yaml, csv, turtle (SKOS) of jsonld (SKOS).")
@click.option("--out", type=click.Path(path_type=Path), help="Uitvoerbestand (standaard: scherm).")
@click.option("--release", "release", type=int, help="Exporteer een release in plaats van de werkversie.")
@click.pass_context
def export(ctx: click.Context, fmt: str, out: Path | None, release: int | None) -> None:
    """Exporteer het lexicon (de werkversie of een release)."""
    try:
        store = _open(ctx)
        entries = store.release_entries(release) if release is not None else \
            sorted(store.list(), key=lambda e: e.id)
        if fmt == "yaml":
            text = dump_yaml(entries, release=release)
        elif fmt == "csv":
            text = dump_csv(entries, settings_of(ctx).csv)
        else:
            notes = store.change_notes() if release is None else None
            text = dump_skos(entries, "turtle" if fmt == "turtle" else "json-ld",
                             release=release, change_notes=notes)
        _ensure_no_names(ctx, entries, notes if fmt in ("turtle", "jsonld") else None,
                         str(out) if out is not None else "stdout")
    except FocuslexError as error:
        fail(error)
    if out is None:
        click.echo(text, nl=False)
        return
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(csv_file_text(text, settings_of(ctx).csv) if fmt == "csv" else text,
                       encoding="utf-8")
    except OSError as exc:
        fail(FocuslexError("FX-TRM-002", file=str(out), detail=exc.strerror or str(exc)))
    click.echo(f"{count_noun(len(entries), 'term', 'termen')} geschreven naar {out}.", err=True)


def _ensure_no_names(ctx: click.Context, entries: list[Entry], notes: Any, target: str) -> None:
    """The leak scan of an export (FX-PSE-003): examples and notes may quote the
    conversations. Every text of the entries (and change notes) is scanned, except text
    that stands as such in the seed lexicon shipped with focuslex: that is public (its
    literature cites authors, whose first names may be those of participants)."""

    public = set(_strings(load_seed()))
    own = [text for text in _strings(entries) + _strings(notes) if text not in public]
    if own:
        settings = settings_of(ctx)
        leak_scanner(bind_key(settings, Store(settings.database_url))).ensure(
            "\n".join(own), target)


def _strings(value: Any) -> list[str]:
    """Every string inside entries, dicts, lists and tuples."""
    if isinstance(value, str):
        return [value]
    if hasattr(value, "__dataclass_fields__"):
        return [t for name in value.__dataclass_fields__ for t in _strings(getattr(value, name))]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in _strings(k) + _strings(v)]
    if isinstance(value, (list, tuple, set, frozenset)):
        return [t for item in value for t in _strings(item)]
    return []


def _set_pairs(items: tuple[str, ...]) -> list[tuple[str, str]]:
    pairs = []
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            raise click.UsageError(f"--set verwacht VELD=WAARDE, niet '{item}'.")
        pairs.append((name.strip(), value))
    return pairs


@lexicon.command("edit")
@click.argument("term_id")
@click.option("--why", required=True, help="Waarom je dit wijzigt.")
@click.option("--version", "version", type=int,
              help="De versie waarop je wijziging steunt (standaard: de huidige).")
@click.option("--set", "sets", multiple=True, metavar="VELD=WAARDE",
              help="Wijzig een veld; lijsten als YAML, bv. --set 'alt_labels=[a, b]'.")
@click.option("--file", "file", type=click.Path(path_type=Path),
              help="Een bewerkte term als YAML (van 'lexicon show ID --yaml'); de versie in "
                   "het bestand is de versie waarop je wijziging steunt.")
@click.option("--status", type=str, help="Nieuwe status (volgens de workflow).")
@click.option("--replaced-by", "replaced_by", help="Vervangende term bij status 'afgeraden'.")
@click.option("--create", is_flag=True, help="Maak een nieuwe term (met --file of --set).")
@click.pass_context
def edit(ctx: click.Context, term_id: str, why: str, version: int | None,
         sets: tuple[str, ...], file: Path | None, status: str | None,
         replaced_by: str | None, create: bool) -> None:
    """Wijzig een term. Een wijziging op een verouderde versie wordt geweigerd (conflict)."""
    try:
        by = acting(Permission.CURATE_LEXICON, ctx).name
        store = _open(ctx)
        changes = parse_set(_set_pairs(sets))
        if file is not None:
            edited = read_entry_file(file)
            if edited.id != term_id:
                raise click.UsageError(f"Het bestand beschrijft '{edited.id}', niet '{term_id}'.")
            version = edited.version if version is None else version
            changes = {**content_changes(edited), **changes}
        if create:
            entry = store.create({**changes, "id": term_id}, by, why)
            click.echo(f"Term '{entry.id}' aangemaakt (versie 1, status voorstel).")
            return
        if not changes and status is None:
            store.get(term_id)  # an unknown term is reported first
            raise click.UsageError("Geef iets om te wijzigen: --set, --file of --status.")
        current = apply_edit(store, term_id, changes, by=by, why=why, version=version,
                             status=status, replaced_by=replaced_by)
    except FocuslexError as error:
        fail(error)
    click.echo(f"Term '{term_id}' is nu versie {current.version} (status {current.status.value}).")


@lexicon.command("release")
@click.option("--note", default="", help="Toelichting bij de release.")
@click.option("--list", "as_list", is_flag=True, help="Toon de bestaande releases.")
@click.pass_context
def release(ctx: click.Context, note: str, as_list: bool) -> None:
    """Maak een genummerde release (momentopname) van het lexicon, of toon ze (--list)."""
    try:
        store = _open(ctx)
        if as_list:
            releases = store.releases()
            if not releases:
                click.echo("Er zijn nog geen releases.")
            for r in releases:
                click.echo(f"release {r.number}  {format_datetime(r.at)}  {r.by:<20} "
                           f"{count_noun(r.term_count, 'term', 'termen')}  {r.note}")
            return
        info = store.release(acting(Permission.CURATE_LEXICON, ctx).name, note)
    except FocuslexError as error:
        fail(error)
    click.echo(f"Release {info.number} gemaakt met "
               f"{count_noun(info.term_count, 'term', 'termen')}.")


@lexicon.command("diff")
@click.argument("old", type=int)
@click.argument("new", type=int, required=False)
@click.pass_context
def diff(ctx: click.Context, old: int, new: int | None) -> None:
    """Verschillen tussen release OLD en NEW (zonder NEW: de huidige werkversie)."""
    try:
        result = _open(ctx).diff(old, new)
    except FocuslexError as error:
        fail(error)
    click.echo(format_diff(result))


def format_diff(result: LexiconDiff) -> str:
    lines = [f"Verschillen van {result.old} naar {result.new}:"]
    if result.empty:
        lines.append("  geen verschillen")
    for entry in result.added:
        lines.append(f"+ {entry.id} ({entry.label})")
    for entry in result.removed:
        lines.append(f"- {entry.id} ({entry.label})")
    for term_id, changes in result.changed.items():
        lines.append(f"~ {term_id}")
        for name, (before, after) in changes.items():
            lines.append(f"    {FIELD_LABELS.get(name, name)}: {_short(before)} → {_short(after)}")
    return "\n".join(lines)


def _short(value: Any) -> str:
    if value is None or value == [] or value == "":
        return "(leeg)"
    text = value if isinstance(value, str) else yaml.safe_dump(
        value, allow_unicode=True, default_flow_style=True, width=10_000).strip()
    return text if len(text) <= 160 else text[:157] + "..."
