"""AppTests for the page Termen: renders with hits and the lexicon entry, filters narrow the
concordance, the empty states speak Dutch, and the router knows the page."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lexicon.model import entry_from_dict
from lexicon.store import LexiconStore
from pipeline.analysis.concordance import MENTION_LABELS
from pipeline.ingest.service import IngestRequest, Ingestor
from pipeline.ingest.readers import SourceFile
from pipeline.core.settings import Settings
from pipeline.ingest.sheets import read_participants
from pipeline.core.settings import IngestSettings
from pipeline.store.database import Store
from pipeline.core.records import DocumentMeta, Kind, TermHit
from tests.conftest import INGEST, app_login

DEFAULT_INGEST = IngestSettings()  # the participants sheets of these tests are small

REPO = Path(__file__).resolve().parent.parent

ROUND_1 = """Hilde Verstraeten: Wat betekent integratie voor jullie?
Ayşe Demir: Voor mij is integratie geen eenrichtingsverkeer. Integratie vraagt inzet van de hele stad.
Jan Roos: Het woord 'integratie' is beladen geworden. Wij spreken liever over gelijke kansen op de arbeidsmarkt.
Wouter Bakker: Dat is geen discriminatie, dat is een misverstand over integratie op de werkvloer.
"""
ROUND_2 = """Hilde Verstraeten: Waar zien jullie discriminatie?
Fatima Zahra El Idrissi: Op de huurmarkt is discriminatie dagelijkse kost. Integratie lukt niet zonder woning.
Jan Roos: Discriminatie op de arbeidsmarkt blijft een probleem voor integratie.
"""
TERMS = {"integratie": "integratie", "discriminatie": "discriminatie"}


def seed_hits(store: Store) -> int:
    """Store the two transcripts and one hit per occurrence of a term word (a stand-in for
    the matcher: quoted -> mention, 'geen' right before -> negated)."""
    hits: list[TermHit] = []
    for u in store.stored_utterances():
        for term_id, label in TERMS.items():
            for match in re.finditer(rf"\b{label}\b", u.text, flags=re.IGNORECASE):
                before = u.text[max(0, match.start() - 5):match.start()]
                hits.append(TermHit(
                    document_id=u.document_id, utterance_index=u.index, term_id=term_id,
                    label=label, text=match.group(0), start=u.char_start + match.start(),
                    end=u.char_start + match.end(), sentence=u.text, speaker=u.speaker,
                    group=u.group, round=u.round, negated=before.endswith("geen "),
                    mention="quoted" if before.endswith("'") else ""))
    return store.replace_term_hits(hits)


def ingest(settings: Settings, store: Store) -> None:
    participants = read_participants(INGEST / "participants.csv", DEFAULT_INGEST)
    Ingestor(settings, store, participants).ingest([
        IngestRequest(SourceFile("ronde1.txt", ROUND_1.encode()), DocumentMeta(round=1)),
        IngestRequest(SourceFile("ronde2.txt", ROUND_2.encode()), DocumentMeta(round=2))])


def add_lexicon(store: Store) -> None:
    LexiconStore(store).import_entries([
        entry_from_dict({"id": "integratie", "pref_label": "integratie",
                         "definition": "Het proces waarin iedereen volwaardig meedoet.",
                         "sensitivity": "contextafhankelijk", "status": "in bespreking",
                         "alternatives": [{"label": "samenleven", "audience": "breed publiek"}]}),
        entry_from_dict({"id": "discriminatie", "pref_label": "discriminatie",
                         "definition": "Ongelijke behandeling op grond van afkomst.",
                         "status": "voorstel"}),
    ], by="test", why="testlexicon")


@pytest.fixture
def filled(settings: Settings) -> Settings:
    store = Store(settings.database_url)
    ingest(settings, store)
    assert seed_hits(store) == 11
    add_lexicon(store)
    store.close()
    return settings


def page(settings: Settings) -> AppTest:
    at = AppTest.from_file(str(REPO / "app_pages" / "terms.py"), default_timeout=30)
    at.session_state["focuslex_settings"] = settings
    return app_login(at, settings, "facilitator")


def term_box(at: AppTest):  # type: ignore[no-untyped-def]
    """The 'Term' select box (its key changes with its captions)."""
    return next(s for s in at.selectbox if s.label == "Term")


class KwicRows(HTMLParser):
    """The concordance lines of the page's HTML: the texts of each summary's four cells
    (number, left, keyword, right) and the details line (speaker · group · round · ...)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[dict[str, str]] = []
        self.depth = 0
        self.cells: list[str] = []
        self.in_meta = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        style = dict(attrs).get("style") or ""
        if tag == "details":
            self.rows.append({})
            self.cells = []
        elif tag == "span" and self.rows and "cursor" not in style and len(self.cells) < 4 \
                and 'dir' not in dict(attrs):
            self.cells.append("")
        elif tag == "div" and "font-size:0.85em" in style:
            self.in_meta = True
            self.rows[-1]["meta"] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "summary":
            number, left, keyword, right = self.cells[:4]
            self.rows[-1].update(links=left, term=keyword, rechts=right)
        if tag == "div":
            self.in_meta = False

    def handle_data(self, data: str) -> None:
        if self.in_meta:
            self.rows[-1]["meta"] += data
        elif self.cells and "term" not in self.rows[-1]:
            self.cells[-1] += data


