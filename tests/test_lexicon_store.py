"""The lexicon in the database: import, revisions, status workflow, optimistic locking,
releases and diffs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import inspect, select, text

from lexicon.io import SEED_LEXICON, dump_yaml, load_seed, read_lexicon_file
from lexicon.model import Status, entry_from_dict, entry_to_dict
from lexicon.store import LexiconStore, RevisionRow
from pipeline.core.errors import FocuslexError
from pipeline.store.database import Store
from tests.conftest import FIXTURES

LEX = FIXTURES / "lexicon"


class Clock:
    """A deterministic clock: every call is one minute later."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.timezone.utc)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(minutes=1)
        return self.now


@pytest.fixture
def lexicon(store: Store) -> Iterator[LexiconStore]:
    yield LexiconStore(store, clock=Clock())


@pytest.fixture
def small(lexicon: LexiconStore) -> LexiconStore:
    lexicon.import_entries(read_lexicon_file(LEX / "small.yaml"), "tester", "testgegevens")
    return lexicon


def error_of(call, *args, **kwargs) -> FocuslexError:  # type: ignore[no-untyped-def]
    with pytest.raises(FocuslexError) as caught:
        call(*args, **kwargs)
    return caught.value


# -- tables, import, YAML round trip ----------------------------------------------------------

def test_tables_live_in_the_focuslex_database(lexicon: LexiconStore, store: Store) -> None:
    tables = set(inspect(store.engine).get_table_names())
    assert {"lexicon_terms", "lexicon_revisions", "lexicon_releases", "documents"} <= tables


def test_seed_yaml_to_db_to_yaml_is_identical(lexicon: LexiconStore) -> None:
    report = lexicon.import_entries(load_seed(), "beheerder", "startlexicon")
    assert len(report.created) == 49 and not report.updated
    exported = dump_yaml(sorted(lexicon.list(), key=lambda e: e.id))
    assert exported == SEED_LEXICON.read_text(encoding="utf-8")


def test_reimport_changes_nothing(lexicon: LexiconStore) -> None:
    lexicon.import_entries(load_seed(), "beheerder", "startlexicon")
    report = lexicon.import_entries(load_seed(), "beheerder", "nog eens")
    assert len(report.unchanged) == 49 and not report.created and not report.updated
    assert len(lexicon.history("integratie")) == 1


def test_import_records_a_revision_per_term(small: LexiconStore) -> None:
    (revision,) = small.history("buurtwerking")
    assert revision.by == "tester" and revision.why == "testgegevens"
    assert revision.action == "import" and revision.version == 3
    assert revision.at == "2026-04-01T09:01:00+00:00"
    assert "nieuwe term" in revision.summary()


def test_import_of_changed_term_needs_the_stored_version(small: LexiconStore) -> None:
    edited = [e if e.id != "ontmoetingsplek" else
              e.with_metadata(definition="Een nieuwe definitie.")
              for e in read_lexicon_file(LEX / "small.yaml")]
    report = small.import_entries(edited, "an", "definitie verbeterd")
    assert report.updated == ["ontmoetingsplek"] and len(report.unchanged) == 2
    assert small.get("ontmoetingsplek").version == 2
    # the same file again is now stale for ontmoetingsplek: refused, and nothing else imported
    new_term = entry_from_dict({"id": "nieuwe_term", "pref_label": "nieuw",
                                "definition": "Een nieuwe term."})
    stale = [*edited[:1], edited[1].with_metadata(definition="Nog anders."), new_term]
    error = error_of(small.import_entries, stale, "bo", "oude kopie")
    assert error.code == "FX-LEX-008"
    assert small.find("nieuwe_term") is None
    assert small.get("ontmoetingsplek").definition == "Een nieuwe definitie."


def test_import_refuses_a_label_already_held_by_another_term(small: LexiconStore) -> None:
    clash = read_lexicon_file(LEX / "small.yaml")[1].with_metadata(
        id="wijkplek", pref_label={"nl-BE": "wijkplek"}, alt_labels=("buurtwerk",))
    error = error_of(small.import_entries, [clash], "an", "nieuw")
    assert error.code == "FX-LEX-004" and "buurtwerk" in error.message


def test_html_in_a_definition_is_stored_verbatim(lexicon: LexiconStore) -> None:
    lexicon.import_entries(read_lexicon_file(LEX / "html_definition.yaml"), "an", "test")
    assert lexicon.get("buurtwerking").definition.startswith("<script>alert('x')</script>")


# -- reading ----------------------------------------------------------------------------------

def test_list_filters_and_searches(lexicon: LexiconStore) -> None:
    lexicon.import_entries(load_seed(), "beheerder", "startlexicon")
    assert [e.id for e in lexicon.list(statuses=["afgeraden"])] == ["allochtoon"]
    assert {e.id for e in lexicon.list(query="intergratie")} == {"integratie"}
    avoid = lexicon.list(sensitivities=["vermijden"])
    assert [e.id for e in avoid] == ["allochtoon"]
    rights = lexicon.list(activities=["Grondrechten garanderen"])
    assert "discriminatie" in {e.id for e in rights} and "diversiteit" not in {e.id for e in rights}
    assert lexicon.count() == 49


