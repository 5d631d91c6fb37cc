"""Every cached resource of the app, in one place: the settings from the command line, the
store, the lexicon store and the Dutch spaCy pipeline (`st.cache_resource`, one per
process), and the data the pages read from the store (`st.cache_data`, bounded, keyed by
the database URL and a token that changes with every analysis).

And access: who is logged in (`current_user`), the one permission check every page makes
first (`require(Permission.X)`), and the one way to show an error (`show_error`).

Pages import from here and from the library (`pipeline.analysis.service`, `lexicon.editing`);
they load nothing themselves. Entry points may read their arguments; library stages never do.
User and document text is shown with st.text / st.dataframe, or inside markdown only through
`pipeline.core.text.literal_markdown` (re-exported here as `literal_markdown`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from spacy.language import Language

from lexicon.store import LexiconStore
from pipeline.access.roles import Permission
from pipeline.access.sessions import LoginSession, start_session
from pipeline.access.users import Actor, Users
from pipeline.activities.refresh import refresh_results
from pipeline.analysis.freshness import Freshness, freshness
from pipeline.analysis.concordance import document_texts, hits_version, load_hits
from pipeline.analysis.service import Corpus, assemble_corpus, term_collocations
from pipeline.core.errors import FocuslexError
from pipeline.core.formats import format_count
from pipeline.core.settings import Settings, load_settings
from pipeline.core.text import literal_markdown  # noqa: F401  (re-exported for the pages)
from pipeline.privacy.detect import NameDetector
from pipeline.privacy.keys import bind_key
from pipeline.privacy.review import KeptItem, kept_candidates
from pipeline.nlp.loader import load_pipeline
from pipeline.topics.embeddings import Encoder, load_encoder
from pipeline.store.database import Store

# Bounded data caches: a few databases/analyses, refreshed at least every 15 minutes.
CACHE = {"max_entries": 8, "ttl": 900, "show_spinner": False}
Version = tuple[int, int]

# Every page of app_pages/ and the permission it needs (the router lists only the pages a
# user may open; each page checks the same permission with `require` as its first line).
PAGE_PERMISSIONS: dict[str, Permission] = {
    "app_pages/overview.py": Permission.READ_TRANSCRIPTS,
    "app_pages/upload.py": Permission.UPLOAD,
    "app_pages/names_review.py": Permission.REVIEW_NAMES,
    "app_pages/terms.py": Permission.READ_TRANSCRIPTS,
    "app_pages/documents.py": Permission.READ_TRANSCRIPTS,  # the pseudonymised turns
    # topics and activities quote the transcripts; their curation controls check
    # CURATE_TOPICS / CONFIRM_ACTIVITIES on the page
    "app_pages/topics.py": Permission.READ_TRANSCRIPTS,
    "app_pages/activities.py": Permission.READ_TRANSCRIPTS,
    "app_pages/report.py": Permission.READ_REPORTS,
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
    with the pseudonym key of that database (`bind_key`), or an override placed in
    st.session_state by tests (used as it is)."""
    override = st.session_state.get("focuslex_settings")
    if isinstance(override, Settings):
        return override
    args = _parse_args(sys.argv[1:])
    return _bound_settings(str(args.settings) if args.settings else None, args.db)


@st.cache_resource
def _bound_settings(settings_file: str | None, db: str | None) -> Settings:
    settings = _settings(settings_file, db)
    return bind_key(settings, _store(settings.database_url))


# -- resources (one per process) ---------------------------------------------------------------

@st.cache_resource
def _store(url: str) -> Store:
    return Store(url)


def app_store() -> Store:
    return _store(app_settings().database_url)


@st.cache_resource
def _lexicon_store(url: str, _store: Store) -> LexiconStore:
    return LexiconStore(_store)


def app_lexicon() -> LexiconStore:
    """The lexicon store over the app's store."""
    return _lexicon_store(app_settings().database_url, app_store())


@st.cache_resource(show_spinner="Taalpijplijn laden...")
def _pipeline(model: str, bundled_path: str, _config: Settings) -> Language:
    return load_pipeline(_config)


def app_pipeline() -> Language:
    """The Dutch spaCy pipeline, loaded once per app process (st.cache_resource)."""
    settings = app_settings()
    return _pipeline(settings.nlp.model, str(settings.nlp.bundled_path), settings)


def names_pipeline() -> Language | None:
    """The app's pipeline for name detection at upload, or None when the settings do not
    use one (or none loads: the ingest then warns that it detected names without it)."""
    options = app_settings().pseudonymise
    if not (options.detect_names and options.detect_with_pipeline):
        return None
    try:
        return app_pipeline()
    except FocuslexError:
        return None


# -- data (bounded, keyed by database URL and analysis version) --------------------------------

def data_key() -> tuple[str, Version]:
    """(database URL, hits version): what the data caches below are keyed by."""
    return app_settings().database_url, hits_version(app_store())


@st.cache_data(**CACHE)
def _hits(url: str, version: Version) -> pd.DataFrame:
    return load_hits(app_store())


def cached_hits() -> pd.DataFrame:
    """Every stored hit (the hit frame)."""
    return _hits(*data_key())


@st.cache_data(**CACHE)
def _texts(url: str, version: Version) -> dict[int, str]:
    return document_texts(app_store())


def cached_texts() -> dict[int, str]:
    """document id -> stored (pseudonymised) text."""
    return _texts(*data_key())


@st.cache_data(**CACHE)
def _corpus(url: str, version: Version, cache_dir: str) -> Corpus:
    return assemble_corpus(app_store(), Path(cache_dir))


