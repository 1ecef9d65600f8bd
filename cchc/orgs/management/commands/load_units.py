"""`manage.py load_units`: load or refresh the administrative units from vietnam-provinces."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from cchc.orgs.services import units_load


class Command(BaseCommand):
    help = "Nạp danh mục đơn vị hành chính (34 tỉnh, 3.321 xã và danh mục trước 01/07/2025) từ vietnam-provinces."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-legacy",
            action="store_true",
            help="Chỉ nạp đơn vị hành chính hiện hành, bỏ qua danh mục trước 01/07/2025.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = units_load(include_legacy=not options["no_legacy"])
        lines = [
            _("Tỉnh, thành phố hiện hành: %(n)s") % {"n": report.provinces},
            _("Xã, phường, đặc khu hiện hành: %(n)s") % {"n": report.communes},
        ]
        if not options["no_legacy"]:
            lines += [
                _("Tỉnh, thành phố trước 01/07/2025: %(n)s") % {"n": report.legacy_provinces},
                _("Quận, huyện, thị xã, thành phố trước 01/07/2025: %(n)s") % {"n": report.legacy_districts},
                _("Xã, phường, thị trấn trước 01/07/2025: %(n)s") % {"n": report.legacy_communes},
                _(
                    "Quan hệ chuyển đổi cũ → mới: %(n)s (bỏ qua %(skipped)s cặp có mã cũ không nằm trong danh mục cũ)"
                )
                % {"n": report.successions, "skipped": report.successions_skipped},
            ]
        lines.append(
            _(
                "Đã tạo %(created)s, cập nhật %(updated)s đơn vị; tạo %(s_created)s, cập nhật %(s_updated)s quan hệ chuyển đổi (%(seconds).1f giây)."
            )
            % {
                "created": report.created,
                "updated": report.updated,
                "s_created": report.successions_created,
                "s_updated": report.successions_updated,
                "seconds": report.seconds,
            }
        )
        for line in lines:
            self.stdout.write(line)
