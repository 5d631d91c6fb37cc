"""The Dutch spaCy pipeline: which one to load, and its id (name, version, lemma fixes).

Resolution order (`load_pipeline`):
1. the installed package named in `settings.nlp.model` (default `nl_core_news_sm`; md/lg work
   the same), if it is installed and loads;
2. the pipeline bundled with focuslex (`settings.nlp.bundled_path`, by default
   `pipeline/nlp/models/nl_focuslex_sm-0.1.0`, package data, trained on UD Dutch);
3. otherwise a `FocuslexError` (FX-NLP-001) that says how to install one.
Nothing is ever downloaded. Every pipeline gets the `focuslex_lemma_fixes` component.

The parse cache and the token-table cache are in `pipeline.nlp.cache`.
"""

from __future__ import annotations

import logging
from pathlib import Path

import spacy
from spacy.language import Language

from pipeline.nlp.components import LEMMA_FIXES_VERSION
from pipeline.core.errors import FocuslexError
from pipeline.core.settings import Settings

log = logging.getLogger("focuslex.nlp")

LEMMA_FIXES = "focuslex_lemma_fixes"


def load_pipeline(settings: Settings) -> Language:
    """Load the configured Dutch pipeline, else the bundled one; never downloads."""
    name = settings.nlp.model.strip()
    bundled = Path(settings.nlp.bundled_path)
    problems: list[str] = []
    if name:
        if _is_installed(name):
            try:
                nlp = spacy.load(name)
            except Exception as exc:  # a broken install must not hide the bundled pipeline
                problems.append(f"{name} is geïnstalleerd maar laadt niet ({exc})")
                log.warning("Installed pipeline %s failed to load: %s; trying the bundled one",
                            name, exc)
            else:
                return _ready(nlp, source=f"installed package {name}")
        else:
            problems.append(f"{name} is niet geïnstalleerd")
            log.info("Pipeline package %s is not installed; using the bundled pipeline", name)
    if (bundled / "config.cfg").is_file():
        try:
            nlp = spacy.load(bundled)
        except Exception as exc:
            problems.append(f"de meegeleverde pijplijn in {bundled} laadt niet ({exc})")
        else:
            return _ready(nlp, source=f"bundled pipeline at {bundled}")
    else:
        problems.append(f"de meegeleverde pijplijn ontbreekt in {bundled}")
    raise FocuslexError("FX-NLP-001", detail="; ".join(problems), bundled=str(bundled))


def _is_installed(name: str) -> bool:
    return spacy.util.is_package(name)


def _ready(nlp: Language, *, source: str) -> Language:
    if nlp.lang != "nl":
        log.warning("Pipeline %s is for language %r, not Dutch", pipeline_id(nlp), nlp.lang)
    if LEMMA_FIXES not in nlp.pipe_names:
        nlp.add_pipe(LEMMA_FIXES, last=True)
    log.info("Loaded Dutch pipeline %s (version %s) from %s; components: %s",
             f"{nlp.lang}_{nlp.meta.get('name')}", nlp.meta.get("version"), source,
             ", ".join(nlp.pipe_names))
    return nlp


def pipeline_id(nlp: Language) -> str:
    """Name and version of a pipeline as recorded in runs and cache keys."""
    ident = f"{nlp.lang}_{nlp.meta.get('name', 'pipeline')}-{nlp.meta.get('version', '0.0.0')}"
    if LEMMA_FIXES in nlp.pipe_names:
        ident += f"+fixes{LEMMA_FIXES_VERSION}"
    return ident
