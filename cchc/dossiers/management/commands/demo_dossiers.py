"""`manage.py demo_dossiers`: dossiers in every state for the demo province."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cchc.dossiers.demo import demo_dossiers_create


class Command(BaseCommand):
    help = "Tạo hồ sơ mẫu ở mọi trạng thái cho tỉnh mẫu."

    def handle(self, *args: Any, **options: Any) -> None:
        report = demo_dossiers_create()
        if not report.created:
            self.stdout.write("Đã có hồ sơ, không tạo thêm hồ sơ mẫu.")
            return
        self.stdout.write(f"Đã tạo {report.created} hồ sơ mẫu:")
        for label, count in sorted(report.by_state.items()):
            self.stdout.write(f"  {label}: {count}")
