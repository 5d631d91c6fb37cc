"""The facilitator's day in a real browser (chromium through Playwright), on a server whose
data folder holds the demo corpus, stored and analysed through the CLI (`demo_url`): upload a
new fifth-round transcript with its participants sheet, see the check table prefilled from
its header and correct the round, store it and keep the result with its buttons; review the
names of this upload (confirm one, undo); read the new document and search it; filter the
concordance on *Termen*, open a line and jump to the reader; bring the stale results up to
date and find the new document's uses in the concordance. Screenshots of every step, in
order: test-artifacts/browser/5-dag-*.png.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import day_data as day
from tests.browser import steps
from tests.browser.conftest import PASSWORD, user_name

pytestmark = pytest.mark.browser

ROUND_COLUMN = 3  # bestand, soort, formaat, ronde, ... (pipeline.ingest.plan.PLAN_COLUMNS)


@pytest.fixture
def page(browser: Browser, demo_url: str) -> Iterator[Page]:
    ctx = steps.new_context(browser)
    try:
        opened = ctx.new_page()
        steps.log_in(opened, demo_url, user_name("facilitator"), PASSWORD)
        yield opened
    finally:
        ctx.close()


@pytest.fixture
def new_files(tmp_path: Path) -> tuple[Path, Path]:
    transcript, sheet = tmp_path / day.TRANSCRIPT_NAME, tmp_path / day.SHEET_NAME
    transcript.write_text(day.TRANSCRIPT, encoding="utf-8")
    sheet.write_text(day.SHEET, encoding="utf-8")
    return transcript, sheet


def _upload(page: Page, shots: steps.Shots, transcript: Path, sheet: Path) -> None:
    steps.open_page(page, "Opladen")
    grid = steps.choose_files(page, [transcript], sheet)
    expect(page.get_by_role("button", name="Opslaan (1 van 1 bestand)")).to_be_enabled()
    expect(page.get_by_text(re.compile("Geen deelnemerslijst"))).to_have_count(0)
    shots.take(page, "controletabel")
    steps.edit_cell(page, grid, 0, ROUND_COLUMN, day.CORRECT_ROUND)
    shots.take(page, "ronde-verbeterd")
    lines = steps.store_checked(page)
    shots.take(page, "opgeslagen")
    assert any(re.search(rf"{re.escape(day.TRANSCRIPT_NAME)}: opgeslagen \(6 beurten, "
                         r"3 sprekers", line) for line in lines), lines
    # this upload's names only (the demo corpus has names waiting too), in the singular
    assert any(re.search(r"^1 vermelding van een andere persoon is vervangen .*; 1 naam wacht "
                         "op nakijken", line) for line in lines), lines
    for button in ("Namen van deze upload nakijken", "Documenten bekijken", "Resultaat sluiten"):
        expect(page.get_by_role("button", name=button)).to_be_visible()


def _names(page: Page, shots: steps.Shots) -> None:
    steps.rerun(page, page.get_by_role("button", name="Namen van deze upload nakijken").click)
    expect(page.get_by_role("heading", name="Namen nakijken", exact=True)).to_be_visible()
    expect(page.get_by_role("tab", name="Vervangen, na te kijken (1)")).to_be_visible()
    shots.take(page, "namen-deze-upload")
    steps.tick_first_row(page, page.get_by_test_id("stDataFrame").first)
    confirm = page.get_by_role("button", name="Bevestigen: is een persoon (1)")
    expect(confirm).to_be_enabled(timeout=steps.STEP)
    steps.rerun(page, confirm.click)
    expect(page.get_by_text(re.compile(r"bevestigd", re.I)).first).to_be_visible()
    expect(page.get_by_role("tab", name="Vervangen, na te kijken (0)")).to_be_visible()
    shots.take(page, "naam-bevestigd")
    steps.rerun(page, page.get_by_role("button", name="Ongedaan maken").click)
    expect(page.get_by_text("Ongedaan gemaakt: de namen wachten weer op nakijken.")) \
        .to_be_visible()
    expect(page.get_by_role("tab", name="Vervangen, na te kijken (1)")).to_be_visible()
    shots.take(page, "ongedaan")


def _read(page: Page, shots: steps.Shots) -> None:
    steps.open_page(page, "Documenten")
    steps.choose_option(page, "Document", day.TRANSCRIPT_NAME,
                        re.compile(re.escape(day.TRANSCRIPT_NAME)))
    facts = page.get_by_text(re.compile(rf"ronde: {day.CORRECT_ROUND} · datum: 12/06/2026"))
    expect(facts).to_be_visible(timeout=steps.STEP)  # the corrected round was stored
    expect(page.get_by_text(day.PROMPT)).to_be_visible()  # the question from the header
    expect(page.get_by_text(day.OTHER_PERSON, exact=False)).to_have_count(0)  # pseudonymised
    shots.take(page, "document")
    found = steps.search_document(page, day.SEARCH_WORD)
    assert found.startswith("2 van 6 beurten bevatten"), found
    shots.take(page, "document-gezocht")


def _concordance(page: Page, shots: steps.Shots) -> None:
    steps.open_page(page, "Termen")
    expect(steps.stale_warning(page)).to_be_visible(timeout=steps.STEP)  # after the upload
    steps.choose_option(page, "Term", "integratie", re.compile(r"^integratie \(\d+×\)$"))
    shots.take(page, "termen-verouderd")
    caption = steps.filter_rounds(page, ["2"])
    shots.take(page, "concordantie-ronde-2")
    shown, total = (int(n) for n in re.findall(r"\d+", caption)[:2])
    assert 0 < shown < total, caption
    body = steps.expand_line(page, 1)
    assert "ronde 2" in body, body
    shots.take(page, "regel-open")
    steps.open_in_reader(page)
    expect(page.get_by_text(re.compile(r"Beurt \d+ is omrand"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"ronde: 2 ·")).first).to_be_visible()
    shots.take(page, "lezer-vanuit-concordantie")


def _refresh(page: Page, shots: steps.Shots) -> None:
    steps.open_page(page, "Termen")
    expect(steps.stale_warning(page)).to_be_visible(timeout=steps.STEP)
    notice = steps.refresh_results(page)
    assert notice.startswith("Bijgewerkt."), notice
    expect(steps.stale_warning(page)).to_have_count(0)
    expect(page.get_by_role("button", name="Resultaten bijwerken")).to_have_count(0)
    shots.take(page, "bijgewerkt")
    # the count beside the chosen term is the refreshed one (the usage summary's)
    used = int(re.match(r"\d+", steps.term_usage(page).replace(".", "")).group())
    assert steps.chosen_term_count(page) == used
    steps.choose_option(page, "Term", "integratie", re.compile(r"^integratie \(\d+×\)$"))
    caption = steps.filter_rounds(page, [day.CORRECT_ROUND])
    shots.take(page, f"concordantie-ronde-{day.CORRECT_ROUND}")
    shown = int(re.match(r"\d+", caption).group())
    assert shown == 3, caption  # 'integratie' three times in the new transcript
    assert day.TRANSCRIPT_NAME in steps.expand_line(page, 1)


def test_facilitator_day(page: Page, new_files: tuple[Path, Path], artifacts: Path) -> None:
    shots = steps.Shots(artifacts, "5-dag")
    _upload(page, shots, *new_files)
    _names(page, shots)
    _read(page, shots)
    _concordance(page, shots)
    _refresh(page, shots)
