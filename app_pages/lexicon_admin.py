"""Lexicon beheer: create and edit terms, move them along the status workflow, record the
committee's decisions (with dissent), make releases and compare them, import the seed.

Every change is made by the logged-in user (`require(Permission.CURATE_LEXICON)`, recorded
as the author) and needs a reason (it becomes a revision). Edits are made on the version
the form was loaded from: if someone else saved in between, the save is refused, both versions
are shown, and the user's unsaved input stays in the form. "Mijn wijzigingen toepassen op de
nieuwste versie" keeps the fields the user changed and takes everything else from the stored
version (a three-way merge), after which the user can save again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from app_pages.context import app_lexicon, file_uploader, require
from lexicon.editing import (FORM_FIELDS, changed_fields, conflict_rows, diff_rows, form_values,
                             parse_dissent, rebase_form)
from lexicon.io import load_csv, load_seed, load_yaml
from lexicon.model import (ACTIVITIES, DEFAULT_LANGUAGE, Entry, Sensitivity, Status,
                           allowed_transitions, entry_from_dict, entry_to_dict, literal_markdown)
from lexicon.store import LexiconStore, describe_differences
from pipeline.access.roles import Permission
from pipeline.core.errors import FocuslexError
from pipeline.core.formats import count_noun, format_datetime

user = require(Permission.CURATE_LEXICON)
md = literal_markdown


def show_error(error: FocuslexError) -> None:
    st.error(md(error.message))


def flash(text: str) -> None:
    st.session_state["adm_flash"] = text


# -- the edit form (its values, merge and change detection: lexicon.editing) -------------------

def load_form(entry: Entry) -> None:
    for key, value in form_values(entry).items():
        st.session_state[key] = value
    st.session_state["adm_edit_why"] = ""  # a reason is for one change
    st.session_state["adm_edit_for"] = entry.id
    st.session_state["adm_edit_base"] = entry_to_dict(entry)
    st.session_state.pop("adm_edit_conflict", None)


def rebase(lexicon: LexiconStore, term_id: str) -> None:
    """Three-way merge after a conflict: keep what the user changed, take the rest from the
    stored version, and continue from the stored version."""
    stored = lexicon.get(term_id)
    base = entry_from_dict(st.session_state["adm_edit_base"])
    mine = {key: st.session_state.get(key) for key in FORM_FIELDS}
    for key, value in rebase_form(mine, base, stored).items():
        st.session_state[key] = value
    st.session_state["adm_edit_base"] = entry_to_dict(stored)
    st.session_state.pop("adm_edit_conflict", None)


def discard() -> None:
    st.session_state.pop("adm_edit_for", None)
    st.session_state.pop("adm_edit_conflict", None)


def seen_version(scope: str, entry: Entry) -> int:
    """The version of `entry` the user saw on the previous run (what an action is based on);
    remembers the current one for the next run."""
    key = f"adm_{scope}_seen"
    seen = st.session_state.get(key)
    st.session_state[key] = (entry.id, entry.version)
    return seen[1] if seen and seen[0] == entry.id else entry.version


# -- tabs -----------------------------------------------------------------------------------

def edit_form(ids: list[str], term_id: str, labels: dict[str, str]) -> tuple[bool, str]:
    """The edit form's widgets (values in st.session_state); (submitted, why)."""
    others = [i for i in ids if i != term_id]
    with st.form("adm_edit_form"):
        st.text_input("Voorkeurslabel (nl-BE)", key="adm_edit_pref")
        st.text_area("Voorkeurslabels in andere talen (één per regel, 'en: label')",
                     key="adm_edit_pref_other", height=68)
        st.text_area("Definitie", key="adm_edit_definition")
        st.text_area("Toepassingsnota", key="adm_edit_scope")
        st.text_area("Voorkeursalternatieven (één per regel: label | voor wie | toelichting)",
                     key="adm_edit_alternatives")
        left, right = st.columns(2)
        left.selectbox("Gevoeligheid", [s.value for s in Sensitivity], key="adm_edit_sensitivity")
        right.text_area("Toelichting gevoeligheid", key="adm_edit_sens_note")
        st.text_area("Aanvaardbare contexten (één per regel)", key="adm_edit_contexts")
        st.text_area("Bronnen (één per regel)", key="adm_edit_sources")
        st.multiselect("Verwante termen", others, key="adm_edit_related",
                       format_func=lambda i: labels.get(i, i), placeholder="kies termen")
        st.multiselect("Activiteiten", list(ACTIVITIES), key="adm_edit_activities",
                       placeholder="kies activiteiten")
        left, right = st.columns(2)
        left.text_area("Andere labels en woordvormen (één per regel)", key="adm_edit_alt")
        right.text_area("Verborgen labels: schrijffouten (één per regel)", key="adm_edit_hidden")
        left.text_area("Uitsluitingen: andere betekenissen (één per regel)", key="adm_edit_excl")
        right.text_area("Bewust gedeelde labels (één per regel)", key="adm_edit_shared")
        st.text_area("Voorbeelden (één per regel)", key="adm_edit_examples")
        left, right = st.columns(2)
        left.text_area("Voorbeeldzinnen van deze betekenis (één per regel)",
                       key="adm_edit_sense",
                       help="Korte zinnen waarin het woord in deze betekenis gebruikt wordt. "
                            "De analyse vergelijkt twijfelgevallen met deze zinnen.")
        right.text_area("Voorbeeldzinnen van andere betekenissen (één per regel)",
                        key="adm_edit_other_sense",
                        help="Zinnen met dezelfde woordvorm in een andere betekenis "
                             "(bv. 'inclusief btw', 'de integratie van een functie').")
        why = st.text_input("Waarom wijzig je dit?", key="adm_edit_why")
        submitted = st.form_submit_button("Opslaan", type="primary", key="adm_edit_save")
    return submitted, why


