"""SKOS export (Turtle, JSON-LD) through rdflib, checked by parsing it back."""

from __future__ import annotations

from dataclasses import replace

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

from lexicon.io import load_seed, read_lexicon_file
from lexicon.model import Entry
from lexicon.skos import DEFAULT_BASE, FX, check_skos, dump_skos, read_skos
from pipeline.core.errors import FocuslexError
from tests.conftest import FIXTURES

LEX = FIXTURES / "lexicon"


@pytest.fixture(scope="module")
def seed() -> list[Entry]:
    return load_seed()


@pytest.fixture(scope="module")
def turtle(seed: list[Entry]) -> str:
    return dump_skos(seed, "turtle", release=2,
                     change_notes={"integratie": ["Versie 1: geïmporteerd", "Versie 2: nota"]})


def concept(term_id: str) -> URIRef:
    return URIRef(DEFAULT_BASE + term_id)


def test_turtle_parses_back_with_one_concept_per_term(seed: list[Entry], turtle: str) -> None:
    graph = Graph().parse(data=turtle, format="turtle")
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) == len(seed) == 49
    schemes = list(graph.subjects(RDF.type, SKOS.ConceptScheme))
    assert len(schemes) == 1
    assert all((c, SKOS.inScheme, schemes[0]) in graph for c in concepts)
    assert (schemes[0], OWL.versionInfo, Literal("release 2")) in graph


def test_skos_core_fields(turtle: str) -> None:
    graph = Graph().parse(data=turtle, format="turtle")
    integratie = concept("integratie")
    assert (integratie, SKOS.prefLabel, Literal("integratie", lang="nl-BE")) in graph
    assert (integratie, SKOS.prefLabel, Literal("integration", lang="en")) in graph
    assert (integratie, SKOS.altLabel, Literal("geïntegreerd", lang="nl-BE")) in graph
    assert (integratie, SKOS.hiddenLabel, Literal("intergratie", lang="nl-BE")) in graph
    assert (integratie, SKOS.related, concept("inburgering")) in graph
    assert len(list(graph.objects(integratie, SKOS.definition))) == 1
    assert len(list(graph.objects(integratie, SKOS.scopeNote))) == 1
    assert len(list(graph.objects(integratie, SKOS.changeNote))) == 2
    assert (integratie, SKOS.notation, Literal("integratie")) in graph


def test_deprecated_term_is_replaced(turtle: str) -> None:
    graph = Graph().parse(data=turtle, format="turtle")
    allochtoon = concept("allochtoon")
    assert (allochtoon, OWL.deprecated, Literal(True)) in graph
    assert (allochtoon, DCTERMS.isReplacedBy, concept("migratieachtergrond")) in graph
    assert (concept("integratie"), OWL.deprecated, None) not in graph


def test_focuslex_fields_in_own_namespace(turtle: str) -> None:
    graph = Graph().parse(data=turtle, format="turtle")
    allochtoon = concept("allochtoon")
    assert (allochtoon, FX.sensitivity, Literal("vermijden")) in graph
    assert (allochtoon, FX.status, Literal("afgeraden")) in graph
    assert (concept("diversiteit"), FX.exclusion, Literal("biodiversiteit", lang="nl-BE")) in graph
    alternatives = list(graph.objects(allochtoon, FX.alternative))
    assert len(alternatives) == 4
    assert all(graph.value(a, FX.label) is not None for a in alternatives)


def test_decision_becomes_history_note_and_structure() -> None:
    entries = read_lexicon_file(LEX / "small.yaml")
    graph = Graph().parse(data=dump_skos(entries), format="turtle")
    buurt = concept("buurtwerking")
    history = str(graph.value(buurt, SKOS.historyNote))
    assert "2026-03-12" in history and "lid 4" in history
    decision = graph.value(buurt, FX.decision)
    assert str(graph.value(decision, FX.meeting)) == "Transitiecomité, derde vergadering"
    dissent = graph.value(decision, FX.dissent)
    assert str(graph.value(dissent, FX.by)) == "lid 4"


def test_jsonld_parses_back_to_the_same_graph(seed: list[Entry]) -> None:
    jsonld = dump_skos(seed, "jsonld")
    assert '"@context"' in jsonld
    from_jsonld = Graph().parse(data=jsonld, format="json-ld")
    from_turtle = Graph().parse(data=dump_skos(seed, "turtle"), format="turtle")
    assert isomorphic(from_jsonld, from_turtle)
    assert len(set(from_jsonld.subjects(RDF.type, SKOS.Concept))) == 49


def sorted_lists(entry: Entry) -> Entry:
    """RDF has no order: compare entries with their lists sorted."""
    changes = {name: tuple(sorted(getattr(entry, name))) for name in (
        "alt_labels", "hidden_labels", "exclusions", "shared_labels", "examples", "sense_examples",
        "other_sense_examples",
        "acceptable_contexts", "source_guide", "related", "activities")}
    changes["alternatives"] = tuple(sorted(entry.alternatives, key=lambda a: (a.label, a.audience)))
    return replace(entry, **changes)


def test_read_skos_gives_the_entries_back(seed: list[Entry]) -> None:
    back = {e.id: e for e in read_skos(dump_skos(seed, "turtle"))}
    for entry in seed:
        assert back[entry.id] == sorted_lists(entry)
    small = read_lexicon_file(LEX / "small.yaml")
    back_small = read_skos(dump_skos(small, "turtle"))
    assert sorted(back_small, key=lambda e: e.id) == [sorted_lists(e) for e in small]


def test_check_refuses_two_preferred_labels_in_one_language() -> None:
    bad = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<urn:x:a> a skos:Concept ; skos:notation "a" ;
    skos:prefLabel "een"@nl-BE, "twee"@nl-BE ."""
    with pytest.raises(FocuslexError) as caught:
        check_skos(bad, "turtle", ["a"])
    assert caught.value.code == "FX-LEX-014" and "prefLabel" in caught.value.message
    with pytest.raises(FocuslexError) as caught:
        read_skos(bad)
    assert "meer dan één prefLabel" in caught.value.message


def test_check_counts_concepts_and_replacements() -> None:
    ttl = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
<urn:x:a> a skos:Concept ; skos:notation "a" ; skos:prefLabel "a"@nl-BE ; owl:deprecated true ."""
    with pytest.raises(FocuslexError) as caught:
        check_skos(ttl, "turtle", ["a", "b"])
    message = caught.value.message
    assert "1 concept voor 2 termen" in message and "zonder vervangend concept" in message


def test_unparsable_skos() -> None:
    with pytest.raises(FocuslexError) as caught:
        read_skos("dit is geen turtle <<<", "turtle", "kapot.ttl")
    assert caught.value.code == "FX-LEX-014" and "kapot.ttl" in caught.value.message
    with pytest.raises(FocuslexError):
        read_skos("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .", "turtle")
    with pytest.raises(FocuslexError):
        dump_skos([], "rdfxml")
