"""Recall and precision of person-name detection (issues #5, #11). Prints figures; asserts
nothing.

    .venv/bin/python benchmarks/name_detection.py [--no-pipeline] [--show-errors] [--gold-only]

First the table of issue #11 on the gold set of `benchmarks/data/names_gold/` (see its README):
person recall and kept precision on the dev part (tuned on), the test part (held out) and the
demo corpus, each measured with the detector as ingest uses it (no participants sheet).
- person recall: share of PER mentions whose letters are all replaced;
- kept precision: share of ORG/LOC/EVT/WORD mentions that no replacement touches. On the demo
  corpus (persons annotated only) the kept items are the capitalised words inside a sentence
  that belong to no annotated name.

Then the older figures:
1. ParlaMint-NL 2017-01-31 (`../shared/data/real/parlamint_nl/*.ana.xml`, CC BY 4.0): the
   person entities (`<name type="PER">`) of its annotated sentences. Skipped when ../shared is
   absent. The detector reads each sentence's text rebuilt from the `<w>`/`<pc>` tokens.
2. The demo corpus: every `<<name>>` the authors marked in `corpora/demo_source/` (written for
   the project). Read from `corpora/demo/annotations/{sentences,names}.jsonl` when the build
   has been run, else parsed in memory from the sources with `corpora/demo_source/build.py`.
   Measured twice: the detector alone (no participants list), and as at ingest (speakers of
   `corpora/demo/participants.csv` in the key, then detection).

3. A silver standard on real debates (`../shared/data/real/debates_nl.tsv`): every mention
   of a debate speaker's surname after a title or role ("mevrouw Adema", "minister De Jonge",
   "de heer Ceder"), found with a regex from the speaker column. Other names in those
   sentences are not annotated, so only recall is meaningful there; it mostly exercises the
   title cue on real parliamentary text.

4. Reviewer load on real text: the whole ParlaMint session (plain `.xml`, 19,000 words, no
   gold standard): how many distinct names the review page would list (`--show-errors`
   prints them, to judge by eye).

Scores are at the level of name mentions (spans):
- recall: share of gold mentions whose letters are all covered by replaced spans (a partly
  hidden name counts as missed, because the rest leaks);
- precision: share of predicted person spans that overlap a gold mention.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.names_gold import (PARTS, SHARED_REAL, Tally, Unit, real_units,  # noqa: E402
                                   written_units)
from pipeline.privacy.detect import PERSON, NameDetector, shared_pipeline  # noqa: E402
from pipeline.privacy.pseudonymise import DocumentPseudonymiser, PseudonymKey  # noqa: E402
from pipeline.core.settings import Settings  # noqa: E402
from pipeline.core.records import Role  # noqa: E402
from benchmarks.names_gold import Mention  # noqa: E402

PARLAMINT = SHARED_REAL / "parlamint_nl"
DEBATES = SHARED_REAL / "debates_nl.tsv"
DEMO_ANNOTATIONS = REPO / "corpora" / "demo" / "annotations"
DEMO_SOURCE = REPO / "corpora" / "demo_source"
ROSTER = REPO / "corpora" / "demo" / "participants.csv"
TEI = "{http://www.tei-c.org/ns/1.0}"


@dataclass
class Sentence:
    ident: str
    text: str
    gold: list[tuple[int, int]]


@dataclass
class Score:
    gold: int = 0
    found: int = 0
    predicted: int = 0
    correct: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else float("nan")

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else float("nan")

    def line(self, label: str) -> str:
        return (f"{label:<44} recall {self.recall:6.3f} ({self.found}/{self.gold})   "
                f"precision {self.precision:6.3f} ({self.correct}/{self.predicted})")


# -- gold standards --------------------------------------------------------------------------

def parlamint_sentences() -> list[Sentence] | None:
    files = sorted(PARLAMINT.glob("*.ana.xml")) if PARLAMINT.is_dir() else []
    if not files:
        return None
    sentences = []
    for path in files:
        root = ET.parse(path).getroot()
        for s in root.iter(f"{TEI}s"):
            text, gold = "", []
            pending_space = False

            def add(token: ET.Element) -> tuple[int, int]:
                nonlocal text, pending_space
                if pending_space:
                    text += " "
                start = len(text)
                text += token.text or ""
                pending_space = token.get("join") != "right"
                return start, len(text)

            for child in s:
                if child.tag in (f"{TEI}w", f"{TEI}pc"):
                    add(child)
                elif child.tag == f"{TEI}name":
                    spans = [add(t) for t in child if t.tag in (f"{TEI}w", f"{TEI}pc")]
                    if child.get("type") == "PER" and spans:
                        gold.append((spans[0][0], spans[-1][1]))
            sentences.append(Sentence(s.get("{http://www.w3.org/XML/1998/namespace}id", ""),
                                      text, gold))
    return sentences


def demo_sentences() -> tuple[list[Sentence], str]:
    sentences_file = DEMO_ANNOTATIONS / "sentences.jsonl"
    names_file = DEMO_ANNOTATIONS / "names.jsonl"
    if sentences_file.is_file() and names_file.is_file():
        gold: dict[str, list[tuple[int, int]]] = {}
        for line in names_file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                gold.setdefault(row["sentence_id"], []).append((row["start"], row["end"]))
        out = []
        for line in sentences_file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                out.append(Sentence(row["id"], row["text"], gold.get(row["id"], [])))
        return out, "corpora/demo/annotations"
    spec = importlib.util.spec_from_file_location("demo_build", DEMO_SOURCE / "build.py")
    build = importlib.util.module_from_spec(spec)
    sys.modules["demo_build"] = build
    spec.loader.exec_module(build)
    roster = build.load_roster()
    out = []
    paths = sorted(DEMO_SOURCE.glob("*.txt")) + sorted((DEMO_SOURCE / "statements").glob("*.txt"))
    for path in paths:
        source, problems = build.parse_source(path, path.name, roster)
        if any(not p.warning for p in problems):
            continue
        for s in build.sentences_of(source):
            out.append(Sentence(s.sentence_id, s.text,
                                [(sp.start, sp.end) for sp in s.spans if sp.kind == "name"]))
    return out, "corpora/demo_source (annotations not built: parsed in memory with build.py)"


def roster_labels() -> list[tuple[str, Role]]:
    import csv

    with ROSTER.open(encoding="utf-8", newline="") as handle:
        return [(row["speaker"], Role(row.get("role") or "participant"))
                for row in csv.DictReader(handle)]


def debate_silver(limit: int = 1500) -> list[Sentence] | None:
    """Sentences of the real debates with a titled mention of a debate speaker's surname."""
    if not DEBATES.is_file():
        return None
    import csv

    csv.field_size_limit(sys.maxsize)
    with DEBATES.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    surnames = set()
    for speaker in {r["speaker"] for r in rows}:
        if not speaker or speaker.lower().startswith(("de voorzitter", "voorzitter")):
            continue
        tokens = speaker.split()
        surnames.add(" ".join(tokens[1:]) if len(tokens) > 1 and tokens[0][0].isupper()
                     and tokens[1][0].isupper() else speaker)
    names = "|".join(re.escape(n) for n in sorted(surnames, key=len, reverse=True) if len(n) > 2)
    titled = re.compile(r"\b(?:mevrouw|de heer|meneer|minister|staatssecretaris|collega|"
                        rf"minister-president|commissaris)\s+({names})(?![\w-])")
    sentences: list[Sentence] = []
    for row in rows:
        for number, text in enumerate(re.split(r"(?<=[.!?])\s+(?=[A-Z])", row["text"])):
            gold = [(m.start(1), m.end(1)) for m in titled.finditer(text)]
            if gold:
                sentences.append(Sentence(f"{row['utt_id']}.{number}", text, gold))
    return sentences[:limit]


