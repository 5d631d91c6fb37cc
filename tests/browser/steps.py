"""Page steps of the browser test, one small function per thing a user does, found by their
Dutch labels and roles (`get_by_role`, `get_by_label`, `get_by_text`): when a page changes,
adapt the step here, not the tests.

No step pauses for a fixed time. A step that makes Streamlit run the page again (a click, a
key, an upload) waits for that run: `rerun` listens on the page's websocket for the
`script_finished` message the server sends when the run it started is over, then for the page
to have drawn it (`settled`: stApp's `data-test-script-state` is `notRunning` and no element
of the previous run is left stale), then the step waits for what the user should see. The
timeouts are generous (the machine is shared); they only bound a step that went wrong.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from pathlib import Path

from google.protobuf.message import DecodeError
from playwright.sync_api import (Browser, BrowserContext, Download, Locator, Page, WebSocket,
                                 expect)
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

STEP = 60_000  # ms: what one rerun and its drawing may take on a busy machine
SLOW = 300_000  # ms: the analysis (it loads the Dutch pipeline first), a report
# How a script run ends when nothing comes after it (FINISHED_EARLY_FOR_RERUN is followed
# by the run that replaced it).
FINISHED = frozenset({ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
                      ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY})


class Shots:
    """Numbered full-page screenshots of every step, in the artifacts folder."""

    def __init__(self, folder: Path, prefix: str) -> None:
        self.folder, self.prefix, self.count = folder, prefix, 0

    def take(self, page: Page, step: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.prefix}-{self.count:02d}-{step}.png"
        settled(page)
        page.screenshot(path=str(path), full_page=True)
        return path


def new_context(browser: Browser, **options: object) -> BrowserContext:
    """A browser context (1400 × 1000, nl-BE) whose actions wait up to STEP."""
    context = browser.new_context(**{"viewport": {"width": 1400, "height": 1000},
                                     "locale": "nl-BE", **options})  # type: ignore[arg-type]
    context.set_default_timeout(STEP)
    return context


# -- waiting for Streamlit ------------------------------------------------------------------

class _Socket:
    """The Streamlit websocket of one page (a new one after every load of the page)."""

    def __init__(self) -> None:
        self.current: WebSocket | None = None

    def opened(self, socket: WebSocket) -> None:
        if socket.url.endswith("/_stcore/stream"):
            self.current = socket


# Each watched page and its socket; weak, so a closed page is forgotten.
_SOCKETS: weakref.WeakKeyDictionary[Page, _Socket] = weakref.WeakKeyDictionary()


def watch(page: Page) -> None:
    """Follow the page's Streamlit websocket from its next load on (call before `goto`)."""
    if page not in _SOCKETS:
        _SOCKETS[page] = holder = _Socket()
        page.on("websocket", holder.opened)


def _run_finished(payload: str | bytes) -> bool:
    """Whether a websocket frame is Streamlit's message that a script run is over."""
    if isinstance(payload, str):
        return False
    message = ForwardMsg()
    try:
        message.ParseFromString(payload)
    except DecodeError:
        return False
    return message.WhichOneof("type") == "script_finished" and \
        message.script_finished in FINISHED


def rerun(page: Page, action: Callable[[], object], timeout: float = STEP) -> None:
    """Do `action` (it must make Streamlit run the page again) and wait until that run is
    over and drawn. The listener is in place before the action, so a quick run is not
    missed; every step ends settled, so no earlier run can be taken for this one."""
    holder = _SOCKETS.get(page)
    if holder is None or holder.current is None:
        raise AssertionError("open the app with steps.open_app (it watches the websocket)")
    with holder.current.expect_event("framereceived", predicate=_run_finished,
                                     timeout=timeout):
        action()
    settled(page)


def settled(page: Page) -> None:
    """Until the page shows a finished run: Streamlit's state `notRunning` on stApp and no
    element of the previous run still on the page (stale elements go when a run ends)."""
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state",
                                                           "notRunning", timeout=SLOW)
    expect(page.locator("[data-stale='true']")).to_have_count(0, timeout=STEP)


def visible(locator: Locator) -> Locator:
    """Only the visible matches (Streamlit keeps the other tabs' widgets in the page)."""
    return locator.filter(visible=True)


# -- login and navigation ------------------------------------------------------------------

def open_app(page: Page, url: str) -> None:
    """Load the app (its login form) with the websocket watched."""
    watch(page)
    page.goto(url)
    expect(page.get_by_role("heading", name="Aanmelden")).to_be_visible(timeout=STEP)
    settled(page)


