"""manage.py demo_parindex: demo PAR Index data (last year published, this year open); once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cchc.parindex.demo import demo_parindex_create


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu Chỉ số CCHC: năm trước đã chấm và công bố, năm nay đang tự đánh giá (một lần)."

    def handle(self, *args: Any, **options: Any) -> None:
        published = demo_parindex_create()
        if published is None:
            self.stdout.write("Dữ liệu mẫu Chỉ số CCHC đã có (hoặc chưa có tỉnh mẫu): bỏ qua.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Chỉ số CCHC mẫu: năm {published.criteria_set.year} đã công bố "
                f"({published.units.count()} đơn vị), năm nay đang tự đánh giá."
            )
        )
