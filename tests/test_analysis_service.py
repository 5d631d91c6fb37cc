"""The service layer the CLI and the page *Termen* share (`pipeline.analysis.service`):
loading hits, choosing and filtering a term, the concordance, comparisons, the corpus for
collocations and the display tables. Imported from the library, not from app_pages."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.analysis.service import (HitFilter, assemble_corpus, collocation_basis,
                                       collocation_table, compare, concordance,
                                       concordance_table, filter_term, keyness_table,
                                       lexicon_entries, lexicon_labels,
                                       round_options, stored_hits, term_choice,
                                       term_collocations, usage_summary)
from pipeline.core.errors import FocuslexError
from pipeline.core.settings import Settings
from pipeline.store.database import Store
from tests.test_app_terms import add_lexicon, ingest, seed_hits


@pytest.fixture
def filled(settings: Settings, store: Store) -> Store:
    ingest(settings, store)
    assert seed_hits(store) == 11
    add_lexicon(store)
    return store


def test_an_empty_store_has_no_hits_and_says_so(store: Store) -> None:
    with pytest.raises(FocuslexError) as info:
        stored_hits(store)
    assert info.value.code == "FX-TRM-052"
    assert lexicon_entries(store) == {} and lexicon_labels(store) == {}


def test_terms_are_offered_most_used_first_with_lexicon_labels(filled: Store) -> None:
    choice = term_choice(stored_hits(filled), lexicon_entries(filled))
    assert choice.options == ["integratie", "discriminatie"]
    assert choice.counts == {"integratie": 7, "discriminatie": 4}
    assert choice.caption("discriminatie") == "discriminatie (4×)"


def test_filter_by_round_speaker_mention_and_negation(filled: Store) -> None:
    hits = stored_hits(filled)
    assert round_options(filter_term(hits, "integratie")) == ["1", "2"]
    assert len(filter_term(hits, "integratie", HitFilter(rounds=["2"]))) == 2
    quoted = filter_term(hits, "integratie", HitFilter(mention="mention"))
    assert quoted["text"].tolist() == ["integratie"] and quoted["mention"].tolist() == ["quoted"]
    negated = filter_term(hits, "discriminatie", HitFilter(negated=True))
    assert len(negated) == 1 and negated["round"].tolist() == [1]
    assert filter_term(hits, "integratie", HitFilter(rounds=["zonder ronde"])).empty


def test_concordance_cuts_context_from_the_stored_text(filled: Store) -> None:
    hits = filter_term(stored_hits(filled), "discriminatie", HitFilter(rounds=["2"]))
    lines = concordance(filled, hits, width=30)
    assert len(lines) == 3
    table = concordance_table(lines)
    assert list(table.columns[:3]) == ["links", "term", "rechts"]
    assert table["term"].str.casefold().eq("discriminatie").all()
    assert set(table["ronde"]) == {"2"}
    assert (table["links"].iloc[0], table["rechts"].iloc[0]) == ("Waar zien jullie", "?")
    assert table["rechts"].iloc[1].startswith("dagelijkse kost")


def test_usage_summary_of_one_term(filled: Store) -> None:
    summary = usage_summary(filter_term(stored_hits(filled), "integratie"))
    assert (summary.hits, summary.documents, summary.rounds) == (7, 2, 2)
    assert summary.mentioned == 1 and summary.negated == 0
    assert list(summary.by_group.columns) == ["groep", "gebruik"]
    assert summary.by_group["gebruik"].sum() == 7
    assert usage_summary(filter_term(stored_hits(filled), "racisme")) is None


def test_compare_and_the_keyness_table_agree(filled: Store, settings: Settings) -> None:
    hits = stored_hits(filled)
    by_round = compare(filled, hits, "round")
    assert set(by_round["category"]) == {"1", "2"}
    corpus = assemble_corpus(filled, settings.paths.cache_dir)
    shown = keyness_table(filter_term(hits, "integratie"), corpus.counts, "round")
    expected = by_round[by_round["term_id"] == "integratie"]
    assert shown["ronde"].tolist() == expected["category"].tolist()
    assert shown["G²"].tolist() == expected["g2"].round(2).tolist()


def test_the_corpus_without_an_analysis_uses_word_forms(filled: Store, settings: Settings
                                                        ) -> None:
    corpus = assemble_corpus(filled, settings.paths.cache_dir)
    assert corpus.parsed_share == 0.0
    assert "zonder stopwoorden" in collocation_basis(corpus.parsed_share)
    assert int(corpus.counts["words"].sum()) == sum(
        len(u.text.split()) for u in filled.stored_utterances())
    colls = term_collocations(corpus, stored_hits(filled), "integratie", min_count=2)
    overall = collocation_table(colls, "")
    assert list(overall.columns) == ["woord", "samen", "frequentie", "G²", "logDice"]
    assert (overall["samen"] >= 2).all()
    assert collocation_table(colls, "geen-groep").empty
    assert "lemma's" in collocation_basis(1.0) and "50%" in collocation_basis(0.5)


def test_display_tables_of_empty_input_keep_their_columns() -> None:
    empty = pd.DataFrame(columns=["collocate", "cooc", "collocate_freq", "g2", "log_dice",
                                  "group"])
    assert list(collocation_table(empty, "")) == ["woord", "samen", "frequentie", "G²",
                                                  "logDice"]
