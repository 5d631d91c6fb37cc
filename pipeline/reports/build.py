"""Build the document model of a report, once, from a loaded `ReportContext`.

A section is made by a function `(ReportContext) -> Section | None`; `SECTIONS` lists them
in report order. None means "nothing to say here" (no topics stored: no topics section).
Each builder sees the sections built before it in `ctx.sections`, so the methods annex knows
what the report contains. To add an area (topics, activities), write its builder in its own
module of this package and put it in `SECTIONS` at its place (after `terms_section`, before
`lexicon_section`); give its Section the key "topics" or "activities" and put its method
description in `Section.methods`.
"""

from __future__ import annotations

from collections.abc import Callable

from pipeline.core.settings import Settings
from pipeline.reports.annex import lexicon_section, methods_section
from pipeline.reports.context import ReportContext, ReportOptions, load_context
from pipeline.reports.model import Report, Section
from pipeline.reports.overview import dutch_date, overview_section, summary_facts
from pipeline.reports.record import record_section, run_record
from pipeline.reports.term_sections import terms_section
from pipeline.store.database import Store

SectionBuilder = Callable[[ReportContext], "Section | None"]

# The report, in order. topics_section and activities_section go between terms_section and
# lexicon_section.
SECTIONS: tuple[SectionBuilder, ...] = (
    overview_section,
    terms_section,
    lexicon_section,
    methods_section,
)

TITLE = "Gedeelde taal in de focusgroepen"


def build_report(ctx: ReportContext,
                 sections: tuple[SectionBuilder, ...] = SECTIONS) -> Report:
    """The report of `ctx`: every builder of `sections` in order, then the run record."""
    ctx.sections.clear()
    for builder in sections:
        section = builder(ctx)
        if section is not None:
            ctx.sections.append(section)
    record = run_record(ctx)
    subtitle = f"Hoe gevoelige termen gebruikt werden · {dutch_date(ctx.created)}"
    return Report(title=TITLE, subtitle=subtitle,
                  sections=(*ctx.sections, record_section(record)), record=record,
                  summary=summary_facts(ctx), created_text=dutch_date(ctx.created, True))


def make_report(store: Store, settings: Settings, options: ReportOptions) -> Report:
    """Load the context and build the report (what the CLI and the app call)."""
    return build_report(load_context(store, settings, options))
