"""Page steps of the browser test, one small function per thing a user does, found by their
Dutch labels and roles (`get_by_role`, `get_by_label`, `get_by_text`): when a page changes,
adapt the step here, not the tests."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Download, Locator, Page, expect

# Streamlit reruns take a moment; the analysis loads the Dutch pipeline first.
STEP = 30_000
SLOW = 180_000


class Shots:
    """Numbered full-page screenshots of every step, in the artifacts folder."""

    def __init__(self, folder: Path, prefix: str) -> None:
        self.folder, self.prefix, self.count = folder, prefix, 0

    def take(self, page: Page, step: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.prefix}-{self.count:02d}-{step}.png"
        wait_idle(page)
        page.screenshot(path=str(path), full_page=True)
        return path


def wait_idle(page: Page) -> None:
    """Until Streamlit is not running the script any more (its status widget gone)."""
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=SLOW)


def visible(locator: Locator) -> Locator:
    """Only the visible matches (Streamlit keeps the other tabs' widgets in the page)."""
    return locator.filter(visible=True)


# -- login and navigation ------------------------------------------------------------------

def log_in(page: Page, url: str, name: str, password: str) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", name="Aanmelden")).to_be_visible(timeout=STEP)
    page.get_by_label("Gebruikersnaam").fill(name)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden", exact=True).click()
    expect(page.get_by_text(f"Aangemeld als {name}")).to_be_visible(timeout=STEP)


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Afmelden").click()
    expect(page.get_by_role("heading", name="Aanmelden")).to_be_visible(timeout=STEP)


def navigation(page: Page) -> list[str]:
    """The page titles the sidebar navigation lists."""
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav).to_be_visible(timeout=STEP)
    more = nav.get_by_role("button", name=re.compile("View .*more|Meer", re.I))
    if more.count():
        more.click()
    # a link's text is its material icon's name, then its title
    return [text.strip().split("\n")[-1] for text in nav.get_by_role("link").all_inner_texts()]


