"""User and document text is shown as text on every page, never as Markdown or HTML.

A term whose definition, notes, decision and example hold a remote image, a `javascript:`
link, a `<script>` tag, a bare URL and bold markup; a transcript whose text, prompt and file
name hold the same. Every element of each rendered page (AppTest) that Streamlit renders as
Markdown is parsed with a CommonMark parser (markdown-it-py): no image, no link, no HTML,
no bare URL for GFM to link; and the hostile text is still visible, literally."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from lexicon.io import load_seed
from lexicon.store import LexiconStore
from pipeline.core.records import DocumentMeta, Kind
from pipeline.core.settings import Settings
from pipeline.core.text import WORD_JOINER, literal_markdown
from pipeline.ingest.readers import SourceFile
from pipeline.ingest.service import IngestRequest, Ingestor
from pipeline.privacy.detect import shared_pipeline
from pipeline.store.database import Store
from pipeline.terms.run import run_analysis
from tests.conftest import REPO, app_login

IMAGE = "![x](http://evil.example/x.png)"
LINK = "[klik hier](javascript:alert(1))"
SCRIPT = "<script>alert('x')</script>"
HOSTILE = f"Zie {IMAGE} en {LINK} {SCRIPT} **vet** www.evil.example <img src=x onerror=alert(2)>"
FILE_NAME = "wijkfeest [x](javascript:alert(1)) <img src=x onerror=alert(3)> **vet**.txt"
PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# What GFM (remark-gfm in Streamlit's browser code) turns into links in the text *after*
# Markdown escapes are resolved: bare http(s):// and www. addresses, and e-mail addresses.
GFM_AUTOLINK = re.compile(r"(?i)(?:^|[\s(*_~])(?:https?://|www\.)|[-.\w+]+@[-\w]+(?:\.[-\w]+)+")
# Element lists of an AppTest that Streamlit renders as Markdown (labels included).
MARKDOWN_ELEMENTS = ("markdown", "caption", "error", "warning", "info", "success", "title",
                     "header", "subheader")


def markdown_values(at: AppTest) -> list[str]:
    values = [str(e.value) for name in MARKDOWN_ELEMENTS for e in getattr(at, name)]
    values += [str(e.value) for name in MARKDOWN_ELEMENTS for e in getattr(at.sidebar, name)]
    values += [b.label for b in at.button] + [w.label for w in at.text_input]
    return values


def rendered_text(value: str) -> str:
    """What a reader sees: the Markdown rendered, tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", PARSER.render(value)))


def assert_shown_as_text(at: AppTest, expected: list[str]) -> None:
    assert not at.exception
    values = markdown_values(at)
    for value in values:
        kinds = {t.type for token in PARSER.parse(value)
                 for t in [token, *(token.children or [])]}
        assert not kinds & {"image", "link_open", "html_inline", "html_block"}, (value, kinds)
        assert not GFM_AUTOLINK.search(rendered_text(value)), value
    shown = "\n".join(rendered_text(v) for v in values).replace(WORD_JOINER, "")
    shown += "\n".join(str(t.value) for t in at.text)
    for frame in at.dataframe:
        shown += "\n" + frame.value.to_string()
    for text in expected:
        assert text in shown, text  # still there, literally


