"""manage.py export_procedures <path> [--format json|xlsx] [--published-only]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cchc.catalog.exchange import Format, procedures_export


class Command(BaseCommand):
    help = "Xuất danh mục thủ tục hành chính ra tệp JSON hoặc XLSX (docs/catalog-format.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--format", choices=("json", "xlsx"), default=None, help="Mặc định theo đuôi tệp."
        )
        parser.add_argument(
            "--published-only", action="store_true", help="Chỉ các phiên bản đang có hiệu lực."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        fmt: Format = "xlsx" if (options["format"] or path.suffix.lower().lstrip(".")) == "xlsx" else "json"
        path.write_bytes(procedures_export(fmt=fmt, published_only=options["published_only"]))
        self.stdout.write(self.style.SUCCESS(f"Đã xuất danh mục ra {path}"))
