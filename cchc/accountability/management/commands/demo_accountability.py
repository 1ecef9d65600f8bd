"""manage.py demo_accountability: this year's demo commitments; once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cchc.accountability.demo import demo_commitments_create


class Command(BaseCommand):
    help = "Tạo cam kết mẫu của các sở năm nay (một lần)."

    def handle(self, *args: Any, **options: Any) -> None:
        made = demo_commitments_create()
        if not made:
            self.stdout.write("Cam kết mẫu đã có (hoặc chưa có tỉnh mẫu): bỏ qua.")
            return
        self.stdout.write(self.style.SUCCESS(f"Cam kết mẫu: {len(made)} đơn vị."))
