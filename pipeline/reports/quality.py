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
        "Termherkenning (de zoeker van focuslex)", "precisie 0,999; recall 0,997",
        "antwoordsleutel van het fictieve democorpus, 1.070 termgebruiken; ontwikkelset "
        "(de zoeker werd erop afgesteld), dus geen onafhankelijke toets",
        "README.md", "precision 0.999, recall 0.997"),
    QualityFigure(
        "Termherkenning met zoeken op het voorkeurslabel (Ctrl+F, ter vergelijking)",
        "precisie 0,870; recall 0,852", "dezelfde antwoordsleutel",
        "README.md", "precision 0.870, recall 0.852"),
    QualityFigure(
        "Namen herkennen en vervangen bij het opladen", "recall 0,997; precisie 0,984",
        "de 362 gemarkeerde namen in het democorpus, met de deelnemerslijst",
        "README.md", "recall is 0.997 and precision 0.984 at ingest"),
    QualityFigure(
        "Meegeleverde taalpijplijn nl_focuslex_sm 0.1.0: woordsoort, lemma, zinsbouw (LAS)",
        "UPOS 95,7; lemma 97,0; LAS 70,7",
        "30 achtergehouden Wikipedia-artikels uit UD Dutch LassySmall (testset, niet gebruikt "
        "bij het trainen)",
        "models/README.md", "| **95.7** | 92.9 | **97.0** | 75.6 | **70.7** |"),
)
