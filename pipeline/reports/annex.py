"""The closing sections: an excerpt of the agreed lexicon and the methods annex."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from lexicon.model import Status, sort_entries
from pipeline.reports.context import ReportContext
from pipeline.reports.overview import dutch_date
from pipeline.reports.model import Block, Bullets, Paragraph, Section, Table
from pipeline.reports.quality import FIGURES

# Sections another area adds (topics, activities): key -> what the annex says when the report
# has no such section.
OPTIONAL_AREAS: dict[str, str] = {
    "topics": "Onderwerpen (topics) per groep en ronde maakten geen deel uit van dit rapport: "
              "er zijn geen onderwerpen berekend voor deze gegevens.",
    "activities": "De matrix van de zes activiteiten van het systeemmodel maakte geen deel "
                  "uit van dit rapport: er zijn geen toegewezen uitspraken voor deze "
                  "gegevens.",
}


def lexicon_section(ctx: ReportContext) -> Section:
    """The terms with status 'afgesproken' in the release (only the report's terms when the
    user chose terms), with the status counts of the whole release."""
    entries = sort_entries(ctx.lexicon.entries.values())
    agreed = [e for e in entries if e.status is Status.AFGESPROKEN
              and (not ctx.options.terms or e.id in ctx.term_ids)]
    limit = ctx.settings.reports.lexicon_excerpt_max
    blocks: list[Block] = [Paragraph(
        f"De termen waarover het transitiecomité een akkoord bereikte (status 'afgesproken') "
        f"in {ctx.lexicon.name} van het lexicon"
        + (", beperkt tot de termen van dit rapport" if ctx.options.terms else "") + ".",
        "lead")]
    if agreed:
        rows = tuple((e.label, e.definition,
                      "; ".join(a.label + (f" ({a.audience})" if a.audience else "")
                                for a in e.alternatives),
                      e.sensitivity.value, e.decision.date if e.decision else "")
                     for e in agreed[:limit])
        blocks.append(Table("lexicon", "Afgesproken termen", ("term", "definitie",
                                                              "voorkeursalternatieven",
                                                              "gevoeligheid", "besluit"),
                            rows, note=(f"De eerste {limit} van {len(agreed)}."
                                        if len(agreed) > limit else "")))
    else:
        blocks.append(Paragraph(f"In {ctx.lexicon.name} heeft nog geen enkele term de status "
                                f"'afgesproken'."))
    counts = Counter(e.status.value for e in entries)
    blocks.append(Table("lexicon-status", "Termen per status in het lexicon",
                        ("status", "termen"),
                        tuple((s.value, counts.get(s.value, 0)) for s in Status),
                        numeric=(False, True)))
    return Section("lexicon", "Uittreksel uit het afgesproken lexicon", blocks=tuple(blocks))


def _limitations(ctx: ReportContext) -> Bullets:
    return Bullets((
        "De zoeker vindt wat het lexicon beschrijft: een term die in een onverwachte vorm, "
        "met een spelfout die niet als verborgen label in het lexicon staat, of als "
        "omschrijving voorkomt, wordt gemist. Ironie en sarcasme worden niet herkend.",
        "Ontkenning en 'enkel vermeld' worden afgeleid uit woorden in de buurt (niet, geen, "
        "aanhalingstekens, 'het woord ...'); een ontkenning verderop in de zin kan gemist "
        "worden.",
        "Betekenisvallen (biodiversiteit, prijsdiscriminatie, inclusief in de zin van "
        "'inbegrepen') worden alleen uitgesloten als het lexicon ze als uitsluiting kent.",
        "Namen: een naam van één woord die ook een gewoon Nederlands woord is (een "
        "voornaam als een bloemnaam, een beroep als achternaam) wordt alleen vervangen met een "
        "aanwijzing (titel, functie). Elk rapport wordt vóór "
        "het wegschrijven gecontroleerd op de namen uit de pseudoniemsleutel; namen die daar "
        "niet in staan kan die controle niet vinden.",
        "Kleine groepen: bij weinig woorden schommelt 'per 10.000 woorden' sterk; één "
        "spreker kan het beeld van een groep bepalen. Lees de aantallen mee.",
        "Citaten zijn gekozen volgens een vaste regel en illustreren; ze zijn geen "
        "steekproef en zeggen niets over hoe vaak een standpunt voorkomt.",
        "Verklaringen hebben geen sprekers en meestal geen ronde: ze tellen mee bij de groep "
        "van de auteur en bij 'zonder ronde'.",
        f"De definities komen uit {ctx.lexicon.name}; de termgebruiken uit de laatste "
        f"analyse. Is het lexicon sindsdien veranderd, voer dan 'focuslex analyse' opnieuw "
        f"uit voor een rapport dat helemaal bij de release past.",
    ))


def _quality_table() -> Table:
    return Table("kwaliteit", "Gemeten kwaliteit", ("wat", "resultaat", "gemeten op", "bron"),
                 tuple((f.what, f.figure, f.data, f"focuslex-documentatie ({f.source})")
                       for f in FIGURES),
                 note="Overgenomen uit de documentatie van focuslex (benchmarks); niet "
                      "opnieuw gemeten op de gegevens van dit rapport.")


def _changed_since_analysis(ctx: ReportContext) -> bool:
    """Whether a lexicon revision came after the analysis: by the revision the run recorded
    (as the stale banners do), else by time to the second (revisions keep whole seconds,
    so a change in the second the run started counts as later)."""
    if ctx.analysis_run is None or not ctx.lexicon_changed_at:
        return False
    seen = (ctx.analysis_run.details or {}).get("lexicon_revision")
    if seen is not None:
        return ctx.lexicon_revision > int(seen)
    started = ctx.analysis_run.started_at
    if started.tzinfo is None:  # SQLite gives naive UTC
        started = started.replace(tzinfo=dt.timezone.utc)
    return dt.datetime.fromisoformat(ctx.lexicon_changed_at) >= started.replace(microsecond=0)


def _analysis_note(ctx: ReportContext) -> Paragraph | None:
    """Say so when the analysis matched another lexicon than the one quoted here, or when
    the lexicon changed after the analysis."""
    details = (ctx.analysis_run.details or {}) if ctx.analysis_run is not None else {}
    source = (details.get("lexicon") or {}).get("source", "")
    changed = _changed_since_analysis(ctx)
    if source == "database" and not changed:
        return None
    when = (dutch_date(ctx.analysis_run.started_at.replace(tzinfo=dt.timezone.utc))
            if ctx.analysis_run is not None else "")
    used = ("het lexicon in de database" if source == "database" else
            f"een ander lexicon ({source})" if source else "een onbekend lexicon")
    return Paragraph(
        f"Let op: de termgebruiken komen uit de analyse van {when} met {used}"
        + ("; het lexicon is daarna nog gewijzigd (een status, definitie of woordvorm)"
           if changed else "") + f". De definities en "
        f"statussen in dit rapport komen uit {ctx.lexicon.name}. Woordvormen die na de "
        f"analyse zijn toegevoegd, zijn nog niet gezocht: voer 'focuslex analyse' opnieuw "
        f"uit voor een rapport dat daar ook rekening mee houdt.", "note")


def methods_section(ctx: ReportContext) -> Section:
    """How everything was found, the measured quality, the limitations. Collects the
    `methods` blocks of the sections built before it."""
    blocks: list[Block] = [Paragraph(
        "Gegevens. Transcripten en verklaringen werden opgeladen en meteen gepseudonimiseerd: "
        "sprekers kregen een code en namen in de tekst werden vervangen voordat iets werd "
        "opgeslagen. Het rapport gebruikt alleen die gepseudonimiseerde teksten.")]
    note = _analysis_note(ctx)
    if note is not None:
        blocks.append(note)
    for section in ctx.sections:
        blocks += section.methods
    blocks += [Paragraph(text) for key, text in OPTIONAL_AREAS.items()
               if not ctx.has_section(key)]
    blocks += [_quality_table(), Paragraph("Beperkingen:"), _limitations(ctx)]
    return Section("methods", "Bijlage: werkwijze", blocks=tuple(blocks))
