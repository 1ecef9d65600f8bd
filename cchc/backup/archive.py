"""Backup and restore (sao lưu, phục hồi) of the database and the stored files.

A backup is a folder:
- `database.dump` (PostgreSQL's custom format, `pg_dump -Fc`) or `database.sqlite3` (SQLite's online backup);
- `files/<name>`: every file of the default storage (uploads by their SHA-256, archived receipts);
- `manifest.json`: when, from which database engine and migrations, the row count of every table, and the
  SHA-256 and size of the dump and of every file.

The counts are read from the same snapshot as the dump: PostgreSQL exports the snapshot of a repeatable-read
transaction and `pg_dump --snapshot` dumps exactly it; SQLite's counts are read from the backup file itself. So
a restore can prove it brought back every row.

A restore checks every file against the manifest before it writes anything, refuses a database that already
holds data, restores the database (`pg_restore`, or the SQLite file), puts the files back (each checked again
by its hash), then counts every table against the manifest and verifies every dossier's history chain
(`cchc.dossiers.history.history_check`). Any difference is an error, named.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "cchc-backup"
VERSION = 1
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on (Vietnamese message)."""


@dataclass
class RestoreReport:
    tables: int = 0
    rows: int = 0
    files: int = 0
    dossiers_checked: int = 0
    events_checked: int = 0
    problems: list[str] = field(default_factory=list)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _tables() -> list[str]:
    """Every concrete table of the installed models (with the many-to-many tables), sorted."""
    names: set[str] = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            names.add(model._meta.db_table)
    return sorted(names)


def _pg_env() -> tuple[list[str], dict[str, str]]:
    """The connection arguments of pg_dump and pg_restore for the default database."""
    db = connection.settings_dict
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{command[0]} thất bại: {done.stderr.strip()[:2000]}")


def _storage_files(path: str = "") -> Iterator[str]:
    try:
        folders, files = default_storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{path}/{name}" if path else name
    for folder in sorted(folders):
        yield from _storage_files(f"{path}/{folder}" if path else folder)


def _copy_files(target: Path) -> list[dict[str, Any]]:
    listed = []
    for name in _storage_files():
        destination = target / "files" / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, destination.open("wb") as out:
            shutil.copyfileobj(source, out, CHUNK)
        listed.append({"name": name, "sha256": _sha256(destination), "size": destination.stat().st_size})
    return listed


def _migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder.Migration.objects.order_by("app", "name").values_list("app", "name"):
        latest[app] = name
    return latest


def _counts_sqlite(path: Path, tables: list[str]) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        present = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        # The names are the models' own table names, never input.
        query = 'SELECT COUNT(*) FROM "{}"'
        return {name: db.execute(query.format(name)).fetchone()[0] for name in tables if name in present}


def _counts_here(tables: list[str]) -> dict[str, int]:
    present = set(connection.introspection.table_names())
    counts = {}
    with connection.cursor() as cursor:
        for name in tables:
            if name in present:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608
                counts[name] = cursor.fetchone()[0]
    return counts


def backup_create(target: Path) -> dict[str, Any]:
    """Write a backup into `target` (a new or empty folder) and return its manifest."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"Thư mục {target} đã có dữ liệu: chọn một thư mục trống.")
    target.mkdir(parents=True, exist_ok=True)
    tables = _tables()
    if connection.vendor == "postgresql":
        dump = target / "database.dump"
        args, env = _pg_env()
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            counts = _counts_here(tables)
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                  f"--file={dump}", *args], env)  # fmt: skip
    elif connection.vendor == "sqlite":
        dump = target / "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(dump) as out:
            connection.connection.backup(out)
        counts = _counts_sqlite(dump, tables)
    else:
        raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {connection.vendor}.")
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": timezone.now().isoformat(),
        "engine": connection.vendor,
        "migrations": _migrations(),
        "database": {"name": dump.name, "sha256": _sha256(dump), "size": dump.stat().st_size},
        "counts": counts,
        "files": _copy_files(target),
    }
    (target / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return manifest


def _manifest(source: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"Không đọc được {source / 'manifest.json'}: {error}") from error
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != FORMAT
        or manifest.get("version") != VERSION
    ):
        raise BackupError("Không phải bản sao lưu cchc (hoặc khác phiên bản định dạng).")
    return dict(manifest)


def _checked(source: Path, entry: dict[str, Any]) -> Path:
    path: Path = (source / str(entry["name"])).resolve()
    if not path.is_relative_to(source.resolve()) or not path.is_file():
        raise BackupError(f"Thiếu tệp {entry['name']} trong bản sao lưu.")
    if _sha256(path) != entry["sha256"]:
        raise BackupError(
            f"Tệp {entry['name']} không khớp mã băm SHA-256 đã ghi: bản sao lưu đã bị thay đổi."
        )
    return path


def _database_is_empty() -> bool:
    tables = set(connection.introspection.table_names())
    if not tables:
        return True
    counts = _counts_here(sorted(tables & set(_tables())))
    # Only the rows the migrations themselves create may be there (e.g. a freshly migrated database).
    return not any(counts.get(name, 0) for name in ("dossiers_dossier", "auth_user", "orgs_unit"))


def backup_restore(source: Path) -> RestoreReport:
    """Restore the backup in `source` into the (empty) default database and storage, then verify it."""
    from cchc.dossiers.history import history_check

    source = Path(source)
    manifest = _manifest(source)
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            f"Bản sao lưu là của {manifest['engine']}, cơ sở dữ liệu đích là {connection.vendor}."
        )
    dump = _checked(source, manifest["database"])
    files = [(entry, _checked(source / "files", entry)) for entry in manifest["files"]]
    for entry, _path in files:
        name = entry["name"]
        if name.startswith("blobs/") and Path(name).name.split(".")[0] != entry["sha256"]:
            raise BackupError(f"Tệp {name} không mang đúng mã băm của nội dung.")
    if not _database_is_empty():
        raise BackupError("Cơ sở dữ liệu đích đã có dữ liệu: chỉ phục hồi vào cơ sở dữ liệu trống.")
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        connection.close()
        _run(["pg_restore", "--no-owner", "--no-privileges", "--clean", "--if-exists", "--exit-on-error",
              *args, str(dump)], env)  # fmt: skip
    else:
        name = Path(str(connection.settings_dict["NAME"]))
        connection.close()
        with sqlite3.connect(dump) as backup, sqlite3.connect(name) as out:
            backup.backup(out)
    report = RestoreReport()
    for entry, path in files:
        name = entry["name"]
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as existing:
                if hashlib.sha256(existing.read()).hexdigest() == entry["sha256"]:
                    continue
            raise BackupError(f"Kho tệp đích đã có {name} với nội dung khác.")
        with path.open("rb") as handle:
            saved = default_storage.save(name, File(handle))
        if saved != name:
            raise BackupError(f"Không ghi được tệp {name} đúng tên (kho tệp đặt {saved}).")
        report.files += 1
    counts = _counts_here(sorted(manifest["counts"]))
    for table, expected in sorted(manifest["counts"].items()):
        if counts.get(table) != expected:
            report.problems.append(f"Bảng {table}: {counts.get(table)} dòng, bản sao lưu có {expected}.")
    report.tables, report.rows = len(counts), sum(counts.values())
    history = history_check(dossier_ids=None)
    report.dossiers_checked, report.events_checked = history.dossiers, history.events
    report.problems += [problem.message for problem in history.problems]
    return report
