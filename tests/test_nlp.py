"""The Dutch pipeline: bundled model, domain vocabulary, resolution order, parse cache."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
import spacy

import pipeline.nlp.components  # noqa: F401  registers focuslex_lemma_fixes
from pipeline.core.errors import FocuslexError
from pipeline.nlp.cache import cache_key, parse_texts
from pipeline.nlp.loader import load_pipeline, pipeline_id
from pipeline.core.settings import BUNDLED_MODEL_DIR, NlpSettings, Settings


def bundled_settings(**nlp_values) -> Settings:
    """Settings that skip installed packages, so the committed pipeline is what is tested."""
    values = {"model": ""} | nlp_values
    return Settings(nlp=NlpSettings(**values))


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline(bundled_settings())


# -- the committed pipeline ---------------------------------------------------------------

def test_bundled_pipeline_is_committed_named_and_licensed():
    meta = json.loads((BUNDLED_MODEL_DIR / "meta.json").read_text(encoding="utf8"))
    assert (meta["lang"], meta["name"], meta["version"]) == ("nl", "focuslex_sm", "0.1.0")
    assert meta["license"] == "CC BY-SA 4.0"
    assert any("LassySmall" in s["name"] for s in meta["sources"])
    assert any("Alpino" in s["name"] for s in meta["sources"])
    assert meta["performance"]["pos_acc"] > 0.9
    size = sum(p.stat().st_size for p in BUNDLED_MODEL_DIR.rglob("*") if p.is_file())
    assert size < 15_000_000


def test_bundled_pipeline_parses_dutch(nlp):
    assert pipeline_id(nlp).startswith("nl_focuslex_sm-0.1.0")
    assert nlp.pipe_names[-1] == "focuslex_lemma_fixes"
    doc = nlp("De gemeente organiseert een gesprek. Iedereen mag meepraten over het beleid.")
    assert len(list(doc.sents)) == 2
    assert [t.pos_ for t in doc[:3]] == ["DET", "NOUN", "VERB"]
    assert doc[2].dep_ == "ROOT" and doc[1].dep_ == "nsubj"


# -- focuslex's vocabulary in sentences ----------------------------------------------------

DOMAIN_CASES = [
    # sentence, word, lemma, allowed POS
    ("Integratie is een opdracht voor de hele samenleving.", "Integratie", "integratie", {"NOUN"}),
    ("Wat bedoelen we eigenlijk met integratie?", "integratie", "integratie", {"NOUN"}),
    ("Veel mensen voelen zich al jaren geïntegreerd in hun buurt.", "geïntegreerd", "integreren",
     {"VERB", "ADJ"}),
    ("Sommigen vinden dat nieuwkomers zich sneller moeten integreren.", "integreren", "integreren",
     {"VERB"}),
    ("Sommigen vinden dat nieuwkomers zich sneller moeten integreren.", "nieuwkomers", "nieuwkomer",
     {"NOUN"}),
    ("Volgens haar verwachten werkgevers eerder assimilatie dan integratie.", "assimilatie",
     "assimilatie", {"NOUN"}),
    ("Discriminatie op de woningmarkt blijft een groot probleem.", "Discriminatie", "discriminatie",
     {"NOUN"}),
    ("Hij werd bij een sollicitatie gediscrimineerd omwille van zijn naam.", "gediscrimineerd",
     "discrimineren", {"VERB"}),
    ("We moeten racisme benoemen, ook als het onbewust gebeurt.", "racisme", "racisme", {"NOUN"}),
    ("We moeten racisme benoemen, ook als het onbewust gebeurt.", "onbewust", "onbewust", {"ADJ"}),
    ("Onbewuste vooroordelen spelen mee bij elke aanwerving.", "Onbewuste", "onbewust", {"ADJ"}),
    ("Er vielen racistische opmerkingen tijdens de vergadering.", "racistische", "racistisch",
     {"ADJ"}),
    ("De inburgering van volwassenen duurt vaak langer dan gepland.", "inburgering", "inburgering",
     {"NOUN"}),
    ("Inburgeraars volgen eerst een cursus Nederlands.", "Inburgeraars", "inburgeraar", {"NOUN"}),
    ("In Gent vinden nieuwkomers sneller werk dan elders.", "nieuwkomers", "nieuwkomer", {"NOUN"}),
    ("Jongeren met een migratieachtergrond vinden moeilijker een stageplaats.",
     "migratieachtergrond", "migratieachtergrond", {"NOUN"}),
]


@pytest.mark.parametrize("sentence, word, lemma, pos", DOMAIN_CASES)
def test_domain_vocabulary_in_sentences(nlp, sentence, word, lemma, pos):
    doc = nlp(sentence)
    token = next(t for t in doc if t.text == word)
    assert token.lemma_ == lemma
    assert token.pos_ in pos


def test_decomposed_diaeresis_still_lemmatised(nlp):
    import unicodedata

    text = unicodedata.normalize("NFD", "Ze zijn goed geïntegreerd.")
    token = next(t for t in nlp(text) if t.text.startswith("ge"))
    assert token.lemma_ == "integreren"


def test_common_words_at_sentence_start_get_lower_case_lemmas(nlp):
    doc = nlp("Waarschijnlijk komen er meer deelnemers. Meestal praten ze mee.")
    assert doc[0].lemma_ == "waarschijnlijk"
    assert next(t for t in doc if t.text == "Meestal").lemma_ == "meestal"


def test_unseen_verb_forms_fall_back_to_the_lookup_table(nlp):
    doc = nlp("Het traject verloopt goed en de coach begeleidt elke deelnemer.")
    assert next(t for t in doc if t.text == "verloopt").lemma_ == "verlopen"
    assert next(t for t in doc if t.text == "begeleidt").lemma_ == "begeleiden"


def test_lemma_fix_rules_on_a_built_doc():
    """The rules themselves, on a doc with tags set by hand (no model)."""
    blank = spacy.blank("nl")
    fixes = blank.add_pipe("focuslex_lemma_fixes")
    fixes.set_training_forms(["de", "mensen"])
    doc = blank.make_doc("Mensen zijn geëvalueerd en Merelbeke verloopt")
    for token, pos, lemma in zip(doc, ["NOUN", "AUX", "VERB", "CCONJ", "PROPN", "VERB"],
                                 ["Mensen", "zijn", "ëvalueren", "en", "Merelbeke", "verloopt"]):
        token.pos_, token.lemma_ = pos, lemma
    doc = fixes(doc)
    assert [t.lemma_ for t in doc] == ["mensen", "zijn", "evalueren", "en", "Merelbeke",
                                      "verlopen"]


# -- resolution order ----------------------------------------------------------------------

@pytest.fixture
def tiny_bundled(tmp_path) -> Path:
    """A small stand-in for the bundled pipeline, so resolution tests load nothing big."""
    path = tmp_path / "bundled"
    blank = spacy.blank("nl")
    blank.meta.update({"name": "tiny_bundled", "version": "9.9.9"})
    blank.to_disk(path)
    return path


def _fake_installed(monkeypatch, name: str, *, loads: bool = True) -> None:
    real_load = spacy.load

    def fake_load(what, *args, **kwargs):
        if what == name:
            if not loads:
                raise OSError("[E050] broken install")
            fake = spacy.blank("nl")
            fake.meta.update({"name": name.removeprefix("nl_"), "version": "3.8.0"})
            return fake
        return real_load(what, *args, **kwargs)

    monkeypatch.setattr(spacy.util, "is_package", lambda n: n == name)
    monkeypatch.setattr(spacy, "load", fake_load)


def test_installed_package_is_preferred(monkeypatch, tiny_bundled, caplog):
    _fake_installed(monkeypatch, "nl_core_news_md")
    settings = Settings(nlp=NlpSettings(model="nl_core_news_md", bundled_path=tiny_bundled))
    with caplog.at_level(logging.INFO, logger="focuslex.nlp"):
        loaded = load_pipeline(settings)
    assert pipeline_id(loaded).startswith("nl_core_news_md-3.8.0")
    assert "focuslex_lemma_fixes" in loaded.pipe_names
    assert "nl_core_news_md" in caplog.text and "3.8.0" in caplog.text


def test_bundled_pipeline_when_package_not_installed(monkeypatch, tiny_bundled, caplog):
    monkeypatch.setattr(spacy.util, "is_package", lambda n: False)
    settings = Settings(nlp=NlpSettings(model="nl_core_news_sm", bundled_path=tiny_bundled))
    with caplog.at_level(logging.INFO, logger="focuslex.nlp"):
        loaded = load_pipeline(settings)
    assert pipeline_id(loaded).startswith("nl_tiny_bundled-9.9.9")
    assert "bundled" in caplog.text and str(tiny_bundled) in caplog.text


def test_broken_package_falls_back_to_bundled(monkeypatch, tiny_bundled):
    _fake_installed(monkeypatch, "nl_core_news_sm", loads=False)
    settings = Settings(nlp=NlpSettings(bundled_path=tiny_bundled))
    assert load_pipeline(settings).meta["name"] == "tiny_bundled"


def test_nothing_loadable_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(spacy.util, "is_package", lambda n: False)
    settings = Settings(nlp=NlpSettings(bundled_path=tmp_path / "missing"))
    with pytest.raises(FocuslexError) as info:
        load_pipeline(settings)
    assert info.value.code == "FX-NLP-001"
    assert "python -m spacy download nl_core_news_sm" in info.value.message
    assert "nl_core_news_sm" in info.value.message and "missing" in info.value.message


def test_default_settings_point_at_the_committed_pipeline():
    assert Settings().nlp.model == "nl_core_news_sm"
    assert Settings().nlp.bundled_path == BUNDLED_MODEL_DIR
    assert (BUNDLED_MODEL_DIR / "config.cfg").is_file()


# -- parse cache ---------------------------------------------------------------------------

TEXTS = [
    "Integratie is een werkwoord voor iedereen.",
    "We spreken liever van mensen met een migratieachtergrond.",
    "Integratie is een werkwoord voor iedereen.",  # a duplicate
]


class PipeSpy:
    """Counts how often the pipeline is asked to parse, and how many texts."""

    def __init__(self, nlp):
        self.nlp, self.calls, self.texts = nlp, 0, 0
        self.real = nlp.pipe

    def __call__(self, texts, **kwargs):
        self.calls += 1
        for doc in self.real(texts, **kwargs):
            self.texts += 1
            yield doc


def _signature(docs):
    return [[(t.text, t.pos_, t.lemma_, t.dep_, t.head.i, t.is_sent_start) for t in d]
            for d in docs]


def test_cached_rerun_does_not_parse(nlp, tmp_path, monkeypatch):
    spy = PipeSpy(nlp)
    monkeypatch.setattr(nlp, "pipe", spy)
    first = parse_texts(nlp, TEXTS, tmp_path)
    assert (spy.calls, spy.texts) == (1, 2)  # the duplicate is parsed once
    second = parse_texts(nlp, TEXTS, tmp_path)
    assert (spy.calls, spy.texts) == (1, 2)  # nothing parsed the second time
    assert _signature(second) == _signature(first)
    assert second[1].vocab is nlp.vocab


def test_corrupt_cache_file_is_parsed_again(nlp, tmp_path, monkeypatch, caplog):
    parse_texts(nlp, TEXTS[:1], tmp_path)
    files = list(tmp_path.rglob("*.spacy"))
    assert len(files) == 1
    files[0].write_bytes(b"not a docbin")
    spy = PipeSpy(nlp)
    monkeypatch.setattr(nlp, "pipe", spy)
    with caplog.at_level(logging.WARNING, logger="focuslex.nlp"):
        docs = parse_texts(nlp, TEXTS[:1], tmp_path)
    assert spy.texts == 1 and docs[0].text == TEXTS[0]
    assert "corrupt" in caplog.text
    assert parse_texts(nlp, TEXTS[:1], tmp_path)[0][0].lemma_ == "integratie"
    assert spy.texts == 1  # the rewritten file is good again


def test_cache_key_depends_on_text_pipeline_and_version(nlp):
    other = spacy.blank("nl")
    other.meta.update(nlp.meta)
    other.add_pipe("focuslex_lemma_fixes")
    assert cache_key(other, "tekst") == cache_key(nlp, "tekst")
    assert cache_key(nlp, "tekst") != cache_key(nlp, "tekst.")
    other.meta["version"] = "0.1.1"
    assert cache_key(other, "tekst") != cache_key(nlp, "tekst")


def test_without_cache_dir_nothing_is_written(nlp, tmp_path):
    docs = parse_texts(nlp, TEXTS[:2], None)
    assert len(docs) == 2 and not any(tmp_path.iterdir())
