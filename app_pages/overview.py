"""Overzicht: what is stored (documents, speakers, words per group and round)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.context import app_store, literal_markdown, require, show_error
from pipeline.access.roles import Permission
from pipeline.core.errors import FocuslexError

require(Permission.READ_TRANSCRIPTS)

st.title("Overzicht")
try:
    store = app_store()
    info = store.status()
except FocuslexError as error:
    show_error(error)
    st.stop()

if not info["documents"]:
    st.info("Er is nog niets opgeladen. Ga naar **Opladen** om transcripten of verklaringen "
            "toe te voegen.")
    st.stop()

cols = st.columns(4)
cols[0].metric("Documenten", info["documents"])
cols[1].metric("Sprekers", info["speakers"])
cols[2].metric("Aan het woord", info["speakers_who_spoke"])
cols[3].metric("Woorden", f"{info['words']:,}".replace(",", "."))

left, right = st.columns(2)
with left:
    st.subheader("Woorden per stakeholdergroep")
    st.bar_chart(pd.Series(info["words_by_group"], name="woorden"), horizontal=True)
with right:
    st.subheader("Woorden per ronde")
    st.bar_chart(pd.Series(info["words_by_round"], name="woorden"))

st.subheader("Documenten")
documents = store.documents()
table = pd.DataFrame([{
    "id": d.id, "bestand": d.file_name, "soort": d.kind, "formaat": d.format,
    "focusgroep": d.focus_group, "ronde": d.round if d.round is not None else "", "datum": d.date,
    "groep / organisatie": d.group or d.organisation, "woorden": d.word_count,
} for d in documents])
st.dataframe(table, hide_index=True, width="stretch")

choice = st.selectbox("Bekijk een document", options=[d.id for d in documents],
                      format_func=lambda i: next(f"{d.id}: {d.file_name}" for d in documents
                                                 if d.id == i))
if choice is not None:
    doc = next(d for d in documents if d.id == choice)
    if doc.prompt:
        st.caption("Vraag: " + literal_markdown(doc.prompt))
    rows = store.utterances(choice)
    speakers = {s.code: s for s in store.speakers()}
    st.dataframe(pd.DataFrame([{
        "beurt": u.idx, "spreker": s.code if s else "", "groep": s.group if s else doc.group,
        "tekst": u.text,
    } for u, s in rows]), hide_index=True, width="stretch", height=400)
