"""Pages are UI only: every function a page defines draws or reads widgets (uses `st`); work
that needs no Streamlit belongs in the library, where it is tested without it
(tests/test_analysis_service.py, tests/test_lexicon_editing.py). `app_pages/context.py`, the
one home of the app's cached resources, is the exception by design."""

from __future__ import annotations

import ast

from tests.conftest import REPO

# Page functions that need no Streamlit but are about widgets, with why.
WIDGET_HELPERS = {("names_review.py", "_key"): "a stable widget key for a name"}


def test_every_page_function_is_about_the_ui() -> None:
    found = []
    for path in sorted((REPO / "app_pages").glob("*.py")):
        if path.name in ("context.py", "__init__.py"):
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:  # a page's functions
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
            if "st" not in names and (path.name, node.name) not in WIDGET_HELPERS:
                found.append(f"{path.name}:{node.name}")
    assert not found, f"business logic in a page; move it to the library: {found}"


def test_pages_load_no_resource_themselves() -> None:
    """Stores, lexicon stores and pipelines come from app_pages.context only."""
    for path in sorted((REPO / "app_pages").glob("*.py")):
        if path.name == "context.py":
            continue
        text = path.read_text(encoding="utf-8")
        for made in ("Store(", "LexiconStore(", "load_pipeline(", "st.cache_resource",
                     "st.cache_data"):
            assert made not in text, f"{path.name} makes {made} itself"