def log_in(page: Page, url: str, name: str, password: str) -> None:
    open_app(page, url)
    page.get_by_label("Gebruikersnaam").fill(name)
    page.get_by_label("Wachtwoord").fill(password)
    rerun(page, page.get_by_role("button", name="Aanmelden", exact=True).click)
    expect(page.get_by_text(f"Aangemeld als {name}")).to_be_visible(timeout=STEP)


def log_out(page: Page) -> None:
    rerun(page, page.get_by_role("button", name="Afmelden").click)
    expect(page.get_by_role("heading", name="Aanmelden")).to_be_visible(timeout=STEP)


def navigation(page: Page) -> list[str]:
    """The page titles the sidebar navigation lists."""
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav).to_be_visible(timeout=STEP)
    more = nav.get_by_role("button", name=re.compile("View .*more|Meer", re.I))
    if more.count():
        more.click()  # drawn by the browser, no rerun: until it offers "less"
        expect(more).to_have_count(0, timeout=STEP)
    # a link's text is its material icon's name, then its title
    return [text.strip().split("\n")[-1] for text in nav.get_by_role("link").all_inner_texts()]


def open_page(page: Page, title: str) -> None:
    link = page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True)
    rerun(page, link.click)
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
    rerun(page, visible(page.get_by_role("button", name="Analyse starten")).first.click,
          timeout=SLOW)
    done = page.get_by_text(re.compile(r"^Bijgewerkt\..*\d+ termgebruik(en)?\b"))
    expect(done).to_be_visible(timeout=STEP)
    return done.inner_text()


def choose_files(page: Page, files: list[Path], participants: Path) -> Locator:
    """Choose transcripts and a participants sheet; the check table (nothing stored yet).
    Each choice is uploaded, then the page runs again with it."""
    rerun(page, lambda: _uploader(page, "Bestanden").locator("input[type=file]")
          .set_input_files([str(f) for f in files]))
    rerun(page, lambda: _uploader(page, "Deelnemerslijst").locator("input[type=file]")
          .set_input_files(str(participants)))
    for file in [*files, participants]:  # each file chosen shows as a chip
        expect(page.get_by_test_id("stFileChipName").filter(has_text=file.name)).to_be_visible(
            timeout=STEP)
    expect(page.get_by_role("heading", name="Controleer wat er opgeslagen wordt")).to_be_visible(
        timeout=STEP)
    return page.get_by_test_id("stDataFrame").first


# glide-data-grid (st.data_editor) draws on a canvas, with an accessible table of the cells
# beside it: a cell is reached from the first cell of its row with the arrow keys (each key
# moves the selection, which that table shows), Enter opens its editor (a text field over the
# grid), Enter again keeps the value and Streamlit runs the page with it.
GRID_ROW_PX = 35


def _cell(grid: Locator, row: int, column: int) -> Locator:
    """A cell of the grid's accessible table (rows and columns from 0, without the header)."""
    return grid.get_by_test_id(f"glide-cell-{column}-{row}")


