"""Lexicon edits shared by the CLI and the admin page (`lexicon.editing`): the edit form, the
three-way merge after a conflict, change detection, and the edit of `focuslex lexicon edit`.
Imported from the library, not from app_pages: the page only draws widgets."""

from __future__ import annotations

from pathlib import Path

import pytest

from lexicon.editing import (FORM_FIELDS, apply_edit, changed_fields, conflict_rows,
                             content_changes, diff_rows, form_values, history_rows,
                             parse_dissent, parse_set, plain_from_form, read_entry_file,
                             rebase_form)
from lexicon.model import entry_from_dict
from lexicon.store import LexiconStore
from pipeline.core.errors import FocuslexError
from pipeline.store.database import Store

INTEGRATIE = {
    "id": "integratie", "pref_label": {"nl-BE": "integratie", "en": "integration"},
    "alt_labels": ["integreren", "geïntegreerd"], "hidden_labels": ["intergratie"],
    "definition": "Het proces waarin nieuwkomers en de samenleving naar elkaar toegroeien.",
    "sensitivity": "contextafhankelijk",
    "alternatives": [{"label": "samenleven", "audience": "breed publiek",
                      "note": "minder eenzijdig"}],
    "activities": ["Vertrouwen bouwen"], "version": 3,
}


@pytest.fixture
def entry():
    return entry_from_dict(INTEGRATIE)


@pytest.fixture
def lexicon(store: Store) -> LexiconStore:
    lexicon = LexiconStore(store)
    lexicon.create({k: v for k, v in INTEGRATIE.items() if k != "version"}, "An", "nieuw")
    return lexicon


def test_form_values_cover_every_form_field_and_read_back_unchanged(entry) -> None:
    values = form_values(entry)
    assert set(values) == set(FORM_FIELDS)
    assert values["adm_edit_pref_other"] == "en: integration"
    assert values["adm_edit_alternatives"] == "samenleven | breed publiek | minder eenzijdig"
    assert values["adm_edit_alt"] == "integreren\ngeïntegreerd"
    plain = plain_from_form(values)
    assert plain["pref_label"] == {"nl-BE": "integratie", "en": "integration"}
    assert plain["alternatives"] == [{"label": "samenleven", "audience": "breed publiek",
                                      "note": "minder eenzijdig"}]
    assert changed_fields(values, entry) == {}


def test_changed_fields_are_only_what_the_user_changed(entry) -> None:
    values = form_values(entry)
    values["adm_edit_definition"] = "  Samen een samenleving vormen.  "
    values["adm_edit_hidden"] = "intergratie\n\n  integartie \n"
    assert changed_fields(values, entry) == {
        "definition": "Samen een samenleving vormen.",
        "hidden_labels": ["intergratie", "integartie"]}


def test_rebase_keeps_my_changes_and_takes_the_rest_from_the_stored_version(entry) -> None:
    mine = form_values(entry)
    mine["adm_edit_definition"] = "Mijn nieuwe definitie."
    stored = entry_from_dict({**INTEGRATIE, "version": 4, "scope_note": "Nota van Sofie.",
                              "definition": "Haar definitie."})
    merged = rebase_form(mine, entry, stored)
    assert merged["adm_edit_definition"] == "Mijn nieuwe definitie."  # mine wins
    assert merged["adm_edit_scope"] == "Nota van Sofie."  # theirs, I did not touch it
    assert changed_fields(merged, stored) == {"definition": "Mijn nieuwe definitie."}


def test_conflict_rows_name_the_differing_fields_in_dutch(entry) -> None:
    stored = entry_from_dict({**INTEGRATIE, "version": 4, "scope_note": "Nota."})
    rows = conflict_rows(entry, stored)
    assert rows == [{"veld": "toepassingsnota", "jouw versie": "(leeg)",
                     "opgeslagen versie 4": "Nota."}]


def test_dissent_lines() -> None:
    assert parse_dissent("Karim | liever 'samenleven'\n\n Els|  \n") == [
        {"by": "Karim", "note": "liever 'samenleven'"}, {"by": "Els", "note": ""}]


def test_parse_set_reads_lists_as_yaml_and_refuses_unknown_fields() -> None:
    assert parse_set([("alt_labels", "[integreren, inburgeren]"), ("definition", "a: b")]) == {
        "alt_labels": ["integreren", "inburgeren"], "definition": "a: b"}
    with pytest.raises(FocuslexError) as info:
        parse_set([("versie", "3")])
    assert info.value.code == "FX-LEX-015"


def test_apply_edit_updates_then_changes_status_and_refuses_a_stale_version(
        lexicon: LexiconStore) -> None:
    saved = apply_edit(lexicon, "integratie", {"scope_note": "Vooral in beleidstaal."},
                       by="Els", why="nota", status="in bespreking")
    assert saved.version == 3 and saved.status.value == "in bespreking"
    history = history_rows(lexicon.history("integratie"))
    assert [(r["versie"], r["wat"]) for r in history] == [
        (3, "status"), (2, "bewerking"), (1, "nieuw")]
    assert history[1]["velden"] == "toepassingsnota" and history[2]["velden"] == "nieuwe term"
    with pytest.raises(FocuslexError) as info:
        apply_edit(lexicon, "integratie", {"scope_note": "Oud."}, by="An", why="x", version=1)
    assert info.value.code == "FX-LEX-008"


def test_release_diff_rows(lexicon: LexiconStore) -> None:
    lexicon.release("Els", "eerste")
    apply_edit(lexicon, "integratie", {"definition": "Nieuw."}, by="Els", why="beter")
    rows = diff_rows(lexicon.diff(1, None))
    assert rows == [{"term": "integratie", "wat": "gewijzigd", "veld": "definitie",
                     "voor": INTEGRATIE["definition"], "na": "Nieuw."}]


def test_read_entry_file_and_its_content_changes(tmp_path: Path, entry) -> None:
    path = tmp_path / "integratie.yaml"
    path.write_text("terms:\n  - id: integratie\n    pref_label: integratie\n"
                    "    definition: Samen leven.\n    version: 2\n", encoding="utf-8")
    read = read_entry_file(path)
    assert read.version == 2 and content_changes(read)["definition"] == "Samen leven."
    with pytest.raises(FocuslexError) as info:
        read_entry_file(tmp_path / "ontbreekt.yaml")
    assert info.value.code == "FX-LEX-020"