# -- scoring ---------------------------------------------------------------------------------

def score(sentences: list[Sentence], predicted: list[list[tuple[int, int]]],
          errors: list[str] | None = None) -> Score:
    result = Score()
    for sentence, spans in zip(sentences, predicted):
        covered = set()
        for a, b in spans:
            covered.update(range(a, b))
        for a, b in sentence.gold:
            result.gold += 1
            letters = [i for i in range(a, b) if sentence.text[i].isalnum()]
            if all(i in covered for i in letters):
                result.found += 1
            elif errors is not None:
                errors.append(f"  missed  {sentence.text[a:b]!r:28} in {sentence.text[:110]!r}")
        for a, b in spans:
            result.predicted += 1
            if any(a < gb and ga < b for ga, gb in sentence.gold):
                result.correct += 1
            elif errors is not None:
                errors.append(f"  extra   {sentence.text[a:b]!r:28} in {sentence.text[:110]!r}")
    return result


def detector_spans(detector: NameDetector, sentences: list[Sentence]) -> list[list[tuple[int, int]]]:
    found = detector.detect_many([s.text for s in sentences])
    return [[(n.start, n.end) for n in spans if n.kind == PERSON] for spans in found]


def ingest_spans(detector: NameDetector, sentences: list[Sentence],
                 labels: list[tuple[str, Role]]) -> list[list[tuple[int, int]]]:
    settings = Settings()
    with tempfile.TemporaryDirectory() as tmp:
        key = PseudonymKey(Path(tmp) / "key.json")
        for label, role in labels:
            key.code_for(label, role, settings.pseudonymise)
        plans = DocumentPseudonymiser(key, settings.pseudonymise, detector).plan(
            {s.ident: s.text for s in sentences})
    return [[(p.start, p.end) for p in plans.get(s.ident, []) if p.kind in ("speaker", PERSON)]
            for s in sentences]


