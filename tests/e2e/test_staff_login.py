"""End to end in headless Chromium: a reception officer signs in and out."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_member_signs_in_and_out(live_server, page) -> None:
    get_user_model().objects.create_user(
        "tiepnhan.thu", password="mat-khau-dai-2026", first_name="Nguyễn Thị", last_name="Lan"
    )
    page.goto(live_server.url + "/can-bo/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("tiepnhan.thu")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    assert page.get_by_text("Tên đăng nhập hoặc mật khẩu không đúng.").is_visible()
    page.get_by_label("Mật khẩu").fill("mat-khau-dai-2026")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(live_server.url + "/")
    assert page.locator("header .who").inner_text() == "Nguyễn Thị Lan"
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("link", name="Cán bộ đăng nhập").is_visible()
