"""The login gate of the app (not a page): app.py calls `login_gate()` before
`st.navigation`, so nothing is shown to someone who is not logged in.

The form has stable labels for tests and the browser test: "Gebruikersnaam", "Wachtwoord",
"Aanmelden"; a one-time password must be replaced first ("Nieuw wachtwoord",
"Herhaal het nieuwe wachtwoord", "Wachtwoord opslaan"); the sidebar has "Afmelden".

Single sign-on (OIDC) through Streamlit's `st.login` is offered only when `[auth]` is
configured in `.streamlit/secrets.toml` (and Authlib is installed): the e-mail address the
identity provider returns must be the name of a focuslex user, whose role then applies.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st
from streamlit import auth_util

from app_pages.context import (LOGIN_KEY, NOTICE_KEY, app_settings, app_users, current_user,
                               literal_markdown, log_in, log_out, show_error)
from pipeline.access.sessions import LoginSession, start_session
from pipeline.access.roles import ROLE_LABELS
from pipeline.access.users import Actor
from pipeline.core.errors import FocuslexError


def _login_form() -> None:
    st.title("focuslex")
    st.subheader("Aanmelden")
    notice = st.session_state.get(NOTICE_KEY)
    if notice:
        st.info(literal_markdown(notice))
    with st.form("login", clear_on_submit=False):
        name = st.text_input("Gebruikersnaam", key="login_name", autocomplete="username")
        password = st.text_input("Wachtwoord", type="password", key="login_password",
                                 autocomplete="current-password")
        submitted = st.form_submit_button("Aanmelden", type="primary")
    if submitted:
        try:
            log_in(name, password)
        except FocuslexError as error:
            show_error(error)
        else:
            st.rerun()
    if _oidc_configured():
        if auth_util.is_authlib_installed():
            st.button("Aanmelden via je organisatie", key="login_oidc", on_click=st.login)
        else:
            st.caption(literal_markdown(FocuslexError("FX-ACC-019").message))
    st.caption("Nog geen account? Vraag het aan een beheerder van focuslex.")


def _oidc_configured() -> bool:
    """Whether `[auth]` is set in .streamlit/secrets.toml (single sign-on offered)."""
    return st.secrets.load_if_toml_exists() and "auth" in st.secrets


def _oidc_session() -> None:
    """After a single sign-on: start a session for the focuslex user named by the e-mail
    address (case does not count). Refused with the coded Dutch message (and a button to
    sign off at the provider) when there is no such user (FX-ACC-017) or no address
    (FX-ACC-018): the identity provider says who you are, focuslex alone says your role."""
    if not _oidc_configured() or not st.user.is_logged_in:
        return
    email = str(st.user.get("email") or "").strip()
    actor = app_users().find(email) if email else None
    if actor is None:
        show_error(FocuslexError("FX-ACC-017", user=email) if email
                   else FocuslexError("FX-ACC-018"))
        st.button("Afmelden", key="logout_oidc", on_click=st.logout)
        st.stop()
    st.session_state[LOGIN_KEY] = start_session(actor.name, dt.datetime.now(dt.timezone.utc),
                                                method="oidc")


def _new_password_form(actor: Actor) -> None:
    st.title("focuslex")
    st.subheader("Kies een nieuw wachtwoord")
    st.write("Je bent aangemeld met een eenmalig wachtwoord. Kies nu je eigen wachtwoord "
             f"(minstens {app_settings().access.min_password_length} tekens).")
    with st.form("new_password"):
        first = st.text_input("Nieuw wachtwoord", type="password", key="login_new",
                              autocomplete="new-password")
        second = st.text_input("Herhaal het nieuwe wachtwoord", type="password",
                               key="login_new_again", autocomplete="new-password")
        submitted = st.form_submit_button("Wachtwoord opslaan", type="primary")
    if submitted:
        try:
            if first != second:
                raise FocuslexError("FX-ACC-012")
            app_users().set_password(actor.name, first)
        except FocuslexError as error:
            show_error(error)
        else:
            st.rerun()
    st.button("Afmelden", key="logout_new_password", on_click=log_out)


def _change_password(actor: Actor) -> None:
    with st.popover("Wachtwoord wijzigen"):
        with st.form("change_password", clear_on_submit=True):
            old = st.text_input("Huidig wachtwoord", type="password", key="pw_old")
            first = st.text_input("Nieuw wachtwoord", type="password", key="pw_new")
            second = st.text_input("Herhaal het nieuwe wachtwoord", type="password",
                                   key="pw_new_again")
            submitted = st.form_submit_button("Wachtwoord opslaan")
        if submitted:
            try:
                if first != second:
                    raise FocuslexError("FX-ACC-012")
                app_users().change_own_password(actor.name, old, first)
            except FocuslexError as error:
                show_error(error)
            else:
                st.success("Je wachtwoord is gewijzigd.")


def _single_sign_on() -> bool:
    """Whether this session was started by a single sign-on (no focuslex password used)."""
    session = st.session_state.get(LOGIN_KEY)
    return isinstance(session, LoginSession) and session.method == "oidc"


def account_sidebar(actor: Actor) -> None:
    """Who is logged in, with 'Wachtwoord wijzigen' (not after a single sign-on: that
    password is the organisation's) and 'Afmelden'."""
    with st.sidebar:
        st.caption(f"Aangemeld als **{literal_markdown(actor.name)}** · "
                   f"{literal_markdown(ROLE_LABELS[actor.role])}"
                   + (" · via je organisatie" if _single_sign_on() else ""))
        if not _single_sign_on():
            _change_password(actor)
        st.button("Afmelden", key="logout", on_click=log_out, icon=":material/logout:")


def login_gate() -> Actor:
    """The logged-in user; otherwise the login (or new-password) form and the run stops."""
    actor = current_user()
    if actor is None:
        _oidc_session()
        actor = current_user()
    if actor is None:
        _login_form()
        st.stop()
    if actor.must_change_password and not _single_sign_on():
        _new_password_form(actor)
        st.stop()
    account_sidebar(actor)
    return actor
