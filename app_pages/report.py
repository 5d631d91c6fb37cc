"""Rapport: build the report for the learning network (the same as `focuslex report`), show
its HTML version and offer every format for download. UI only: the work is in
pipeline.reports (build, export with the leak scan)."""

from __future__ import annotations

import datetime as dt

import streamlit as st
import streamlit.components.v1 as components

from app_pages.context import (app_lexicon, app_settings, app_store, cached_hits, literal_markdown,
                               require, show_error, stale_banner)
from pipeline.access.roles import Permission
from pipeline.core.csvfile import describe_csv
from pipeline.core.errors import FocuslexError
from pipeline.privacy.leaks import leak_scanner
from pipeline.reports.build import make_report
from pipeline.reports.context import ReportOptions
from pipeline.reports.export import FORMATS, MEDIA_TYPES, SUFFIXES, export_report

FORMAT_NAMES = {"html": "HTML", "docx": "Word", "pdf": "PDF", "xlsx": "Excel",
                "csv": "CSV (zip)"}
LATEST = 0

# The report is for the learning network: every role reads it; it is made by the logged-in user.
user = require(Permission.READ_REPORTS)

st.title("Rapport")
st.caption("Een rapport voor het lerend netwerk: wat geanalyseerd werd, hoe elke gevoelige term "
           "gebruikt werd, een uittreksel uit het afgesproken lexicon en een bijlage over de "
           "werkwijze. Namen zijn vervangen door codes; elk rapport wordt vóór het downloaden "
           "nagekeken op echte namen.")

stale_banner("report")
try:
    store = app_store()
    settings = app_settings()
    utterances = store.stored_utterances()
    hits = cached_hits()
    releases = app_lexicon().releases()
except FocuslexError as error:
    show_error(error)
    st.stop()

if not utterances or not len(hits):
    st.info("Er is nog niets om over te rapporteren. Laad eerst transcripten op (pagina "
            "*Opladen*) en werk de resultaten bij met de knop hierboven.")
    st.stop()

groups = sorted({u.group for u in utterances}, key=str.casefold)
rounds = sorted({u.round for u in utterances if u.round is not None})
labels = dict(zip(hits["term_id"], hits["label"]))

with st.form("report_form"):
    cols = st.columns(3)
    chosen_groups = cols[0].multiselect("Stakeholdergroepen", groups, placeholder="alle groepen")
    chosen_rounds = cols[1].multiselect("Rondes", rounds, placeholder="alle rondes")
    chosen_terms = cols[2].multiselect("Termen", sorted(labels, key=lambda t: labels[t]),
                                       format_func=labels.get,
                                       placeholder="elke gebruikte term")
    cols = st.columns(3)
    release = cols[0].selectbox(
        "Lexiconrelease", [LATEST, *(r.number for r in reversed(releases))],
        format_func=lambda n: ("laatste release" if releases else "werkversie (geen release)")
        if n == LATEST else f"release {n}")
    cols[1].caption(literal_markdown(f"Gemaakt door {user.name}"))
    unconfirmed = cols[2].checkbox(
        "Onbevestigde suggesties tonen",
        help="Toon in de activiteitenmatrix ook suggesties die nog niemand bevestigde; ze "
             "worden als onbevestigd gemarkeerd.")
    submitted = st.form_submit_button("Rapport maken", type="primary")

if submitted:
    options = ReportOptions(groups=tuple(chosen_groups), rounds=tuple(chosen_rounds),
                            terms=tuple(chosen_terms), release=release or None,
                            unconfirmed=unconfirmed, author=user.name,
                            released_only=not user.may(Permission.READ_LEXICON),
                            created=dt.datetime.now(dt.timezone.utc))
    try:
        with st.spinner("Rapport opbouwen..."):
            report = make_report(store, settings, options)
            html = export_report(report, "html", leak_scanner(settings), "de app")
    except FocuslexError as error:
        show_error(error)
        st.stop()
    st.session_state["report"] = report
    st.session_state["report_files"] = {"html": html}

report = st.session_state.get("report")
if report is None:
    st.info("Kies eventueel groepen, rondes of termen en klik op **Rapport maken**.")
    st.stop()

files: dict[str, bytes] = st.session_state["report_files"]
stamp = report.record.created[:10]
st.subheader("Downloaden")
st.caption("HTML is meteen klaar. Word, PDF, Excel (één blad per tabel) en CSV (een zip met "
           "de tabellen) worden opgemaakt als je erom vraagt; een PDF van alle termen duurt "
           f"een minuut of langer. De CSV-bestanden zijn {describe_csv(settings.csv)}. Elk "
           "bestand wordt eerst nagekeken op echte namen.")
cols = st.columns(len(FORMATS))
for col, fmt in zip(cols, FORMATS):
    if fmt not in files:
        if col.button(f"{FORMAT_NAMES[fmt]} maken", key=f"make_{fmt}"):
            try:
                with st.spinner(f"{FORMAT_NAMES[fmt]} opmaken..."):
                    files[fmt] = export_report(report, fmt, leak_scanner(settings), "de app",
                                               settings.csv)
            except FocuslexError as error:
                show_error(error)
            st.rerun()
        continue
    col.download_button(f"{FORMAT_NAMES[fmt]} downloaden", data=files[fmt],
                        file_name=f"focuslex-rapport-{stamp}{SUFFIXES[fmt]}",
                        mime=MEDIA_TYPES[fmt], key=f"get_{fmt}", icon=":material/download:")
st.download_button("Run record (JSON)", data=report.record.to_json().encode("utf-8"),
                   file_name=f"focuslex-rapport-{stamp}.runrecord.json",
                   mime="application/json", key="get_record")

st.subheader("Voorbeeld")
st.caption("De HTML-versie van het rapport, zoals ze gedownload wordt.")
components.html(files["html"].decode("utf-8"), height=900, scrolling=True)
