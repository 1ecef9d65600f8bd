"""manage.py watch_plan_deadlines: remind lead units of near deadlines and tell Home Affairs of overdue tasks."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cchc.plans.reminders import plan_deadlines_watch


class Command(BaseCommand):
    help = "Nhắc hạn nhiệm vụ kế hoạch CCHC và báo nhiệm vụ quá hạn cho Sở Nội vụ (chạy hằng ngày)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = plan_deadlines_watch()
        self.stdout.write(
            f"nhắc hạn {report.reminded}, báo quá hạn {report.escalated}, thư {report.messages}"
        )