def test_unknown_term(lexicon: LexiconStore) -> None:
    assert error_of(lexicon.get, "bestaat_niet").code == "FX-LEX-009"
    assert error_of(lexicon.update, "bestaat_niet", {"definition": "x"}, 1, "an",
                    "x").code == "FX-LEX-009"


# -- editing and optimistic locking -----------------------------------------------------------

def test_update_writes_a_revision_with_who_when_what_why(small: LexiconStore) -> None:
    saved = small.update("ontmoetingsplek", {"definition": "Een open plek in de wijk.",
                                             "alt_labels": ["ontmoetingsplekken"]},
                         1, "An", "duidelijker")
    assert saved.version == 2 and saved.modified_by == "An"
    assert saved.created == "2026-03-01T10:00:00+00:00"
    revision = small.history("ontmoetingsplek")[-1]
    assert (revision.version, revision.by, revision.why, revision.action) == (
        2, "An", "duidelijker", "update")
    assert set(revision.changes) == {"definition", "alt_labels"}
    assert revision.changes["definition"][1] == "Een open plek in de wijk."
    assert small.version_entry("ontmoetingsplek", 1).definition.startswith("Een plek waar")


def test_unchanged_update_stores_nothing(small: LexiconStore) -> None:
    same = small.update("ontmoetingsplek", {"sensitivity": "neutraal"}, 1, "An", "niets")
    assert same.version == 1 and len(small.history("ontmoetingsplek")) == 1


def test_stale_edit_is_refused_and_both_versions_survive(small: LexiconStore) -> None:
    small.update("ontmoetingsplek", {"scope_note": "Ook digitale plekken tellen mee."}, 1,
                 "An", "aanvulling")
    error = error_of(small.update, "ontmoetingsplek",
                     {"definition": "Bo's definitie op de oude versie."}, 1, "Bo", "beter")
    assert error.code == "FX-LEX-008"
    message = error.message
    assert "jij bewerkte versie 1" in message and "opgeslagen is versie 2" in message
    assert "Bo's definitie op de oude versie." in message  # yours
    assert "Ook digitale plekken tellen mee." in message  # the stored one
    yours, stored = error.params["yours"], error.params["stored"]
    assert yours.definition == "Bo's definitie op de oude versie."
    assert stored.scope_note == "Ook digitale plekken tellen mee." and stored.version == 2
    current = small.get("ontmoetingsplek")
    assert current == stored and len(small.history("ontmoetingsplek")) == 2
    # Bo re-applies the change on the newest version: both changes are kept
    merged = small.update("ontmoetingsplek", {"definition": yours.definition}, 2, "Bo", "beter")
    assert merged.version == 3 and merged.scope_note == stored.scope_note


@pytest.mark.parametrize("field", ["id", "version", "modified_by", "kleur"])
def test_metadata_and_unknown_fields_cannot_be_edited(small: LexiconStore, field: str) -> None:
    error = error_of(small.update, "ontmoetingsplek", {field: "x"}, 1, "An", "x")
    assert error.code == "FX-LEX-015" and field in error.message


def test_every_change_needs_a_name_and_a_reason(small: LexiconStore) -> None:
    error = error_of(small.update, "ontmoetingsplek", {"definition": "x"}, 1, " ", "")
    assert error.code == "FX-LEX-016" and "je naam en een reden" in error.message


def test_invalid_change_is_refused_with_the_problem(small: LexiconStore) -> None:
    error = error_of(small.update, "ontmoetingsplek", {"sensitivity": "heel erg"}, 1, "An", "x")
    assert error.code == "FX-LEX-002" and "heel erg" in error.message
    assert small.get("ontmoetingsplek").version == 1


def test_create_starts_as_proposal(small: LexiconStore) -> None:
    entry = small.create({"id": "wijkfeest", "pref_label": {"nl-BE": "wijkfeest"},
                          "definition": "Een feest voor de hele wijk.", "status": "afgesproken"},
                         "An", "voorstel uit focusgroep")
    assert entry.status is Status.VOORSTEL and entry.version == 1 and entry.created_by == "An"
    assert small.history("wijkfeest")[0].action == "create"
    again = error_of(small.create, entry_to_dict(entry), "An", "nog eens")
    assert again.code == "FX-LEX-013"
    clash = error_of(small.create, {"id": "buurtwerk_2", "pref_label": "buurtwerk",
                                    "definition": "x"}, "An", "x")
    assert clash.code == "FX-LEX-004"


# -- status workflow and decisions ---------------------------------------------------------

