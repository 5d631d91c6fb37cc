"""The document reader and the concordance view in the library: turns with their hit spans,
accent-insensitive search, HTML that shows document text as text (a transcript holding
`<script>`, a Markdown image, a `javascript:` link and an `<img onerror>` yields no live
markup), Dutch pages and captions, and CSV/XLSX export through `safe_cell`."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import pandas as pd
import pytest
from openpyxl import load_workbook

from pipeline.analysis.concordance import document_texts, kwic, load_hits
from pipeline.analysis.kwic_view import (EXPORT_COLUMNS, export_bytes, export_table,
                                         kwic_page_html, page_for_row, page_of)
from pipeline.analysis.reader import (Mark, TERM, document_turns, documents, focus_window,
                                      marked_html, matching_turns, search_spans, turns_html)
from pipeline.core.errors import FocuslexError
from pipeline.core.formats import format_frame
from pipeline.core.records import DocumentMeta, TermHit
from pipeline.core.settings import IngestSettings, Settings
from pipeline.ingest.readers import SourceFile
from pipeline.ingest.service import IngestRequest, Ingestor
from pipeline.ingest.sheets import read_participants
from pipeline.store.database import Store
from tests.conftest import INGEST

IMAGE = "![x](http://evil.example/x.png)"
LINK = "[klik hier](javascript:alert(1))"
SCRIPT = "<script>alert('x')</script>"
IMG = "<img src=x onerror=alert(2)>"
TRANSCRIPT = f"""Hilde Verstraeten: Wat betekent integratie voor jullie?
Ayşe Demir: Voor mij is integratie geen eenrichtingsverkeer. Wie geïntegreerd is, doet mee.
Jan Roos: Het woord 'integratie' is beladen. Zie {IMAGE} en {LINK} {SCRIPT} {IMG}
Wouter Bakker: =HYPERLINK("http://evil.example") Dat is geen discriminatie, maar integratie.
"""
OWN_TAGS = {"div", "span", "mark", "details", "summary"}
OWN_ATTRIBUTES = {"id", "class", "title", "style", "dir"}


class TagCollector(HTMLParser):
    """Every start tag with its attributes, and the text a browser would show."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(markup: str) -> TagCollector:
    collector = TagCollector()
    collector.feed(markup)
    collector.close()
    return collector


def assert_no_live_markup(markup: str) -> str:
    """Only focuslex's own tags and attributes; returns the text a reader sees."""
    found = parsed(markup)
    for tag, attrs in found.tags:
        assert tag in OWN_TAGS, (tag, attrs)
        assert set(attrs) <= OWN_ATTRIBUTES, (tag, attrs)
        assert "javascript" not in " ".join(str(v) for v in attrs.values())
    return "".join(found.text)


def store_with_hits(settings: Settings) -> Store:
    store = Store(settings.database_url)
    participants = read_participants(INGEST / "participants.csv", IngestSettings())
    report = Ingestor(settings, store, participants).ingest([IngestRequest(
        SourceFile("ronde1.txt", TRANSCRIPT.encode()), DocumentMeta(round=1))])
    assert report.ok
    hits = []
    for u in store.stored_utterances():
        for match in re.finditer(r"\b(integratie|discriminatie)\b", u.text):
            hits.append(TermHit(
                document_id=u.document_id, utterance_index=u.index, term_id=match.group(1),
                label=match.group(1), text=match.group(0), start=u.char_start + match.start(),
                end=u.char_start + match.end(), sentence=u.text, speaker=u.speaker,
                group=u.group, round=u.round, negated=False, mention=""))
    store.replace_term_hits(hits)
    return store


def test_turns_carry_codes_groups_and_their_hit_spans(settings: Settings) -> None:
    store = store_with_hits(settings)
    doc = documents(store)[0]
    assert (doc.file_name, doc.round) == ("ronde1.txt", "1")
    turns = document_turns(store, doc.id, load_hits(store))
    assert [t.speaker for t in turns] == ["FAC1", "P01", "P02", "P04"]
    assert [t.group for t in turns][1:3] == ["lokaal bestuur", "vakbond"]
    assert not any("Ayşe" in t.text or "Hilde" in t.text for t in turns)
    for turn in turns:
        assert all(turn.text[m.start:m.end] in ("integratie", "discriminatie")
                   for m in turn.hits)
    assert [len(t.hits) for t in turns] == [1, 1, 1, 2]
    with pytest.raises(FocuslexError) as error:
        document_turns(store, 999, load_hits(store))
    assert error.value.code == "FX-RDR-001"


