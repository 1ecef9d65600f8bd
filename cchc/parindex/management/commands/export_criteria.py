"""manage.py export_criteria --year 2026 --audience department <path.json|path.xlsx>"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cchc.parindex.exchange import write_json, write_xlsx
from cchc.parindex.models import Audience, CriteriaSet


class Command(BaseCommand):
    help = "Xuất bộ tiêu chí Chỉ số CCHC ra tệp JSON hoặc XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--audience", choices=Audience.values, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        criteria_set = CriteriaSet.objects.filter(year=options["year"], audience=options["audience"]).first()
        if criteria_set is None:
            raise CommandError(f"Chưa có bộ tiêu chí năm {options['year']} cho {options['audience']}.")
        if path.suffix.lower() == ".xlsx":
            path.write_bytes(write_xlsx(criteria_set))
        elif path.suffix.lower() == ".json":
            path.write_bytes(write_json(criteria_set))
        else:
            raise CommandError("Chỉ xuất ra tệp .json hoặc .xlsx.")
        self.stdout.write(self.style.SUCCESS(f"Đã xuất {criteria_set} ra {path}"))
