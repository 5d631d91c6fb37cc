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
        "Termherkenning (de zoeker van focuslex)", "precisie 0,999; recall 0,995",
        "antwoordsleutel van het fictieve democorpus, 1.070 termgebruiken; ontwikkelset "
        "(de zoeker werd erop afgesteld), dus geen onafhankelijke toets",
        "README.md", "| demo answer key | 1,070 | 0.999 / 0.996 | 0.999 / 0.995 |"),
    QualityFigure(
        "Termherkenning met zoeken op het voorkeurslabel (Ctrl+F, ter vergelijking)",
        "precisie 0,870; recall 0,852", "dezelfde antwoordsleutel van het democorpus",
        "README.md", "| 0.870 / 0.852 |"),
    QualityFigure(
        "Termherkenning op de vroegere testset", "precisie 1,000; recall 1,000",
        "56 passages geschreven voor focuslex; testset tot sessie 2, sindsdien ontwikkelset "
        "(de zoeker werd erop afgesteld), dus geen onafhankelijke toets",
        "README.md", "| 46 | 0.979 / 1.000 | 1.000 / 1.000 |"),
    QualityFigure(
        "Termherkenning op de tweede vroegere testset", "precisie 1,000; recall 1,000",
        "108 passages geschreven voor focuslex (beleidstekst, gesprekken, beschadigde "
        "PDF-tekst); testset tot sessie 3 (toen precisie 0,950 en recall 0,966), sindsdien "
        "ontwikkelset (de zoeker werd erop afgesteld), dus geen onafhankelijke toets",
        "README.md", "| 119 | 0.950 / 0.966 | 1.000 / 1.000 |"),
    QualityFigure(
        "Termherkenning op de achtergehouden testset", "precisie 0,959; recall 0,982",
        "200 passages geschreven voor focuslex door twee anderen (beleidstekst, gesprekken, "
        "beschadigde PDF-tekst, teksten uit andere vakgebieden met valkuilen), 381 "
        "termgebruiken, nooit gebruikt om af te stellen: een onafhankelijke toets (de "
        "testsets daarvoor gaven precisie 0,876 tot 0,989 en recall 0,941 tot 0,996, telkens "
        "voor erop werd afgesteld)",
        "README.md", "**precision 0.959, recall 0.982** (F1 0.970)"),
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

# Quoted in the methods annex by the topics and activities sections
# (pipeline/reports/topic_sections.py), from README.md "Topics and activities".
TOPIC_FIGURES: tuple[QualityFigure, ...] = (
    QualityFigure(
        "Onderwerpen (BERTopic + use) tegenover de thema's van de antwoordsleutel",
        "ARI 0,02 (gemiddeld 0,06 over vijf seeds); NMI 0,46; 24 onderwerpen; 28,9 % eerst "
        "zonder onderwerp",
        "democorpus, 2.039 fragmenten, 41 beurten met één thema; ontwikkelset (de "
        "standaardinstellingen werden erop gekozen), dus geen onafhankelijke toets",
        "README.md", "BERTopic + `use` | 24 | 0.02 | 0.46 | 28.9 % | 0 % | yes |"),
    QualityFigure(
        "Onderwerpen met LDA (ter vergelijking)", "ARI −0,00; NMI 0,50",
        "dezelfde fragmenten en antwoordsleutel (ontwikkelset)",
        "README.md", "LDA | 24 | −0.00 | 0.50 |"),
)
ACTIVITY_FIGURES: tuple[QualityFigure, ...] = (
    QualityFigure(
        "Activiteit voorstellen (beste voorstel juist), gelijkenis + lexicon",
        "0,72 op 60 achtergehouden zinnen; 0,73 en 0,72 op democitaten en 0,61 op zinnen "
        "van buiten het democorpus (ontwikkelsets)",
        "met de hand gelabelde zinnen: de 60 van de testset werden geschreven door iemand "
        "anders en nooit gebruikt om af te stellen (een onafhankelijke toets); de 84 "
        "democitaten en 54 andere zinnen zijn ontwikkelsets (hun fouten werden bekeken)",
        "README.md",
        "| embedding similarity + lexicon, `use` (default) | 0.73 | 0.72 | 0.61 | **0.717** |"),
    QualityFigure(
        "Ter vergelijking: alleen het activiteitenveld van het lexicon",
        "0,31 en 0,41 op democitaten; 0,19 op zinnen van buiten het democorpus",
        "dezelfde zinnen",
        "README.md", "| baseline: the lexicon's `activities` field alone | 0.31 | 0.41 | 0.19 |"),
)
