"""Section "Gevoelige termen": per term its lexicon entry (definition, status, alternatives),
how often it was used per group and round, use vs mention, negation, representative quotes
and collocations. Built from the analysis services (`pipeline.analysis`)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lexicon.model import Entry
from pipeline.analysis.collocations import (ALL_GROUPS, cached_token_tables, find_collocations,
                                            text_segments)
from pipeline.analysis.comparison import (NO_ROUND, PER, dispersion, group_round_table,
                                          words_by)
from pipeline.analysis.concordance import MENTION_CUES, MENTION_LABELS, filter_hits
from pipeline.core.formats import count_noun, format_int
from pipeline.reports.charts import bar_chart, heatmap
from pipeline.reports.context import ReportContext
from pipeline.reports.model import Block, Chart, Facts, Paragraph, Section, Table
from pipeline.reports.quotes import choose_quotes

STATUS_NOTES = {"voorstel": "voorstel (nog niet besproken)",
                "in bespreking": "in bespreking in het transitiecomité",
                "afgesproken": "afgesproken", "omstreden": "omstreden (geen akkoord)",
                "afgeraden": "afgeraden"}


def _rounds(ctx: ReportContext) -> list[str]:
    return list(words_by(ctx.counts, "round"))


def _round_name(key: str) -> str:
    return f"ronde {key}" if key != NO_ROUND else NO_ROUND


def entry_facts(entry: Entry | None, ctx: ReportContext) -> Facts:
    """Definition, status and alternatives from the lexicon release."""
    if entry is None:
        return Facts((("Lexicon", f"Deze term staat niet in {ctx.lexicon.name} van het "
                                  "lexicon."),))
    items = [("Definitie", entry.definition or "(geen definitie)"),
             ("Status", STATUS_NOTES.get(entry.status.value, entry.status.value)
              + (f", besluit van {entry.decision.date}" if entry.decision else "")),
             ("Gevoeligheid", entry.sensitivity.value)]
    if entry.sensitivity_note:
        items.append(("Waarom gevoelig", entry.sensitivity_note))
    if entry.alternatives:
        items.append(("Voorkeursalternatieven", "; ".join(
            a.label + (f" ({a.audience})" if a.audience else "") for a in entry.alternatives)))
    if entry.replaced_by:
        other = ctx.lexicon.entries.get(entry.replaced_by)
        items.append(("Vervangen door", other.label if other else entry.replaced_by))
    if entry.decision and entry.decision.dissent:
        items.append(("Afwijkende mening", "; ".join(
            f"{d.by}: {d.note}" for d in entry.decision.dissent)))
    return Facts(tuple(items))


def frequency_table(ctx: ReportContext, term_id: str, hits: pd.DataFrame) -> Table:
    """Uses per group (rows) and round (columns), with totals and the rate per 10,000
    words."""
    grid = group_round_table(hits, ctx.counts)
    rounds = _rounds(ctx)
    grid = grid.reindex(columns=rounds, fill_value=0)
    words = words_by(ctx.counts, "group")
    rows = []
    for group in grid.index:
        total = int(grid.loc[group].sum())
        rate = total * PER / words[group] if words.get(group) else 0.0
        rows.append((group, *(int(v) for v in grid.loc[group]), total, round(rate, 2)))
    rows.sort(key=lambda r: (-r[-2], str(r[0]).casefold()))
    columns = ("groep", *(_round_name(r) for r in rounds), "totaal", "per 10.000 woorden")
    return Table(f"frequentie-{term_id}", "Gebruik per groep en ronde", columns, tuple(rows),
                 numeric=(False, *([True] * (len(rounds) + 2))),
                 sheet="Gebruik per groep en ronde", row_label=ctx.label(term_id))


def frequency_chart(ctx: ReportContext, term_id: str, hits: pd.DataFrame) -> Chart:
    rates = group_round_table(hits, ctx.counts, per_10k=True)
    counts = group_round_table(hits, ctx.counts)
    rounds = [r for r in _rounds(ctx) if r in rates.columns]
    totals = counts.sum(axis=1)
    groups = sorted((g for g in rates.index if g in counts.index),
                    key=lambda g: (-int(totals[g]), str(g).casefold()))  # as in the table
    cells = [(g, _round_name(r), float(rates.loc[g, r]), int(counts.loc[g, r]))
             for g in groups for r in rounds if not pd.isna(rates.loc[g, r])]
    label = ctx.label(term_id)
    return heatmap(f"heatmap-{term_id}", f"{label}: gebruik per 10.000 woorden", cells,
                   groups=groups, rounds=[_round_name(r) for r in rounds],
                   alt_text=f"Warmtekaart: hoe vaak '{label}' per 10.000 woorden gebruikt "
                            "werd, per stakeholdergroep (rijen) en ronde (kolommen); tussen "
                            "haakjes het aantal keer. Geen vak: die groep sprak niet in die "
                            "ronde.")


def mention_table(ctx: ReportContext, term_id: str, hits: pd.DataFrame) -> Table:
    total = len(hits)
    rows = []
    for cue in ("", *MENTION_CUES):
        n = int((hits["mention"] == cue).sum())
        if n or cue == "":
            rows.append((MENTION_LABELS[cue], n, round(100.0 * n / total, 1) if total else 0.0))
    negated = int(hits["negated"].astype(bool).sum())
    rows.append(("ontkend (in elk van de soorten hierboven)", negated,
                 round(100.0 * negated / total, 1) if total else 0.0))
    return Table(f"gebruik-{term_id}", "Gebruik of vermelding, en ontkenning",
                 ("soort", "aantal", "%"), tuple(rows), numeric=(False, True, True),
                 sheet="Gebruik of vermelding", row_label=ctx.label(term_id))


def collocation_table(ctx: ReportContext, term_id: str, colls: pd.DataFrame) -> Table | None:
    rows = colls[(colls["term_id"] == term_id) & (colls["group"] == ALL_GROUPS)]
    rows = rows.head(ctx.settings.reports.collocations_per_term)
    if not len(rows):
        return None
    return Table(f"collocaties-{term_id}", "Woorden die vaak in de buurt staan (collocaties)",
                 ("woord", "samen", "verwacht", "G²", "logDice"),
                 tuple((str(r.collocate), int(r.cooc), round(float(r.expected), 2),
                        round(float(r.g2), 2), round(float(r.log_dice), 2))
                       for r in rows.itertuples(index=False)),
                 numeric=(False, True, True, True, True),
                 sheet="Collocaties", row_label=ctx.label(term_id))


def usage_paragraph(ctx: ReportContext, term_id: str, hits: pd.DataFrame) -> Paragraph:
    spread = dispersion(hits).iloc[0]
    negated = int(hits["negated"].astype(bool).sum())
    mentioned = int((hits["mention"] != "").sum())
    return Paragraph(
        f"'{ctx.label(term_id)}' werd {format_int(spread['hits'])} keer gebruikt door "
        f"{count_noun(spread['speakers'], 'spreker', 'sprekers')} in "
        f"{count_noun(spread['documents'], 'document', 'documenten')} "
        f"({count_noun(spread['groups'], 'groep', 'groepen')}, "
        f"{count_noun(spread['rounds'], 'ronde', 'rondes')}). "
        f"{negated} keer stond de term in een ontkenning; {mentioned} keer werd het woord "
        f"vermeld (aangehaald, op afstand gezet, benoemd of afgewezen) in plaats van gewoon "
        f"gebruikt.")


def term_section(ctx: ReportContext, term_id: str, colls: pd.DataFrame) -> Section:
    hits = filter_hits(ctx.hits, term=term_id)
    blocks: list[Block] = [entry_facts(ctx.lexicon.entries.get(term_id), ctx),
                           usage_paragraph(ctx, term_id, hits),
                           frequency_table(ctx, term_id, hits),
                           frequency_chart(ctx, term_id, hits),
                           mention_table(ctx, term_id, hits)]
    facilitators = frozenset(code for code, s in ctx.speakers.items()
                             if s.role == "facilitator")
    quotes = choose_quotes(hits, ctx.texts, ctx.settings.reports, facilitators)
    if quotes:
        blocks.append(Paragraph("Citaten (gekozen volgens de vaste regel in de bijlage):",
                                "note"))
        blocks += quotes
    table = collocation_table(ctx, term_id, colls)
    blocks.append(table if table is not None else Paragraph(
        "Geen woorden die vaak genoeg in de buurt van deze term staan om als collocatie te "
        "tellen.", "note"))
    return Section(f"term-{term_id}", ctx.label(term_id), blocks=tuple(blocks))


def _overview_table(ctx: ReportContext) -> Table:
    spread = dispersion(ctx.hits).set_index("term_id")
    words = int(ctx.counts["words"].sum()) if len(ctx.counts) else 0
    rows = []
    for term_id in ctx.term_ids:
        entry = ctx.lexicon.entries.get(term_id)
        hits = ctx.hits[ctx.hits["term_id"] == term_id]
        n = int(spread.loc[term_id, "hits"])
        rows.append((ctx.label(term_id), entry.status.value if entry else "niet in lexicon",
                     entry.sensitivity.value if entry else "", n,
                     round(n * PER / words, 2) if words else 0.0,
                     int(spread.loc[term_id, "speakers"]), int(spread.loc[term_id, "groups"]),
                     int(hits["negated"].astype(bool).sum()),
                     int((hits["mention"] != "").sum())))
    return Table("termen", "Termen in dit rapport",
                 ("term", "status", "gevoeligheid", "gebruik", "per 10.000 woorden",
                  "sprekers", "groepen", "ontkend", "vermeld"), tuple(rows),
                 numeric=(False, False, False, True, True, True, True, True, True))


def collocations(ctx: ReportContext) -> pd.DataFrame:
    """Collocations of the report's terms over the selection, with lemmas from the token
    cache of the last analysis where present."""
    tables = cached_token_tables(ctx.store, Path(ctx.settings.paths.cache_dir), ctx.utterances)
    segments = text_segments(ctx.utterances, tables)
    return find_collocations(segments, ctx.hits, terms=ctx.term_ids,
                             min_count=ctx.settings.reports.collocation_min_count)


def terms_section(ctx: ReportContext) -> Section:
    """One subsection per term of the report, most used first."""
    counts = ctx.hits["term_id"].value_counts()
    top = [(ctx.label(t), int(counts[t])) for t in ctx.term_ids[:25]]
    chart = bar_chart("gebruik-per-term", "Gebruik per term", top, category="term",
                      value="aantal keer gebruikt",
                      alt_text="Staafdiagram: hoe vaak elke term gebruikt werd, meest "
                               "gebruikte eerst" + (" (de 25 meest gebruikte)."
                                                    if len(ctx.term_ids) > 25 else "."))
    colls = collocations(ctx)
    intro = Paragraph(
        f"Per term: de definitie en status uit {ctx.lexicon.name} van het lexicon, hoe vaak "
        f"en in welke groepen en rondes de term gebruikt werd, of hij gebruikt of enkel "
        f"vermeld werd, ontkenningen, citaten en de woorden die er vaak bij staan.", "lead")
    subsections = tuple(term_section(ctx, t, colls) for t in ctx.term_ids)
    return Section("terms", "Gevoelige termen", blocks=(intro, _overview_table(ctx), chart),
                   subsections=subsections, methods=terms_methods(ctx))


def terms_methods(ctx: ReportContext) -> tuple[Block, ...]:
    r = ctx.settings.reports
    return (
        Paragraph(
            "Termen vinden. Elke tekst werd ontleed met een Nederlandse spaCy-taalpijplijn "
            "(woordsoort, lemma, zinsbouw). Een zoeker die uit het lexicon gebouwd wordt, "
            "vindt elke term in al zijn vormen: verbuigingen (lemma's), samenstellingen "
            "(integratiebeleid, antiracisme), termen van meer woorden (onbewust racisme) en "
            "de woordvormen die het lexicon opsomt, met uitzondering van de uitsluitingen "
            "per term (biodiversiteit, prijsdiscriminatie). Per gebruik wordt bijgehouden of "
            "het in een ontkenning staat en of het woord enkel vermeld wordt (tussen "
            "aanhalingstekens, op afstand gezet, benoemd of afgewezen)."),
        Paragraph(
            "Frequenties. 'Per 10.000 woorden' deelt het aantal keer door het aantal woorden "
            "van die groep (in die ronde), zodat groepen die meer spraken niet vanzelf hoger "
            "scoren. Woorden zijn geteld zoals op de overzichtspagina: door spaties "
            "gescheiden, per beurt, in de groep van de spreker."),
        Paragraph(
            f"Collocaties. Inhoudswoorden (lemma's van zelfstandige naamwoorden, eigennamen, "
            f"bijvoeglijke naamwoorden, werkwoorden en bijwoorden) binnen 5 woorden links en "
            f"rechts van de term, binnen dezelfde beurt, die er minstens "
            f"{r.collocation_min_count} keer bij staan en vaker dan verwacht. Gerangschikt "
            f"volgens log-likelihood (G²; boven 3,84 is significant bij p < 0,05); logDice "
            f"(hoogstens 14) meet hoe exclusief het woordpaar is. Hoogstens "
            f"{r.collocations_per_term} per term."),
        Paragraph(
            f"Citaten. Per term hoogstens {count_noun(r.quotes_per_term, 'citaat', 'citaten')}"
            f", gekozen volgens een "
            f"vaste regel, niet willekeurig: kandidaten zijn de zinnen van deelnemers en "
            f"verklaringen (van begeleiders alleen als niemand anders de term gebruikte) met "
            f"minstens {count_noun(r.quote_min_words, 'woord', 'woorden')}; de groepen komen om beurten aan bod, de "
            f"groep die de term het vaakst gebruikte eerst; binnen een groep gaat een gewoon gebruik "
            f"voor een ontkend of enkel vermeld gebruik, dan de zin waarvan de lengte het "
            f"dichtst bij de mediaan ligt (typisch, niet extreem), dan het vroegste (ronde, "
            f"document, plaats). Elke spreker wordt per term hoogstens één keer geciteerd "
            f"zolang er andere sprekers zijn. Zinnen langer dan "
            f"{count_noun(r.quote_max_chars, 'teken', 'tekens')} "
            f"worden rond de term ingekort (…)."),
    )
