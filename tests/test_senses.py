"""Issue 16: sense examples in the lexicon, the sense step, the fuzzy pass, brackets."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from lexicon.examples import add_sense_example
from lexicon.io import dump_csv, dump_yaml, load_csv, load_seed, load_yaml
from lexicon.model import entry_from_dict
from lexicon.skos import dump_skos, read_skos
from lexicon.store import LexiconStore
from pipeline.analysis.concordance import filter_hits, hits_frame
from pipeline.core.errors import FocuslexError
from pipeline.core.settings import NlpSettings, Settings, TermSettings
from pipeline.nlp.encoder import SentenceEmbeddings
from pipeline.nlp.loader import load_pipeline
from pipeline.store.database import Store
from pipeline.terms.matcher import TermMatcher, judge_senses
from pipeline.terms.run import token_tables
from pipeline.terms import senses as senses_module
from pipeline.terms.senses import SenseModel, hit_features, window_text

SENSE = ["Het stadsbestuur wil een inclusief beleid voor alle inwoners.",
         "Een inclusieve school maakt plaats voor elk kind."]
OTHER = ["De kamer kost 80 euro per nacht, inclusief ontbijt.",
         "Het bedrag is inclusief btw en transport."]


def entry(**extra):
    return entry_from_dict({"id": "inclusie", "pref_label": "inclusie",
                            "alt_labels": ["inclusief"], "definition": "Volwaardig meedoen.",
                            "sense_examples": SENSE, "other_sense_examples": OTHER, **extra})


def test_sense_examples_survive_yaml_csv_and_skos() -> None:
    e = entry(examples=["Inclusie is een keuze, zei de schepen."])
    assert load_yaml(dump_yaml([e])) == [e]
    assert load_csv(dump_csv([e])) == [e]
    back = read_skos(dump_skos([e], "turtle"))[0]
    assert back.sense_examples == tuple(sorted(SENSE))
    assert back.other_sense_examples == tuple(sorted(OTHER))
    assert back.examples == ("Inclusie is een keuze, zei de schepen.",)
    assert "skos:example" in dump_skos([e], "turtle")


def test_a_sentence_cannot_be_both_senses() -> None:
    with pytest.raises(FocuslexError) as info:
        entry(other_sense_examples=[SENSE[0]])
    assert info.value.code == "FX-LEX-002" and "andere betekenis" in info.value.message


def test_seed_has_senses_for_the_ambiguous_terms() -> None:
    seed = {e.id: e for e in load_seed()}
    for term in ("diversiteit", "inclusie", "integratie", "nieuwkomer", "minderheid",
                 "allochtoon", "assimilatie", "autochtoon", "inburgering", "segregatie",
                 "vluchteling", "anderstalige"):
        assert seed[term].sense_examples and seed[term].other_sense_examples, term
    assert any("functie" in t for t in seed["integratie"].other_sense_examples)
    assert any("planten" in t for t in seed["assimilatie"].other_sense_examples)


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline(Settings(nlp=NlpSettings(model="")))


def hits(nlp, matcher, texts, cache, senses=None):
    tables = token_tables(nlp, texts, cache)[0]
    out = []
    for table, text in zip(tables, texts):
        for m in matcher.match(table, text, senses.deferred if senses else frozenset()):
            verdict = None
            if senses is not None and senses.is_ambiguous(m):
                sentence = text[m.sentence_start:m.sentence_end]
                verdict = senses.judge(table, m, sentence)
            out.append((m.term_id, text[m.start:m.end], m.fuzzy, verdict))
    return out


def test_fuzzy_pass_finds_damaged_long_forms_only(nlp, tmp_path: Path) -> None:
    seed = load_seed()
    texts = ["De strijd tegen discrirninatie op de huurmarkt gaat door.",
             "Anderstalige nieuwkomrs vinden moeilijk een sportclub.",
             "De integrale aanpak van de stad werkt goed.",
             "Het verdrag over rassengelijkheid werd in 1965 aangenomen."]
    exact = hits(nlp, TermMatcher.from_entries(seed), texts, tmp_path)
    fuzzy = hits(nlp, TermMatcher.from_entries(seed, fuzzy=True), texts, tmp_path)
    assert not any(t in ("discriminatie", "nieuwkomer") for t, *_ in exact)
    assert ("discriminatie", "discrirninatie", True, None) in fuzzy
    assert ("nieuwkomer", "nieuwkomrs", True, None) in fuzzy
    assert not any(t == "integratie" for t, *_ in fuzzy)  # integrale: a dictionary word
    # rassen|gelijkheid: two dictionary words, not a damaged 'kansengelijkheid'
    assert not any(t == "gelijke_kansen" for t, *_ in fuzzy)


def test_bracketed_modifier_gives_the_longer_and_the_shorter_term(nlp, tmp_path: Path) -> None:
    small = [entry_from_dict({"id": "discriminatie", "pref_label": "discriminatie",
                              "definition": "Ongelijke behandeling."}),
             entry_from_dict({"id": "structurele_discriminatie",
                              "pref_label": "structurele discriminatie",
                              "definition": "Ongelijkheid ingebakken in regels."})]
    text = ["Het meldpunt kreeg veel meldingen van (structurele) discriminatie bij verhuur."]
    found = {(t, s) for t, s, *_ in hits(nlp, TermMatcher.from_entries(small), text, tmp_path)}
    assert found == {("structurele_discriminatie", "(structurele) discriminatie"),
                     ("discriminatie", "discriminatie")}
    plain = ["Het meldpunt kreeg meldingen van structurele discriminatie bij verhuur."]
    found = {t for t, *_ in hits(nlp, TermMatcher.from_entries(small), plain, tmp_path)}
    assert found == {"structurele_discriminatie"}
    seed_hits = hits(nlp, TermMatcher.from_entries(load_seed()),
                     ["De stad pakt (onbewust) racisme bij aanwervingen aan."], tmp_path)
    assert {t for t, *_ in seed_hits} == {"onbewust_racisme", "racisme"}


def test_sense_step_keeps_the_sense_and_drops_the_other(nlp, tmp_path: Path) -> None:
    entries = [entry()]
    matcher = TermMatcher.from_entries(entries)

    def tables(texts):
        return token_tables(nlp, texts, tmp_path)[0]

    model = SenseModel.build(entries, matcher, tables, tmp_path, TermSettings())
    texts = ["Onze vereniging kiest voor een inclusief ledenbeleid.",
             "Het weekend kost 95 euro, inclusief de huur van de fietsen."]
    first = hits(nlp, matcher, texts, tmp_path, model)
    kept, dropped = first[0][3], first[1][3]
    assert kept.decision == "keep" and dropped.decision == "drop"
    assert 0 <= dropped.score < TermSettings().sense_drop < kept.score <= 1
    again = SenseModel.build(entries, matcher, tables, tmp_path, TermSettings())
    assert hits(nlp, matcher, texts, tmp_path, again) == first   # deterministic
    assert again.embeddings.encoded == 0                           # all from the disk cache


def test_components_are_the_signals_the_score_combines(nlp, tmp_path: Path) -> None:
    """`SenseModel.components` gives what `judge` weighs: the adjective use is closer to the
    examples of its sense, `inclusief de huur` closer to the price examples."""
    entries = [entry()]
    matcher = TermMatcher.from_entries(entries)
    model = SenseModel.build(entries, matcher, lambda t: token_tables(nlp, t, tmp_path)[0],
                             tmp_path, TermSettings())
    texts = ["Onze vereniging kiest voor een inclusief ledenbeleid.",
             "Het weekend kost 95 euro, inclusief de huur van de fietsen."]
    parts = []
    for table, text in zip(token_tables(nlp, texts, tmp_path)[0], texts):
        (m,) = matcher.match(table, text, model.deferred)
        sentence = text[m.sentence_start:m.sentence_end]
        parts.append(model.components(table, m, sentence))
        assert parts[-1].score() == model.judge(table, m, sentence).score
        assert parts[-1].sentence_vector.shape == parts[-1].window_vector.shape == (512,)
    kept, dropped = parts
    assert kept.similarity > 0 > dropped.similarity
    assert kept.closest[0] > kept.closest[1] and dropped.closest[3] > dropped.closest[2]
    assert model.judged == 2   # components alone are not counted as judged hits


def test_embeddings_are_cached_on_disk(tmp_path: Path) -> None:
    cache = SentenceEmbeddings(tmp_path)
    vectors = cache.embed(["Integratie is tweerichtingsverkeer."])
    assert vectors.shape == (1, 512) and cache.encoded == 1
    later = SentenceEmbeddings(tmp_path)
    assert (later.embed(["Integratie is tweerichtingsverkeer."]) == vectors).all()
    assert later.encoded == 0 and list((tmp_path / "embeddings").rglob("*.f32"))


def test_confirming_a_sentence_adds_an_example(store: Store) -> None:
    lexicon = LexiconStore(store)
    lexicon.create(entry(), "Sofie", "startlexicon")
    sentence = "Ze willen een echt inclusief jeugdwerk in de wijk."
    saved = add_sense_example(lexicon, "inclusie", sentence, "Sofie")
    assert sentence in saved.sense_examples and saved.version == 2
    assert add_sense_example(lexicon, "inclusie", sentence, "Sofie").version == 2
    moved = add_sense_example(lexicon, "inclusie", sentence, "Sofie", other_sense=True)
    assert sentence in moved.other_sense_examples and sentence not in moved.sense_examples
    assert lexicon.history("inclusie")[-1].by == "Sofie"
    with pytest.raises(FocuslexError) as info:
        add_sense_example(lexicon, "inclusie", "   ", "Sofie")
    assert info.value.code == "FX-LEX-021"


def test_hit_filters_for_uncertain_and_fuzzy() -> None:
    base = {"document_id": 1, "document": "a.txt", "utterance_index": 0, "term_id": "inclusie",
            "label": "inclusie", "text": "inclusief", "start": 0, "end": 9, "sentence": "x",
            "speaker": "P01", "group": "onderwijs", "round": 1, "compound_part": "",
            "negated": False, "mention": ""}
    frame = hits_frame([{**base, "uncertain": True, "fuzzy": False, "sense_score": 0.5},
                        {**base, "start": 20, "end": 29, "uncertain": False, "fuzzy": True},
                        base])
    assert len(filter_hits(frame, uncertain=True)) == 1
    assert len(filter_hits(frame, fuzzy=True)) == 1
    assert len(filter_hits(frame, uncertain=False, fuzzy=False)) == 1


def test_an_older_database_gets_the_new_hit_columns(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "oud.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE term_hits (id INTEGER PRIMARY KEY, run_id INTEGER, "
                   "document_id INTEGER, utterance_index INTEGER, term_id TEXT, label TEXT, "
                   "text TEXT, start INTEGER, \"end\" INTEGER, sentence TEXT, speaker TEXT, "
                   "group_name TEXT, round INTEGER, compound_part TEXT, negated BOOLEAN, "
                   "mention TEXT)")
    store = Store(f"sqlite:///{path}")
    store.close()
    with sqlite3.connect(path) as db:
        columns = {row[1] for row in db.execute("PRAGMA table_info(term_hits)")}
    assert {"sense_score", "uncertain", "fuzzy"} <= columns


def test_analyse_judges_senses_stores_and_exports_them(settings, store: Store, nlp) -> None:
    from pipeline.core.records import DocumentMeta, Role
    from pipeline.terms.run import export_hits, run_analysis
    from tests.test_analyse import document

    turns = [("P01", "Wij willen als jeugdhuis een inclusief beleid voeren."),
             ("P02", "De reis kost 150 euro per persoon, inclusief de busreis.")]
    store.add_document(document(turns, "gesprek.txt", DocumentMeta(round=1)), {
        "P01": {"role": Role.PARTICIPANT.value, "group": "jeugdwerk"},
        "P02": {"role": Role.PARTICIPANT.value, "group": "onderwijs"}})
    report = run_analysis(settings, store, entries=[entry()], nlp=nlp)
    hits = store.term_hits()
    assert [h.speaker for h in hits] == ["P01"]          # the "including" sense is dropped
    assert hits[0].sense_score is not None and hits[0].sense_score >= 0.6
    assert not hits[0].uncertain and not hits[0].fuzzy and report.uncertain == 0
    run = store.last_run("analyse")
    assert len(run.details["lexicon"]["senses"]) == 64 and run.details["model"]["encoder"]
    text, rows = export_hits(store, "csv", settings)
    header = text.splitlines()[0].split(";")
    assert rows == 1 and {"sense_score", "uncertain", "fuzzy"} <= set(header)


# -- session 3: window similarity, more seed examples, compounds, short OCR repairs --------

def seed_judged(nlp, texts, cache):
    """(found, verdicts) with the seed lexicon and the sense step as `focuslex analyse` runs
    it: found = (text, table, matches) per text, verdicts by (text index, match)."""
    seed = load_seed()
    matcher = TermMatcher.from_entries(seed, fuzzy=True)
    model = SenseModel.build(seed, matcher, lambda t: token_tables(nlp, t, cache)[0], cache,
                             TermSettings())
    found = [(t, table, matcher.match(table, t, model.deferred))
             for t, table in zip(texts, token_tables(nlp, texts, cache)[0])]
    return found, judge_senses(found, model)


def seed_verdicts(nlp, texts, cache):
    """(term, surface, decision or None when not judged) of every hit."""
    found, verdicts = seed_judged(nlp, texts, cache)
    return [(m.term_id, t[m.start:m.end],
             verdicts[(k, m)].decision if (k, m) in verdicts else None)
            for k, (t, _, ms) in enumerate(found) for m in ms]


def judged_scores(nlp, texts, cache, term_id: str = "") -> list[float]:
    """The sense scores of the judged hits (of `term_id`, or all) in text order (the weights
    as the module has them now)."""
    verdicts = sorted(seed_judged(nlp, texts, cache)[1].items(),
                      key=lambda kv: (kv[0][0], kv[0][1].start))
    return [v.score for (k, m), v in verdicts if not term_id or m.term_id == term_id]


def test_seed_senses_drop_other_uses_and_keep_the_social_ones(nlp, tmp_path: Path) -> None:
    other = ["Elk voorjaar volgen biologen de migratie van padden naar de vijver.",
             "Na de overname van de brouwerij volgde de integratie van beide distributienetten.",
             "De verdere integratie van de eurozone vraagt volgens de minister een gezamenlijk "
             "budget.",
             "Litouwen trad in 2004 als nieuwkomer toe tot de Europese Unie."]
    social = ["De integratie van vluchtelingen in onze gemeente loopt via een buddywerking.",
              "Nieuwkomers krijgen in onze stad een gratis taalcursus en een buddy.",
              "De voorzitter vroeg om een eerlijk debat over migratie en asiel.",
              "De schepen wil de diversiteit van de bevolking zichtbaar maken in het "
              "stadsbestuur."]
    found = seed_verdicts(nlp, other + social, tmp_path)
    terms = ("migratie", "integratie", "nieuwkomer", "diversiteit")
    judged = [[d for t, s, d in found_in if t in terms] for found_in in
              (seed_verdicts(nlp, [text], tmp_path) for text in other + social)]
    assert judged == [["drop"]] * 4 + [["keep"]] * 4
    assert len(found) >= 8


def test_compounds_that_start_with_the_term_are_judged_with_a_bonus(nlp, tmp_path: Path,
                                                                    monkeypatch) -> None:
    """`integratiebeleid` starts with the term: judged with the LEADING_WEIGHT bonus and kept;
    `netintegratie` ends with it: judged without; with LEADING_WEIGHT None the leading
    compound is not judged at all (kept without a sense score)."""
    texts = ["Het lokale integratiebeleid krijgt volgend jaar meer middelen.",
             "De ingenieurs werken aan de netintegratie van windparken."]
    seed = load_seed()
    matcher = TermMatcher.from_entries(seed, fuzzy=True)
    model = SenseModel.build(seed, matcher, lambda t: token_tables(nlp, t, tmp_path)[0],
                             tmp_path, TermSettings())
    tables = token_tables(nlp, texts, tmp_path)[0]
    leading = [model.components(table, matcher.match(table, text, model.deferred)[0], text)
               .leading for text, table in zip(texts, tables)]
    assert leading == [1, 0]
    decisions = {s: d for t, s, d in seed_verdicts(nlp, texts, tmp_path) if t == "integratie"}
    assert decisions["integratiebeleid"] == "keep" and decisions["netintegratie"] is not None
    monkeypatch.setattr(senses_module, "LEADING_WEIGHT", None)
    decisions = {s: d for t, s, d in seed_verdicts(nlp, texts, tmp_path) if t == "integratie"}
    assert decisions["integratiebeleid"] is None and decisions["netintegratie"] is not None


def test_window_is_the_hit_and_four_tokens_each_side_in_its_sentence(nlp, tmp_path) -> None:
    text = "Gisteren zei de schepen op de raad dat de integratie van nieuwkomers beter moet. Ja."
    table = token_tables(nlp, [text], tmp_path)[0][0]
    i = table.words.index("integratie")
    first, last = TermMatcher.sentence_of(table, i)
    assert (window_text(table, i, i, first, last)
            == "de raad dat de integratie van nieuwkomers beter moet")
    assert window_text(table, 1, 1, first, last) == "Gisteren zei de schepen op de"


def test_short_ocr_damage_is_repaired_only_into_a_whole_form(nlp, tmp_path: Path) -> None:
    seed = load_seed()
    texts = ["Het meldpunt kreeg dit jaar meer klachten over racisrne in het uitgaansleven.",
             "Het meldpunt kreeg dit jaar meer klachten over racisma in het uitgaansleven.",
             "De trainer sprak over rac1s op het veld."]
    found = hits(nlp, TermMatcher.from_entries(seed, fuzzy=True), texts, tmp_path)
    assert ("racisme", "racisrne", True, None) in found   # rn for m: a whole form
    assert not [f for f in found if f[1] in ("racisma", "rac1s")]  # no OCR confusion / short
    exact = hits(nlp, TermMatcher.from_entries(seed), texts[:1], tmp_path)
    assert not [f for f in exact if f[0] == "racisme"]    # only the fuzzy pass repairs


def test_a_split_word_join_does_not_hide_the_word_later(nlp, tmp_path: Path) -> None:
    """The matcher caches what a joined split word is; a later text that holds the joined
    word as one token still gets its hit (the cache of special words knows it)."""
    matcher = TermMatcher.from_entries(load_seed())
    texts = ["De klachten over discrimi natie op de huurmarkt stijgen.",
             "Discriminatie op de huurmarkt blijft een probleem."]
    found = hits(nlp, matcher, texts, tmp_path)
    assert [(t, s) for t, s, *_ in found] == [("discriminatie", "discrimi natie"),
                                               ("discriminatie", "Discriminatie")]


def test_what_a_token_is_does_not_depend_on_the_texts_matched_before(nlp,
                                                                     tmp_path: Path) -> None:
    """A split word joined in one text (`migratieaeh tergrond`) and the same letters as one
    token in a later text (`migratieaehtergrond`, e for c) are two questions: the token
    still gets the fuzzy pass (migratieachtergrond, not a compound of migratie), in any order;
    and a fuzzy answer the matcher does not take (`migratieachter`, a compound of migratie)
    does not change how the word is read later (`migratieachter grond`)."""
    seed = load_seed()
    split = "Bij de aanwervingen had een vijfde een migratieaeh tergrond volgens de dienst."
    whole = "Het ziekenhuis telt veel verpleegkundigen met een migratieaehtergrond."
    alone = hits(nlp, TermMatcher.from_entries(seed, fuzzy=True), [whole], tmp_path)
    after = hits(nlp, TermMatcher.from_entries(seed, fuzzy=True), [split, whole], tmp_path)
    assert [(t, s, f) for t, s, f, _ in alone] == [
        ("migratieachtergrond", "migratieaehtergrond", True)]
    assert [(t, s) for t, s, _, _ in after][-1:] == [("migratieachtergrond",
                                                       "migratieaehtergrond")]
    table = ["zonder migratieachter grond", "met migratieachtergrond", "totaal"]
    rows = hits(nlp, TermMatcher.from_entries(seed, fuzzy=True),
                ["Tabel 3 — " + "\n".join(table), "Tabel 4 — " + "\n".join(table)], tmp_path)
    found = [(t, s) for t, s, _, _ in rows]
    assert found[:len(found) // 2] == found[len(found) // 2:]   # the same in both tables
    assert found[0] == ("migratieachtergrond", "migratieachter grond")
    assert {t for t, _ in found} == {"migratieachtergrond"}


def test_ocr_symbols_and_rn_count_as_one_repair(nlp, tmp_path: Path) -> None:
    """rn for m in a word of 9-13 characters (two edits, one OCR confusion); a digit for a
    letter plus a lost letter; a '!' for a letter, where the tokenizer splits the word."""
    seed = load_seed()
    texts = ["Elke nieuwkorner krijgt in onze gemeente een buddy van de buurtvereniging.",
             "Volgens de opvangcentra wacht een asie1zoekr gemiddeld acht maanden op een "
             "beslissing.",
             "Het rapport waarschuwt voor d!scriminatie bij sollicitaties in de horeca.",
             "De trainer had het over rac!sme in de kleedkamer.",
             "Wat een dag!Echt waar, de bus kwam weer niet.",
             "De club nam maatregelen tegen rac1sme en tegen racsme op de tribune."]
    fuzzy = hits(nlp, TermMatcher.from_entries(seed, fuzzy=True), texts, tmp_path)
    found = {(t, s, f) for t, s, f, _ in fuzzy}
    assert ("nieuwkomer", "nieuwkorner", True) in found
    assert ("asielzoeker", "asie1zoekr", True) in found
    assert ("discriminatie", "d!scriminatie", True) in found
    assert ("racisme", "rac!sme", True) in found
    assert ("racisme", "rac1sme", True) in found        # one OCR repair in a short word
    assert not [s for t, s, f, _ in fuzzy if s == "racsme"]   # a lost letter: not found
    assert not [s for t, s, f, _ in fuzzy if "dag" in s.lower()]   # a '!' between words
    exact = hits(nlp, TermMatcher.from_entries(seed), texts, tmp_path)
    assert not [s for t, s, *_ in exact if "!" in s or s in ("nieuwkorner", "asie1zoekr")]


def test_a_compound_split_over_a_line_break_is_leading(nlp, tmp_path: Path,
                                                      monkeypatch) -> None:
    """`diversi-\\nteitsplan`: the term starts the compound, as in `diversiteitsplan`: kept
    with the leading bonus, not judged at all when LEADING_WEIGHT is None."""
    split = ["Het diversi-\nteitsplan van de hogeschool wordt herschreven.",
             "Volgend jaar evalueert de raad het inte-\ngratiebeleid."]
    assert [(t, d) for t, s, d in seed_verdicts(nlp, split, tmp_path)] == [
        ("diversiteit", "keep"), ("integratie", "keep")]
    monkeypatch.setattr(senses_module, "LEADING_WEIGHT", None)
    found = seed_verdicts(nlp, split, tmp_path)
    assert [(t, d) for t, s, d in found] == [("diversiteit", None), ("integratie", None)]
    found = seed_verdicts(nlp, ["Veel arbeidsmigranten werken in de bouw.",
                                "De migratie van vis-\nsen wordt gehinderd door sluizen.",
                                "De hele inte-\ngratie duurde jaren."], tmp_path)
    judged = [(t, d is not None) for t, s, d in found if t in ("migratie", "integratie")]
    assert judged == [("migratie", False), ("migratie", True), ("integratie", True)]


def test_the_subject_of_a_predicate_hit_is_a_feature(nlp, tmp_path: Path) -> None:
    texts = ["Dat woord is in de sportwereld al jaren ingeburgerd.",
             "De integratie van nieuwkomers vraagt tijd."]
    tables = token_tables(nlp, texts, tmp_path)[0]
    verb = tables[0].words.index("ingeburgerd")
    noun = tables[1].words.index("integratie")
    assert hit_features(tables[0], verb, verb, len(tables[0].words) - 1).subject == "woord"
    assert hit_features(tables[1], noun, noun, len(tables[1].words) - 1).subject == ""


def test_seed_senses_for_plants_sounds_charts_software_and_words(nlp, tmp_path: Path) -> None:
    other = ["Langs de nieuwe fietsroute plant de provincie autochtone hagen van hazelaar.",
             "Bij het woord 'hutspot' zorgt assimilatie ervoor dat de t als een d klinkt.",
             "Die rapper is de opvallendste nieuwkomer in de top dertig van deze maand.",
             "Eerst komt de integratie met het ticketsysteem, daarna volgt de mobiele app.",
             "In het derde jaar leren de leerlingen goniometrische functies integreren.",
             "De uitdrukking 'no stress' is in de Vlaamse jongerentaal volledig ingeburgerd.",
             "Op de spoorwegberm bloeien allochtone kruiden uit Zuid-Europa."]
    social = ["In de wijk wonen autochtone en nieuwe Gentenaars door elkaar.",
              "Vroeger noemde de krant hen allochtone inwoners.",
              "Elke inburgeraar kan bij het loket terecht met vragen over huisvesting.",
              "Mijn tante woont hier twintig jaar en voelt zich volledig ingeburgerd."]
    terms = ("autochtoon", "assimilatie", "nieuwkomer", "integratie", "inburgering",
             "allochtoon")
    judged = [[d for t, s, d in seed_verdicts(nlp, [text], tmp_path) if t in terms]
              for text in other + social]
    assert judged == [["drop"]] * len(other) + [["keep"]] * len(social)


def test_a_short_first_half_before_a_line_break_hyphen_is_joined(nlp, tmp_path: Path) -> None:
    texts = ["Het colloquium over mi-\ngratie en arbeid trok veel volk.",
             "De prijzen voor in- en uitvoer stegen."]
    found = hits(nlp, TermMatcher.from_entries(load_seed()), texts, tmp_path)
    assert [(t, s) for t, s, *_ in found] == [("migratie", "mi-\ngratie")]


def test_diverse_after_al_ook_nog_wel_means_various(nlp, tmp_path: Path) -> None:
    texts = ["We hebben de verhuurder al diverse keren gemaild.",
             "Ook diverse bewoners van de straat tekenden het bezwaar.",
             "Het jeugdhuis trekt een zeer diverse groep jongeren aan."]
    found = hits(nlp, TermMatcher.from_entries(load_seed()), texts, tmp_path)
    assert [(t, s) for t, s, *_ in found] == [("diversiteit", "diverse")]


def test_a_split_hit_is_encoded_as_one_word(nlp, tmp_path: Path) -> None:
    text = "Het college keurde het plan voor de inte-\ngratie van nieuwkomers goed."
    table = token_tables(nlp, [text], tmp_path)[0][0]
    first = table.words.index("inte-")
    start, end = TermMatcher.sentence_of(table, first)
    assert "de integratie van nieuwkomers" in window_text(table, first, first + 1, start, end,
                                                          broken=True)
    found = seed_verdicts(nlp, [text], tmp_path)
    assert [(t, d) for t, s, d in found if t == "integratie"] == [("integratie", "keep")]


def test_l_for_i_between_consonants_is_an_ocr_repair(nlp, tmp_path: Path) -> None:
    texts = ["Het nieuwe discrimlnatieverbod geldt ook voor uitzendkantoren.",
             "De directie wil wereldlijke feesten niet verbieden."]
    fuzzy = hits(nlp, TermMatcher.from_entries(load_seed(), fuzzy=True), texts, tmp_path)
    assert [(t, s, f) for t, s, f, _ in fuzzy] == [("discriminatie", "discrimlnatieverbod",
                                                    True)]


def test_the_sense_step_reads_a_damaged_hit_as_its_repaired_word(nlp, tmp_path: Path) -> None:
    """`integratle` is judged as `integratie`: the same score as the undamaged sentence."""
    damaged = "De integratle van vluchtelingen in de sportclubs loopt goed."
    clean = "De integratie van vluchtelingen in de sportclubs loopt goed."
    matcher = TermMatcher.from_entries(load_seed(), fuzzy=True)
    table = token_tables(nlp, [damaged], tmp_path)[0][0]
    assert [m.fuzzy for m in matcher.match(table, damaged)] == [True, False]
    assert matcher.repaired_word("integratle") == "integratie"
    scores = []
    for text in (damaged, clean):
        seed = load_seed()
        model = SenseModel.build(seed, matcher, lambda t: token_tables(nlp, t, tmp_path)[0],
                                 tmp_path, TermSettings())
        table = token_tables(nlp, [text], tmp_path)[0][0]
        found = [(text, table, matcher.match(table, text, model.deferred))]
        scores += [v.score for (k, m), v in judge_senses(found, model).items()
                   if m.term_id == "integratie"]
    assert len(scores) == 2 and scores[0] == scores[1] and scores[0] >= 0.5


def test_inclusief_before_a_policy_noun_is_the_adjective(nlp, tmp_path: Path) -> None:
    texts = ["De hogeschool kiest voor inclusief onderwijs voor studenten met een beperking.",
             "De huur bedraagt 700 euro, inclusief lasten."]
    found = seed_verdicts(nlp, texts, tmp_path)
    assert [(s, d) for t, s, d in found if t == "inclusie"] == [("inclusief", "keep"),
                                                               ("inclusief", "drop")]


def test_seed_senses_for_markets_concrete_genes_taxes_schemas_and_websites(nlp,
                                                                          tmp_path: Path) -> None:
    """Second round of session 4: other senses the seed lexicon lacked examples for
    (vertical and partial integration, a promoted club or a new brand, concrete and
    Mendelian segregation, tax exiles, Piaget's assimilation, a phrase that is common usage, pages in other languages)."""
    other = ["De brouwerijgroep zoekt verticale integratie en koopt daarom haar eigen mouterij.",
             "In hoofdstuk vier leer je integratie door delen toepassen op een logaritme.",
             "De gepromoveerde basketbalclub is de nieuwkomer die iedereen wil kloppen.",
             "Bij het verpompen van de mortel ontstaat segregatie van zand en cement.",
             "In de tweede generatie erwten zag Mendel een segregatie van de zaadkleur.",
             "Enkele rijke fiscale vluchtelingen wonen in een villa aan de Franse grens.",
             "Het kind brengt de nieuwe speelgoedauto door assimilatie onder in zijn schema.",
             "Dat scheldwoord is in de kantine van de club al lang ingeburgerd.",
             "De anderstalige teksten op de website worden door een bureau vertaald."]
    social = ["Jonge vluchtelingen uit Eritrea wonen in een kleine opvangwoning in de stad.",
              "De segregatie tussen de scholen in onze stad wordt elk jaar groter.",
              "Veel anderstalige gezinnen begrijpen de brieven van de school niet.",
              "De integratie van Syrische gezinnen in de sportclub verloopt via een buddy.",
              "Als nieuwkomer vond hij via het OCMW een job in de bouw."]
    terms = ("integratie", "nieuwkomer", "segregatie", "vluchteling", "assimilatie",
             "inburgering", "anderstalige")
    judged = [[d for t, s, d in seed_verdicts(nlp, [text], tmp_path) if t in terms]
              for text in other + social]
    assert judged == [["drop"]] * len(other) + [["keep"]] * len(social)


def test_seed_exclusions_for_contests_trial_criteria_and_tax_exiles(nlp, tmp_path: Path) -> None:
    """A contest entrant `maakt gelijke kansen`, a trial's `inclusiecriteria` and a
    `belastingvluchteling` are no uses of the concepts; the social uses next to them are."""
    texts = ["Iedereen die het formulier invult, maakt gelijke kansen op een fietstocht.",
             "De inclusiecriteria van de klinische studie staan in bijlage twee.",
             "Die voetballer woont in Monaco, net als veel andere belastingvluchtelingen.",
             "De stad wil gelijke kansen voor elk kind, ook op school.",
             "Een erkende vluchteling mag hier meteen werken."]
    found = [[t for t, s, d in seed_verdicts(nlp, [text], tmp_path) if d != "drop"]
             for text in texts]
    assert found == [[], [], [], ["gelijke_kansen"], ["vluchteling"]]


def test_damaged_exclusions_immigrated_and_the_assimilation_debate(nlp, tmp_path: Path) -> None:
    """A multiword exclusion holds for an OCR-damaged hit too (`discrirninerend vermogen`),
    `geïmmigreerd` is a form of migratie, and a demand for assimilation in a debate is the
    social sense (also damaged: `assirnilatie`)."""
    texts = ["Vraag 7 heeft een hoog discrirninerend vermogen en blijft in de toets.",
             "Haar grootouders zijn in 1964 uit Turkije geïmmigreerd.",
             "Na de rellen eiste een deel van de raad assirnilatie van alle nieuwe inwoners.",
             "Werkgevers in de horeca discrirnineren nog te vaak op naam."]
    found = [[t for t, s, d in seed_verdicts(nlp, [text], tmp_path) if d != "drop"]
             for text in texts]
    assert found == [[], ["migratie"], ["assimilatie"], ["discriminatie"]]


def test_elliptic_and_damaged_compounds_that_start_with_the_term_are_leading(
        nlp, tmp_path: Path, monkeypatch) -> None:
    """`integratie- en inburgeringsbeleid` is integratiebeleid and inburgeringsbeleid; an OCR
    damaged `divcrsiteitsplan` is diversiteitsplan: the term is the modifier, a leading
    compound (kept; not judged at all when LEADING_WEIGHT is None)."""
    texts = ["De raad keurde het nieuwe integratie- en inburgeringsbeleid van de stad goed.",
             "Het divcrsiteitsplan van de hogeschool loopt af in juni."]
    assert [d for t, s, d in seed_verdicts(nlp, texts, tmp_path)] == ["keep"] * 3
    monkeypatch.setattr(senses_module, "LEADING_WEIGHT", None)
    found = seed_verdicts(nlp, texts, tmp_path)
    assert ("integratie", "integratie", None) in found
    assert ("inburgering", "inburgeringsbeleid", None) in found
    assert ("diversiteit", "divcrsiteitsplan", None) in found


def test_a_digit_or_symbol_between_letters_is_read_as_its_word(nlp, tmp_path: Path) -> None:
    """OCR wrote `1` for `l`: a short form (`inc1usie`, also a dictionary word) and a word of a
    multiword label (`ge1ijke kansen`) still give a fuzzy hit; codes such as `co2` and
    `2de` are no damage, and without the fuzzy pass nothing is repaired."""
    seed = load_seed()
    texts = ["Hoofdstuk 3 gaat over inc1usie op de werkvloer.",
             "4 Onderwijs en ge1ijke kansen in de basisschool ..... 17",
             "De 2de campus stoot minder co2 uit dan vroeger."]
    fuzzy = hits(nlp, TermMatcher.from_entries(seed, fuzzy=True), texts, tmp_path)
    assert [(t, s, f) for t, s, f, _ in fuzzy] == [("inclusie", "inc1usie", True),
                                                   ("gelijke_kansen", "ge1ijke kansen", True)]
    assert hits(nlp, TermMatcher.from_entries(seed), texts, tmp_path) == []
    repair = TermMatcher.from_entries(seed, fuzzy=True).fuzzy.symbol_repair
    assert [repair(w) for w in ("ge1ijke", "inc1usie", "co2", "2de", "a1")] == [
        "gelijke", "inclusie", None, None, None]


def test_a_compound_with_a_stray_space_is_one_hit_of_its_term(nlp, tmp_path: Path) -> None:
    """`migratie achtergrond` is migratieachtergrond only (no migratie hit inside it), while
    the glued spelling of a multiword label does not count: `anderstalige nieuwkomers`
    keeps both hits; `arbeids-` at the end of a line and `migranten` are one word."""
    seed = load_seed()
    texts = ["Bijna de helft van de leerlingen heeft een migratie achtergrond.",
             "De school heeft een onthaalklas voor anderstalige nieuwkomers.",
             "In de jaren zestig kwamen de eerste arbeids-\nmigranten naar Genk."]
    found = [(t, s) for t, s, *_ in hits(nlp, TermMatcher.from_entries(seed, fuzzy=True),
                                         texts, tmp_path)]
    assert found == [("migratieachtergrond", "migratie achtergrond"),
                     ("anderstalige", "anderstalige nieuwkomers"),
                     ("nieuwkomer", "nieuwkomers"),
                     ("migratie", "arbeids-\nmigranten")]


def test_a_word_class_no_other_sense_has_is_this_sense(nlp, tmp_path: Path) -> None:
    """The other sense of inburgering is only `ingeburgerd` (of a word, a habit): the noun
    is the social sense, also in a short sentence that looks like neither; `ingeburgerd` of
    a loanword is still dropped."""
    found = seed_verdicts(nlp, ["Aan inburgering dacht toen nog niemand.",
                                "Inburgering stond toen niet op de agenda.",
                                "Dat Engelse werkwoord is bij jongeren al lang ingeburgerd."],
                          tmp_path)
    assert [(t, d) for t, s, d in found] == [("inburgering", "keep"), ("inburgering", "keep"),
                                             ("inburgering", "drop")]


def test_diverse_before_a_plural_place_means_various(nlp, tmp_path: Path) -> None:
    """`in diverse wijken` is 'in various neighbourhoods'; `een diverse wijk` and `diverse
    teams` are about diversity."""
    found = seed_verdicts(nlp, ["In diverse wijken openen buurtwerkers deze zomer een "
                                "praatcafé.",
                                "Ze woont in een diverse wijk met veel jonge gezinnen.",
                                "Werkgevers die diverse teams willen, moeten anders werven."],
                          tmp_path)
    assert [d for t, s, d in found if t == "diversiteit"] == ["drop", "keep", "keep"]


def test_a_superlative_makes_diverse_gradable_so_about_diversity(nlp, tmp_path: Path) -> None:
    """`de meest diverse wijken`: 'various' has no degrees, so the superlative is the
    diversity of the neighbourhoods, unlike `in diverse wijken`."""
    found = seed_verdicts(nlp, ["De wervingsdag vindt plaats in de meest diverse wijken van "
                                "de stad.", "In diverse wijken openen buurtwerkers deze zomer "
                                "een praatcafé."], tmp_path)
    assert [d for t, s, d in found if t == "diversiteit"] == ["keep", "drop"]


def test_ocr_capital_i_and_e_for_c_are_read_as_the_word(nlp, tmp_path: Path) -> None:
    """A capital I inside a lower-case word is an OCR l (`incIusie`, `VIuchtelingen`); an e
    for a c is repaired into a whole form (`raeisme`, `migratieaehtergrond`) but never into a
    compound (`VN-Biodiversiteitsverdrag` stays biodiversity, an exclusion)."""
    texts = ["Hoofdstuk 3. Projectsubsidie voor incIusie in het jeugdwerk",
             "VIuchtelingen en sport: het buddyproject van de federatie",
             "Het meldpunt kreeg klachten over raeisme in de sporthal.",
             "Bij de aanwervingen had een vijfde een migratieaehtergrond.",
             "Het land trad in 1994 toe tot het VN-Biodiversiteitsverdrag.",
             "Een Ierse Iegende: BIjna iedereen kent het verhaal.",
             "Hoofdstuk 5  Personeelsbeleid en geIijke kansen ........ 17"]
    found = [(t, s, f) for t, s, f, _ in hits(nlp, TermMatcher.from_entries(load_seed(),
                                                                            fuzzy=True),
                                              texts, tmp_path)]
    assert found == [("inclusie", "incIusie", True), ("vluchteling", "VIuchtelingen", True),
                     ("racisme", "raeisme", True),
                     ("migratieachtergrond", "migratieaehtergrond", True),
                     ("gelijke_kansen", "geIijke kansen", True)]


def test_technical_compounds_of_segregatie_and_discriminatie_are_exclusions(
        nlp, tmp_path: Path) -> None:
    """Metallurgy (`macrosegregatie`) and perception (`discriminatievermogen`) give no hit;
    `woonsegregatie` and `arbeidsmarktdiscriminatie` do."""
    found = seed_verdicts(nlp, ["Door trage afkoeling ontstaat macrosegregatie in het blok.",
                                "Met wat oefening verbetert het discriminatievermogen voor "
                                "kleuren.",
                                "Woonsegregatie en arbeidsmarktdiscriminatie versterken "
                                "elkaar."], tmp_path)
    assert [(t, s) for t, s, _ in found] == [("segregatie", "Woonsegregatie"),
                                             ("discriminatie", "arbeidsmarktdiscriminatie")]


def test_a_label_phrase_split_by_a_line_break_hyphen_is_found(nlp, tmp_path: Path) -> None:
    """PDF text: the long word of a multiword label (`gelijke onderwijs-\nkansen`) or its
    other word (`onbewust racis-\nme`) split by a line-break hyphen is still the label; an
    elliptic `onderwijs- en opleidingskansen` is no split word."""
    texts = ["Er is nood aan gelijke onderwijs-\nkansen voor alle kinderen in de stad.",
             "De werkgever gaf toe dat onbewust racis-\nme een rol speelde.",
             "Het gaat om gelijke onderwijs- en opleidingskansen."]
    found = [(t, s) for t, s, _, _ in hits(nlp, TermMatcher.from_entries(load_seed()), texts,
                                           tmp_path)]
    assert ("gelijke_kansen", "gelijke onderwijs-\nkansen") in found
    assert ("onbewust_racisme", "onbewust racis-\nme") in found
    assert not [s for t, s in found if "opleidingskansen" in s]


def test_a_word_named_as_a_word_and_a_glued_article(nlp, tmp_path: Path) -> None:
    """`'t woord "autochtoon"`: the speaker names the delicate word itself, which lifts the
    score (MENTION_WEIGHT); `deminderheden` is encoded as `de minderheden`."""
    text = ['Deelnemer 4: \'t Woord "autochtoon", da zeggen ze hier nog altijd.']
    with_mention = [d for t, s, d in seed_verdicts(nlp, text, tmp_path) if t == "autochtoon"]
    assert with_mention != ["drop"]
    seed = load_seed()
    matcher = TermMatcher.from_entries(seed, fuzzy=True)
    model = SenseModel.build(seed, matcher, lambda t: token_tables(nlp, t, tmp_path)[0],
                             tmp_path, TermSettings())
    table = token_tables(nlp, text, tmp_path)[0][0]
    named = [m for m in matcher.match(table, text[0], model.deferred)
             if m.term_id == "autochtoon"][0]
    parts = model.components(table, named, text[0])
    assert parts.mention == 1
    assert dataclasses.replace(parts, mention=0).score() < parts.score()
    glued = "Wie tot deminderheden behoorde, kreeg minder uitnodigingen."
    table = token_tables(nlp, [glued], tmp_path)[0][0]
    hit = [m for m in matcher.match(table, glued, model.deferred) if m.term_id == "minderheid"]
    sentence, window = model._texts(table, hit[0], glued)
    assert "de minderheden" in sentence and "de minderheden" in window


def test_definite_diverse_and_inclusief_after_a_verb(nlp, tmp_path: Path) -> None:
    """`de diverse vondsten` is 'the various finds' (a definite article is no degree),
    `de diverse bevolking` the diverse population; `worden inclusief douanedocumenten
    verstuurd` is 'including', `het beleid is inclusief.` the adjective."""
    found = seed_verdicts(nlp, ["De diverse vondsten uit de kelder gaan naar het museum.",
                                "De diverse bevolking van de wijk vraagt om een ander aanbod.",
                                "De pakjes worden inclusief douanedocumenten verstuurd.",
                                "Het nieuwe jeugdbeleid van de gemeente is inclusief."], tmp_path)
    assert [(t, d) for t, s, d in found] == [("diversiteit", "drop"), ("diversiteit", "keep"),
                                             ("inclusie", "drop"), ("inclusie", "keep")]


def test_technical_senses_named_in_the_lexicon_give_no_hit(nlp, tmp_path: Path) -> None:
    """Exclusions for data assimilation in weather models, inclusion bodies in cells, a
    promoted club in a league and a chromatography distance; immigrating is migration of
    people (an example of this sense has the verb, no example of another sense has it)."""
    found = seed_verdicts(nlp, ["Het weermodel gebruikt data-assimilatie van radarbeelden.",
                                "In de cellen zag de patholoog inclusielichaampjes.",
                                "FC Zonnebeke is de nieuwkomer in eerste provinciale.",
                                "Meet de migratie-afstand van elke vlek op de plaat.",
                                "Haar ouders zijn in 1970 uit Marokko naar Gent geïmmigreerd."],
                          tmp_path)
    assert [(t, d) for t, s, d in found] == [("migratie", "keep")]


def test_the_passage_decides_what_a_sentence_alone_cannot(nlp, tmp_path: Path,
                                                          monkeypatch) -> None:
    """The same sentence after sentences about migratory birds, after sentences about
    families who came to live here, and alone: only the domain signal differs (the passage
    against all examples of the lexicon's senses and of the other senses), so the scores
    rank birds < alone < families; without it they are equal."""
    last = "De migratie verliep sneller dan verwacht."
    texts = ["De trekvogels vertrokken vroeg dit jaar. De zwaluwen en de ooievaars vlogen al in "
             "augustus naar Afrika. " + last,
             last,
             "Veel gezinnen uit Syrië kwamen hier wonen en zochten werk en een school voor de "
             "kinderen. " + last]

    birds, alone, families = judged_scores(nlp, texts, tmp_path)
    assert birds < alone < families and birds < 0.4
    monkeypatch.setattr(senses_module, "DOMAIN_WEIGHT", 0.0)
    assert len(set(judged_scores(nlp, texts, tmp_path))) == 1


def test_damaged_label_words_neighbour_terms_and_technical_compounds(nlp,
                                                                     tmp_path: Path) -> None:
    """A word of a multiword label with one OCR confusion (`bescherrning`) still gives the
    label; a noun right beside a noun of another term is that term (`Wet inburgering
    nieuwkomers`); plural `inclusies` (glass, gems) and test or script compounds are
    exclusions."""
    found = seed_verdicts(nlp, ["Hij is verzoeker om internationale bescherrning sinds maart.",
                                "Zo staat het in artikel 13 van de Wet inburgering nieuwkomers.",
                                "Het glas bevat kleine inclusies van zandkorrels.",
                                "Na de unittests volgen de integratietesten en de "
                                "migratiescripts."], tmp_path)
    assert [(t, d) for t, s, d in found] == [("asielzoeker", None), ("inburgering", "keep"),
                                             ("nieuwkomer", "keep")]


def test_a_quoted_word_a_5_for_s_and_a_postposed_inclusief(nlp, tmp_path: Path) -> None:
    """A term alone between quotation marks is the word talked about (the mention signal);
    `raci5me` is racisme (5 for s); `water inclusief.` after a noun at the end of a clause is
    'included', `is inclusief.` the adjective."""
    quoted = 'Deelnemer 3: Ze noemen mij na twintig jaar nog altijd "nieuwkomer" op het werk.'
    seed = load_seed()
    matcher = TermMatcher.from_entries(seed, fuzzy=True)
    model = SenseModel.build(seed, matcher, lambda t: token_tables(nlp, t, tmp_path)[0],
                             tmp_path, TermSettings())
    table = token_tables(nlp, [quoted], tmp_path)[0][0]
    hit = matcher.match(table, quoted, model.deferred)[0]
    parts = model.components(table, hit, quoted)
    assert parts.mention == 1 and dataclasses.replace(parts, mention=0).score() < parts.score()
    speech = 'De schepen zei: "Elke nieuwkomer krijgt een buddy uit de buurt."'
    table = token_tables(nlp, [speech], tmp_path)[0][0]
    hit = matcher.match(table, speech, model.deferred)[0]
    assert model.components(table, hit, speech).mention == 0   # a quoted sentence
    found = seed_verdicts(nlp, ["Het meldpunt kreeg klachten over raci5me in de sporthal.",
                                "Een tuinperceel kost 40 euro per jaar, water inclusief.",
                                "Het jeugdbeleid van onze gemeente is inclusief.",
                                "Deelnemer 2: Da's nie inclusief, da's uitsluiten."], tmp_path)
    assert [(t, d) for t, s, d in found] == [("racisme", None), ("inclusie", "drop"),
                                             ("inclusie", "keep"), ("inclusie", "keep")]


def test_gelijke_kansen_in_games_is_judged_and_dropped(nlp, tmp_path: Path) -> None:
    """A multiword term's phrase is judged: even odds in a match or a raffle are no equal
    opportunities; the policy use and the name of a service are. Phonetic `regressieve
    assimilatie` and `gelijke kansen op de titel` are exclusions."""
    found = seed_verdicts(nlp, ["Met nog tien minuten te spelen hadden beide ploegen weer "
                                "gelijke kansen.",
                                "Bij de loting kregen alle clubs gelijke kansen op de titel.",
                                "Het OCMW wil gelijke kansen op werk voor jongeren zonder "
                                "diploma.",
                                "Ze werkt bij de dienst Gelijke Kansen van de provincie.",
                                "De d in 'zakdoek' klinkt als een t: regressieve assimilatie."],
                          tmp_path)
    assert [(t, d) for t, s, d in found] == [("gelijke_kansen", "drop"),
                                             ("gelijke_kansen", "keep"),
                                             ("gelijke_kansen", "keep")]


def test_inclusief_after_a_comma_means_including(nlp, tmp_path: Path) -> None:
    """`, inclusief jobstudenten`: the tagger may take the unknown plural for a verb, which
    would keep the adjective; after a comma only a punctuation mark or conjunction does
    (`toegankelijk, inclusief en betaalbaar`)."""
    found = seed_verdicts(nlp, ["Het reglement geldt voor alle medewerkers, inclusief "
                                "jobstudenten en stagiairs.",
                                "De huurprijs bedraagt 750 euro, inclusief verwarmingskosten.",
                                "Onze dienstverlening moet toegankelijk, inclusief en "
                                "betaalbaar zijn."], tmp_path)
    assert [d for t, s, d in found] == ["drop", "drop", "keep"]


def test_an_exclusion_holds_when_its_last_word_starts_a_compound(nlp, tmp_path: Path) -> None:
    """`allochtoon gesteente` also excludes `allochtoon gesteenteblok`; geological
    `autochtone` layers and a calculus exercise with a formula are other senses."""
    found = seed_verdicts(nlp, ["In de groeve zie je een allochtoon gesteenteblok op de "
                                "kalksteen liggen.",
                                "Onder de overschoven lagen ligt het autochtone substraat van "
                                "het bekken.",
                                "Bereken met integratie de inhoud onder g(x) = 2x + 1 tussen "
                                "x = 0 en x = 2."], tmp_path)
    assert [(t, d) for t, s, d in found] == [("autochtoon", "drop"), ("integratie", "drop")]


def test_a_form_or_lemma_no_other_sense_has_is_this_sense(nlp, tmp_path: Path) -> None:
    """The other senses of migratie are all `migratie` (birds, data), of autochtoon the
    adjective (plants, rock): `migranten` and the noun `autochtonen` are people."""
    texts = ["Na tien jaar keren weinig migranten terug.",
             "Ook bij de autochtonen leeft dat gevoel.",
             "De migratie van de grutto's begint in maart."]
    found = [(t, d) for t, s, d in seed_verdicts(nlp, texts, tmp_path)
             if t in ("migratie", "autochtoon")]
    assert found == [("migratie", "keep"), ("autochtoon", "keep"), ("migratie", "drop")]


def test_diminutives_spaced_damage_and_split_exclusions(nlp, tmp_path: Path) -> None:
    """A diminutive is a form of its term (`nieuwkomertjes`); an OCR-damaged first word of a
    compound with a stray space is still that compound (`rnigratie achtergrond`); an
    exclusion with a hyphen holds when a line break splits it (`re-\\nintegratie`), and a
    calculus compound is an exclusion (`integratieconstante`)."""
    seed = load_seed()
    texts = ["In de klas van mijn dochter zitten twee nieuwkomertjes uit Syrië.",
             "Een derde van de inwoners heeft een rnigratie achtergrond.",
             "Het aantal werknemers in een traject van re-\nintegratie steeg opnieuw.",
             "Vergeet de integratieconstante niet bij een onbepaalde integraal."]
    found = [(t, s, f) for t, s, f, _ in hits(nlp, TermMatcher.from_entries(seed, fuzzy=True),
                                              texts, tmp_path)]
    assert found == [("nieuwkomer", "nieuwkomertjes", False),
                     ("migratieachtergrond", "rnigratie achtergrond", True)]


def test_discriminatie_between_signals_is_another_sense(nlp, tmp_path: Path) -> None:
    """Since the seed has sense examples for discriminatie, its hits are judged: telling two
    signals apart is dropped, discrimination on the housing market kept."""
    found = seed_verdicts(nlp, ["De detector maakt discriminatie tussen twee signalen "
                                "mogelijk.",
                                "Discriminatie op de woningmarkt blijft groot."], tmp_path)
    assert [(t, d) for t, s, d in found] == [("discriminatie", "drop"),
                                             ("discriminatie", "keep")]


def test_a_hit_coordinated_with_another_term_is_this_sense(nlp, tmp_path: Path) -> None:
    """`Diversiteit en inc1usie` in a page header: the partner term lifts the damaged
    `inclusie`, read as its repaired word (its form and lemma are `inclusie`, so the word-form
    signal counts too)."""
    text = "Hoofdstuk 4 blz. 12 4.2 Diversiteit en inc1usie De raad keurt het plan goed."
    assert ("inclusie", "inc1usie", "keep") in seed_verdicts(nlp, [text], tmp_path)
    seed = load_seed()
    matcher = TermMatcher.from_entries(seed, fuzzy=True)
    model = SenseModel.build(seed, matcher, lambda t: token_tables(nlp, t, tmp_path)[0],
                             tmp_path, TermSettings())
    table = token_tables(nlp, [text], tmp_path)[0][0]
    hit = [m for m in matcher.match(table, text, model.deferred) if m.term_id == "inclusie"][0]
    parts = model.components(table, hit, text)
    assert parts.partner == 1 and parts.unseen == 1
    assert dataclasses.replace(parts, partner=0).score() < parts.score()


def test_a_sentence_vector_does_not_depend_on_the_other_texts() -> None:
    """Encoded alone or among others, a sentence gets the same vector to the last bit, so a
    hit's sense score is the same in a local and in a Dask run."""
    texts = ["De integratie van nieuwkomers verloopt traag.",
             "Een veel langere zin over de migratie van kraanvogels boven de Kempen in het "
             "najaar, met nog een bijzin erbij.", "Kort."]
    together = SentenceEmbeddings(None).embed(texts)
    alone = np.stack([SentenceEmbeddings(None).embed([text])[0] for text in texts])
    assert np.array_equal(together, alone)


def test_emigration_verbs_and_discriminating_filters(nlp, tmp_path: Path) -> None:
    """`geëmigreerd` is a form of migratie; a filter that `discrimineert` between pulses and
    noise is another sense (the seed has a verb example of it), employers who
    `discrimineren` on origin are not."""
    found = seed_verdicts(nlp, ["Mijn tante is in 1962 naar Canada geëmigreerd.",
                                "Het filter discrimineert tussen echte pulsen en ruis op de "
                                "lijn.",
                                "Werkgevers die discrimineren op afkomst riskeren een boete."],
                          tmp_path)
    assert [(t, d) for t, s, d in found] == [("migratie", "keep"), ("discriminatie", "drop"),
                                             ("discriminatie", "keep")]


def test_een_diverse_before_another_noun_is_no_rule_signal(nlp, tmp_path: Path) -> None:
    """The determiner makes `diverse` the adjective, not the adjective of diversity: `een
    diverse keuze aan garens` (varied) gives the sense step no rule signal (0), `een diverse
    groep` keeps its +1 and a bare plural `diverse hoeken` its -1."""
    matcher = TermMatcher.from_entries(load_seed())
    texts = ["De winkel biedt een diverse keuze aan garens en knopen.",
             "We werken met een diverse groep vrijwilligers uit de buurt.",
             "Uit diverse hoeken kwamen vragen over de markt."]
    signals = []
    for text, table in zip(texts, token_tables(nlp, texts, tmp_path)[0]):
        hit = [m for m in matcher.match(table, text, frozenset({"diversiteit"}))
               if m.term_id == "diversiteit"][0]
        signals.append(matcher.rule_verdict(table, hit.first))
    assert signals == [0, 1, -1]


def test_an_unjudged_term_in_the_passage_is_company(nlp, tmp_path: Path, monkeypatch) -> None:
    """`nieuwkomers` is judged; `racisme` in the same passage is not (no other sense): the
    passage is about the subject, which lifts the score of the judged hit. Without the other
    term, or with COMPANY_WEIGHT 0, the same sentence scores lower."""
    last = "Voor de nieuwkomers in ons team is dat zwaar."
    texts = ["Op de werkvloer hoor ik elke week racisme. " + last,
             "Op de werkvloer hoor ik elke week lawaai. " + last]

    with_company, without = judged_scores(nlp, texts, tmp_path, "nieuwkomer")
    monkeypatch.setattr(senses_module, "COMPANY_WEIGHT", 0.0)
    flat = judged_scores(nlp, texts, tmp_path, "nieuwkomer")
    assert flat[0] < with_company and without == pytest.approx(flat[1], abs=1e-3)


def test_seed_exclusions_for_votes_and_packaging_tests(nlp, tmp_path: Path) -> None:
    """An amendment that `blijft minderheid` is outvoted, a `migratietest` measures what a
    package gives off; a minority that stays small and migration policy are kept."""
    found = seed_verdicts(nlp, ["Het voorstel van de oppositie blijft minderheid en wordt "
                                "afgevoerd.",
                                "De migratietest op de kunststof bakjes was conform.",
                                "De Roma zijn in deze stad een kleine, kwetsbare minderheid.",
                                "Het migratiebeleid van de federale regering wordt strenger."],
                          tmp_path)
    assert [(t, s) for t, s, d in found if d != "drop"] == [("minderheid", "minderheid"),
                                                           ("migratie", "migratiebeleid")]


def test_a_longer_term_split_over_a_line_and_a_short_spaced_word(nlp, tmp_path: Path) -> None:
    """`onbewust racis-` / `tisch` is the longer term (its phrase), not racisme; `rac isme`
    with a stray space after three letters is one hit of racisme; `nie` and `min` stay
    words."""
    found = seed_verdicts(nlp, ["Vindt u dat nu onbewust racis-\ntisch gedrag van de portier?",
                                "Het clubblad zegt nee tegen rac isme op en naast het veld.",
                                "Ik zeg nie dat het min der erg is."], tmp_path)
    assert [(t, s) for t, s, d in found] == [("onbewust_racisme", "onbewust racis-\ntisch"),
                                             ("racisme", "rac isme")]


def test_a_noun_then_niet_inclusief_at_the_end_is_not_included(nlp, tmp_path: Path) -> None:
    """`plaatsing niet inclusief.` (a price that does not include the fitting) is dropped;
    a club that `is niet inclusief` stays the adjective."""
    found = seed_verdicts(nlp, ["Badkamer op maat: 6.200 euro, levering niet inclusief.",
                                "Eerlijk gezegd is onze turnclub nog niet inclusief."],
                          tmp_path)
    assert [d for t, s, d in found if t == "inclusie"] == ["drop", "keep"]


def test_veel_diverse_and_diverse_before_a_participle_mean_various(nlp, tmp_path: Path) -> None:
    """`veel diverse partners` (many various partners) and `diverse geplande activiteiten` (a
    participle before the noun) are 'various'; `een zeer diverse ploeg` stays diversity."""
    found = seed_verdicts(nlp, ["Eerlijk is eerlijk: veel diverse verenigingen doen elk een "
                                "klein stukje.",
                                "De dienst verplaatst diverse geplande activiteiten naar het "
                                "najaar.",
                                "Het is een zeer diverse ploeg met spelers uit vier landen."],
                          tmp_path)
    assert [d for t, s, d in found if t == "diversiteit"] == ["drop", "drop", "keep"]


def test_a_second_half_with_the_full_stop_is_joined_without_it(nlp, tmp_path: Path) -> None:
    """The tokenizer keeps `gen.` as one token (an abbreviation); `vluchtelin-` + `gen.` at
    the end of a sentence is still `vluchtelingen`, and the hit ends before the full stop."""
    text = "Op de boot zaten vissers, handelaars en vluchtelin-\ngen. Niemand sprak Nederlands."
    found = seed_verdicts(nlp, [text], tmp_path)
    assert [(t, s) for t, s, d in found] == [("vluchteling", "vluchtelin-\ngen")]


def test_conjunction_dat_verb_zijn_and_focus_wel_are_no_determiners(nlp, tmp_path: Path) -> None:
    """`dat diverse ouders` (that, the conjunction, before a bare plural), `de prijzen zijn
    inc1usief de huur` (the verb) and `is wel inclusief een ontbijt` (a focus adverb) mean
    'various' and 'including'; an unknown plural noun tagged as a verb after `diverse` is no
    predicate (`diverse kerkliederen`)."""
    found = seed_verdicts(nlp, ["De directeur merkt op dat diverse ouders al een cursus "
                                "Nederlands volgen.",
                                "Art. 4 De prijzen zijn inc1usief de huur van de zaal.",
                                "De overnachting is wel inclusief een ontbijt, dat scheelt.",
                                "Vraag 3. Noem diverse kerkliederen uit de barok."], tmp_path)
    assert [d for t, s, d in found if t in ("diversiteit", "inclusie")] == ["drop"] * 4


def test_seed_exclusions_for_one_species_and_a_sailing_class(nlp, tmp_path: Path) -> None:
    """`een allochtone soort` (a plant or animal species from elsewhere) and `nieuwkomer in
    deze klasse` (a racing class) are no uses; allochtone leerlingen are."""
    found = seed_verdicts(nlp, ["De Japanse duizendknoop is een allochtone soort langs de "
                                "rivier.",
                                "Als nieuwkomer in deze klasse zeilde ze meteen naar brons.",
                                "Het aandeel allochtone leerlingen stijgt in de stad."],
                          tmp_path)
    assert [(t, s) for t, s, d in found if d != "drop"] == [("allochtoon", "allochtone")]
