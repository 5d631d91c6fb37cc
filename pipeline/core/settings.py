"""One typed Settings object, loaded from TOML and passed as an argument to every stage.

No stage reads the environment itself: entry points (CLI, app) build a `Settings` once.
Relative paths in a settings file are resolved against the folder of that file; without a
file they are resolved against the current working directory.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any

from pipeline.core.errors import FocuslexError

REPO_ROOT = Path(__file__).resolve().parents[2]
BUNDLED_MODEL_DIR = REPO_ROOT / "models" / "nl_focuslex_sm-0.1.0"


@dataclass(frozen=True)
class PathSettings:
    data_dir: Path = Path("data")
    cache_dir: Path = Path("data/cache")
    # The pseudonym key (real name <-> code). Kept outside the database on purpose.
    key_file: Path = Path("data/private/pseudonym_key.json")


@dataclass(frozen=True)
class DatabaseSettings:
    # An SQLAlchemy URL or a file path; empty means "<data_dir>/focuslex.db".
    url: str = ""


@dataclass(frozen=True)
class IngestSettings:
    max_upload_mb: float = 50.0
    # docx/xlsx are zip files: refuse archives that unpack to more than this (zip bombs).
    max_unpacked_mb: float = 200.0
    max_compression_ratio: float = 100.0
    # Extra speaker-marker regex with named groups `name` and `text` (optional `time`).
    speaker_regex: str = ""
    # Labels that look like speaker markers but belong to a header block ("Datum: ...").
    # Role words ("moderator") do not belong here: "Moderator: ..." is a speaker's turn.
    header_labels: tuple[str, ...] = (
        "titel", "datum", "vraag", "onderwerp", "locatie", "plaats", "deelnemers",
        "aanwezig", "aanwezigen", "verslag", "focusgroep", "ronde", "tijd", "duur",
        "opmerking", "noot", "transcript", "begeleiding", "organisatie",
        "startvraag", "leidraad", "thema", "uur", "afwezig", "verontschuldigd",
    )
    # Extensions ingested when a folder is given.
    extensions: tuple[str, ...] = (".txt", ".md", ".docx", ".vtt", ".srt", ".pdf")


@dataclass(frozen=True)
class PseudonymSettings:
    participant_prefix: str = "P"
    facilitator_prefix: str = "FAC"
    # Placeholder for a known speaker's name in running text; {code} is the speaker code.
    speaker_placeholder: str = "[{code}]"
    # Placeholder when a name part fits more than one known speaker.
    ambiguous_placeholder: str = "[PERSOON]"
    # Detect names of other people in the text (not on the participants sheet).
    detect_names: bool = True
    # Use the Dutch spaCy pipeline (proper-noun tags, named entities) for that detection.
    detect_with_pipeline: bool = True
    # Placeholder for another person; {n} is their number, stable across the corpus.
    person_placeholder: str = "[PERSOON-{n}]"
    # Keep names of organisations and places in the text (else they become placeholders).
    keep_organisations: bool = True
    keep_places: bool = True
    organisation_placeholder: str = "[ORGANISATIE]"
    place_placeholder: str = "[PLAATS]"
    # Keep the names in public_figures when they appear in statements (not in transcripts).
    keep_public_figures_in_statements: bool = False
    public_figures: tuple[str, ...] = ()


@dataclass(frozen=True)
class NlpSettings:
    # Installed spaCy package to prefer (nl_core_news_sm/md/lg); else the bundled pipeline.
    model: str = "nl_core_news_sm"
    bundled_path: Path = BUNDLED_MODEL_DIR
    n_process: int = 1
    batch_size: int = 64


@dataclass(frozen=True)
class AccessSettings:
    # The focuslex user the command line acts as (`focuslex --as NAME` overrides it).
    cli_user: str = ""
    # Consecutive failed logins after which an account is locked, and for how long.
    max_failed_logins: int = 5
    lockout_minutes: float = 15.0
    # An app session ends after this many minutes without activity.
    session_timeout_minutes: float = 60.0
    min_password_length: int = 10


@dataclass(frozen=True)
class Settings:
    paths: PathSettings = field(default_factory=PathSettings)
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    ingest: IngestSettings = field(default_factory=IngestSettings)
    pseudonymise: PseudonymSettings = field(default_factory=PseudonymSettings)
    nlp: NlpSettings = field(default_factory=NlpSettings)
    access: AccessSettings = field(default_factory=AccessSettings)

    @property
    def database_url(self) -> str:
        return database_url(self.database.url, self.paths.data_dir)

    def with_database(self, db: str | None) -> "Settings":
        """Return a copy that uses `db` (a path or an SQLAlchemy URL) when given."""
        if not db:
            return self
        return replace(self, database=replace(self.database, url=db))


def database_url(value: str, data_dir: Path) -> str:
    """Turn a file path or URL into an SQLAlchemy URL."""
    if not value:
        return f"sqlite:///{(data_dir / 'focuslex.db').resolve()}"
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def compile_speaker_regex(pattern: str, where: str) -> re.Pattern[str] | None:
    """Compile ingest.speaker_regex (None when empty); FX-SET-005 when it does not compile
    or lacks the named groups `name` and `text`. `where` names the settings file."""
    if not pattern:
        return None
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise FocuslexError("FX-SET-005", file=where, detail=str(exc)) from exc
    missing = [g for g in ("name", "text") if g not in compiled.groupindex]
    if missing:
        raise FocuslexError("FX-SET-005", file=where,
                            detail="de benoemde groep(en) ontbreken: " + ", ".join(missing))
    return compiled


def _build(cls: type, raw: dict[str, Any], base: Path, where: str) -> Any:
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise FocuslexError("FX-SET-002", file=where, key=", ".join(unknown))
    values: dict[str, Any] = {}
    for name, value in raw.items():
        default = getattr(cls(), name)
        if is_dataclass(default):
            if not isinstance(value, dict):
                raise FocuslexError("FX-SET-002", file=where, key=name)
            values[name] = _build(type(default), value, base, where)
        elif isinstance(default, Path):
            path = Path(str(value)).expanduser()
            values[name] = path if path.is_absolute() else (base / path)
        elif isinstance(default, tuple):
            values[name] = tuple(value)
        elif isinstance(default, bool):
            values[name] = bool(value)
        elif isinstance(default, (int, float)) and not isinstance(value, (int, float)):
            raise FocuslexError("FX-SET-003", file=where, key=name, value=value)
        else:
            values[name] = type(default)(value)
    return cls(**values)


def _rebase(settings: Settings, base: Path) -> Settings:
    """Resolve default relative paths against `base`."""
    def fix(p: Path) -> Path:
        return p if p.is_absolute() else base / p
    paths = settings.paths
    data_dir = fix(paths.data_dir)
    # Defaults of cache/key follow the data folder when only data_dir was configured.
    defaults = PathSettings()
    cache_dir = data_dir / "cache" if paths.cache_dir == defaults.cache_dir else fix(paths.cache_dir)
    key_file = (data_dir / "private" / "pseudonym_key.json"
                if paths.key_file == defaults.key_file else fix(paths.key_file))
    return replace(settings, paths=PathSettings(data_dir=data_dir, cache_dir=cache_dir,
                                                key_file=key_file))


def load_settings(path: Path | None = None, *, base_dir: Path | None = None) -> Settings:
    """Load settings from a TOML file (all keys optional); defaults without a file."""
    if path is None:
        return _rebase(Settings(), (base_dir or Path.cwd()).resolve())
    path = Path(path)
    if not path.is_file():
        raise FocuslexError("FX-SET-001", file=str(path))
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise FocuslexError("FX-SET-004", file=str(path), detail=str(exc)) from exc
    base = path.resolve().parent
    # Paths given in the file are resolved against the file's folder inside _build.
    defaults_only = {k: v for k, v in raw.items()}
    settings = _build(Settings, defaults_only, base, str(path))
    compile_speaker_regex(settings.ingest.speaker_regex, str(path))
    return _rebase(settings, base)