def concordance(at: AppTest) -> pd.DataFrame:
    """The concordance lines shown on the page, with the details line split into speaker,
    group, round, document and turn, plus its flags."""
    parser = KwicRows()
    parser.feed(next(h.value for h in at.html if "fx-kwic" in h.value))
    rows = []
    for row in parser.rows:
        meta = row["meta"].split(" · ")
        rows.append({"links": row["links"], "term": row["term"], "rechts": row["rechts"],
                     "spreker": meta[0], "groep": meta[1], "ronde": meta[2],
                     "document": meta[3], "beurt": meta[4],
                     "ontkend": "ontkend" in meta[5:],
                     "vermelding": next((m for m in meta[5:] if m in MENTION_LABELS.values()),
                                        "")})
    return pd.DataFrame(rows, columns=["links", "term", "rechts", "spreker", "groep", "ronde",
                                       "document", "beurt", "ontkend", "vermelding"])


def test_empty_store_says_what_to_do(settings: Settings) -> None:
    at = page(settings).run()
    assert not at.exception
    messages = " ".join(i.value for i in at.info)
    assert "nog geen termgebruiken" in messages
    assert "lexicon is nog leeg" in messages


def test_page_shows_the_term_with_its_entry_and_analyses(filled: Settings) -> None:
    at = page(filled).run()
    assert not at.exception
    assert at.title[0].value == "Termen"
    term = term_box(at)
    assert term.value == "integratie"  # most used first
    assert term.options == ["integratie (7×)", "discriminatie (4×)"]
    table = concordance(at)
    assert len(table) == 7
    assert set(table["term"].str.casefold()) == {"integratie"}
    assert "P01" in set(table["spreker"])  # codes, never names
    assert not table["links"].str.contains("Ayşe|Wouter|Fatima").any()
    markdown = " ".join(m.value for m in at.markdown)
    assert "in bespreking" in markdown and "contextafhankelijk" in markdown
    assert "samenleven (breed publiek)" in markdown
    assert "**7** keer gebruikt" in markdown
    assert len(at.get("plotly_chart")) == 1
    keyness = next(d.value for d in at.dataframe if "G²" in d.value.columns
                   and "groep" in d.value.columns)
    assert set(keyness["groep"]) >= {"vakbond", "lokaal bestuur"}


def test_filters_narrow_the_concordance(filled: Settings) -> None:
    at = page(filled).run()
    at.multiselect(key="f_group").set_value(["vakbond"]).run()
    assert not at.exception
    table = concordance(at)
    assert len(table) == 2 and set(table["groep"]) == {"vakbond"}
    at.multiselect(key="f_round").set_value(["1"]).run()
    assert list(concordance(at)["vermelding"]) == ["tussen aanhalingstekens"]
    at.multiselect(key="f_group").set_value([]).run()
    at.selectbox(key="f_mention").set_value("use").run()
    assert len(concordance(at)) == 4  # round 1, plain uses (one of five is quoted)
    at.multiselect(key="f_round").set_value([]).run()
    at.selectbox(key="f_mention").set_value("alle").run()
    term_box(at).set_value("discriminatie").run()
    at.selectbox(key="f_negated").set_value("ja").run()
    table = concordance(at)
    assert len(table) == 1 and bool(table["ontkend"].iloc[0])
    assert not at.exception


