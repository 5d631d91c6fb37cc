"""Backup and restore: the whole database (the lexicon included) as one zip archive with a
manifest and SHA-256 checksums; private files (the pseudonym key) only on request, and then
encrypted with a passphrase (Fernet, key derived with scrypt).

Archive members:
- `manifest.json`: format, version, when, by whom, the source database dialect, the row
  count of every table, and the SHA-256 and size of every other member;
- `tables/<table>.jsonl`: one JSON object per row, in primary-key order;
- extra members the caller adds (the CLI adds `lexicon.yaml`, a readable export);
- `private/<name>.enc`: an encrypted private file (only with a passphrase).

A restore checks every checksum, the passphrase and whether the database is empty before
it changes anything, then replaces the tables in one transaction. Tables are the ones known
to `Base.metadata` (every focuslex module that defines tables must be imported, as the CLI
does); an archive holding a table this version does not know is refused.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import os
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from sqlalchemy import (Connection, Date, DateTime, Integer, LargeBinary, MetaData, Table,
                        create_engine, event, func, inspect, select, text)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from pipeline.core.errors import FocuslexError
from pipeline.core.files import write_atomic
from pipeline.core.formats import count_noun
from pipeline.store.database import Base, Store, _safe_url

FORMAT = "focuslex-backup"
VERSION = 1
MANIFEST = "manifest.json"
# scrypt cost: about 0.1 s and 32 MB per derivation; a manifest may not ask for more than MAX_N.
SCRYPT = {"n": 2 ** 15, "r": 8, "p": 1}
MAX_N = 2 ** 20
# A member may not unpack to more than this (a damaged or hostile archive).
MAX_MEMBER_BYTES = 4 * 1024 ** 3


@dataclass(frozen=True)
class BackupReport:
    path: Path
    tables: dict[str, int]
    members: list[str]
    private: list[str]


@dataclass(frozen=True)
class RestoreReport:
    tables: dict[str, int]
    private: list[Path] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fernet(passphrase: str, salt: bytes, params: Mapping[str, int]) -> Fernet:
    kdf = Scrypt(salt=salt, length=32, n=int(params["n"]), r=int(params["r"]),
                 p=int(params["p"]))
    return Fernet(base64.urlsafe_b64encode(kdf.derive(passphrase.encode("utf-8"))))


@contextmanager
def _transaction(url: str, *, write: bool) -> Iterator[Connection]:
    """One real transaction (DDL included): SQLite gets an explicit BEGIN (pysqlite would
    otherwise run DDL and reads outside it), PostgreSQL a repeatable-read snapshot."""
    engine: Engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        def connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None
            dbapi_connection.execute("PRAGMA foreign_keys=ON")
            dbapi_connection.execute("PRAGMA busy_timeout=30000")

        def begin(connection: Connection) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
        event.listen(engine, "connect", connect)
        event.listen(engine, "begin", begin)
    else:
        engine = engine.execution_options(
            isolation_level="SERIALIZABLE" if write else "REPEATABLE READ")
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()


def _tables(connection: Connection) -> list[Table]:
    """The tables present in the database, in dependency order: focuslex's own definitions
    where known (exact types), reflected ones otherwise (so nothing is left out)."""
    present = set(inspect(connection).get_table_names())
    known = [t for t in Base.metadata.sorted_tables if t.name in present]
    other = MetaData()
    other.reflect(connection, only=sorted(present - {t.name for t in known}))
    return known + list(other.sorted_tables)


def _encode(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    return str(value)


def _dump_table(connection: Connection, table: Table) -> tuple[bytes, int]:
    order = list(table.primary_key.columns) or list(table.columns)
    lines = [json.dumps(dict(row), default=_encode, ensure_ascii=False, sort_keys=True)
             for row in connection.execute(select(table).order_by(*order)).mappings()]
    return ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8"), len(lines)


def write_backup(store: Store, out: Path, *, created_by: str,
                 extras: Mapping[str, bytes] | None = None,
                 private: Mapping[str, Path] | None = None,
                 passphrase: str | None = None, min_passphrase: int = 10) -> BackupReport:
    """Write the archive to `out` (atomically, owner-only). `private` maps a name to a
    private file to include encrypted with `passphrase` (at least `min_passphrase`
    characters; missing files are skipped)."""
    if private and len(passphrase or "") < min_passphrase:
        raise FocuslexError("FX-BAK-005", minimum=min_passphrase,
                            detail=f"{len(passphrase or '')} tekens gegeven")
    members: dict[str, bytes] = {}
    counts: dict[str, int] = {}
    try:
        with _transaction(store.url, write=False) as connection:
            dialect = connection.dialect.name
            for table in _tables(connection):
                members[f"tables/{table.name}.jsonl"], counts[table.name] = \
                    _dump_table(connection, table)
    except SQLAlchemyError as exc:
        raise FocuslexError("FX-DB-001", url=_safe_url(store.url), detail=str(exc)) from exc
    for name, data in (extras or {}).items():
        members[name] = data
    key_info, sealed = _seal(private or {}, passphrase)
    members.update(sealed)
    manifest = {
        "format": FORMAT, "version": VERSION, "created_by": created_by,
        "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "dialect": dialect, "tables": counts, "key": key_info,
        "members": {name: {"sha256": _sha256(data), "bytes": len(data)}
                    for name, data in sorted(members.items())},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False))
        for name, data in sorted(members.items()):
            archive.writestr(name, data)
    try:
        write_atomic(Path(out), buffer.getvalue(), private=True)
    except OSError as exc:
        raise FocuslexError("FX-BAK-007", file=str(out), detail=str(exc)) from exc
    return BackupReport(Path(out), counts, sorted(members), sorted(sealed))


def _seal(private: Mapping[str, Path], passphrase: str | None
          ) -> tuple[dict[str, Any] | None, dict[str, bytes]]:
    """Encrypt the private files that exist; (manifest key info, members)."""
    present = {name: Path(path) for name, path in private.items() if Path(path).is_file()}
    if not private or not passphrase:
        return None, {}
    salt = os.urandom(16)
    fernet = _fernet(passphrase, salt, SCRYPT)
    sealed = {f"private/{name}.enc": fernet.encrypt(path.read_bytes())
              for name, path in present.items()}
    info = {"kdf": "scrypt", **SCRYPT, "salt": base64.b64encode(salt).decode("ascii"),
            "cipher": "fernet", "files": sorted(present)}
    return info, sealed


# -- reading and restoring ---------------------------------------------------------------------

@dataclass(frozen=True)
class Archive:
    """A verified archive: its manifest and members (checksums checked)."""
    path: Path
    manifest: dict[str, Any]
    members: dict[str, bytes]

    def rows(self, table: str) -> list[dict[str, Any]]:
        data = self.members.get(f"tables/{table}.jsonl", b"")
        return [json.loads(line) for line in data.decode("utf-8").splitlines() if line]


def _damaged(path: Path, detail: str) -> FocuslexError:
    return FocuslexError("FX-BAK-002", file=str(path), detail=detail)


def _read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    with archive.open(name) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"{name} is groter dan aangegeven")
    return data


def read_backup(path: Path) -> Archive:
    """Open and verify an archive: manifest, format, and the SHA-256 of every member;
    FX-BAK-001 when it is not a focuslex backup, FX-BAK-002 when it is damaged."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if MANIFEST not in names:
                raise FocuslexError("FX-BAK-001", file=str(path), detail="geen manifest.json")
            manifest = json.loads(_read_member(archive, MANIFEST, 64 * 1024 ** 2))
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise FocuslexError("FX-BAK-001", file=str(path), detail="onbekend formaat")
            if manifest.get("version") != VERSION:
                raise FocuslexError("FX-BAK-001", file=str(path),
                                    detail=f"versie {manifest.get('version')!r}")
            expected = manifest.get("members") or {}
            if names - set(expected) - {MANIFEST}:
                raise _damaged(path, "bestanden die niet in het manifest staan: "
                               + ", ".join(sorted(names - set(expected) - {MANIFEST})))
            members = {}
            for name, info in sorted(expected.items()):
                if name not in names:
                    raise _damaged(path, f"{name} ontbreekt")
                data = _read_member(archive, name, min(int(info["bytes"]), MAX_MEMBER_BYTES))
                if _sha256(data) != info["sha256"]:
                    raise _damaged(path, f"de controlesom van {name} klopt niet")
                members[name] = data
    except FileNotFoundError as exc:
        raise FocuslexError("FX-BAK-001", file=str(path), detail="bestand niet gevonden") from exc
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError,
            KeyError, TypeError) as exc:
        raise _damaged(path, str(exc) or type(exc).__name__) from exc
    return Archive(path, manifest, members)


