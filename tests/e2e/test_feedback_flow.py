"""End to end in headless Chromium: a citizen sends feedback about a procedure, a staff officer answers and
publishes it, it appears on the public page, and the citizen follows it with the code and key and rates it.

The data is the `province` of the feedback tests; under django_db(transaction=True) it is committed, so the
live server sees it. Every user has the password "mat-khau-dai-2026".
"""

from __future__ import annotations

from typing import Any

import pytest

from cchc.feedback import services
from cchc.feedback.models import Feedback, State
from tests.feedback.conftest import PASSWORD, Province, province  # noqa: F401 - the fixture is used by name

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Any, base: str, username: str, next_url: str) -> None:
    page.goto(f"{base}/can-bo/dang-nhap/?next={next_url}")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}{next_url}")


def test_feedback_from_the_form_to_the_public_answer(
    province: Province,  # noqa: F811
    live_server: Any,
    page: Any,
    axe: Any,
) -> None:
    base = live_server.url

    # A citizen, not signed in, sends feedback about a procedure.
    page.goto(f"{base}/phan-anh/gui/")
    assert page.locator("h1").inner_text() == "Gửi phản ánh, kiến nghị"
    page.get_by_label("Thủ tục hành chính", exact=True).check()
    page.get_by_label("Mã thủ tục hành chính (ví dụ 1.001193)").fill("1.001193")
    page.get_by_label("Chọn cơ quan, đơn vị").select_option(label=province.justice.name)
    page.get_by_label("Nội dung phản ánh, kiến nghị").fill(
        "Trên cổng yêu cầu bản sao giấy chứng nhận kết hôn, tại quầy lại yêu cầu bản chính."
    )
    page.get_by_label("Họ và tên").fill("Trần Thị Bình")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_role("button", name="Gửi phản ánh").click()
    page.wait_for_url(f"{base}/phan-anh/gui/da-gui/")
    code = page.locator("#feedback-code").inner_text()
    key = page.locator("#feedback-key").inner_text()
    assert axe(page) == []
    feedback = Feedback.objects.get()
    assert (code, key) == (feedback.code, feedback.lookup_key)
    assert feedback.unit == province.justice and feedback.sender_phone == "0912345678"

    # A staff officer of the department answers and publishes it.
    staff = page.context.browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh").new_page()
    _sign_in(staff, base, province.staff["specialist"].username, "/can-bo/phan-anh/")
    assert staff.get_by_text("*******678").is_visible()
    staff.get_by_role("link", name=code).click()
    staff.wait_for_url(f"{base}/can-bo/phan-anh/{code}/")
    staff.get_by_label("Nội dung trả lời").fill(
        "Sở đã thống nhất: nộp bản sao có chứng thực, không yêu cầu bản chính. Cảm ơn Bà đã phản ánh."
    )
    staff.get_by_role("button", name="Trả lời phản ánh, kiến nghị").click()
    staff.wait_for_url(f"{base}/can-bo/phan-anh/{code}/")
    assert staff.locator("#state").inner_text() == "Đã trả lời"
    staff.get_by_label("Nội dung phản ánh được công khai (đã bỏ thông tin cá nhân)").fill(
        "Thành phần hồ sơ trên cổng và tại quầy không thống nhất (bản sao hay bản chính)."
    )
    staff.get_by_role("button", name="Công khai kết quả trả lời").click()
    staff.wait_for_url(f"{base}/can-bo/phan-anh/{code}/")
    assert staff.locator("#state").inner_text() == "Đã trả lời và công khai"
    staff.context.close()

    # The answer appears on the public page, without the sender's name or phone, and can be searched.
    page.goto(f"{base}/phan-anh/?q=ban+sao")
    answer = page.get_by_text("Sở đã thống nhất: nộp bản sao có chứng thực")
    assert answer.is_visible()
    assert page.get_by_text(code).is_visible()
    content = page.content()
    assert "Trần Thị Bình" not in content and "0912345678" not in content

    # The citizen follows it with the code and key, and rates the answer.
    page.goto(f"{base}/phan-anh/tra-cuu/")
    page.get_by_label("Mã phản ánh (ví dụ PAKN-260213-0001)").fill(code)
    page.get_by_label("Mã tra cứu").fill(key)
    page.get_by_role("button", name="Tra cứu").click()
    page.wait_for_url(f"{base}/phan-anh/tra-cuu/{code}/")
    assert page.locator("#answer").inner_text().startswith("Sở đã thống nhất")
    assert axe(page) == []
    page.get_by_label("Hài lòng", exact=True).check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    page.wait_for_url(f"{base}/phan-anh/tra-cuu/{code}/")
    assert page.get_by_text("Cảm ơn Ông/Bà đã đánh giá kết quả trả lời.").is_visible()
    feedback.refresh_from_db()
    assert feedback.state == State.PUBLISHED and feedback.rating == "satisfied"


def test_without_javascript_errors_show_and_the_sender_adds_more(
    province: Province,  # noqa: F811
    live_server: Any,
    browser: Any,
) -> None:
    base = live_server.url
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", java_script_enabled=False)
    page = context.new_page()

    # A harassment report about a unit, first with a bad phone number: the message is next to the field.
    page.goto(f"{base}/phan-anh/gui/")
    page.get_by_label("Cơ quan, đơn vị", exact=True).check()
    page.get_by_label("Phản ánh hành vi nhũng nhiễu, vòi vĩnh").check()
    page.get_by_label("Chọn cơ quan, đơn vị").select_option(label=province.justice.name)
    page.get_by_label("Nội dung phản ánh, kiến nghị").fill(
        "Cán bộ gợi ý nộp thêm tiền để hồ sơ được giải quyết nhanh."
    )
    page.get_by_label("Số điện thoại").fill("12345")
    page.get_by_role("button", name="Gửi phản ánh").click()
    assert page.get_by_text("Số điện thoại không hợp lệ. Ví dụ đúng: 0912 345 678.").is_visible()
    assert page.get_by_label("Số điện thoại").get_attribute("aria-invalid") == "true"
    page.get_by_label("Số điện thoại").fill("")
    page.get_by_role("button", name="Gửi phản ánh").click()
    page.wait_for_url(f"{base}/phan-anh/gui/da-gui/")
    code = page.locator("#feedback-code").inner_text()
    feedback = Feedback.objects.get(code=code)
    assert feedback.confidential

    # Home Affairs asks for more; the sender adds it from the tracking page.
    services.feedback_request_more(
        feedback=feedback,
        actor=province.staff["home_affairs"],
        question="Xin cho biết tên hoặc số quầy của cán bộ.",
    )
    page.get_by_role("link", name="Xem tình trạng xử lý").click()
    page.wait_for_url(f"{base}/phan-anh/tra-cuu/{code}/")
    assert page.get_by_text("Xin cho biết tên hoặc số quầy của cán bộ.").is_visible()
    page.get_by_label("Thông tin bổ sung").fill("Cán bộ ở quầy số 3, sáng thứ Hai.")
    page.get_by_role("button", name="Gửi thông tin bổ sung").click()
    page.wait_for_url(f"{base}/phan-anh/tra-cuu/{code}/")
    assert page.locator("#state").inner_text() == "Đã tiếp nhận, đang xử lý"

    # The report never reaches the public page.
    page.goto(f"{base}/phan-anh/")
    assert code not in page.content()
    context.close()
