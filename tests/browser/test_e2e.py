"""End to end in a real browser (chromium through Playwright) against `streamlit run app.py`:
each role's navigation; a facilitator uploads a transcript with its participants sheet, runs
the analysis and sees the term's uses on Termen; a committee member edits a lexicon term while
a second browser edits the same term from the older version and is refused (keeping its
text); a report is downloaded and checked. Screenshots of every step: test-artifacts/browser/.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser import steps
from tests.browser.conftest import PASSWORD, user_name
from tests.conftest import REPO

pytestmark = pytest.mark.browser

DEMO = REPO / "corpora" / "demo"
TRANSCRIPT = DEMO / "ronde-1" / "focusgroep-1a.txt"
PARTICIPANTS = DEMO / "participants.csv"

# What each role finds in the navigation (README, "Access"; pipeline/access/roles.py).
ALL_PAGES = ["Overzicht", "Opladen", "Namen nakijken", "Documenten", "Termen", "Onderwerpen",
             "Activiteiten", "Rapport", "Lexicon", "Lexicon beheer"]
NAVIGATION = {
    "viewer": ["Rapport", "Lexicon"],
    "facilitator": ["Overzicht", "Opladen", "Namen nakijken", "Documenten", "Termen",
                    "Onderwerpen", "Activiteiten", "Rapport", "Lexicon"],
    "committee": ["Overzicht", "Documenten", "Termen", "Onderwerpen", "Activiteiten",
                  "Rapport", "Lexicon", "Lexicon beheer"],
    "admin": ALL_PAGES,
}


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = steps.new_context(browser, accept_downloads=True)
    yield ctx
    ctx.close()


def _logged_in(context: BrowserContext, app_url: str, role: str) -> Page:
    page = context.new_page()
    steps.log_in(page, app_url, user_name(role), PASSWORD)
    return page


@pytest.fixture(scope="module")
def analysed(browser: Browser, app_url: str, artifacts: Path) -> dict[str, str]:
    """As facilitator: upload the transcript with the participants sheet, run the analysis."""
    shots = steps.Shots(artifacts, "2-facilitator")
    ctx = steps.new_context(browser)
    try:
        page = _logged_in(ctx, app_url, "facilitator")
        steps.open_page(page, "Opladen")
        shots.take(page, "opladen")
        stored = steps.upload(page, [TRANSCRIPT], PARTICIPANTS)
        shots.take(page, "opgeladen")
        result = steps.analyse(page)
        shots.take(page, "analyse")
        steps.open_page(page, "Termen")
        usage = steps.term_usage(page)
        shots.take(page, "termen")
        return {"stored": stored, "analysis": result, "usage": usage,
                "term": steps.chosen_term(page)}
    finally:
        ctx.close()


@pytest.mark.parametrize("role", list(NAVIGATION))
def test_each_role_sees_its_pages(context: BrowserContext, app_url: str, artifacts: Path,
                                  role: str) -> None:
    page = context.new_page()
    shots = steps.Shots(artifacts, f"1-{role}")
    steps.open_app(page, app_url)
    expect(page.get_by_label("Gebruikersnaam")).to_be_visible()
    assert steps.navigation_absent(page)  # nothing before the login
    shots.take(page, "aanmelden")
    steps.log_in(page, app_url, user_name(role), PASSWORD)
    listed = steps.navigation(page)
    shots.take(page, "navigatie")
    assert listed == NAVIGATION[role]
    steps.log_out(page)


def test_facilitator_uploads_analyses_and_sees_term_hits(analysed: dict[str, str]) -> None:
    assert re.search(r"focusgroep-1a\.txt: opgeslagen \(\d+ beurten, \d+ sprekers",
                     analysed["stored"]), analysed["stored"]
    hits = int(re.search(r"(\d+) termgebruik", analysed["analysis"]).group(1))
    assert hits > 0, analysed["analysis"]
    used = int(re.search(r"(\d+) keer gebruikt", analysed["usage"]).group(1))
    assert 0 < used <= hits, analysed


def test_stale_lexicon_edit_is_refused(browser: Browser, app_url: str,
                                       artifacts: Path) -> None:
    shots = steps.Shots(artifacts, "3-lexicon")
    first = steps.new_context(browser)
    second = steps.new_context(browser)
    try:
        mine = _logged_in(first, app_url, "committee")
        theirs = _logged_in(second, app_url, "admin")
        for page in (mine, theirs):  # both load the same version of the first term
            steps.open_page(page, "Lexicon beheer")
        shots.take(theirs, "tweede-browser-geladen")
        steps.edit_definition(mine, "Definitie van het comité, test in de browser.",
                              "Nieuwe definitie na de vergadering")
        saved = steps.expect_saved(mine)
        shots.take(mine, "opgeslagen")
        stale_text = "Een andere definitie, op de oude versie gemaakt."
        steps.edit_definition(theirs, stale_text, "Mijn voorstel")
        message = steps.expect_conflict(theirs)
        shots.take(theirs, "conflict")
        assert user_name("committee") in message, message
        expect(steps.definition_field(theirs)).to_have_value(stale_text)
        assert re.search(r"is nu versie \d+", saved)
        # the stored definition is the committee's, not the stale one (a reload is a new
        # Streamlit session: log in again)
        steps.log_in(theirs, app_url, user_name("admin"), PASSWORD)
        steps.open_page(theirs, "Lexicon beheer")
        expect(steps.definition_field(theirs)).to_have_value(
            "Definitie van het comité, test in de browser.", timeout=steps.STEP)
        shots.take(theirs, "na-herladen")
    finally:
        first.close()
        second.close()


def test_viewer_downloads_a_report(analysed: dict[str, str], context: BrowserContext,
                                   app_url: str, artifacts: Path) -> None:
    shots = steps.Shots(artifacts, "4-rapport")
    page = _logged_in(context, app_url, "viewer")
    steps.open_page(page, "Rapport")
    shots.take(page, "rapport")
    steps.make_report(page)
    shots.take(page, "gemaakt")
    path = steps.download(page, "HTML downloaden", artifacts)
    assert re.fullmatch(r"focuslex-rapport-\d{4}-\d{2}-\d{2}\.html", path.name), path.name
    html = path.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html")
    assert analysed["term"] in html  # the term seen on Termen is reported
    assert "focusgroep-1a" in html or "Focusgroep 1A" in html
    with PARTICIPANTS.open(encoding="utf-8") as sheet:
        names = [row["speaker"] for row in csv.DictReader(sheet)]
    leaked = [name for name in names if name in html]
    assert leaked == [], leaked  # speakers are codes in the report
