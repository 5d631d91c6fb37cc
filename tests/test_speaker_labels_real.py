"""Speaker labels on real parliamentary transcripts from ../shared/data/real (skipped when
absent). The transcripts are built in the test from the real utterances, with the speaker
lines that minutes use ('Ponthier, Annick:', 'De heer Nijboer (PvdA):', 'Minister De
Jonge:', 'De voorzitter:'); nothing is copied into the repository."""

from __future__ import annotations

import csv
import re
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict

import pytest

from pipeline.core.records import DocumentMeta, Kind
from pipeline.core.settings import IngestSettings, Settings
from pipeline.core.text import normalise_label
from pipeline.ingest.labels import canonical_label
from pipeline.ingest.readers import SourceFile, read_source
from pipeline.ingest.service import IngestRequest, Ingestor
from pipeline.privacy.pseudonymise import PseudonymKey
from pipeline.store.database import Store
from tests.conftest import SHARED

REAL = SHARED / "real"
PARLAMINT = REAL / "parlamint_nl" / "ParlaMint-NL_2017-01-31-tweedekamer-23.xml"
pytestmark = [pytest.mark.shared,
              pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is absent")]
TEI = "{http://www.tei-c.org/ns/1.0}"


def debates() -> dict[str, list[dict[str, str]]]:
    csv.field_size_limit(sys.maxsize)
    with (REAL / "debates_nl.tsv").open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)]
    by_doc: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        if row["lang"].startswith("nl") and row["text"].strip():
            by_doc[row["doc_id"]].append(row)
    return by_doc


def minutes_label(row: dict[str, str]) -> str:
    """The speaker line as minutes write it, from the row's speaker, party, role, gender."""
    speaker, party, role = row["speaker"], row["party"].strip(" -"), row["role"]
    if "," in speaker or speaker == "De voorzitter":
        return speaker  # Belgian committee reports: 'Ponthier, Annick'
    if role in ("Minister", "Staatssecretaris"):
        return f"{role} {speaker}"
    title = {"M": "De heer ", "F": "Mevrouw "}.get(row["gender"], "")
    return f"{title}{speaker} ({party})" if party else f"{title}{speaker}"


@pytest.mark.parametrize("corpus", ["tk_handelingen", "tk_2024_sjiub", "tk_vlos",
                                    "parlamint_be_sample", "europarl_nl"])
def test_debates_with_minutes_labels_give_one_turn_per_utterance(corpus: str) -> None:
    documents = [rows for rows in debates().values() if rows[0]["corpus"] == corpus]
    assert documents
    for rows in documents:
        text = "\n\n".join(f"{minutes_label(r)}: {r['text']}" for r in rows)
        parsed = read_source(SourceFile("debat.txt", text.encode()), Kind.TRANSCRIPT,
                             IngestSettings())
        expected = [normalise_label(canonical_label(minutes_label(r)).name) for r in rows]
        assert [normalise_label(t.speaker or "") for t in parsed.turns] == expected


def parlamint_minutes() -> tuple[str, list[str]]:
    """The ParlaMint-NL session as minutes: 'Arib, Khadija:' per utterance ('De voorzitter:'
    for the chair), each segment a paragraph; and the expected canonical speakers."""
    root = ET.parse(PARLAMINT).getroot()
    blocks, expected = [], []
    for u in root.iter(f"{TEI}u"):
        first, last = re.findall(r"[A-Z][a-z]+", u.get("who", "").lstrip("#"))[:1] + \
            [" ".join(re.findall(r"[A-Z][a-z]+", u.get("who", ""))[1:])]
        label = "De voorzitter" if u.get("ana") == "#chair" else f"{last}, {first}"
        segments = ["".join(seg.itertext()).strip() for seg in u.iter(f"{TEI}seg")]
        blocks.append(f"{label}: " + "\n\n".join(s for s in segments if s))
        expected.append(canonical_label(label).name)
    return "\n\n".join(blocks), expected


@pytest.mark.skipif(not PARLAMINT.is_file(), reason="ParlaMint-NL file is absent")
def test_parlamint_session_as_minutes(settings: Settings, store: Store) -> None:
    text, expected = parlamint_minutes()
    parsed = read_source(SourceFile("parlamint.txt", text.encode()), Kind.TRANSCRIPT,
                         IngestSettings())
    assert [t.speaker for t in parsed.turns] == expected
    assert len(expected) == 98
    # Pseudonymised: one code per inverted label, and no surname in the stored text.
    report = Ingestor(settings, store).ingest(
        [IngestRequest(SourceFile("parlamint.txt", text.encode()), DocumentMeta())])
    assert report.ok, [o.error.message for o in report.outcomes if o.error]
    key = PseudonymKey.load(settings.paths.key_file)
    assert len(key.entries) == len(set(expected))
    stored = "\n".join(u.text for u, _ in store.utterances(report.outcomes[0].document_id))
    for name in set(expected) - {"De voorzitter"}:
        for part in [name, *name.split()]:  # full name, first name, surname
            assert not re.search(rf"\b{re.escape(part)}\b", stored), part
