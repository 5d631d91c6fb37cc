"""Backup and restore (pipeline/access/backup.py, `focuslex backup|restore`): a round trip
keeps every row of every table, a damaged archive or a non-empty database is refused with
nothing changed, and the pseudonym key travels only encrypted, only on request.

The PostgreSQL round trip runs when FOCUSLEX_TEST_POSTGRES_URL is set (as in
tests/test_postgres.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from lexicon.io import load_seed
from lexicon.store import LexiconStore
from pipeline.access.backup import read_backup, restore_backup, write_backup
from pipeline.access.users import Users
from pipeline.cli.main import cli
from pipeline.core.errors import FocuslexError
from pipeline.core.records import DocumentMeta
from pipeline.core.settings import Settings, load_settings
from pipeline.ingest.readers import SourceFile
from pipeline.ingest.service import IngestRequest, Ingestor
from pipeline.ingest.sheets import read_participants
from pipeline.privacy.detect import shared_pipeline
from pipeline.store.database import Base, Store
from pipeline.terms.run import run_analysis
from tests.conftest import FIXTURE_NAMES, INGEST

PASSWORD = "lange zin als wachtwoord"
PASSPHRASE = "een zin om de sleutel te bewaren"
PG_URL = os.environ.get("FOCUSLEX_TEST_POSTGRES_URL", "")


def ingest(settings: Settings, store: Store, name: str) -> None:
    report = Ingestor(settings, store, read_participants(INGEST / "participants.csv", settings.ingest)).ingest(
        [IngestRequest(SourceFile(name, (INGEST / name).read_bytes()), DocumentMeta(round=1))])
    assert report.ok


def fill(settings: Settings, store: Store) -> None:
    """Users, the seed lexicon with an edit and a release, a transcript and its term hits."""
    users = Users(store, settings.access)
    users.add("beheerder", "admin", PASSWORD)
    users.add("an", "committee", PASSWORD)
    lexicon = LexiconStore(store)
    lexicon.import_entries(load_seed(), "beheerder", "startlexicon")
    lexicon.update("racisme", {"scope_note": "Nota met ë, 'quotes' en <tekens>."}, 1, "an",
                   "test")
    lexicon.release("an", "eerste")
    ingest(settings, store, "gesprek.txt")
    run_analysis(settings, store, nlp=shared_pipeline(settings.nlp.model,
                                                      str(settings.nlp.bundled_path)))


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)  # SQLite hands back naive UTC
    return value


def snapshot(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, in primary-key order."""
    LexiconStore(store)  # make sure the lexicon tables exist
    out = {}
    with store.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            rows = connection.execute(select(table).order_by(*table.primary_key.columns))
            out[table.name] = [{k: _plain(v) for k, v in row.items()} for row in rows.mappings()]
    return out


@pytest.fixture
def filled(settings: Settings, store: Store) -> Store:
    fill(settings, store)
    return store


def other_store(tmp_path: Path, name: str = "hersteld.db") -> Store:
    return Store(f"sqlite:///{tmp_path / name}")


def test_round_trip_keeps_every_row(filled: Store, settings: Settings, tmp_path: Path) -> None:
    out = tmp_path / "backup.zip"
    report = write_backup(filled, out, created_by="beheerder",
                          extras={"lexicon.yaml": b"terms: []\n"})
    assert report.tables["lexicon_terms"] == 49 and report.tables["term_hits"] > 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    archive = read_backup(out)
    assert archive.manifest["created_by"] == "beheerder" and archive.manifest["key"] is None
    assert set(archive.members) == {"lexicon.yaml", *(f"tables/{t}.jsonl" for t in report.tables)}
    target = other_store(tmp_path)
    restored = restore_backup(target, out)
    assert restored.tables == report.tables and restored.extras == ["lexicon.yaml"]
    before = snapshot(filled)
    assert snapshot(target) == before
    assert sum(len(rows) for rows in before.values()) > 100
    # the restored database is usable: logins, lexicon edits, new documents get new ids
    assert Users(target, settings.access).authenticate("an", PASSWORD).name == "an"
    assert LexiconStore(target).update("racisme", {"definition": "Nieuw."}, 2, "an",
                                       "na herstel").version == 3
    ingest(settings, target, "gesprek.vtt")
    assert target.status()["documents"] == 2


def test_restore_into_a_non_empty_database_needs_replace(filled: Store, tmp_path: Path) -> None:
    out = tmp_path / "backup.zip"
    write_backup(filled, out, created_by="beheerder")
    target = other_store(tmp_path)
    Users(target, load_settings(base_dir=tmp_path).access).add("ander", "admin", PASSWORD)
    before = snapshot(target)
    with pytest.raises(FocuslexError) as refused:
        restore_backup(target, out)
    assert refused.value.code == "FX-BAK-003" and "users: 1 rij" in refused.value.message \
        and "1 rijen" not in refused.value.message
    assert snapshot(target) == before
    restore_backup(target, out, replace=True)
    assert snapshot(target) == snapshot(filled)  # the other admin is gone, all else is back


