"""Section "Wat werd geanalyseerd": documents, rounds, groups, speakers and words in the
selection, and the lexicon release the report quotes."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from pipeline.analysis.comparison import NO_ROUND, round_key, words_by
from pipeline.core.formats import count_noun, selection_parts
from pipeline.reports.charts import bar_chart
from pipeline.reports.context import ReportContext
from pipeline.reports.model import Paragraph, Section, Table


MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")


def dutch_date(moment: dt.datetime, with_time: bool = False) -> str:
    """1 juni 2026 (and ', 10:00 UTC')."""
    moment = moment.astimezone(dt.timezone.utc)
    text = f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"
    return text + (f", {moment:%H:%M} UTC" if with_time else "")


def dutch_number(value: float, decimals: int = 0) -> str:
    """1.234 / 3,5: Dutch thousands separator and decimal comma."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def _kinds(ctx: ReportContext) -> tuple[int, int]:
    transcripts = sum(1 for d in ctx.documents if d.kind == "transcript")
    return transcripts, len(ctx.documents) - transcripts


def facilitator_groups(ctx: ReportContext) -> list[str]:
    """Groups whose speakers are all facilitators (the process team, not stakeholders)."""
    roles: dict[str, set[str]] = defaultdict(set)
    for u in ctx.utterances:
        if u.speaker and u.speaker in ctx.speakers:
            roles[u.group].add(ctx.speakers[u.speaker].role)
    return sorted(g for g, found in roles.items() if found == {"facilitator"})


def summary_facts(ctx: ReportContext) -> tuple[tuple[str, str], ...]:
    """The figures on the first page of the report."""
    transcripts, statements = _kinds(ctx)
    speakers = {u.speaker for u in ctx.utterances if u.speaker}
    words = sum(len(u.text.split()) for u in ctx.utterances)
    rounds = sorted({u.round for u in ctx.utterances if u.round is not None})
    groups = sorted({u.group for u in ctx.utterances}, key=str.casefold)
    facilitating = facilitator_groups(ctx)
    stakeholders = [g for g in groups if g not in facilitating]
    group_text = f"{len(stakeholders)}: " + ", ".join(stakeholders)
    if facilitating:
        group_text += " (en de begeleiders: " + ", ".join(facilitating) + ")"
    released = ""
    if ctx.lexicon.released_at:
        released = " van " + dutch_date(dt.datetime.fromisoformat(ctx.lexicon.released_at))
    return (
        ("Documenten", f"{dutch_number(len(ctx.documents))} "
                       f"({count_noun(transcripts, 'transcript', 'transcripten')}, "
                       f"{count_noun(statements, 'verklaring', 'verklaringen')})"),
        ("Rondes", ", ".join(map(str, rounds)) or "geen"),
        ("Stakeholdergroepen", group_text),
        ("Sprekers aan het woord", str(len(speakers))),
        ("Woorden", dutch_number(words) + (f" (selectie: {_selection_label(ctx)})"
                                           if _selection_label(ctx) else "")),
        ("Gebruik van lexicontermen", f"{dutch_number(len(ctx.hits))} keer, "
                                      f"{count_noun(len(ctx.term_ids), 'term', 'termen')}"),
        ("Lexicon", ctx.lexicon.name + released),
    )


def _rounds_table(ctx: ReportContext) -> Table:
    words = words_by(ctx.counts, "round")
    info: dict[str, dict[str, object]] = defaultdict(dict)
    for d in ctx.documents:
        key = round_key(d.round)
        row = info[key]
        row["docs"] = int(row.get("docs", 0)) + 1  # type: ignore[call-overload]
        if d.date and not row.get("date"):
            row["date"] = d.date
        if d.prompt and not row.get("prompt"):
            row["prompt"] = d.prompt
    rows = tuple((key if key != NO_ROUND else "zonder ronde (verklaringen)",
                  str(info[key].get("date", "")), str(info[key].get("prompt", "")),
                  int(info[key].get("docs", 0)), words.get(key, 0))  # type: ignore[arg-type]
                 for key in words)
    return Table("rondes", "Rondes", ("ronde", "datum", "leidvraag", "documenten", "woorden"),
                 rows, numeric=(False, False, False, True, True))


