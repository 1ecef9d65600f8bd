"""Public tracking at /tra-cuu/: by code and key (the QR code of Mẫu 01), by code and phone digits; nothing
internal or identifying reaches the page. That wrong guesses tell nothing and are throttled is tested in
tests/security/test_tracking_enumeration.py."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from cchc.dossiers import services
from cchc.dossiers.forms.notices import tracking_url
from cchc.dossiers.models import Dossier, PartyKind
from cchc.dossiers.services import PartyData
from tests.dossiers.conftest import World, at
from tests.portal.factories import (
    APPLICANT_ID,
    APPLICANT_MASKED,
    APPLICANT_NAME,
    APPLICANT_PHONE,
    INTERNAL,
    MISSING_ITEM,
    received,
    refreshed,
    returned,
    returned_with_internal_notes,
)

pytestmark = pytest.mark.django_db

TRACK = "/tra-cuu/"


def _qr(dossier: Dossier) -> str:
    return f"{TRACK}?ma={dossier.code}&khoa={dossier.lookup_key}"


def _html(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


# -- finding the dossier ----------------------------------------------------------------------------------------
def test_the_receipt_qr_url_opens_the_dossier_directly(world: World, client: Client) -> None:
    dossier = returned(world)
    # The URL printed on Mẫu 01 is this page's.
    assert tracking_url(dossier).endswith(_qr(dossier))
    response = client.get(_qr(dossier))
    html = _html(response)
    assert response.status_code == 200
    assert f"Hồ sơ {dossier.code}" in html
    assert 'id="state">Đã trả kết quả<' in html
    assert "Thủ tục đăng ký khai sinh" in html
    assert world.centre.name in html


def test_form_with_code_and_key_by_post_works_without_javascript(world: World, client: Client) -> None:
    dossier = received(world)
    form = client.get(TRACK)
    assert form.status_code == 200
    assert 'method="post" action="/tra-cuu/"' in _html(form)
    response = client.post(TRACK, {"ma": f"  {dossier.code.lower()} ", "khoa": dossier.lookup_key.lower()})
    assert response.status_code == 200
    assert 'id="state">Đang xử lý<' in _html(response)


def test_key_typed_with_spaces_or_dashes_is_accepted(world: World, client: Client) -> None:
    dossier = received(world)
    key = dossier.lookup_key
    response = client.post(TRACK, {"ma": dossier.code, "khoa": f"{key[:4]}-{key[4:]}"})
    assert response.status_code == 200


def test_code_and_last_four_phone_digits(world: World, client: Client) -> None:
    dossier = received(world)
    response = client.post(TRACK, {"ma": dossier.code, "so": APPLICANT_PHONE[-4:]})
    assert response.status_code == 200
    assert f"Hồ sơ {dossier.code}" in _html(response)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"ma": "", "khoa": "ABCDEFGH"}, "Vui lòng nhập mã hồ sơ."),
        ({"ma": "X-1"}, "Vui lòng nhập mã tra cứu hoặc 4 số cuối số điện thoại."),
        ({"ma": "X-1", "so": "12a4"}, "Vui lòng nhập đúng 4 chữ số."),
        ({"ma": "X-1", "so": "12345"}, "Vui lòng nhập đúng 4 chữ số."),
        ({"ma": "X-1", "khoa": "ABC<DEF"}, "Mã tra cứu chỉ gồm chữ cái và chữ số."),
        ({"ma": "X" * 41, "khoa": "ABCDEFGH"}, "40"),
    ],
)
def test_bad_input_gets_a_vietnamese_message_and_400(
    client: Client, db: None, data: dict, message: str
) -> None:
    response = client.post(TRACK, data)
    assert response.status_code == 400
    assert message in _html(response)


def test_other_methods_are_refused(client: Client, db: None) -> None:
    assert client.put(TRACK).status_code == 405


def test_tracking_pages_are_not_cached(world: World, client: Client) -> None:
    dossier = received(world)
    response = client.get(_qr(dossier))
    assert "no-store" in response["Cache-Control"]
    assert 'name="robots" content="noindex, nofollow"' in _html(response)


# -- what the page shows ----------------------------------------------------------------------------------------
def test_public_timeline_shows_states_dates_result_and_return_but_nothing_internal(
    world: World, client: Client
) -> None:
    dossier = returned_with_internal_notes(world)
    html = _html(client.get(_qr(dossier)))
    # National states, in Vietnamese, and dates as dd/mm/yyyy HH:MM in Asia/Ho_Chi_Minh.
    for text in (
        "Tiếp nhận hồ sơ, hẹn ngày trả kết quả",
        "09/03/2026 09:00",
        "Yêu cầu bổ sung hồ sơ trong khi giải quyết",
        MISSING_ITEM,
        "Đã bổ sung hồ sơ",
        "Xin lỗi và hẹn lại ngày trả kết quả",
        "24/03/2026 17:00",  # the new date
        "Đã có kết quả giải quyết",
        "Văn bản số 27/GKS ngày 20/03/2026",
        "Đã trả kết quả",
        "Qua bưu chính công ích",
        "23/03/2026 08:00",
        "(Đang xử lý)",
        "(Yêu cầu bổ sung)",
        "(Đã xử lý xong)",
    ):
        assert text in html, text
    assert "Ngày hẹn trả kết quả ban đầu" in html
    assert "12/03/2026 17:00" in html  # the first appointment, kept beside the new one
    # Internal matter and identities never appear.
    for secret in (
        *INTERNAL.values(),
        APPLICANT_ID,
        APPLICANT_NAME,
        APPLICANT_PHONE,
        *(user.username for user in world.staff.values()),
        "Phân công",
        "bàn giao",
    ):
        assert secret not in html, secret
    assert APPLICANT_MASKED in html


def test_a_pending_supplement_shows_what_is_missing_but_not_the_reason(world: World, client: Client) -> None:
    dossier = services.dossier_request_supplement_at_reception(
        actor=world.staff["reception"],
        intake=world.intake(),
        missing=[MISSING_ITEM, "Tờ khai có chữ ký"],
        reason=INTERNAL["supplement_reason"],
        at=at(2026, 3, 9, 9),
    )
    html = _html(client.get(_qr(dossier)))
    assert 'id="state">Yêu cầu bổ sung<' in html
    assert "Giấy tờ cần bổ sung" in html
    assert MISSING_ITEM in html and "Tờ khai có chữ ký" in html
    assert INTERNAL["supplement_reason"] not in html


def test_an_organisation_applicant_is_shown_by_name(world: World, client: Client) -> None:
    dossier = received(
        world,
        applicant=PartyData(full_name="Công ty TNHH Thử", kind=PartyKind.ORGANISATION, id_number="0101"),
    )
    html = _html(client.get(_qr(dossier)))
    assert "Công ty TNHH Thử" in html


def test_a_refusal_reason_stays_internal(world: World, client: Client) -> None:
    dossier = received(world)
    services.dossier_stop(
        dossier=dossier,
        actor=world.staff["leader"],
        reason="LYDO-DUNG-NOIBO",
        expected_version=dossier.version,
        at=at(2026, 3, 10, 9),
    )
    html = _html(client.get(_qr(refreshed(dossier))))
    assert 'id="state">Dừng xử lý<' in html
    assert "Dừng giải quyết hồ sơ" in html
    assert "LYDO-DUNG-NOIBO" not in html


def test_the_page_is_vietnamese_by_default_and_switches_language_by_choice(
    world: World, client: Client
) -> None:
    dossier = returned(world)
    # The English request leaves English active in this thread; the tests that follow must not inherit it.
    with translation.override(translation.get_language()):
        default = client.get(_qr(dossier), HTTP_ACCEPT_LANGUAGE="en-US,en")
        assert '<html lang="vi">' in _html(default)
        assert "Quá trình giải quyết" in _html(default)
        client.cookies["django_language"] = "en"
        english = client.get(_qr(dossier))
    assert english.status_code == 200
    assert '<html lang="en">' in _html(english)
    assert dossier.code in _html(english)
