"""manage.py simulate --year 2026 --dossiers N [--seed 42] [--province 91]: fill the province with a simulated
year of dossiers (cchc.simulator.services.province_year_simulate)."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cchc.simulator.services import province_year_simulate
from cchc.simulator.world import SimulationError


class ProgressBar:
    """A text bar redrawn in place on stderr: [#####.....] 50% 100.000/200.000 hồ sơ, 40.000 hồ sơ/s."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream, self.width = stream, width
        self.started = time.perf_counter()

    def __call__(self, done: int, total: int) -> None:
        filled = self.width * done // max(total, 1)
        rate = done / max(time.perf_counter() - self.started, 1e-9)
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (self.width - filled)}] {100 * done // max(total, 1):3d}% "
            f"{_n(done)}/{_n(total)} hồ sơ, {_n(int(rate))} hồ sơ/s"
        )
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class Command(BaseCommand):
    help = (
        "Mô phỏng một năm hồ sơ thủ tục hành chính của tỉnh (dữ liệu thử nghiệm, trình diễn và đo hiệu năng)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="năm mô phỏng, ví dụ 2026")
        parser.add_argument("--dossiers", type=int, required=True, help="số hồ sơ cần tạo")
        parser.add_argument("--seed", type=int, default=42, help="hạt giống ngẫu nhiên (mặc định 42)")
        parser.add_argument("--province", type=int, default=None, help="mã tỉnh (mặc định: tỉnh đã cài đặt)")
        parser.add_argument("--no-progress", action="store_true", help="không hiện thanh tiến độ")

    def handle(self, *args: Any, **options: Any) -> None:
        show = not options["no_progress"]
        try:
            report = province_year_simulate(
                year=options["year"],
                dossiers=options["dossiers"],
                seed=options["seed"],
                province_code=options["province"],
                progress=ProgressBar(sys.stderr) if show else None,
            )
        except SimulationError as error:
            raise CommandError(str(error)) from None
        rate = report.dossiers / max(report.seconds, 1e-9)
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo {_n(report.dossiers)} hồ sơ mô phỏng năm {report.year} cho {report.province} "
                f"({report.first_day:%d/%m/%Y}–{report.last_day:%d/%m/%Y}), {_n(report.feedback)} phản ánh, "
                f"trong {report.seconds:.1f} giây ({_n(int(rate))} hồ sơ/s)."
            )
        )
        if report.estimated:
            self.stdout.write(
                self.style.WARNING(f"Lịch làm việc năm {report.year} là ước tính (chưa có lịch chính thức).")
            )