def save_edit(lexicon: LexiconStore, term_id: str, base: Entry, by: str, why: str) -> None:
    """Save what the user changed on `base`; a conflict is kept for `show_conflict`."""
    changes = changed_fields({key: st.session_state.get(key) for key in FORM_FIELDS}, base)
    if not changes:
        st.info("Er is niets gewijzigd.")
        return
    try:
        saved = lexicon.update(term_id, changes, base.version, by, why)
    except FocuslexError as error:
        if (error.code == "FX-LEX-008" and error.params.get("stored") is not None
                and error.params.get("yours") is not None):
            st.session_state["adm_edit_conflict"] = {
                "message": error.message,
                "stored": entry_to_dict(error.params["stored"]),
                "yours": entry_to_dict(error.params["yours"])}
        else:
            show_error(error)
        return
    flash(f"Opgeslagen: {saved.label} is nu versie {saved.version}.")
    st.session_state.pop("adm_edit_for", None)
    st.rerun()


def edit_tab(lexicon: LexiconStore, entries: list[Entry], by: str) -> None:
    ids = [e.id for e in entries]
    labels = {e.id: e.label for e in entries}
    term_id = st.selectbox("Term", ids, key="adm_edit_term", format_func=lambda i: labels[i])
    if term_id is None:
        return
    if st.session_state.get("adm_edit_for") != term_id:
        load_form(lexicon.get(term_id))
    base = entry_from_dict(st.session_state["adm_edit_base"])
    st.caption(md(f"Je bewerkt versie {base.version} (gewijzigd "
                  f"{format_datetime(base.modified)} door {base.modified_by})."))
    submitted, why = edit_form(ids, term_id, labels)
    if submitted:
        save_edit(lexicon, term_id, base, by, why)
    conflict = st.session_state.get("adm_edit_conflict")
    if conflict:
        show_conflict(lexicon, term_id, conflict)


def show_conflict(lexicon: LexiconStore, term_id: str, conflict: dict[str, Any]) -> None:
    stored = entry_from_dict(conflict["stored"])
    yours = entry_from_dict(conflict["yours"])
    st.error(md(f"[FX-LEX-008] Iemand anders heeft deze term intussen opgeslagen (versie "
                f"{stored.version}, door {stored.modified_by}, "
                f"{format_datetime(stored.modified)}). Er is niets "
                "opgeslagen; je eigen invoer staat nog in het formulier."),
             icon=":material/warning:")
    with st.container(border=True, key="adm_conflict"):
        st.markdown("**Verschillen**")
        st.dataframe(pd.DataFrame(conflict_rows(yours, stored)), hide_index=True,
                     width="stretch")
        with st.expander("Als tekst"):
            st.text(describe_differences(yours, stored))
        left, right = st.columns(2)
        left.button("Mijn wijzigingen toepassen op de nieuwste versie", key="adm_edit_rebase",
                    on_click=rebase, args=(lexicon, term_id), type="primary")
        right.button("Mijn wijzigingen weggooien", key="adm_edit_discard", on_click=discard)


