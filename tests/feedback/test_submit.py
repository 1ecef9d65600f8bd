"""Sending feedback: what it is about, where it goes, who is recorded, bad input, and who is told."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from cchc.dossiers.models import Notification, NotificationChannel
from cchc.dossiers.notifications import notifications_send_due
from cchc.feedback import services
from cchc.feedback.lifecycle import FeedbackInputError
from cchc.feedback.models import Feedback, FeedbackEvent, Kind, State, Subject
from cchc.feedback.routing import feedback_office, home_affairs_unit
from cchc.orgs.models import Unit, UnitKind
from tests.feedback.conftest import Province, at, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _locmem_mail(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CCHC_SMS_URL = ""


def _errors(province: Province, **values: Any) -> FeedbackInputError:
    with pytest.raises(FeedbackInputError) as error:
        province.submit(**values)
    assert Feedback.objects.count() == 0
    return error.value


# -- what it is about and where it goes -------------------------------------------------------------------------
def test_about_a_dossier_with_its_key_goes_to_the_competent_unit(province: Province) -> None:
    dossier = province.dossier()
    feedback = province.submit(
        subject=Subject.DOSSIER,
        dossier_code=dossier.code.lower(),
        dossier_key=dossier.lookup_key,
        unit_id=None,
    )
    assert feedback.dossier == dossier and feedback.unit == province.justice
    assert feedback.subject_name == "Thủ tục đăng ký khai sinh"


def test_the_owner_of_a_dossier_needs_no_key(province: Province, citizen: Any) -> None:
    dossier = province.dossier(citizen=citizen)
    feedback = province.submit(
        subject=Subject.DOSSIER, dossier_code=dossier.code, citizen=citizen, unit_id=None
    )
    assert feedback.dossier == dossier and feedback.citizen == citizen


def test_another_citizen_needs_the_key(province: Province, citizen: Any) -> None:
    dossier = province.dossier(citizen=citizen)
    stranger = make_user("nguoikhac")
    error = _errors(province, subject=Subject.DOSSIER, dossier_code=dossier.code, citizen=stranger)
    assert error.lookup_failed


def test_unknown_dossier_and_wrong_key_get_the_same_answer(province: Province) -> None:
    dossier = province.dossier()
    unknown = _errors(
        province, subject=Subject.DOSSIER, dossier_code="000.00.03.H92-260302-9999", dossier_key="ABCDEFGH"
    )
    wrong_key = _errors(province, subject=Subject.DOSSIER, dossier_code=dossier.code, dossier_key="ABCDEFGH")
    no_key = _errors(province, subject=Subject.DOSSIER, dossier_code=dossier.code, dossier_key="")
    assert unknown.errors == wrong_key.errors == no_key.errors
    assert unknown.errors["dossier_code"].startswith("Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu")
    assert unknown.lookup_failed and wrong_key.lookup_failed and no_key.lookup_failed


def test_about_a_procedure_by_its_code(province: Province) -> None:
    feedback = province.submit(
        subject=Subject.PROCEDURE, procedure_code=" 1.001193 ", unit_id=province.justice.pk
    )
    assert feedback.procedure is not None and feedback.procedure.code == "1.001193"
    assert feedback.unit == province.justice
    assert feedback.subject_name == "Thủ tục đăng ký khai sinh (1.001193)"


def test_a_procedure_without_a_unit_goes_to_the_feedback_office(province: Province, settings: Any) -> None:
    # No Office of the People's Committee: the provincial committee receives it.
    assert feedback_office() == province.committee
    feedback = province.submit(subject=Subject.PROCEDURE, procedure_code="1.001193", unit_id=None)
    assert feedback.unit == province.committee
    office = Unit.objects.create(
        name="Văn phòng Ủy ban nhân dân tỉnh Thử", kind=UnitKind.DEPARTMENT, area=province.committee.area
    )
    assert feedback_office() == office
    settings.CCHC_FEEDBACK_UNIT = province.justice.identifier
    assert feedback_office() == province.justice


def test_unknown_procedure_is_refused(province: Province) -> None:
    error = _errors(province, subject=Subject.PROCEDURE, procedure_code="9.999999")
    assert error.errors == {"procedure_code": "Không tìm thấy thủ tục hành chính có mã 9.999999."}


def test_about_a_unit_needs_an_active_unit(province: Province) -> None:
    assert _errors(province, unit_id=None).errors == {"unit": "Vui lòng chọn cơ quan, đơn vị bị phản ánh."}
    assert "không tồn tại" in _errors(province, unit_id=999_999).errors["unit"]


def test_home_affairs_is_found_by_setting_or_by_name(province: Province, settings: Any) -> None:
    assert home_affairs_unit() == province.home_affairs
    settings.CCHC_HOME_AFFAIRS_UNIT = province.justice.identifier
    assert home_affairs_unit() == province.justice


# -- the sender -------------------------------------------------------------------------------------------------
def test_a_signed_in_citizen_is_recorded_as_the_sender(province: Province, citizen: Any) -> None:
    feedback = province.submit(citizen=citizen, sender_name="", sender_email="")
    assert feedback.citizen == citizen
    assert feedback.sender_name == "Cường Lê Văn" and feedback.sender_email == "congdan@example.invalid"


def test_a_staff_member_is_not_recorded_as_a_citizen_sender(province: Province) -> None:
    feedback = province.submit(citizen=province.staff["specialist"])
    assert feedback.citizen is None


def test_anonymous_feedback_without_contact_is_accepted(province: Province) -> None:
    feedback = province.submit(sender_name="", sender_phone="", sender_email="")
    assert feedback.state == State.RECEIVED and feedback.citizen is None
    assert Notification.objects.count() == 0  # nobody to tell


def test_phone_numbers_are_written_one_way(province: Province) -> None:
    assert province.submit(sender_phone="+84 912.345.678").sender_phone == "0912345678"
    assert province.submit(sender_phone="0296 3852 123").sender_phone == "02963852123"


# -- bad input --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("content", ["", "   ", "\n\n"])
def test_empty_text_is_refused(province: Province, content: str) -> None:
    assert _errors(province, content=content).errors == {
        "content": "Vui lòng nhập nội dung phản ánh, kiến nghị."
    }


def test_too_short_and_too_long_text_are_refused(province: Province) -> None:
    assert "quá ngắn" in _errors(province, content="Chậm.").errors["content"]
    assert "dài quá" in _errors(province, content="x" * 5001).errors["content"]


@pytest.mark.parametrize("phone", ["12345", "091234567", "0912345678901", "abc", "0112345678"])
def test_bad_phone_is_refused(province: Province, phone: str) -> None:
    assert _errors(province, sender_phone=phone).errors == {
        "sender_phone": "Số điện thoại không hợp lệ. Ví dụ đúng: 0912 345 678."
    }


def test_bad_email_is_refused(province: Province) -> None:
    assert _errors(province, sender_email="binh@").errors == {
        "sender_email": "Địa chỉ thư điện tử không hợp lệ."
    }


def test_forged_subject_and_kind_are_refused(province: Province) -> None:
    assert "subject" in _errors(province, subject="citizen").errors
    assert "kind" in _errors(province, kind="praise").errors


# -- who is told ------------------------------------------------------------------------------------------------
def test_the_sender_gets_the_code_and_key_by_email_and_sms(province: Province) -> None:
    feedback = province.submit()
    notices = {n.channel: n for n in Notification.objects.all()}
    assert set(notices) == {NotificationChannel.EMAIL, NotificationChannel.SMS}
    assert notices["email"].recipient == "binh@example.invalid" and notices["sms"].recipient == "0912345678"
    assert notices["email"].subject == f"[{feedback.code}] Đã tiếp nhận phản ánh, kiến nghị"
    assert feedback.lookup_key in notices["email"].body and feedback.lookup_key in notices["sms"].body
    assert "23/03/2026 17:00" in notices["email"].body  # the answer's due time
    assert all(n.dossier_id is None for n in notices.values())


def test_a_harassment_report_is_confidential_and_goes_to_the_head_and_home_affairs(
    province: Province,
) -> None:
    feedback = province.submit(
        kind=Kind.HARASSMENT,
        content="Cán bộ tiếp nhận gợi ý phải nộp thêm tiền thì hồ sơ mới nhanh.",
        sender_phone="",
        sender_email="",
    )
    assert feedback.confidential
    recipients = set(Notification.objects.values_list("recipient", flat=True))
    assert recipients == {
        "lanhdao.tuphap@example.invalid",  # the unit's leader
        "lanhdao.noivu@example.invalid",  # the Home Affairs department's leader
        "noivu.tinh@example.invalid",  # the province-wide Home Affairs role
    }
    body = Notification.objects.first()
    assert body is not None and "nhũng nhiễu" in body.subject and "gợi ý phải nộp thêm tiền" not in body.body
    report = notifications_send_due(worker="test")
    assert report.sent == 3 and len(mail.outbox) == 3
    assert f"/can-bo/phan-anh/{feedback.code}/" in str(mail.outbox[0].body)


def test_a_unit_without_leaders_reports_to_the_unit_above(province: Province) -> None:
    branch = Unit.objects.create(
        name="Chi cục Thử", kind=UnitKind.BRANCH, area=province.justice.area, parent=province.justice
    )
    province.submit(kind=Kind.HARASSMENT, unit_id=branch.pk, sender_phone="", sender_email="")
    recipients = set(Notification.objects.values_list("recipient", flat=True))
    assert "lanhdao.tuphap@example.invalid" in recipients


def test_a_normal_feedback_tells_no_leader(province: Province) -> None:
    province.submit(sender_phone="", sender_email="")
    assert Notification.objects.count() == 0


def test_the_submit_event_holds_no_contact_details(province: Province) -> None:
    feedback = province.submit()
    changes = FeedbackEvent.objects.get(feedback=feedback).changes
    assert "0912345678" not in str(changes) and "binh@" not in str(changes)
    assert changes["unit"] == "Sở Tư pháp tỉnh Thử"


def test_answer_and_request_for_more_tell_the_sender(province: Province) -> None:
    feedback = province.submit(when=at(2026, 3, 2, 9), sender_phone="")
    leader = province.staff["leader"]
    services.feedback_request_more(
        feedback=feedback, actor=leader, question="Xin nêu số quầy.", at=at(2026, 3, 3, 9)
    )
    services.feedback_add_more(feedback=feedback, text="Quầy số 3 ạ, buổi sáng.", at=at(2026, 3, 3, 10))
    services.feedback_answer(
        feedback=feedback, actor=leader, answer="Đã nhắc nhở cán bộ.", at=at(2026, 3, 4, 9)
    )
    templates = list(Notification.objects.order_by("pk").values_list("template", flat=True))
    assert templates == ["feedback_received", "feedback_more_requested", "feedback_answered"]
    answered = Notification.objects.get(template="feedback_answered")
    assert "Đã nhắc nhở cán bộ." in answered.body and "/phan-anh/tra-cuu/" in answered.body
