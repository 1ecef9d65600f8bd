"""manage.py demo_reports: the departments' reports of the last ended period, and the province's draft; once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cchc.reports.demo import demo_reports_create


class Command(BaseCommand):
    help = "Tạo báo cáo CCHC mẫu của kỳ vừa kết thúc (một lần)."

    def handle(self, *args: Any, **options: Any) -> None:
        made = demo_reports_create()
        if not made:
            self.stdout.write("Báo cáo mẫu đã có (hoặc chưa có tỉnh mẫu): bỏ qua.")
            return
        self.stdout.write(self.style.SUCCESS(f"Báo cáo mẫu: {len(made)} báo cáo."))
