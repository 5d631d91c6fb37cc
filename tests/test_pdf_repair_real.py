"""Line-break and hyphen repairs of PDF text, checked on real Dutch prose: real Dutch law
texts from ../shared/data/real/laws_nl_2017 (skipped when absent; never copied here) are
typeset into a real PDF (tests/pdfmaker.py: a text layer, hard line breaks, long words
hyphenated at the line end as a typesetter does), read back with pypdf as at ingest and
repaired with `repair_pdf_text`. The repaired text must have the words of the original, and
the term matcher must find the same term uses in both."""

from __future__ import annotations

import io
import textwrap
from collections import Counter

import pytest
import spacy
from pypdf import PdfReader

from lexicon.io import load_seed
from pipeline.ingest.readers import repair_pdf_text
from pipeline.terms.matcher import TermMatcher, table_from_doc
from tests.conftest import SHARED
from tests.pdfmaker import make_pdf

LAWS = SHARED / "real" / "laws_nl_2017"
pytestmark = [pytest.mark.shared,
              pytest.mark.skipif(not LAWS.is_dir(), reason="../shared/data/real is absent")]
FILES = ("BWBR0026168__wet_wet_gemeentelijke_antidiscriminatievoorzieningen.txt",
         "BWBR0020611__wet_wet_inburgering.txt")


def typeset(text: str, width: int = 78, lines_per_page: int = 50) -> list[list[str]]:
    """Paragraphs wrapped into lines (a hyphenated compound may break at its hyphen); a long
    lower-case word at the start of a line is split with a hyphen at the end of the line
    before (syllable-ish: after its first half)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        wrapped = textwrap.wrap(paragraph, width) or [""]
        for k in range(1, len(wrapped)):
            first, _, rest = wrapped[k].partition(" ")
            if len(first) >= 10 and first.isalpha() and first.islower():
                cut = len(first) // 2
                wrapped[k - 1] += " " + first[:cut] + "-"
                wrapped[k] = first[cut:] + (" " + rest if rest else "")
        lines.extend(wrapped)
        lines.append("")
    return [lines[i:i + lines_per_page] for i in range(0, len(lines), lines_per_page)]


def pdf_text(text: str) -> str:
    """`text` through a PDF and back, repaired as at ingest."""
    reader = PdfReader(io.BytesIO(make_pdf(typeset(text))))
    raw = "\n\n".join(page.extract_text() or "" for page in reader.pages)  # as at ingest
    return "\n\n".join(p for p in repair_pdf_text(raw) if p)


def law(name: str, words: int = 2500) -> str:
    text = (LAWS / name).read_text(encoding="utf8")
    text = text.encode("cp1252", errors="ignore").decode("cp1252")  # the PDF font's range
    kept, count = [], 0
    for paragraph in text.split("\n"):
        kept.append(" ".join(paragraph.split()))
        count += len(paragraph.split())
        if count >= words:
            break
    return "\n".join(kept)


def term_uses(text: str) -> Counter:
    nlp = spacy.blank("nl")
    matcher = TermMatcher.from_entries(load_seed())
    found: Counter = Counter()
    for paragraph in text.split("\n"):
        doc = nlp(paragraph)
        found.update(m.term_id for m in matcher.match(table_from_doc(doc), paragraph))
    return found


@pytest.mark.parametrize("name", FILES)
def test_pdf_repairs_give_the_words_and_terms_of_real_law_text(name: str) -> None:
    original = law(name)
    repaired = pdf_text(original)
    # a compound's own hyphen before a lower-case line start cannot be told from a
    # typesetter's (anti-|discriminatie): compare the words without hyphens
    assert [w.replace("-", "") for w in repaired.split()] == \
        [w.replace("-", "") for w in original.split()]
    uses = term_uses(original)
    assert uses and term_uses(repaired) == uses
