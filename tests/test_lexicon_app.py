"""AppTests for the Lexicon (browse, search) and Lexicon beheer (edit, conflict, status,
decision, release) pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lexicon.io import load_seed, read_lexicon_file
from lexicon.store import LexiconStore
from pipeline.core.settings import Settings, load_settings
from pipeline.store.database import Store
from tests.conftest import FIXTURES, REPO, app_login

LEX = FIXTURES / "lexicon"
BROWSE = str(REPO / "app_pages" / "lexicon.py")
ADMIN = str(REPO / "app_pages" / "lexicon_admin.py")


@pytest.fixture
def app_settings(tmp_path: Path) -> Settings:
    return load_settings(base_dir=tmp_path).with_database(str(tmp_path / "x.db"))


@pytest.fixture
def lexicon(app_settings: Settings) -> LexiconStore:
    store = Store(app_settings.database_url)
    return LexiconStore(store)


@pytest.fixture
def seeded(lexicon: LexiconStore) -> LexiconStore:
    lexicon.import_entries(load_seed(), "beheerder", "startlexicon")
    return lexicon


def page(path: str, settings: Settings, name: str = "beheerder") -> AppTest:
    at = AppTest.from_file(path, default_timeout=20)
    at.session_state["focuslex_settings"] = settings
    return app_login(at, settings, "admin", name).run()


def texts(at: AppTest) -> str:
    """Everything shown as text on the page (markdown, captions, alerts)."""
    parts = [e.value for e in (*at.markdown, *at.caption, *at.error, *at.warning, *at.info,
                               *at.success, *at.header, *at.title, *at.subheader)]
    return "\n".join(str(p) for p in parts)


def unescape(text: str) -> str:
    return text.replace("\\", "")


# -- Lexicon (browse) --------------------------------------------------------------------------

def test_browse_empty_lexicon_says_how_to_fill_it(app_settings: Settings,
                                                  lexicon: LexiconStore) -> None:
    at = page(BROWSE, app_settings)
    assert not at.exception
    assert "nog leeg" in at.info[0].value and "import --seed" in at.info[0].value


def test_browse_lists_filters_and_shows_a_term(app_settings: Settings,
                                               seeded: LexiconStore) -> None:
    at = page(BROWSE, app_settings)
    assert not at.exception
    assert at.caption[0].value == "49 van 49 termen"
    assert len(at.dataframe[0].value) == 49
    at.multiselect(key="lex_status").select("afgeraden").run()
    assert at.caption[0].value == "1 van 49 termen"
    assert at.selectbox(key="lex_term").value == "allochtoon"
    banner = unescape(at.error[0].value)
    assert banner.startswith("**Afgeraden.**") and "migratieachtergrond" in banner
    assert "Vroegere beleids- en omgangsterm" in unescape(texts(at))
    history = at.dataframe[-1].value
    assert list(history["door"]) == ["beheerder"]
    at.button(key="lex_goto_replacement").click().run()
    assert at.selectbox(key="lex_term").value == "migratieachtergrond"
    assert at.multiselect(key="lex_status").value == []


def test_search_finds_hidden_labels_without_showing_them(app_settings: Settings,
                                                         seeded: LexiconStore) -> None:
    at = page(BROWSE, app_settings)
    at.text_input(key="lex_search").input("intergratie").run()
    assert at.caption[0].value == "1 van 49 termen"
    assert at.selectbox(key="lex_term").value == "integratie"
    shown = unescape(texts(at))
    assert "geïntegreerd" in shown and "integraal" in shown  # forms and exclusions
    assert "intergratie" not in shown  # the hidden misspelling is never displayed
    at.text_input(key="lex_search").input("niet-Europese herkomst").run()
    assert at.selectbox(key="lex_term").value == "allochtoon"
    at.text_input(key="lex_search").input("bestaat nergens").run()
    assert "Geen termen gevonden" in at.info[0].value


def test_filters_by_sensitivity_and_activity(app_settings: Settings,
                                             seeded: LexiconStore) -> None:
    at = page(BROWSE, app_settings)
    at.multiselect(key="lex_sensitivity").select("omstreden").run()
    at.multiselect(key="lex_activity").select("Herverdelen").run()
    terms = set(at.dataframe[0].value["id"])
    assert terms == {"positieve_discriminatie", "wit_privilege"}


def test_html_in_a_definition_is_shown_as_text(app_settings: Settings,
                                               lexicon: LexiconStore) -> None:
    lexicon.import_entries(read_lexicon_file(LEX / "html_definition.yaml"), "an", "test")
    at = page(BROWSE, app_settings)
    assert not at.exception
    shown = texts(at)
    assert "\\<script\\>alert" in shown and "\\<img src\\=x onerror\\=alert" in shown
    for element in (*at.markdown, *at.caption):
        value = str(element.value)
        assert not re.search(r"(?<!\\)<", value) and "**vet**" not in value  # no raw tags
        assert not getattr(element.proto, "allow_html", False)


# -- Lexicon beheer ----------------------------------------------------------------------------

def admin(settings: Settings, term: str = "integratie", name: str = "an") -> AppTest:
    at = page(ADMIN, settings, name)
    at.selectbox(key="adm_edit_term").select(term)
    return at.run()


def test_admin_on_empty_lexicon_loads_the_seed(app_settings: Settings,
                                               lexicon: LexiconStore) -> None:
    at = page(ADMIN, app_settings)
    assert "nog leeg" in at.info[0].value
    at.button(key="adm_seed").click().run()
    assert not at.exception
    assert "49 nieuw" in unescape(at.success[0].value)
    assert lexicon.count() == 49 and lexicon.history("racisme")[0].by == "beheerder"


def test_admin_edit_saves_a_revision(app_settings: Settings, seeded: LexiconStore) -> None:
    at = admin(app_settings)
    assert at.text_area(key="adm_edit_definition").value.startswith("Het wederzijdse proces")
    at.text_area(key="adm_edit_definition").input("Een nieuwe definitie.")
    at.text_area(key="adm_edit_alt").input("integreren\nintegratiebeleid")
    at.text_input(key="adm_edit_why").input("korter")
    at.button(key="adm_edit_save").click().run()
    assert not at.exception
    assert "versie 2" in unescape(at.success[0].value)
    saved = seeded.get("integratie")
    assert saved.definition == "Een nieuwe definitie." and saved.modified_by == "an"
    assert saved.alt_labels == ("integreren", "integratiebeleid")
    assert saved.scope_note.startswith("Gebruik voor het maatschappelijke proces")
    revision = seeded.history("integratie")[-1]
    assert (revision.by, revision.why, set(revision.changes)) == (
        "an", "korter", {"definition", "alt_labels"})
    assert at.text_area(key="adm_edit_definition").value == "Een nieuwe definitie."


def test_admin_edit_without_reason_is_refused_and_has_no_name_field(
        app_settings: Settings, seeded: LexiconStore) -> None:
    at = admin(app_settings)
    assert "adm_by" not in [w.key for w in at.text_input]  # the author is the logged-in user
    assert "op naam van an" in unescape(at.caption[0].value)
    at.text_area(key="adm_edit_definition").input("Anders.")
    at.button(key="adm_edit_save").click().run()
    assert "FX-LEX-016" in unescape(at.error[0].value)
    assert seeded.get("integratie").version == 1


def test_admin_conflict_keeps_both_versions_and_the_users_input(
        app_settings: Settings, seeded: LexiconStore) -> None:
    at = admin(app_settings, name="bo")
    # meanwhile someone else saves a new version
    seeded.update("integratie", {"scope_note": "Nota van An."}, 1, "An", "tussendoor")
    at.text_area(key="adm_edit_definition").input("Definitie van Bo.")
    at.text_input(key="adm_edit_why").input("beter")
    at.button(key="adm_edit_save").click().run()
    assert not at.exception
    assert "FX-LEX-008" in unescape(at.error[0].value)
    stored = seeded.get("integratie")
    assert stored.version == 2 and stored.scope_note == "Nota van An."
    assert stored.definition.startswith("Het wederzijdse proces")
    assert at.text_area(key="adm_edit_definition").value == "Definitie van Bo."  # kept
    table = at.dataframe[0].value
    rows = {row["veld"]: row for row in table.to_dict("records")}
    assert rows["definitie"]["jouw versie"] == "Definitie van Bo."
    assert rows["definitie"]["opgeslagen versie 2"].startswith("Het wederzijdse proces")
    assert rows["toepassingsnota"]["opgeslagen versie 2"] == "Nota van An."
    # apply Bo's change on top of the stored version: An's note is kept
    at.button(key="adm_edit_rebase").click().run()
    assert at.text_area(key="adm_edit_scope").value == "Nota van An."
    assert at.text_area(key="adm_edit_definition").value == "Definitie van Bo."
    at.button(key="adm_edit_save").click().run()
    merged = seeded.get("integratie")
    assert merged.version == 3
    assert (merged.definition, merged.scope_note) == ("Definitie van Bo.", "Nota van An.")


def test_admin_conflict_discard_reloads_the_stored_version(
        app_settings: Settings, seeded: LexiconStore) -> None:
    at = admin(app_settings)
    seeded.update("integratie", {"definition": "Van iemand anders."}, 1, "Cas", "x")
    at.text_area(key="adm_edit_definition").input("Mijn versie.")
    at.text_input(key="adm_edit_why").input("x")
    at.button(key="adm_edit_save").click().run()
    at.button(key="adm_edit_discard").click().run()
    assert at.text_area(key="adm_edit_definition").value == "Van iemand anders."
    assert not at.dataframe or "veld" not in at.dataframe[0].value.columns


def test_admin_status_change_with_replacement(app_settings: Settings,
                                              seeded: LexiconStore) -> None:
    at = admin(app_settings)
    at.selectbox(key="adm_status_term").select("gastarbeider").run()
    at.selectbox(key="adm_status_new").select("afgesproken").run()
    at.text_input(key="adm_status_why").input("besluit comité")
    at.button(key="adm_status_go").click().run()
    assert seeded.get("gastarbeider").status.value == "afgesproken"
    at.selectbox(key="adm_status_new").select("afgeraden").run()
    at.selectbox(key="adm_status_replacement").select("migratie")
    at.text_input(key="adm_status_why").input("historisch woord")
    at.button(key="adm_status_go").click().run()
    assert not at.exception
    entry = seeded.get("gastarbeider")
    assert entry.status.value == "afgeraden" and entry.replaced_by == "migratie"
    assert "afgeraden" in unescape(at.success[0].value)


def test_admin_records_a_decision_with_dissent(app_settings: Settings,
                                               seeded: LexiconStore) -> None:
    at = admin(app_settings)
    at.selectbox(key="adm_dec_term").select("inclusie").run()
    at.text_input(key="adm_dec_meeting").input("Transitiecomité, vergadering 4")
    at.text_area(key="adm_dec_rationale").input("Breed gedragen in de focusgroepen.")
    at.text_area(key="adm_dec_dissent").input("lid 3 | Te vaag zonder voorbeelden")
    at.text_input(key="adm_dec_why").input("verslag")
    at.button(key="adm_dec_save").click().run()
    assert not at.exception
    decision = seeded.get("inclusie").decision
    assert decision is not None and decision.meeting == "Transitiecomité, vergadering 4"
    assert decision.dissent[0].by == "lid 3"


def test_admin_release_and_diff(app_settings: Settings, seeded: LexiconStore) -> None:
    at = admin(app_settings)
    at.text_input(key="adm_rel_note").input("eerste release")
    at.button(key="adm_rel_go").click().run()
    assert "Release 1 gemaakt met 49 termen" in unescape(at.success[0].value)
    assert [r.number for r in seeded.releases()] == [1]
    seeded.update("racisme", {"scope_note": "Nieuwe nota."}, 1, "An", "x")
    at.run()
    diff_rows = at.dataframe[-1].value.to_dict("records")
    before = next(e for e in seeded.release_entries(1) if e.id == "racisme").scope_note
    assert diff_rows == [{"term": "racisme", "wat": "gewijzigd", "veld": "toepassingsnota",
                          "voor": before, "na": "Nieuwe nota."}]


def test_admin_create_term(app_settings: Settings, seeded: LexiconStore) -> None:
    at = admin(app_settings)
    at.text_input(key="adm_new_id").input("wijkfeest")
    at.text_input(key="adm_new_label").input("wijkfeest")
    at.text_area(key="adm_new_definition").input("Een feest voor de hele wijk.")
    at.text_input(key="adm_new_why").input("uit focusgroep")
    at.button(key="adm_new_save").click().run()
    assert not at.exception
    assert seeded.get("wijkfeest").status.value == "voorstel"
    at.text_input(key="adm_new_id").input("Fout Id")
    at.text_input(key="adm_new_label").input("fout")
    at.button(key="adm_new_save").click().run()
    assert "FX-LEX-002" in unescape(at.error[0].value)