def gold_tally(detector: NameDetector, units: list[Unit]) -> Tally:
    """Each unit pseudonymised as one document at ingest (no participants sheet, an empty
    key per unit): detected names and their other mentions in the same unit are replaced."""
    tally = Tally()
    settings = Settings()
    with tempfile.TemporaryDirectory() as tmp:
        for unit in units:
            key = PseudonymKey(Path(tmp) / "key.json")
            plan = DocumentPseudonymiser(key, settings.pseudonymise, detector).plan(
                {"u0": unit.text}).get("u0", [])
            tally.add(unit, [(p.start, p.end) for p in plan if p.kind in ("speaker", PERSON)])
    return tally


def demo_tally(detector: NameDetector, sentences: list[Sentence]) -> Tally:
    """The demo corpus as gold units: annotated names are PER, every other capitalised word
    inside a sentence is a word to keep."""
    units = []
    for s in sentences:
        mentions = [Mention(a, b, "PER") for a, b in s.gold]
        for m in re.finditer(r"(?<=[\w,;] )[A-ZÀ-Ý][\w'-]*", s.text):
            if not any(a < m.end() and m.start() < b for a, b in s.gold):
                mentions.append(Mention(m.start(), m.end(), "WORD"))
        units.append(Unit(s.ident, s.text, mentions))
    return gold_tally(detector, units)


