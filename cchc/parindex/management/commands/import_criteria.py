"""manage.py import_criteria <path.json|path.xlsx> [--replace]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cchc.parindex.exchange import ReadFailed, read
from cchc.parindex.selectors import criteria_set_totals
from cchc.parindex.services import ImportRejected, criteria_set_import


class Command(BaseCommand):
    help = "Nhập bộ tiêu chí Chỉ số CCHC từ tệp JSON hoặc XLSX (cchc/parindex/exchange.py mô tả các cột)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--replace", action="store_true", help="Thay bộ tiêu chí đã có cho cùng năm và đối tượng."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}")
        try:
            criteria_set = criteria_set_import(read(path.read_bytes(), path.name), replace=options["replace"])
        except ReadFailed as error:
            raise CommandError(str(error)) from error
        except ImportRejected as rejected:
            for problem in rejected.errors:
                self.stderr.write(str(problem))
            raise CommandError(str(rejected)) from rejected
        totals = criteria_set_totals(criteria_set)
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập “{criteria_set.name}” ({criteria_set.year}): {totals.areas} lĩnh vực, "
                f"{totals.criteria} tiêu chí, {totals.components} tiêu chí thành phần; {totals.total} điểm, "
                f"trong đó điều tra xã hội học {totals.survey}; {totals.to_verify} mục cần đối chiếu."
            )
        )
