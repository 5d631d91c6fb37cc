"""Activiteiten: where statements fall in the six-activity system model. The matrix activity
x stakeholder group with evidence quotes, and the review of suggestions (confirm or reject,
with name and time). Suggestions are never shown as facts: counts and quotes say whether
they are confirmed. UI only: the work is in pipeline.activities.

Who reads the analyses (READ_TRANSCRIPTS) sees the page; the buttons to confirm or reject
are there only for CONFIRM_ACTIVITIES (committee, admin), and a decision is recorded on the
logged-in user's name. Quotes, group and document names are shown as text.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.context import app_store, literal_markdown, require, show_error, stale_banner
from pipeline.access.roles import Permission
from pipeline.activities.charts import activity_matrix_chart
from pipeline.activities.model import ACTIVITIES, LABELS
from pipeline.activities.suggest import CONFIRMED, REJECTED, SUGGESTED, decide
from pipeline.activities.tables import (speaker_or_source, STATUS_LABELS, activity_matrix, document_activities,
                                        load_suggestions)
from pipeline.core.errors import FocuslexError
from pipeline.core.formats import count_noun

user = require(Permission.READ_TRANSCRIPTS)
md = literal_markdown
DECIDE = user.may(Permission.CONFIRM_ACTIVITIES)
PAGE_SIZE = 10


st.title("Activiteiten")
st.caption("Waar de uitspraken vallen in het systeemmodel met zes activiteiten. focuslex "
           "doet voorstellen; pas wanneer een commissielid een voorstel bevestigt, telt het "
           "als bevestigd.")

stale_banner("activities")
try:
    store = app_store()
    suggestions = load_suggestions(store)
except FocuslexError as error:
    show_error(error)
    st.stop()

with st.expander("De zes activiteiten"):
    for item in ACTIVITIES:
        st.markdown(f"**{item.label}**")
        st.write(item.description)

if suggestions.empty:
    st.info("Er zijn nog geen voorstellen. Laad gesprekken op (pagina *Opladen*) en werk de "
            "resultaten bij met de knop hierboven.")
    st.stop()

flash = st.session_state.pop("act_flash", None)
if flash:
    st.success(md(flash))

by = user
tab_matrix, tab_review, tab_docs = st.tabs(["Matrix", "Voorstellen beoordelen",
                                            "Per document"], key="act_tabs")

with tab_matrix:
    matrix = activity_matrix(store)
    confirmed = int(matrix["confirmed"].sum())
    st.info(f"{count_noun(confirmed, 'fragment', 'fragmenten')} bevestigd, "
            f"{int(matrix['suggested'].sum())} nog voorgesteld "
            "(beste voorstel per fragment). Voorstellen zijn geen vaststellingen.")
    st.altair_chart(activity_matrix_chart(matrix), width="stretch")
    cols = st.columns(2)
    activity = cols[0].selectbox("Activiteit", [a.id for a in ACTIVITIES],
                                 format_func=LABELS.get, key="act_cell_activity")
    group = cols[1].selectbox("Groep", sorted(matrix["group"].unique()), key="act_cell_group")
    cell = matrix[(matrix["activity"] == activity) & (matrix["group"] == group)].iloc[0]
    st.markdown(f"**{md(LABELS[activity])} · {md(group)}**: {cell['confirmed']} bevestigd, "
                f"{cell['suggested']} voorgesteld, {cell['rejected']} verworpen.")
    for quote in cell["quotes"]:
        tag = "bevestigd" if quote["status"] == CONFIRMED else "voorstel, niet bevestigd"
        st.caption(md(f"{tag} · {speaker_or_source(quote['speaker'], quote['document'])} · "
                      f"ronde {quote['round'] if quote['round'] is not None else '-'}"))
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
    st.caption(f"{count_noun(len(chosen), 'fragment', 'fragmenten')}; de "
               f"{min(PAGE_SIZE, len(chosen))} met de hoogste score eerst.")
    if DECIDE:
        st.caption(md(f"Beslissingen worden bewaard op naam van {user.name}."))
    else:
        st.caption("Alleen het comité (of een beheerder) kan voorstellen bevestigen of "
                   "verwerpen.")
    for row in chosen.head(PAGE_SIZE).itertuples():
        with st.container(border=True):
            st.caption(md(f"{speaker_or_source(row.speaker, 'verklaring')} · {row.group} · "
                          f"ronde {int(row.round) if pd.notna(row.round) else '-'} · "
                          f"{row.document} · score {row.score:.2f}"
                          + (f" · termen: {row.terms}" if row.terms else "")
                          + (f" · {STATUS_LABELS[row.status]} door {row.decided_by}"
                             if row.decided_by else "")))
            st.text(row.text)
            if not DECIDE:
                continue
            left, right, _ = st.columns([1, 1, 4])
            key = f"{row.document_id}-{row.start}-{row.end}-{row.activity}"
            for column, label, verdict in ((left, "Bevestigen", CONFIRMED),
                                           (right, "Verwerpen", REJECTED)):
                if column.button(label, key=f"act_{verdict}_{key}", disabled=row.status == verdict):
                    try:
                        decide(store, int(row.document_id), int(row.start), int(row.end),
                               row.activity, verdict, by)
                    except FocuslexError as error:
                        show_error(error)
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
