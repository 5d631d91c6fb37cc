"""The lexicon entry model and the seed lexicon: fields, validation rules, search."""

from __future__ import annotations

import re
from typing import Any

import pytest

from lexicon.io import SEED_LEXICON, load_seed
from lexicon.model import (ACTIVITIES, Entry, Sensitivity, Status, entry_from_dict,
                           entry_to_dict, literal_markdown, matches, validate_lexicon)
from pipeline.core.errors import FocuslexError
from pipeline.core.text import label_key, search_key
from tests.conftest import REPO

FORMAT_MD = REPO / "corpora" / "demo_source" / "FORMAT.md"

REQUIRED_LABELS = [
    "integratie", "assimilatie", "discriminatie", "racisme", "onbewust racisme", "inburgering",
    "nieuwkomer", "migratieachtergrond", "migratieroots", "allochtoon", "autochtoon",
    "diversiteit", "superdiversiteit", "inclusie", "segregatie", "burgerschap", "etnisch",
    "gelijke kansen", "migratie", "vluchteling", "asielzoeker", "xenofobie", "vreemdelingenhaat",
    "antisemitisme", "participatie", "samenleven",
]


def format_concept_ids() -> list[str]:
    text = FORMAT_MD.read_text(encoding="utf-8")
    section = text.split("## Concept ids", 1)[1]
    block = section.split("\n", 1)[1].split("\n\n", 1)[0]
    return [i.strip() for i in block.replace("\n", " ").split(",") if i.strip()]


def minimal(**extra: Any) -> dict[str, Any]:
    return {"id": "buurtwerking", "pref_label": {"nl-BE": "buurtwerking"},
            "definition": "Werk met bewoners van een buurt.", **extra}


def problems_of(raw: Any) -> str:
    with pytest.raises(FocuslexError) as caught:
        entry_from_dict(raw, "test")
    assert caught.value.code == "FX-LEX-002"
    return caught.value.message


@pytest.fixture(scope="module")
def seed() -> dict[str, Entry]:
    return {e.id: e for e in load_seed()}


# -- the seed lexicon -------------------------------------------------------------------------

def test_seed_loads_validates_and_has_every_format_concept(seed: dict[str, Entry]) -> None:
    ids = format_concept_ids()
    assert len(ids) == 49
    assert sorted(seed) == sorted(ids)
    labels = {e.label for e in seed.values()}
    assert set(REQUIRED_LABELS) <= labels
    for term_id in ids:  # ids are the snake_case of the preferred label
        assert term_id == re.sub(r"\W+", "_", seed[term_id].label.lower())


def test_every_seed_entry_is_complete(seed: dict[str, Entry]) -> None:
    for entry in seed.values():
        assert entry.definition and entry.scope_note, entry.id
        assert entry.alt_labels and entry.exclusions, entry.id
        assert entry.source_guide and entry.activities, entry.id
        assert entry.sensitivity_note, entry.id
        assert set(entry.activities) <= set(ACTIVITIES)
        assert entry.created.endswith("+00:00") and entry.version == 1
    guides = " ".join(g for e in seed.values() for g in e.source_guide)
    for name in ("Woorden doen ertoe", "VRT", "Vlaamse overheid", "Unia", "Minderhedenforum",
                 "Van Dale"):
        assert name in guides


def test_seed_forms_hidden_labels_and_sense_traps(seed: dict[str, Entry]) -> None:
    def labels(term_id: str) -> set[str]:
        return set(seed[term_id].alt_labels)
    assert {"geïntegreerd", "integreren", "integreert", "integratiebeleid"} <= labels("integratie")
    assert {"discrimineren", "gediscrimineerd", "discriminerend"} <= labels("discriminatie")
    assert {"racist", "racisten", "racistisch", "racistische", "antiracisme"} <= labels("racisme")
    assert "intergratie" in seed["integratie"].hidden_labels
    assert "geintegreerd" in seed["integratie"].hidden_labels
    assert {"integraal", "integriteit", "re-integratie", "geïntegreerde aanpak"} <= set(
        seed["integratie"].exclusions)
    assert "biodiversiteit" in seed["diversiteit"].exclusions
    assert "prijsdiscriminatie" in seed["discriminatie"].exclusions
    # inclusief: a label now, its two senses told apart by the sense step (issue 16)
    assert "inclusief" in seed["inclusie"].alt_labels and "inclusief btw" in seed["inclusie"].exclusions
    assert seed["inclusie"].sense_examples and seed["inclusie"].other_sense_examples
    assert "samenleving" in seed["samenleven"].exclusions
    assert "mensen met een migratieachtergrond" in labels("migratieachtergrond")


