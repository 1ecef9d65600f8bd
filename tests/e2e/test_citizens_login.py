"""End to end in headless Chromium: a citizen signs in with a code sent by SMS, fills the profile, sees it saved.

The code is read from the local fake SMS gateway (tests/dossiers/fake_sms_gateway.py), as a phone would.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from cchc.citizens.models import CitizenProfile
from tests.dossiers.fake_sms_gateway import FakeSmsGateway

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sms(settings: Any) -> Iterator[FakeSmsGateway]:
    with FakeSmsGateway(token="khoa-e2e") as fake:
        settings.CCHC_SMS_URL = fake.url
        settings.CCHC_SMS_API_KEY = "khoa-e2e"
        yield fake


def test_citizen_signs_in_by_phone_code_and_fills_the_profile(live_server, page, sms: FakeSmsGateway) -> None:
    page.goto(live_server.url + "/cong-dan/dang-nhap/")
    assert page.get_by_role("heading", level=1).inner_text() == "Công dân đăng nhập"
    page.get_by_label("Số điện thoại di động hoặc thư điện tử").fill("0912 345 678")
    page.get_by_role("button", name="Gửi mã xác nhận").click()
    page.wait_for_url(live_server.url + "/cong-dan/dang-nhap/nhap-ma/")
    assert "*******678" in page.locator("#code-sent").inner_text()

    # A wrong code first: the page says so and keeps the citizen on it.
    code = re.search(r"\b(\d{6})\b", sms.delivered[-1]["text"]).group(1)  # type: ignore[union-attr]
    page.get_by_label("Mã xác nhận").fill(f"{(int(code) + 1) % 10**6:06d}")
    page.get_by_role("button", name="Xác nhận và đăng nhập").click()
    assert page.get_by_role("alert").inner_text() == "Mã xác nhận không đúng. Bạn còn 4 lần thử."

    page.get_by_label("Mã xác nhận").fill(code)
    page.get_by_role("button", name="Xác nhận và đăng nhập").click()
    page.wait_for_url(live_server.url + "/cong-dan/ho-so-ca-nhan/")
    assert page.get_by_label("Số điện thoại di động").is_disabled()

    # A bad ID number is explained next to its field.
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Lan")
    page.get_by_label("Số CCCD (số định danh cá nhân)").fill("07919000123")
    page.get_by_role("button", name="Lưu hồ sơ").click()
    assert page.get_by_text("Số CCCD (số định danh cá nhân) phải gồm đúng 12 chữ số.").is_visible()

    page.get_by_label("Số CCCD (số định danh cá nhân)").fill("079190001234")
    page.get_by_label("Ngày sinh").fill("05/09/1990")
    page.get_by_label("Địa chỉ (số nhà, đường, thôn, tổ dân phố)").fill("12 đường Lê Lợi")
    page.get_by_role("button", name="Lưu hồ sơ").click()
    page.wait_for_url(live_server.url + "/cong-dan/ho-so-ca-nhan/")
    assert page.get_by_text("Đã lưu hồ sơ cá nhân.").is_visible()
    page.reload()
    assert page.get_by_label("Ngày sinh").input_value() == "05/09/1990"
    assert page.get_by_label("Họ và tên").input_value() == "Nguyễn Thị Lan"
    assert page.locator("header .who").inner_text() == "Nguyễn Thị Lan"
    profile = CitizenProfile.objects.get()
    assert (profile.id_number, profile.phone, profile.phone_verified) == ("079190001234", "0912345678", True)

    page.get_by_role("button", name="Đăng xuất").first.click()
    page.wait_for_url(live_server.url + "/")
