"""Documenten: the document reader. A stored (pseudonymised) document as its turns —
speaker code, group, time, the wrapped text with the term hits marked (lexicon label on
hover) — with a search box that keeps the turns holding the words and marks them. When the
marked hits predate the last upload, review decision or lexicon change, the stale banner
says so and offers to bring them up to date.

`?doc=ID&turn=N` in the URL opens document ID at turn N (every concordance row on *Termen*
links here). UI only: turns, marks and the escaped HTML come from
`pipeline.analysis.reader`.
"""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitAPIException

from app_pages.context import (app_store, cached_hits, literal_markdown, require, show_error,
                               stale_banner)
from pipeline.access.roles import Permission
from pipeline.analysis.kwic_view import page_of
from pipeline.analysis.reader import (DocumentInfo, Turn, document_turns, documents,
                                      focus_window, matching_turns, turns_html)
from pipeline.core.errors import FocuslexError
from pipeline.core.formats import count_noun, format_int

require(Permission.READ_TRANSCRIPTS)
md = literal_markdown
TURNS_PER_PAGE = 40
FROM_START = "r_from_start_chosen"  # the reader left the turn a concordance line opened


def _param_int(name: str) -> int | None:
    value = st.query_params.get(name, "")
    return int(value) if value.isdigit() else None


def choose_document(docs: list[DocumentInfo]) -> DocumentInfo:
    ids = [d.id for d in docs]
    wanted = _param_int("doc")
    by_id = {d.id: d for d in docs}
    doc_id = st.selectbox("Document", ids, index=ids.index(wanted) if wanted in ids else 0,
                          format_func=lambda i: by_id[i].caption, key="r_doc")
    if str(doc_id) != st.query_params.get("doc"):
        st.query_params["doc"] = str(doc_id)
        st.query_params.pop("turn", None)  # a turn number belongs to the document it came with
    return by_id[doc_id]


def render_header(doc: DocumentInfo, turns: list[Turn]) -> None:
    facts = [("soort", doc.kind), ("ronde", doc.round), ("datum", doc.date),
             ("focusgroep", doc.focus_group), ("groep / organisatie", doc.group)]
    st.caption(" · ".join(f"{name}: {md(value)}" for name, value in facts if value))
    if doc.prompt:
        st.markdown("**Vraag:** " + md(doc.prompt))
    cols = st.columns(3)
    cols[0].metric("Beurten", format_int(len(turns)))
    speakers = len({t.speaker for t in turns if t.speaker})
    cols[1].metric("Sprekers", format_int(speakers) if speakers else "–",
                   help=None if speakers else "Een verklaring heeft geen sprekers.")
    cols[2].metric("Termen gevonden", format_int(sum(len(t.hits) for t in turns)))


def choose_page(turns: list[Turn], focus: int | None) -> list[Turn]:
    """The turns to show: around the focused turn (a concordance line), else one page."""
    row = next((i for i, t in enumerate(turns) if t.index == focus), None)
    if len(turns) <= TURNS_PER_PAGE:
        return turns
    chosen = f"{st.query_params.get('doc')}:{focus}"  # left only for this jump
    if row is not None and st.session_state.get(FROM_START) != chosen:
        start, stop = focus_window(len(turns), row, TURNS_PER_PAGE)
        st.caption(f"Beurten {format_int(start + 1)}–{format_int(stop)} van "
                   f"{format_int(len(turns))}, rond de gekozen beurt.")
        st.button("Het hele gesprek vanaf het begin", key="r_from_start",
                  icon=":material/first_page:", on_click=st.session_state.update,
                  kwargs={FROM_START: chosen})
        return turns[start:stop]
    pages = page_of(len(turns), 1, TURNS_PER_PAGE).pages
    number = st.number_input(f"Pagina (van {pages})", min_value=1, max_value=pages,
                             value=1, key=f"r_page_{len(turns)}")
    page = page_of(len(turns), int(number), TURNS_PER_PAGE)
    st.caption(page.caption.replace("regels", "beurten"))
    return turns[page.start:page.stop]


def render_turns(turns: list[Turn], focus: int | None) -> None:
    query = st.text_input("Zoeken in dit document", key="r_query",
                          placeholder="woord of woorden; hoofdletters en accenten tellen niet",
                          help="Toont alleen de beurten met deze woorden (of deze spreker of "
                               "groep) en markeert ze.")
    shown = matching_turns(turns, query)
    if query.strip():
        st.caption(f"{format_int(len(shown))} van {count_noun(len(turns), 'beurt', 'beurten')} "
                   f"{'bevat' if len(shown) == 1 else 'bevatten'} '{md(query.strip())}'.")
        if not shown:
            st.info("Geen beurt bevat deze woorden. Probeer een kortere of andere zoekterm.")
            return
    st.caption("Geel: een term uit het lexicon (wijs hem aan voor de term). "
               "Blauw: de zoekterm.")
    st.html(turns_html(choose_page(shown, focus), query, focus))


def link_back() -> None:
    term = st.query_params.get("term")
    if not term:
        return
    try:
        st.page_link("app_pages/terms.py", label="Terug naar de concordantie",
                     icon=":material/arrow_back:", query_params={"term": term})
    except StreamlitAPIException:
        pass  # the page runs on its own (tests)


def main() -> None:
    st.title("Documenten")
    st.caption("Lees een gesprek beurt per beurt, gepseudonimiseerd: sprekers staan er met "
               "hun code, namen in de tekst zijn vervangen.")
    stale_banner("documents")  # the marked term hits may predate an upload or lexicon edit
    try:
        docs = documents(app_store())
        if not docs:
            st.info("Er is nog niets opgeladen. Ga naar **Opladen** om transcripten of "
                    "verklaringen toe te voegen.")
            st.stop()
        link_back()
        doc = choose_document(docs)
        turns = document_turns(app_store(), doc.id, cached_hits())
    except FocuslexError as error:
        show_error(error)
        st.stop()
    render_header(doc, turns)
    focus = _param_int("turn")
    if focus is not None and any(t.index == focus for t in turns):
        st.caption(f"Beurt {format_int(focus + 1)} is omrand: daar staat het gebruik uit de "
                   "concordantie.")
    render_turns(turns, focus)


main()
