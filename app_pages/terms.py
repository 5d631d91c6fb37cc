"""Termen: how each lexicon term is used — concordance, collocations, groups × rounds,
keyness per group — with its lexicon entry beside it. UI only: the work is in
pipeline.analysis.concordance, pipeline.analysis.collocations and pipeline.analysis.comparison.

`?term=ID` in the URL opens that term (the lexicon page can link here).
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.errors import StreamlitAPIException

from app_pages.context import app_settings, app_store, literal_markdown, require, show_error
from pipeline.access.roles import Permission
from pipeline.analysis.collocations import (Segment, cached_token_tables, find_collocations,
                                   text_segments)
from pipeline.analysis.comparison import (NO_ROUND, dispersion, group_round_table, keyness,
                                 round_key, word_counts, words_by)
from pipeline.analysis.concordance import (MENTION_CUES, MENTION_LABELS, MENTION, USE, document_texts,
                                  filter_hits, hits_version, kwic, load_hits, term_labels)
from pipeline.core.errors import FocuslexError
from pipeline.store.database import Store
from lexicon.store import LexiconStore

require(Permission.READ_TRANSCRIPTS)

CACHE = {"max_entries": 8, "ttl": 900, "show_spinner": False}
ALL = "alle"
LEXICON_PAGE = "app_pages/lexicon.py"


# -- cached data (keyed by database URL and a token that changes with every analysis) -------

@st.cache_data(**CACHE)
def cached_hits(_store: Store, url: str, version: tuple[int, int]) -> pd.DataFrame:
    return load_hits(_store)


@st.cache_data(**CACHE)
def cached_texts(_store: Store, url: str, version: tuple[int, int]) -> dict[int, str]:
    return document_texts(_store)


@st.cache_data(**CACHE)
def cached_corpus(_store: Store, url: str, version: tuple[int, int], cache_dir: str
                  ) -> tuple[list[Segment], pd.DataFrame, float]:
    """Content-token segments (lemmas from the analysis' token cache where present), words
    per group and round, and the share of utterances that had a parse."""
    utterances = _store.stored_utterances()
    tables = cached_token_tables(_store, Path(cache_dir), utterances)
    parsed = len(tables) / len(utterances) if utterances else 0.0
    return text_segments(utterances, tables), word_counts(utterances), parsed


@st.cache_data(**CACHE)
def cached_collocations(_store: Store, url: str, version: tuple[int, int], cache_dir: str,
                        term_id: str, min_count: int) -> pd.DataFrame:
    segments, _, _ = cached_corpus(_store, url, version, cache_dir)
    hits = cached_hits(_store, url, version)
    return find_collocations(segments, hits, terms=[term_id], by_group=True,
                             min_count=min_count)


def lexicon_entries(store: Store) -> dict[str, Any]:
    """term id -> Entry; empty when the lexicon is empty. Not cached: a lexicon edit shows at
    once, and the lexicon is small."""
    return {entry.id: entry for entry in LexiconStore(store).list()}


# -- page ----------------------------------------------------------------------------------

st.title("Termen")
st.caption("Hoe de termen uit het lexicon gebruikt worden: elk gebruik in zijn context, "
           "de woorden eromheen, en de verschillen tussen stakeholdergroepen en rondes.")

try:
    store = app_store()
    settings = app_settings()
    url = settings.database_url
    cache_dir = str(settings.paths.cache_dir)
    version = hits_version(store)
    hits = cached_hits(store, url, version)
    entries = lexicon_entries(store)
except FocuslexError as error:
    show_error(error)
    st.stop()

if not len(hits):
    st.info("Er zijn nog geen termgebruiken gevonden. Laad transcripten op en voer de "
            "analyse uit (`focuslex analyse`); daarna verschijnt hier elk gebruik van elke "
            "term.")
    if not entries:
        st.info("Het lexicon is nog leeg. Importeer eerst termen, bv. het startlexicon met "
                "`focuslex lexicon import --seed --by NAAM`.")
    st.stop()

if not entries:
    st.warning("Het lexicon is leeg of niet beschikbaar: de termen hieronder komen uit de "
               "laatste analyse, zonder lexiconfiche (status, gevoeligheid, alternatieven).")

labels = term_labels(hits, {i: e.label for i, e in entries.items()})
counts = hits["term_id"].value_counts()
options = sorted(labels, key=lambda i: (-int(counts.get(i, 0)), labels[i].casefold(), i))
wanted = st.query_params.get("term")
term_id = st.selectbox(
    "Term", options, index=options.index(wanted) if wanted in options else 0,
    format_func=lambda i: f"{labels[i]} ({int(counts.get(i, 0))}×)", key="term")
st.query_params["term"] = term_id
term_hits = filter_hits(hits, term=term_id)
entry = entries.get(term_id)

main, side = st.columns([3, 1], gap="large")

# -- the lexicon entry beside the analyses --------------------------------------------------
with side:
    st.subheader("Lexiconfiche")
    if entry is None:
        st.info("Deze term staat (nog) niet in het lexicon." if entries else
                "Het lexicon is leeg: er is geen fiche om te tonen.")
    else:
        st.markdown(f"**{literal_markdown(entry.label)}**  \n`{entry.id}`")
        st.markdown(f"**Status:** {entry.status.value}  \n"
                    f"**Gevoeligheid:** {entry.sensitivity.value}")
        if entry.replaced_by:
            replacement = entries.get(entry.replaced_by)
            st.warning("Afgeraden; gebruik liever **" + literal_markdown(
                replacement.label if replacement else entry.replaced_by) + "**.")
        if entry.alternatives:
            st.markdown("**Voorkeursalternatieven:**\n" + "\n".join(
                f"- {literal_markdown(a.label)}"
                + (f" ({literal_markdown(a.audience)})" if a.audience else "")
                for a in entry.alternatives))
        if entry.definition:
            st.markdown(f"**Definitie:** {literal_markdown(entry.definition)}")
        if entry.scope_note:
            st.caption(literal_markdown(entry.scope_note))
        if entry.sensitivity_note:
            st.markdown(f"**Waarom gevoelig:** {literal_markdown(entry.sensitivity_note)}")
        try:
            st.page_link(LEXICON_PAGE, label="Open in het lexicon", icon="📖",
                         query_params={"term": entry.id})
        except StreamlitAPIException:
            pass  # the page runs on its own (tests) or the lexicon page is absent
    st.subheader("Gebruik")
    if len(term_hits):
        spread = dispersion(term_hits).iloc[0]
        st.markdown(
            f"**{int(spread['hits'])}** keer gebruikt door **{int(spread['speakers'])}** "
            f"sprekers in **{int(spread['documents'])}** documenten "
            f"({int(spread['groups'])} groepen, {int(spread['rounds'])} rondes).")
        negated = int(term_hits["negated"].sum())
        mentioned = int((term_hits["mention"] != "").sum())
        st.markdown(f"Ontkend: {negated} · als woord vermeld: {mentioned}")
        by_group = term_hits["group"].value_counts().rename_axis("groep").rename("gebruik")
        st.dataframe(by_group.reset_index(), hide_index=True, width="stretch")
    else:
        st.write("Deze term is in de opgeslagen gesprekken niet gevonden.")

# -- analyses ------------------------------------------------------------------------------
with main:
    if not len(term_hits):
        st.info(f"'{literal_markdown(labels[term_id])}' komt in de opgeslagen documenten niet "
                "voor.")
        st.stop()
    _, counts_by_cell, parsed_share = cached_corpus(store, url, version, cache_dir)
    tab_kwic, tab_coll, tab_matrix, tab_key = st.tabs(
        ["Concordantie", "Collocaties", "Groepen × rondes", "Per groep"])

    with tab_kwic:
        cols = st.columns(5)
        groups = cols[0].multiselect("Groep", sorted(term_hits["group"].unique()), key="f_group",
                                     placeholder="alle groepen")
        round_keys = sorted({round_key(r) for r in term_hits["round"]},
                            key=lambda r: (r == NO_ROUND, int(r) if r.isdigit() else 0))
        rounds = cols[1].multiselect("Ronde", round_keys, key="f_round", placeholder="alle rondes")
        speakers = cols[2].multiselect(
            "Spreker", sorted(s for s in term_hits["speaker"].dropna().unique()),
            key="f_speaker", placeholder="alle sprekers")
        cue_options = [ALL, USE, MENTION, *MENTION_CUES]
        cue_names = {ALL: "alle", USE: "gebruik", MENTION: "vermelding (alle soorten)",
                     **{c: f"vermelding: {MENTION_LABELS[c]}" for c in MENTION_CUES}}
        cue = cols[3].selectbox("Gebruik of vermelding", cue_options,
                                format_func=cue_names.get, key="f_mention")
        negation = cols[4].selectbox("Ontkenning", [ALL, "ja", "nee"],
                                     format_func={ALL: "alle", "ja": "ontkend",
                                                  "nee": "niet ontkend"}.get, key="f_negated")
        chosen = filter_hits(
            term_hits, group=groups or None,
            round=[None if r == NO_ROUND else int(r) for r in rounds] or None,
            speaker=speakers or None, mention=None if cue == ALL else cue,
            negated=None if negation == ALL else negation == "ja")
        texts = cached_texts(store, url, version)
        lines = kwic(chosen, texts, width=45)
        st.caption(f"{len(lines)} van {len(term_hits)} keer gebruikt.")
        # Keyword-in-context first (right-aligned left context), metadata after it.
        table = pd.DataFrame({
            "links": lines["left"], "term": lines["keyword"], "rechts": lines["right"],
            "spreker": lines["speaker"].fillna("-"), "groep": lines["group"],
            "ronde": [round_key(r) for r in lines["round"]],
            "ontkend": lines["negated"].astype(bool),
            "vermelding": [MENTION_LABELS.get(m, m) if m else "" for m in lines["mention"]],
            "samenstelling": lines["compound_part"], "document": lines["document"],
        })
        st.dataframe(
            table.style.set_properties(subset=["links"], **{"text-align": "right"}),
            hide_index=True, width="stretch", height=420,
            column_config={
                "links": st.column_config.TextColumn("links", width="large"),
                "term": st.column_config.TextColumn("term", width="medium"),
                "rechts": st.column_config.TextColumn("rechts", width="large"),
                "document": st.column_config.TextColumn("document", width="medium"),
            })

    with tab_coll:
        cols = st.columns([2, 1])
        group_options = ["", *sorted(term_hits["group"].unique())]
        coll_group = cols[0].selectbox(
            "Groep", group_options, format_func=lambda g: g or "alle groepen", key="c_group")
        min_count = int(cols[1].number_input("Minstens zoveel keer samen", 1, 20, 2,
                                             key="c_min"))
        colls = cached_collocations(store, url, version, cache_dir, term_id, min_count)
        colls = colls[colls["group"] == coll_group]
        if colls.empty:
            st.info("Geen woorden die vaak genoeg in de buurt van deze term voorkomen.")
        else:
            st.dataframe(pd.DataFrame({
                "woord": colls["collocate"], "samen": colls["cooc"],
                "frequentie": colls["collocate_freq"], "G²": colls["g2"].round(2),
                "logDice": colls["log_dice"].round(2),
            }), hide_index=True, width="stretch", height=380)
        basis = ("lemma's van zelfstandige naamwoorden, eigennamen, bijvoeglijke naamwoorden, "
                 "werkwoorden en bijwoorden uit de taalanalyse" if parsed_share >= 0.999 else
                 "woorden zonder stopwoorden (de taalanalyse is niet beschikbaar)"
                 if parsed_share == 0 else
                 f"lemma's uit de taalanalyse voor {parsed_share:.0%} van de beurten, elders "
                 "woorden zonder stopwoorden")
        st.caption(f"Inhoudswoorden ({basis}) binnen 5 woorden links en rechts van de term, "
                   "binnen dezelfde beurt. G² (log-likelihood) boven 3,84 is significant bij "
                   "p < 0,05; logDice (max. 14) meet hoe exclusief het woordpaar is, los van "
                   "de grootte van het corpus.")

    with tab_matrix:
        scale = st.radio("Weergave", ["aantal", "per 10.000 woorden"], horizontal=True,
                         key="m_scale")
        grid = group_round_table(term_hits, counts_by_cell,
                                 per_10k=scale == "per 10.000 woorden")
        figure = go.Figure(go.Heatmap(
            z=grid.to_numpy(), x=[f"ronde {c}" if c != NO_ROUND else c for c in grid.columns],
            y=[html.escape(str(g)) for g in grid.index], colorscale="Blues", hoverongaps=False,
            texttemplate="%{z:.3~g}", colorbar={"title": {"text": scale}},
            hovertemplate="%{y}, %{x}: %{z:.3~g}<extra></extra>"))
        figure.update_layout(height=120 + 40 * len(grid.index),
                             margin={"l": 10, "r": 10, "t": 30, "b": 10},
                             title=html.escape(f"{labels[term_id]}: {scale} per groep en ronde"))
        figure.update_yaxes(autorange="reversed")
        st.plotly_chart(figure, key="heatmap")
        st.caption("Lege vakken: die groep sprak niet in die ronde.")

    with tab_key:
        by = st.radio("Vergelijk", ["group", "round"], horizontal=True,
                      format_func={"group": "groepen", "round": "rondes"}.get, key="k_by")
        table = keyness(term_hits, words_by(counts_by_cell, by), by=by)
        st.dataframe(pd.DataFrame({
            "groep" if by == "group" else "ronde": table["category"],
            "gebruik": table["hits"], "woorden": table["words"],
            "per 10.000": table["per_10k"].round(2),
            "rest per 10.000": table["rest_per_10k"].round(2),
            "G²": table["g2"].round(2), "p": table["p"].round(4),
            "log-ratio": table["log_ratio"].round(2),
        }), hide_index=True, width="stretch")
        st.caption("Per groep (of ronde) tegenover alle andere samen. G² > 0: meer gebruikt "
                   "dan in de rest, G² < 0: minder (p < 0,05 vanaf |G²| = 3,84). Log-ratio: "
                   "1 = twee keer zo vaak, -1 = half zo vaak.")