def _unseal(archive: Archive, passphrase: str | None,
            targets: Mapping[str, Path]) -> dict[Path, bytes]:
    """Decrypt the private files that have a target; FX-BAK-004 on a wrong passphrase."""
    info = archive.manifest.get("key")
    if not info or not targets:
        return {}
    if not passphrase:
        raise FocuslexError("FX-BAK-005", minimum=1, detail="de back-up bevat de sleutel")
    params = {k: int(info[k]) for k in ("n", "r", "p")}
    if params["n"] > MAX_N or params["r"] > 64 or params["p"] > 16:
        raise _damaged(archive.path, "onredelijke parameters voor de sleutelafleiding")
    fernet = _fernet(passphrase, base64.b64decode(info["salt"]), params)
    out: dict[Path, bytes] = {}
    for name in info.get("files", []):
        if name in targets:
            try:
                out[Path(targets[name])] = fernet.decrypt(archive.members[f"private/{name}.enc"])
            except InvalidToken as exc:
                raise FocuslexError("FX-BAK-004", file=str(archive.path)) from exc
    return out


def _decode(table: Table, row: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in row.items():
        column = table.columns[name]
        if value is not None and isinstance(column.type, DateTime):
            value = dt.datetime.fromisoformat(value)
        elif value is not None and isinstance(column.type, Date):
            value = dt.date.fromisoformat(value)
        elif value is not None and isinstance(column.type, LargeBinary):
            value = base64.b64decode(value)
        out[name] = value
    return out


def _content(connection: Connection, tables: list[Table]) -> dict[str, int]:
    present = set(inspect(connection).get_table_names())
    counts = {t.name: connection.execute(select(func.count()).select_from(t)).scalar() or 0
              for t in tables if t.name in present}
    return {name: n for name, n in counts.items() if n}


def _reset_sequences(connection: Connection, tables: list[Table]) -> None:
    """PostgreSQL: move each serial sequence past the restored ids."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer):
            continue
        connection.execute(text(
            f'SELECT setval(pg_get_serial_sequence(:t, :c), COALESCE(MAX("{pk[0].name}"), 1), '
            f'MAX("{pk[0].name}") IS NOT NULL) FROM "{table.name}"'),
            {"t": table.name, "c": pk[0].name})


def _known_tables(archive: Archive) -> list[Table]:
    names = set(archive.manifest.get("tables") or {})
    known = {t.name: t for t in Base.metadata.sorted_tables}
    unknown = sorted(names - set(known))
    if unknown:
        raise FocuslexError("FX-BAK-006", file=str(archive.path), tables=", ".join(unknown))
    for name in names:
        columns = {c for row in archive.rows(name)[:1] for c in row}
        extra = columns - set(known[name].columns.keys())
        if extra:
            raise FocuslexError("FX-BAK-006", file=str(archive.path),
                                tables=f"{name} (kolommen {', '.join(sorted(extra))})")
    return list(Base.metadata.sorted_tables)


def restore_backup(store: Store, path: Path | Archive, *, replace: bool = False,
                   private: Mapping[str, Path] | None = None,
                   passphrase: str | None = None) -> RestoreReport:
    """Restore an archive into `store`. Everything is checked first (checksums, tables,
    passphrase, an empty database unless `replace`, existing private files unless
    `replace`); then all tables are replaced in one transaction, then the private files
    are written (owner-only). On any error before that, nothing has changed."""
    archive = path if isinstance(path, Archive) else read_backup(path)
    tables = _known_tables(archive)
    secrets_out = _unseal(archive, passphrase, private or {})
    existing = [p for p in secrets_out if p.exists()]
    if existing and not replace:
        raise FocuslexError("FX-BAK-009", file=str(existing[0]))
    counts: dict[str, int] = {}
    try:
        with _transaction(store.url, write=True) as connection:
            content = _content(connection, tables)
            if content and not replace:
                raise FocuslexError("FX-BAK-003", url=_safe_url(store.url), detail=", ".join(
                    f"{name}: {count_noun(n, 'rij', 'rijen')}"
                    for name, n in sorted(content.items())))
            Base.metadata.drop_all(connection)
            Base.metadata.create_all(connection)
            for table in tables:
                rows = [_decode(table, row) for row in archive.rows(table.name)]
                for start in range(0, len(rows), 1000):
                    connection.execute(table.insert(), rows[start:start + 1000])
                counts[table.name] = len(rows)
            _reset_sequences(connection, tables)
    except SQLAlchemyError as exc:
        raise FocuslexError("FX-BAK-008", url=_safe_url(store.url),
                            detail=str(getattr(exc, "orig", None) or exc)) from exc
    store.engine.dispose()
    for target, data in secrets_out.items():
        try:
            write_atomic(target, data, private=True)
        except OSError as exc:
            raise FocuslexError("FX-BAK-010", file=str(target), detail=str(exc)) from exc
    extras = sorted(n for n in archive.members
                    if not n.startswith(("tables/", "private/")))
    return RestoreReport({n: c for n, c in counts.items() if n in archive.manifest["tables"]},
                         sorted(secrets_out), extras)