def test_term_from_the_url_and_hits_without_lexicon(settings: Settings) -> None:
    store = Store(settings.database_url)
    ingest(settings, store)
    seed_hits(store)
    store.close()
    at = page(settings)
    at.query_params["term"] = "discriminatie"
    at.run()
    assert not at.exception
    assert term_box(at).value == "discriminatie"
    assert len(concordance(at)) == 4
    assert any("lexicon is leeg" in w.value for w in at.warning)
    assert any("lexicon is leeg" in i.value for i in at.info)


def test_router_lists_the_page(filled: Settings) -> None:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=30)
    at.session_state["focuslex_settings"] = filled
    app_login(at, filled, "facilitator")
    at.run()
    at.switch_page("app_pages/terms.py").run()
    assert not at.exception
    assert at.title[0].value == "Termen"


def test_committee_confirms_a_sense_on_its_own_name(filled: Settings) -> None:
    """An uncertain use: the committee confirms its sense (the sentence becomes an example,
    recorded on the logged-in user, no name field); a facilitator gets no such control."""
    store = Store(filled.database_url)
    hits = store.term_hits()
    store.replace_term_hits([h if h.term_id != "integratie" else
                             dataclasses.replace(h, uncertain=True, sense_score=0.5)
                             for h in hits])
    at = AppTest.from_file(str(REPO / "app_pages" / "terms.py"), default_timeout=30)
    at.session_state["focuslex_settings"] = filled
    at.query_params["term"] = "integratie"
    facilitator = app_login(at, filled, "facilitator").run()
    facilitator.selectbox(key="f_sense").set_value("onzeker").run()
    uncertain = sum(h.term_id == "integratie" for h in hits)
    assert not facilitator.exception and len(concordance(facilitator)) == uncertain
    assert not [b for b in facilitator.button if b.label.startswith("Juist")]
    at = AppTest.from_file(str(REPO / "app_pages" / "terms.py"), default_timeout=30)
    at.session_state["focuslex_settings"] = filled
    at.query_params["term"] = "integratie"
    member = app_login(at, filled, "committee", "comite-lid").run()
    member.selectbox(key="f_sense").set_value("onzeker").run()
    assert not [w for w in member.text_input if "naam" in w.label.lower()]
    sentence = member.selectbox(key="sense_sentence").value
    next(b for b in member.button if b.label.startswith("Juist")).click().run()
    assert not member.exception
    entry = LexiconStore(store).get("integratie")
    assert sentence in entry.sense_examples
    assert LexiconStore(store).history("integratie")[-1].by == "comite-lid"


STATEMENT = ("Integratie is voor onze vereniging een gedeelde opdracht van iedereen die in de "
             "buurt woont.\n")


def test_new_results_give_a_new_term_box_with_their_counts(filled: Settings) -> None:
    """After an analysis the box is a new one (the browser shows its caption anew: a kept
    box showed the count from before, 146× beside 149 uses), on the same term; the usage
    counts rounds apart from documents without a round."""
    at = page(filled).run()
    before = term_box(at)
    assert (before.value, before.format_func(before.value)) == ("integratie", "integratie (7×)")
    assert usage_text(at).endswith("(4 stakeholdergroepen, 2 rondes).")  # no "zonder ronde"
    store = Store(filled.database_url)
    Ingestor(filled, store).ingest([IngestRequest(
        SourceFile("verklaring.txt", STATEMENT.encode()),
        DocumentMeta(kind=Kind.STATEMENT, group="middenveld", organisation="Buurtwerk"))])
    assert seed_hits(store) == 12
    store.close()
    at.run()
    assert not at.exception
    after = term_box(at)
    assert after.key != before.key and after.value == "integratie"
    assert after.format_func(after.value) == "integratie (8×)"
    assert after.options[0] == "integratie (8×)"
    assert "in **3 documenten**" in usage_text(at)
    assert "2 rondes; 1 document zonder ronde)" in usage_text(at)


def usage_text(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "keer gebruikt door" in m.value)
