"""Namen nakijken: the names of other people found in the texts, as one compact table per
upload or document, least sure first, to confirm or keep as ordinary words in bulk (with an
undo of the last bulk action); beside it what was kept but looks like a name. The list and
the decisions come from the private review file beside the key file
(pipeline/privacy/review.py): only on the facilitator's machine, never in the database."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.context import (app_settings, app_store, cached_kept_candidates, literal_markdown,
                               require, show_error, stale_banner)
from pipeline.access.roles import Permission
from pipeline.core.errors import FocuslexError
from pipeline.core.formats import count_noun
from pipeline.privacy.review import (BulkAction, ReviewBook, ReviewRow, add_name,
                                     certainty_label, decide_names, review_path, review_rows,
                                     undo_bulk, upload_label, uploads)

require(Permission.REVIEW_NAMES)
settings = app_settings()
store = app_store()
UPLOAD_KEY = "names_review_upload"  # set by the upload page: the upload to show
LAST_KEY = "names_review_last"  # the last bulk action, for its undo
NOTICE_KEY = "names_review_notice"
ROUND_KEY = "names_review_round"  # bumped after every decision: the tables start unticked
ALL = 0
CONTEXT_PX = 620  # about 90 characters: the short snippet with the name in the middle

st.title("Namen nakijken")
st.write("Bij het opladen zijn namen van andere personen dan de deelnemers (\"mijn collega "
         "Sofie\", \"schepen Vermeulen\") vervangen door **[PERSOON-n]**. Vink in de tabel aan "
         "wat je wil beslissen: **bevestigen** houdt een naam vervangen, **behouden als woord** "
         "zet het woord terug in de tekst. De minst zekere namen staan bovenaan. Je beslissingen "
         "gelden ook voor latere uploads.")
st.caption("Deze lijst staat in een privébestand naast het sleutelbestand, niet in de database.")
stale_banner("overview", when_missing=False)


def _bulk(action: str, rows: list[ReviewRow]) -> None:
    try:
        last = decide_names(settings, store, action, rows)
    except FocuslexError as error:
        show_error(error)
        return
    st.session_state[LAST_KEY] = last
    _done(last.summary())


def _done(message: str) -> None:
    st.session_state[NOTICE_KEY] = message
    st.session_state[ROUND_KEY] = st.session_state.get(ROUND_KEY, 0) + 1
    st.rerun()


def _undo(last: BulkAction) -> None:
    try:
        undo_bulk(settings, store, last)
    except FocuslexError as error:
        show_error(error)
        return
    st.session_state.pop(LAST_KEY, None)
    _done("Ongedaan gemaakt: de namen wachten weer op nakijken.")


def _filters() -> tuple[set[str] | None, tuple[int, ...] | None, str]:
    """The chosen upload and document: (content hashes, document ids), None for all, and a
    key suffix for the tables (a new choice starts them unticked)."""
    made = uploads(store)
    documents = store.documents()
    files = {d.content_hash: d.file_name for d in documents}
    labels = {ALL: "alle uploads"} | {u.run_id: upload_label(u, files) for u in made}
    wanted = st.session_state.get(UPLOAD_KEY)
    cols = st.columns(2)
    upload = cols[0].selectbox("Upload", list(labels), format_func=labels.get,
                               index=list(labels).index(wanted) if wanted in labels else 0)
    chosen = next((u.documents for u in made if u.run_id == upload), None)
    shown = [d for d in documents if chosen is None or d.content_hash in chosen]
    names = {ALL: "alle documenten"} | {d.id: d.file_name for d in shown}
    document = cols[1].selectbox("Document", list(names), format_func=names.get)
    if document != ALL:
        shown = [d for d in shown if d.id == document]
    suffix = f"{st.session_state.get(ROUND_KEY, 0)}-{upload}-{document}"
    if upload == ALL and document == ALL:
        return None, None, suffix
    return {d.content_hash for d in shown}, tuple(d.id for d in shown), suffix


def _replaced_tab(rows: list[ReviewRow], suffix: str) -> None:
    if not rows:
        st.info("Er wachten hier geen gevonden namen op nakijken.")
        return
    table = pd.DataFrame([{
        "kies": False, "naam": r.shown, "context": r.short_context, "waarom vervangen": r.cue,
        "zekerheid": certainty_label(r.confidence), "soort": r.kind, "vermeldingen": r.mentions,
    } for r in rows])
    edited = st.data_editor(
        table, key=f"names_table-{suffix}", hide_index=True, width="stretch", num_rows="fixed",
        disabled=[c for c in table.columns if c != "kies"],
        column_config={"kies": st.column_config.CheckboxColumn("kies", width="small"),
                       "context": st.column_config.TextColumn("context", width=CONTEXT_PX)})
    picked = [r for r, keep in zip(rows, edited["kies"]) if keep]
    cols = st.columns(2)
    if cols[0].button(f"Bevestigen: is een persoon ({len(picked)})", disabled=not picked,
                      help="De gekozen namen blijven vervangen door [PERSOON-n]."):
        _bulk("confirm", picked)
    if cols[1].button(f"Behouden als woord: geen naam ({len(picked)})", disabled=not picked,
                      help="Het woord komt terug in de tekst en wordt niet meer vervangen."):
        _bulk("reject", picked)
    with st.expander("Alle zinnen van één naam"):
        choice = st.selectbox("Naam", range(len(rows)), format_func=lambda i: rows[i].shown)
        for context in (rows[choice].context, *rows[choice].contexts):
            st.text(context)


def _kept_tab(book: ReviewBook, documents: tuple[int, ...] | None, suffix: str) -> None:
    st.caption("Woorden met een hoofdletter die de detectie liet staan als organisatie, plaats "
               "of gewoon woord. Is het toch een persoon, vervang het dan overal.")
    kept = cached_kept_candidates(tuple(sorted(book.known_names)),
                                  tuple(sorted(book.decisions.rejected)), documents)
    if not kept:
        st.info("Niets gevonden dat op een naam lijkt.")
        return
    table = pd.DataFrame([{"kies": False, "woord": k.shown, "context": k.context,
                           "bleef staan omdat": k.reason, "vermeldingen": k.count}
                          for k in kept])
    edited = st.data_editor(
        table, key=f"kept_table-{suffix}", hide_index=True, width="stretch", num_rows="fixed",
        disabled=[c for c in table.columns if c != "kies"],
        column_config={"kies": st.column_config.CheckboxColumn("kies", width="small"),
                       "context": st.column_config.TextColumn("context", width=CONTEXT_PX)})
    picked = [k.shown for k, keep in zip(kept, edited["kies"]) if keep]
    if st.button(f"Toch vervangen: is een persoon ({len(picked)})", disabled=not picked):
        try:
            count = sum(add_name(settings, store, name) for name in picked)
        except FocuslexError as error:
            show_error(error)
            return
        _done(f"{count_noun(count, 'vermelding', 'vermeldingen')} vervangen door [PERSOON-n].")


notice = st.session_state.pop(NOTICE_KEY, None)
if notice:
    st.success(literal_markdown(notice))
last = st.session_state.get(LAST_KEY)
if isinstance(last, BulkAction):
    cols = st.columns([4, 1])
    cols[0].caption("Laatste actie: " + literal_markdown(last.summary()))
    if cols[1].button("Ongedaan maken", icon=":material/undo:"):
        _undo(last)

try:
    book = ReviewBook.load(review_path(settings))
except FocuslexError as error:
    show_error(error)
    st.stop()

hashes, ids, suffix = _filters()
rows = review_rows(book, hashes)
replaced_tab, kept_tab = st.tabs([f"Vervangen, na te kijken ({len(rows)})",
                                  "Behouden maar lijkt op een naam"])
with replaced_tab:
    _replaced_tab(rows, suffix)
with kept_tab:
    _kept_tab(book, ids, suffix)

st.subheader("Gemiste naam toevoegen")
with st.form("add_name", clear_on_submit=True):
    typed = st.text_input("Naam zoals hij in de tekst staat", placeholder="bv. Greetje")
    submitted = st.form_submit_button("Toevoegen en overal vervangen")
if submitted:
    try:
        replaced = add_name(settings, store, typed)
    except FocuslexError as error:
        show_error(error)
    else:
        _done(f"Toegevoegd: {count_noun(replaced, 'vermelding', 'vermeldingen')} vervangen in "
              "de opgeslagen teksten. "
              "Latere uploads vervangen deze naam ook.")

decisions = book.decisions
st.caption(f"Eerder beslist: {len(decisions.confirmed)} bevestigd, {len(decisions.rejected)} "
           f"behouden als woord, {len(decisions.added)} toegevoegd.")
