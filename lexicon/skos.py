"""The lexicon as SKOS (Turtle or JSON-LD) through rdflib.

One `skos:Concept` per term in one `skos:ConceptScheme`:
- SKOS core: prefLabel (one per language), altLabel, hiddenLabel, definition, scopeNote,
  example (the examples and the sense examples), related, notation (the term id), historyNote (the committee's decision),
  changeNote (one per revision, when a history is given), inScheme;
- a deprecated term (status afgeraden): `owl:deprecated true` and `dct:isReplacedBy`;
- Dublin Core: created, modified; `owl:versionInfo` on the scheme for a release;
- everything else in the focuslex namespace (`fx:`): senseExample (which skos:example is an
  example of this sense), otherSenseExample (a sentence where the word forms mean something
  else), status, sensitivity(+Note), exclusion,
  sharedLabel, acceptableContext, sourceGuide, activity, alternative [label, audience, note],
  decision [date, meeting, rationale, dissent [by, note]], createdBy, modifiedBy, version.

IRIs are URNs (identifiers, not web addresses); a publisher can pass another `base`.
Every export is parsed back and checked before it is returned (`check_skos`).
`read_skos` reads such a graph back into entries; RDF has no order, so lists come back
sorted. Read only Turtle from untrusted sources: a JSON-LD file can name remote contexts that
the parser would fetch (the CLI imports .ttl only; JSON-LD is parsed only to check our own
export, whose context is inline).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS, XSD
from rdflib.term import Node

from lexicon.model import (DEFAULT_LANGUAGE, Decision, Entry, Status, entry_from_dict,
                           validate_lexicon)
from pipeline.core.errors import FocuslexError
from pipeline.core.formats import count_noun

DEFAULT_BASE = "urn:focuslex:lexicon:"
FX = Namespace("urn:focuslex:vocab#")
FORMATS = {"turtle": "turtle", "ttl": "turtle", "json-ld": "json-ld", "jsonld": "json-ld"}
JSONLD_CONTEXT = {"skos": str(SKOS), "dct": str(DCTERMS), "owl": str(OWL), "xsd": str(XSD),
                  "fx": str(FX)}


def _scheme(base: str) -> URIRef:
    return URIRef(base.rstrip(":/#"))


def lexicon_graph(entries: Sequence[Entry], *, base: str = DEFAULT_BASE,
                  release: int | None = None,
                  change_notes: Mapping[str, Sequence[str]] | None = None) -> Graph:
    graph = Graph()
    for prefix, namespace in (("skos", SKOS), ("dct", DCTERMS), ("owl", OWL), ("fx", FX)):
        graph.bind(prefix, namespace)
    scheme = _scheme(base)
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, DCTERMS.title, Literal("focuslex-lexicon", lang=DEFAULT_LANGUAGE)))
    if release is not None:
        graph.add((scheme, OWL.versionInfo, Literal(f"release {release}")))
    for entry in entries:
        _add_entry(graph, entry, base, scheme, (change_notes or {}).get(entry.id, ()))
    return graph


def _nl(text: str) -> Literal:
    return Literal(text, lang=DEFAULT_LANGUAGE)


def _add_entry(graph: Graph, entry: Entry, base: str, scheme: URIRef,
               notes: Sequence[str]) -> None:
    concept = URIRef(base + entry.id)
    add = graph.add
    add((concept, RDF.type, SKOS.Concept))
    add((concept, SKOS.inScheme, scheme))
    add((concept, SKOS.notation, Literal(entry.id)))
    for lang, text in entry.pref_label.items():
        add((concept, SKOS.prefLabel, Literal(text, lang=lang)))
    for text in entry.alt_labels:
        add((concept, SKOS.altLabel, _nl(text)))
    for text in entry.hidden_labels:
        add((concept, SKOS.hiddenLabel, _nl(text)))
    add((concept, SKOS.definition, _nl(entry.definition)))
    if entry.scope_note:
        add((concept, SKOS.scopeNote, _nl(entry.scope_note)))
    for text in (*entry.examples, *entry.sense_examples):
        add((concept, SKOS.example, _nl(text)))
    for text in entry.sense_examples:  # which skos:example is a sense example
        add((concept, FX.senseExample, _nl(text)))
    for text in entry.other_sense_examples:
        add((concept, FX.otherSenseExample, _nl(text)))
    for other in entry.related:
        add((concept, SKOS.related, URIRef(base + other)))
    for text in notes:
        add((concept, SKOS.changeNote, _nl(text)))
    if entry.deprecated and entry.replaced_by:
        add((concept, OWL.deprecated, Literal(True)))
        add((concept, DCTERMS.isReplacedBy, URIRef(base + entry.replaced_by)))
    add((concept, FX.status, Literal(entry.status.value)))
    add((concept, FX.sensitivity, Literal(entry.sensitivity.value)))
    if entry.sensitivity_note:
        add((concept, FX.sensitivityNote, _nl(entry.sensitivity_note)))
    for prop, values in ((FX.exclusion, entry.exclusions), (FX.sharedLabel, entry.shared_labels),
                         (FX.acceptableContext, entry.acceptable_contexts),
                         (FX.sourceGuide, entry.source_guide)):
        for text in values:
            add((concept, prop, _nl(text)))
    for activity in entry.activities:
        add((concept, FX.activity, _nl(activity)))
    _add_alternatives(graph, concept, entry)
    _add_metadata(graph, concept, entry)


def _add_alternatives(graph: Graph, concept: URIRef, entry: Entry) -> None:
    add = graph.add
    for alternative in entry.alternatives:
        node = BNode()
        add((concept, FX.alternative, node))
        add((node, FX.label, _nl(alternative.label)))
        if alternative.audience:
            add((node, FX.audience, _nl(alternative.audience)))
        if alternative.note:
            add((node, FX.note, _nl(alternative.note)))


def _add_metadata(graph: Graph, concept: URIRef, entry: Entry) -> None:
    add = graph.add
    if entry.decision is not None:
        _add_decision(graph, concept, entry.decision)
    if entry.created:
        add((concept, DCTERMS.created, Literal(entry.created, datatype=XSD.dateTime)))
    if entry.modified:
        add((concept, DCTERMS.modified, Literal(entry.modified, datatype=XSD.dateTime)))
    if entry.created_by:
        add((concept, FX.createdBy, Literal(entry.created_by)))
    if entry.modified_by:
        add((concept, FX.modifiedBy, Literal(entry.modified_by)))
    add((concept, FX.version, Literal(entry.version)))


def _add_decision(graph: Graph, concept: URIRef, decision: Decision) -> None:
    """The committee's decision: a skos:historyNote summary and the fx:decision structure."""
    add = graph.add
    summary = f"Besluit van {decision.date}"
    summary += f" ({decision.meeting})" if decision.meeting else ""
    summary += f": {decision.rationale}"
    if decision.dissent:
        summary += " Afwijkende meningen: " + "; ".join(
            f"{d.by}: {d.note}" for d in decision.dissent)
    add((concept, SKOS.historyNote, _nl(summary)))
    node = BNode()
    add((concept, FX.decision, node))
    add((node, FX.date, Literal(decision.date, datatype=XSD.date)))
    if decision.meeting:
        add((node, FX.meeting, _nl(decision.meeting)))
    add((node, FX.rationale, _nl(decision.rationale)))
    for dissent in decision.dissent:
        item = BNode()
        add((node, FX.dissent, item))
        add((item, FX.by, Literal(dissent.by)))
        add((item, FX.note, _nl(dissent.note)))


