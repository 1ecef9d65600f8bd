"""Delete finished one-time codes older than cchc.citizens.rules.CODE_RETENTION (run daily, e.g. from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cchc.citizens.services import otp_purge


class Command(BaseCommand):
    help = "Xóa các mã xác nhận đã kết thúc quá thời hạn lưu (Delete finished one-time codes past retention)."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = otp_purge()
        self.stdout.write(f"{deleted}")
