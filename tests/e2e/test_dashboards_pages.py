"""End to end in headless Chromium: a department leader reads the dashboard for March 2026, choosing the period
with the form (no JavaScript needed); a citizen without an account reads the transparency page and opens the
open data. Both pages pass axe-core."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.dashboards.conftest import make_march
from tests.dossiers.conftest import World, world  # noqa: F401 - the fixture is used by name

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("default_766_rules"),
]


def test_leader_reads_the_dashboard(world: World, live_server: Any, page: Any, axe: Any) -> None:  # noqa: F811
    make_march(world)
    base = live_server.url
    page.goto(f"{base}/can-bo/dang-nhap/?next=/can-bo/bang-dieu-khien/")
    page.get_by_label("Tên đăng nhập").fill(world.staff["leader"].username)
    page.get_by_label("Mật khẩu").fill("mat-khau-dai-2026")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/can-bo/bang-dieu-khien/")
    assert page.locator("h1").inner_text() == "Bảng điều khiển giải quyết thủ tục hành chính"

    page.get_by_label("Loại kỳ").select_option("month")
    page.get_by_label("Tháng hoặc quý (số)").select_option("3")
    page.get_by_label("Năm").select_option("2026")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url(f"{base}/can-bo/bang-dieu-khien/?ky=month&so=3&nam=2026")
    assert page.get_by_role("img", name="Tỷ lệ hồ sơ giải quyết đúng hạn theo tháng").is_visible()
    assert page.locator("#table-months tbody tr").inner_text().split("\t") == ["03/2026", "2", "1", "50,0%"]
    assert page.locator("#table-overdue tbody tr").count() == 1  # the leader's own unit only
    assert page.locator("svg.chart rect.point").count() > 0
    assert axe(page) == []


def test_citizen_reads_the_transparency_page(world: World, live_server: Any, page: Any, axe: Any) -> None:  # noqa: F811
    make_march(world)
    base = live_server.url
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{base}/cong-khai/?ky=month&nam=2026&so=3")
    assert page.locator("h1").inner_text() == "Công khai kết quả giải quyết thủ tục hành chính"
    row = page.locator(f"#unit-{world.justice.pk}")
    assert "50,0% (1/2)" in row.inner_text() and "33,3% (1/3)" in row.inner_text()
    assert axe(page) == []

    page.get_by_label("Loại kỳ").select_option("quarter")
    page.get_by_label("Tháng hoặc quý (số)").select_option("1")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url("**/cong-khai/?ky=quarter&so=1&nam=2026")
    assert "Quý 1/2026" in page.locator(".meta").first.inner_text()

    with page.expect_response("**/cong-khai/du-lieu.json*") as response_info:
        page.goto(f"{base}/cong-khai/du-lieu.json?ky=month&nam=2026&so=3")
    body = json.loads(response_info.value.text())
    assert {u["ma_don_vi"] for u in body["don_vi"]} == {world.justice.pk, world.construction.pk}

    page.goto(f"{base}/cong-khai/")
    page.get_by_role("link", name="Xem các câu trả lời phản ánh, kiến nghị đã công khai").click()
    page.wait_for_url(f"{base}/phan-anh/")