def create_tab(lexicon: LexiconStore, by: str) -> None:
    with st.form("adm_new_form", clear_on_submit=False):
        term_id = st.text_input("Id (kleine letters, cijfers en _; bv. onbewust_racisme)",
                                key="adm_new_id")
        label = st.text_input("Voorkeurslabel (nl-BE)", key="adm_new_label")
        definition = st.text_area("Definitie", key="adm_new_definition")
        sensitivity = st.selectbox("Gevoeligheid", [s.value for s in Sensitivity],
                                   key="adm_new_sensitivity")
        why = st.text_input("Waarom voeg je deze term toe?", key="adm_new_why")
        submitted = st.form_submit_button("Term voorstellen", key="adm_new_save")
    if submitted:
        try:
            entry = lexicon.create({"id": term_id.strip(),
                                    "pref_label": {DEFAULT_LANGUAGE: label},
                                    "definition": definition, "sensitivity": sensitivity},
                                   by, why)
        except FocuslexError as error:
            show_error(error)
        else:
            flash(f"Nieuwe term '{entry.label}' toegevoegd als voorstel.")
            st.rerun()


def pick_term(lexicon: LexiconStore, entries: list[Entry], scope: str
              ) -> tuple[Entry, int] | None:
    """A term chosen in a tab (widget `adm_<scope>_term`), as stored now, and the version
    the user saw (what the action is based on)."""
    labels = {e.id: e.label for e in entries}
    term_id = st.selectbox("Term", [e.id for e in entries], key=f"adm_{scope}_term",
                           format_func=lambda i: labels[i])
    if term_id is None:
        return None
    entry = lexicon.get(term_id)
    return entry, seen_version(scope, entry)


def status_tab(lexicon: LexiconStore, entries: list[Entry], by: str) -> None:
    picked = pick_term(lexicon, entries, "status")
    if picked is None:
        return
    entry, expected = picked
    labels = {e.id: e.label for e in entries}
    st.markdown(md(f"Huidige status: {entry.status.value} (versie {entry.version})"))
    allowed = [s.value for s in allowed_transitions(entry.status)]
    new = st.selectbox("Nieuwe status", allowed, key="adm_status_new")
    replacement = None
    if new == Status.AFGERADEN.value:
        candidates = [e.id for e in entries if e.id != entry.id and not e.deprecated]
        replacement = st.selectbox("Vervangen door", candidates, key="adm_status_replacement",
                                   format_func=lambda i: labels[i])
    why = st.text_input("Waarom?", key="adm_status_why")
    if st.button("Status wijzigen", key="adm_status_go"):
        try:
            saved = lexicon.set_status(entry.id, new, expected, by, why, replacement)
        except FocuslexError as error:
            show_error(error)
        else:
            flash(f"{saved.label}: status is nu '{saved.status.value}'.")
            st.session_state.pop("adm_status_new", None)
            st.rerun()


def decision_tab(lexicon: LexiconStore, entries: list[Entry], by: str) -> None:
    picked = pick_term(lexicon, entries, "dec")
    if picked is None:
        return
    entry, expected = picked
    if entry.decision is not None:
        st.caption(md(f"Huidig besluit ({entry.decision.date}): {entry.decision.rationale}"))
    with st.form("adm_dec_form"):
        date = st.date_input("Datum", key="adm_dec_date", value=dt.date.today())
        meeting = st.text_input("Vergadering", key="adm_dec_meeting")
        rationale = st.text_area("Motivering", key="adm_dec_rationale")
        dissent = st.text_area("Afwijkende meningen (één per regel: wie | standpunt)",
                               key="adm_dec_dissent")
        why = st.text_input("Waarom leg je dit vast?", key="adm_dec_why")
        submitted = st.form_submit_button("Besluit vastleggen", key="adm_dec_save")
    if submitted:
        decision = {"date": date.isoformat() if date else "", "meeting": meeting,
                    "rationale": rationale, "dissent": parse_dissent(dissent)}
        try:
            saved = lexicon.record_decision(entry.id, decision, expected, by, why)
        except FocuslexError as error:
            show_error(error)
        else:
            flash(f"Besluit vastgelegd voor {saved.label} (versie {saved.version}).")
            st.rerun()


