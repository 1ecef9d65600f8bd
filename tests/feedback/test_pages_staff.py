"""Staff pages under /can-bo/phan-anh/: the worklist with due-soon and overdue, the detail page and its actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cchc import workdays
from cchc.feedback import services
from cchc.feedback.models import Feedback, Kind, State
from tests.feedback.conftest import Province, make_user

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _now_submit(province: Province, **values: Any) -> Feedback:
    return province.submit(when=timezone.now(), **values)


@pytest.mark.parametrize("url", ["/can-bo/phan-anh/", "/can-bo/phan-anh/PAKN-260302-0001/"])
def test_anonymous_is_sent_to_the_staff_login(client: Client, db: None, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/can-bo/dang-nhap/?next=")


def test_a_citizen_gets_403(citizen: Any) -> None:
    assert _client(citizen).get("/can-bo/phan-anh/").status_code == 403


def test_worklist_masks_the_phone_and_shows_days_left(province: Province) -> None:
    feedback = _now_submit(province)
    html = _client(province.staff["specialist"]).get("/can-bo/phan-anh/").content.decode()
    assert f'href="/can-bo/phan-anh/{feedback.code}/"' in html
    assert "*******678" in html and "0912345678" not in html
    # The answer is due 15 working days after the receipt (a receipt on a day off counts from the next working
    # morning); the list counts the working days from today to that day, whatever day the test runs.
    due_day = timezone.localdate(feedback.next_due_at)
    left = workdays.working_days_between(timezone.localdate(), due_day)
    assert left in {14, 15, 16}
    assert f"Còn {left} ngày làm việc" in html


def test_worklist_tabs_due_soon_and_overdue(province: Province) -> None:
    overdue = province.submit(when=timezone.now() - dt.timedelta(days=60))
    due_soon = _now_submit(province)
    Feedback.objects.filter(pk=due_soon.pk).update(next_due_at=timezone.now() + dt.timedelta(minutes=30))
    client = _client(province.staff["leader"])
    late_html = client.get("/can-bo/phan-anh/?loai=overdue").content.decode()
    assert overdue.code in late_html and due_soon.code not in late_html and "Quá hạn" in late_html
    soon_html = client.get("/can-bo/phan-anh/?loai=due_soon").content.decode()
    assert due_soon.code in soon_html and overdue.code not in soon_html
    assert client.get("/can-bo/phan-anh/?loai=nonsense&trang=x").status_code == 200


def test_worklist_of_another_department_is_empty_and_detail_is_404(province: Province) -> None:
    feedback = _now_submit(province)
    client = _client(province.staff["other_specialist"])
    assert feedback.code not in client.get("/can-bo/phan-anh/").content.decode()
    assert client.get(f"/can-bo/phan-anh/{feedback.code}/").status_code == 404
    forged = client.post(
        f"/can-bo/phan-anh/{feedback.code}/thao-tac/answer/",
        {"answer-expected_version": 1, "answer-answer": "X"},
    )
    assert forged.status_code == 404
    feedback.refresh_from_db()
    assert feedback.state == State.RECEIVED


def test_a_harassment_report_is_404_for_the_unit_specialist(province: Province) -> None:
    feedback = _now_submit(province, kind=Kind.HARASSMENT)
    assert _client(province.staff["specialist"]).get(f"/can-bo/phan-anh/{feedback.code}/").status_code == 404
    page = _client(province.staff["home_affairs"]).get(f"/can-bo/phan-anh/{feedback.code}/").content.decode()
    assert "Bảo mật" in page and "Công khai kết quả trả lời" not in page


def test_detail_shows_the_dues_and_the_forms(province: Province) -> None:
    feedback = _now_submit(province)
    html = _client(province.staff["specialist"]).get(f"/can-bo/phan-anh/{feedback.code}/").content.decode()
    assert "Hạn từ chối tiếp nhận" in html and "Hạn trả lời" in html
    assert timezone.localtime(feedback.answer_due_at).strftime("%d/%m/%Y %H:%M") in html
    for label in ("Từ chối tiếp nhận", "Đề nghị bổ sung thông tin", "Trả lời phản ánh, kiến nghị"):
        assert f'<button type="submit">{label}</button>' in html
    assert "0912345678" in html  # the handling officer may call the sender back


def test_empty_answer_gets_a_vietnamese_message(province: Province) -> None:
    feedback = _now_submit(province)
    response = _client(province.staff["specialist"]).post(
        f"/can-bo/phan-anh/{feedback.code}/thao-tac/answer/",
        {"answer-expected_version": feedback.version, "answer-answer": "  "},
    )
    assert response.status_code == 422
    assert "Vui lòng nhập nội dung trả lời." in response.content.decode()


def test_answer_then_publish_through_the_pages(province: Province) -> None:
    feedback = _now_submit(province)
    client = _client(province.staff["specialist"])
    answered = client.post(
        f"/can-bo/phan-anh/{feedback.code}/thao-tac/answer/",
        {"answer-expected_version": feedback.version, "answer-answer": "Sở đã chấn chỉnh."},
    )
    assert answered.status_code == 302
    page = client.get(answered["Location"]).content.decode()
    assert "Đã thực hiện: Trả lời phản ánh, kiến nghị." in page and "Hạn công khai" in page
    feedback.refresh_from_db()
    published = client.post(
        f"/can-bo/phan-anh/{feedback.code}/thao-tac/publish/",
        {"publish-expected_version": feedback.version, "publish-public_summary": "Hướng dẫn chưa rõ ràng."},
    )
    assert published.status_code == 302
    feedback.refresh_from_db()
    assert feedback.state == State.PUBLISHED and feedback.public_answer == "Sở đã chấn chỉnh."


def test_a_stale_form_shows_a_message_and_changes_nothing(province: Province) -> None:
    feedback = _now_submit(province)
    services.feedback_answer(feedback=feedback, actor=province.staff["leader"], answer="Trả lời trước.")
    response = _client(province.staff["specialist"]).post(
        f"/can-bo/phan-anh/{feedback.code}/thao-tac/answer/",
        {"answer-expected_version": 1, "answer-answer": "Trả lời sau."},
    )
    assert response.status_code == 409
    assert "vừa được người khác cập nhật" in response.content.decode()
    feedback.refresh_from_db()
    assert feedback.answer == "Trả lời trước."


def test_unknown_action_is_404(province: Province) -> None:
    feedback = _now_submit(province)
    client = _client(province.staff["specialist"])
    assert client.post(f"/can-bo/phan-anh/{feedback.code}/thao-tac/rate/").status_code == 404
    assert client.post(f"/can-bo/phan-anh/{feedback.code}/thao-tac/xoa/").status_code == 404


def test_a_user_without_role_gets_403(db: None) -> None:
    user = make_user("khach")
    assert _client(user).get("/can-bo/phan-anh/").status_code == 403
