"""Lexicon edits shared by the command line and the app (`lexicon edit`, *Lexicon beheer*).

- The edit form: `form_values` (entry -> widget values), `plain_from_form` (widget values ->
  plain YAML-form fields), `changed_fields` (only what the user changed relative to the
  version the form was loaded from), `rebase_form` (the three-way merge after a conflict:
  keep what the user changed, take the rest from the stored version) and `conflict_rows`
  (the fields in which two versions differ, for the conflict table).
- Other tables and forms of the app: `parse_dissent` (decision dissent lines), `diff_rows`
  (a release diff as rows), `history_rows` (a term's revisions).
- The command line: `parse_set` (`--set VELD=WAARDE`), `read_entry_file` (`--file`),
  `content_changes` and `apply_edit` (create, or update and/or change status).

Form values are keyed by the widget keys of the admin page (`FORM_FIELDS`), so the page only
draws widgets. Pure functions of entries and values, except `apply_edit` (a `LexiconStore`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from lexicon.io import parse_yaml
from lexicon.model import (CONTENT_FIELDS, DEFAULT_LANGUAGE, FIELD_LABELS, Entry, content_of,
                           entry_from_dict, entry_to_dict)
from lexicon.store import ACTION_LABELS, EDITABLE_FIELDS, LexiconDiff, LexiconStore, Revision
from pipeline.core.errors import FocuslexError

# form widget key -> entry field
FORM_FIELDS: dict[str, str] = {
    "adm_edit_pref": "pref_label", "adm_edit_pref_other": "pref_label",
    "adm_edit_alt": "alt_labels", "adm_edit_hidden": "hidden_labels",
    "adm_edit_excl": "exclusions", "adm_edit_shared": "shared_labels",
    "adm_edit_definition": "definition", "adm_edit_scope": "scope_note",
    "adm_edit_examples": "examples", "adm_edit_alternatives": "alternatives",
    "adm_edit_sense": "sense_examples", "adm_edit_other_sense": "other_sense_examples",
    "adm_edit_sensitivity": "sensitivity", "adm_edit_sens_note": "sensitivity_note",
    "adm_edit_contexts": "acceptable_contexts", "adm_edit_sources": "source_guide",
    "adm_edit_related": "related", "adm_edit_activities": "activities",
}
# widgets holding one item per line -> entry field
LINE_FIELDS: dict[str, str] = {
    "adm_edit_alt": "alt_labels", "adm_edit_hidden": "hidden_labels",
    "adm_edit_excl": "exclusions", "adm_edit_shared": "shared_labels",
    "adm_edit_examples": "examples", "adm_edit_contexts": "acceptable_contexts",
    "adm_edit_sense": "sense_examples", "adm_edit_other_sense": "other_sense_examples",
    "adm_edit_sources": "source_guide"}
# Fields whose --set value is parsed as YAML (lists and structures); others are plain text.
STRUCTURED_FIELDS = frozenset({
    "pref_label", "alt_labels", "hidden_labels", "exclusions", "shared_labels", "examples",
    "alternatives", "acceptable_contexts", "source_guide", "related", "activities",
    "decision"})
# Fields the conflict table leaves out: bookkeeping, not content.
_BOOKKEEPING = frozenset({"id", "created", "created_by", "modified", "modified_by", "version"})


# -- the edit form ----------------------------------------------------------------------------

def lines(text: str | None) -> list[str]:
    """The non-empty lines of a text area, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def form_values(entry: Entry) -> dict[str, Any]:
    """Widget values (by `FORM_FIELDS` key) for an entry."""
    values: dict[str, Any] = {
        "adm_edit_pref": entry.label,
        "adm_edit_pref_other": "\n".join(f"{lang}: {text}" for lang, text in
                                         entry.pref_label.items() if lang != DEFAULT_LANGUAGE),
        "adm_edit_definition": entry.definition, "adm_edit_scope": entry.scope_note,
        "adm_edit_alternatives": "\n".join(
            " | ".join(p for p in (a.label, a.audience, a.note)) for a in entry.alternatives),
        "adm_edit_sensitivity": entry.sensitivity.value,
        "adm_edit_sens_note": entry.sensitivity_note,
        "adm_edit_related": list(entry.related), "adm_edit_activities": list(entry.activities),
    }
    for key, name in LINE_FIELDS.items():
        values[key] = "\n".join(getattr(entry, name))
    return values


def _pref_label(values: Mapping[str, Any]) -> dict[str, str]:
    pref = {DEFAULT_LANGUAGE: (values["adm_edit_pref"] or "").strip()}
    for line in lines(values["adm_edit_pref_other"]):
        lang, _, text = line.partition(":")
        pref[lang.strip()] = text.strip()
    return pref


def _alternatives(text: str | None) -> list[dict[str, str]]:
    """'label | voor wie | toelichting' lines as alternatives (empty parts left out)."""
    out = []
    for line in lines(text):
        parts = [p.strip() for p in line.split("|", 2)]
        out.append({k: v for k, v in zip(("label", "audience", "note"), parts) if v})
    return out


