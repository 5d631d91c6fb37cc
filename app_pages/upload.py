"""Opladen: files + participants sheet -> ingest, with a progress bar and Dutch errors; then
the analysis. Both use the app's one Dutch pipeline (`app_pages.context`)."""

from __future__ import annotations

import streamlit as st

from app_pages.context import (app_pipeline, app_settings, app_store, literal_markdown,
                               names_pipeline, require, show_error)
from pipeline.access.roles import Permission
from pipeline.terms.run import run_analysis
from pipeline.core.errors import FocuslexError
from pipeline.ingest.plan import ingest_plan, plan_upload
from pipeline.ingest.service import safe_file_name
from pipeline.ingest.readers import SUPPORTED, SourceFile
from pipeline.ingest.sheets import parse_participants
from pipeline.core.records import DocumentMeta, Kind

user = require(Permission.UPLOAD)

st.title("Opladen")
st.write("Laad transcripten (txt, md, docx, vtt, srt, pdf) of verklaringen op. Namen van "
         "sprekers worden vervangen door codes; de sleutel wordt apart bewaard, buiten de "
         "database.")

settings = app_settings()
files = st.file_uploader("Bestanden", type=[s.lstrip(".") for s in SUPPORTED],
                         accept_multiple_files=True)
sheet = st.file_uploader("Deelnemerslijst (csv of xlsx, optioneel)", type=["csv", "xlsx"])
cols = st.columns(4)
kind_label = cols[0].radio("Soort", ["transcript", "verklaring"], horizontal=True)
round_value = cols[1].number_input("Ronde", min_value=0, max_value=99, value=0,
                                   help="0 = geen ronde")
group = cols[2].text_input("Stakeholdergroep (voor verklaringen)")
focus_group = cols[3].text_input("Focusgroep")
cols = st.columns(2)
date = cols[0].text_input("Datum", placeholder="dd/mm/jjjj")
prompt = cols[1].text_input("Startvraag")

if st.button("Opladen", type="primary", disabled=not files):
    kind = Kind.STATEMENT if kind_label == "verklaring" else Kind.TRANSCRIPT
    meta = DocumentMeta(kind=kind, round=int(round_value) or None, group=group,
                        focus_group=focus_group, date=date, prompt=prompt)
    try:
        participants = (parse_participants(SourceFile(safe_file_name(sheet.name),
                                                      sheet.getvalue()), settings.ingest)
                        if sheet else None)
        # Round, date and question per file from its header block; values filled in above
        # win (pipeline/ingest/plan.py). File names are checked per file by the Ingestor:
        # one bad name fails only that file.
        plan = plan_upload([SourceFile(f.name, f.getvalue()) for f in files],
                           participants, settings, given=meta, kind=kind)
    except FocuslexError as error:
        show_error(error)
        st.stop()
    bar = st.progress(0.0, text="Opladen...")

    def progress(done: int, total: int, name: str) -> None:
        bar.progress(done / max(total, 1), text=f"{done}/{total} {name}")

    try:  # each file's own errors are in the report; this is the database as a whole
        report = ingest_plan(plan, settings, app_store(), participants, progress,
                             nlp=names_pipeline())
    except FocuslexError as error:
        st.error(error.message)
        st.stop()
    for outcome in report.outcomes:
        if outcome.status == "stored":
            st.success(f"{literal_markdown(outcome.name)}: opgeslagen ({outcome.turns} beurten, "
                       f"{outcome.speakers} sprekers, {outcome.words} woorden).")
        elif outcome.status == "duplicate":
            st.info(f"{literal_markdown(outcome.name)}: dit bestand was al opgeslagen; er is niets veranderd.")
        else:
            st.error(literal_markdown(f"{outcome.name}: {outcome.error.message}"))
            if outcome.error.code == "FX-IN-007":
                st.caption("Tip: kies 'verklaring' als soort om het als tekst zonder "
                           "sprekers op te slaan.")
    for warning in report.warnings:
        st.warning(literal_markdown(warning))
    if report.names_notice:
        st.warning(literal_markdown(report.names_notice))

if not user.may(Permission.ANALYSE):
    st.stop()
st.divider()
st.subheader("Analyse")
st.write("Zoek in alles wat opgeslagen is naar de termen van het lexicon. Kijk eerst de "
         "gevonden namen na (pagina *Namen nakijken*): een beslissing daar verandert de teksten. "
         "Na een wijziging in het lexicon gaat een nieuwe analyse snel: de teksten worden niet "
         "opnieuw ontleed.")
if st.button("Analyse starten"):
    bar = st.progress(0.0, text="Analyse...")

    def analysis_progress(done: int, total: int, stage: str) -> None:
        bar.progress(min(done / max(total, 1), 1.0), text=f"{stage}: {done}/{total}")

    try:
        result = run_analysis(settings, app_store(), nlp=app_pipeline(),
                              progress=analysis_progress)
    except FocuslexError as error:
        show_error(error)
    else:
        bar.progress(1.0, text="Klaar")
        st.success(f"{result.documents} documenten, {result.words} woorden geanalyseerd "
                   f"({result.parsed} nieuw ontleed, {result.cached} uit de cache): "
                   f"{result.hits} termgebruiken voor {result.terms_found} van de "
                   f"{result.terms} termen. Bekijk ze op de pagina *Termen*.")
