"""Backup and restore: a backup restored into a fresh database (a new PostgreSQL database, or a new SQLite file)
by `manage.py restore` in another process has every row and file back, its history chains verify, and a
tampered or misplaced backup is refused before anything is written."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from cchc.backup.archive import BackupError, backup_create, backup_restore
from cchc.core.blobs import blob_store
from cchc.dossiers.models import Dossier, DossierEvent
from tests.dossiers.conftest import World, at
from tests.serviceindex.conftest import receive, resolve

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def data(world: World, settings: Any, tmp_path: Path) -> World:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    resolve(world, receive(world, at(2026, 3, 9, 9)), at(2026, 3, 10, 9))
    receive(world, at(2026, 3, 11, 9))
    blob_store(io.BytesIO(PDF))
    return world


@pytest.fixture
def fresh_database(tmp_path: Path) -> Iterator[str]:
    """The URL of a database that does not exist yet (SQLite) or is new and empty (PostgreSQL)."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    name = f"cchc_restore_{uuid.uuid4().hex[:12]}"
    db = connection.settings_dict
    server = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _manage(*arguments: str, database: str, media: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database, "CCHC_MEDIA_ROOT": str(media)}
    return subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *arguments], env=env, cwd=ROOT, capture_output=True,
        text=True, check=False,
    )  # fmt: skip


def _count(database: str, table: str) -> int:
    if database.startswith("sqlite"):
        with sqlite3.connect(database.removeprefix("sqlite:///")) as db:
            return int(db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])  # noqa: S608
    import psycopg

    with psycopg.connect(database) as db:
        row = db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()  # noqa: S608
        return int(row[0]) if row else -1


def test_a_backup_restores_into_a_fresh_database(data: World, tmp_path: Path, fresh_database: str) -> None:
    manifest = backup_create(tmp_path / "backup")
    assert manifest["engine"] == connection.vendor
    assert manifest["counts"]["dossiers_dossier"] == Dossier.objects.count() == 2
    assert manifest["counts"]["dossiers_dossierevent"] == DossierEvent.objects.count() > 2
    blob = next(f for f in manifest["files"] if f["name"].startswith("blobs/"))
    assert Path(blob["name"]).name.startswith(blob["sha256"])
    on_disk = json.loads((tmp_path / "backup" / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk["database"]["sha256"] == manifest["database"]["sha256"]

    media = tmp_path / "restored-media"
    restored = _manage("restore", str(tmp_path / "backup"), database=fresh_database, media=media)
    assert restored.returncode == 0, restored.stderr
    assert "khớp bản sao lưu" in restored.stdout and "kiểm tra 2 hồ sơ" in restored.stdout
    assert _count(fresh_database, "dossiers_dossier") == 2
    assert _count(fresh_database, "orgs_unit") == manifest["counts"]["orgs_unit"]
    assert (media / blob["name"]).read_bytes() == PDF
    verified = _manage("verify_history", database=fresh_database, media=media)
    assert verified.returncode == 0 and "không phát hiện sai lệch" in verified.stdout
    # Restoring again onto the restored database is refused: it holds data.
    again = _manage("restore", str(tmp_path / "backup"), database=fresh_database, media=media)
    assert again.returncode == 1 and "đã có dữ liệu" in again.stderr


def test_a_tampered_backup_is_refused_before_anything_is_written(
    data: World, tmp_path: Path, fresh_database: str
) -> None:
    manifest = backup_create(tmp_path / "backup")
    blob = next(f for f in manifest["files"] if f["name"].startswith("blobs/"))
    (tmp_path / "backup" / "files" / blob["name"]).write_bytes(PDF + b"% edited")
    media = tmp_path / "restored-media"
    refused = _manage("restore", str(tmp_path / "backup"), database=fresh_database, media=media)
    assert refused.returncode == 1 and "không khớp mã băm SHA-256" in refused.stderr
    assert not media.exists()
    assert (
        connection.vendor != "sqlite"
        or not Path(fresh_database.removeprefix("sqlite:///")).exists()
        or (_tables(fresh_database) == set())
    )


def _tables(database: str) -> set[str]:
    with sqlite3.connect(database.removeprefix("sqlite:///")) as db:
        return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_a_backup_needs_an_empty_folder_and_a_restore_an_empty_database(data: World, tmp_path: Path) -> None:
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x").write_text("x")
    with pytest.raises(BackupError, match="thư mục trống"):
        backup_create(tmp_path / "used")
    backup_create(tmp_path / "backup")
    with pytest.raises(BackupError, match="đã có dữ liệu"):
        backup_restore(tmp_path / "backup")
    (tmp_path / "backup" / "manifest.json").write_text('{"format": "other"}')
    with pytest.raises(BackupError, match="Không phải bản sao lưu cchc"):
        backup_restore(tmp_path / "backup")
