"""AppTests for the document reader (page Documenten) and the concordance's paging,
expansion, export and jump on *Termen*: turns with codes and marked hits, the search box,
`?doc=&turn=` from a concordance row, a role without READ_TRANSCRIPTS refused, hostile text
shown as text, and thousands of lines in pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipeline.core.records import DocumentMeta
from pipeline.core.settings import Settings
from pipeline.ingest.readers import SourceFile
from pipeline.ingest.service import IngestRequest, Ingestor
from pipeline.store.database import Store
from tests.conftest import app_login
from tests.test_app_terms import add_lexicon, ingest, seed_hits
from tests.test_reader import IMAGE, LINK, SCRIPT, assert_no_live_markup

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def filled(settings: Settings) -> Settings:
    store = Store(settings.database_url)
    ingest(settings, store)
    seed_hits(store)
    add_lexicon(store)
    store.close()
    return settings


def reader(settings: Settings, role: str = "facilitator") -> AppTest:
    at = AppTest.from_file(str(REPO / "app_pages" / "documents.py"), default_timeout=30)
    at.session_state["focuslex_settings"] = settings
    return app_login(at, settings, role)


def turns_markup(at: AppTest) -> str:
    return next(h.value for h in at.html if "beurt-" in h.value)


def test_reader_shows_turns_with_codes_groups_and_marked_terms(filled: Settings) -> None:
    at = reader(filled).run()
    assert not at.exception
    assert at.title[0].value == "Documenten"
    assert at.selectbox(key="r_doc").value == 1  # round 1 first
    markup = turns_markup(at)
    shown = assert_no_live_markup(markup)
    assert shown.count("beurt ") == 4
    assert "FAC1 · facilitator · beurt 1" in shown and "P01 · lokaal bestuur" in shown
    assert not re.search("Ayşe|Hilde|Wouter", shown)
    assert markup.count('title="Lexicon: integratie"') == 5
    assert 'title="Lexicon: discriminatie"' in markup
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Beurten": "4", "Sprekers": "4", "Termen gevonden": "6"}


def test_search_keeps_and_marks_the_matching_turns(filled: Settings) -> None:
    at = reader(filled).run()
    at.text_input(key="r_query").set_value("ARBEIDSMARKT").run()
    assert not at.exception
    shown = assert_no_live_markup(turns_markup(at))
    assert shown.count("beurt ") == 1 and "P02 · vakbond" in shown
    assert 'class="fx-search"' in turns_markup(at)
    assert any("1 van 4 beurten" in c.value for c in at.caption)
    at.text_input(key="r_query").set_value("fietsenstalling").run()
    assert "Geen beurt bevat deze woorden" in at.info[0].value


def test_a_concordance_row_opens_its_document_at_the_turn(filled: Settings) -> None:
    at = reader(filled)
    at.query_params["doc"] = "2"
    at.query_params["turn"] = "2"
    at.run()
    assert not at.exception
    assert at.selectbox(key="r_doc").value == 2
    markup = turns_markup(at)
    focused = re.search(r'<div id="beurt-(\d+)"[^>]*background:#fffbeb', markup)
    assert focused and focused.group(1) == "2"
    assert any("Beurt 3 is omrand" in c.value for c in at.caption)


def test_reader_refuses_a_role_without_transcripts(filled: Settings) -> None:
    at = reader(filled, "viewer").run()
    assert not at.html and not at.title
    assert "gepseudonimiseerde gesprekken lezen" in at.error[0].value


def test_reader_shows_a_hostile_transcript_as_text(settings: Settings) -> None:
    hostile = (f"Moderator: Wat vindt u ervan?\n\nKarim: Zie {IMAGE} en {LINK} {SCRIPT} "
               "<img src=x onerror=alert(2)>\n")
    store = Store(settings.database_url)
    Ingestor(settings, store, None).ingest([IngestRequest(
        SourceFile("gesprek.txt", hostile.encode()), DocumentMeta(round=1))])
    at = reader(settings).run()
    assert not at.exception
    markup = turns_markup(at)
    shown = assert_no_live_markup(markup)
    assert IMAGE in shown and LINK in shown and SCRIPT in shown
    assert "<script" not in markup and "<img" not in markup


def many_hits(settings: Settings, turns: int) -> Settings:
    """One document in which every turn uses 'integratie' (for paging)."""
    lines = [f"Spreker {i % 7}: Beurt {i} gaat over integratie in de wijk nummer {i}."
             for i in range(turns)]
    store = Store(settings.database_url)
    Ingestor(settings, store, None).ingest([IngestRequest(
        SourceFile("lang.txt", "\n".join(lines).encode()), DocumentMeta(round=2))])
    assert seed_hits(store) == turns
    add_lexicon(store)
    return settings


def terms_page(settings: Settings) -> AppTest:
    at = AppTest.from_file(str(REPO / "app_pages" / "terms.py"), default_timeout=30)
    at.session_state["focuslex_settings"] = settings
    return app_login(at, settings, "facilitator")


def kwic_markup(at: AppTest) -> str:
    return next(h.value for h in at.html if "fx-kwic" in h.value)


def test_concordance_pages_thousands_of_lines(settings: Settings) -> None:
    at = terms_page(many_hits(settings, 1_030)).run()
    assert not at.exception
    assert kwic_markup(at).count("<details") == 50  # default page size
    assert any("1.030 van 1.030 keer gebruikt; regels 1–50 van 1.030" in c.value
               for c in at.caption)
    at.selectbox(key="k_size").set_value(250).run()
    page = next(n for n in at.number_input if n.label.startswith("Pagina"))
    assert page.label == "Pagina (van 5)"
    page.set_value(5).run()
    markup = kwic_markup(at)
    assert markup.count("<details") == 30
    assert ">1001</span>" in markup and ">1030</span>" in markup
    assert any("regels 1.001–1.030 van 1.030" in c.value for c in at.caption)


def test_concordance_expands_to_sentence_and_offers_export(filled: Settings) -> None:
    at = terms_page(filled).run()
    markup = kwic_markup(at)
    shown = assert_no_live_markup(markup)
    assert "Voor mij is integratie geen eenrichtingsverkeer." in shown  # the full sentence
    assert "P01 · lokaal bestuur · ronde 1 · ronde1.txt · beurt 2" in shown
    downloads = at.get("download_button")
    assert [d.proto.label for d in downloads] == ["CSV downloaden", "XLSX downloaden"]
    assert at.selectbox(key="k_jump").options[0].startswith("1 · FAC1 · ronde1.txt · beurt 1")


def test_router_links_every_concordance_row_to_the_reader(filled: Settings) -> None:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=30)
    at.session_state["focuslex_settings"] = filled
    app_login(at, filled, "facilitator").run()
    at.switch_page("app_pages/terms.py").run()
    assert not at.exception
    at.selectbox(key="k_jump").set_value(2).run()  # line 3: the second use by P01 (turn 2)
    links = [p.proto for p in at.get("page_link") if "document" in p.proto.label]
    assert links and links[0].page == "documents"  # the url path of documents.py
    assert links[0].query_string == "doc=1&turn=1&term=integratie"
    at.switch_page("app_pages/documents.py").run()
    assert not at.exception and at.title[0].value == "Documenten"


def test_a_long_document_opens_around_the_jumped_to_turn(settings: Settings) -> None:
    many_hits(settings, 120)
    at = reader(settings)
    at.query_params["doc"] = "1"
    at.query_params["turn"] = "57"
    at.run()
    assert not at.exception
    shown = assert_no_live_markup(turns_markup(at))
    assert shown.count("beurt ") == 40 and "beurt 56" in shown and "beurt 95" in shown
    assert any("Beurten 56–95 van 120, rond de gekozen beurt" in c.value for c in at.caption)
    at.button(key="r_from_start").click().run()
    shown = assert_no_live_markup(turns_markup(at))
    assert re.search(r"beurt 1(?!\d)", shown) and not re.search(r"beurt 41(?!\d)", shown)
    assert any("beurten 1–40 van 120" in c.value for c in at.caption)
    assert at.number_input(key="r_page_120").value == 1
