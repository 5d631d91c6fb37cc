"""Lexicon: browse and search the shared lexicon; one term page with everything about a term.

Search covers every label (hidden misspellings too, which are never shown), the definition
and the scope note. All user text is shown literally (escaped), never as HTML.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.context import app_lexicon, app_store, require
from lexicon.editing import history_rows
from lexicon.model import AGREED_STATUSES, ACTIVITIES, Entry, Sensitivity, Status, literal_markdown
from lexicon.store import LexiconStore
from pipeline.access.roles import Permission
from pipeline.analysis.concordance import load_hits
from pipeline.analysis.service import usage_summary
from pipeline.core.errors import FocuslexError
from pipeline.core.formats import count_noun, format_datetime, format_int

user = require(Permission.READ_AGREED_LEXICON)
# The learning network (viewer) sees only what the committee agreed on, without the
# conversations and the revision history.
FULL = user.may(Permission.READ_LEXICON)
SHOWN_STATUSES = [s.value for s in Status] if FULL else [s.value for s in AGREED_STATUSES]

SENSITIVITY_BOX = {Sensitivity.NEUTRAAL: st.success, Sensitivity.CONTEXTAFHANKELIJK: st.info,
                   Sensitivity.OMSTREDEN: st.warning, Sensitivity.VERMIJDEN: st.error}


md = literal_markdown


def show_to(term_id: str) -> None:
    """Jump to another term: clear the filters so it is among the options."""
    for key in ("lex_search", "lex_status", "lex_sensitivity", "lex_activity"):
        st.session_state.pop(key, None)
    st.session_state["lex_term"] = term_id


def render_usage(entry: Entry) -> None:
    """Lexicon -> corpus: how often the term is used, by whom, with a few examples."""
    st.subheader("In de gesprekken")
    hits = load_hits(app_store(), entry.id)
    summary = usage_summary(hits)
    if summary is None:
        st.caption("Nog geen gebruik gevonden. Laad gesprekken op en start de analyse "
                   "(pagina *Opladen* of `focuslex analyse`).")
        return
    st.markdown(md(f"{format_int(summary.hits)} keer gebruikt door "
                   f"{count_noun(summary.speakers, 'spreker', 'sprekers')} in "
                   f"{count_noun(summary.documents, 'document', 'documenten')}; per groep: "
                   + ", ".join(f"{g} {n}" for g, n in summary.by_group.itertuples(index=False))
                   + "."))
    for sentence in hits["sentence"][:3]:
        st.markdown("> " + md(sentence))
    try:
        st.page_link("app_pages/terms.py", label="Alle gebruiken op de pagina Termen",
                     icon=":material/manage_search:", query_params={"term": entry.id})
    except st.errors.StreamlitAPIException:
        st.caption("Zie de pagina *Termen* voor elk gebruik.")  # page shown on its own


def render_header(entry: Entry, labels: dict[str, str]) -> None:
    if entry.deprecated and entry.replaced_by:
        replacement = labels.get(entry.replaced_by, entry.replaced_by)
        st.error(f"**Afgeraden.** Gebruik in de plaats: **{md(replacement)}**", icon=":material/block:")
        if entry.replaced_by in labels:  # a viewer may not see a replacement under discussion
            st.button(f"Ga naar {md(replacement)}", key="lex_goto_replacement",
                      on_click=show_to, args=(entry.replaced_by,))
    st.header(md(entry.label))
    other = ", ".join(f"{lang}: {text}" for lang, text in entry.pref_label.items()
                      if lang != "nl-BE")
    st.caption(md(f"id {entry.id} · status {entry.status.value} · versie {entry.version} · "
                  f"gewijzigd {format_datetime(entry.modified)} door {entry.modified_by}"
                  + (f" · {other}" if other else "")))


def render_meaning(entry: Entry) -> None:
    """Definition, sensitivity, alternatives, acceptable contexts and examples."""
    st.subheader("Definitie")
    st.markdown(md(entry.definition))
    if entry.scope_note:
        st.markdown("**Toepassingsnota**")
        st.markdown(md(entry.scope_note))
    st.subheader("Gevoeligheid")
    box = SENSITIVITY_BOX[entry.sensitivity]
    box(f"**{entry.sensitivity.value}**" + (f" — {md(entry.sensitivity_note)}"
                                             if entry.sensitivity_note else ""))
    if entry.alternatives:
        st.subheader("Voorkeursalternatieven")
        st.dataframe(pd.DataFrame([{"alternatief": a.label, "voor wie": a.audience,
                                    "toelichting": a.note} for a in entry.alternatives]),
                     hide_index=True, width="stretch")
    if entry.acceptable_contexts:
        st.markdown("**Aanvaardbare contexten**")
        st.markdown("\n".join(f"- {md(c)}" for c in entry.acceptable_contexts))
    if entry.examples:
        st.markdown("**Voorbeelden**")
        st.markdown("\n".join(f"- {md(c)}" for c in entry.examples))


def render_links(entry: Entry, labels: dict[str, str]) -> None:
    """Related terms, activities, sources, word forms and exclusions."""
    left, right = st.columns(2)
    with left:
        if entry.related:
            st.markdown("**Verwante termen**")
            st.markdown(", ".join(md(labels.get(r, r)) for r in entry.related))
        if entry.activities:
            st.markdown("**Activiteiten**")
            st.markdown(", ".join(md(a) for a in entry.activities))
    with right:
        if entry.source_guide:
            st.markdown("**Bronnen**")
            st.markdown("\n".join(f"- {md(s)}" for s in entry.source_guide))
    with st.expander("Woordvormen en uitsluitingen (voor de termherkenning)"):
        st.markdown("**Andere labels en woordvormen:** "
                    + (", ".join(md(t) for t in entry.alt_labels) or "geen"))
        st.markdown("**Uitsluitingen (andere betekenis):** "
                    + (", ".join(md(t) for t in entry.exclusions) or "geen"))


def render_decision(entry: Entry) -> None:
    if entry.decision is None:
        return
    decision = entry.decision
    st.subheader("Besluit")
    st.markdown(md(f"{decision.date}" + (f", {decision.meeting}" if decision.meeting else "")))
    st.markdown(md(decision.rationale))
    for dissent in decision.dissent:
        st.markdown(f"- Afwijkende mening van **{md(dissent.by)}**: {md(dissent.note)}")


def render_term(store: LexiconStore, entry: Entry, labels: dict[str, str]) -> None:
    render_header(entry, labels)
    render_meaning(entry)
    render_links(entry, labels)
    render_decision(entry)
    if not user.may(Permission.READ_TRANSCRIPTS):
        return
    render_usage(entry)
    st.subheader("Geschiedenis")
    st.dataframe(pd.DataFrame(history_rows(store.history(entry.id))), hide_index=True,
                 width="stretch")


st.title("Lexicon")
try:
    lexicon = app_lexicon()
    everything = lexicon.list(statuses=SHOWN_STATUSES)
except FocuslexError as error:
    st.error(md(error.message))
    st.stop()

if not everything:
    st.info("Het lexicon is nog leeg. Laad het startlexicon via **Lexicon beheer**, of op de "
            "opdrachtregel met `focuslex --as NAAM lexicon import --seed`.")
    st.stop()

label_of = {e.id: e.label for e in everything}
search_col, status_col, sens_col, act_col = st.columns([3, 2, 2, 2])
query = search_col.text_input("Zoeken", key="lex_search",
                              placeholder="woord, woordvorm of stuk uit de definitie")
statuses = status_col.multiselect("Status", SHOWN_STATUSES, key="lex_status",
                                  placeholder="alle")
sensitivities = sens_col.multiselect("Gevoeligheid", [s.value for s in Sensitivity],
                                     key="lex_sensitivity", placeholder="alle")
activities = act_col.multiselect("Activiteit", list(ACTIVITIES), key="lex_activity",
                                 placeholder="alle")

found = lexicon.list(query=query, statuses=statuses or SHOWN_STATUSES, sensitivities=sensitivities,
                     activities=activities)
st.caption(f"{format_int(len(found))} van {count_noun(len(everything), 'term', 'termen')}")
if not found:
    st.info("Geen termen gevonden. Pas de zoekterm of de filters aan.")
    st.stop()

st.dataframe(pd.DataFrame([{
    "term": e.label, "status": e.status.value, "gevoeligheid": e.sensitivity.value,
    "gebruik in de plaats": label_of.get(e.replaced_by, "") if e.replaced_by else "",
    "activiteiten": ", ".join(e.activities), "id": e.id} for e in found]),
    hide_index=True, width="stretch")

ids = [e.id for e in found]
wanted = st.query_params.get("term")
if wanted in ids and "lex_term" not in st.session_state:
    st.session_state["lex_term"] = wanted
if st.session_state.get("lex_term") not in ids:
    st.session_state.pop("lex_term", None)
choice = st.selectbox("Bekijk een term", ids, key="lex_term",
                      format_func=lambda i: label_of.get(i, i))
if choice is not None:
    st.divider()
    render_term(lexicon, next(e for e in found if e.id == choice), label_of)
