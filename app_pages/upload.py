"""Opladen as a checked step: choose files (and a participants sheet, a documents list), check
and correct one row per file (kind, round, date, question, focus group), then store them;
the result stays on the page with the next steps. Reading, checking and storing are in the
library (`pipeline.ingest.plan`); this page only shows them."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.context import (app_settings, app_store, file_uploader, literal_markdown,
                               names_pipeline, require, run_refresh, show_error,
                               stale_banner)
from pipeline.activities.refresh import ORDER as ANALYSIS_PARTS
from pipeline.access.roles import Permission
from pipeline.core.errors import FocuslexError
from pipeline.core.formats import count_noun
from pipeline.core.records import Kind, Participant
from pipeline.ingest.plan import (EDITABLE_COLUMNS, PlannedFile, UploadPlan,
                                  corrections_from_frame, ingest_plan, outcome_lines,
                                  sources_of,
                                  plan_frame, plan_sources, upload_signature)
from pipeline.ingest.readers import SUPPORTED

PLAN_KEY = "upload_plan"
RESULT_KEY = "upload_result"
EDITOR_KEY = "upload_editor"
REVIEW_UPLOAD_KEY = "names_review_upload"
BATCH_KEY = "upload_batch"
KINDS = {"automatisch herkennen": None, "transcript": Kind.TRANSCRIPT,
         "verklaring": Kind.STATEMENT}

user = require(Permission.UPLOAD)
settings = app_settings()

st.title("Opladen")
st.write("Laad transcripten (txt, md, docx, vtt, srt, pdf) of verklaringen op. Je ziet eerst "
         "per bestand wat focuslex erin vond; verbeter ronde, datum, vraag en focusgroep "
         "vóór je opslaat. Namen van sprekers worden bij het opslaan vervangen door codes; de "
         "sleutel wordt apart bewaard, buiten de database.")


def _store_plan(plan: list[PlannedFile], participants: list[Participant] | None) -> None:
    """Ingest the corrected plan; keep its result for every later run of the page."""
    bar = st.progress(0.0, text="Opslaan...")

    def progress(done: int, total: int, name: str) -> None:
        bar.progress(done / max(total, 1), text=f"{done}/{total} {name}")

    try:  # each file's own errors are in the report; this is the database as a whole
        report = ingest_plan(plan, settings, app_store(), participants, progress,
                             nlp=names_pipeline())
    except FocuslexError as error:
        show_error(error)
        return
    st.session_state[RESULT_KEY] = {
        "lines": outcome_lines(report), "warnings": list(report.warnings),
        "names": report.names_notice, "stored": report.count("stored"),
        "run": report.run_id if report.count("stored") else None}
    st.session_state.pop(PLAN_KEY, None)
    st.session_state[BATCH_KEY] = st.session_state.get(BATCH_KEY, 0) + 1
    st.rerun()


def _show_result(result: dict) -> None:
    st.subheader("Resultaat van de laatste upload")
    shown = {"ok": st.success, "info": st.info, "error": st.error}
    for status, line in result["lines"]:
        shown[status](literal_markdown(line))
    for warning in result["warnings"]:
        st.warning(literal_markdown(warning))
    if result["names"]:
        st.warning(literal_markdown(result["names"]))
    st.write("**Volgende stappen**")
    cols = st.columns(3)
    if cols[0].button("Namen van deze upload nakijken", icon=":material/person_search:",
                      disabled=not (result["run"] and user.may(Permission.REVIEW_NAMES))):
        st.session_state[REVIEW_UPLOAD_KEY] = result["run"]
        st.switch_page("app_pages/names_review.py")
    if cols[1].button("Documenten bekijken", icon=":material/article:"):
        st.switch_page("app_pages/documents.py")
    if cols[2].button("Resultaat sluiten", icon=":material/close:"):
        st.session_state.pop(RESULT_KEY, None)
        st.rerun()


def _column_config() -> dict:
    return {
        "soort": st.column_config.SelectboxColumn("soort", options=["transcript", "verklaring"],
                                                  required=True),
        "ronde": st.column_config.TextColumn("ronde", help="Een getal; leeg: zonder ronde"),
        "datum": st.column_config.TextColumn("datum", help="dd/mm/jjjj"),
        "vraag": st.column_config.TextColumn("vraag", width="large"),
        "waarschuwingen": st.column_config.TextColumn("waarschuwingen", width="large"),
    }


def _check_table(state: UploadPlan) -> None:
    plan = state.plan
    st.subheader("Controleer wat er opgeslagen wordt")
    st.caption("Eén rij per bestand. Ronde, datum en vraag komen uit de kop van het bestand "
               "of uit de documentenlijst; pas ze hier aan waar nodig (klik in een cel). "
               "Bestanden met een fout of die al opgeslagen zijn, worden overgeslagen.")
    frame = plan_frame(plan)
    frame["ronde"] = frame["ronde"].astype("string").fillna("")  # empty, not "None"
    locked = [c for c in frame.columns if c not in EDITABLE_COLUMNS]
    edited = st.data_editor(frame, key=EDITOR_KEY, hide_index=True, width="stretch",
                            disabled=locked, column_config=_column_config(),
                            num_rows="fixed")
    for planned in plan:  # the warnings column is far right: say them here too
        if planned.error is not None:
            st.error(literal_markdown(f"{planned.name}: {planned.error.message}"))
        elif planned.warnings:
            st.warning(literal_markdown(f"{planned.name}: {' '.join(planned.warnings)}"))
    missing = [p for p in plan if p.unmatched_labels]
    if missing:
        with st.expander("Sprekers die niet op de deelnemerslijst staan"):
            st.caption("Alleen voor jou zichtbaar; deze namen worden nergens bewaard.")
            for p in missing:
                st.text(f"{p.name}: {', '.join(p.unmatched_labels)}")
    ready = sum(p.ok for p in plan)
    if st.button(f"Opslaan ({ready} van {count_noun(len(plan), 'bestand', 'bestanden')})",
                 type="primary",
                 disabled=not ready, icon=":material/save:"):
        try:
            corrected = corrections_from_frame(plan, pd.DataFrame(edited))
        except FocuslexError as error:
            show_error(error)
            return
        _store_plan(corrected, state.participants)


batch = st.session_state.get(BATCH_KEY, 0)  # a new batch after "Opslaan": empty uploaders
files = file_uploader("Bestanden (transcripten en verklaringen)", list(SUPPORTED),
                      key=f"upload_files-{batch}", multiple=True,
                      help="Je kunt meerdere bestanden tegelijk kiezen; je ziet ze eerst in "
                           "een tabel voor er iets opgeslagen wordt.")
cols = st.columns(2)
sheet = file_uploader("Deelnemerslijst (csv of xlsx, optioneel)", ["csv", "xlsx"],
                      key=f"upload_sheet-{batch}", where=cols[0],
                      help="Kolommen spreker, groep, organisatie en rol: zo krijgt elke spreker "
                           "een code en een stakeholdergroep.")
documents = file_uploader("Documentenlijst (documents.csv, optioneel)", ["csv", "xlsx"],
                          key=f"upload_documents-{batch}", where=cols[1],
                          help="Kolommen file, kind, round, date, prompt, focus_group, "
                               "group, organisation, title; wint van de kop.")
kind_label = st.radio("Soort", list(KINDS), horizontal=True,
                      help="Automatisch: een gesprek met sprekers is een transcript, een tekst "
                           "zonder sprekers een verklaring.")

if files:
    chosen = sources_of(files)
    extra = [(sources_of([sheet]) or [None])[0], (sources_of([documents]) or [None])[0]]
    signature = upload_signature(kind_label, chosen + extra)
    state = st.session_state.get(PLAN_KEY)
    if not isinstance(state, UploadPlan) or state.signature != signature:
        try:
            state = plan_sources(chosen, *extra, settings, kind=KINDS[kind_label],
                                 store=app_store(), signature=signature)
        except FocuslexError as error:
            show_error(error)
            st.stop()
        st.session_state[PLAN_KEY] = state
        st.session_state.pop(EDITOR_KEY, None)
    _check_table(state)

result = st.session_state.get(RESULT_KEY)
if result:
    _show_result(result)

if user.may(Permission.ANALYSE):
    st.divider()
    st.subheader("Analyse")
    st.write("Zoek in alles wat opgeslagen is naar de termen van het lexicon, de onderwerpen "
             "en de activiteiten. Kijk eerst de gevonden namen na (pagina *Namen nakijken*): "
             "een beslissing daar verandert de teksten.")
    if not stale_banner("overview", button="Analyse starten").stale:
        st.caption("Alles wat opgeslagen is, is geanalyseerd: termen, onderwerpen en "
                   "activiteiten zijn bij.")
        if st.button("Analyse starten", key="analyse-again",
                     help="Opnieuw analyseren, bv. na een wijziging in de instellingen."):
            run_refresh(list(ANALYSIS_PARTS))