def test_seed_allochtoon_is_deprecated_in_favour_of_migratieachtergrond(
        seed: dict[str, Entry]) -> None:
    allochtoon = seed["allochtoon"]
    assert allochtoon.status is Status.AFGERADEN and allochtoon.deprecated
    assert allochtoon.sensitivity is Sensitivity.VERMIJDEN
    assert allochtoon.replaced_by == "migratieachtergrond"
    assert allochtoon.alternatives


def test_seed_file_is_readable_block_yaml() -> None:
    text = SEED_LEXICON.read_text(encoding="utf-8")
    assert text.startswith("# focuslex lexicon")
    assert "\n  - id: integratie\n" in text
    assert "{" not in text.split("terms:", 1)[1]  # block style only


# -- validation of one entry ------------------------------------------------------------------

def test_minimal_entry_gets_defaults_and_round_trips() -> None:
    entry = entry_from_dict(minimal())
    assert entry.status is Status.VOORSTEL and entry.sensitivity is Sensitivity.NEUTRAAL
    assert entry_from_dict(entry_to_dict(entry)) == entry
    assert entry_from_dict(minimal(pref_label="buurtwerking")).label == "buurtwerking"


def test_one_preferred_label_per_language() -> None:
    message = problems_of(minimal(pref_label={"nl-BE": "buurtwerking", "NL-be": "buurtwerk"}))
    assert "meer dan één voorkeurslabel voor taal nl-BE" in message
    assert "geen voorkeurslabel in het nl-BE" in problems_of(minimal(pref_label={"en": "x"}))


def test_unknown_status_names_value_and_allowed_values() -> None:
    message = problems_of(minimal(status="goedgekeurd"))
    assert "'goedgekeurd'" in message and "in bespreking" in message and "afgeraden" in message


def test_deprecated_term_must_name_its_replacement() -> None:
    assert "vervanger" in problems_of(minimal(status="afgeraden"))
    assert "alleen een afgeraden term" in problems_of(minimal(replaced_by="ontmoetingsplek"))
    assert "zichzelf" in problems_of(minimal(status="afgeraden", replaced_by="buurtwerking"))


@pytest.mark.parametrize("extra, expected", [
    ({"sensitivity": "gevaarlijk"}, "onbekende gevoeligheid"),
    ({"activities": ["Feesten organiseren"]}, "onbekende activiteit"),
    ({"created": "2026-03-01T10:00:00"}, "geen tijdzone"),
    ({"created": "gisteren"}, "geen ISO-tijdstip"),
    ({"alt_labels": ["buurtwerk", "Buurtwerk"]}, "meer dan eens"),
    ({"exclusions": ["buurtwerking"]}, "tegelijk label en uitsluiting"),
    ({"shared_labels": ["wijkwerk"]}, "geen label van deze term"),
    ({"version": 0}, "geheel getal"),
    ({"color": "rood"}, "onbekend veld"),
    ({"decision": {"date": "2026-13-40", "rationale": "x"}}, "geen datum"),
    ({"decision": {"date": "2026-03-12"}}, "motivering"),
    ({"alternatives": [{"label": "a | b"}]}, "'|'"),
    ({"related": ["buurtwerking"]}, "zichzelf"),
    ({"id": "Buurt Werking"}, "kleine letters"),
    ({"definition": ""}, "definitie ontbreekt"),
])
def test_entry_problems(extra: dict[str, Any], expected: str) -> None:
    assert expected in problems_of(minimal(**extra))


