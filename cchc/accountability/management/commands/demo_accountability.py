"""manage.py demo_accountability: this year's demo commitments, inspection and initiative; once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cchc.accountability.demo import demo_commitments_create, demo_inspections_create, demo_proposals_create


class Command(BaseCommand):
    help = "Tạo cam kết, cuộc kiểm tra và sáng kiến mẫu năm nay (một lần)."

    def handle(self, *args: Any, **options: Any) -> None:
        made = demo_commitments_create()
        if made:
            self.stdout.write(self.style.SUCCESS(f"Cam kết mẫu: {len(made)} đơn vị."))
        else:
            self.stdout.write("Cam kết mẫu đã có (hoặc chưa có tỉnh mẫu): bỏ qua.")
        inspection = demo_inspections_create()
        if inspection is not None:
            self.stdout.write(self.style.SUCCESS(f"Cuộc kiểm tra mẫu: {inspection.title}."))
        proposals = demo_proposals_create()
        if proposals:
            self.stdout.write(self.style.SUCCESS(f"Đề xuất khen thưởng, phê bình mẫu: {len(proposals)}."))
