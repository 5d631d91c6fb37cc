"""The 293k-word parliamentary debates file (../shared/data/real/debates_nl.tsv) as
transcripts: one text file per debate (`doc_id`), one `Speaker: text` turn per utterance, so
`focuslex ingest` reads it as a facilitator's transcript would be read. Shared by the
benchmarks; nothing of it is written into the repository.
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def debates_file() -> Path:
    """Where the debates file is (beside the repository, or /work/shared for a worktree)."""
    near = REPO.parent / "shared" / "data" / "real" / "debates_nl.tsv"
    return near if near.is_file() else REPO.parents[1] / "shared" / "data" / "real" / "debates_nl.tsv"


def shared_present() -> bool:
    return debates_file().is_file()


def debate_rows(limit: int | None = None) -> list[dict[str, str]]:
    """The utterances with text, in file order (the first `limit` when given)."""
    csv.field_size_limit(sys.maxsize)
    with debates_file().open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
                if r.get("text", "").strip()]
    return rows[:limit] if limit else rows


def write_transcripts(folder: Path, limit: int | None = None) -> tuple[list[Path], int]:
    """One transcript file per debate in `folder`; returns the files and the word count
    (whitespace-separated words of the turns' text)."""
    folder.mkdir(parents=True, exist_ok=True)
    by_doc: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in debate_rows(limit):
        by_doc[row["doc_id"]].append(row)
    files, words = [], 0
    for number, (doc_id, rows) in enumerate(sorted(by_doc.items()), start=1):
        path = folder / f"debat_{number:02d}.txt"
        path.write_text("\n\n".join(f"{r['speaker']}: {' '.join(r['text'].split())}"
                                    for r in rows) + "\n", encoding="utf-8")
        words += sum(len(r["text"].split()) for r in rows)
        files.append(path)
    return files, words
