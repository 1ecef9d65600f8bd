"""End to end in headless Chromium: tracking a dossier, rating it, the signed link, and a citizen's own dossiers.

The data comes from the dossier services (tests/portal/conftest.py) under django_db(transaction=True), so the
live server sees it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from cchc.dossiers.models import Channel, Rating
from cchc.dossiers.rating_links import rating_link
from cchc.dossiers.services import dossier_submit
from cchc.portal.models import Evaluation
from tests.dossiers.conftest import World, at, world  # noqa: F401 - the fixture is used by name
from tests.portal.factories import APPLICANT_MASKED, INTERNAL, citizen_user, received, returned

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_qr_url_of_a_returned_dossier_then_one_click_rating(
    world: World,  # noqa: F811
    live_server: Any,
    page: Any,
) -> None:
    dossier = returned(world)
    page.goto(f"{live_server.url}/tra-cuu/?ma={dossier.code}&khoa={dossier.lookup_key}")
    assert page.locator("h1").inner_text() == f"Hồ sơ {dossier.code}"
    assert page.locator("#state").inner_text() == "Đã trả kết quả"
    timeline = page.locator("#timeline")
    assert timeline.get_by_text("Tiếp nhận hồ sơ, hẹn ngày trả kết quả").is_visible()
    assert timeline.get_by_text("09/03/2026 09:00").is_visible()
    assert timeline.get_by_text("Đã trả kết quả", exact=True).is_visible()
    assert page.locator("#applicant").inner_text() == APPLICANT_MASKED
    assert INTERNAL["hand_over_note"] not in page.content()

    page.get_by_role("button", name="Rất hài lòng").click()
    page.wait_for_load_state()
    assert page.get_by_text("Cảm ơn Ông/Bà đã đánh giá mức độ hài lòng.").is_visible()
    assert page.locator("#rating-given").inner_text() == "Ông/Bà đã đánh giá: Rất hài lòng."
    assert page.get_by_role("button", name="Rất hài lòng").count() == 0
    assert Rating.objects.get(dossier=dossier).level == "very_satisfied"


def test_tracking_form_by_phone_digits_and_a_wrong_key(
    world: World,  # noqa: F811
    live_server: Any,
    page: Any,
) -> None:
    dossier = received(world)
    page.goto(f"{live_server.url}/tra-cuu/")
    page.get_by_label("Mã hồ sơ").fill(dossier.code)
    page.get_by_label("Mã tra cứu (in trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả)").fill("SAIKHOA2")
    page.get_by_role("button", name="Tra cứu").click()
    page.wait_for_load_state()
    assert "Không tìm thấy hồ sơ phù hợp" in page.locator("#problem").inner_text()

    page.get_by_label("Mã hồ sơ").fill(dossier.code)
    page.get_by_label("Hoặc 4 số cuối số điện thoại của người nộp").fill("5678")
    page.get_by_role("button", name="Tra cứu").click()
    page.wait_for_load_state()
    assert page.locator("#state").inner_text() == "Đang xử lý"
    assert page.locator("#appointment").inner_text() == "12/03/2026 17:00"
    # Nothing to rate before the result is returned.
    assert page.get_by_role("button", name="Hài lòng", exact=True).count() == 0


def test_signed_rating_link_from_the_notice(
    world: World,  # noqa: F811
    live_server: Any,
    page: Any,
) -> None:
    dossier = returned(world)
    link = rating_link(dossier, "satisfied").replace(settings.CCHC_PUBLIC_URL.rstrip("/"), live_server.url)
    page.goto(link)
    assert page.get_by_text("Ông/Bà đã chọn “Hài lòng” trong thông báo.").is_visible()
    assert Rating.objects.count() == 0  # opening the link records nothing
    page.get_by_label("Ý kiến (không bắt buộc)").fill("Cán bộ hướng dẫn tận tình")
    page.get_by_role("button", name="Hài lòng", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_text("Cảm ơn Ông/Bà đã đánh giá mức độ hài lòng.").is_visible()
    rating = Rating.objects.get(dossier=dossier)
    assert (rating.level, rating.comment) == ("satisfied", "Cán bộ hướng dẫn tận tình")

    page.goto(f"{live_server.url}/danh-gia/khong-hop-le/")
    assert page.get_by_text("Liên kết đánh giá không hợp lệ").is_visible()


def _sign_in_as(page: Any, base: str, user: Any) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])


def test_my_dossiers_on_a_phone_then_the_nine_indicator_evaluation(
    world: World,  # noqa: F811
    live_server: Any,
    page: Any,
) -> None:
    base = live_server.url
    an, binh = citizen_user("congdan.an"), citizen_user("congdan.binh")
    online = dossier_submit(intake=world.intake(channel=Channel.ONLINE, citizen=an), at=at(2026, 3, 9, 8))
    done = returned(world, citizen=an)
    theirs = dossier_submit(
        intake=world.intake(channel=Channel.ONLINE, citizen=binh), at=at(2026, 3, 9, 8, 5)
    )

    page.goto(f"{base}/cong-dan/ho-so-cua-toi/")
    assert page.url.startswith(f"{base}/cong-dan/dang-nhap/?next=")

    _sign_in_as(page, base, an)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{base}/cong-dan/ho-so-cua-toi/")
    assert page.locator("h1").inner_text() == "Hồ sơ của tôi"
    assert page.get_by_role("link", name=online.code).is_visible()
    assert page.get_by_role("link", name=theirs.code).count() == 0
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.get_by_role("link", name=done.code).click()
    page.wait_for_url(f"{base}/cong-dan/ho-so-cua-toi/{done.code}/")
    assert page.locator("#state").inner_text() == "Đã trả kết quả"
    page.get_by_text("Đánh giá chi tiết theo 9 chỉ số (không bắt buộc)").click()
    groups = page.locator("fieldset")
    assert groups.count() == 9
    for n in range(9):
        groups.nth(n).get_by_label("Tốt (2 điểm)" if n < 7 else "Trung bình (1 điểm)").check()
    page.get_by_role("button", name="Gửi đánh giá chi tiết").click()
    page.wait_for_load_state()
    assert page.get_by_text("Cảm ơn Ông/Bà đã đánh giá việc giải quyết thủ tục hành chính.").is_visible()
    assert (
        page.locator("#evaluation-given").inner_text() == "Ông/Bà đã đánh giá: 16/18 điểm, xếp loại Xuất sắc."
    )
    assert Evaluation.objects.get(dossier=done).total == 16
