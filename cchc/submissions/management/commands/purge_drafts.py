"""manage.py purge_drafts [--days N]: delete online-submission drafts untouched for N days (default 90).

Run it daily (cron). Their uploaded files go too, unless another draft or a dossier points to them.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cchc.submissions.services import DRAFT_RETENTION_DAYS, drafts_purge


class Command(BaseCommand):
    help = "Xóa hồ sơ nháp không được nộp và không sửa quá N ngày (mặc định 90), cùng tệp không còn dùng."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=DRAFT_RETENTION_DAYS)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["days"] < 1:
            self.stderr.write("--days phải là số nguyên dương.")
            return
        report = drafts_purge(older_than_days=options["days"])
        self.stdout.write(f"Đã xóa {report.drafts} hồ sơ nháp và {report.files} tệp không còn dùng.")