def edit_cell(page: Page, grid: Locator, row: int, column: int, text: str) -> None:
    grid.click(position={"x": 12, "y": GRID_ROW_PX * (row + 1) + GRID_ROW_PX // 2})
    expect(_cell(grid, row, 0)).to_have_attribute("aria-selected", "true", timeout=STEP)
    for moved in range(1, column + 1):
        page.keyboard.press("ArrowRight")
        expect(_cell(grid, row, moved)).to_have_attribute("aria-selected", "true", timeout=STEP)
    page.keyboard.press("Enter")
    editor = page.locator(".gdg-input")
    expect(editor).to_be_editable(timeout=STEP)  # not a locked column
    editor.fill(text)
    rerun(page, lambda: editor.press("Enter"))
    expect(editor).to_have_count(0, timeout=STEP)
    expect(_cell(grid, row, column)).to_have_text(text, timeout=STEP)


def tick_first_row(page: Page, grid: Locator) -> None:
    """Tick the checkbox in the first column of the first row."""
    rerun(page, lambda: grid.click(position={"x": 40, "y": GRID_ROW_PX + GRID_ROW_PX // 2}))


def store_checked(page: Page) -> list[str]:
    """'Opslaan' under the check table; the result lines that stay on the page."""
    save = page.get_by_role("button", name=re.compile(r"^Opslaan \(\d+ van \d+ bestand(en)?\)"))
    rerun(page, save.click, timeout=SLOW)
    expect(page.get_by_role("heading", name="Resultaat van de laatste upload")).to_be_visible(
        timeout=STEP)
    return page.get_by_test_id("stAlertContainer").all_inner_texts()


# -- Documenten -----------------------------------------------------------------------------

def _combobox(page: Page, label: str) -> Locator:
    """The text field of a select box; its value is the option shown."""
    return visible(page.get_by_role("combobox", name=label, exact=True)).first


def choose_option(page: Page, label: str, typed: str,
                  option: str | re.Pattern[str] | None = None) -> None:
    """In the select box labelled `label`, type `typed` (the list is long and drawn lazily)
    and pick the option whose text is `option` (default: `typed`). Nothing to do (and no
    rerun to wait for) when the box shows that option already."""
    wanted = option or typed
    pattern = wanted if isinstance(wanted, re.Pattern) else re.compile(re.escape(wanted))
    box = _combobox(page, label)
    if pattern.search(box.input_value()):
        return
    box.click()
    page.keyboard.type(typed)
    rerun(page, page.get_by_role("option", name=wanted).first.click)
    expect(box).to_have_value(pattern, timeout=STEP)


def search_document(page: Page, words: str) -> str:
    """Search in the open document; the caption 'N van M beurten bevatten ...'."""
    field = page.get_by_label("Zoeken in dit document", exact=True)
    field.fill(words)
    rerun(page, lambda: field.press("Enter"))
    found = page.get_by_text(re.compile(r"\d+ van \d+ beurt(en)? bevat(ten)? "))
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
    return re.sub(r"\s*\(\d+×\)$", "", _combobox(page, "Term").input_value()).strip()


def chosen_term_count(page: Page) -> int:
    """The hit count the 'Term' select box shows beside the chosen term ('(35×)')."""
    shown = _combobox(page, "Term").input_value()
    found = re.search(r"\((\d+)×\)$", shown)
    assert found, shown
    return int(found.group(1))


def filter_rounds(page: Page, rounds: list[str]) -> str:
    """Keep the concordance lines of these rounds; its caption 'N van M keer gebruikt; ...'.
    Each round is typed, its option clicked, the rerun awaited and its chip seen in the box
    before the next."""
    box = visible(page.get_by_test_id("stMultiSelect").filter(
        has=page.get_by_text("Ronde", exact=True))).first
    for chosen in rounds:
        box.locator("input").click()
        page.keyboard.type(chosen)
        rerun(page, page.get_by_role("option", name=chosen, exact=True).click)
        expect(box.locator(f"[data-tag][aria-label='{chosen}']")).to_be_visible(timeout=STEP)
    page.keyboard.press("Escape")
    return concordance_caption(page)


def concordance_caption(page: Page) -> str:
    caption = page.get_by_text(re.compile(r"^\d+ van \d+ keer gebruikt;"))
    expect(caption).to_have_count(1, timeout=STEP)
    expect(caption).to_be_visible(timeout=STEP)
    return caption.inner_text()


def expand_line(page: Page, number: int) -> str:
    """Open concordance line `number` (from 1); the text of its body (sentence and who).
    A details element of the page's HTML: the browser opens it, Streamlit does not run."""
    line = page.locator("details").filter(has=page.locator("summary mark")).nth(number - 1)
    line.locator("summary").click()
    body = line.locator("summary + div")
    expect(body).to_be_visible(timeout=STEP)
    return body.inner_text()


def open_in_reader(page: Page) -> None:
    rerun(page, page.get_by_role("link", name=re.compile("Open in het document")).click)
    expect(page.get_by_role("heading", name="Documenten", exact=True)).to_be_visible(
        timeout=STEP)


def stale_warning(page: Page) -> Locator:
    return page.get_by_text(re.compile(r"Werk ze bij om de nieuwe stand te zien"))


def refresh_results(page: Page) -> str:
    """'Resultaten bijwerken' in the stale banner; the notice of what was brought up to date."""
    rerun(page, page.get_by_role("button", name="Resultaten bijwerken").click, timeout=SLOW)
    done = page.get_by_text(re.compile(r"^Bijgewerkt\."))
    expect(done).to_be_visible(timeout=STEP)
    return done.inner_text()


# -- Lexicon beheer -------------------------------------------------------------------------

def edit_definition(page: Page, definition: str, why: str) -> None:
    """In the 'Bewerken' tab (drawn by the browser): a new definition with a reason (a form:
    nothing runs before 'Opslaan'), then 'Opslaan'."""
    page.get_by_role("tab", name="Bewerken").click()
    field = visible(page.get_by_label("Definitie", exact=True))
    field.fill(definition)
    visible(page.get_by_label("Waarom wijzig je dit?")).fill(why)
    rerun(page, visible(page.get_by_role("button", name="Opslaan", exact=True)).click)


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
    rerun(page, page.get_by_role("button", name="Rapport maken").click, timeout=SLOW)
    expect(page.get_by_role("heading", name="Downloaden")).to_be_visible(timeout=STEP)


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
