"""End to end in headless Chromium: the justice department's leader adds a target to the year's commitment and
signs it; the target is measured from the year's dossiers. axe checks the page."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from cchc.accountability import services
from tests.accountability.conftest import home_affairs, world  # noqa: F401 - fixtures used by name
from tests.dossiers.conftest import World

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("default_766_rules"),
]


@pytest.fixture
def scene(world: World, home_affairs: Any) -> tuple[World, Any]:  # noqa: F811
    commitment = services.commitment_create(
        year=timezone.localdate().year, unit=world.justice, actor=home_affairs
    )
    return world, commitment


def test_a_leader_adds_a_target_and_signs(
    scene: Any, live_server: Any, page: Any, axe: Any, shots: Any
) -> None:
    w, commitment = scene
    base = live_server.url
    page.goto(f"{base}/can-bo/dang-nhap/?next=/can-bo/cam-ket/")
    page.get_by_label("Tên đăng nhập").fill(w.staff["leader"].username)
    page.get_by_label("Mật khẩu").fill("mat-khau-dai-2026")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/can-bo/cam-ket/")
    assert "Chưa ký cam kết (1 đơn vị): Sở Tư pháp tỉnh Thử." in page.locator("main").inner_text()
    page.get_by_role("link", name="Sở Tư pháp tỉnh Thử").click()
    page.wait_for_url(f"{base}/can-bo/cam-ket/{commitment.pk}/")
    assert axe(page) == []
    page.get_by_label("Số thứ tự").fill("1")
    page.get_by_label("Nội dung cam kết").fill("Tỷ lệ hồ sơ đúng hạn từ 98% trở lên")
    page.get_by_label("Đo tự động bằng").select_option("on_time_rate")
    page.get_by_label("Chỉ tiêu (%)").fill("98")
    page.get_by_role("button", name="Thêm nội dung").click()
    assert "Đã thêm nội dung cam kết." in page.locator(".messages").inner_text()
    row = page.locator("tbody tr", has_text="Tỷ lệ hồ sơ đúng hạn")
    assert "≥ 98,00%" in row.inner_text() and "Chưa có số liệu" in row.inner_text()
    page.get_by_role("button", name="Ký cam kết").click()
    assert "Đã ký cam kết." in page.locator(".messages").inner_text()
    assert page.get_by_role("button", name="Thêm nội dung").count() == 0
    shots(page, "cam-ket-da-ky")