@pytest.fixture
def hostile(settings: Settings) -> Settings:
    store = Store(settings.database_url)
    lexicon = LexiconStore(store)
    lexicon.import_entries(load_seed(), "beheerder", "seed")
    entry = lexicon.create({"id": "wijkfeest", "pref_label": {"nl-BE": "wijkfeest"},
                            "definition": HOSTILE, "scope_note": HOSTILE,
                            "sensitivity": "omstreden", "sensitivity_note": HOSTILE,
                            "examples": [HOSTILE], "acceptable_contexts": [HOSTILE],
                            "alternatives": [{"label": "buurtfeest", "audience": HOSTILE,
                                              "note": HOSTILE}]}, "beheerder", "test")
    entry = lexicon.set_status("wijkfeest", "in bespreking", entry.version, "beheerder", "x")
    entry = lexicon.set_status("wijkfeest", "afgesproken", entry.version, "beheerder", "x")
    lexicon.record_decision("wijkfeest", {"date": "2026-03-01", "meeting": HOSTILE,
                                          "rationale": HOSTILE,
                                          "dissent": [{"by": "lid 2", "note": HOSTILE}]},
                            entry.version, "beheerder", "besluit")
    text = (f"Moderator: Wat vindt u van het wijkfeest?\n\nKarim: Het wijkfeest is fijn.\n\n"
            f"Moderator: En verder?\n\nKarim: Het wijkfeest, {HOSTILE}\n")
    report = Ingestor(settings, store, None).ingest([IngestRequest(
        SourceFile(FILE_NAME, text.encode("utf-8")),
        DocumentMeta(kind=Kind.TRANSCRIPT, round=1, prompt=HOSTILE))])
    assert report.ok, [o.error.message for o in report.outcomes if o.error]
    run_analysis(settings, store, nlp=shared_pipeline(settings.nlp.model,
                                                      str(settings.nlp.bundled_path)))
    assert store.term_hit_records("wijkfeest")
    return settings


def page(name: str, settings: Settings, role: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "app_pages" / name), default_timeout=30)
    at.session_state["focuslex_settings"] = settings
    return app_login(at, settings, role)


@pytest.mark.parametrize("role", ["viewer", "committee"])
def test_lexicon_page_shows_the_hostile_term_as_text(hostile: Settings, role: str) -> None:
    at = page("lexicon.py", hostile, role)
    at.session_state["lex_term"] = "wijkfeest"
    at.run()
    assert at.header[0].value == "wijkfeest"
    assert_shown_as_text(at, [IMAGE, LINK, SCRIPT, "**vet**", "www.evil.example"])


def test_terms_page_shows_the_definition_as_text(hostile: Settings) -> None:
    at = page("terms.py", hostile, "facilitator")
    at.query_params["term"] = "wijkfeest"
    at.run()
    assert next(s for s in at.selectbox if s.label == "Term").value == "wijkfeest"
    assert_shown_as_text(at, [IMAGE, LINK, SCRIPT])


def test_overview_shows_file_names_prompts_and_turns_as_text(hostile: Settings) -> None:
    at = page("overview.py", hostile, "facilitator").run()
    assert_shown_as_text(at, [FILE_NAME, IMAGE, SCRIPT])


def test_lexicon_admin_shows_stored_text_as_text(hostile: Settings) -> None:
    at = page("lexicon_admin.py", hostile, "committee").run()
    at.selectbox(key="adm_edit_term").select("wijkfeest").run()
    at.selectbox(key="adm_dec_term").select("wijkfeest").run()
    assert_shown_as_text(at, [IMAGE])
    assert at.text_area(key="adm_edit_definition").value == HOSTILE  # the form keeps it as typed


def test_the_one_helper_escapes_every_markdown_construct() -> None:
    for text in (IMAGE, LINK, SCRIPT, HOSTILE, "<http://evil.example>", "| a | b |\n|---|---|",
                 ":red[rood] $x^2$ ~~weg~~ # kop", "regel 1\nregel 2", "mail an@stad.be",
                 "HTTPS://X.BE en WWW.X.BE"):
        escaped = literal_markdown(text)
        kinds = {t.type for token in PARSER.parse(escaped)
                 for t in [token, *(token.children or [])]}
        assert not kinds & {"image", "link_open", "html_inline", "html_block", "table_open",
                            "heading_open", "s_open", "strong_open"}, (text, kinds)
        assert not GFM_AUTOLINK.search(rendered_text(escaped)), text
        visible = rendered_text(escaped).replace(WORD_JOINER, "")
        assert visible.strip() == text.strip() or "\n" in text
    assert rendered_text(literal_markdown("regel 1\nregel 2")) == "regel 1\nregel 2\n"
