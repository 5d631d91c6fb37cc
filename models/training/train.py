"""Retrain focuslex's bundled Dutch pipeline (nl_focuslex_sm) from the UD Dutch data.

Usage (from the repository root, with the project venv):

    .venv/bin/python models/training/train.py            # convert, train, package, evaluate
    .venv/bin/python models/training/train.py convert    # only one stage
    .venv/bin/python models/training/train.py package evaluate

Stages
  convert   conllu -> spaCy DocBin in models/training/corpus/ (train/dev grouped 10 sentences
            per doc so the parser learns sentence boundaries; test both as 10-sentence docs
            and as single sentences)
  train     `spacy train config.cfg` on CPU, niced, output in models/training/output/
  package   output/model-best + focuslex_lemma_fixes ->
            pipeline/nlp/models/nl_focuslex_sm-<version>/,
            with meta.json recording data, licence and scores on test_ls2017_heldout
  evaluate  prints UPOS, morph, lemma, UAS, LAS, sentence F and words/s on
            test_ls2017_heldout for the packaged pipeline (and writes them into its meta)

The data directory defaults to ../shared/data/ud-dutch (beside the repository); override with
--data DIR. Nothing is downloaded.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "ud-dutch"
CORPUS = HERE / "corpus"
OUTPUT = HERE / "output"
CONFIG = HERE / "config.cfg"

NAME = "focuslex_sm"  # meta name; with lang "nl" spaCy calls it nl_focuslex_sm
VERSION = "0.1.0"
# Package data of pipeline.nlp, so an installed focuslex finds it (pyproject.toml).
PACKAGE_DIR = REPO / "pipeline" / "nlp" / "models" / f"nl_{NAME}-{VERSION}"

SPLITS = {  # conllu file -> sentences per doc
    "train.conllu": 10,
    "dev_ls2017.conllu": 10,
    "test_ls2017_heldout.conllu": 10,
}
TEST = "test_ls2017_heldout"

SOURCES = [
    {
        "name": "UD_Dutch-LassySmall (UD 2017 release, train minus 30 held-out articles, dev)",
        "url": "https://github.com/UniversalDependencies/UD_Dutch-LassySmall",
        "license": "CC BY-SA 4.0",
        "author": "Gosse Bouma, Gertjan van Noord",
    },
    {
        "name": "UD_Dutch-Alpino (dev+test, mapped to the 2017 label/lemma conventions)",
        "url": "https://github.com/UniversalDependencies/UD_Dutch-Alpino",
        "license": "CC BY-SA 4.0",
        "author": "Gosse Bouma, Gertjan van Noord, Daniel Zeman, Zdeněk Žabokrtský",
    },
]


def _spacy(*args: str, nice: bool = False) -> None:
    cmd = [sys.executable, "-m", "spacy", *args]
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    print("$", " ".join(cmd), flush=True)
    preexec = (lambda: os.nice(10)) if nice else None
    subprocess.run(cmd, check=True, env=env, preexec_fn=preexec)


def convert(data: Path) -> None:
    if not data.is_dir():
        sys.exit(f"UD Dutch data not found in {data} (use --data DIR)")
    CORPUS.mkdir(parents=True, exist_ok=True)
    (CORPUS / "sentences").mkdir(exist_ok=True)
    for name, n_sents in SPLITS.items():
        _spacy("convert", str(data / name), str(CORPUS), "--converter", "conllu",
               "--n-sents", str(n_sents))
    # the test set again, one sentence per doc (gold sentence boundaries)
    _spacy("convert", str(data / f"{TEST}.conllu"), str(CORPUS / "sentences"),
           "--converter", "conllu", "--n-sents", "1")


def train() -> None:
    if not (CORPUS / "train.spacy").exists():
        sys.exit("run the convert stage first")
    _spacy("train", str(CONFIG), "--output", str(OUTPUT), "--gpu-id", "-1",
           "--paths.train", str(CORPUS / "train.spacy"),
           "--paths.dev", str(CORPUS / "dev_ls2017.spacy"), nice=True)


def _load_packaged():
    sys.path.insert(0, str(REPO))
    import spacy

    import pipeline.nlp.components  # noqa: F401  registers focuslex_lemma_fixes

    return spacy.load(PACKAGE_DIR)


def package() -> None:
    sys.path.insert(0, str(REPO))
    import spacy

    import pipeline.nlp.components  # noqa: F401  registers focuslex_lemma_fixes

    best = OUTPUT / "model-best"
    if not best.exists():
        sys.exit(f"no trained model in {best}: run the train stage first")
    nlp = spacy.load(best)
    nlp.add_pipe("focuslex_lemma_fixes", last=True)
    train_forms = _training_forms()
    nlp.get_pipe("focuslex_lemma_fixes").set_training_forms(train_forms)
    nlp.meta.update(
        {
            "name": NAME,
            "version": VERSION,
            "description": (
                "Dutch pipeline bundled with focuslex: tok2vec, morphologizer, "
                "trainable_lemmatizer, parser (sentences from the parser), plus "
                "focuslex_lemma_fixes (diaeresis, sentence-initial case, lookup fallback, "
                "domain vocabulary). No NER. Trained on UD Dutch LassySmall + Alpino."
            ),
            "author": "focuslex",
            "license": "CC BY-SA 4.0",
            "sources": SOURCES,
            "spacy_version": f">={spacy.__version__.rsplit('.', 1)[0]}.0,<3.9.0",
            "notes": (
                "Load with focuslex's pipeline.nlp.loader.load_pipeline, or import pipeline.nlp.components "
                "before spacy.load(path): it registers the focuslex_lemma_fixes factory."
            ),
        }
    )
    # write beside the old directory, then swap, so a running test suite never sees it half-written
    new, old = PACKAGE_DIR.with_name(PACKAGE_DIR.name + ".new"), PACKAGE_DIR.with_name(PACKAGE_DIR.name + ".old")
    for leftover in (new, old):
        if leftover.exists():
            shutil.rmtree(leftover)
    nlp.to_disk(new)
    for lic in ("LICENSE-Alpino.txt", "LICENSE-LassySmall.txt"):
        src = _data_dir() / lic
        if src.exists():
            shutil.copyfile(src, new / lic)
    if PACKAGE_DIR.exists():
        PACKAGE_DIR.rename(old)
    new.rename(PACKAGE_DIR)
    if old.exists():
        shutil.rmtree(old)
    print(f"packaged {PACKAGE_DIR} ({_du(PACKAGE_DIR) / 1e6:.1f} MB)")


def _training_forms() -> list[str]:
    """Word forms (original case) seen in the training data, for focuslex_lemma_fixes."""
    forms = set()
    for line in (_data_dir() / "train.conllu").read_text(encoding="utf8").splitlines():
        if line and not line.startswith("#"):
            cols = line.split("\t")
            if len(cols) > 2 and cols[0].isdigit():
                forms.add(cols[1])
    return sorted(forms)


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


_DATA: list[Path] = [DEFAULT_DATA]


def _data_dir() -> Path:
    return _DATA[0]


def score(nlp, path: Path) -> dict:
    """Scores of nlp on a DocBin of gold docs, as percentages, plus words/s."""
    from spacy.scorer import Scorer
    from spacy.tokens import DocBin
    from spacy.training import Example

    gold = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    texts = [d.text for d in gold]
    list(nlp.pipe(texts[:5]))  # warm up (lazy tables) before timing
    start = time.perf_counter()
    predicted = list(nlp.pipe(texts, batch_size=64))
    seconds = time.perf_counter() - start
    examples = [Example(p, g) for p, g in zip(predicted, gold)]
    s = Scorer(nlp).score(examples)
    words = sum(len(d) for d in gold)
    return {
        "upos": 100 * s["pos_acc"],
        "morph": 100 * s["morph_acc"],
        "lemma": 100 * s["lemma_acc"],
        "uas": 100 * s["dep_uas"],
        "las": 100 * s["dep_las"],
        "sents_f": 100 * s["sents_f"],
        "words_per_second": words / seconds,
        "words": words,
    }


def evaluate() -> dict:
    nlp = _load_packaged()
    results = {}
    for label, path in (
        ("docs_of_10_sentences", CORPUS / f"{TEST}.spacy"),
        ("single_sentences", CORPUS / "sentences" / f"{TEST}.spacy"),
    ):
        results[label] = score(nlp, path)
    without = [n for n in nlp.pipe_names if n == "focuslex_lemma_fixes"]
    with nlp.select_pipes(disable=without):
        results["docs_of_10_sentences_without_fixes"] = score(
            nlp, CORPUS / f"{TEST}.spacy"
        )
    _print_table(results)
    meta_path = PACKAGE_DIR / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf8"))
    main = results["docs_of_10_sentences"]
    meta["performance"] = {
        "evaluated_on": f"{TEST} (30 held-out LassySmall Wikipedia articles)",
        "pos_acc": round(main["upos"] / 100, 4),
        "morph_acc": round(main["morph"] / 100, 4),
        "lemma_acc": round(main["lemma"] / 100, 4),
        "dep_uas": round(main["uas"] / 100, 4),
        "dep_las": round(main["las"] / 100, 4),
        "sents_f": round(main["sents_f"] / 100, 4),
        "speed": round(main["words_per_second"]),
        "details": {k: {m: round(v, 2) for m, v in r.items()} for k, r in results.items()},
    }
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf8")
    return results


FIRST_RUN = {"upos": 95.2, "morph": 93.6, "lemma": 95.8, "uas": 75.7, "las": 70.3,
             "sents_f": None, "words_per_second": 9000}
NL_CORE_NEWS_SM = {"upos": 95.8, "morph": 95.1, "lemma": 95.0, "uas": 85.7, "las": 80.5,
                   "sents_f": None, "words_per_second": 9465}


def _print_table(results: dict) -> None:
    cols = ["upos", "morph", "lemma", "uas", "las", "sents_f", "words_per_second"]
    head = ["UPOS", "morph", "lemma", "UAS", "LAS", "sent F", "words/s"]
    rows = [(f"nl_focuslex_sm {VERSION}, {k}", r) for k, r in results.items()]
    rows += [("first run (efficiency defaults)", FIRST_RUN),
             ("nl_core_news_sm 3.8.0 (own dev set)", NL_CORE_NEWS_SM)]
    print(f"\nEvaluation on {TEST}")
    print("| pipeline | " + " | ".join(head) + " |")
    print("|---|" + "---|" * len(head))
    for label, r in rows:
        cells = []
        for c in cols:
            v = r.get(c)
            cells.append("–" if v is None else (f"{v:,.0f}" if c == "words_per_second" else f"{v:.1f}"))
        print(f"| {label} | " + " | ".join(cells) + " |")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("stages", nargs="*", default=["convert", "train", "package", "evaluate"],
                    choices=["convert", "train", "package", "evaluate"])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args(argv)
    _DATA[0] = args.data.resolve()
    for stage in args.stages:
        {"convert": lambda: convert(_DATA[0]), "train": train, "package": package,
         "evaluate": evaluate}[stage]()


if __name__ == "__main__":
    main()
