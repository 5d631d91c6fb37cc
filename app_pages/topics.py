"""Onderwerpen: the topics BERTopic found, with their words and example quotes, a map of the
topics, their share per stakeholder group and per round, a group x round heatmap, and the
committee's curation (rename, merge, hide). UI only: the work is in pipeline.topics.

Who reads the analyses (READ_TRANSCRIPTS: facilitator, committee, admin) sees the page; the
tab *Bewerken* is there only for CURATE_TOPICS (committee, admin), and every step is
recorded on the logged-in user's name. Topic labels, words and quotes are shown as text.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from app_pages.context import (app_settings, app_store, literal_markdown, require, show_error,
                               stale_banner)
from pipeline.access.roles import Permission
from pipeline.core.errors import FocuslexError
from pipeline.core.formats import count_noun
from pipeline.topics.charts import group_round_heatmap, topic_bars_chart, topic_map_chart
from pipeline.topics.curation import hide_topic, merge_topics, rename_topic, unmerge_topic
from pipeline.topics.tables import (topic_label, NO_ROUND, group_round_table, load_topic_units,
                                    load_topics, thin_cells, topic_table)

user = require(Permission.READ_TRANSCRIPTS)
md = literal_markdown
CURATE = user.may(Permission.CURATE_TOPICS)

st.title("Onderwerpen")
st.caption("Waarover de gesprekken gaan: onderwerpen die het model (BERTopic) in de zinnen van "
           "de deelnemers en de verklaringen vond. Het model stelt de groepen voor; de namen "
           "kan de commissie zelf kiezen. Zinnen van de begeleiders en korte beurten "
           "('Ja, klopt.') tellen niet mee.")

stale_banner("topics")
try:
    store = app_store()
    settings = app_settings()
    topics = load_topics(store)
    run = store.last_run("topics")
except FocuslexError as error:
    show_error(error)
    st.stop()

if topics.empty:
    st.info("Er zijn nog geen onderwerpen berekend. Laad gesprekken op (pagina *Opladen*) en "
            "werk de resultaten bij met de knop hierboven.")
    st.stop()

flash = st.session_state.pop("top_flash", None)
if flash:
    st.success(md(flash))

visible = topics[~topics["hidden"] & topics["merged_into"].isna()]
details = (run.details or {}) if run is not None else {}
cols = st.columns(4)
cols[0].metric("Onderwerpen", len(visible))
cols[1].metric("Fragmenten", int(topics["size"].sum()))
cols[2].metric("Eerst zonder onderwerp", f"{float(details.get('outlier_share', 0)):.0%}",
               help="Aandeel fragmenten dat het model eerst bij geen enkel onderwerp "
                    "onderbracht; die kregen daarna het onderwerp dat er het dichtst bij ligt.")
cols[3].metric("Verborgen of samengevoegd", len(topics) - len(visible))

tabs = st.tabs(["Onderwerpen", "Kaart", "Per groep", "Per ronde", "Groep × ronde"]
               + (["Bewerken"] if CURATE else []), key="top_tabs")
tab_list, tab_map, tab_group, tab_round, tab_heat = tabs[:5]


topic_name = partial(topic_label, topics)


with tab_list:
    overview = pd.DataFrame({
        "onderwerp": visible["label"], "fragmenten": visible["size"],
        "aandeel": visible["share"], "woorden": [", ".join(w) for w in visible["words"]]})
    st.dataframe(overview.sort_values("fragmenten", ascending=False), hide_index=True,
                 width="stretch",
                 column_config={"aandeel": st.column_config.ProgressColumn(
                     "aandeel", format="percent", min_value=0.0, max_value=1.0)})
    chosen = st.selectbox("Voorbeeldzinnen van", list(visible["topic"]), format_func=topic_name,
                          key="top_examples")
    row = topics[topics["topic"] == chosen].iloc[0]
    st.markdown("**Woorden:**")
    st.text(", ".join(row["words"]))
    st.markdown("**Typische zinnen** (het dichtst bij het midden van het onderwerp):")
    for quote in row["quotes"]:
        st.text(quote)
    units = load_topic_units(store)
    members = units[units["topic"] == chosen]
    with st.expander(f"{'Het' if len(members) == 1 else 'Alle'} "
                     f"{count_noun(len(members), 'fragment', 'fragmenten')} van dit onderwerp"):
        st.dataframe(pd.DataFrame({
            "tekst": members["text"], "spreker": members["speaker"].fillna("-"),
            "groep": members["group"],
            "ronde": ["-" if pd.isna(r) else str(int(r)) for r in members["round"]],
            "document": members["document"]}), hide_index=True, width="stretch")

with tab_map:
    st.altair_chart(topic_map_chart(topics), width="stretch")
    st.caption("Elke cirkel is een onderwerp; hoe groter, hoe meer fragmenten. Onderwerpen "
               "die dicht bij elkaar liggen, gaan over verwante dingen.")

for tab, by in ((tab_group, "group"), (tab_round, "round")):
    with tab:
        table = topic_table(store, by)
        for warning in thin_cells(table, by, settings.topics.min_cell_units):
            st.warning(md(warning))
        st.altair_chart(topic_bars_chart(table, by), width="stretch")
        st.caption("Aandeel van elk onderwerp binnen elke "
                   f"{'groep' if by == 'group' else 'ronde'}. 'zonder ronde' zijn de "
                   "verklaringen.")

with tab_heat:
    heat = group_round_table(store)
    choice = st.selectbox("Onderwerp", ["(alle onderwerpen)", *visible["label"]],
                          key="top_heat")
    st.altair_chart(group_round_heatmap(heat, None if choice.startswith("(") else choice),
                    width="stretch")
    thin = heat.groupby(["group", "round"])["units"].sum()
    few = [f"{g} / {'verklaringen' if r == NO_ROUND else 'ronde ' + r} ({n})"
           for (g, r), n in thin.items() if n < settings.topics.min_cell_units]
    if few:
        st.warning(md("Te weinig fragmenten om iets te zeggen (minder dan "
                      f"{settings.topics.min_cell_units}): " + "; ".join(few)))


def _apply(action: str) -> None:
    st.session_state["top_flash"] = action
    st.rerun()


def edit_tab() -> None:
    """Rename, hide and merge topics: the committee's curation, on the user's name."""
    by = user
    st.caption(md(f"Wijzigingen worden bewaard op naam van {user.name}. Ze blijven bewaard, "
                  "ook als de onderwerpen opnieuw berekend worden: ze worden dan toegepast op "
                  "het nieuwe onderwerp met dezelfde woorden."))
    topic = st.selectbox("Onderwerp", list(topics["topic"]), format_func=topic_name,
                         key="top_edit")
    current = topics[topics["topic"] == topic].iloc[0]
    try:
        with st.form("top_rename"):
            label = st.text_input("Nieuwe naam", value=str(current["label"]),
                                  key=f"top_label_{topic}")
            if st.form_submit_button("Naam bewaren"):
                rename_topic(store, int(topic), label, by)
                _apply(f"Onderwerp {topic} heet nu '{label.strip()}'.")
        hidden = bool(current["hidden"])
        if st.button("Weer tonen" if hidden else "Verbergen", key="top_hide"):
            hide_topic(store, int(topic), by, hidden=not hidden)
            _apply(f"Onderwerp {topic} is {'weer zichtbaar' if hidden else 'verborgen'}.")
        others = [t for t in topics["topic"] if t != topic]
        target = st.selectbox("Samenvoegen met", others, format_func=topic_name,
                              key="top_target")
        if st.button("Samenvoegen", key="top_merge"):
            merge_topics(store, int(topic), int(target), by)
            _apply(f"Onderwerp {topic} telt nu mee bij {topic_name(int(target))}.")
        if pd.notna(current["merged_into"]) and st.button("Samenvoegen ongedaan maken",
                                                          key="top_unmerge"):
            unmerge_topic(store, int(topic), by)
            _apply(f"Onderwerp {topic} staat weer apart.")
    except FocuslexError as error:
        show_error(error)


if CURATE:
    with tabs[5]:
        edit_tab()
