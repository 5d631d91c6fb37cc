"""Activiteiten: where statements fall in the six-activity system model. The matrix activity
x stakeholder group with evidence quotes, and the review of suggestions (confirm or reject,
with name and time). Suggestions are never shown as facts: counts and quotes say whether
they are confirmed. UI only: the work is in pipeline.activities.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.context import app_store
from pipeline.activities.charts import activity_matrix_chart
from pipeline.activities.model import ACTIVITIES, LABELS
from pipeline.activities.suggest import CONFIRMED, REJECTED, SUGGESTED, decide
from pipeline.activities.tables import (speaker_or_source, STATUS_LABELS, activity_matrix, document_activities,
                                        load_suggestions)
from pipeline.core.errors import FocuslexError

PAGE_SIZE = 10


st.title("Activiteiten")
st.caption("Waar de uitspraken vallen in het systeemmodel met zes activiteiten. focuslex "
           "doet voorstellen; pas wanneer een commissielid een voorstel bevestigt, telt het "
           "als bevestigd.")

try:
    store = app_store()
    suggestions = load_suggestions(store)
except FocuslexError as error:
    st.error(error.message)
    st.stop()

with st.expander("De zes activiteiten"):
    for item in ACTIVITIES:
        st.markdown(f"**{item.label}**")
        st.write(item.description)

if suggestions.empty:
    st.info("Er zijn nog geen voorstellen. Voer de analyse uit (`focuslex analyse`, of "
            "`focuslex activities suggest`).")
    st.stop()

flash = st.session_state.pop("act_flash", None)
if flash:
    st.success(flash)

by = st.text_input("Je naam (wordt bij elke beslissing bewaard)", key="act_by").strip()
tab_matrix, tab_review, tab_docs = st.tabs(["Matrix", "Voorstellen beoordelen",
                                            "Per document"], key="act_tabs")

with tab_matrix:
    matrix = activity_matrix(store)
    confirmed = int(matrix["confirmed"].sum())
    st.info(f"{confirmed} fragmenten bevestigd, {int(matrix['suggested'].sum())} nog voorgesteld "
            "(beste voorstel per fragment). Voorstellen zijn geen vaststellingen.")
    st.altair_chart(activity_matrix_chart(matrix), width="stretch")
    cols = st.columns(2)
    activity = cols[0].selectbox("Activiteit", [a.id for a in ACTIVITIES],
                                 format_func=LABELS.get, key="act_cell_activity")
    group = cols[1].selectbox("Groep", sorted(matrix["group"].unique()), key="act_cell_group")
    cell = matrix[(matrix["activity"] == activity) & (matrix["group"] == group)].iloc[0]
    st.markdown(f"**{LABELS[activity]} · {group}**: {cell['confirmed']} bevestigd, "
                f"{cell['suggested']} voorgesteld, {cell['rejected']} verworpen.")
    for quote in cell["quotes"]:
        tag = "bevestigd" if quote["status"] == CONFIRMED else "voorstel, niet bevestigd"
        st.caption(f"{tag} · {speaker_or_source(quote['speaker'], quote['document'])} · "
                   f"ronde {quote['round'] if quote['round'] is not None else '-'}")
        st.text(quote["text"])

with tab_review:
    cols = st.columns(3)
    activity = cols[0].selectbox("Activiteit", [a.id for a in ACTIVITIES],
                                 format_func=LABELS.get, key="act_f_activity")
    groups = cols[1].multiselect("Groep", sorted(suggestions["group"].unique()),
                                 placeholder="alle groepen", key="act_f_group")
    status = cols[2].selectbox("Status", [SUGGESTED, CONFIRMED, REJECTED],
                               format_func=STATUS_LABELS.get, key="act_f_status")
    chosen = suggestions[(suggestions["activity"] == activity)
                         & (suggestions["status"] == status)]
    if groups:
        chosen = chosen[chosen["group"].isin(groups)]
    chosen = chosen.sort_values("score", ascending=False, kind="stable")
    st.caption(f"{len(chosen)} fragmenten; de {min(PAGE_SIZE, len(chosen))} met de hoogste "
               "score eerst.")
    if not by:
        st.warning("Vul hierboven je naam in om voorstellen te bevestigen of te verwerpen.")
    for row in chosen.head(PAGE_SIZE).itertuples():
        with st.container(border=True):
            st.caption(f"{speaker_or_source(row.speaker, 'verklaring')} · {row.group} · ronde "
                       f"{int(row.round) if pd.notna(row.round) else '-'} · {row.document} · "
                       f"score {row.score:.2f}" + (f" · termen: {row.terms}" if row.terms else "")
                       + (f" · {STATUS_LABELS[row.status]} door {row.decided_by}"
                          if row.decided_by else ""))
            st.text(row.text)
            left, right, _ = st.columns([1, 1, 4])
            key = f"{row.document_id}-{row.start}-{row.end}-{row.activity}"
            for column, label, verdict in ((left, "Bevestigen", CONFIRMED),
                                           (right, "Verwerpen", REJECTED)):
                if column.button(label, key=f"act_{verdict}_{key}", disabled=not by
                                 or row.status == verdict):
                    try:
                        decide(store, int(row.document_id), int(row.start), int(row.end),
                               row.activity, verdict, by)
                    except FocuslexError as error:
                        st.error(error.message)
                    else:
                        st.session_state["act_flash"] = (
                            f"{STATUS_LABELS[verdict].capitalize()}: {LABELS[row.activity]}.")
                        st.rerun()

with tab_docs:
    documents = document_activities(store)
    st.caption("Per document: hoeveel fragmenten deze activiteit als beste voorstel kregen, "
               "met de gemiddelde score (voorstellen, tenzij bevestigd).")
    st.dataframe(pd.DataFrame({
        "document": documents["document"], "activiteit": documents["activity_label"],
        "fragmenten": documents["units"], "score": documents["score"].round(3),
        "bevestigd": documents["confirmed"], "verworpen": documents["rejected"]}),
        hide_index=True, width="stretch")