def _format(fmt: str) -> str:
    try:
        return FORMATS[fmt.lower()]
    except KeyError as exc:
        raise FocuslexError("FX-LEX-014", source=fmt,
                            detail=f"onbekend formaat (kies uit {', '.join(FORMATS)})") from exc


def dump_skos(entries: Sequence[Entry], fmt: str = "turtle", *, base: str = DEFAULT_BASE,
              release: int | None = None,
              change_notes: Mapping[str, Sequence[str]] | None = None) -> str:
    """Serialise as Turtle or JSON-LD; the text is parsed back and checked before returning."""
    fmt = _format(fmt)
    graph = lexicon_graph(entries, base=base, release=release, change_notes=change_notes)
    if fmt == "json-ld":
        text = graph.serialize(format="json-ld", context=JSONLD_CONTEXT, indent=2)
    else:
        text = graph.serialize(format="turtle")
    check_skos(text, fmt, [e.id for e in entries])
    return text


def parse_skos(text: str, fmt: str, source: str) -> Graph:
    fmt = _format(fmt)
    graph = Graph()
    try:
        graph.parse(data=text, format=fmt)
    except Exception as exc:  # rdflib raises many parser-specific types
        raise FocuslexError("FX-LEX-014", source=source,
                            detail=f"kan niet gelezen worden ({type(exc).__name__}: {exc})") from exc
    return graph


def check_skos(text: str, fmt: str, expected_ids: Sequence[str], source: str = "export") -> Graph:
    """Parse `text` back and check: one skos:Concept per term (by notation), exactly one
    prefLabel per language with nl-BE present, and every deprecated concept replaced by a
    concept of the same graph."""
    graph = parse_skos(text, fmt, source)
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    problems: list[str] = []
    if len(concepts) != len(expected_ids):
        problems.append(f"{count_noun(len(concepts), 'concept', 'concepten')} voor "
                        f"{count_noun(len(expected_ids), 'term', 'termen')}")
    notations = sorted(str(n) for c in concepts for n in graph.objects(c, SKOS.notation))
    if notations != sorted(expected_ids):
        problems.append("de notaties komen niet overeen met de term-id's")
    for concept in concepts:
        languages = [lit.language for lit in graph.objects(concept, SKOS.prefLabel)
                     if isinstance(lit, Literal)]
        if len(languages) != len(set(languages)) or DEFAULT_LANGUAGE not in languages:
            problems.append(f"{concept}: niet precies één prefLabel per taal met {DEFAULT_LANGUAGE}")
        if (concept, OWL.deprecated, Literal(True)) in graph:
            targets = list(graph.objects(concept, DCTERMS.isReplacedBy))
            if len(targets) != 1 or targets[0] not in concepts:
                problems.append(f"{concept}: afgeraden zonder vervangend concept")
    if problems:
        raise FocuslexError("FX-LEX-014", source=source, detail="; ".join(problems))
    return graph


