"""Termen: how each lexicon term is used — concordance, collocations, groups × rounds,
keyness per group — with its lexicon entry beside it. UI only: the data comes from
`pipeline.analysis.service` through the caches of `app_pages.context`.

`?term=ID` in the URL opens that term (the lexicon page can link here).
"""

from __future__ import annotations

import html
from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.errors import StreamlitAPIException

from app_pages.context import (app_lexicon, app_settings, app_store, cached_collocations,
                               cached_corpus,
                               cached_hits, cached_texts, literal_markdown, require, show_error,
                               stale_banner)
from lexicon.model import Entry
from pipeline.analysis.comparison import NO_ROUND, group_round_table
from pipeline.core.groups import without_role_groups
from pipeline.analysis.concordance import MENTION, MENTION_CUES, MENTION_LABELS, USE, kwic
from pipeline.analysis.kwic_view import (PAGE_SIZES, Page, export_bytes, export_table,
                                         jump_caption, kwic_page_html, page_of)
from pipeline.core.csvfile import describe_csv
from pipeline.core.formats import count_noun, format_frame, format_int
from pipeline.analysis.service import (HitFilter, TermChoice, collocation_basis,
                                       collocation_table, filter_term,
                                       keyness_table, lexicon_entries, round_options,
                                       term_choice, usage_summary)
from pipeline.core.errors import FocuslexError
from lexicon.examples import add_sense_example
from pipeline.access.roles import Permission

user = require(Permission.READ_TRANSCRIPTS)
md = literal_markdown

ALL = "alle"
LEXICON_PAGE = "app_pages/lexicon.py"
READER_PAGE = "app_pages/documents.py"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
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
        st.info("Er zijn nog geen termgebruiken gevonden. Laad transcripten op (pagina "
                "Opladen) en start de analyse; daarna verschijnt hier elk gebruik van elke "
                "term.")
        if not entries:
            st.info("Het lexicon is nog leeg. Importeer eerst termen, bv. het startlexicon "
                    "met `focuslex --as NAAM lexicon import --seed`.")
        st.stop()
    if not entries:
        st.warning("Het lexicon is leeg of niet beschikbaar: de termen hieronder komen uit de "
                   "laatste analyse, zonder lexiconfiche (status, gevoeligheid, alternatieven).")
    return hits, entries


def choose_term(choice: TermChoice) -> str:
    """The term to show: from the URL (?term=), else the most used. The box is keyed on its
    captions: after an analysis it is a new box showing the new counts (a keyed box keeps
    the caption it was picked with in the browser), and the URL keeps the choice."""
    wanted = st.query_params.get("term")
    options = choice.options
    term_id = st.selectbox("Term", options,
                           index=options.index(wanted) if wanted in options else 0,
                           format_func=choice.caption, key=f"term-{choice.signature}")
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
        st.page_link(LEXICON_PAGE, label="Open in het lexicon", icon=":material/menu_book:",
                     query_params={"term": entry.id})
    except StreamlitAPIException:
        pass  # the page runs on its own (tests) or the lexicon page is absent


def render_usage(term_hits: pd.DataFrame) -> None:
    st.subheader("Gebruik")
    summary = usage_summary(term_hits)
    if summary is None:
        st.write("Deze term is in de opgeslagen gesprekken niet gevonden.")
        return
    n = format_int
    groups = without_role_groups(summary.by_group, "groep")  # stakeholder groups only
    no_round = summary.no_round_documents
    st.markdown(
        f"**{n(summary.hits)}** keer gebruikt door "
        f"**{count_noun(summary.speakers, 'spreker', 'sprekers')}** in "
        f"**{count_noun(summary.documents, 'document', 'documenten')}** "
        f"({count_noun(len(groups), 'stakeholdergroep', 'stakeholdergroepen')}, "
        f"{count_noun(summary.rounds, 'ronde', 'rondes')}"
        + (f"; {count_noun(no_round, 'document', 'documenten')} zonder ronde" if no_round
           else "") + ").")
    st.markdown(f"Ontkend: {n(summary.negated)} · als woord vermeld: {n(summary.mentioned)}")
    st.dataframe(format_frame(groups), hide_index=True, width="stretch")


def concordance_filter(term_hits: pd.DataFrame) -> HitFilter:
    cols = st.columns(3)
    groups = cols[0].multiselect("Groep", sorted(term_hits["group"].unique()), key="f_group",
                                 placeholder="alle groepen")
    rounds = cols[1].multiselect("Ronde", round_options(term_hits), key="f_round",
                                 placeholder="alle rondes")
    speakers = cols[2].multiselect(
        "Spreker", sorted(s for s in term_hits["speaker"].dropna().unique()),
        key="f_speaker", placeholder="alle sprekers")
    cols = st.columns(4)
    cue_names = {ALL: "alle", USE: "gebruik", MENTION: "vermelding (alle soorten)",
                 **{c: f"vermelding: {MENTION_LABELS[c]}" for c in MENTION_CUES}}
    cue = cols[0].selectbox("Gebruik of vermelding", list(cue_names),
                            format_func=cue_names.get, key="f_mention")
    negation = cols[1].selectbox("Ontkenning", [ALL, "ja", "nee"],
                                 format_func={ALL: "alle", "ja": "ontkend",
                                              "nee": "niet ontkend"}.get, key="f_negated")
    sense, fuzzy = sense_filter(cols[2], cols[3])
    return HitFilter(groups=groups, rounds=rounds, speakers=speakers,
                     mention=None if cue == ALL else cue,
                     negated=None if negation == ALL else negation == "ja",
                     uncertain=None if sense == ALL else sense == "onzeker",
                     fuzzy=None if fuzzy == ALL else fuzzy == "vaag")


