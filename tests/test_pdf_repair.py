"""PDF line-break repairs (issue 16), on new Dutch sentences; the same on real law text in
tests/test_pdf_repair_real.py."""

from __future__ import annotations

from pipeline.ingest.readers import repair_pdf_text


def test_a_word_hyphenated_across_a_page_break_is_joined() -> None:
    pages = ["Het college legt het plan in overeen-", "stemming met de adviesraad voor."]
    assert repair_pdf_text("\n\n".join(pages)) == [
        "Het college legt het plan in overeenstemming met de adviesraad voor."]


def test_a_compound_hyphen_before_a_capital_is_kept_without_space() -> None:
    text = "De provincie Vlaams-\nBrabant en de stad Sint-\nNiklaas tekenden het pact."
    assert repair_pdf_text(text) == [
        "De provincie Vlaams-Brabant en de stad Sint-Niklaas tekenden het pact."]


def test_a_coordination_hyphen_stays() -> None:
    text = "Het integratie-\nen inburgeringsbeleid wordt samen her-\nwerkt."
    assert repair_pdf_text(text) == ["Het integratie- en inburgeringsbeleid wordt samen "
                                     "herwerkt."]
