"""Bring stale results up to date: the parts `pipeline.analysis.freshness` names, in the
order of `focuslex analyse` (term hits, then topics, then activity suggestions on the same
units and encoder). The app's stale banners call this; it lives here, at the top of the
analysis layers, because it runs all three.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.activities.suggest import suggest_activities
from pipeline.core.errors import FocuslexError
from pipeline.core.formats import count_noun
from pipeline.core.settings import Settings
from pipeline.store.database import Store
from pipeline.terms.run import run_analysis
from pipeline.topics.embeddings import Encoder
from pipeline.topics.run import load_units, run_topics

log = logging.getLogger(__name__)
ORDER = ("terms", "topics", "activities")
SKIPPED = "skipped"  # the status of a topics run left out for too few units


@dataclass
class RefreshReport:
    """What was brought up to date, in Dutch lines; `skipped`: the Dutch reason a part was
    left out (too little text for topics)."""

    done: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def refresh_results(settings: Settings, store: Store, parts: Sequence[str], *,
                    nlp: Any = None, encoder: Callable[[], Encoder] | None = None,
                    progress: Callable[[int, int, str], None] | None = None) -> RefreshReport:
    """Run the analysis parts in `parts` ('terms', 'topics', 'activities'); topics and
    activities share their units and encoder (`encoder`: a function that gives the loaded
    one, else `pipeline.topics.embeddings.load_encoder` through the runs). Topics with too
    few units (FX-TOP-001) are skipped with the reason; every other error is raised."""
    report = RefreshReport()
    wanted = [p for p in ORDER if p in parts]
    if "terms" in wanted:
        result = run_analysis(settings, store, nlp=nlp, progress=progress)
        report.done.append("terms")
        report.lines.append(f"Termen: {count_noun(result.hits, 'termgebruik', 'termgebruiken')}"
                            f" in {count_noun(result.documents, 'document', 'documenten')}.")
    if not {"topics", "activities"} & set(wanted):
        return report
    units = load_units(settings, store)
    loaded = encoder() if encoder is not None else None
    if "topics" in wanted:
        try:
            topics = run_topics(settings, store, encoder=loaded, units=units)
        except FocuslexError as error:
            if error.code != "FX-TOP-001":
                raise
            # recorded, so the banner does not offer the same refresh again and again
            run_id = store.start_run("topics", {"units": len(units)})
            store.finish_run(run_id, SKIPPED, {"error": error.code})
            report.skipped.append(error.message)
        else:
            report.done.append("topics")
            report.lines.append(
                f"Onderwerpen: {count_noun(topics.topics, 'onderwerp', 'onderwerpen')} in "
                f"{count_noun(topics.units, 'fragment', 'fragmenten')}.")
    if "activities" in wanted:
        activities = suggest_activities(settings, store, encoder=loaded, units=units)
        report.done.append("activities")
        report.lines.append("Activiteiten: "
                            f"{count_noun(activities.suggestions, 'voorstel', 'voorstellen')}.")
    log.info("refreshed %s", ", ".join(report.done))
    return report
