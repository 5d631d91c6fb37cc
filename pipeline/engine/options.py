"""What `focuslex analyse` knows of its engines before it starts one: their names, the command
line's overrides of the `[engine]` settings and their checks (FX-ENG-004/005). Light: the CLI
imports it without importing dask.distributed (`pipeline.engine.cluster`)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from pipeline.core.errors import FocuslexError
from pipeline.core.settings import EngineSettings, Settings

ENGINES = ("local", "dask")


def check_engine(engine: EngineSettings) -> None:
    """FX-ENG-004/005 for an unknown engine or a worker count below 1."""
    if engine.name not in ENGINES:
        raise FocuslexError("FX-ENG-004", value=engine.name)
    for key in ("workers", "partition_words", "in_flight_per_worker", "batch_words"):
        if getattr(engine, key) < 1:
            raise FocuslexError("FX-ENG-005", key=key, value=getattr(engine, key))


@dataclass(frozen=True)
class DaskOptions:
    """Overrides of the `engine` settings from the command line."""
    scheduler: str | None = None
    workers: int | None = None


def engine_settings(settings: Settings, options: DaskOptions) -> EngineSettings:
    """The engine settings with the command line's overrides."""
    engine = settings.engine
    if options.scheduler is not None:
        engine = replace(engine, scheduler=options.scheduler)
    if options.workers is not None:
        engine = replace(engine, workers=options.workers)
    return engine
