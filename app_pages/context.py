"""Shared app plumbing: settings from the command line, the store as a cached resource,
and access: who is logged in (`current_user`), the one permission check every page makes
first (`require(Permission.X)`), and the one way to show an error (`show_error`).

Entry points may read their arguments; library stages never do. User and document text is
shown with st.text / st.dataframe, or inside markdown only through
`pipeline.core.text.literal_markdown` (re-exported here as `literal_markdown`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import streamlit as st

from pipeline.access.roles import Permission
from pipeline.access.sessions import LoginSession, start_session
from pipeline.access.users import Actor, Users
from pipeline.core.errors import FocuslexError
from pipeline.core.settings import Settings, load_settings
from pipeline.core.text import literal_markdown
from pipeline.store.database import Store
from pipeline.nlp.loader import load_pipeline

__all__ = ["PAGE_PERMISSIONS", "app_settings", "app_store", "app_users", "current_user",
           "literal_markdown", "log_in", "log_out", "page_allowed", "require", "show_error"]

# Every page of app_pages/ and the permission it needs (the router lists only the pages a
# user may open; each page checks the same permission with `require` as its first line).
PAGE_PERMISSIONS: dict[str, Permission] = {
    "app_pages/overview.py": Permission.READ_TRANSCRIPTS,
    "app_pages/upload.py": Permission.UPLOAD,
    "app_pages/names_review.py": Permission.REVIEW_NAMES,
    "app_pages/terms.py": Permission.READ_TRANSCRIPTS,
    "app_pages/lexicon.py": Permission.READ_AGREED_LEXICON,
    "app_pages/lexicon_admin.py": Permission.CURATE_LEXICON,
}
LOGIN_KEY = "focuslex_login"
NOTICE_KEY = "focuslex_login_notice"


def _parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--settings", type=Path)
    parser.add_argument("--db")
    args, _ = parser.parse_known_args(argv)
    return args


@st.cache_resource
def _settings(settings_file: str | None, db: str | None) -> Settings:
    return load_settings(Path(settings_file) if settings_file else None).with_database(db)


def app_settings() -> Settings:
    """Settings for this app session: `--settings`/`--db` after `--` on the command line,
    or an override placed in st.session_state by tests."""
    override = st.session_state.get("focuslex_settings")
    if isinstance(override, Settings):
        return override
    args = _parse_args(sys.argv[1:])
    return _settings(str(args.settings) if args.settings else None, args.db)


@st.cache_resource
def _store(url: str) -> Store:
    return Store(url)


def app_store() -> Store:
    return _store(app_settings().database_url)


@st.cache_resource(show_spinner="Taalpijplijn laden...")
def _pipeline(model: str, bundled_path: str) -> object:

    return load_pipeline(app_settings())


def app_pipeline() -> object:
    """The Dutch spaCy pipeline, loaded once per app process (st.cache_resource)."""
    nlp = app_settings().nlp
    return _pipeline(nlp.model, str(nlp.bundled_path))


@st.cache_resource
def _users(url: str, _store: Store) -> Users:
    return Users(_store, app_settings().access)


def app_users() -> Users:
    return _users(app_settings().database_url, app_store())


def show_error(error: FocuslexError) -> None:
    """A coded Dutch error message, shown as text (its values may come from users)."""
    st.error(literal_markdown(error.message), icon=":material/error:")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def current_user() -> Actor | None:
    """The logged-in user (checked against the users table on every run, so a removed
    user or a changed role counts at once); None when nobody is logged in or the session
    timed out (then the login form says so)."""
    session = st.session_state.get(LOGIN_KEY)
    if not isinstance(session, LoginSession):
        return None
    access = app_settings().access
    now = _now()
    if session.expired(now, access):
        log_out(FocuslexError("FX-ACC-011", minutes=f"{access.session_timeout_minutes:g}"))
        return None
    actor = app_users().find(session.name)
    if actor is None:
        log_out(FocuslexError("FX-ACC-003", user=session.name))
        return None
    st.session_state[LOGIN_KEY] = session.touched(now)
    return actor


def require(permission: Permission) -> Actor:
    """The first line of every page: the logged-in user when their role has `permission`;
    otherwise a coded Dutch message and the page stops."""
    actor = current_user()
    try:
        if actor is None:
            raise FocuslexError("FX-ACC-014")
        return actor.require(permission)
    except FocuslexError as error:
        show_error(error)
        st.stop()
        raise  # st.stop() raises; this line only satisfies the type checker


def page_allowed(path: str, actor: Actor) -> bool:
    """Whether the router lists this page (a page missing from PAGE_PERMISSIONS: admin only)."""
    permission = PAGE_PERMISSIONS.get(path, Permission.MANAGE_SETTINGS)
    return actor.may(permission)


def log_in(name: str, password: str) -> Actor:
    """Check name and password (FocuslexError on failure) and start a session."""
    actor = app_users().authenticate(name, password)
    st.session_state[LOGIN_KEY] = start_session(actor.name, _now())
    st.session_state.pop(NOTICE_KEY, None)
    return actor


def log_out(notice: FocuslexError | None = None) -> None:
    """End the session (also the single sign-on one, else it would start again at once)."""
    session = st.session_state.pop(LOGIN_KEY, None)
    if notice is not None:
        st.session_state[NOTICE_KEY] = notice.message
    if isinstance(session, LoginSession) and session.method == "oidc":
        st.logout()