def _groups_table(ctx: ReportContext) -> Table:
    speakers: dict[str, set[str]] = defaultdict(set)
    turns: dict[str, int] = defaultdict(int)
    for u in ctx.utterances:
        turns[u.group] += 1
        if u.speaker:
            speakers[u.group].add(u.speaker)
    words = words_by(ctx.counts, "group")
    order = sorted(words, key=lambda g: (-words[g], g.casefold()))
    rows = tuple((g, len(speakers[g]), turns[g], words[g]) for g in order)
    return Table("groepen", "Stakeholdergroepen", ("groep", "sprekers", "beurten", "woorden"),
                 rows, note="Een verklaring telt bij de groep van haar auteur; beurten "
                 "zijn sprekersbeurten of alinea's van een verklaring.",
                 numeric=(False, True, True, True))


def _selection_words(ctx: ReportContext) -> dict[int, int]:
    """Words per document id, counted over the utterances of the selection (as the facts)."""
    words: dict[int, int] = defaultdict(int)
    for u in ctx.utterances:
        words[u.document_id] += len(u.text.split())
    return words


def _documents_table(ctx: ReportContext) -> Table:
    """One row per document. The words are those of the selection, so the column adds up to
    'Woorden' in the facts; when groups or rounds narrow the report, a second column gives
    the whole document, with labels that say which is which."""
    words = _selection_words(ctx)
    narrowed = bool(ctx.options.groups or ctx.options.rounds)
    rows = tuple((d.file_name, "transcript" if d.kind == "transcript" else "verklaring",
                  round_key(d.round) if d.round is not None else "",
                  d.group or d.organisation or d.focus_group, words.get(d.id, 0),
                  *((d.word_count,) if narrowed else ()))
                 for d in ctx.documents)
    columns = ("bestand", "soort", "ronde", "groep of organisatie")
    if not narrowed:
        return Table("documenten", "Documenten", (*columns, "woorden"), rows,
                     numeric=(False, False, False, False, True))
    return Table("documenten", "Documenten", (*columns, "woorden (selectie)",
                                              "woorden (heel document)"), rows,
                 note=f"'Woorden (selectie)' telt alleen de beurten van de selectie "
                      f"({_selection_label(ctx)}); samen zijn dat de "
                      f"{dutch_number(sum(words.values()))} woorden van dit rapport. "
                      f"'Woorden (heel document)' telt het hele bestand, alle groepen en "
                      f"sprekers samen.",
                 numeric=(False, False, False, False, True, True))


def _selection_label(ctx: ReportContext) -> str:
    """'groep vakbond; rondes 1, 2'."""
    return "; ".join(selection_parts(ctx.options.groups, ctx.options.rounds))


def overview_section(ctx: ReportContext) -> Section:
    """What was analysed, in figures and tables."""
    transcripts, statements = _kinds(ctx)
    words = words_by(ctx.counts, "group")
    order = sorted(words, key=lambda g: (-words[g], g.casefold()))
    chart = bar_chart("woorden-per-groep", "Woorden per stakeholdergroep",
                      [(g, words[g]) for g in order], category="groep", value="woorden",
                      alt_text="Staafdiagram: aantal gesproken of geschreven woorden per "
                               "stakeholdergroep, grootste eerst.")
    lead = Paragraph(
        f"Dit rapport beschrijft hoe de gevoelige termen uit het gedeelde lexicon gebruikt "
        f"werden in {count_noun(transcripts, 'transcript', 'transcripten')} van "
        f"focusgroepgesprekken en "
        f"{count_noun(statements, 'schriftelijke verklaring', 'schriftelijke verklaringen')} "
        f"van stakeholders. Alle namen zijn vervangen door codes "
        f"(P07 voor een deelnemer, FAC1 voor een begeleider, [PERSOON-3] voor iemand anders).",
        "lead")
    return Section("analysed", "Wat werd geanalyseerd", blocks=(
        lead, _rounds_table(ctx), _groups_table(ctx), chart,
        _documents_table(ctx)))
