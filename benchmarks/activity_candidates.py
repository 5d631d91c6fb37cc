"""Candidate scorings of the activity suggestions, on the dev part of the hand labels only.

    .venv/bin/python benchmarks/activity_candidates.py [--work DIR]

Reads only the `dev` sentences of `benchmarks/data/activity_labels.jsonl` (the test parts are
never read here) and prints the top-1 accuracy of variants of
`pipeline.activities.suggest.score_units` on the demo corpus with the `use` encoder:
how the similarities to an activity's description and prototypes are combined (best one,
mean of the best two or three, similarity to their mean vector), the lexicon weight,
centring the scores per activity, mixing in the turn's embedding, a TF-IDF keyword score
beside the embeddings, and the lexicon's definitions and sense examples as extra
prototypes. All figures are dev. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from spacy.lang.nl.stop_words import STOP_WORDS

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from topic_quality import labelled_units, prepare_demo  # noqa: E402
from lexicon.io import load_seed  # noqa: E402
from pipeline.activities.model import ACTIVITIES, ACTIVITY_IDS, BY_LEXICON_LABEL  # noqa: E402
from pipeline.activities.suggest import term_links  # noqa: E402
from pipeline.topics.embeddings import CachedEmbedder, load_encoder  # noqa: E402
from pipeline.topics.run import load_units  # noqa: E402


def _norm(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)


def similarities(units: np.ndarray, vectors: list[np.ndarray], best: int) -> np.ndarray:
    """units x activities: mean of the `best` highest similarities (0: to the mean vector)."""
    if best == 0:
        return np.stack([units @ _norm(v.mean(axis=0, keepdims=True))[0] for v in vectors], 1)
    return np.stack([np.sort(units @ v.T, axis=1)[:, -best:].mean(axis=1) for v in vectors], 1)


def _stems(text: str) -> list[str]:
    return [w[:6] for w in re.findall(r"[^\W\d_]+", text.lower())
            if w not in STOP_WORDS and len(w) > 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, help="scratch folder (default: a new temp folder)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="focuslex-activities-"))
    settings, store = prepare_demo(work)
    units = load_units(settings, store)
    embedder = CachedEmbedder(load_encoder("use"), work / "candidates-cache")
    unit_vectors = _norm(embedder.embed([u.text for u in units]))
    dev = labelled_units(units, store, ("dev",))
    links = term_links(units, store)
    lexicon = np.array([[len(link.get(a, ())) for a in ACTIVITY_IDS] for link in links], float)

    def accuracy(scores: np.ndarray) -> float:
        return float(np.mean([ACTIVITY_IDS[int(np.argmax(scores[i]))] == g for i, g, _ in dev]))

    def vectors(extra: Callable[[str], list[str]]) -> list[np.ndarray]:
        return [_norm(embedder.embed([a.description, *a.prototypes, *extra(a.id)]))
                for a in ACTIVITIES]

    plain = vectors(lambda _: [])
    print(f"Activity candidates, top-1 accuracy on the dev part only (n={len(dev)})")
    for best, name in ((1, "best one"), (2, "mean of best two (default)"),
                       (3, "mean of best three"), (0, "mean vector")):
        sims = similarities(unit_vectors, plain, best)
        cells = "  ".join(f"w={w}: {accuracy(sims + w * lexicon):.3f}"
                          for w in (0.0, 0.03, 0.05, 0.1))
        print(f"{name:<34}{cells}")
    sims = similarities(unit_vectors, plain, 2)
    print(f"{'centred per activity, w=0.05':<34}"
          f"{accuracy(sims - sims.mean(axis=0) + 0.05 * lexicon):.3f}")
    by_turn: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, u in enumerate(units):
        by_turn[(u.document_id, u.utterance_index)].append(i)
    turn = np.empty_like(unit_vectors)
    for members in by_turn.values():
        turn[members] = unit_vectors[members].mean(axis=0)
    for beta in (0.25, 0.5, 1.0):
        mixed = similarities(_norm(unit_vectors + beta * _norm(turn)), plain, 2)
        print(f"{f'turn embedding mixed in, {beta}':<34}{accuracy(mixed + 0.05 * lexicon):.3f}")
    tfidf = TfidfVectorizer(analyzer=_stems, sublinear_tf=True).fit([u.text for u in units])
    keywords = (tfidf.transform([u.text for u in units]) @ tfidf.transform(
        [" ".join([a.description, *a.prototypes]) for a in ACTIVITIES]).T).toarray()
    for gamma in (0.2, 0.5):
        print(f"{f'+ TF-IDF keywords x {gamma}':<34}"
              f"{accuracy(sims + 0.05 * lexicon + gamma * keywords):.3f}")
    print(f"{'TF-IDF keywords alone + lexicon':<34}{accuracy(keywords + 0.05 * lexicon):.3f}")
    extra: dict[str, list[str]] = defaultdict(list)
    for entry in load_seed():
        for label in entry.activities:
            extra[BY_LEXICON_LABEL[label]] += [entry.definition, *entry.sense_examples]
    print("lexicon definitions and sense examples per activity: "
          + ", ".join(f"{a} {len(extra[a])}" for a in ACTIVITY_IDS))
    richer = vectors(lambda a: extra[a])
    for best in (1, 2):
        print(f"{f'+ lexicon prototypes, best {best}':<34}"
              f"{accuracy(similarities(unit_vectors, richer, best) + 0.05 * lexicon):.3f}")


if __name__ == "__main__":
    main()
