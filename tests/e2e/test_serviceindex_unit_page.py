"""End to end in headless Chromium: a department leader signs in, opens the 766 index ranking for March 2026,
chooses the period with the form (no JavaScript needed), and reads the unit page: formula, inputs, points."""

from __future__ import annotations

from typing import Any

import pytest

from tests.dossiers.conftest import World, at, world  # noqa: F401 - the fixture is used by name
from tests.serviceindex.conftest import receive, resolve

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("default_766_rules"),
]


def test_leader_reads_the_unit_page(world: World, live_server: Any, page: Any, axe: Any) -> None:  # noqa: F811
    resolve(world, receive(world, at(2026, 3, 9, 9)), at(2026, 3, 10, 15))
    base = live_server.url
    page.goto(f"{base}/can-bo/dang-nhap/?next=/can-bo/chi-so-766/")
    page.get_by_label("Tên đăng nhập").fill(world.staff["leader"].username)
    page.get_by_label("Mật khẩu").fill("mat-khau-dai-2026")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/can-bo/chi-so-766/")
    assert page.locator("h1").inner_text() == "Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766)"

    page.get_by_label("Loại kỳ").select_option("month")
    page.get_by_label("Tháng hoặc quý (số)").select_option("3")
    page.get_by_label("Năm").select_option("2026")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url(f"{base}/can-bo/chi-so-766/?ky=month&so=3&nam=2026")
    page.get_by_role("link", name=world.justice.name).click()
    page.wait_for_url(f"{base}/can-bo/chi-so-766/don-vi/{world.justice.pk}/?ky=month&nam=2026&so=3")

    row = page.locator("#c-2\\.1")
    assert "20 × r" in row.inner_text()
    assert "100,00%" in row.inner_text() and "20,00 / 20,00" in row.inner_text()
    assert page.locator("#c-1\\.1").get_attribute("data-status") == "no_data"
    assert page.locator("#c-1\\.4").get_attribute("data-status") == "measured"  # synced: 0 of 1
    # 20 (progress) + 6 (dossier satisfaction) + 12 (no feedback: full points) = 38.
    assert page.locator("#si-total").inner_text() == "38,00"
    assert page.locator("#si-band").inner_text() == "Yếu"
    assert axe(page) == []
