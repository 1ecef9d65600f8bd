"""cchc postal_sync: send the shipments waiting in the outbox, then track those on their way (every few minutes)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from cchc.postal.client import postal_service
from cchc.postal.services import shipments_send_due, shipments_track


class Command(BaseCommand):
    help = "Gửi bưu gửi kết quả đang chờ và tra cứu bưu gửi đang chuyển phát."

    def handle(self, *args: Any, **options: Any) -> None:
        service = postal_service()
        if service is None:
            self.stdout.write("Chưa cấu hình CCHC_POSTAL_URL: bưu gửi chờ trong hàng đợi, không gửi đi.")
            return
        now = timezone.now()
        sent = shipments_send_due(service=service, now=now)
        tracked = shipments_track(service=service, now=now)
        self.stdout.write(
            f"Đã gửi {sent.sent}, lỗi khi gửi {sent.failed}; đã phát {tracked.delivered}, "
            f"bị hoàn {tracked.returned}, lỗi khi tra cứu {tracked.failed}."
        )
