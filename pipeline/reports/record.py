"""The run record of a report: where every figure comes from.

Input documents with their SHA-256 content hashes (as stored at ingest) and the ingest runs,
the lexicon release (number, date, who made it, a fingerprint of its entries), the analysis
run (pipeline name and version, the lexicon it matched, its settings), the report's selection
and settings, the focuslex version, when and by whom. Only `created` changes when the same
data, release and settings are reported again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict
from typing import Any

import pipeline
from lexicon.model import entry_to_dict
from pipeline.core.formats import count_noun
from pipeline.reports.context import LexiconSource, ReportContext
from pipeline.reports.overview import dutch_date
from pipeline.reports.model import Facts, Paragraph, RunRecord, Section, Table
from pipeline.store.database import RunRow


def _time(value: Any) -> str:
    return value.isoformat(timespec="seconds") if value is not None else ""


def lexicon_fingerprint(lexicon: LexiconSource) -> str:
    """SHA-256 of the canonical form of the entries (sorted by id)."""
    payload = json.dumps([entry_to_dict(lexicon.entries[i]) for i in sorted(lexicon.entries)],
                         ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _run(row: RunRow | None) -> dict[str, Any]:
    if row is None:
        return {}
    details = dict(row.details or {})
    return {"run_id": row.id, "started": _time(row.started_at),
            "finished": _time(row.finished_at), "status": row.status, **details}


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def run_record(ctx: ReportContext) -> RunRecord:
    """The record of the report built from `ctx`."""
    lexicon = ctx.lexicon
    docs = sorted(ctx.documents, key=lambda d: (d.round is None, d.round or 0, d.file_name))
    inputs = tuple({"file": d.file_name, "sha256": d.content_hash, "kind": d.kind,
                    "format": d.format, "round": d.round, "words": d.word_count}
                   for d in docs)
    ingest = tuple({"run_id": r.id, "started": _time(r.started_at),
                    "finished": _time(r.finished_at), "status": r.status,
                    "files": len((r.details or {}).get("files", [])),
                    "stored": (r.details or {}).get("stored")}
                   for r in ctx.ingest_runs)
    return RunRecord(
        created=ctx.created.isoformat(timespec="seconds"),
        created_by=ctx.options.author or "onbekend",
        focuslex_version=pipeline.__version__,
        lexicon={"source": lexicon.name, "release": lexicon.release,
                 "released_at": lexicon.released_at, "released_by": lexicon.released_by,
                 "note": lexicon.note, "terms": len(lexicon.entries),
                 "fingerprint": lexicon_fingerprint(lexicon)},
        analysis=_plain(_run(ctx.analysis_run)),
        selection=ctx.options.selection(),
        settings={"reports": asdict(ctx.settings.reports)},
        inputs=inputs, ingest_runs=ingest,
        topics=_plain(_run(ctx.store.last_run("topics"))) if ctx.has_section("topics") else {},
        activities=(_plain(_run(ctx.store.last_run("activities")))
                    if ctx.has_section("activities") else {}))


def _area_facts(record: RunRecord) -> tuple[tuple[str, str], ...]:
    """The topic fit (embedder, settings, seed) and the activity run, when shown."""
    out: list[tuple[str, str]] = []
    if record.topics:
        s = record.topics.get("settings") or {}
        out.append(("Onderwerpen", f"run {record.topics.get('run_id', '-')} van "
                    f"{record.topics.get('started', '-')}, embedder "
                    f"{record.topics.get('embedder', '-')}, seed {s.get('seed', '-')}"))
        out.append(("Instellingen onderwerpen", ", ".join(
            f"{k} = {v}" for k, v in sorted(s.items()) if k != "fillers")))
    if record.activities:
        a = record.activities
        out.append(("Activiteiten", f"run {a.get('run_id', '-')} van {a.get('started', '-')}, "
                    f"embedder {a.get('embedder', '-')}, per_unit = {a.get('per_unit', '-')}, "
                    f"lexicon_weight = {a.get('lexicon_weight', '-')}"))
    return tuple(out)


def record_section(record: RunRecord) -> Section:
    """The run record as the last section of the report."""
    analysis = record.analysis
    model = analysis.get("model") or {}
    used = analysis.get("lexicon") or {}
    selection = record.selection
    facts = (
        ("Gemaakt op", dutch_date(dt.datetime.fromisoformat(record.created), True)),
        ("Gemaakt door", record.created_by),
        ("focuslex-versie", record.focuslex_version),
        ("Lexicon", f"{record.lexicon['source']}, "
                    f"{count_noun(record.lexicon['terms'], 'term', 'termen')}"
                    + (f", vastgelegd op {record.lexicon['released_at']} door "
                       f"{record.lexicon['released_by']}" if record.lexicon["released_at"]
                       else "")),
        ("Vingerafdruk lexicon (SHA-256)", record.lexicon["fingerprint"]),
        ("Analyse", f"run {analysis.get('run_id', '-')} van {analysis.get('started', '-')}"),
        ("Taalpijplijn", f"{model.get('id', '-')} (naam {model.get('name', '-')}, versie "
                         f"{model.get('version', '-')})"),
        ("Lexicon van de analyse", f"{used.get('source', '-')}"
                                   + (f", release {used['release']}" if used.get("release")
                                      else "")
                                   + f", {count_noun(used.get('terms'), 'term', 'termen')}"),
        ("Selectie", "groepen: " + (", ".join(selection["groups"]) or "alle")
                     + "; rondes: " + (", ".join(map(str, selection["rounds"])) or "alle")
                     + "; termen: " + (", ".join(selection["terms"]) or "alle gebruikte")
                     + "; onbevestigde suggesties: "
                     + ("getoond" if selection["unconfirmed"] else "niet getoond")),
        ("Instellingen", ", ".join(f"{k} = {v}" for k, v in
                                   sorted(record.settings["reports"].items()))),
    )
    inputs = Table("invoer", "Invoerbestanden", ("bestand", "sha256", "soort", "ronde",
                                                 "woorden (heel bestand)"),
                   tuple((i["file"], i["sha256"], i["kind"],
                          "" if i["round"] is None else str(i["round"]), i["words"])
                         for i in record.inputs),
                   numeric=(False, False, False, False, True))
    runs = Table("opladen", "Oplaadrondes (ingest)", ("run", "begonnen", "status", "bestanden",
                                                      "opgeslagen"),
                 tuple((r["run_id"], r["started"], r["status"], r["files"], r["stored"])
                       for r in record.ingest_runs),
                 numeric=(True, False, False, True, True))
    facts += _area_facts(record)
    note = Paragraph("Hetzelfde record staat als JSON naast het rapport "
                     "(bestandsnaam eindigt op .runrecord.json). Met dezelfde gegevens, "
                     "lexiconrelease en instellingen geeft focuslex hetzelfde rapport; alleen "
                     "de datum van aanmaak verschilt.", "note")
    return Section("record", "Verantwoording (run record)",
                   blocks=(Facts(facts), note, inputs, runs))
