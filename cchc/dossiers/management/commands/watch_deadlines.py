"""manage.py watch_deadlines [--enqueue]: warn staff about dossiers due soon and mark the overdue ones.

Run it every 10 minutes (cron, systemd timer). Without options it runs one pass now; with --enqueue it puts
the task cchc.dossiers.tasks.deadline_watch on the task queue for `manage.py db_worker`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cchc.dossiers.deadline_watch import deadline_watch_run
from cchc.dossiers.tasks import deadline_watch


class Command(BaseCommand):
    help = "Cảnh báo hồ sơ sắp đến hạn (còn một ngày làm việc) và đánh dấu hồ sơ quá hạn, báo cho cán bộ."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Đưa việc vào hàng đợi (manage.py db_worker chạy) thay vì chạy ngay.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = deadline_watch.enqueue()
            self.stdout.write(self.style.SUCCESS(f"Đã đưa vào hàng đợi: {result.id} ({result.status})."))
            return
        report = deadline_watch_run()
        self.stdout.write(
            self.style.SUCCESS(
                f"Sắp đến hạn: {report.due_soon}, quá hạn: {report.overdue}, thông báo: {report.notices}, "
                f"không có người nhận: {report.without_recipient}."
            )
        )