def cached_corpus() -> Corpus:
    """Content-token segments, words per group and round, share parsed."""
    return _corpus(*data_key(), str(app_settings().paths.cache_dir))


@st.cache_data(**CACHE)
def _collocations(url: str, version: Version, cache_dir: str, term_id: str,
                  min_count: int) -> pd.DataFrame:
    return term_collocations(_corpus(url, version, cache_dir), _hits(url, version), term_id,
                             min_count)


def cached_collocations(term_id: str, min_count: int) -> pd.DataFrame:
    """Collocations of one term, over all groups and per group."""
    return _collocations(*data_key(), str(app_settings().paths.cache_dir), term_id, min_count)


@st.cache_data(max_entries=8, show_spinner="Teksten doorzoeken...")
def _kept(url: str, version: tuple[int, ...], known: tuple[str, ...],
          rejected: tuple[str, ...], documents: tuple[int, ...] | None) -> list[KeptItem]:
    return kept_candidates(app_store(), NameDetector(known=known, rejected=rejected),
                           documents=documents)


def cached_kept_candidates(known: tuple[str, ...], rejected: tuple[str, ...],
                           documents: tuple[int, ...] | None = None) -> list[KeptItem]:
    """Kept name-like words (names review) of `documents` (ids; None: all); computed again
    after every upload or review decision."""
    runs = [app_store().last_run(command) for command in ("ingest", "review")]
    return _kept(app_settings().database_url, tuple(r.id if r else 0 for r in runs),
                 known, rejected, documents)


@st.cache_resource(show_spinner="Taalmodel voor onderwerpen laden...")
def _encoder(name: str) -> Encoder:
    return load_encoder(name)


def app_encoder() -> Encoder:
    """The sentence encoder of topics and activities, loaded once per app process."""
    return _encoder(app_settings().topics.embedder)


# -- stale results ----------------------------------------------------------------------

REFRESH_NOTICE = "focuslex_refresh_notice"


def stale_banner(page: str, button: str = "Resultaten bijwerken",
                 when_missing: bool = True) -> Freshness:
    """The banner of a result page ('terms', 'topics', 'activities', 'report', 'overview',
    'documents'):
    when its results predate the last upload, review decision or lexicon change, say so and
    offer the button that brings them up to date (for who may run the analysis). Returns
    what `pipeline.analysis.freshness.freshness` said. `when_missing=False`: no banner when
    the results were never made (only when they are out of date)."""
    notice = st.session_state.pop(REFRESH_NOTICE, None)
    if notice:
        st.success(literal_markdown(" ".join(notice)), icon=":material/check_circle:")
    state = freshness(app_store(), page)
    if not state.stale or (not when_missing and set(state.parts) == set(state.missing)):
        return state
    user = current_user()
    with st.container(border=True):
        st.warning(literal_markdown(state.sentence), icon=":material/update:")
        if user is None or not user.may(Permission.ANALYSE):
            st.caption("Vraag een begeleider of beheerder om de resultaten bij te werken.")
            return state
        if st.button(button, key=f"refresh-{page}", type="primary", icon=":material/refresh:"):
            run_refresh(list(state.parts))
    return state


def run_refresh(parts: list[str]) -> None:
    """Run these parts of the analysis with a spinner; the outcome is shown (as a notice)
    by the next `stale_banner` after the rerun, an error at once."""
    slow = " Onderwerpen zoeken duurt ongeveer een minuut." if "topics" in parts else ""
    with st.spinner("De analyse loopt..." + slow):
        try:
            report = refresh_results(app_settings(), app_store(), parts, nlp=app_pipeline(),
                                     encoder=app_encoder)
        except FocuslexError as error:
            show_error(error)
            return
    st.session_state[REFRESH_NOTICE] = ["Bijgewerkt."] + report.lines + report.skipped
    st.rerun()


# -- access ---------------------------------------------------------------------------


@st.cache_resource
def _users(url: str, _store: Store) -> Users:
    return Users(_store, app_settings().access)


def app_users() -> Users:
    return _users(app_settings().database_url, app_store())


def upload_hint(limit_mb: float, multiple: bool = False) -> str:
    """The Dutch caption under a file uploader: what to do and the size limit. Streamlit
    (1.67) writes the text inside its drop zone (the button 'Upload', '50MB per file', and
    'Drag and drop files here' while dragging) in English and has no setting to change it."""
    what, it = ("de bestanden", "ze") if multiple else ("het bestand", "het")
    return (f"Sleep {what} naar het vak hierboven, of klik op de knop 'Upload' om {it} "
            f"te kiezen; hoogstens {format_count(limit_mb)} MB per bestand.")


def file_uploader(label: str, types: Sequence[str], key: str, *, multiple: bool = False,
                  help: str | None = None, where: Any = st) -> Any:
    """`st.file_uploader` with the upload limit of the settings (ingest.max_upload_mb, so the
    widget's own 'Limit ... per file' agrees with focuslex) and `upload_hint` under it.
    `where`: st or a column."""
    limit = app_settings().ingest.max_upload_mb
    chosen = where.file_uploader(label, type=[t.lstrip(".") for t in types], key=key,
                                 accept_multiple_files=multiple, help=help,
                                 max_upload_size=max(1, math.ceil(limit)))
    where.caption(literal_markdown(upload_hint(limit, multiple)))
    return chosen


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
        log_out(FocuslexError("FX-ACC-011", minutes=access.session_timeout_minutes))
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
