"""Shared app plumbing: settings from the command line, the store as a cached resource.

Entry points may read their arguments; library stages never do.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import streamlit as st

from pipeline.core.settings import Settings, load_settings
from pipeline.privacy.keys import bind_key
from pipeline.store.database import Store
from pipeline.nlp.loader import load_pipeline


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
