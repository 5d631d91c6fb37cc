"""focuslex Streamlit app: a router over app_pages/ (pages are UI only).

Run with `make run`, or `streamlit run app.py -- --settings FILE --db PATH_OR_URL`.
Nothing is shown before a login (app_pages/login.py); the navigation lists only the pages
the user's role may open (PAGE_PERMISSIONS in app_pages/context.py), and every page checks
its permission again with `require`.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app_pages.context import page_allowed, show_error
from app_pages.login import login_gate
from pipeline.access.users import Actor
from pipeline.core.errors import FocuslexError

HERE = Path(__file__).resolve().parent

# section -> (page file, title, icon); the first page is the default.
SECTIONS: dict[str, list[tuple[str, str, str]]] = {
    "Gesprekken": [("app_pages/overview.py", "Overzicht", ":material/dashboard:"),
                   ("app_pages/upload.py", "Opladen", ":material/upload_file:"),
                   ("app_pages/names_review.py", "Namen nakijken", ":material/person_search:"),
                   ("app_pages/documents.py", "Documenten", ":material/article:")],
    "Analyse": [("app_pages/terms.py", "Termen", ":material/manage_search:"),
                ("app_pages/topics.py", "Onderwerpen", ":material/bubble_chart:"),
                ("app_pages/activities.py", "Activiteiten", ":material/hub:"),
                ("app_pages/report.py", "Rapport", ":material/description:")],
    "Lexicon": [("app_pages/lexicon.py", "Lexicon", ":material/menu_book:"),
                ("app_pages/lexicon_admin.py", "Lexicon beheer", ":material/edit_note:")],
}


def pages(actor: Actor) -> dict[str, list[st.Page]]:
    out: dict[str, list[st.Page]] = {}
    first = True
    for section, entries in SECTIONS.items():
        present = [e for e in entries if (HERE / e[0]).exists() and page_allowed(e[0], actor)]
        if present:
            out[section] = []
            for path, title, icon in present:
                out[section].append(st.Page(str(HERE / path), title=title, icon=icon,
                                            default=first))
                first = False
    return out


st.set_page_config(page_title="focuslex", page_icon=":material/forum:", layout="wide")
user = login_gate()
try:
    st.navigation(pages(user)).run()
except FocuslexError as error:  # a page let one through: still the coded Dutch message
    show_error(error)