def _rewrite(source: Path, target: Path, change: dict[str, bytes | None],
             manifest: dict[str, Any] | None = None) -> None:
    """Copy an archive, replacing (or with None, dropping) members."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for name in old.namelist():
            data = change.get(name, old.read(name))
            if name == "manifest.json" and manifest is not None:
                data = json.dumps(manifest).encode()
            if data is not None:
                new.writestr(name, data)
        for name, data in change.items():
            if name not in old.namelist() and data is not None:
                new.writestr(name, data)


def test_a_damaged_archive_is_refused_and_nothing_changes(filled: Store,
                                                          tmp_path: Path) -> None:
    good = tmp_path / "backup.zip"
    write_backup(filled, good, created_by="beheerder")
    archive = read_backup(good)
    terms = archive.members["tables/lexicon_terms.jsonl"]
    bad = tmp_path / "bad.zip"
    manifest = json.loads(zipfile.ZipFile(good).read("manifest.json"))
    sneaky = json.loads(json.dumps(manifest))
    sneaky["tables"]["geheime_tabel"] = 1
    sneaky["members"]["tables/geheime_tabel.jsonl"] = {"sha256": "0" * 64, "bytes": 3}
    cases = {
        "changed byte": ({"tables/lexicon_terms.jsonl": terms.replace(b"racisme", b"racismE", 1)},
                         None, "FX-BAK-002"),
        "missing member": ({"tables/users.jsonl": None}, None, "FX-BAK-002"),
        "extra member": ({"tables/extra.jsonl": b"{}\n"}, None, "FX-BAK-002"),
        "unknown table": ({"tables/geheime_tabel.jsonl": b"{}\n"}, sneaky, "FX-BAK-002"),
    }
    target = other_store(tmp_path)
    Users(target, load_settings(base_dir=tmp_path).access).add("ander", "admin", PASSWORD)
    before = snapshot(target)
    for label, (change, new_manifest, code) in cases.items():
        _rewrite(good, bad, change, new_manifest)
        with pytest.raises(FocuslexError) as refused:
            restore_backup(target, bad, replace=True)
        assert refused.value.code == code, label
        assert snapshot(target) == before, label
    bad.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])  # cut off
    with pytest.raises(FocuslexError) as truncated:
        restore_backup(target, bad, replace=True)
    assert truncated.value.code == "FX-BAK-002"
    bad.write_text("geen zip", encoding="utf-8")
    with pytest.raises(FocuslexError) as not_zip:
        restore_backup(target, bad, replace=True)
    assert not_zip.value.code == "FX-BAK-002"
    assert snapshot(target) == before


def test_unknown_table_with_a_right_checksum_is_refused(filled: Store, tmp_path: Path) -> None:
    """An archive from a version with more tables: refused before anything changes."""
    good = tmp_path / "backup.zip"
    write_backup(filled, good, created_by="beheerder")
    manifest = json.loads(zipfile.ZipFile(good).read("manifest.json"))
    data = b'{"id": 1}\n'
    manifest["tables"]["toekomst"] = 1
    manifest["members"]["tables/toekomst.jsonl"] = {
        "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    bad = tmp_path / "toekomst.zip"
    _rewrite(good, bad, {"tables/toekomst.jsonl": data}, manifest)
    target = other_store(tmp_path)
    with pytest.raises(FocuslexError) as refused:
        restore_backup(target, bad)
    assert refused.value.code == "FX-BAK-006" and "toekomst" in refused.value.message
    assert all(not rows for rows in snapshot(target).values())


def test_the_key_only_with_a_passphrase_and_encrypted(filled: Store, settings: Settings,
                                                      tmp_path: Path) -> None:
    key = Path(settings.paths.key_file)
    assert key.is_file() and b"Hilde" in key.read_bytes()
    plain = tmp_path / "zonder.zip"
    write_backup(filled, plain, created_by="beheerder")
    assert not any(n.startswith("private/") for n in read_backup(plain).members)
    with pytest.raises(FocuslexError) as short:
        write_backup(filled, tmp_path / "kort.zip", created_by="beheerder",
                     private={"pseudonym_key.json": key}, passphrase="kort")
    assert short.value.code == "FX-BAK-005" and not (tmp_path / "kort.zip").exists()
    sealed = tmp_path / "met-sleutel.zip"
    write_backup(filled, sealed, created_by="beheerder",
                 private={"pseudonym_key.json": key}, passphrase=PASSPHRASE)
    for archive in (plain, sealed):
        with zipfile.ZipFile(archive) as z:
            unpacked = b"".join(z.read(n) for n in z.namelist())
        for name in FIXTURE_NAMES:  # no real name in the archive, in any member
            assert name.encode() not in unpacked, (archive.name, name)
    target = other_store(tmp_path)
    new_key = tmp_path / "elders" / "private" / "pseudonym_key.json"
    with pytest.raises(FocuslexError) as wrong:
        restore_backup(target, sealed, private={"pseudonym_key.json": new_key},
                       passphrase="een andere wachtwoordzin")
    assert wrong.value.code == "FX-BAK-004"
    assert not new_key.exists() and all(not rows for rows in snapshot(target).values())
    restore_backup(target, sealed, private={"pseudonym_key.json": new_key},
                   passphrase=PASSPHRASE)
    assert new_key.read_bytes() == key.read_bytes()
    assert stat.S_IMODE(new_key.stat().st_mode) == 0o600
    assert snapshot(target) == snapshot(filled)


def test_cli_backup_and_restore(filled: Store, settings: Settings, tmp_path: Path) -> None:
    passphrase = tmp_path / "zin.txt"
    passphrase.write_text(PASSPHRASE + "\n", encoding="utf-8")
    out = tmp_path / "focuslex-backup.zip"
    runner = CliRunner()
    made = runner.invoke(cli, ["--db", settings.database_url, "--as", "beheerder", "backup",
                               "--out", str(out), "--with-key", "--passphrase-file",
                               str(passphrase)])
    assert made.exit_code == 0, made.output
    assert "versleuteld: private/pseudonym_key.json.enc" in made.output
    lexicon_yaml = read_backup(out).members["lexicon.yaml"].decode("utf-8")
    assert "Nota met ë, 'quotes' en <tekens>." in lexicon_yaml  # readable without focuslex
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    (elsewhere / "settings.toml").write_text('[paths]\ndata_dir = "data"\n', encoding="utf-8")
    base = ["--settings", str(elsewhere / "settings.toml")]
    asked = runner.invoke(cli, [*base, "restore", str(out)], input="foute wachtwoordzin\n")
    assert asked.exit_code == 2 and "FX-BAK-004" in asked.stderr
    done = runner.invoke(cli, [*base, "restore", str(out), "--passphrase-file", str(passphrase)])
    assert done.exit_code == 0, done.output
    restored = load_settings(elsewhere / "settings.toml")
    assert Path(restored.paths.key_file).read_bytes() == Path(settings.paths.key_file).read_bytes()
    again = runner.invoke(cli, [*base, "--as", "beheerder", "restore", str(out),
                                "--passphrase-file", str(passphrase)])
    assert again.exit_code == 2 and "FX-BAK-009" in again.stderr  # the key exists now
    viewer = runner.invoke(cli, [*base, "--as", "an", "restore", str(out), "--replace"])
    assert viewer.exit_code == 2 and "FX-ACC-006" in viewer.stderr
    replaced = runner.invoke(cli, [*base, "--as", "beheerder", "restore", str(out), "--replace",
                                   "--passphrase-file", str(passphrase)])
    assert replaced.exit_code == 0, replaced.output
    assert snapshot(Store(restored.database_url)) == snapshot(filled)


@pytest.mark.skipif(not PG_URL, reason="FOCUSLEX_TEST_POSTGRES_URL not set")
def test_round_trip_through_postgresql(filled: Store, settings: Settings,
                                       tmp_path: Path) -> None:
    pg = Store(PG_URL)
    LexiconStore(pg)
    Base.metadata.drop_all(pg.engine)
    Base.metadata.create_all(pg.engine)
    try:
        write_backup(filled, tmp_path / "sqlite.zip", created_by="beheerder")
        restore_backup(pg, tmp_path / "sqlite.zip")
        assert snapshot(pg) == snapshot(filled)
        ingest(settings.with_database(PG_URL), pg, "gesprek.vtt")  # sequences moved on
        assert pg.status()["documents"] == 2
        write_backup(pg, tmp_path / "pg.zip", created_by="beheerder")
        back = other_store(tmp_path, "terug.db")
        restore_backup(back, tmp_path / "pg.zip")
        assert snapshot(back) == snapshot(pg)
        with pytest.raises(FocuslexError) as refused:
            restore_backup(pg, tmp_path / "sqlite.zip")
        assert refused.value.code == "FX-BAK-003"
        restore_backup(pg, tmp_path / "sqlite.zip", replace=True)
        assert snapshot(pg) == snapshot(filled)
    finally:
        Base.metadata.drop_all(pg.engine)
        pg.close()
