"""manage.py backup FOLDER: the database (pg_dump custom format, or the SQLite file) and every stored file, with
a manifest of row counts and SHA-256 hashes (cchc.backup.archive)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cchc.backup.archive import BackupError, backup_create


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và các tệp đã lưu vào một thư mục trống."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", help="thư mục đích (mới hoặc trống)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup_create(Path(options["folder"]))
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["counts"].values())
        self.stdout.write(self.style.SUCCESS(
            f"Đã sao lưu {len(manifest['counts'])} bảng, {rows} dòng, {len(manifest['files'])} tệp vào {options['folder']}."
        ))  # fmt: skip
