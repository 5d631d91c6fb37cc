"""The lexicon entry: SKOS core plus what the transition committee needs.

An `Entry` is an immutable, validated value. It is built from a plain mapping (the YAML/CSV
form) with `entry_from_dict`, which collects every problem and raises one `FX-LEX-002`
error naming them all; `entry_to_dict` gives the canonical plain form back (fields in a fixed
order, empty optional fields left out). Rules that need the whole lexicon (unique ids, labels
shared by two terms, references to other terms) live in `validate_lexicon`.

Problem texts are Dutch: they end up in user-facing error messages.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from pipeline.core.errors import FocuslexError
from pipeline.core.text import label_key, search_key
from pipeline.core.text import literal_markdown  # noqa: F401  (re-exported for the pages)

DEFAULT_LANGUAGE = "nl-BE"


class Status(StrEnum):
    VOORSTEL = "voorstel"
    IN_BESPREKING = "in bespreking"
    AFGESPROKEN = "afgesproken"
    OMSTREDEN = "omstreden"
    AFGERADEN = "afgeraden"


# What the committee agreed on: terms to use, and terms advised against (with their
# replacement). The learning network (role viewer) sees only these.
AGREED_STATUSES: tuple[Status, ...] = (Status.AFGESPROKEN, Status.AFGERADEN)


class Sensitivity(StrEnum):
    NEUTRAAL = "neutraal"
    CONTEXTAFHANKELIJK = "contextafhankelijk"
    OMSTREDEN = "omstreden"
    VERMIJDEN = "vermijden"


# The six activities of the Integratiepact system model.
ACTIVITIES: tuple[str, ...] = (
    "Grondrechten garanderen", "Handelingsvermogen vergroten", "Herverdelen",
    "Meerwaarde creëren", "Levenskwaliteit garanderen", "Vertrouwen bouwen",
)

# The status workflow: voorstel -> in bespreking -> afgesproken | omstreden -> afgeraden
# (with a replacement). A settled or deprecated term can be reopened for discussion.
TRANSITIONS: dict[Status, tuple[Status, ...]] = {
    Status.VOORSTEL: (Status.IN_BESPREKING,),
    Status.IN_BESPREKING: (Status.AFGESPROKEN, Status.OMSTREDEN, Status.VOORSTEL),
    Status.AFGESPROKEN: (Status.OMSTREDEN, Status.AFGERADEN, Status.IN_BESPREKING),
    Status.OMSTREDEN: (Status.AFGESPROKEN, Status.AFGERADEN, Status.IN_BESPREKING),
    Status.AFGERADEN: (Status.IN_BESPREKING,),
}

# Fields in canonical order (the YAML order). Metadata fields are set by the store.
CONTENT_FIELDS: tuple[str, ...] = (
    "pref_label", "alt_labels", "hidden_labels", "exclusions", "shared_labels",
    "definition", "scope_note", "examples", "sense_examples", "other_sense_examples",
    "alternatives", "sensitivity",
    "sensitivity_note", "acceptable_contexts", "source_guide", "related", "activities",
    "status", "replaced_by", "decision",
)
METADATA_FIELDS: tuple[str, ...] = ("created", "created_by", "modified", "modified_by",
                                    "version")
ALL_FIELDS: tuple[str, ...] = ("id", *CONTENT_FIELDS, *METADATA_FIELDS)

# Dutch names of the fields, for messages, the CLI and the app.
FIELD_LABELS: dict[str, str] = {
    "id": "id", "pref_label": "voorkeurslabel", "alt_labels": "andere labels en woordvormen",
    "hidden_labels": "verborgen labels", "exclusions": "uitsluitingen",
    "shared_labels": "gedeelde labels", "definition": "definitie",
    "scope_note": "toepassingsnota", "examples": "voorbeelden",
    "sense_examples": "voorbeeldzinnen van deze betekenis",
    "other_sense_examples": "voorbeeldzinnen van andere betekenissen",
    "alternatives": "voorkeursalternatieven", "sensitivity": "gevoeligheid",
    "sensitivity_note": "toelichting gevoeligheid",
    "acceptable_contexts": "aanvaardbare contexten", "source_guide": "bronnen",
    "related": "verwante termen", "activities": "activiteiten", "status": "status",
    "replaced_by": "vervangen door", "decision": "besluit", "created": "aangemaakt",
    "created_by": "aangemaakt door", "modified": "gewijzigd", "modified_by": "gewijzigd door",
    "version": "versie",
}

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_LANG = re.compile(r"^[a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LABEL_LISTS = ("alt_labels", "hidden_labels", "exclusions", "shared_labels")
_TEXT_LISTS = ("examples", "sense_examples", "other_sense_examples", "acceptable_contexts",
               "source_guide")


@dataclass(frozen=True)
class Alternative:
    """A preferred alternative wording, and for whom it fits."""
    label: str
    audience: str = ""
    note: str = ""


@dataclass(frozen=True)
class Dissent:
    """A committee member (or organisation) who did not agree, and why."""
    by: str
    note: str


@dataclass(frozen=True)
class Decision:
    date: str  # YYYY-MM-DD
    meeting: str
    rationale: str
    dissent: tuple[Dissent, ...] = ()


@dataclass(frozen=True)
class Entry:
    id: str
    pref_label: dict[str, str]
    definition: str
    alt_labels: tuple[str, ...] = ()
    hidden_labels: tuple[str, ...] = ()
    exclusions: tuple[str, ...] = ()
    shared_labels: tuple[str, ...] = ()
    scope_note: str = ""
    examples: tuple[str, ...] = ()
    # short sentences of this sense, and of other senses of the same word forms: the sense
    # step of the term matcher (pipeline.terms.senses) scores ambiguous hits against them
    sense_examples: tuple[str, ...] = ()
    other_sense_examples: tuple[str, ...] = ()
    alternatives: tuple[Alternative, ...] = ()
    sensitivity: Sensitivity = Sensitivity.NEUTRAAL
    sensitivity_note: str = ""
    acceptable_contexts: tuple[str, ...] = ()
    source_guide: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    activities: tuple[str, ...] = ()
    status: Status = Status.VOORSTEL
    replaced_by: str | None = None
    decision: Decision | None = None
    created: str = ""
    created_by: str = ""
    modified: str = ""
    modified_by: str = ""
    version: int = 1

    @property
    def label(self) -> str:
        """The preferred label in the default language (nl-BE)."""
        return self.pref_label[DEFAULT_LANGUAGE]

    @property
    def deprecated(self) -> bool:
        return self.status is Status.AFGERADEN

    def labels(self) -> list[tuple[str, str]]:
        """Every (language, label) pair: preferred, alternative and hidden labels."""
        out = [(lang, text) for lang, text in self.pref_label.items()]
        out += [(DEFAULT_LANGUAGE, text) for text in (*self.alt_labels, *self.hidden_labels)]
        return out

    def with_metadata(self, **values: Any) -> "Entry":
        """A copy with some fields replaced (metadata, usually); not re-validated."""
        return replace(self, **values)


# -- text helpers -------------------------------------------------------------------------

def utc_now() -> str:
    return format_time(dt.datetime.now(dt.timezone.utc))


def format_time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds")


def matches(entry: Entry, query: str) -> bool:
    """Search over every label (hidden ones included) and the definition and scope note."""
    needle = search_key(query)
    if not needle:
        return True
    haystack = [text for _, text in entry.labels()]
    haystack += [entry.id, entry.definition, entry.scope_note]
    return any(needle in search_key(text) for text in haystack)


def allowed_transitions(status: Status) -> tuple[Status, ...]:
    return TRANSITIONS[status]


# -- from and to plain data ----------------------------------------------------------------

class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, text: str) -> None:
        self.items.append(text)


def _text(raw: Mapping[str, Any], key: str, problems: _Problems, *, required: bool = False,
          single_line: bool = False) -> str:
    value = raw.get(key)
    name = FIELD_LABELS.get(key, key)
    if value is None or value == "":
        if required:
            problems.add(f"{name} ontbreekt")
        return ""
    if not isinstance(value, str):
        problems.add(f"{name} moet tekst zijn, niet {value!r}")
        return ""
    value = value.strip()
    if single_line and ("\n" in value or "\r" in value):
        problems.add(f"{name} moet op één regel staan")
    return value


def _list(raw: Mapping[str, Any], key: str, problems: _Problems, *,
          label: bool = False) -> tuple[str, ...]:
    value = raw.get(key)
    name = FIELD_LABELS.get(key, key)
    if value is None or value == "" or value == []:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        problems.add(f"{name} moet een lijst zijn")
        return ()
    out: list[str] = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            problems.add(f"{name} bevat een leeg of ongeldig element ({item!r})")
            continue
        item = item.strip()
        if "\n" in item or "\r" in item:
            problems.add(f"{name}: '{item[:40]}' moet op één regel staan")
        if label and "|" in item:
            problems.add(f"{name}: '{item}' mag geen '|' bevatten")
        out.append(item)
    return tuple(out)


def _timestamp(raw: Mapping[str, Any], key: str, problems: _Problems) -> str:
    value = raw.get(key)
    name = FIELD_LABELS[key]
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            problems.add(f"{name} '{value}' is geen ISO-tijdstip (bv. 2026-03-01T10:00:00+00:00)")
            return ""
    else:
        problems.add(f"{name} '{value}' is geen ISO-tijdstip")
        return ""
    if moment.tzinfo is None:
        problems.add(f"{name} '{value}' heeft geen tijdzone (gebruik UTC, bv. +00:00)")
        return ""
    return format_time(moment)


def _date(value: Any, problems: _Problems) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and _DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    problems.add(f"besluitdatum {value!r} is geen datum (JJJJ-MM-DD)")
    return ""


def _pref_label(raw: Mapping[str, Any], problems: _Problems) -> dict[str, str]:
    value = raw.get("pref_label")
    if isinstance(value, str):
        value = {DEFAULT_LANGUAGE: value}
    if not isinstance(value, Mapping) or not value:
        problems.add("voorkeurslabel ontbreekt (pref_label met minstens nl-BE)")
        return {}
    out: dict[str, str] = {}
    seen: dict[str, str] = {}
    for lang, text in value.items():
        if not isinstance(lang, str) or not _LANG.match(lang):
            problems.add(f"ongeldige taalcode {lang!r} bij het voorkeurslabel")
            continue
        lang = language_tag(lang)
        if lang.lower() in seen:
            problems.add(f"meer dan één voorkeurslabel voor taal {lang}")
            continue
        seen[lang.lower()] = lang
        if not isinstance(text, str) or not text.strip():
            problems.add(f"het voorkeurslabel voor {lang} is leeg")
            continue
        if "\n" in text or "|" in text:
            problems.add(f"het voorkeurslabel voor {lang} moet op één regel staan, zonder '|'")
        out[lang] = text.strip()
    if DEFAULT_LANGUAGE.lower() not in seen:
        problems.add(f"er is geen voorkeurslabel in het {DEFAULT_LANGUAGE}")
    return out


def language_tag(tag: str) -> str:
    """BCP 47 case conventions: 'NL-be' -> 'nl-BE'."""
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(part.upper() if len(part) == 2 else part.title() if len(part) == 4
                   else part.lower())
    return "-".join(out)


def _alternatives(raw: Mapping[str, Any], problems: _Problems) -> tuple[Alternative, ...]:
    value = raw.get("alternatives") or []
    if not isinstance(value, list):
        problems.add("voorkeursalternatieven moet een lijst zijn")
        return ()
    out: list[Alternative] = []
    for item in value:
        if isinstance(item, str):
            item = {"label": item}
        if not isinstance(item, Mapping):
            problems.add(f"ongeldig voorkeursalternatief {item!r}")
            continue
        unknown = sorted(set(item) - {"label", "audience", "note"})
        if unknown:
            problems.add(f"onbekend veld in een voorkeursalternatief: {', '.join(map(str, unknown))}")
        sub = _Problems()
        label = _text(item, "label", sub, required=True, single_line=True)
        audience = _text(item, "audience", sub, single_line=True)
        note = _text(item, "note", sub, single_line=True)
        if "|" in label or "|" in audience:
            sub.add(f"voorkeursalternatief '{label}': label en doelpubliek mogen geen '|' bevatten")
        problems.items += [f"voorkeursalternatief: {p}" for p in sub.items]
        if label:
            out.append(Alternative(label=label, audience=audience, note=note))
    return tuple(out)


def _decision(raw: Mapping[str, Any], problems: _Problems) -> Decision | None:
    value = raw.get("decision")
    if value is None or value == {}:
        return None
    if not isinstance(value, Mapping):
        problems.add("besluit moet een structuur zijn met date, meeting, rationale, dissent")
        return None
    unknown = sorted(set(value) - {"date", "meeting", "rationale", "dissent"})
    if unknown:
        problems.add(f"onbekend veld in het besluit: {', '.join(map(str, unknown))}")
    date = _date(value.get("date"), problems)
    sub = _Problems()
    meeting = _text(value, "meeting", sub, single_line=True)
    rationale = _text(value, "rationale", sub)
    if not rationale:
        sub.add("de motivering (rationale) ontbreekt")
    dissent: list[Dissent] = []
    raw_dissent = value.get("dissent") or []
    if not isinstance(raw_dissent, list):
        sub.add("dissent moet een lijst zijn van {by, note}")
        raw_dissent = []
    for item in raw_dissent:
        if not isinstance(item, Mapping):
            sub.add(f"ongeldige afwijkende mening {item!r}")
            continue
        by = _text(item, "by", sub, single_line=True)
        note = _text(item, "note", sub, single_line=True)
        if not by or not note:
            sub.add("een afwijkende mening heeft 'by' (wie) en 'note' (standpunt)")
            continue
        if "|" in by:
            sub.add(f"de naam bij een afwijkende mening mag geen '|' bevatten ({by})")
        dissent.append(Dissent(by=by, note=note))
    problems.items += [f"besluit: {p}" for p in sub.items]
    return Decision(date=date, meeting=meeting, rationale=rationale, dissent=tuple(dissent))


def entry_from_dict(raw: Any, source: str = "invoer") -> Entry:
    """Build a validated Entry from its plain form; raise FX-LEX-002 listing every problem."""
    problems = _Problems()
    if not isinstance(raw, Mapping):
        raise FocuslexError("FX-LEX-002", term="?", source=source,
                            problems=f"een term moet een structuur met velden zijn, niet {raw!r}")
    term_id = raw.get("id")
    shown_id = term_id if isinstance(term_id, str) and term_id else "?"
    unknown = sorted(str(k) for k in raw if k not in ALL_FIELDS)
    if unknown:
        problems.add(f"onbekend veld {', '.join(repr(u) for u in unknown)}")
    if not isinstance(term_id, str) or not _ID.match(term_id):
        problems.add(f"id {term_id!r} moet uit kleine letters, cijfers en '_' bestaan "
                     "(bv. onbewust_racisme)")
    pref = _pref_label(raw, problems)
    lists = {key: _list(raw, key, problems, label=True) for key in _LABEL_LISTS}
    texts = {key: _list(raw, key, problems) for key in _TEXT_LISTS}
    _check_examples(texts, problems)
    fields: dict[str, Any] = {
        "definition": _text(raw, "definition", problems, required=True),
        "scope_note": _text(raw, "scope_note", problems),
        "alternatives": _alternatives(raw, problems),
        "sensitivity": _choice(raw, "sensitivity", Sensitivity, problems),
        "sensitivity_note": _text(raw, "sensitivity_note", problems),
        "decision": _decision(raw, problems),
        **_status_fields(raw, term_id, problems), **_references(raw, term_id, problems),
        **_metadata(raw, problems)}
    _check_own_labels(pref, lists, problems)
    if problems.items:
        raise FocuslexError("FX-LEX-002", term=shown_id, source=source,
                            problems="; ".join(problems.items))
    return Entry(id=term_id, pref_label=pref, **fields, **lists, **texts)


def _choice(raw: Mapping[str, Any], key: str, kind: type[StrEnum],
            problems: _Problems) -> Any:
    """A value of the enum `kind` (its first member when empty)."""
    value = raw.get(key)
    default = next(iter(kind))
    if value in (None, ""):
        return default
    try:
        return kind(value)
    except ValueError:
        name = "gevoeligheid" if key == "sensitivity" else key
        problems.add(f"onbekende {name} {value!r} (kies uit: "
                     f"{', '.join(s.value for s in kind)})")
        return default


def _status_fields(raw: Mapping[str, Any], term_id: Any, problems: _Problems) -> dict[str, Any]:
    """status and replaced_by, with the rules that tie them together."""
    status = _choice(raw, "status", Status, problems)
    replaced_by = raw.get("replaced_by") or None
    if replaced_by is not None and (not isinstance(replaced_by, str) or not _ID.match(replaced_by)):
        problems.add(f"vervangen door {replaced_by!r} is geen geldige term-id")
        replaced_by = None
    if status is Status.AFGERADEN and not replaced_by:
        problems.add("een afgeraden term moet een vervanger noemen (replaced_by)")
    if replaced_by and status is not Status.AFGERADEN:
        problems.add("alleen een afgeraden term heeft een vervanger (replaced_by)")
    if replaced_by and replaced_by == term_id:
        problems.add("een term kan zichzelf niet vervangen")
    return {"status": status, "replaced_by": replaced_by}


def _references(raw: Mapping[str, Any], term_id: Any, problems: _Problems) -> dict[str, Any]:
    """related (term ids) and activities (of the six)."""
    related = _list(raw, "related", problems)
    for other in related:
        if not _ID.match(other):
            problems.add(f"verwante term {other!r} is geen geldige term-id")
        elif other == term_id:
            problems.add("een term kan niet aan zichzelf verwant zijn")
    if len(set(related)) != len(related):
        problems.add("verwante termen bevat dubbels")
    activities = _list(raw, "activities", problems)
    for activity in activities:
        if activity not in ACTIVITIES:
            problems.add(f"onbekende activiteit {activity!r} (kies uit: {', '.join(ACTIVITIES)})")
    if len(set(activities)) != len(activities):
        problems.add("activiteiten bevat dubbels")
    return {"related": related, "activities": activities}


def _metadata(raw: Mapping[str, Any], problems: _Problems) -> dict[str, Any]:
    """created/modified (who, when) and version."""
    version = raw.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        problems.add(f"versie {version!r} moet een geheel getal vanaf 1 zijn")
        version = 1
    return {"created": _timestamp(raw, "created", problems),
            "modified": _timestamp(raw, "modified", problems),
            "created_by": _text(raw, "created_by", problems, single_line=True),
            "modified_by": _text(raw, "modified_by", problems, single_line=True),
            "version": version}


def _check_examples(texts: Mapping[str, tuple[str, ...]], problems: _Problems) -> None:
    """A sentence is an example of this sense or of another one, not both; and a sense
    example is not also a plain example (SKOS writes both as skos:example)."""
    sense = {label_key(t) for t in texts["sense_examples"]}
    for text in texts["other_sense_examples"]:
        if label_key(text) in sense:
            problems.add(f"'{text[:60]}' staat bij deze en bij een andere betekenis")
    for text in texts["examples"]:
        if label_key(text) in sense:
            problems.add(f"'{text[:60]}' staat bij de voorbeelden en bij de voorbeeldzinnen "
                         "van deze betekenis; laat één van beide weg")


def _check_own_labels(pref: Mapping[str, str], lists: Mapping[str, tuple[str, ...]],
                      problems: _Problems) -> None:
    """Within one term: no label twice, no exclusion that is also a label, and shared labels
    must be labels of this term."""
    seen: dict[tuple[str, str], str] = {}
    labels = [(lang.lower(), text) for lang, text in pref.items()]
    labels += [(DEFAULT_LANGUAGE.lower(), t) for t in (*lists["alt_labels"], *lists["hidden_labels"])]
    for lang, text in labels:
        key = (lang, label_key(text))
        if key in seen:
            problems.add(f"het label '{text}' staat meer dan eens bij deze term")
        seen[key] = text
    own = {label_key(t) for _, t in labels}
    for text in lists["exclusions"]:
        if label_key(text) in own:
            problems.add(f"'{text}' is tegelijk label en uitsluiting")
    if len({label_key(t) for t in lists["exclusions"]}) != len(lists["exclusions"]):
        problems.add("uitsluitingen bevat dubbels")
    for text in lists["shared_labels"]:
        if label_key(text) not in own:
            problems.add(f"gedeeld label '{text}' is geen label van deze term")


def entry_to_dict(entry: Entry) -> dict[str, Any]:
    """The canonical plain form: fields in fixed order, empty optional fields left out."""
    out: dict[str, Any] = {"id": entry.id, "pref_label": dict(entry.pref_label)}
    for key in _LABEL_LISTS:
        if getattr(entry, key):
            out[key] = list(getattr(entry, key))
    out["definition"] = entry.definition
    if entry.scope_note:
        out["scope_note"] = entry.scope_note
    for key in ("examples", "sense_examples", "other_sense_examples"):
        if getattr(entry, key):
            out[key] = list(getattr(entry, key))
    if entry.alternatives:
        out["alternatives"] = [_alternative_dict(a) for a in entry.alternatives]
    out["sensitivity"] = entry.sensitivity.value
    if entry.sensitivity_note:
        out["sensitivity_note"] = entry.sensitivity_note
    for key in ("acceptable_contexts", "source_guide", "related", "activities"):
        if getattr(entry, key):
            out[key] = list(getattr(entry, key))
    out["status"] = entry.status.value
    if entry.replaced_by:
        out["replaced_by"] = entry.replaced_by
    if entry.decision is not None:
        out["decision"] = decision_to_dict(entry.decision)
    for key in ("created", "created_by", "modified", "modified_by"):
        if getattr(entry, key):
            out[key] = getattr(entry, key)
    out["version"] = entry.version
    return out


def _alternative_dict(alternative: Alternative) -> dict[str, str]:
    out = {"label": alternative.label}
    if alternative.audience:
        out["audience"] = alternative.audience
    if alternative.note:
        out["note"] = alternative.note
    return out


def decision_to_dict(decision: Decision) -> dict[str, Any]:
    out: dict[str, Any] = {"date": decision.date}
    if decision.meeting:
        out["meeting"] = decision.meeting
    out["rationale"] = decision.rationale
    if decision.dissent:
        out["dissent"] = [{"by": d.by, "note": d.note} for d in decision.dissent]
    return out


def content_of(entry: Entry) -> dict[str, Any]:
    """The plain form without metadata (who/when/version): what a change is about."""
    data = entry_to_dict(entry)
    return {key: data.get(key) for key in ("id", *CONTENT_FIELDS)}


def changed_fields(old: Entry | None, new: Entry | None) -> dict[str, list[Any]]:
    """field -> [old value, new value] for every content field that differs."""
    before = content_of(old) if old else {}
    after = content_of(new) if new else {}
    out: dict[str, list[Any]] = {}
    for key in ("id", *CONTENT_FIELDS):
        if before.get(key) != after.get(key):
            out[key] = [before.get(key), after.get(key)]
    return out


# -- rules over the whole lexicon ------------------------------------------------------------

def validate_lexicon(entries: Sequence[Entry], source: str = "lexicon") -> None:
    """Rules across terms: unique ids, no label held by two terms unless every holder declares
    it in shared_labels, and references (replaced_by, related) to existing terms."""
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.id] = counts.get(entry.id, 0) + 1
    duplicates = sorted(i for i, n in counts.items() if n > 1)
    if duplicates:
        raise FocuslexError("FX-LEX-003", terms=", ".join(duplicates), source=source)

    holders: dict[tuple[str, str], list[Entry]] = {}
    shown: dict[tuple[str, str], str] = {}
    for entry in entries:
        for lang, text in entry.labels():
            key = (lang.lower(), label_key(text))
            holders.setdefault(key, []).append(entry)
            shown.setdefault(key, text)
    clashes: list[str] = []
    for key, owners in holders.items():
        if len(owners) < 2:
            continue
        declared = all(key[1] in {label_key(t) for t in e.shared_labels} for e in owners)
        if not declared:
            clashes.append(f"'{shown[key]}' ({', '.join(e.id for e in owners)})")
    if clashes:
        raise FocuslexError("FX-LEX-004", labels="; ".join(sorted(clashes)), source=source)

    by_id = {e.id: e for e in entries}
    broken: list[str] = []
    for entry in entries:
        if entry.replaced_by and entry.replaced_by not in by_id:
            broken.append(f"{entry.id} → vervangen door '{entry.replaced_by}'")
        elif entry.replaced_by and by_id[entry.replaced_by].deprecated:
            broken.append(f"{entry.id} → vervanger '{entry.replaced_by}' is zelf afgeraden")
        for other in entry.related:
            if other not in by_id:
                broken.append(f"{entry.id} → verwant met '{other}'")
    if broken:
        raise FocuslexError("FX-LEX-019", references="; ".join(broken), source=source)


def entries_by_id(entries: Iterable[Entry]) -> dict[str, Entry]:
    return {e.id: e for e in entries}


def sort_entries(entries: Iterable[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: e.id)


def empty_entry_dict(term_id: str = "", label: str = "") -> dict[str, Any]:
    """A plain form to start a new term from (status voorstel)."""
    return {"id": term_id, "pref_label": {DEFAULT_LANGUAGE: label}, "definition": "",
            "sensitivity": Sensitivity.NEUTRAAL.value, "status": Status.VOORSTEL.value}



# -- display --------------------------------------------------------------------------------
# `literal_markdown` lives in pipeline.core.text (the one escaping helper); imported above
# so `lexicon.model.literal_markdown` keeps working.
