"""Names review at scale (issue 14): the review table (plain Dutch cues, whole-word snippets,
least sure first), filters by upload and document, bulk decisions with an undo, and the page
(AppTest). Fixtures are small fictional Dutch texts written for these tests."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from pipeline.core.settings import Settings
from pipeline.privacy.detect import NameDetector
from pipeline.privacy.review import (ReviewBook, certainty_label, decide_names, kept_candidates,
                                     plain_cue, review_path, review_rows, undo_bulk, uploads,
                                     whole_word_snippet)
from pipeline.store.database import Store
from tests.conftest import app_login
from tests.test_names import TRANSCRIPT, ingest, nlp, stored_texts  # noqa: F401 (fixture)

REPO = Path(__file__).resolve().parent.parent
SECOND = """Hilde Verstraeten: Welkom terug. Wie begint?
Ayşe Demir: Op de vergadering zei mevrouw Lambrechts dat de wachtlijsten langer worden. Mijn buurvrouw Zerrin wacht al een jaar op een taalcursus in Hasselt.
Jan Wouters: Bij ons op de werkvloer werkt een jongen die Wout heet; dat zegt genoeg.
"""
JARGON = re.compile(r"gevonden via|\blijst, titel\b|\bpropn\b")


def _book(settings: Settings) -> ReviewBook:
    return ReviewBook.load(review_path(settings))


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text))


def test_snippet_is_cut_between_words_only() -> None:
    text = ("In de wijk rond het station zei de nieuwe coördinator, schepen Vermeulen, dat de "
            "buurtwerking volgend jaar opnieuw subsidies krijgt voor de taalcafés.")
    start = text.index("Vermeulen")
    snippet = whole_word_snippet(text, start, start + len("Vermeulen"), width=25)
    assert "⟦Vermeulen⟧" in snippet and snippet.startswith("…") and snippet.endswith("…")
    inner = snippet.strip("… ").replace("⟦", "").replace("⟧", "")
    assert inner in text  # one piece of the text, so no word was cut in half
    assert _words(inner) <= _words(text)
    # a text already cut on both sides: its partial edge words are dropped
    cut = "ordinator, schepen ⟦Vermeulen⟧, dat de buurtwerk"
    plain = cut.replace("⟦", "").replace("⟧", "")
    begin = plain.index("Vermeulen")
    shown = whole_word_snippet(plain, begin, begin + 9, cut_left=True, cut_right=True)
    assert shown == "… schepen ⟦Vermeulen⟧, dat de …"


def test_plain_cues_and_certainty() -> None:
    reason = "na een titel of rol (mevrouw, schepen, mijn collega)"  # a rule's stored reason
    assert plain_cue(reason)[0].startswith("staat na een titel of rol")
    assert plain_cue("lijst") == plain_cue("voornaam of familienaam uit de namenlijst")
    assert plain_cue(reason)[1] > plain_cue("lijst")[1]
    assert certainty_label(0.3) == "twijfel" and certainty_label(0.9) == "zeker"


def test_rows_are_least_sure_first_with_one_whole_word_snippet(settings: Settings, store: Store,
                                                               nlp) -> None:
    ingest(settings, store, nlp)
    rows = review_rows(_book(settings))
    assert rows and [r.confidence for r in rows] == sorted(r.confidence for r in rows)
    by_name = {r.shown: r for r in rows}
    assert by_name["Roos"].cue.startswith("staat na een titel of rol")
    assert by_name["Sofie Peeters"].kind == "voor- en familienaam"
    assert by_name["Greetje"].kind == "voornaam"
    texts = " ".join(stored_texts(store))
    for row in rows:
        assert not JARGON.search(row.cue)
        assert row.context.count("⟦") == 1  # one snippet, not one per mention
        assert f"⟦{row.shown}" in row.short_context  # the table's short one keeps the name
        assert len(row.short_context) <= len(row.context)
        core = row.context.strip("… ").split("⟦")[0].split()
        # every word of the snippet left of the name stands whole in the stored text
        assert all(re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", texts) for w in core)


def test_filter_by_upload_and_document(settings: Settings, store: Store, nlp) -> None:
    ingest(settings, store, nlp)
    ingest(settings, store, nlp, SECOND, "gesprek-2.txt")
    ingest(settings, store, nlp)  # the same file again: stored before, not this upload's
    made = uploads(store)
    assert len(made) == 2 and made[0].run_id > made[1].run_id  # newest first
    newest = {r.shown for r in review_rows(_book(settings), made[0].documents)}
    oldest = {r.shown for r in review_rows(_book(settings), made[1].documents)}
    assert "Lambrechts" in newest and "Roos" not in newest
    assert "Roos" in oldest and "Lambrechts" not in oldest
    second = next(d for d in store.documents() if d.file_name == "gesprek-2.txt")
    detector = NameDetector(nlp=nlp)
    everywhere = {k.shown for k in kept_candidates(store, detector)}
    only_second = {k.shown for k in kept_candidates(store, detector, documents=[second.id])}
    assert only_second <= everywhere and "Genk" in everywhere and "Genk" not in only_second


def test_bulk_confirm_and_its_undo(settings: Settings, store: Store, nlp) -> None:
    ingest(settings, store, nlp)
    rows = review_rows(_book(settings))
    picked = [r for r in rows if r.shown in ("Roos", "Greetje")]
    last = decide_names(settings, store, "confirm", picked)
    assert last.count == 2 and "bevestigd" in last.summary()
    assert {r.shown for r in review_rows(_book(settings))} == {r.shown for r in rows} - {
        "Roos", "Greetje"}
    assert undo_bulk(settings, store, last) == 2
    assert {r.shown for r in review_rows(_book(settings))} == {r.shown for r in rows}


def test_bulk_keep_as_word_and_its_undo(settings: Settings, store: Store, nlp) -> None:
    ingest(settings, store, nlp)
    before = stored_texts(store)
    roos = next(r for r in review_rows(_book(settings)) if r.shown == "Roos")
    last = decide_names(settings, store, "reject", [roos])
    assert last.count == 1 and "teruggezet" in last.summary()
    assert any("juf Roos geeft" in t for t in stored_texts(store))
    assert "Roos" not in {r.shown for r in review_rows(_book(settings))}
    assert undo_bulk(settings, store, last) == 1
    after = stored_texts(store)
    assert not any("juf Roos" in t for t in after)
    assert any("een roos bij de bakker" in t for t in after)  # the flower stays a word
    assert [re.sub(r"PERSOON-\d+", "PERSOON", t) for t in after] == \
        [re.sub(r"PERSOON-\d+", "PERSOON", t) for t in before]
    again = next(r for r in review_rows(_book(settings)) if r.shown == "Roos")
    assert again.cue == roos.cue  # back in the queue with its reason


# -- the page ------------------------------------------------------------------------------

def _page(settings: Settings) -> AppTest:
    at = AppTest.from_file(str(REPO / "app_pages" / "names_review.py"), default_timeout=60)
    at.session_state["focuslex_settings"] = settings
    return app_login(at, settings, "facilitator")


def _tick(at: AppTest, key: str, rows: list[int]) -> None:
    """Tick rows of a table as the reviewer does (its key: table-<round>-<upload>-<document>)."""
    at.session_state[key] = {"edited_rows": {i: {"kies": True} for i in rows},
                             "added_rows": [], "deleted_rows": []}


def test_review_page_filters_bulk_and_undo(settings: Settings, store: Store, nlp) -> None:
    ingest(settings, store, nlp)
    ingest(settings, store, nlp, SECOND, "gesprek-2.txt")
    at = _page(settings)
    run = uploads(store)[0].run_id
    at.session_state["names_review_upload"] = run  # as the upload page sets it
    at.run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "naam" in d.value.columns)
    assert set(table["naam"]) >= {"Lambrechts", "Zerrin"} and "Roos" not in set(table["naam"])
    assert list(table.columns) == ["kies", "naam", "context", "waarom vervangen", "zekerheid",
                                   "soort", "vermeldingen"]
    assert at.button[0].label.startswith("Bevestigen: is een persoon")  # no "Alles bevestigen"
    assert not any(b.label == "Resultaten bijwerken" for b in at.button)  # not analysed yet
    assert not any("Alles" in b.label for b in at.button)
    _tick(at, f"names_table-0-{run}-0", [list(table["naam"]).index("Zerrin")])
    at.run()
    keep = next(b for b in at.button if b.label.startswith("Behouden als woord"))
    assert keep.label.endswith("(1)")
    keep.click().run()
    assert not at.exception
    assert any("teruggezet" in s.value for s in at.success)
    assert any("buurvrouw Zerrin wacht" in t for t in stored_texts(store))
    table = next(d.value for d in at.dataframe if "naam" in d.value.columns)
    assert "Zerrin" not in set(table["naam"])
    next(b for b in at.button if b.label == "Ongedaan maken").click().run()
    assert not at.exception
    assert any("Ongedaan gemaakt" in s.value for s in at.success)
    assert not any("buurvrouw Zerrin" in t for t in stored_texts(store))
    table = next(d.value for d in at.dataframe if "naam" in d.value.columns)
    assert "Zerrin" in set(table["naam"])


def test_review_page_kept_list_and_missed_name(settings: Settings, store: Store, nlp) -> None:
    ingest(settings, store, nlp)
    at = _page(settings).run()
    kept = next(d.value for d in at.dataframe if "woord" in d.value.columns)
    assert "Genk" in set(kept["woord"])
    genk = list(kept["woord"]).index("Genk")
    _tick(at, "kept_table-0-0-0", [genk])
    at.run()
    next(b for b in at.button if b.label.startswith("Toch vervangen")).click().run()
    assert not at.exception
    assert any("vervangen door [PERSOON-n]" in s.value.replace("\\", "") for s in at.success)
    assert "Genk" not in " ".join(stored_texts(store))
    at.text_input[0].input("Greetje")
    at.button[-1].click().run()
    assert not at.exception
    assert any("Toegevoegd" in s.value for s in at.success)
