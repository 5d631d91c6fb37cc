"""Measured quality figures that a report's methods annex quotes.

They are not computed while building a report: they are the figures the benchmarks measured
and the maintainer documentation records (README.md, models/README.md). Each figure names its
document and the exact text there that states it; `tests/test_reports.py` checks that the text
is still in that document, so the annex cannot drift from the documented measurements.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QualityFigure:
    what: str        # Dutch: what was measured
    figure: str      # Dutch: the figure as the report shows it
    data: str        # Dutch: on what, and whether it was tuned on (dev) or held out (test)
    source: str      # the document (repository path) that records it
    evidence: str    # the exact text in `source` that states it


FIGURES: tuple[QualityFigure, ...] = (
    QualityFigure(
        "Termherkenning (de zoeker van focuslex)", "precisie 0,998; recall 0,997",
        "antwoordsleutel van het fictieve democorpus, 1.069 termgebruiken; ontwikkelset "
        "(de zoeker werd erop afgesteld), dus geen onafhankelijke toets",
        "README.md", "corpus) precision 0.998, recall 0.997"),
    QualityFigure(
        "Termherkenning op een achtergehouden testset", "precisie 0,938; recall 0,978",
        "56 passages geschreven voor focuslex, vastgelegd vóór het afstellen (testset)",
        "README.md", "frozen before tuning) precision 0.938, recall 0.978"),
    QualityFigure(
        "Termherkenning met zoeken op het voorkeurslabel (Ctrl+F, ter vergelijking)",
        "precisie 0,870; recall 0,852", "dezelfde antwoordsleutel",
        "README.md", "precision 0.870, recall 0.852"),
    QualityFigure(
        "Personen herkennen en vervangen (recall) en organisaties, plaatsen en woorden laten "
        "staan (precisie)", "recall 1,000 (55/55); precisie 0,980 (148/151)",
        "achtergehouden testdeel van een goudset van 428 vermeldingen (tekst geschreven voor "
        "focuslex en echte parlementaire teksten en wetten)",
        "README.md", "| test (held out) | 1.000 (55/55) | 0.980 (148/151) |"),
    QualityFigure(
        "Meegeleverde taalpijplijn nl_focuslex_sm 0.1.0: woordsoort, lemma, zinsbouw (LAS)",
        "UPOS 95,7; lemma 97,0; LAS 70,7",
        "30 achtergehouden Wikipedia-artikels uit UD Dutch LassySmall (testset, niet gebruikt "
        "bij het trainen)",
        "models/README.md", "| **95.7** | 92.9 | **97.0** | 75.6 | **70.7** |"),
)
