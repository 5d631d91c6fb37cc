"""One pseudonym key and one review book per database.

`bind_key(settings, store)` returns the settings with `paths.key_file` moved into a folder
named after the database's id (`pipeline.store.identity.database_id`):
`<folder of the configured key file>/<database id>/<key file name>`, with the review book
beside it. Two databases therefore never share names: a surname met in one project does not
make its lower-case word a name in another.

One-time migration of the single key of earlier versions (the configured `paths.key_file`
itself): when a database that already holds documents gets its own folder for the first time,
the old key and review book are copied into it, keeping only what belongs to this database:
the speakers whose codes it stores, the persons whose placeholders occur in its texts, the
review records of its documents. The old files stay (another database may still need them);
`key_migrations.json` beside them lists the databases served.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from pipeline.core.files import write_private_json
from pipeline.core.text import fold
from pipeline.core.settings import PathSettings, Settings
from pipeline.privacy.pseudonymise import PseudonymKey, key_lock
from pipeline.privacy.review import REVIEW_FILE, ReviewBook
from pipeline.store.database import DocumentRow, SpeakerRow, Store
from pipeline.store.identity import database_id

log = logging.getLogger("focuslex.privacy")
MIGRATIONS = "key_migrations.json"


def bound_key_file(settings: Settings, store: Store) -> Path:
    """Where the key of this database lives."""
    configured = Path(settings.paths.key_file)
    return configured.parent / database_id(store) / configured.name


def bind_key(settings: Settings, store: Store) -> Settings:
    """`settings` with the key file (and so the review book) of this database; migrates the
    old single key once (see the module docstring)."""
    legacy = Path(settings.paths.key_file)
    target = bound_key_file(settings, store)
    if legacy.parent.name == target.parent.name:
        return settings  # already bound
    if not target.exists() and legacy.exists():
        with key_lock(legacy):
            if not target.exists():
                _migrate(legacy, target, store, settings)
    return replace(settings, paths=PathSettings(data_dir=settings.paths.data_dir,
                                                cache_dir=settings.paths.cache_dir,
                                                key_file=target))


def _stored(store: Store) -> tuple[set[str], set[str], str]:
    """The speaker codes, document hashes and all stored text of a database."""
    with store.session() as session:
        codes = set(session.scalars(select(SpeakerRow.code)))
        rows = list(session.scalars(select(DocumentRow).options(
            selectinload(DocumentRow.utterances))))
        hashes = {r.content_hash for r in rows}
        texts = "\n".join(f"{r.text}\n{r.header}\n{r.title}\n{r.prompt}\n{r.focus_group}\n"
                          f"{r.file_name}\n{r.organisation}" for r in rows)
    return codes, hashes, texts


def _migrate(legacy: Path, target: Path, store: Store, settings: Settings) -> None:
    codes, hashes, texts = _stored(store)
    if not hashes:
        return  # a new database starts with an empty key
    old = PseudonymKey.load(legacy)
    book = ReviewBook.load(legacy.with_name(REVIEW_FILE))
    key = PseudonymKey(target, [e for e in old.entries if e.code in codes],
                       [p for p in old.persons
                        if p.placeholder(settings.pseudonymise) in texts],
                       [o for o in old.organisations if fold(o) in fold(texts)])
    key.save()
    kept_names = {n for p in key.persons for n in p.names}
    mine = ReviewBook(target.with_name(REVIEW_FILE), book.decisions,
                      [r for r in book.records if r.doc in hashes])
    mine.decisions.added = [n for n in mine.decisions.added if n in kept_names]
    mine.save()
    ledger = legacy.with_name(MIGRATIONS)
    served = json.loads(ledger.read_text(encoding="utf-8")) if ledger.exists() else []
    write_private_json(ledger, served + [{"database": target.parent.name,
                                          "speakers": len(key.entries),
                                          "persons": len(key.persons)}])
    log.info("pseudonym key migrated to %s (%d speakers, %d persons)", target.parent,
             len(key.entries), len(key.persons))