def test_search_ignores_case_and_accents(settings: Settings) -> None:
    turns = document_turns(store := store_with_hits(settings), documents(store)[0].id,
                           load_hits(store))
    assert search_spans("Wie geïntegreerd is", "GEINTEGREERD") == [(4, 16)]
    assert search_spans("Integratie en integratie", "integratie") == [(0, 10), (14, 24)]
    assert search_spans("tekst", "   ") == []
    assert [t.speaker for t in matching_turns(turns, "geintegreerd")] == ["P01"]
    assert [t.speaker for t in matching_turns(turns, "vakbond")] == ["P02"]  # a group
    assert len(matching_turns(turns, "")) == 4


def test_marks_show_the_lexicon_label_and_overlap_safely() -> None:
    text = "onbewust racisme & 'racisme'"
    markup = marked_html(text, [Mark(0, 16, TERM, "onbewust racisme"),
                                Mark(9, 16, TERM, "racisme"), Mark(9, 16, "search")])
    assert 'title="Lexicon: onbewust racisme"' in markup
    assert 'title="Lexicon: onbewust racisme, racisme"' in markup
    assert assert_no_live_markup(markup) == text
    assert "&amp;" in markup and "&#x27;racisme&#x27;" in markup
    assert marked_html("kort", [Mark(2, 99, TERM, "x")]) == "kort"  # outside: dropped


def test_a_hostile_transcript_is_shown_as_its_characters(settings: Settings) -> None:
    store = store_with_hits(settings)
    turns = document_turns(store, documents(store)[0].id, load_hits(store))
    markup = turns_html(turns, query="script", focus=2)
    shown = assert_no_live_markup(markup)
    for literal in (IMAGE, LINK, SCRIPT, IMG):
        assert literal in shown
    assert "<script" not in markup and "<img" not in markup
    assert 'id="beurt-2"' in markup and "background:#fffbeb" in markup  # the focused turn
    assert "beurt 3" in shown  # shown from 1
    lines = kwic(load_hits(store), document_texts(store), width=40)
    page_markup = kwic_page_html(lines, page_of(len(lines), 1, 25))
    page_text = assert_no_live_markup(page_markup)
    assert page_markup.count("<details") == len(lines) == 5
    assert "P02 · vakbond · ronde 1 · ronde1.txt · beurt 3" in page_text
    assert SCRIPT in page_text and "<script" not in page_markup


def test_pages_are_clamped_and_captioned_in_dutch() -> None:
    page = page_of(2_500, 21, 50)
    assert (page.number, page.pages, page.start, page.stop) == (21, 50, 1_000, 1_050)
    assert page.caption == "regels 1.001–1.050 van 2.500"
    assert page_of(2_500, 99, 50).number == 50 and page_of(10, 0, 25).number == 1
    assert page_of(0, 3, 25).caption == "geen regels" and page_of(0, 3, 25).pages == 1
    assert page_of(60, 3, 25).stop == 60
    assert page_for_row(0, 25) == 1 and page_for_row(25, 25) == 2


def test_export_keeps_every_filtered_row_and_defuses_formulas(settings: Settings) -> None:
    store = store_with_hits(settings)
    lines = kwic(load_hits(store), document_texts(store), width=40)
    table = export_table(lines)
    assert tuple(table.columns) == EXPORT_COLUMNS and len(table) == 5
    data = export_bytes(table, "csv")
    assert data.startswith("\ufeff".encode("utf-8"))  # Excel reads ë and ï
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["links", "term", "rechts"] and len(rows) == 6
    p04 = [r for r in rows[1:] if r[4] == "P04"]
    assert p04 and all(r[3].startswith("'=HYPERLINK") for r in p04)  # the sentence: text
    assert any("geïntegreerd" in r[3] for r in rows)
    sheet = load_workbook(io.BytesIO(export_bytes(table, "xlsx"))).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == EXPORT_COLUMNS and len(values) == 6
    assert not any(isinstance(v, str) and v.startswith("=") for row in values for v in row)
    assert {row[8] for row in values[1:]} == {1, 2, 3, 4}  # turns from 1
    with pytest.raises(FocuslexError) as error:
        export_bytes(table, "pdf")
    assert error.value.code == "FX-RDR-002"


def test_tables_for_people_use_belgian_numbers() -> None:
    frame = format_frame(pd.DataFrame({"gebruik": [1000, 2], "G²": [3.8412, None],
                                       "p": [0.0012, 0.5], "groep": ["vakbond", "media"]}),
                         {"p": 4})
    assert frame.to_dict("list") == {"gebruik": ["1.000", "2"], "G²": ["3,84", "–"],
                                     "p": ["0,0012", "0,5000"], "groep": ["vakbond", "media"]}


def test_a_jumped_to_turn_opens_near_the_top() -> None:
    assert focus_window(120, 57, 40) == (55, 95)
    assert focus_window(120, 1, 40) == (0, 40)
    assert focus_window(120, 118, 40) == (80, 120)  # the last page stays full
    assert focus_window(10, 5, 40) == (0, 10)