def release_tab(lexicon: LexiconStore, by: str) -> None:
    releases = lexicon.releases()
    if releases:
        st.dataframe(pd.DataFrame([{"release": r.number, "wanneer": r.at, "door": r.by,
                                    "termen": r.term_count, "toelichting": r.note}
                                   for r in releases]), hide_index=True, width="stretch")
    else:
        st.caption("Er zijn nog geen releases.")
    note = st.text_input("Toelichting bij de release", key="adm_rel_note")
    if st.button("Release maken", key="adm_rel_go", type="primary"):
        try:
            info = lexicon.release(by, note)
        except FocuslexError as error:
            show_error(error)
        else:
            flash(f"Release {info.number} gemaakt met "
                  f"{count_noun(info.term_count, 'term', 'termen')}.")
            st.rerun()
    if not releases:
        return
    st.subheader("Vergelijken")
    numbers = [r.number for r in releases]
    left, right = st.columns(2)
    old = left.selectbox("Van release", numbers, key="adm_diff_old")
    # 0 stands for the working version
    new = right.selectbox("Naar", [*numbers, 0], key="adm_diff_new", index=len(numbers),
                          format_func=lambda n: "werkversie" if n == 0 else f"release {n}")
    result = lexicon.diff(old, new or None)
    if result.empty:
        st.info(f"Geen verschillen tussen {result.old} en {result.new}.")
        return
    st.dataframe(pd.DataFrame(diff_rows(result)), hide_index=True, width="stretch")


def import_tab(lexicon: LexiconStore, by: str) -> None:
    st.markdown("Het **startlexicon** bevat 49 termen met definities, woordvormen, "
                "uitsluitingen, gevoeligheid en bronnen. Bestaande termen blijven behouden.")
    if st.button("Startlexicon laden", key="adm_seed"):
        try:
            report = lexicon.import_entries(load_seed(), by, "Startlexicon geladen")
        except FocuslexError as error:
            show_error(error)
        else:
            flash(f"Startlexicon: {len(report.created)} nieuw, {len(report.updated)} bijgewerkt, "
                  f"{len(report.unchanged)} ongewijzigd.")
            st.rerun()
    upload = file_uploader("Of importeer een bestand (YAML of CSV uit een export)",
                           ["yaml", "yml", "csv"], key="adm_upload")
    if upload is not None and st.button("Bestand importeren", key="adm_upload_go"):
        try:
            text = upload.getvalue().decode("utf-8")
            entries = (load_csv(text, upload.name) if upload.name.lower().endswith(".csv")
                       else load_yaml(text, upload.name))
            report = lexicon.import_entries(entries, by, f"Geïmporteerd uit {upload.name}")
        except UnicodeDecodeError:
            st.error("Het bestand is geen UTF-8-tekst. Sla het op als UTF-8 en probeer opnieuw.")
        except FocuslexError as error:
            show_error(error)
        else:
            flash(f"{upload.name}: {len(report.created)} nieuw, {len(report.updated)} "
                  f"bijgewerkt, {len(report.unchanged)} ongewijzigd.")
            st.rerun()


# -- page -----------------------------------------------------------------------------------

st.title("Lexicon beheer")
try:
    lexicon = app_lexicon()
    entries = lexicon.list()
except FocuslexError as error:
    show_error(error)
    st.stop()

message = st.session_state.pop("adm_flash", None)
if message:
    st.success(md(message))
    # also where the user is: the forms are long and the message above is out of view
    st.toast(md(message), icon=":material/check_circle:")

# Every change is recorded with the logged-in user's name, the time and the reason.
by = user.name
st.caption(md(f"Wijzigingen worden bewaard op naam van {by}, met tijdstip en reden."))

if not entries:
    st.info("Het lexicon is nog leeg.")
    import_tab(lexicon, by)
    st.stop()

tabs = st.tabs(["Bewerken", "Nieuwe term", "Status", "Besluit", "Releases", "Importeren"])
with tabs[0]:
    edit_tab(lexicon, entries, by)
with tabs[1]:
    create_tab(lexicon, by)
with tabs[2]:
    status_tab(lexicon, entries, by)
with tabs[3]:
    decision_tab(lexicon, entries, by)
with tabs[4]:
    release_tab(lexicon, by)
with tabs[5]:
    import_tab(lexicon, by)
