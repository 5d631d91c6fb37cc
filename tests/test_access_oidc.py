"""Single sign-on (OIDC) through Streamlit's `st.login`, with an `[auth]` section as in
`.streamlit/secrets.toml` (`AppTest.secrets`) and the identity provider's answer as `st.user`
(`AppTest.user`): the login page offers the button next to the password form; a signed-in
e-mail address that names a focuslex user gets that user's role; any other address is
refused with a coded Dutch message and gets no page."""

from __future__ import annotations

import pytest
from streamlit import auth_util
from streamlit.testing.v1 import AppTest

from pipeline.access.sessions import LoginSession
from pipeline.access.users import Users
from pipeline.core.settings import Settings
from pipeline.store.database import Store
from tests.conftest import LOGIN_KEY, REPO, TEST_PASSWORD

# The [auth] section of secrets.toml as Streamlit documents it for st.login (one provider).
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "een-lang-willekeurig-geheim-voor-de-cookie",
        "client_id": "focuslex", "client_secret": "geheim-van-de-organisatie",
        "server_metadata_url": "https://login.stad.example/.well-known/openid-configuration"}
SSO_BUTTON = "Aanmelden via je organisatie"


@pytest.fixture
def users(settings: Settings) -> Users:
    users = Users(Store(settings.database_url), settings.access)
    users.add("beheerder", "admin", TEST_PASSWORD)
    users.add("an@stad.be", "committee", TEST_PASSWORD)
    return users


def app(settings: Settings, *, auth: bool = True, user: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=30)
    at.session_state["focuslex_settings"] = settings
    if auth:
        at.secrets["auth"] = dict(AUTH)
    at.user = user if user is not None else {}
    return at


def buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def shown(at: AppTest) -> str:
    return "\n".join([*(e.value for e in at.error), *(c.value for c in at.caption)]
                     ).replace("\\", "").replace("\u2060", "")  # literal_markdown's escapes


def test_without_auth_only_the_password_form(settings: Settings, users: Users) -> None:
    at = app(settings, auth=False, user={"is_logged_in": True, "email": "an@stad.be"}).run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["Gebruikersnaam", "Wachtwoord"]
    assert SSO_BUTTON not in buttons(at)
    assert LOGIN_KEY not in at.session_state  # a st.user without [auth] logs nobody in


def test_with_auth_the_button_is_offered_next_to_the_password_form(
        settings: Settings, users: Users, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth_util, "is_authlib_installed", lambda: True)
    at = app(settings, user={"is_logged_in": False}).run()
    assert not at.exception
    assert SSO_BUTTON in buttons(at)
    assert [t.label for t in at.text_input] == ["Gebruikersnaam", "Wachtwoord"]
    # the password form still works beside it
    at.text_input(key="login_name").input("beheerder")
    at.text_input(key="login_password").input(TEST_PASSWORD)
    at.button[0].click().run()
    assert at.session_state[LOGIN_KEY].name == "beheerder"


def test_with_auth_but_no_authlib_the_reason_is_shown(
        settings: Settings, users: Users, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth_util, "is_authlib_installed", lambda: False)
    at = app(settings, user={"is_logged_in": False}).run()
    assert not at.exception
    assert SSO_BUTTON not in buttons(at)  # a button that can only fail is not offered
    assert "[FX-ACC-019]" in shown(at) and "Authlib" in shown(at)
    assert [t.label for t in at.text_input] == ["Gebruikersnaam", "Wachtwoord"]


def test_a_signed_in_address_gets_the_role_of_that_user(settings: Settings,
                                                        users: Users) -> None:
    at = app(settings, user={"is_logged_in": True, "email": "An@Stad.be",
                             "name": "An Peeters"}).run()
    assert not at.exception
    session = at.session_state[LOGIN_KEY]
    assert isinstance(session, LoginSession)
    assert (session.name, session.method) == ("an@stad.be", "oidc")
    # no login form, and no focuslex password to change (it is the organisation's)
    assert not at.text_input and "Wachtwoord wijzigen" not in str(at)
    assert "Aangemeld als **an@stad.be** · comité · via je organisatie" in shown(at)
    at.switch_page("app_pages/lexicon_admin.py").run()  # the committee's page
    assert not at.exception and at.title[0].value == "Lexicon beheer"
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/upload.py")  # not the committee's


def test_signing_off_ends_the_single_sign_on_too(settings: Settings, users: Users) -> None:
    at = app(settings, user={"is_logged_in": True, "email": "an@stad.be"}).run()
    at.button(key="logout").click().run()
    assert not at.exception
    assert at.user.get("is_logged_in") is False  # st.logout was called
    assert LOGIN_KEY not in at.session_state
    assert [t.label for t in at.text_input] == ["Gebruikersnaam", "Wachtwoord"]


@pytest.mark.parametrize(("email", "code"), [("onbekend@stad.be", "FX-ACC-017"),
                                              ("", "FX-ACC-018")])
def test_an_address_without_a_focuslex_user_is_refused(settings: Settings, users: Users,
                                                       email: str, code: str) -> None:
    at = app(settings, user={"is_logged_in": True, "email": email}).run()
    assert not at.exception
    assert f"[{code}]" in shown(at), shown(at)
    if email:
        assert "onbekend@stad.be" in shown(at) and "users add" in shown(at)
    assert LOGIN_KEY not in at.session_state
    assert buttons(at) == ["Afmelden"]  # only a way out: no page, no form
    assert not at.title and not at.text_input
    assert users.find("onbekend@stad.be") is None  # nobody was made on the fly