def open_page(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible(timeout=STEP)


# -- Opladen --------------------------------------------------------------------------------

def _uploader(page: Page, label: str) -> Locator:
    return page.get_by_test_id("stFileUploader").filter(has=page.get_by_text(label))


def upload(page: Page, files: list[Path], participants: Path) -> str:
    """Upload transcripts with a participants sheet, stored as the check table has them; the
    text of the result messages."""
    choose_files(page, files, participants)
    return "\n".join(store_checked(page))


def analyse(page: Page) -> str:
    """Start the analysis; the text of its result notice ('Bijgewerkt. Termen: ...')."""
    visible(page.get_by_role("button", name="Analyse starten")).first.click()
    done = page.get_by_text(re.compile(r"^Bijgewerkt\..*\d+ termgebruiken"))
    expect(done).to_be_visible(timeout=SLOW)
    return done.inner_text()


def choose_files(page: Page, files: list[Path], participants: Path) -> Locator:
    """Choose transcripts and a participants sheet; the check table (nothing stored yet)."""
    _uploader(page, "Bestanden").locator("input[type=file]").set_input_files(
        [str(f) for f in files])
    _uploader(page, "Deelnemerslijst").locator("input[type=file]").set_input_files(
        str(participants))
    for file in [*files, participants]:
        expect(page.get_by_text(file.name)).to_be_visible(timeout=STEP)
    expect(page.get_by_role("heading", name="Controleer wat er opgeslagen wordt")).to_be_visible(
        timeout=STEP)
    wait_idle(page)
    return page.get_by_test_id("stDataFrame").first


# glide-data-grid (st.data_editor) draws on a canvas: a cell is reached from the first cell
# of its row with the arrow keys; Enter opens its editor (a text field over the grid), Enter
# again keeps the value.
GRID_ROW_PX = 35


def edit_cell(page: Page, grid: Locator, row: int, column: int, text: str) -> None:
    grid.click(position={"x": 12, "y": GRID_ROW_PX * (row + 1) + GRID_ROW_PX // 2})
    page.wait_for_timeout(300)  # the grid takes the focus; a key pressed before is lost
    for _ in range(column):
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(100)
    page.keyboard.press("Enter")
    editor = page.locator(".gdg-input")
    expect(editor).to_be_editable(timeout=STEP)  # not a locked column
    editor.fill(text)
    editor.press("Enter")
    expect(editor).to_have_count(0, timeout=STEP)
    page.keyboard.press("Escape")  # leave the grid: the edit is sent with the next rerun
    page.get_by_role("heading").first.click()
    page.wait_for_timeout(500)
    wait_idle(page)


def tick_first_row(page: Page, grid: Locator) -> None:
    """Tick the checkbox in the first column of the first row."""
    grid.click(position={"x": 40, "y": GRID_ROW_PX + GRID_ROW_PX // 2})
    wait_idle(page)


def store_checked(page: Page) -> list[str]:
    """'Opslaan' under the check table; the result lines that stay on the page."""
    page.get_by_role("button", name=re.compile(r"^Opslaan \(\d+ van \d+ bestanden\)")).click()
    expect(page.get_by_role("heading", name="Resultaat van de laatste upload")).to_be_visible(
        timeout=SLOW)
    wait_idle(page)
    return page.get_by_test_id("stAlertContainer").all_inner_texts()


# -- Documenten -----------------------------------------------------------------------------

def choose_option(page: Page, label: str, typed: str,
                  option: str | re.Pattern[str] | None = None) -> None:
    """In the select box labelled `label`, type `typed` (the list is long and drawn lazily)
    and pick the option whose text is `option` (default: `typed`)."""
    visible(page.get_by_label(label, exact=True)).first.click()
    page.keyboard.type(typed)
    page.get_by_role("option", name=option or typed).first.click()
    wait_idle(page)


def search_document(page: Page, words: str) -> str:
    """Search in the open document; the caption 'N van M beurten bevatten ...'."""
    page.get_by_label("Zoeken in dit document", exact=True).fill(words)
    page.get_by_label("Zoeken in dit document", exact=True).press("Enter")
    found = page.get_by_text(re.compile(r"\d+ van \d+ beurten bevatten"))
    expect(found).to_be_visible(timeout=STEP)
    return found.inner_text()


# -- Termen ---------------------------------------------------------------------------------

def term_usage(page: Page) -> str:
    """The usage summary of the term shown on Termen ('N keer gebruikt door ...')."""
    summary = page.get_by_text(re.compile(r"\d+ keer gebruikt door"))
    expect(summary).to_be_visible(timeout=STEP)
    return summary.inner_text()


def chosen_term(page: Page) -> str:
    """The label of the term picked in the 'Term' select box (without its count '(35×)')."""
    box = visible(page.get_by_test_id("stSelectbox").filter(has=page.get_by_text("Term",
                                                                                 exact=True)))
    shown = box.first.inner_text().split("\n")[-1]
    return re.sub(r"\s*\(\d+×\)$", "", shown).strip()


def filter_rounds(page: Page, rounds: list[str]) -> str:
    """Keep the concordance lines of these rounds; its caption 'N van M keer gebruikt; ...'."""
    box = visible(page.get_by_test_id("stMultiSelect").filter(
        has=page.get_by_text("Ronde", exact=True))).first
    before = concordance_caption(page)
    for chosen in rounds:
        box.locator("input").click()
        page.keyboard.type(chosen)
        page.keyboard.press("Enter")
        wait_idle(page)
    page.keyboard.press("Escape")
    expect(box).to_contain_text(rounds[-1])
    expect(page.get_by_text(re.compile(r"\d+ van \d+ keer gebruikt;")).last).not_to_have_text(
        before, timeout=STEP)
    return concordance_caption(page)


def concordance_caption(page: Page) -> str:
    wait_idle(page)  # during a rerun the old caption is still in the page beside the new one
    caption = page.get_by_text(re.compile(r"\d+ van \d+ keer gebruikt;")).last
    expect(caption).to_be_visible(timeout=STEP)
    return caption.inner_text()


def expand_line(page: Page, number: int) -> str:
    """Open concordance line `number` (from 1); the text of its body (sentence and who)."""
    line = page.locator("details").filter(has=page.locator("summary mark")).nth(number - 1)
    line.locator("summary").click()
    body = line.locator("summary + div")
    expect(body).to_be_visible(timeout=STEP)
    return body.inner_text()


def open_in_reader(page: Page) -> None:
    page.get_by_role("link", name=re.compile("Open in het document")).click()
    expect(page.get_by_role("heading", name="Documenten", exact=True)).to_be_visible(
        timeout=STEP)
    wait_idle(page)


def stale_warning(page: Page) -> Locator:
    return page.get_by_text(re.compile(r"Werk ze bij om de nieuwe stand te zien"))


def refresh_results(page: Page) -> str:
    """'Resultaten bijwerken' in the stale banner; the notice of what was brought up to date."""
    page.get_by_role("button", name="Resultaten bijwerken").click()
    done = page.get_by_text(re.compile(r"^Bijgewerkt\."))
    expect(done).to_be_visible(timeout=SLOW)
    wait_idle(page)
    return done.inner_text()


# -- Lexicon beheer -------------------------------------------------------------------------

def edit_definition(page: Page, definition: str, why: str) -> None:
    """In the 'Bewerken' tab: a new definition with a reason, then 'Opslaan'."""
    page.get_by_role("tab", name="Bewerken").click()
    field = visible(page.get_by_label("Definitie", exact=True))
    field.fill(definition)
    visible(page.get_by_label("Waarom wijzig je dit?")).fill(why)
    visible(page.get_by_role("button", name="Opslaan", exact=True)).click()


def definition_field(page: Page) -> Locator:
    return visible(page.get_by_label("Definitie", exact=True))


def expect_saved(page: Page) -> str:
    """The confirmation of a save, shown where the user is (a toast) and above the tabs."""
    toast = page.get_by_test_id("stToast").filter(has_text=re.compile(r"Opgeslagen: "))
    expect(toast).to_be_visible(timeout=STEP)
    saved = page.get_by_test_id("stAlertContainer").filter(
        has_text=re.compile(r"Opgeslagen: .* is nu versie \d+"))
    expect(saved).to_be_visible(timeout=STEP)
    expect(visible(page.get_by_label("Waarom wijzig je dit?"))).to_have_value("")
    return saved.inner_text()


def expect_conflict(page: Page) -> str:
    conflict = page.get_by_text(re.compile(r"FX-LEX-008.*Iemand anders heeft deze term"))
    expect(conflict).to_be_visible(timeout=STEP)
    return conflict.inner_text()


# -- Rapport --------------------------------------------------------------------------------

def make_report(page: Page) -> None:
    page.get_by_role("button", name="Rapport maken").click()
    expect(page.get_by_role("heading", name="Downloaden")).to_be_visible(timeout=SLOW)


def download(page: Page, button: str, folder: Path) -> Path:
    """Click a download button; the downloaded file, saved under its own name in `folder`."""
    with page.expect_download(timeout=SLOW) as info:
        page.get_by_role("button", name=button).click()
    got: Download = info.value
    path = folder / got.suggested_filename
    got.save_as(str(path))
    return path


def navigation_absent(page: Page) -> bool:
    """No page navigation (before the login)."""
    return page.get_by_test_id("stSidebarNav").count() == 0
