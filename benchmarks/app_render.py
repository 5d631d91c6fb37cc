"""App speed (issue 17): render time of the pages *Termen*, *Lexicon*, *Onderwerpen* and
*Rapport* with Streamlit's AppTest on a store with 10,000 term uses and 500 terms, and a
lexicon edit made visible on *Termen* (edit -> analyse -> page).

    .venv/bin/python benchmarks/app_render.py [--quick] [--json FILE] [--browser]

Data (in a temporary folder): the demo corpus with the seed lexicon, ingested and analysed by
the command line (terms, topics and activity suggestions), then synthesised up to 500 terms
(copies of the seed entries under new ids and labels) and 10,000 uses (the real uses
repeated over those terms). Each page is rendered twice (first run: empty `st.cache_data`;
second: warm) as a logged-in admin; the baseline is the same page on the demo store before
synthesis, in the same run. The lexicon edit adds a word of the corpus as alternative label
of *integratie*, re-runs the analysis with the pipeline already loaded (as in the running
app: re-match from the token-table cache) and renders *Termen* on that term until the new
word is in its concordance; target < 2 s; baseline: the same with the parse caches emptied
(a full re-parse). `--browser`: the four pages once more in headless Chromium (Playwright,
/usr/bin/chromium), skipped with a note when playwright is not installed. `--quick`: 1,000
uses and 100 terms, no browser. Demo corpus: dev. Asserts nothing.
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from streamlit.testing.v1 import AppTest  # noqa: E402

from lexicon.store import LexiconStore  # noqa: E402
from pipeline.access.users import Users  # noqa: E402
from pipeline.core.settings import Settings, load_settings  # noqa: E402
from pipeline.nlp.loader import load_pipeline  # noqa: E402
from pipeline.store.database import Store  # noqa: E402
from pipeline.terms.run import run_analysis  # noqa: E402
from results import Results  # noqa: E402
from tests.conftest import app_login  # noqa: E402

BIN = Path(sys.executable).parent
DEMO = REPO / "corpora" / "demo"
PAGES = {"Termen": "terms.py", "Lexicon": "lexicon.py", "Onderwerpen": "topics.py",
         "Rapport": "report.py"}
NEW_WORD = "werkgever"  # in the demo transcripts, not a label of the seed lexicon


def prepare(work: Path) -> Settings:
    work.mkdir(parents=True, exist_ok=True)
    (work / "settings.toml").write_text('[paths]\ndata_dir = "data"\n', encoding="utf-8")
    for args in (["lexicon", "import", "--seed"],
                 ["ingest", str(DEMO), "--participants", str(DEMO / "participants.csv")],
                 ["analyse"]):
        subprocess.run([str(BIN / "focuslex"), "--settings", str(work / "settings.toml"),
                        "--as", "benchmark", *args], cwd=work, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return load_settings(work / "settings.toml")


def synthesise(settings: Settings, terms: int, uses: int) -> tuple[int, int]:
    """Up to `terms` lexicon terms and `uses` stored uses; returns both counts."""
    store = Store(settings.database_url)
    lexicon = LexiconStore(store)
    seed = lexicon.list()
    extra = []
    for i in range(terms - len(seed)):
        base = seed[i % len(seed)]
        label = f"{base.pref_label.get('nl-BE', base.id)} variant {i}"
        extra.append(dataclasses.replace(base, id=f"{base.id}_v{i}",
                                         pref_label={"nl-BE": label}, alt_labels=(),
                                         hidden_labels=(), related=()))
    lexicon.import_entries(list(seed) + extra, by="benchmark", why="benchmark: synthetic terms")
    ids = [e.id for e in lexicon.list()]
    hits = store.term_hits()
    out = [dataclasses.replace(hits[i % len(hits)], term_id=ids[i % len(ids)])
           for i in range(uses)]
    run = store.last_run("analyse")
    store.replace_term_hits(out, run_id=getattr(run, "id", None) if run else None)
    return len(ids), len(store.term_hits())


def render(settings: Settings, page: str, term: str | None = None) -> tuple[float, AppTest]:
    at = AppTest.from_file(str(REPO / "app_pages" / page), default_timeout=600)
    at.session_state["focuslex_settings"] = settings
    if term:
        at.query_params["term"] = term
    app_login(at, settings, "admin", "bench-admin")
    start = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - start
    if at.exception:
        raise SystemExit(f"{page}: {at.exception[0].value}")
    return seconds, at


def pages(settings: Settings) -> dict[str, tuple[float, float]]:
    """First (cold st.cache_data) and second (warm) render seconds of each page."""
    out = {}
    for name, page in PAGES.items():
        cold, _ = render(settings, page)
        warm, _ = render(settings, page)
        out[name] = (cold, warm)
    return out


def edit_to_page(settings: Settings, nlp, *, reparse: bool) -> tuple[float, bool]:
    """Seconds from a lexicon edit to *Termen* showing its new uses; whether it did."""
    store = Store(settings.database_url)
    lexicon = LexiconStore(store)
    if reparse:
        for folder in ("docs", "tokens"):
            shutil.rmtree(settings.paths.cache_dir / folder, ignore_errors=True)
    entry = lexicon.get("integratie")
    labels = [a for a in entry.alt_labels if a != NEW_WORD]
    start = time.perf_counter()
    lexicon.update("integratie", {"alt_labels": labels + [NEW_WORD]}, entry.version,
                   by="benchmark", why="benchmark: a lexicon edit")
    run_analysis(settings, store, nlp=nlp)
    _, at = render(settings, "terms.py", term="integratie")
    seconds = time.perf_counter() - start
    shown = any(NEW_WORD in " ".join(map(str, d.value.to_numpy().ravel().tolist()))
                for d in at.dataframe)
    lexicon.update("integratie", {"alt_labels": labels}, entry.version + 1,
                   by="benchmark", why="benchmark: undo")
    run_analysis(settings, store, nlp=nlp)
    return seconds, shown


def browser(settings: Settings, work: Path) -> dict[str, float] | str:
    """Seconds from a click in the sidebar to each page rendered in headless Chromium (the
    app runs on a local port); a note instead when playwright or chromium is missing."""
    try:
        from playwright.sync_api import sync_playwright  # optional: only this figure needs it
    except ImportError:
        return "skipped: playwright is not installed (pip install playwright)"
    if not Path("/usr/bin/chromium").exists():
        return "skipped: /usr/bin/chromium is absent (apt-get install chromium)"
    Users(Store(settings.database_url), settings.access).add(
        "bench-browser", "admin", "Benchmark-wachtwoord-2026!")
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "streamlit"), "run", str(REPO / "app.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port),
         "--browser.gatherUsageStats", "false", "--", "--settings",
         str(work / "settings.toml")], cwd=work, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    try:
        with sync_playwright() as play:
            chromium = play.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-quic"])
            page = chromium.new_page(viewport={"width": 1400, "height": 1000})
            wait_for_health(port)
            page.goto(f"http://127.0.0.1:{port}/", wait_until="networkidle", timeout=120_000)
            page.get_by_label("Gebruikersnaam").fill("bench-browser")
            page.get_by_label("Wachtwoord").fill("Benchmark-wachtwoord-2026!")
            page.get_by_role("button", name="Aanmelden").first.click()
            page.wait_for_selector("[data-testid='stSidebarNav']", timeout=120_000)
            out = {}
            for title in PAGES:
                start = time.perf_counter()
                page.locator("[data-testid='stSidebarNav'] a", has_text=title).first.click()
                page.get_by_role("heading", name=title).first.wait_for(timeout=300_000)
                page.wait_for_function("!document.querySelector("
                                       "'[data-testid=\"stStatusWidget\"]')", timeout=300_000)
                out[title] = time.perf_counter() - start
            chromium.close()
            return out
    except Exception as exc:  # a benchmark reports what went wrong and goes on
        return f"failed: {type(exc).__name__}: {str(exc)[:200]}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_for_health(port: int, limit: float = 180.0) -> None:
    """Until the local Streamlit server answers its health check (or `limit` seconds)."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                        timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def measure(results: Results, settings: Settings, work: Path, quick: bool,
            use_browser: bool) -> None:
    base = pages(settings)
    nlp = load_pipeline(settings)
    edit, shown = edit_to_page(settings, nlp, reparse=False)
    full, full_shown = edit_to_page(settings, nlp, reparse=True)
    results.add("lexicon edit -> analyse -> Termen shows it", edit, "s",
                baseline="the same with a full re-parse", baseline_value=full,
                target="< 2 s", note=f"dev (demo corpus); new uses shown: {shown}/"
                                     f"{full_shown}; pipeline loaded beforehand, as in the app")
    terms, uses = synthesise(settings, 100 if quick else 500, 1000 if quick else 10_000)
    big = pages(settings)
    for name in PAGES:
        for k, kind in ((0, "first render"), (1, "second render (cached data)")):
            results.add(f"{name}: {kind}, {uses:,} uses / {terms} terms", big[name][k], "s",
                        baseline="the same page on the demo store",
                        baseline_value=base[name][k], note="AppTest, logged-in admin")
    if use_browser and not quick:
        seen = browser(settings, work)
        if isinstance(seen, str):
            results.add("pages in a real browser", None, "s", note=seen)
        else:
            for name, seconds in seen.items():
                results.add(f"{name}: in Chromium (click to rendered)", seconds, "s",
                            baseline="AppTest first render", baseline_value=big[name][0],
                            note=f"{uses:,} uses / {terms} terms; headless Chromium")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 uses, 100 terms")
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    parser.add_argument("--browser", action="store_true", help="also in headless Chromium")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="focuslex-app-bench-"))
    results = Results("app_render", "App: page render and a lexicon edit made visible")
    try:
        settings = prepare(work)
        measure(results, settings, work, args.quick, args.browser)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results.write(args.json)


if __name__ == "__main__":
    main()
