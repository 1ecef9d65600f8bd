"""cchc national_sync: send the outbox to the national portal, receive its filings, pull catalog updates
(every minute or so; the catalog pull with --catalog, for example nightly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from cchc.nationalportal.client import national_portal
from cchc.nationalportal.services import catalog_pull, filings_receive, messages_send_due


class Command(BaseCommand):
    help = "Đồng bộ với Cổng Dịch vụ công quốc gia: gửi trạng thái hồ sơ, nhận hồ sơ nộp trên Cổng, cập nhật danh mục."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--catalog", action="store_true", help="Cập nhật danh mục thủ tục từ Cổng.")

    def handle(self, *args: Any, **options: Any) -> None:
        portal = national_portal()
        if portal is None:
            self.stdout.write(
                "Chưa cấu hình CCHC_NATIONAL_PORTAL_URL: thông điệp chờ trong hàng đợi, không gửi đi."
            )
            return
        now = timezone.now()
        sent = messages_send_due(portal=portal, now=now)
        self.stdout.write(
            f"Trạng thái hồ sơ: Cổng đã nhận {sent.delivered}, lỗi {sent.failed}, chờ thông điệp trước {sent.waiting}."
        )
        filings = filings_receive(portal=portal, now=now)
        self.stdout.write(
            f"Hồ sơ nộp trên Cổng: đã nhận {filings.accepted}, từ chối {filings.rejected}, lỗi {filings.failed}."
        )
        if options["catalog"]:
            pull = catalog_pull(portal=portal, now=now)
            self.stdout.write(f"Danh mục thủ tục: {pull.summary}")
