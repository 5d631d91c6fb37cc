"""Termen: how each lexicon term is used — concordance, collocations, groups × rounds,
keyness per group — with its lexicon entry beside it. UI only: the data comes from
`pipeline.analysis.service` through the caches of `app_pages.context`.

`?term=ID` in the URL opens that term (the lexicon page can link here).
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.errors import StreamlitAPIException

from app_pages.context import (app_lexicon, app_store, cached_collocations, cached_corpus,
                               cached_hits, cached_texts, literal_markdown, require, show_error)
from lexicon.model import Entry
from pipeline.analysis.comparison import NO_ROUND, group_round_table
from pipeline.core.groups import without_role_groups
from pipeline.analysis.concordance import MENTION, MENTION_CUES, MENTION_LABELS, USE, kwic
from pipeline.analysis.service import (HitFilter, TermChoice, collocation_basis,
                                       collocation_table, concordance_table, filter_term,
                                       keyness_table, lexicon_entries, round_options,
                                       term_choice, usage_summary)
from pipeline.core.errors import FocuslexError
from lexicon.examples import add_sense_example
from pipeline.access.roles import Permission

user = require(Permission.READ_TRANSCRIPTS)
md = literal_markdown

ALL = "alle"
LEXICON_PAGE = "app_pages/lexicon.py"
PER_10K = "per 10.000 woorden"


def load() -> tuple[pd.DataFrame, dict[str, Entry]]:
    """The stored hits and the lexicon; stops the page with the Dutch message on an error,
    or with what to do when there is nothing to show yet."""
    try:
        hits = cached_hits()
        entries = lexicon_entries(app_store())  # not cached: an edit shows at once
    except FocuslexError as error:
        show_error(error)
        st.stop()
    if not len(hits):
        st.info("Er zijn nog geen termgebruiken gevonden. Laad transcripten op en voer de "
                "analyse uit (`focuslex analyse`); daarna verschijnt hier elk gebruik van "
                "elke term.")
        if not entries:
            st.info("Het lexicon is nog leeg. Importeer eerst termen, bv. het startlexicon "
                    "met `focuslex --as NAAM lexicon import --seed`.")
        st.stop()
    if not entries:
        st.warning("Het lexicon is leeg of niet beschikbaar: de termen hieronder komen uit de "
                   "laatste analyse, zonder lexiconfiche (status, gevoeligheid, alternatieven).")
    return hits, entries


def choose_term(choice: TermChoice) -> str:
    wanted = st.query_params.get("term")
    options = choice.options
    term_id = st.selectbox("Term", options,
                           index=options.index(wanted) if wanted in options else 0,
                           format_func=choice.caption, key="term")
    st.query_params["term"] = term_id
    return term_id


def render_entry(entry: Entry | None, entries: dict[str, Entry]) -> None:
    """The lexicon entry beside the analyses."""
    st.subheader("Lexiconfiche")
    if entry is None:
        st.info("Deze term staat (nog) niet in het lexicon." if entries else
                "Het lexicon is leeg: er is geen fiche om te tonen.")
        return
    st.markdown(f"**{md(entry.label)}**  \n`{entry.id}`")
    st.markdown(f"**Status:** {entry.status.value}  \n"
                f"**Gevoeligheid:** {entry.sensitivity.value}")
    if entry.replaced_by:
        replacement = entries.get(entry.replaced_by)
        st.warning("Afgeraden; gebruik liever **"
                   + md(replacement.label if replacement else entry.replaced_by) + "**.")
    if entry.alternatives:
        st.markdown("**Voorkeursalternatieven:**\n" + "\n".join(
            f"- {md(a.label)}" + (f" ({md(a.audience)})" if a.audience else "")
            for a in entry.alternatives))
    if entry.definition:
        st.markdown(f"**Definitie:** {md(entry.definition)}")
    if entry.scope_note:
        st.caption(md(entry.scope_note))
    if entry.sensitivity_note:
        st.markdown(f"**Waarom gevoelig:** {md(entry.sensitivity_note)}")
    try:
        st.page_link(LEXICON_PAGE, label="Open in het lexicon", icon="📖",
                     query_params={"term": entry.id})
    except StreamlitAPIException:
        pass  # the page runs on its own (tests) or the lexicon page is absent


def render_usage(term_hits: pd.DataFrame) -> None:
    st.subheader("Gebruik")
    summary = usage_summary(term_hits)
    if summary is None:
        st.write("Deze term is in de opgeslagen gesprekken niet gevonden.")
        return
    st.markdown(
        f"**{summary.hits}** keer gebruikt door **{summary.speakers}** sprekers in "
        f"**{summary.documents}** documenten ({summary.groups} groepen, "
        f"{summary.rounds} rondes).")
    st.markdown(f"Ontkend: {summary.negated} · als woord vermeld: {summary.mentioned}")
    st.dataframe(summary.by_group, hide_index=True, width="stretch")


def concordance_filter(term_hits: pd.DataFrame) -> HitFilter:
    cols = st.columns(5)
    groups = cols[0].multiselect("Groep", sorted(term_hits["group"].unique()), key="f_group",
                                 placeholder="alle groepen")
    rounds = cols[1].multiselect("Ronde", round_options(term_hits), key="f_round",
                                 placeholder="alle rondes")
    speakers = cols[2].multiselect(
        "Spreker", sorted(s for s in term_hits["speaker"].dropna().unique()),
        key="f_speaker", placeholder="alle sprekers")
    cue_names = {ALL: "alle", USE: "gebruik", MENTION: "vermelding (alle soorten)",
                 **{c: f"vermelding: {MENTION_LABELS[c]}" for c in MENTION_CUES}}
    cue = cols[3].selectbox("Gebruik of vermelding", list(cue_names),
                            format_func=cue_names.get, key="f_mention")
    negation = cols[4].selectbox("Ontkenning", [ALL, "ja", "nee"],
                                 format_func={ALL: "alle", "ja": "ontkend",
                                              "nee": "niet ontkend"}.get, key="f_negated")
    sense, fuzzy = sense_filter()
    return HitFilter(groups=groups, rounds=rounds, speakers=speakers,
                     mention=None if cue == ALL else cue,
                     negated=None if negation == ALL else negation == "ja",
                     uncertain=None if sense == ALL else sense == "onzeker",
                     fuzzy=None if fuzzy == ALL else fuzzy == "vaag")


def sense_filter() -> tuple[str, str]:
    cols = st.columns([3, 3, 4])
    sense = cols[0].selectbox("Betekenis", [ALL, "onzeker", "zeker"], key="f_sense",
                              format_func={ALL: "alle", "onzeker": "onzeker: nakijken",
                                           "zeker": "zeker"}.get)
    fuzzy = cols[1].selectbox("Woordvorm", [ALL, "vaag", "exact"], key="f_fuzzy",
                              format_func={ALL: "alle", "vaag": "vaag gevonden (OCR, typfout)",
                                           "exact": "exact gevonden"}.get)
    return sense, fuzzy


def confirm_sense(chosen: pd.DataFrame, term_id: str) -> None:
    """Confirm the sense of one uncertain use: its sentence becomes an example sentence."""
    with st.form("sense_confirm", border=True):
        st.markdown("**Betekenis bevestigen**: de zin wordt een voorbeeldzin in het lexicon; "
                    "de volgende analyse gebruikt hem.")
        sentences = list(dict.fromkeys(chosen["sentence"]))
        sentence = st.selectbox("Zin", sentences, key="sense_sentence")
        st.caption(md(f"Bewaard op naam van {user.name}."))
        left, right = st.columns(2)
        same = left.form_submit_button("Juist: deze betekenis", type="primary")
        other = right.form_submit_button("Fout: een andere betekenis")
    if same or other:
        try:
            saved = add_sense_example(app_lexicon(), term_id, sentence, user.name,
                                      other_sense=other)
        except FocuslexError as error:
            show_error(error)
        else:
            st.success(f"Bewaard als voorbeeldzin bij {md(saved.label)} (versie {saved.version}). "
                       "Voer de analyse opnieuw uit om de gebruiken opnieuw te beoordelen.")


def render_concordance(hits: pd.DataFrame, term_id: str, term_hits: pd.DataFrame) -> None:
    wanted = concordance_filter(term_hits)
    chosen = filter_term(hits, term_id, wanted)
    lines = kwic(chosen, cached_texts(), width=45)
    st.caption(f"{len(lines)} van {len(term_hits)} keer gebruikt.")
    # Keyword-in-context first (right-aligned left context), metadata after it.
    st.dataframe(
        concordance_table(lines).style.set_properties(subset=["links"],
                                                      **{"text-align": "right"}),
        hide_index=True, width="stretch", height=420,
        column_config={
            "links": st.column_config.TextColumn("links", width="large"),
            "term": st.column_config.TextColumn("term", width="medium"),
            "rechts": st.column_config.TextColumn("rechts", width="large"),
            "document": st.column_config.TextColumn("document", width="medium"),
        })
    # Confirming a sense edits the lexicon: the committee's work (CURATE_LEXICON).
    if wanted.uncertain and len(chosen) and user.may(Permission.CURATE_LEXICON):
        confirm_sense(chosen, term_id)


def render_collocations(term_id: str, term_hits: pd.DataFrame, parsed_share: float) -> None:
    cols = st.columns([2, 1])
    group = cols[0].selectbox("Groep", ["", *sorted(term_hits["group"].unique())],
                              format_func=lambda g: g or "alle groepen", key="c_group")
    min_count = int(cols[1].number_input("Minstens zoveel keer samen", 1, 20, 2, key="c_min"))
    table = collocation_table(cached_collocations(term_id, min_count), group)
    if table.empty:
        st.info("Geen woorden die vaak genoeg in de buurt van deze term voorkomen.")
    else:
        st.dataframe(table, hide_index=True, width="stretch", height=380)
    st.caption(f"Inhoudswoorden ({collocation_basis(parsed_share)}) binnen 5 woorden links en "
               "rechts van de term, binnen dezelfde beurt. G² (log-likelihood) boven 3,84 is "
               "significant bij p < 0,05; logDice (max. 14) meet hoe exclusief het woordpaar "
               "is, los van de grootte van het corpus.")


def render_matrix(label: str, term_hits: pd.DataFrame, counts: pd.DataFrame) -> None:
    scale = st.radio("Weergave", ["aantal", PER_10K], horizontal=True, key="m_scale")
    grid = group_round_table(without_role_groups(term_hits),  # no facilitator row
                             without_role_groups(counts), per_10k=scale == PER_10K)
    figure = go.Figure(go.Heatmap(
        z=grid.to_numpy(), x=[f"ronde {c}" if c != NO_ROUND else c for c in grid.columns],
        y=[html.escape(str(g)) for g in grid.index], colorscale="Blues", hoverongaps=False,
        texttemplate="%{z:.3~g}", colorbar={"title": {"text": scale}},
        hovertemplate="%{y}, %{x}: %{z:.3~g}<extra></extra>"))
    figure.update_layout(height=120 + 40 * len(grid.index),
                         margin={"l": 10, "r": 10, "t": 30, "b": 10},
                         title=html.escape(f"{label}: {scale} per groep en ronde"))
    figure.update_yaxes(autorange="reversed")
    st.plotly_chart(figure, key="heatmap")
    st.caption("Lege vakken: die groep sprak niet in die ronde.")


def render_keyness(term_hits: pd.DataFrame, counts: pd.DataFrame) -> None:
    by = st.radio("Vergelijk", ["group", "round"], horizontal=True,
                  format_func={"group": "groepen", "round": "rondes"}.get, key="k_by")
    st.dataframe(keyness_table(term_hits, counts, by), hide_index=True, width="stretch")
    st.caption("Per groep (of ronde) tegenover alle andere samen. G² > 0: meer gebruikt "
               "dan in de rest, G² < 0: minder (p < 0,05 vanaf |G²| = 3,84). Log-ratio: "
               "1 = twee keer zo vaak, -1 = half zo vaak.")


def render_analyses(hits: pd.DataFrame, term_id: str, label: str,
                    term_hits: pd.DataFrame) -> None:
    if not len(term_hits):
        st.info(f"'{md(label)}' komt in de opgeslagen documenten niet voor.")
        return
    corpus = cached_corpus()
    tab_kwic, tab_coll, tab_matrix, tab_key = st.tabs(
        ["Concordantie", "Collocaties", "Groepen × rondes", "Per groep"])
    with tab_kwic:
        render_concordance(hits, term_id, term_hits)
    with tab_coll:
        render_collocations(term_id, term_hits, corpus.parsed_share)
    with tab_matrix:
        render_matrix(label, term_hits, corpus.counts)
    with tab_key:
        render_keyness(term_hits, corpus.counts)


def main() -> None:
    st.title("Termen")
    st.caption("Hoe de termen uit het lexicon gebruikt worden: elk gebruik in zijn context, "
               "de woorden eromheen, en de verschillen tussen stakeholdergroepen en rondes.")
    hits, entries = load()
    choice = term_choice(hits, entries)
    term_id = choose_term(choice)
    term_hits = filter_term(hits, term_id)
    main_col, side = st.columns([3, 1], gap="large")
    with side:
        render_entry(entries.get(term_id), entries)
        render_usage(term_hits)
    with main_col:
        render_analyses(hits, term_id, choice.labels[term_id], term_hits)


main()
