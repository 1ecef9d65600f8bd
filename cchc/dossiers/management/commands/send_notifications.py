"""manage.py send_notifications [--loop --interval 30]: send the due notices of the outbox (one pass by default)."""

from __future__ import annotations

import os
import socket
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

from cchc.dossiers.notifications import notifications_send_due


class Command(BaseCommand):
    help = "Gửi các thông báo (thư điện tử, SMS) đến hạn trong hộp thư đi; thử lại khi lỗi."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop", action="store_true", help="Chạy liên tục (mặc định: một lượt rồi dừng)."
        )
        parser.add_argument(
            "--interval", type=float, default=30.0, help="Số giây nghỉ giữa hai lượt khi chạy liên tục."
        )
        parser.add_argument("--limit", type=int, default=100, help="Số thông báo tối đa mỗi lượt.")
        parser.add_argument(
            "--worker",
            default="",
            help="Tên tiến trình gửi, ghi vào thông báo đang gửi (mặc định: tên máy và số tiến trình).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["interval"] <= 0 or options["limit"] <= 0:
            raise CommandError("--interval và --limit phải lớn hơn 0.")
        worker = options["worker"] or f"{socket.gethostname()}:{os.getpid()}"
        while True:
            report = notifications_send_due(limit=options["limit"], worker=worker)
            style = self.style.WARNING if report.retrying or report.failed else self.style.SUCCESS
            self.stdout.write(
                style(
                    f"Đã gửi {report.sent}, chờ gửi lại {report.retrying}, không thành công {report.failed}, "
                    f"thu hồi {report.released} lượt nhận quá hạn."
                )
            )
            for error in report.errors:
                self.stderr.write(error)
            if not options["loop"]:
                return
            try:
                time.sleep(options["interval"])
            except KeyboardInterrupt:
                return
            # A long-running worker drops broken or expired database connections between passes.
            close_old_connections()
