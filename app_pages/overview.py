"""Overzicht: what is stored (documents, speakers, words per group and round)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException

from app_pages.context import (app_store, literal_markdown, require, show_error,
                                stale_banner)
from pipeline.access.roles import Permission
from pipeline.core.errors import FocuslexError
from pipeline.core.formats import count_noun, format_date, format_int
from pipeline.core.groups import without_role_groups
from pipeline.core.records import KIND_LABELS

require(Permission.READ_TRANSCRIPTS)

st.title("Overzicht")
stale_banner("overview")
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
cols[0].metric("Documenten", format_int(info["documents"]))
cols[1].metric("Deelnemers aan het woord", format_int(info["participants_who_spoke"]))
cols[2].metric("Begeleiders aan het woord", format_int(info["facilitators_who_spoke"]))
cols[3].metric("Woorden", format_int(info["words"]))

# Vega-Lite writes 1,000: the axis labels and tooltips as Belgian numbers (1.000) instead.
DUTCH_AXIS = "replace(format(datum.value, ',d'), regexp(',', 'g'), '.')"


def bar_chart(counts: dict[str, int], category: str, horizontal: bool) -> None:
    """Words per category as bars, numbers in Belgian format, category labels unrotated."""
    frame = pd.DataFrame({category: [str(k) for k in counts], "woorden": list(counts.values()),
                          "aantal": [format_int(v) for v in counts.values()]})
    value = alt.X if horizontal else alt.Y
    name = alt.Y if horizontal else alt.X
    chart = alt.Chart(frame).mark_bar().encode(
        value("woorden:Q", axis=alt.Axis(labelExpr=DUTCH_AXIS, title="woorden")),
        name(f"{category}:N", sort=None, axis=alt.Axis(labelAngle=0, labelLimit=220)),
        tooltip=[alt.Tooltip(f"{category}:N"), alt.Tooltip("aantal:N", title="woorden")])
    st.altair_chart(chart, width="stretch")


left, right = st.columns(2)
with left:
    st.subheader("Woorden per stakeholdergroep")
    bar_chart(without_role_groups(info["words_by_group"]), "groep", horizontal=True)
    st.caption("Zonder begeleiders: dat is een rol in het gesprek, geen stakeholdergroep.")
# rounds in order, the documents without a round (statements, say) last
documents = sorted(store.documents(), key=lambda d: (d.round is None, d.round or 0,
                                                     d.file_name.casefold()))
with right:
    st.subheader("Woorden per ronde")
    bar_chart(info["words_by_round"], "ronde", horizontal=False)
    rounds = {d.round for d in documents if d.round is not None}
    no_round = sum(d.round is None for d in documents)
    st.caption(f"{count_noun(len(rounds), 'ronde', 'rondes')}"
               + (f"; {count_noun(no_round, 'document', 'documenten')} zonder ronde (niet als "
                  "ronde geteld)." if no_round else "."))

st.subheader("Documenten")
# Narrow columns (725 px in all), the file name widest: the table fits the page at 1280
# pixels with the sidebar open and at 800 with it closed (wider pages stretch the columns);
# the format is the file's extension; the focus group or the author's group is one column.
table = pd.DataFrame([{
    "bestand": d.file_name, "soort": KIND_LABELS.get(d.kind, d.kind),
    "ronde": "" if d.round is None else str(d.round),
    "datum": format_date(d.date) if d.date else "",
    "focusgroep / groep": d.focus_group or d.group or d.organisation,
    "woorden": format_int(d.word_count),
} for d in documents])
st.dataframe(table, hide_index=True, width="stretch", column_config={
    "bestand": st.column_config.TextColumn("bestand", width=300),
    "soort": st.column_config.TextColumn("soort", width=75),
    "ronde": st.column_config.TextColumn("ronde", width=50),
    "datum": st.column_config.TextColumn("datum", width=90),
    "focusgroep / groep": st.column_config.TextColumn("focusgroep / groep", width=145),
    "woorden": st.column_config.TextColumn("woorden", width=65),
})

choice = st.selectbox("Bekijk een document", options=[d.id for d in documents],
                      format_func=lambda i: next(f"{d.id}: {d.file_name}" for d in documents
                                                 if d.id == i))
if choice is not None:
    doc = next(d for d in documents if d.id == choice)
    if doc.prompt:
        st.caption("Vraag: " + literal_markdown(doc.prompt))
    try:
        st.page_link("app_pages/documents.py", label="Lees dit document in de documentlezer",
                     icon=":material/article:", query_params={"doc": str(choice)})
    except StreamlitAPIException:
        pass  # the page runs on its own (tests)
    rows = store.utterances(choice)
    speakers = {s.code: s for s in store.speakers()}
    st.dataframe(pd.DataFrame([{
        "beurt": format_int(u.idx), "spreker": s.code if s else "",
        "groep": s.group if s else doc.group,
        "tekst": u.text,
    } for u, s in rows]), hide_index=True, width="stretch", height=400)
