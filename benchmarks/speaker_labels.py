"""Speaker labels of minutes on real parliamentary records: how many documents and utterances
the readers split right, beside a baseline measured in the same run.

The transcripts are rebuilt from ../shared/data/real (never copied into the repository):
every utterance of debates_nl.tsv (Tweede Kamer, ParlaMint-BE, Europarl) and of the
ParlaMint-NL session becomes one paragraph that starts with the speaker line minutes use
('Ponthier, Annick:', 'De heer Nijboer (PvdA):', 'Mevrouw Thieme (PvdD):', 'Minister De
Jonge:', 'De voorzitter:', 'Arib, Khadija:'). A document is right when the reader gives one
turn per utterance with the right speaker.

Baseline: every line that starts with up to 60 characters and a colon starts a turn,
labelled by what precedes the colon ('Ctrl+F' for speaker lines).

The label forms were tuned on these debates (dev); there is no held-out set of real minutes
yet. Run: .venv/bin/python benchmarks/speaker_labels.py
"""

from __future__ import annotations

import csv
import re
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.core.records import Kind  # noqa: E402
from pipeline.core.settings import IngestSettings  # noqa: E402
from pipeline.core.text import normalise_label  # noqa: E402
from pipeline.ingest.labels import canonical_label  # noqa: E402
from pipeline.ingest.readers import SourceFile, read_source  # noqa: E402

TEI = "{http://www.tei-c.org/ns/1.0}"
PARLAMINT_FILE = "parlamint_nl/ParlaMint-NL_2017-01-31-tweedekamer-23.xml"
_BASELINE = re.compile(r"^([^:\n]{1,60}):\s*(.*)$")


def real_folder() -> Path | None:
    """../shared/data/real beside the repository (or one level higher for a worktree)."""
    for base in (REPO.parent, REPO.parent.parent):
        folder = base / "shared" / "data" / "real"
        if folder.is_dir():
            return folder
    return None


def debates(real: Path) -> dict[str, list[dict[str, str]]]:
    """Dutch utterances of debates_nl.tsv per document."""
    csv.field_size_limit(sys.maxsize)
    with (real / "debates_nl.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
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


def debate_minutes(rows: list[dict[str, str]]) -> tuple[str, list[str]]:
    """One debate as minutes, and the labels it should give (canonical form)."""
    text = "\n\n".join(f"{minutes_label(r)}: {r['text']}" for r in rows)
    return text, [canonical_label(minutes_label(r)).name for r in rows]


def parlamint_minutes(path: Path) -> tuple[str, list[str]]:
    """The ParlaMint-NL session as minutes: 'Arib, Khadija:' per utterance ('De voorzitter:'
    for the chair), each segment a paragraph; and the expected canonical speakers."""
    root = ET.parse(path).getroot()
    blocks, expected = [], []
    for u in root.iter(f"{TEI}u"):
        words = re.findall(r"[A-Z][a-z]+", u.get("who", "").lstrip("#"))
        label = ("De voorzitter" if u.get("ana") == "#chair"
                 else f"{' '.join(words[1:])}, {words[0]}")
        segments = ["".join(seg.itertext()).strip() for seg in u.iter(f"{TEI}seg")]
        blocks.append(f"{label}: " + "\n\n".join(s for s in segments if s))
        expected.append(canonical_label(label).name)
    return "\n\n".join(blocks), expected


def documents(real: Path) -> list[tuple[str, str, list[str]]]:
    """(corpus, minutes text, expected speakers) for every real record."""
    out = [(rows[0]["corpus"], *debate_minutes(rows)) for rows in debates(real).values()
           if rows[0]["corpus"] != "parlamint_nl"]  # the session itself comes from the TEI
    if (real / PARLAMINT_FILE).is_file():
        out.append(("parlamint_nl (TEI)", *parlamint_minutes(real / PARLAMINT_FILE)))
    return out


def read_focuslex(text: str) -> list[str]:
    turns = read_source(SourceFile("d.txt", text.encode()), Kind.TRANSCRIPT,
                        IngestSettings()).turns
    return [t.speaker or "" for t in turns]


def read_baseline(text: str) -> list[str]:
    return [m.group(1) for line in text.split("\n") if (m := _BASELINE.match(line.strip()))]


def score(speakers: list[str], expected: list[str]) -> tuple[bool, int]:
    """(document right, utterances with the right speaker when the turn count is right)."""
    got = [normalise_label(s) for s in speakers]
    want = [normalise_label(s) for s in expected]
    if len(got) != len(want):
        return False, 0
    return got == want, sum(a == b for a, b in zip(got, want))


def main() -> None:
    real = real_folder()
    if real is None:
        print("../shared/data/real is absent: nothing to measure.")
        return
    docs = documents(real)
    utterances = sum(len(e) for _, _, e in docs)
    print(f"{len(docs)} real records rebuilt as minutes, {utterances} utterances (dev: the "
          "label forms were tuned on them)")
    for name, reader in (("baseline (line prefix + colon)", read_baseline),
                         ("focuslex readers", read_focuslex)):
        results = [score(reader(text), expected) for _, text, expected in docs]
        print(f"  {name:<32} documents right {sum(ok for ok, _ in results)}/{len(docs)}, "
              f"utterances right {sum(n for _, n in results)}/{utterances}")


if __name__ == "__main__":
    main()