def sense_filter(sense_col: DeltaGenerator, fuzzy_col: DeltaGenerator) -> tuple[str, str]:
    with sense_col:
        sense = st.selectbox("Betekenis", [ALL, "onzeker", "zeker"], key="f_sense",
                             format_func={ALL: "alle", "onzeker": "onzeker: nakijken",
                                          "zeker": "zeker"}.get)
    with fuzzy_col:
        fuzzy = st.selectbox("Woordvorm", [ALL, "vaag", "exact"], key="f_fuzzy",
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


def render_pager(total: int) -> Page:
    cols = st.columns([2, 2, 5])
    size = cols[0].selectbox("Regels per pagina", PAGE_SIZES, index=1, key="k_size",
                             format_func=format_int)
    pages = page_of(total, 1, size).pages
    number = cols[1].number_input(f"Pagina (van {format_int(pages)})", min_value=1,
                                  max_value=pages, value=1, key=f"k_page_{size}_{total}")
    return page_of(total, int(number), size)


def render_jump(lines: pd.DataFrame, page: Page) -> None:
    """Open one line of this page in the document reader, at its turn."""
    if not len(lines):
        return
    cols = st.columns([5, 2], vertical_alignment="bottom")
    rows = list(range(page.start, page.stop))
    row = cols[0].selectbox("Regel openen in de documentlezer", rows, key="k_jump",
                            format_func=lambda r: jump_caption(lines.iloc[r], r + 1))
    line = lines.iloc[row if row in rows else page.start]
    try:
        cols[1].page_link(READER_PAGE, label="Open in het document", icon=":material/article:",
                          query_params={"doc": str(int(line["document_id"])),
                                        "turn": str(int(line["utterance_index"])),
                                        "term": str(line["term_id"])})
    except StreamlitAPIException:
        pass  # the page runs on its own (tests) or the reader is absent


def render_export(lines: pd.DataFrame, term_id: str) -> None:
    table = export_table(lines)
    csv_settings = app_settings().csv
    st.caption(f"Exporteer de {count_noun(len(table), 'gefilterde regel', 'gefilterde regels')} "
               f"(alle pagina's), met de hele zin en wie hem zei. CSV: "
               f"{describe_csv(csv_settings)}.")
    cols = st.columns(4)
    for col, fmt, mime in ((cols[0], "csv", "text/csv"), (cols[1], "xlsx", XLSX_MIME)):
        col.download_button(f"{fmt.upper()} downloaden",
                            data=partial(export_bytes, table, fmt, csv_settings),
                            file_name=f"concordantie-{term_id}.{fmt}", mime=mime,
                            icon=":material/download:", on_click="ignore", key=f"k_{fmt}")


def render_concordance(hits: pd.DataFrame, term_id: str, term_hits: pd.DataFrame) -> None:
    wanted = concordance_filter(term_hits)
    chosen = filter_term(hits, term_id, wanted)
    lines = kwic(chosen, cached_texts(), width=80)
    page = render_pager(len(lines))
    st.caption(f"{format_int(len(lines))} van {format_int(len(term_hits))} keer gebruikt; "
               f"{page.caption}. Klik op een regel voor de hele zin, de spreker, de groep, "
               "de ronde en het document.")
    if len(lines):
        st.html(kwic_page_html(lines, page))
        render_jump(lines, page)
        render_export(lines, term_id)
    else:
        st.info("Geen gebruik dat aan deze filters voldoet.")
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
        st.dataframe(format_frame(table), hide_index=True, width="stretch", height=380)
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
    st.dataframe(format_frame(keyness_table(term_hits, counts, by), {"p": 4}), hide_index=True,
                 width="stretch")
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
    stale_banner("terms")
    hits, entries = load()
    choice = term_choice(hits, entries)
    term_id = choose_term(choice)
    term_hits = filter_term(hits, term_id)
    # The entry and the usage side by side above the analyses, which get the full width
    # (the concordance needs it at narrow windows).
    entry_col, usage_col = st.columns(2, gap="large")
    with entry_col, st.expander("Lexiconfiche (status, definitie, alternatieven)",
                                icon=":material/menu_book:"):
        render_entry(entries.get(term_id), entries)
    with usage_col:
        render_usage(term_hits)
    render_analyses(hits, term_id, choice.labels[term_id], term_hits)


main()
