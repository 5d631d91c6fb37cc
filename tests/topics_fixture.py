"""A small Dutch focus-group corpus written for the topic and activity tests (fictional):
two rounds, four stakeholder groups and a facilitator, about three clear themes (work,
housing, school and language), plus back-channels that must not become units.

`fitted_store(...)` ingests it, runs the term analysis (so the token tables with lemmas are
cached), fits topics with fast settings (PCA + k-means) and suggests activities.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pipeline.activities.suggest import suggest_activities
from pipeline.core.records import DocumentMeta
from pipeline.core.settings import IngestSettings, NlpSettings, Settings, TopicSettings, load_settings
from pipeline.ingest.readers import SourceFile
from pipeline.ingest.service import IngestRequest, Ingestor
from pipeline.ingest.sheets import read_participants
from pipeline.store.database import Store
from pipeline.terms.run import run_analysis
from pipeline.topics.run import run_topics
from tests.conftest import INGEST

WORK = ("Op de arbeidsmarkt krijgen kandidaten met een vreemde naam minder vaak een "
        "uitnodiging voor een sollicitatiegesprek. Werkgevers zeggen dat ze geen geschikte "
        "kandidaten vinden voor hun vacatures. Een praktijktest bij bedrijven toont dat cv's "
        "met dezelfde diploma's anders behandeld worden. In de bouw werken veel arbeiders "
        "die op de werf Nederlands leren tijdens de werkuren. Een stage bij een werkgever "
        "helpt jongeren om een vaste job te vinden.")
HOUSING = ("Op de huurmarkt is het appartement plots verhuurd als de huurder een "
           "buitenlandse naam heeft. De wachtlijst voor een sociale woning is in onze "
           "gemeente bijna vier jaar lang. Verhuurders vragen een huurwaarborg die gezinnen "
           "met een laag inkomen niet kunnen betalen. Veel gezinnen wonen in slechte en te "
           "kleine woningen met vocht op de muren. Sociale verhuurkantoren huren woningen en "
           "verhuren ze door aan mensen op de wachtlijst.")
SCHOOL = ("In de onthaalklas leren anderstalige leerlingen op één jaar genoeg Nederlands "
          "voor het secundair onderwijs. Leerkrachten krijgen te weinig opleiding om les te "
          "geven aan anderstalige kinderen. Ouders lezen de brieven van de school niet omdat "
          "die vol moeilijke woorden staan. Kinderen met een migratieachtergrond worden te "
          "snel naar een lagere studierichting georiënteerd. Huiswerkbegeleiding in de wijk "
          "helpt leerlingen om hun diploma te halen.")

WORK_2 = WORK.replace("Werkgevers zeggen", "Onze leden zeggen")
SCHOOL_2 = SCHOOL.replace("In de onthaalklas", "In de OKAN-klas")
HOUSING_2 = HOUSING.replace("in onze gemeente", "in de stad")
# The theme of every participant paragraph (the gold of the tests).
THEMES: dict[str, str] = {WORK: "werk", WORK_2: "werk", HOUSING: "wonen", HOUSING_2: "wonen",
                          SCHOOL: "school", SCHOOL_2: "school"}

ROUND_1 = f"""Hilde Verstraeten: Welkom allemaal. Waar lopen mensen in uw omgeving tegen aan?
Ayşe Demir: {HOUSING}
Jan Roos: {WORK}
Ayşe Demir: Ja, klopt.
Fatima Zahra El Idrissi: {SCHOOL}
Hilde Verstraeten: Dank u. Wie wil daarop reageren?
Wouter Bakker: Euh, allee, ja.
"""
ROUND_2 = f"""Hilde Verstraeten: Welkom terug in de tweede ronde. Wat stellen jullie voor?
Wouter Bakker: {WORK_2}
Fatima Zahra El Idrissi: {SCHOOL_2}
Jan Roos: {HOUSING_2}
Ayşe Demir: Hm, ja.
"""

FAST = TopicSettings(reduction="pca", clustering="kmeans", n_topics=3, n_components=5,
                     min_unit_words=5)


def fast_settings(tmp_path: Path) -> Settings:
    """Settings in tmp_path with the bundled pipeline and the fast topic settings."""
    settings = load_settings(base_dir=tmp_path)
    return replace(settings, nlp=NlpSettings(model=""), topics=FAST)


def ingest_fixture(settings: Settings, store: Store) -> None:
    participants = read_participants(INGEST / "participants.csv", IngestSettings())
    Ingestor(settings, store, participants).ingest([
        IngestRequest(SourceFile("ronde1.txt", ROUND_1.encode()), DocumentMeta(round=1)),
        IngestRequest(SourceFile("ronde2.txt", ROUND_2.encode()), DocumentMeta(round=2))])


def fitted_store(settings: Settings, nlp: object | None = None) -> Store:
    """The fixture ingested, analysed, topics fitted and activities suggested."""
    store = Store(settings.database_url)
    ingest_fixture(settings, store)
    run_analysis(settings, store, nlp=nlp)
    run_topics(settings, store)
    suggest_activities(settings, store)
    return store
