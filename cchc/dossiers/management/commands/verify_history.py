"""manage.py verify_history [--dossier CODE ...]: check every dossier's history chain; exit status 1 on a problem."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cchc.dossiers.history import history_check
from cchc.dossiers.models import Dossier


class Command(BaseCommand):
    help = "Kiểm tra nhật ký hồ sơ: phát hiện sự kiện bị sửa, xóa hoặc chèn thêm (chuỗi mã băm)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dossier",
            action="append",
            metavar="MÃ_HỒ_SƠ",
            help="Chỉ kiểm tra hồ sơ có mã này (có thể lặp lại). Mặc định: mọi hồ sơ.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        codes: list[str] | None = options["dossier"]
        ids: list[int] | None = None
        if codes:
            found = dict(Dossier.objects.filter(code__in=codes).values_list("code", "pk"))
            missing = [code for code in codes if code not in found]
            if missing:
                raise CommandError(f"Không tìm thấy hồ sơ: {', '.join(missing)}.")
            ids = list(found.values())
        report = history_check(dossier_ids=ids)
        for problem in report.problems:
            self.stdout.write(self.style.ERROR(problem.message))
        checked = f"Đã kiểm tra {report.dossiers} hồ sơ, {report.events} sự kiện"
        if report.problems:
            affected = len({problem.dossier_id for problem in report.problems})
            raise CommandError(f"{checked}: phát hiện {len(report.problems)} sai lệch ở {affected} hồ sơ.")
        self.stdout.write(self.style.SUCCESS(f"{checked}: không phát hiện sai lệch."))
