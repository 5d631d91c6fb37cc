"""The app's access control, role by page: what each role sees in the navigation, what each
page shows or refuses when opened directly, and the login form (wrong password, lock-out,
one-time password, logout, timeout)."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lexicon.io import load_seed
from lexicon.model import AGREED_STATUSES
from lexicon.store import LexiconStore
from pipeline.access.sessions import LoginSession
from pipeline.access.users import Users
from pipeline.core.settings import Settings
from pipeline.store.database import Store
from app_pages.context import PAGE_PERMISSIONS
from tests.conftest import LOGIN_KEY, REPO, TEST_PASSWORD, app_login

TITLES = {"overview.py": "Overzicht", "upload.py": "Opladen", "names_review.py": "Namen nakijken",
          "terms.py": "Termen", "topics.py": "Onderwerpen", "activities.py": "Activiteiten",
          "report.py": "Rapport", "lexicon.py": "Lexicon", "lexicon_admin.py": "Lexicon beheer",
          "documents.py": "Documenten"}
# Onderwerpen and Activiteiten quote the transcripts: not for the learning network (viewer),
# which reads reports and the agreed lexicon only.
ROLE_PAGES = {
    "viewer": {"report.py", "lexicon.py"},
    "facilitator": {"overview.py", "upload.py", "names_review.py", "terms.py", "topics.py",
                    "activities.py", "report.py", "lexicon.py", "documents.py"},
    "committee": {"overview.py", "terms.py", "topics.py", "activities.py", "report.py",
                  "lexicon.py", "lexicon_admin.py", "documents.py"},
    "admin": set(TITLES),
}


@pytest.fixture
def seeded(settings: Settings) -> Settings:
    LexiconStore(Store(settings.database_url)).import_entries(load_seed(), "beheerder", "seed")
    return settings


def router(settings: Settings) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=30)
    at.session_state["focuslex_settings"] = settings
    return at


def page(name: str, settings: Settings) -> AppTest:
    at = AppTest.from_file(str(REPO / "app_pages" / name), default_timeout=30)
    at.session_state["focuslex_settings"] = settings
    return at


def errors(at: AppTest) -> str:
    return "\n".join(e.value for e in at.error).replace("\\", "")


@pytest.mark.parametrize("role", list(ROLE_PAGES))
def test_navigation_lists_only_the_pages_of_the_role(role: str, settings: Settings) -> None:
    at = app_login(router(settings), settings, role).run()
    assert not at.exception
    for name, title in TITLES.items():
        if name in ROLE_PAGES[role]:
            at.switch_page(f"app_pages/{name}").run()
            assert not at.exception, (role, name)
            assert at.title[0].value == title, (role, name)
            assert "FX-ACC" not in errors(at), (role, name)
        else:
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(f"app_pages/{name}")


@pytest.mark.parametrize("role", list(ROLE_PAGES))
@pytest.mark.parametrize("name", list(TITLES))
def test_each_page_checks_the_role_itself(role: str, name: str, settings: Settings) -> None:
    """Opened directly (past the router), a page shows itself only to the roles allowed."""
    at = app_login(page(name, settings), settings, role).run()
    assert not at.exception
    if name in ROLE_PAGES[role]:
        assert at.title[0].value == TITLES[name]
        assert "FX-ACC" not in errors(at)
    else:
        assert not at.title and "[FX-ACC-006]" in errors(at)
        assert f"'test-{role}' ({role}) mag dit niet" in errors(at)
        assert not at.dataframe and not at.button and not at.text_input  # nothing else


@pytest.mark.parametrize("name", list(TITLES))
def test_pages_refuse_anyone_not_logged_in(name: str, settings: Settings) -> None:
    at = page(name, settings).run()
    assert not at.title and "[FX-ACC-014]" in errors(at)


def test_router_shows_only_the_login_form_before_a_login(seeded: Settings) -> None:
    Users(Store(seeded.database_url), seeded.access).add("an", "admin",
                                                        TEST_PASSWORD)
    at = router(seeded).run()
    assert not at.exception
    assert [w.label for w in at.text_input] == ["Gebruikersnaam", "Wachtwoord"]
    assert at.text_input[1].proto.type == at.text_input[1].proto.PASSWORD
    assert [b.label for b in at.button] == ["Aanmelden"]
    assert not at.dataframe and [t.value for t in at.title] == ["focuslex"]
    at.switch_page("app_pages/lexicon.py").run()  # asking for a page: still the form
    assert [t.value for t in at.title] == ["focuslex"] and not at.dataframe
    at.text_input[0].input("an")
    at.text_input[1].input("fout wachtwoord")
    at.button[0].click().run()
    assert "[FX-ACC-001]" in errors(at) and LOGIN_KEY not in at.session_state
    at.text_input[1].input(TEST_PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value == "Lexicon"  # the page asked for before the login
    assert "Aangemeld als **an**" in at.sidebar.caption[0].value
    at.sidebar.button(key="logout").click().run()
    assert [w.label for w in at.text_input] == ["Gebruikersnaam", "Wachtwoord"]


def test_lock_out_in_the_form(seeded: Settings) -> None:
    Users(Store(seeded.database_url), seeded.access).add("an", "admin", TEST_PASSWORD)
    at = router(seeded).run()
    at.text_input[0].input("an")
    for _ in range(seeded.access.max_failed_logins):
        at.text_input[1].input("fout wachtwoord")
        at.button[0].click().run()
    at.text_input[1].input(TEST_PASSWORD)
    at.button[0].click().run()
    assert "[FX-ACC-002]" in errors(at) and LOGIN_KEY not in at.session_state


def test_a_one_time_password_must_be_replaced(seeded: Settings) -> None:
    users = Users(Store(seeded.database_url), seeded.access)
    users.add("beheerder", "admin", "eenmalig-wachtwoord", one_time=True)
    at = router(seeded).run()
    at.text_input[0].input("beheerder")
    at.text_input[1].input("eenmalig-wachtwoord")
    at.button[0].click().run()
    assert at.subheader[0].value == "Kies een nieuw wachtwoord"
    at.switch_page("app_pages/overview.py").run()  # no page before the new password
    assert at.subheader[0].value == "Kies een nieuw wachtwoord" and not at.dataframe
    at.text_input(key="login_new").input("mijn nieuwe wachtwoord")
    at.text_input(key="login_new_again").input("mijn nieuw wachtwoord")
    at.button[0].click().run()
    assert "[FX-ACC-012]" in errors(at)
    at.text_input(key="login_new_again").input("mijn nieuwe wachtwoord")
    at.button[0].click().run()
    assert not at.exception and at.title[0].value == "Overzicht"
    assert not users.authenticate("beheerder", "mijn nieuwe wachtwoord").must_change_password


def test_session_timeout_and_changes_take_effect_at_once(seeded: Settings) -> None:
    at = app_login(router(seeded), seeded, "facilitator").run()
    assert at.title[0].value == "Overzicht"
    users = Users(Store(seeded.database_url), seeded.access)
    users.set_role("test-facilitator", "viewer")  # demoted while logged in
    at.run()
    assert at.title[0].value == "Rapport"  # the viewer's first page
    with pytest.raises(ValueError):
        at.switch_page("app_pages/upload.py")
    session: LoginSession = at.session_state[LOGIN_KEY]
    idle = dt.timedelta(minutes=seeded.access.session_timeout_minutes + 1)
    at.session_state[LOGIN_KEY] = LoginSession(session.name, session.started - idle,
                                               session.last_seen - idle)
    at.run()
    assert [w.label for w in at.text_input] == ["Gebruikersnaam", "Wachtwoord"]
    assert "[FX-ACC-011]" in at.info[0].value.replace("\\", "")
    app_login(at, seeded, "facilitator").run()
    users.remove("test-facilitator")  # removed while logged in
    at.run()
    assert [w.label for w in at.text_input] == ["Gebruikersnaam", "Wachtwoord"]


def test_viewer_sees_only_the_agreed_lexicon(seeded: Settings) -> None:
    agreed = {e.id for e in load_seed() if e.status in AGREED_STATUSES}
    assert 0 < len(agreed) < 49
    viewer = app_login(page("lexicon.py", seeded), seeded, "viewer").run()
    assert set(viewer.dataframe[0].value["id"]) == agreed
    assert viewer.caption[0].value == f"{len(agreed)} van {len(agreed)} " + (
        "term" if len(agreed) == 1 else "termen")
    headers = [h.value for h in viewer.subheader]
    assert "Definitie" in headers and "Geschiedenis" not in headers
    assert "In de gesprekken" not in headers
    assert viewer.header[0].value == "allochtoon"  # advised against; its replacement is not
    assert not [b for b in viewer.button if b.label.startswith("Ga naar")]  # agreed yet
    member = app_login(page("lexicon.py", seeded), seeded, "committee").run()
    assert len(member.dataframe[0].value) == 49
    assert "Geschiedenis" in [h.value for h in member.subheader]


def test_what_each_role_may_do_on_the_pages(seeded: Settings) -> None:
    facilitator = app_login(page("upload.py", seeded), seeded, "facilitator").run()
    assert "Analyse starten" in [b.label for b in facilitator.button]
    committee = app_login(page("lexicon_admin.py", seeded), seeded, "committee", "comite")
    committee.run()
    committee.selectbox(key="adm_edit_term").select("integratie").run()
    committee.text_area(key="adm_edit_definition").input("Een definitie van het comité.")
    committee.text_input(key="adm_edit_why").input("vergadering")
    committee.button(key="adm_edit_save").click().run()
    assert not committee.exception
    revision = LexiconStore(Store(seeded.database_url)).history("integratie")[-1]
    assert (revision.by, revision.why) == ("comite", "vergadering")  # the logged-in user


def test_every_page_checks_the_permission_the_router_uses() -> None:
    """Each page of app.py's SECTIONS has its permission in PAGE_PERMISSIONS, and its first
    statement after the imports is `require(Permission.<that permission>)`."""
    from app_pages.context import PAGE_PERMISSIONS

    listed = set(re.findall(r'"(app_pages/\w+\.py)"', (REPO / "app.py").read_text()))
    assert listed == set(PAGE_PERMISSIONS)
    for path, permission in PAGE_PERMISSIONS.items():
        source = (REPO / path).read_text(encoding="utf-8")
        calls = re.findall(r"^(?:\w+ = )?require\(Permission\.(\w+)\)", source, re.M)
        assert calls == [permission.name], (path, calls)


def test_streamlit_listens_on_this_machine_and_hides_error_details() -> None:
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
    assert config["client"]["showErrorDetails"] == "none"
    assert "--server.address 127.0.0.1" in (REPO / "Makefile").read_text(encoding="utf-8")
