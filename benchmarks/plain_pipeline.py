"""The floor a hand-rolled script would reach: transcripts (`Speaker: text` turns) read with
plain Python, parsed by spaCy's own pipeline through `nlp.pipe` (the bundled
`nl_focuslex_sm`, trained with spaCy's generated efficiency config on UD Dutch, see
models/README.md; loaded with plain `spacy.load`, focuslex's lemma-fix component excluded),
and the lexicon's term patterns in a plain spaCy `Matcher`: every word form focuslex generates
for a term (labels and inflections, `PatternSet.forms`) and every multiword label
(`PatternSet.phrases`) as LOWER token patterns. No compounds, exclusions, senses, store or
pseudonymisation: the baseline of `benchmarks/end_to_end.py`.

    .venv/bin/python benchmarks/plain_pipeline.py FOLDER [--n-process N] [--batch-size B]

Prints one line: `texts words hits seconds` (seconds: reading, parsing and matching, model
load included).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import spacy
from spacy.matcher import Matcher

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from lexicon.io import load_seed  # noqa: E402
from pipeline.terms.patterns import build_patterns  # noqa: E402

MODEL = REPO / "pipeline" / "nlp" / "models" / "nl_focuslex_sm-0.1.0"


def read_turns(folder: Path) -> list[str]:
    """Every turn's text of the `.txt`/`.md` transcripts under folder (`Speaker: text`
    paragraphs; other formats are not read)."""
    texts = []
    for path in sorted([*folder.rglob("*.txt"), *folder.rglob("*.md")]):
        if path.name == "README.md":
            continue
        for block in path.read_text(encoding="utf-8").split("\n\n"):
            _, _, text = block.partition(": ")
            if text.strip():
                texts.append(text.strip())
    return texts


def term_matcher(nlp: spacy.language.Language) -> Matcher:
    patterns = build_patterns(load_seed())
    matcher = Matcher(nlp.vocab)
    for form, (term, _, _) in patterns.forms.items():
        matcher.add(term, [[{"LOWER": form}]])
    for phrases in patterns.phrases.values():
        for phrase in phrases:
            matcher.add(phrase.term_id, [[{"LOWER": {"IN": sorted(slot)}}
                                          for slot in phrase.slots]])
    return matcher


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--n-process", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args()
    start = time.perf_counter()
    nlp = spacy.load(MODEL, exclude=["focuslex_lemma_fixes"])
    matcher = term_matcher(nlp)
    texts = read_turns(args.folder)
    hits = 0
    for doc in nlp.pipe(texts, batch_size=args.batch_size, n_process=args.n_process):
        hits += len(matcher(doc))
    words = sum(len(t.split()) for t in texts)
    print(len(texts), words, hits, f"{time.perf_counter() - start:.2f}")


if __name__ == "__main__":
    main()
