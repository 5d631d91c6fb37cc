"""Overzicht: what is stored (documents, speakers, words per group and round)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.context import app_store, literal_markdown, require, show_error
from pipeline.access.roles import Permission
from pipeline.core.errors import FocuslexError
from pipeline.core.formats import format_date, format_int
from pipeline.core.groups import without_role_groups

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
cols[1].metric("Deelnemers aan het woord", format_int(info["participants_who_spoke"]))
cols[2].metric("Begeleiders aan het woord", format_int(info["facilitators_who_spoke"]))
cols[3].metric("Woorden", format_int(info["words"]))

left, right = st.columns(2)
with left:
    st.subheader("Woorden per stakeholdergroep")
    st.bar_chart(pd.Series(without_role_groups(info["words_by_group"]), name="woorden"),
                 horizontal=True)
with right:
    st.subheader("Woorden per ronde")
    st.bar_chart(pd.Series(info["words_by_round"], name="woorden"))

st.subheader("Documenten")
documents = store.documents()
table = pd.DataFrame([{
    "id": d.id, "bestand": d.file_name, "soort": d.kind, "formaat": d.format,
    "focusgroep": d.focus_group, "ronde": "" if d.round is None else str(d.round),
    "datum": format_date(d.date) if d.date else "",
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
