"""Public pages: the form without JavaScript, the receipt, tracking by code and key, adding more, rating, and the
list of published answers, which never shows personal data or harassment reports."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cchc.dossiers.models import RatingLevel
from cchc.feedback import services
from cchc.feedback.models import Feedback, Kind, State, Subject
from tests.feedback.conftest import Province

pytestmark = pytest.mark.django_db

FORM = {
    "subject": Subject.PROCEDURE,
    "kind": Kind.COMPLAINT,
    "procedure_code": "1.001193",
    "content": "Thành phần hồ sơ trên cổng khác với yêu cầu tại quầy.",
    "sender_name": "Trần Thị Bình",
    "sender_phone": "0912345678",
    "sender_email": "",
}


def _post(client: Client, **changes: Any) -> Any:
    return client.post("/phan-anh/gui/", {**FORM, **changes})


def _submit(province: Province, **values: Any) -> Feedback:
    """A feedback sent now: the pages act now, so its limits must still run."""
    return province.submit(when=timezone.now(), **values)


def _published(province: Province, **values: Any) -> Feedback:
    feedback = _submit(province, **values)
    leader = province.staff["other_leader" if feedback.unit == province.construction else "leader"]
    services.feedback_answer(
        feedback=feedback, actor=leader, answer="Sở đã cập nhật thành phần hồ sơ trên cổng."
    )
    services.feedback_publish(
        feedback=feedback,
        actor=leader,
        public_summary="Thành phần hồ sơ khác nhau, liên hệ 0912 345 678 hoặc binh@example.invalid.",
    )
    feedback.refresh_from_db()
    return feedback


# -- sending ----------------------------------------------------------------------------------------------------
def test_the_form_has_every_field_and_a_label_for_each(client: Client, province: Province) -> None:
    response = client.get("/phan-anh/gui/?thu_tuc=1.001193")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script" not in html  # nothing needs JavaScript
    for name in (
        "subject",
        "kind",
        "dossier_code",
        "dossier_key",
        "procedure_code",
        "unit",
        "content",
        "sender_phone",
    ):
        assert f'name="{name}"' in html, name
    assert 'value="1.001193"' in html and 'value="procedure" id="id_subject_1" required checked' in html
    assert "Phản ánh hành vi nhũng nhiễu, vòi vĩnh" in html
    assert 'href="/static/feedback/feedback.css"' in html


def test_sending_shows_the_code_and_key_once(client: Client, province: Province) -> None:
    response = _post(client, unit=str(province.justice.pk))
    assert response.status_code == 302 and response["Location"] == "/phan-anh/gui/da-gui/"
    feedback = Feedback.objects.get()
    assert feedback.unit == province.justice and feedback.sender_phone == "0912345678"
    receipt = client.get("/phan-anh/gui/da-gui/").content.decode()
    assert feedback.code in receipt and feedback.lookup_key in receipt
    again = client.get("/phan-anh/gui/da-gui/")
    assert again.status_code == 302  # shown once


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"content": ""}, "Vui lòng nhập nội dung phản ánh, kiến nghị."),
        ({"sender_phone": "12345"}, "Số điện thoại không hợp lệ. Ví dụ đúng: 0912 345 678."),
        ({"sender_email": "binh@"}, "Địa chỉ thư điện tử không hợp lệ."),
        ({"subject": ""}, "Vui lòng chọn nội dung phản ánh về hồ sơ, thủ tục hay cơ quan."),
        ({"procedure_code": "9.999999"}, "Không tìm thấy thủ tục hành chính có mã 9.999999."),
        ({"unit": "999999"}, "Cơ quan, đơn vị đã chọn không hợp lệ."),
    ],
)
def test_bad_input_is_shown_next_to_its_field(
    client: Client, province: Province, changes: dict[str, str], message: str
) -> None:
    response = _post(client, **changes)
    html = response.content.decode()
    assert response.status_code == 422
    assert message in html
    assert 'aria-invalid="true"' in html
    assert Feedback.objects.count() == 0


def test_an_unknown_dossier_reveals_nothing(client: Client, province: Province) -> None:
    dossier = province.dossier()
    unknown = _post(
        client, subject=Subject.DOSSIER, dossier_code="000.00.03.H92-260302-0042", dossier_key="ABCDEFGH"
    )
    wrong = _post(client, subject=Subject.DOSSIER, dossier_code=dossier.code, dossier_key="ABCDEFGH")
    assert unknown.status_code == wrong.status_code == 422
    message = "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu đã nhập."
    assert message in unknown.content.decode() and message in wrong.content.decode()
    assert dossier.procedure_version.name not in wrong.content.decode()


def test_a_forged_kind_is_refused(client: Client, province: Province) -> None:
    response = _post(client, kind="praise", unit=str(province.justice.pk))
    assert response.status_code == 422 and Feedback.objects.count() == 0


# -- following --------------------------------------------------------------------------------------------------
def test_lookup_with_code_and_key_opens_the_status_page(client: Client, province: Province) -> None:
    feedback = _submit(province)
    response = client.post(
        "/phan-anh/tra-cuu/", {"code": feedback.code.lower(), "key": feedback.lookup_key.lower()}
    )
    assert response.status_code == 302 and response["Location"] == f"/phan-anh/tra-cuu/{feedback.code}/"
    page = client.get(response["Location"]).content.decode()
    assert "Đã tiếp nhận, đang xử lý" in page and feedback.content in page
    assert feedback.lookup_key not in response["Location"]


def test_a_wrong_key_is_refused_and_the_status_page_stays_closed(client: Client, province: Province) -> None:
    feedback = _submit(province)
    response = client.post("/phan-anh/tra-cuu/", {"code": feedback.code, "key": "ZZZZZZZZ"})
    assert response.status_code == 404
    assert "Không tìm thấy phản ánh với mã phản ánh và mã tra cứu đã nhập." in response.content.decode()
    closed = client.get(f"/phan-anh/tra-cuu/{feedback.code}/")
    assert closed.status_code == 302 and closed["Location"] == f"/phan-anh/tra-cuu/?ma={feedback.code}"
    forged = client.post(f"/phan-anh/tra-cuu/{feedback.code}/danh-gia/", {"rating": RatingLevel.SATISFIED})
    assert forged.status_code == 302
    feedback.refresh_from_db()
    assert feedback.rated_at is None


def test_the_sender_adds_more_from_the_status_page(client: Client, province: Province) -> None:
    feedback = _submit(province)
    services.feedback_request_more(
        feedback=feedback, actor=province.staff["leader"], question="Xin nêu số quầy."
    )
    client.post("/phan-anh/tra-cuu/", {"code": feedback.code, "key": feedback.lookup_key})
    page = client.get(f"/phan-anh/tra-cuu/{feedback.code}/").content.decode()
    assert "Xin nêu số quầy." in page and "Gửi thông tin bổ sung" in page
    empty = client.post(f"/phan-anh/tra-cuu/{feedback.code}/bo-sung/", {"text": ""})
    assert empty.status_code == 422 and "Vui lòng nhập thông tin bổ sung." in empty.content.decode()
    done = client.post(f"/phan-anh/tra-cuu/{feedback.code}/bo-sung/", {"text": "Quầy số 3, sáng thứ Hai."})
    assert done.status_code == 302
    feedback.refresh_from_db()
    assert feedback.state == State.RECEIVED


def test_the_sender_rates_the_answer_once(client: Client, province: Province) -> None:
    feedback = _submit(province)
    services.feedback_answer(feedback=feedback, actor=province.staff["leader"], answer="Đã khắc phục.")
    client.post("/phan-anh/tra-cuu/", {"code": feedback.code, "key": feedback.lookup_key})
    page = client.get(f"/phan-anh/tra-cuu/{feedback.code}/").content.decode()
    assert "Đã khắc phục." in page and "Đánh giá kết quả trả lời" in page
    client.post(f"/phan-anh/tra-cuu/{feedback.code}/danh-gia/", {"rating": RatingLevel.NOT_SATISFIED})
    again = client.post(
        f"/phan-anh/tra-cuu/{feedback.code}/danh-gia/", {"rating": RatingLevel.SATISFIED}, follow=True
    )
    assert "Ông/Bà đã đánh giá kết quả trả lời của phản ánh này." in again.content.decode()
    feedback.refresh_from_db()
    assert feedback.rating == RatingLevel.NOT_SATISFIED


def test_a_signed_in_citizen_follows_their_own_feedback_without_a_key(
    province: Province, citizen: Any
) -> None:
    feedback = _submit(province, citizen=citizen)
    client = Client()
    client.force_login(citizen)
    assert client.get(f"/phan-anh/tra-cuu/{feedback.code}/").status_code == 200
    other = _submit(province)
    assert client.get(f"/phan-anh/tra-cuu/{other.code}/").status_code == 302


# -- the published answers --------------------------------------------------------------------------------------
def test_the_public_list_shows_published_answers_without_personal_data(
    client: Client, province: Province
) -> None:
    published = _published(province)
    html = client.get("/phan-anh/").content.decode()
    assert published.code in html and "Sở đã cập nhật thành phần hồ sơ trên cổng." in html
    for personal in ("Trần Thị Bình", "0912345678", "0912 345 678", "binh@example.invalid", "***678"):
        assert personal not in html, personal
    assert "liên hệ *** hoặc ***." in html


def test_the_public_list_excludes_unpublished_and_confidential(client: Client, province: Province) -> None:
    leader = province.staff["leader"]
    received = _submit(province, content="Phản ánh chưa được trả lời về lệ phí.")
    answered = _submit(province, content="Phản ánh đã trả lời nhưng chưa công khai.")
    services.feedback_answer(feedback=answered, actor=leader, answer="Trả lời chưa công khai.")
    harassment = _submit(province, kind=Kind.HARASSMENT, content="Cán bộ vòi tiền bồi dưỡng.")
    services.feedback_answer(feedback=harassment, actor=leader, answer="Đã kỷ luật cán bộ vòi tiền.")
    html = client.get("/phan-anh/").content.decode()
    for hidden in (received, answered, harassment):
        assert hidden.code not in html
    assert "Trả lời chưa công khai." not in html and "vòi tiền" not in html
    assert "Chưa có kết quả trả lời nào được công khai." in html


def test_the_public_list_is_searchable_without_accents(client: Client, province: Province) -> None:
    found = _published(province)
    other = _published(province, unit_id=province.construction.pk)
    html = client.get("/phan-anh/?q=so+xay+dung").content.decode()
    assert other.code in html and found.code not in html
    nothing = client.get("/phan-anh/?q=khong+co+gi+ca").content.decode()
    assert "Không tìm thấy câu trả lời phù hợp." in nothing
    assert client.get("/phan-anh/?trang=abc").status_code == 200


def test_a_key_with_accents_is_just_a_wrong_key(client: Client, province: Province) -> None:
    """Non-ASCII keys are compared as bytes: no error page that would tell an existing code from an unknown."""
    feedback = _submit(province)
    for code in (feedback.code, "PAKN-260302-9999"):
        response = client.post("/phan-anh/tra-cuu/", {"code": code, "key": "ĐÉÂÔ"})
        assert response.status_code == 404
    dossier = province.dossier()
    accented = _post(client, subject=Subject.DOSSIER, dossier_code=dossier.code, dossier_key="Ếẫỏ")
    assert accented.status_code == 422
