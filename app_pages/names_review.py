"""Namen nakijken: names of other people found in the texts, with their context, to confirm,
reject or add. The list and the decisions come from the private review file beside the key
file (pipeline/privacy/review.py): only on the facilitator's machine, never in the database."""

from __future__ import annotations

import hashlib

import streamlit as st

from app_pages.context import (app_settings, app_store, cached_kept_candidates, literal_markdown,
                               require, show_error)
from pipeline.access.roles import Permission
from pipeline.core.errors import FocuslexError
from pipeline.privacy.review import (REANALYSE_NOTICE, ReviewBook, add_name, confirm_names,
                                     reject_names, review_path)

require(Permission.REVIEW_NAMES)

st.title("Namen nakijken")
st.write("Bij het opladen zijn namen van andere personen dan de deelnemers (\"mijn collega "
         "Sofie\", \"schepen Vermeulen\") vervangen door **[PERSOON-n]**. Kijk ze na vóór de "
         "analyse: **bevestig** wat een persoon is, **verwerp** wat geen naam is (het woord "
         "komt dan terug in de tekst) en **voeg** gemiste namen toe. Je beslissingen gelden "
         "ook voor latere uploads.")
st.caption("Deze lijst staat in een privébestand naast het sleutelbestand, niet in de database.")

settings = app_settings()
notice = st.session_state.pop("names_review_notice", None)
if notice:
    st.success(literal_markdown(notice))


def _key(prefix: str, name: str) -> str:
    return f"{prefix}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:16]}"


def _act(action: str, names: list[str]) -> None:
    """Run one decision; keep its outcome for the next run of the page."""
    try:
        if action == "confirm":
            count = confirm_names(settings, names)
            message = f"{count} naam/namen bevestigd; ze blijven vervangen."
        elif action == "add":
            count = add_name(settings, app_store(), names[0])
            message = f"Toegevoegd: {count} vermelding(en) vervangen in de opgeslagen teksten."
            if count:
                message += " " + REANALYSE_NOTICE
        else:
            count = reject_names(settings, app_store(), names)
            message = f"Verworpen: {count} vermelding(en) teruggezet in de tekst."
            if count:
                message += " " + REANALYSE_NOTICE
    except FocuslexError as error:
        st.session_state["names_review_error"] = error.message
        return
    st.session_state["names_review_notice"] = message


error_message = st.session_state.pop("names_review_error", None)
if error_message:
    st.error(literal_markdown(error_message))
try:
    book = ReviewBook.load(review_path(settings))
except FocuslexError as error:
    show_error(error)
    st.stop()

items = book.pending()
if not items:
    st.info("Er wachten geen gevonden namen op nakijken.")
else:
    st.subheader(f"{len(items)} naam/namen om na te kijken")
    st.button("Alles bevestigen", on_click=_act, args=("confirm", [i.name for i in items]),
              help="Elke naam in deze lijst is echt een persoon.")
    for item in items:
        with st.container(border=True):
            st.text(f"{item.shown} → {', '.join(item.placeholders)} · {item.count} keer in "
                    f"{item.documents} document(en)\nWaarom vervangen: "
                    f"{'; '.join(item.cues) or 'onbekend'}")
            for context in item.contexts:
                st.text(context)
            left, right = st.columns(2)
            left.button("Bevestigen: is een persoon", key=_key("ok", item.name),
                        on_click=_act, args=("confirm", [item.name]))
            right.button("Verwerpen: geen naam", key=_key("no", item.name),
                         on_click=_act, args=("reject", [item.name]))

st.subheader("Lijkt op een naam, maar bleef staan")
st.write("Woorden met een hoofdletter die de detectie als organisatie, plaats of gewoon woord "
         "liet staan. Is het toch een persoon, vervang het dan met één klik overal.")


kept = cached_kept_candidates(tuple(sorted(book.known_names)),
                              tuple(sorted(book.decisions.rejected)))
if not kept:
    st.info("Niets gevonden dat op een naam lijkt.")
for number, candidate in enumerate(kept):
    with st.container(border=True):
        text_column, button_column = st.columns([4, 1])
        text_column.text(f"{candidate.shown} · {candidate.count} keer · bleef staan: "
                         f"{candidate.reason}")
        text_column.text(candidate.context)
        button_column.button("Toch vervangen", key=_key("add", candidate.shown),
                             on_click=_act, args=("add", [candidate.shown]),
                             help="Dit is een persoon: overal vervangen door [PERSOON-n].")

st.subheader("Gemiste naam toevoegen")
with st.form("add_name", clear_on_submit=True):
    typed = st.text_input("Naam zoals hij in de tekst staat", placeholder="bv. Greetje")
    submitted = st.form_submit_button("Toevoegen en overal vervangen")
if submitted:
    try:
        replaced = add_name(settings, app_store(), typed)
    except FocuslexError as error:
        show_error(error)
    else:
        st.success(f"Toegevoegd: {replaced} vermelding(en) vervangen in de opgeslagen teksten. "
                   "Latere uploads vervangen deze naam ook.")
        if replaced:
            st.warning(REANALYSE_NOTICE)

decisions = book.decisions
st.caption(f"Eerder beslist: {len(decisions.confirmed)} bevestigd, {len(decisions.rejected)} "
           f"verworpen, {len(decisions.added)} toegevoegd.")
