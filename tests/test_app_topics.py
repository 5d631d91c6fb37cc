"""AppTests for the pages Onderwerpen and Activiteiten: empty states in Dutch, the topic list
with words and quotes and the charts, curation from the page, the activity matrix with
quotes marked as suggestions, and confirm/reject on the logged-in user's name; the curation
controls only for the roles that may use them."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipeline.activities.tables import load_suggestions
from pipeline.core.settings import NlpSettings, Settings
from pipeline.nlp.loader import load_pipeline
from pipeline.store.database import Store
from pipeline.store.topics import TopicStore
from pipeline.topics.tables import load_topics
from tests.conftest import app_login
from tests.topics_fixture import fast_settings, fitted_store

REPO = Path(__file__).resolve().parent.parent
TOPICS_PAGE = str(REPO / "app_pages" / "topics.py")
ACTIVITIES_PAGE = str(REPO / "app_pages" / "activities.py")


@pytest.fixture(scope="module")
def fitted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Store]:
    settings = fast_settings(tmp_path_factory.mktemp("app"))
    store = fitted_store(settings, load_pipeline(Settings(nlp=NlpSettings(model=""))))
    yield settings, store
    store.close()


def page(path: str, settings: Settings, role: str = "committee",
         name: str | None = None) -> AppTest:
    app = AppTest.from_file(path, default_timeout=60)
    app.session_state["focuslex_settings"] = settings
    return app_login(app, settings, role, name).run()


def test_pages_without_data_say_what_to_do(settings: Settings):
    for path, phrase in ((TOPICS_PAGE, "nog geen onderwerpen"),
                         (ACTIVITIES_PAGE, "nog geen voorstellen")):
        app = page(path, settings)
        assert not app.exception
        assert any(phrase in i.value for i in app.info), [i.value for i in app.info]


def test_topics_page_lists_topics_with_words_quotes_and_charts(fitted):
    settings, store = fitted
    app = page(TOPICS_PAGE, settings)
    assert not app.exception
    assert app.title[0].value == "Onderwerpen"
    assert [m.value for m in app.metric][:2] == ["3", "30"]
    table = app.dataframe[0].value
    assert len(table) == 3 and set(table.columns) >= {"onderwerp", "woorden", "fragmenten"}
    quotes = [t.value for t in app.text]
    assert any(q in " ".join(quotes) for q in load_topics(store)["quotes"].iloc[0])
    assert len(app.get("vega_lite_chart")) >= 4
    # a group with fewer units than topics.min_cell_units is flagged
    assert any("werkgeversorganisatie" in w.value for w in app.warning)


def test_topics_page_renames_a_topic_on_the_users_name(fitted):
    settings, store = fitted
    app = page(TOPICS_PAGE, settings, "committee", "commissielid-c")
    assert "top_by" not in [w.key for w in app.text_input]  # no free-text author
    topic = int(load_topics(store)["topic"].iloc[0])
    app.selectbox(key="top_edit").set_value(topic)
    # a hostile label is stored as typed and shown literally in the confirmation
    app.text_input(key=f"top_label_{topic}").set_value("**Wonen** [en](http://x.be) huren")
    app.button[0].click().run()
    assert not app.exception
    assert (load_topics(store).set_index("topic").loc[topic, "label"]
            == "**Wonen** [en](http://x.be) huren")
    flash = app.success[0].value
    assert "\\*\\*Wonen\\*\\*" in flash and "\\[en\\]" in flash
    assert TopicStore(store).curation()[-1]["by"] == "commissielid-c"  # the logged-in user
    app.selectbox(key="top_edit").set_value(topic)
    app.text_input(key=f"top_label_{topic}").set_value("Wonen en huren")
    app.button[0].click().run()
    assert load_topics(store).set_index("topic").loc[topic, "label"] == "Wonen en huren"


def test_facilitator_reads_topics_and_activities_without_curation_controls(fitted):
    settings, _ = fitted
    topics = page(TOPICS_PAGE, settings, "facilitator")
    assert not topics.exception and topics.title[0].value == "Onderwerpen"
    assert "Bewerken" not in [t.label for t in topics.tabs]
    assert not [w for w in topics.text_input if str(w.key).startswith("top_label_")]
    activities = page(ACTIVITIES_PAGE, settings, "facilitator")
    assert not activities.exception and activities.title[0].value == "Activiteiten"
    assert not [b for b in activities.button if b.label in ("Bevestigen", "Verwerpen")]
    assert any("Alleen het comité" in c.value for c in activities.caption)


def test_activities_page_matrix_and_confirm(fitted):
    settings, store = fitted
    app = page(ACTIVITIES_PAGE, settings, "committee", "commissielid-d")
    assert not app.exception
    assert app.title[0].value == "Activiteiten"
    assert any("0 fragmenten bevestigd" in i.value for i in app.info)
    assert len(app.get("vega_lite_chart")) == 1
    assert any("voorstel, niet bevestigd" in c.value for c in app.caption)
    assert "act_by" not in [w.key for w in app.text_input]  # no free-text author
    confirm = [b for b in app.button if b.label == "Bevestigen"]
    assert confirm and not confirm[0].disabled
    confirm[0].click().run()
    assert not app.exception
    decided = load_suggestions(store)
    decided = decided[decided["status"] == "confirmed"]
    assert len(decided) == 1 and decided.iloc[0]["decided_by"] == "commissielid-d"
    assert any("1 fragment bevestigd" in i.value for i in app.info)


def test_router_knows_both_pages():
    source = (REPO / "app.py").read_text(encoding="utf-8")
    assert '"app_pages/topics.py", "Onderwerpen"' in source
    assert '"app_pages/activities.py", "Activiteiten"' in source
