"""manage.py watch_report_deadlines: remind units of a report's due date; tell Home Affairs who missed it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cchc.reports.reminders import report_deadlines_watch


class Command(BaseCommand):
    help = "Nhắc hạn gửi báo cáo CCHC định kỳ và báo Sở Nội vụ các đơn vị chưa gửi (chạy hằng ngày)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = report_deadlines_watch()
        self.stdout.write(f"nhắc hạn {report.reminded}, chưa gửi {report.overdue}, thư {report.messages}")