def gold_table(nlp, show_errors: bool | str) -> None:
    """The dev/test/demo table of issue #11."""
    rows: list[tuple[str, Tally]] = []
    for part in PARTS:
        label = "dev (tuned on)" if part == "dev" else "test (held out)"
        written = gold_tally(NameDetector(nlp=nlp), written_units(part))
        rows.append((f"{label}: written for focuslex", written))
        real = real_units(part)
        if real is None:
            print(f"{part}: real text skipped (../shared/data/real absent)")
        else:
            units, drifted = real
            if drifted:
                print(f"{part}: {drifted} real-text annotation(s) drifted, skipped")
            rows.append((f"{label}: real text (../shared)", gold_tally(NameDetector(nlp=nlp), units)))
        total = Tally()
        for _, t in rows[-2:] if real is not None else rows[-1:]:
            total.persons += t.persons
            total.persons_found += t.persons_found
            total.kept += t.kept
            total.kept_intact += t.kept_intact
        rows.append((f"{label}: all", total))
    demo, _ = demo_sentences()
    rows.append(("demo corpus (names.jsonl)", demo_tally(NameDetector(nlp=nlp), demo)))
    print(f"{'part':<44} {'person recall':>22} {'kept precision':>22}")
    for label, t in rows:
        print(f"{label:<44} {t.recall:6.3f} ({t.persons_found:>4}/{t.persons:<4})   "
              f"{t.kept_precision:6.3f} ({t.kept_intact:>4}/{t.kept:<4})")
        if show_errors and not label.endswith(": all") and (
                show_errors == "all" or not label.startswith("test")):
            print("\n".join(t.misses) or "  (no errors)")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description="Person-name detection: recall/precision")
    parser.add_argument("--no-pipeline", action="store_true",
                        help="text features only (no spaCy pipeline)")
    parser.add_argument("--show-errors", action="store_true", help="list misses and extras")
    parser.add_argument("--show-test-errors", action="store_true",
                        help="also list the errors on the held-out test part (not for tuning)")
    parser.add_argument("--gold-only", action="store_true",
                        help="only the dev/test/demo table of the gold set")
    args = parser.parse_args()
    settings = Settings()
    nlp = None
    if not args.no_pipeline:
        nlp = shared_pipeline(settings.nlp.model, str(settings.nlp.bundled_path))
        print(f"pipeline: {nlp.meta.get('name')} {nlp.meta.get('version')} "
              f"({', '.join(nlp.pipe_names)})")
    else:
        print("pipeline: none (text features only)")
    gold_table(nlp, "all" if args.show_test_errors else args.show_errors)
    if args.gold_only:
        return

    runs: list[tuple[str, list[Sentence], list[list[tuple[int, int]]]]] = []
    review_lines: list[str] = []
    parla = parlamint_sentences()
    if parla is None:
        print("ParlaMint: skipped (../shared/data/real/parlamint_nl absent)")
    else:
        start = time.perf_counter()
        spans = detector_spans(NameDetector(nlp=nlp), parla)
        words = sum(len(s.text.split()) for s in parla)
        print(f"ParlaMint-NL 2017-01-31 .ana.xml: {len(parla)} sentences, {words} words, "
              f"{sum(len(s.gold) for s in parla)} PER entities "
              f"({time.perf_counter() - start:.1f} s)")
        runs.append(("ParlaMint PER entities, detector alone", parla, spans))
        runs.append(("ParlaMint PER entities, as at ingest", parla,
                     ingest_spans(NameDetector(nlp=nlp), parla, [])))

        plain = sorted(PARLAMINT.glob("*.xml"))
        plain = [p for p in plain if not p.name.endswith(".ana.xml")]
        if plain:
            segments = [re.sub(r"<[^>]+>", "", s) for s in re.findall(
                r"<seg[^>]*>(.*?)</seg>", plain[0].read_text(encoding="utf-8"), re.S)]
            names: dict[str, int] = {}
            for spans in NameDetector(nlp=nlp).detect_many(segments):
                for span in spans:
                    if span.kind == PERSON:
                        names[span.text] = names.get(span.text, 0) + 1
            review_lines.append(
                f"ParlaMint full session (no gold): {sum(len(s.split()) for s in segments)} "
                f"words, {len(names)} distinct names to review, {sum(names.values())} mentions")
            if args.show_errors:
                review_lines.append("  " + ", ".join(f"{n} ({c})" for n, c in sorted(
                    names.items(), key=lambda item: -item[1])))

    silver = debate_silver()
    if silver is None:
        print("debates silver set: skipped (../shared/data/real/debates_nl.tsv absent)")
    else:
        print(f"debates silver set: {len(silver)} sentences, "
              f"{sum(len(s.gold) for s in silver)} titled surname mentions (recall only)")
        runs.append(("debates, titled surnames, detector alone", silver,
                     detector_spans(NameDetector(nlp=nlp), silver)))

    demo, origin = demo_sentences()
    print(f"demo corpus from {origin}: {len(demo)} sentences, "
          f"{sum(len(s.gold) for s in demo)} name mentions")
    start = time.perf_counter()
    runs.append(("demo corpus, detector alone", demo, detector_spans(NameDetector(nlp=nlp), demo)))
    runs.append(("demo corpus, as at ingest (sheet + detector)", demo,
                 ingest_spans(NameDetector(nlp=nlp), demo, roster_labels())))
    print(f"demo corpus detection: {time.perf_counter() - start:.1f} s")
    print()
    for label, sentences, spans in runs:
        errors: list[str] = []
        print(score(sentences, spans, errors).line(label))
        if args.show_errors:
            print("\n".join(errors) or "  (no errors)")
    print("\n".join(review_lines))


if __name__ == "__main__":
    main()