def plain_from_form(values: Mapping[str, Any]) -> dict[str, Any]:
    """The plain (YAML-form) field values the widgets describe."""
    plain: dict[str, Any] = {
        "pref_label": _pref_label(values),
        "alternatives": _alternatives(values["adm_edit_alternatives"]),
        "definition": (values["adm_edit_definition"] or "").strip(),
        "scope_note": (values["adm_edit_scope"] or "").strip(),
        "sensitivity": values["adm_edit_sensitivity"],
        "sensitivity_note": (values["adm_edit_sens_note"] or "").strip(),
        "related": list(values["adm_edit_related"] or []),
        "activities": list(values["adm_edit_activities"] or []),
    }
    for key, name in LINE_FIELDS.items():
        plain[name] = lines(values[key])
    return plain


def changed_fields(values: Mapping[str, Any], base: Entry) -> dict[str, Any]:
    """Only the fields the user changed relative to the version the form was loaded from
    (plain values, ready for `LexiconStore.update`); empty when nothing changed."""
    mine = plain_from_form(values)
    theirs = plain_from_form(form_values(base))
    return {name: value for name, value in mine.items() if value != theirs[name]}


def rebase_form(values: Mapping[str, Any], base: Entry, stored: Entry) -> dict[str, Any]:
    """Three-way merge after a conflict: every widget the user left as it was in `base`
    takes its value from `stored`; every widget the user changed keeps the user's value."""
    old = form_values(base)
    new = form_values(stored)
    return {key: new[key] if values.get(key) == old[key] else values.get(key)
            for key in FORM_FIELDS}


def conflict_rows(yours: Entry, stored: Entry) -> list[dict[str, str]]:
    """The content fields in which two versions differ: Dutch field name, your value, the
    stored value ('(leeg)' for an empty one)."""
    plain_yours, plain_stored = entry_to_dict(yours), entry_to_dict(stored)
    rows = []
    for name in FIELD_LABELS:
        if name in _BOOKKEEPING or plain_yours.get(name) == plain_stored.get(name):
            continue
        rows.append({"veld": FIELD_LABELS[name],
                     "jouw versie": str(plain_yours.get(name) or "(leeg)"),
                     f"opgeslagen versie {stored.version}":
                         str(plain_stored.get(name) or "(leeg)")})
    return rows


# -- other forms of the admin page ------------------------------------------------------------

def parse_dissent(text: str | None) -> list[dict[str, str]]:
    """'wie | standpunt' lines as dissent items."""
    items = []
    for line in lines(text):
        who, _, note = line.partition("|")
        items.append({"by": who.strip(), "note": note.strip()})
    return items


def diff_rows(result: LexiconDiff) -> list[dict[str, str]]:
    """A release diff as rows: term, what (toegevoegd/verwijderd/gewijzigd), field, before,
    after."""
    rows = [{"term": e.id, "wat": "toegevoegd", "veld": "", "voor": "", "na": e.label}
            for e in result.added]
    rows += [{"term": e.id, "wat": "verwijderd", "veld": "", "voor": e.label, "na": ""}
             for e in result.removed]
    for term_id, changes in result.changed.items():
        for name, (before, after) in changes.items():
            rows.append({"term": term_id, "wat": "gewijzigd",
                         "veld": FIELD_LABELS.get(name, name),
                         "voor": str(before if before is not None else ""),
                         "na": str(after if after is not None else "")})
    return rows


def history_rows(history: Sequence[Revision]) -> list[dict[str, Any]]:
    """A term's revisions, newest first, as rows: version, when, by, what, which fields,
    why."""
    return [{"versie": r.version, "wanneer": r.at, "door": r.by,
             "wat": ACTION_LABELS.get(r.action, r.action),
             "velden": "nieuwe term" if "id" in r.changes else
             ", ".join(FIELD_LABELS.get(f, f) for f in r.changes),
             "waarom": r.why} for r in reversed(history)]


# -- the command line ---------------------------------------------------------------------------

def parse_set(items: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """`--set` pairs (field, value) as changes: lists and structures parsed as YAML.
    FX-LEX-015 for a field that cannot be edited."""
    changes: dict[str, Any] = {}
    for name, value in items:
        name = name.strip()
        if name not in EDITABLE_FIELDS:
            raise FocuslexError("FX-LEX-015", field=name, fields=", ".join(EDITABLE_FIELDS))
        changes[name] = parse_yaml(value, f"--set {name}") if name in STRUCTURED_FIELDS else value
    return changes


def read_entry_file(path: Path) -> Entry:
    """One entry from a YAML file (`lexicon show ID --yaml`, or an export holding one term)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FocuslexError("FX-LEX-020", file=str(path), detail=str(exc)) from exc
    data = parse_yaml(text, path.name)
    if isinstance(data, dict) and "terms" in data and isinstance(data["terms"], list) \
            and len(data["terms"]) == 1:
        data = data["terms"][0]
    return entry_from_dict(data, path.name)


def content_changes(entry: Entry) -> dict[str, Any]:
    """Every content field of an entry, as changes for `LexiconStore.update`."""
    content = content_of(entry)
    return {k: content.get(k) for k in CONTENT_FIELDS}


def apply_edit(store: LexiconStore, term_id: str, changes: Mapping[str, Any], *,
               by: str, why: str, version: int | None = None, status: str | None = None,
               replaced_by: str | None = None) -> Entry:
    """Update the content fields in `changes` and/or change the status, on `version` (the
    current one when None); a stale version is refused (FX-LEX-008). Returns the entry as
    stored afterwards."""
    current = store.get(term_id)
    base = current.version if version is None else version
    if changes:
        current = store.update(term_id, changes, base, by, why)
        base = current.version
    if status is not None:
        current = store.set_status(term_id, status, base, by, why, replaced_by)
    return current
