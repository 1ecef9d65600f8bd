"""manage.py restore FOLDER: restore a backup into an empty database and storage, then check every table's count
and every dossier's history chain; exit status 1 on any difference (cchc.backup.archive)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cchc.backup.archive import BackupError, backup_restore


class Command(BaseCommand):
    help = "Phục hồi bản sao lưu vào cơ sở dữ liệu trống, rồi đối chiếu số dòng và chuỗi nhật ký hồ sơ."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", help="thư mục bản sao lưu")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_restore(Path(options["folder"]))
        except BackupError as error:
            raise CommandError(str(error)) from error
        for problem in report.problems:
            self.stdout.write(self.style.ERROR(problem))
        summary = (
            f"Đã phục hồi {report.tables} bảng, {report.rows} dòng, {report.files} tệp; "
            f"kiểm tra {report.dossiers_checked} hồ sơ, {report.events_checked} sự kiện nhật ký"
        )
        if report.problems:
            raise CommandError(f"{summary}: {len(report.problems)} sai lệch.")
        self.stdout.write(self.style.SUCCESS(f"{summary}: khớp bản sao lưu."))
