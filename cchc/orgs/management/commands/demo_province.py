"""`manage.py demo_province`: create the demo province's agencies, centres and staff logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from cchc.orgs.demo import demo_province_create


class Command(BaseCommand):
    help = "Tạo tỉnh mẫu (mặc định tỉnh An Giang, mã 91): cơ quan, trung tâm, quầy và tài khoản cán bộ mẫu."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", type=int, default=91, help="Mã tỉnh hiện hành (mặc định 91).")

    def handle(self, *args: Any, **options: Any) -> None:
        demo = demo_province_create(province_code=options["province"])
        self.stdout.write(
            _(
                "%(province)s: %(departments)s sở, ngành; %(communes)s xã, phường, đặc khu; tạo mới %(created)s, cập nhật %(updated)s."
            )
            % {
                "province": demo.province.name,
                "departments": len(demo.departments),
                "communes": len(demo.commune_committees),
                "created": demo.created,
                "updated": demo.updated,
            }
        )
        self.stdout.write(_("Tài khoản mẫu (chỉ dùng để thử nghiệm):"))
        for login in demo.logins:
            self.stdout.write(f"  {login.username} / {login.password} – {login.role} – {login.unit_name}")
