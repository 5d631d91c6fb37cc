"""The one fold family of `pipeline.core.text`: what each key keeps and drops (ë, ï, ß, case,
whitespace), and that `fold` and `fold_with_map` keep offsets into the original text."""

from __future__ import annotations

import unicodedata

import pytest

from pipeline.core.text import (fold, fold_all, fold_with_map, fold_word, label_key, normalise_label,
                                search_key, stop_word_keys)

SENTENCE = "Geïntegreerde Vlaamse Straße, ‘coördinatie’ en Ayşe's BEËINDIGING"


def test_fold_strips_accents_and_case_one_character_for_one() -> None:
    folded = fold(SENTENCE)
    assert folded == "geintegreerde vlaamse strase, 'coordinatie' en ayse's beeindiging"
    assert len(folded) == len(SENTENCE)


def test_a_match_in_the_folded_text_is_at_the_same_offsets_in_the_original() -> None:
    start = fold(SENTENCE).index("ayse's")
    assert SENTENCE[start:start + len("ayse's")] == "Ayşe's"
    start = fold(SENTENCE).index("strase")
    assert SENTENCE[start:start + 6] == "Straße"


def test_fold_word_casefolds_and_may_change_the_length() -> None:
    assert fold_word("Straße") == "strasse"  # casefold: ß -> ss (fold keeps one character)
    assert fold("Straße") == "strase"
    assert fold_word("GEÏNTEGREERD") == fold_word("geintegreerd") == "geintegreerd"
    assert fold_word("ﬁnanciering") == "financiering"  # compatibility ligature decomposed
    assert fold_word("  twee  woorden ") == "  twee  woorden "  # whitespace kept


def test_fold_with_map_points_every_folded_character_back() -> None:
    text = "Beëindigde Straße"
    folded, positions = fold_with_map(text)
    assert folded == fold_word(text) == "beeindigde strasse"
    assert len(positions) == len(folded)
    assert text[positions[folded.index("eindig")]] == "ë"
    assert [text[positions[i]] for i, c in enumerate(folded) if c == "s"][-3:] == ["S", "ß", "ß"]
    decomposed = unicodedata.normalize("NFD", "geïntegreerd")
    folded, positions = fold_with_map(decomposed)
    assert folded == "geintegreerd" and len(decomposed) == len(folded) + 1
    ascii_text, ascii_positions = fold_with_map("Integratie")
    assert ascii_text == "integratie" and list(ascii_positions) == list(range(10))


def test_search_key_also_collapses_whitespace() -> None:
    assert search_key("  Onbewust \n  RACISME ") == "onbewust racisme"
    assert search_key("geïntegreerd") == search_key("Geintegreerd")


def test_label_key_keeps_accents_so_a_misspelling_stays_its_own_label() -> None:
    assert label_key(" Geïntegreerd  Beleid") == "geïntegreerd beleid"
    assert label_key("geintegreerd") != label_key("geïntegreerd")
    assert label_key(unicodedata.normalize("NFD", "geïntegreerd")) == label_key("geïntegreerd")


@pytest.mark.parametrize("label,key", [("Ayşe_Demir:", "ayse demir"),
                                       ("  Jan   Roos - ", "jan roos"),
                                       ("FAC1.", "fac1")])
def test_speaker_labels_as_keys(label: str, key: str) -> None:
    assert normalise_label(label) == key


def test_stop_words_are_fold_keys() -> None:
    words = stop_word_keys()
    assert "een" in words and "niet" in words
    assert all(word == fold(word) for word in words)


def test_fold_all_is_fold_of_each_text() -> None:
    texts = ["Geïntegreerde", "ÇA VA", "Straße", "İlkay", "", "rechtszaak", "Ærø", "a\x00B"]
    assert fold_all(texts) == [fold(t) for t in texts]
    assert fold_all(texts[:-1]) == [fold(t) for t in texts[:-1]]
    assert fold_all([]) == []
    assert fold("Nieuwkomer") == "nieuwkomer" and fold_word("INTEGRATIE") == "integratie"
