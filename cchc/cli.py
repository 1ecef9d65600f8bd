"""The `cchc` console command: demo, serve, load-units, import-procedures, and every Django command.

cchc demo                  migrate, load units, the demo province and the procedures; print the logins
cchc serve [--port 8000]   serve the platform with granian (WSGI)
cchc load-units            load the 34 provinces, 3,321 communes and the legacy units
cchc import-procedures F   import procedures from a JSON or XLSX file (--publish to publish them)
cchc <django command>      e.g. cchc migrate, cchc createsuperuser
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

DEMO_PROCEDURES = Path(__file__).resolve().parent / "catalog" / "data" / "procedures.json"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    import django

    django.setup()


def demo(args: argparse.Namespace) -> int:
    _setup()
    from django.core.management import call_command

    print("Chuẩn bị cơ sở dữ liệu…")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("import_procedures", str(DEMO_PROCEDURES), publish=True)
    call_command("demo_province", province=args.province)
    call_command("demo_dossiers")
    _demo_year_simulate(call_command)
    call_command("demo_parindex")
    call_command("demo_plans")
    call_command("demo_accountability")
    call_command("demo_reports")
    print(
        "Công dân: đăng nhập tại /cong-dan/dang-nhap/ bằng một số điện thoại bất kỳ; khi chưa cấu hình "
        "CCHC_SMS_URL, mã xác nhận được in ra cửa sổ chạy máy chủ.\n"
        "Thử nộp trực tuyến: tìm “thanh lap cong ty” (thủ tục 2.001583, Sở Tài chính), nộp, rồi thanh toán qua "
        "cổng thanh toán thử nghiệm (make demo bật CCHC_PAYMENT_SANDBOX; không trừ tiền thật)."
    )
    return 0


DEMO_SIMULATED_DOSSIERS = 2000


def _demo_year_simulate(call_command: Any) -> None:
    """A small simulated year (cchc.simulator) so that statistics and the 766 index have figures; once."""
    from django.utils import timezone

    from cchc.dossiers.models import Dossier
    from cchc.simulator.world import SIM_USERS

    if Dossier.objects.filter(created_by__username__in=SIM_USERS).exists():
        return
    today = timezone.localdate()
    if today.month == 1 and today.day == 1:
        return  # the simulated year runs to yesterday: nothing to simulate on New Year's Day
    call_command("simulate", year=today.year, dossiers=DEMO_SIMULATED_DOSSIERS, no_progress=True)


def serve(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    from granian.constants import Interfaces
    from granian.server import Server

    print(f"cchc đang chạy tại http://{args.host}:{args.port}/ (Ctrl+C để dừng)")
    Server(
        "cchc.wsgi:application",
        address=args.host,
        port=args.port,
        interface=Interfaces.WSGI,
        workers=args.workers,
        blocking_threads=args.threads,
    ).serve()
    return 0


def load_units(args: argparse.Namespace) -> int:
    _setup()
    from django.core.management import call_command

    call_command("load_units", *(["--no-legacy"] if args.no_legacy else []))
    return 0


def import_procedures(args: argparse.Namespace) -> int:
    _setup()
    from django.core.management import call_command

    call_command("import_procedures", args.path, publish=args.publish)
    return 0


def verify_history(args: argparse.Namespace) -> int:
    _setup()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    try:
        call_command("verify_history", *[part for code in args.dossier or () for part in ("--dossier", code)])
    except CommandError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


def _command(name: str, *arguments: str) -> int:
    _setup()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    try:
        call_command(name, *arguments)
    except CommandError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(
        prog="cchc", description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    sub = parser.add_subparsers(dest="command")
    p = sub.add_parser("demo", help="cơ sở dữ liệu và tỉnh mẫu")
    p.add_argument("--province", type=int, default=91, help="mã tỉnh (mặc định 91, An Giang)")
    p.set_defaults(func=demo)
    p = sub.add_parser("serve", help="chạy máy chủ granian")
    p.add_argument("--host", default=os.environ.get("CCHC_HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("CCHC_PORT", "8000")))
    p.add_argument("--workers", type=int, default=int(os.environ.get("CCHC_WORKERS", "1")))
    p.add_argument("--threads", type=int, default=int(os.environ.get("CCHC_THREADS", "2")))
    p.set_defaults(func=serve)
    p = sub.add_parser("load-units", help="nạp đơn vị hành chính")
    p.add_argument("--no-legacy", action="store_true", help="không nạp đơn vị trước 01/07/2025")
    p.set_defaults(func=load_units)
    p = sub.add_parser("import-procedures", help="nhập thủ tục từ JSON hoặc XLSX")
    p.add_argument("path")
    p.add_argument("--publish", action="store_true", help="công bố các phiên bản đã nhập")
    p.set_defaults(func=import_procedures)

    p = sub.add_parser("backup", help="sao lưu cơ sở dữ liệu và tệp vào một thư mục trống")
    p.add_argument("folder")
    p.set_defaults(func=lambda args: _command("backup", args.folder))
    p = sub.add_parser("restore", help="phục hồi bản sao lưu vào cơ sở dữ liệu trống và kiểm tra")
    p.add_argument("folder")
    p.set_defaults(func=lambda args: _command("restore", args.folder))

    p = sub.add_parser("verify-history", help="kiểm tra chuỗi nhật ký hồ sơ")
    p.add_argument("--dossier", nargs="*", help="mã hồ sơ cần kiểm tra (mặc định: tất cả)")
    p.set_defaults(func=verify_history)

    if argv and argv[0] not in sub.choices and not argv[0].startswith("-"):
        _setup()
        from django.core.management import execute_from_command_line

        execute_from_command_line(["cchc", *argv])
        return 0
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
