"""manage.py demo_plans: this year's demo reform plan in progress; once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cchc.plans.demo import demo_plans_create


class Command(BaseCommand):
    help = "Tạo kế hoạch cải cách hành chính mẫu của tỉnh năm nay, đang thực hiện (một lần)."

    def handle(self, *args: Any, **options: Any) -> None:
        plan = demo_plans_create()
        if plan is None:
            self.stdout.write("Kế hoạch CCHC mẫu đã có (hoặc chưa có tỉnh mẫu): bỏ qua.")
            return
        self.stdout.write(self.style.SUCCESS(f"Kế hoạch CCHC mẫu: {plan.tasks.count()} nhiệm vụ."))