def test_every_problem_is_reported_at_once() -> None:
    message = problems_of(minimal(status="goedgekeurd", sensitivity="gevaarlijk", definition=""))
    assert "status" in message and "gevoeligheid" in message and "definitie" in message


def test_not_a_mapping() -> None:
    assert "structuur" in problems_of(["buurtwerking"])


def test_timestamps_are_normalised_to_utc() -> None:
    entry = entry_from_dict(minimal(created="2026-03-01T11:00:00+01:00"))
    assert entry.created == "2026-03-01T10:00:00+00:00"


# -- rules across terms -----------------------------------------------------------------------

def two(first: dict[str, Any], second: dict[str, Any]) -> list[Entry]:
    return [entry_from_dict(minimal(**first)),
            entry_from_dict({"id": "wijkwerk", "pref_label": {"nl-BE": "wijkwerk"},
                             "definition": "Werk in een wijk.", **second})]


def test_duplicate_ids_are_refused() -> None:
    entry = entry_from_dict(minimal())
    with pytest.raises(FocuslexError) as caught:
        validate_lexicon([entry, entry], "test")
    assert caught.value.code == "FX-LEX-003" and "buurtwerking" in caught.value.message


def test_label_shared_by_two_terms_is_refused_unless_declared_by_both() -> None:
    with pytest.raises(FocuslexError) as caught:
        validate_lexicon(two({"alt_labels": ["buurtwerk"]}, {"alt_labels": ["Buurtwerk"]}))
    assert caught.value.code == "FX-LEX-004"
    assert "buurtwerk" in caught.value.message and "wijkwerk" in caught.value.message
    with pytest.raises(FocuslexError):  # declared by one of the two only
        validate_lexicon(two({"alt_labels": ["buurtwerk"], "shared_labels": ["buurtwerk"]},
                             {"alt_labels": ["buurtwerk"]}))
    validate_lexicon(two({"alt_labels": ["buurtwerk"], "shared_labels": ["buurtwerk"]},
                         {"alt_labels": ["buurtwerk"], "shared_labels": ["buurtwerk"]}))


def test_exclusion_may_be_another_terms_label() -> None:
    validate_lexicon(two({"exclusions": ["wijkwerk"]}, {}))


def test_references_must_exist_and_replacement_must_not_be_deprecated() -> None:
    with pytest.raises(FocuslexError) as caught:
        validate_lexicon(two({"related": ["nergens"]}, {}))
    assert caught.value.code == "FX-LEX-019" and "nergens" in caught.value.message
    with pytest.raises(FocuslexError) as caught:
        validate_lexicon(two({"status": "afgeraden", "replaced_by": "wijkwerk"},
                             {"status": "afgeraden", "replaced_by": "buurtwerking"}))
    assert "zelf afgeraden" in caught.value.message
    validate_lexicon(two({"status": "afgeraden", "replaced_by": "wijkwerk"}, {}))


# -- search and display -------------------------------------------------------------------------

def test_search_covers_hidden_labels_accents_and_definitions(seed: dict[str, Entry]) -> None:
    assert matches(seed["integratie"], "intergratie")  # a hidden misspelling
    assert matches(seed["integratie"], "GEINTEGREERD")  # accent- and case-insensitive
    assert matches(seed["allochtoon"], "niet-Europese herkomst")  # from the definition
    assert not matches(seed["racisme"], "intergratie")
    assert matches(seed["racisme"], "  ")


def test_label_keys_keep_accents_but_search_folds_them() -> None:
    assert label_key("Geïntegreerd ") != label_key("geintegreerd")
    assert search_key("Geïntegreerd") == search_key("geintegreerd")


def test_literal_markdown_shows_html_and_markup_as_text() -> None:
    shown = literal_markdown("<script>alert('x')</script> **vet** :red[x] $x$")
    assert "<script>" not in shown and "\\<script\\>" in shown
    assert "**" not in shown and ":red[" not in shown and "$x$" not in shown
