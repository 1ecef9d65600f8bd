"""manage.py import_procedures <path> [--publish] [--format json|xlsx]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cchc.catalog.exchange import Format, procedures_import


class Command(BaseCommand):
    help = "Nhập danh mục thủ tục hành chính từ tệp JSON hoặc XLSX (docs/catalog-format.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--publish", action="store_true", help="Công bố các phiên bản đủ điều kiện.")
        parser.add_argument(
            "--format", choices=("json", "xlsx"), default=None, help="Mặc định theo đuôi tệp."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(f"Không tìm thấy tệp {path}")
        fmt: Format = "xlsx" if (options["format"] or path.suffix.lower().lstrip(".")) == "xlsx" else "json"
        report = procedures_import(source=path, fmt=fmt, publish=options["publish"])
        for error in report.errors:
            self.stderr.write(str(error))
        for code, reasons in report.not_published.items():
            self.stdout.write(f"{code}: chưa công bố – {' '.join(reasons)}")
        if report.errors:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