def test_status_workflow(small: LexiconStore) -> None:
    step = small.set_status("ontmoetingsplek", "in bespreking", 1, "An", "agenda")
    assert step.status is Status.IN_BESPREKING and step.version == 2
    error = error_of(small.set_status, "ontmoetingsplek", "voorstel", 1, "An", "x")
    assert error.code == "FX-LEX-008"
    step = small.set_status("ontmoetingsplek", "afgesproken", 2, "An", "besluit")
    assert small.history("ontmoetingsplek")[-1].action == "status"
    error = error_of(small.set_status, "ontmoetingsplek", "afgeraden", 3, "An", "x")
    assert error.code == "FX-LEX-007"
    deprecated = small.set_status("ontmoetingsplek", "afgeraden", 3, "An", "vervangen",
                                  replaced_by="buurtwerking")
    assert deprecated.deprecated and deprecated.replaced_by == "buurtwerking"
    reopened = small.set_status("ontmoetingsplek", "in bespreking", 4, "An", "heropend")
    assert reopened.replaced_by is None


def test_transition_outside_the_workflow_is_refused(small: LexiconStore) -> None:
    error = error_of(small.set_status, "ontmoetingsplek", "afgesproken", 1, "An", "te snel")
    assert error.code == "FX-LEX-006"
    assert "'voorstel'" in error.message and "in bespreking" in error.message
    assert error_of(small.set_status, "ontmoetingsplek", "goedgekeurd", 1, "An",
                    "x").code == "FX-LEX-005"


def test_replacement_must_exist_and_not_be_deprecated(small: LexiconStore) -> None:
    small.set_status("ontmoetingsplek", "in bespreking", 1, "An", "x")
    small.set_status("ontmoetingsplek", "omstreden", 2, "An", "x")
    error = error_of(small.set_status, "ontmoetingsplek", "afgeraden", 3, "An", "x",
                     replaced_by="nergens")
    assert error.code == "FX-LEX-019"
    error = error_of(small.set_status, "ontmoetingsplek", "afgeraden", 3, "An", "x",
                     replaced_by="vreemde_buurtbewoner")
    assert error.code == "FX-LEX-019" and "zelf afgeraden" in error.message


def test_record_decision_with_dissent(small: LexiconStore) -> None:
    saved = small.record_decision("ontmoetingsplek", {
        "date": "2026-04-20", "meeting": "Transitiecomité, vierde vergadering",
        "rationale": "Breed gedragen.", "dissent": [{"by": "lid 2", "note": "Te vaag."}]},
        1, "secretaris", "verslag vergadering")
    assert saved.decision is not None and saved.decision.dissent[0].note == "Te vaag."
    assert small.history("ontmoetingsplek")[-1].action == "decision"
    error = error_of(small.record_decision, "ontmoetingsplek", {"date": "2026-04-20"}, 2,
                     "secretaris", "x")
    assert error.code == "FX-LEX-002" and "motivering" in error.message


# -- releases and diffs ---------------------------------------------------------------------

def test_releases_are_numbered_snapshots_that_can_be_diffed(small: LexiconStore) -> None:
    first = small.release("An", "eerste")
    assert (first.number, first.term_count) == (1, 3)
    small.update("ontmoetingsplek", {"definition": "Nieuw."}, 1, "An", "x")
    small.create({"id": "wijkfeest", "pref_label": "wijkfeest", "definition": "Feest."}, "An", "x")
    second = small.release("Bo", "tweede")
    assert second.number == 2 and [r.number for r in small.releases()] == [1, 2]
    assert small.latest_release() == 2
    diff = small.diff(1, 2)
    assert [e.id for e in diff.added] == ["wijkfeest"] and not diff.removed
    assert diff.changed == {"ontmoetingsplek": {"definition": [
        "Een plek waar buurtbewoners elkaar vrij en laagdrempelig kunnen ontmoeten.", "Nieuw."]}}
    assert small.diff(2).empty and small.diff(2).new == "werkversie"
    assert [e.definition for e in small.release_entries(1) if e.id == "ontmoetingsplek"] == [
        "Een plek waar buurtbewoners elkaar vrij en laagdrempelig kunnen ontmoeten."]


def test_release_errors(lexicon: LexiconStore) -> None:
    assert error_of(lexicon.release, "An", "leeg").code == "FX-LEX-018"
    assert error_of(lexicon.release, "", "x").code == "FX-LEX-016"
    assert error_of(lexicon.diff, 7).code == "FX-LEX-012"


# -- append-only history ---------------------------------------------------------------------

def test_revisions_cannot_be_changed_or_deleted(small: LexiconStore, store: Store) -> None:
    with pytest.raises(PermissionError):
        with store.session() as s:
            row = s.scalar(select(RevisionRow))
            row.why = "geschiedenis herschrijven"
    with pytest.raises(PermissionError):
        with store.session() as s:
            s.delete(s.scalar(select(RevisionRow)))
    with pytest.raises(Exception, match="append-only"):
        with store.engine.begin() as connection:
            connection.execute(text("UPDATE lexicon_revisions SET why = 'weg'"))
    assert small.history("buurtwerking")[0].why == "testgegevens"
