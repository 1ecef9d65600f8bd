"""End to end in headless Chromium: a province administrator opens the statistics, picks quarter 2 of 2026,
and drills down province → unit → procedure → the dossiers behind a figure → one dossier's page.

The data is the hand-counted `province` of tests/stats (committed under django_db(transaction=True)).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from cchc.orgs.models import Membership
from cchc.orgs.roles import Role
from tests.stats.conftest import (  # noqa: F401 - the fixtures are used by name
    Province,
    province,
    world,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-dai-2026"


def test_province_admin_drills_down_to_a_dossier(province: Province, live_server: Any, page: Any) -> None:  # noqa: F811
    w = province.world
    admin = get_user_model().objects.create_user("quantri.tinh", password=PASSWORD)
    Membership.objects.create(user=admin, unit=w.centre, role=Role.PROVINCE_ADMIN)
    base = live_server.url

    page.goto(f"{base}/can-bo/dang-nhap/?next=/can-bo/thong-ke/")
    page.get_by_label("Tên đăng nhập").fill(admin.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/can-bo/thong-ke/")
    assert page.locator("h1").inner_text() == "Thống kê tình hình giải quyết hồ sơ"

    # Pick quarter 2 of 2026, by unit.
    page.get_by_label("Loại kỳ").select_option(label="Quý")
    page.get_by_label("Năm").fill("2026")
    page.get_by_label("Tháng hoặc quý").fill("2")
    page.get_by_label("Nhóm theo").select_option(label="Theo đơn vị")
    page.get_by_role("button", name="Xem thống kê").click()
    page.wait_for_url("**/can-bo/thong-ke/?*so=2*")
    assert page.locator("h2").inner_text() == "Quý 2/2026 (01/04/2026 – 30/06/2026)"
    total = page.locator("tr.total")
    assert total.locator("th").inner_text() == "Tổng cộng"
    assert total.locator("td").first.inner_text() == "13"

    # Province → the justice department: its procedures.
    page.get_by_role("link", name=w.justice.name).click()
    page.wait_for_url("**nhom=procedure*")
    assert w.justice.name in page.locator("h2").inner_text()
    procedure_row = page.locator("tbody tr", has_text="1.001193")
    assert procedure_row.locator("td").first.inner_text() == "9"

    # The procedure's overdue dossiers (the 16th column): dossier B, carried over from March.
    procedure_row.locator("td").nth(15).get_by_role("link").click()
    page.wait_for_url("**/can-bo/thong-ke/ho-so/**")
    assert page.locator("h1").inner_text() == "Đang giải quyết quá hạn"
    b = province.dossiers["B"]
    page.get_by_role("link", name=b.code).click()
    page.wait_for_url(f"{base}/can-bo/ho-so/{b.code}/")
    assert page.locator("h1").inner_text() == f"Hồ sơ {b.code}"