# -- reading back -------------------------------------------------------------------------

def _texts(graph: Graph, subject: Node, prop: URIRef) -> list[str]:
    return sorted(str(o) for o in graph.objects(subject, prop))


def _one(graph: Graph, subject: Node, prop: URIRef) -> str:
    values = _texts(graph, subject, prop)
    return values[0] if values else ""


def _local_id(graph: Graph, node: Node) -> str:
    notation = _one(graph, node, SKOS.notation)
    if notation:
        return notation
    text = str(node)
    for sep in (":", "/", "#"):
        text = text.rsplit(sep, 1)[-1]
    return text


def _concept_dict(graph: Graph, concept: Node, source: str) -> dict[str, Any]:
    pref: dict[str, str] = {}
    for literal in graph.objects(concept, SKOS.prefLabel):
        lang = getattr(literal, "language", None) or DEFAULT_LANGUAGE
        if lang in pref:
            raise FocuslexError("FX-LEX-014", source=source,
                                detail=f"{_local_id(graph, concept)}: meer dan één prefLabel "
                                       f"voor taal {lang}")
        pref[lang] = str(literal)
    data: dict[str, Any] = {
        "id": _local_id(graph, concept), "pref_label": pref,
        "alt_labels": _texts(graph, concept, SKOS.altLabel),
        "hidden_labels": _texts(graph, concept, SKOS.hiddenLabel),
        "exclusions": _texts(graph, concept, FX.exclusion),
        "shared_labels": _texts(graph, concept, FX.sharedLabel),
        "definition": _one(graph, concept, SKOS.definition),
        "scope_note": _one(graph, concept, SKOS.scopeNote),
        "examples": sorted(set(_texts(graph, concept, SKOS.example))
                           - set(_texts(graph, concept, FX.senseExample))),
        "sense_examples": _texts(graph, concept, FX.senseExample),
        "other_sense_examples": _texts(graph, concept, FX.otherSenseExample),
        "sensitivity": _one(graph, concept, FX.sensitivity),
        "sensitivity_note": _one(graph, concept, FX.sensitivityNote),
        "acceptable_contexts": _texts(graph, concept, FX.acceptableContext),
        "source_guide": _texts(graph, concept, FX.sourceGuide),
        "related": sorted(_local_id(graph, o) for o in graph.objects(concept, SKOS.related)),
        "activities": _texts(graph, concept, FX.activity),
        "status": _one(graph, concept, FX.status),
        "created": _one(graph, concept, DCTERMS.created),
        "created_by": _one(graph, concept, FX.createdBy),
        "modified": _one(graph, concept, DCTERMS.modified),
        "modified_by": _one(graph, concept, FX.modifiedBy),
    }
    version = _one(graph, concept, FX.version)
    data["version"] = int(version) if version.isdigit() else 1
    replaced = list(graph.objects(concept, DCTERMS.isReplacedBy))
    if replaced:
        data["replaced_by"] = _local_id(graph, replaced[0])
        if not data["status"]:
            data["status"] = Status.AFGERADEN.value
    alternatives = []
    for node in graph.objects(concept, FX.alternative):
        alternatives.append({"label": _one(graph, node, FX.label),
                             "audience": _one(graph, node, FX.audience),
                             "note": _one(graph, node, FX.note)})
    data["alternatives"] = sorted(alternatives, key=lambda a: (a["label"], a["audience"]))
    for node in graph.objects(concept, FX.decision):
        dissent = sorted(({"by": _one(graph, d, FX.by), "note": _one(graph, d, FX.note)}
                          for d in graph.objects(node, FX.dissent)),
                         key=lambda d: (d["by"], d["note"]))
        data["decision"] = {"date": _one(graph, node, FX.date),
                            "meeting": _one(graph, node, FX.meeting),
                            "rationale": _one(graph, node, FX.rationale), "dissent": dissent}
    return data


def read_skos(text: str, fmt: str = "turtle", source: str = "SKOS") -> list[Entry]:
    """Entries from a SKOS graph (as written by `dump_skos`), validated like any import."""
    graph = parse_skos(text, fmt, source)
    concepts = sorted(graph.subjects(RDF.type, SKOS.Concept), key=str)
    if not concepts:
        raise FocuslexError("FX-LEX-014", source=source, detail="geen skos:Concept gevonden")
    entries = [entry_from_dict(_concept_dict(graph, c, source), f"{source}, {c}")
               for c in concepts]
    validate_lexicon(entries, source)
    return entries
