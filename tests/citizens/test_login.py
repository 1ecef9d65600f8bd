"""Citizen sign-in by one-time code: the pages, registration on first sign-in, redirects. The throttles are in
tests/security/test_login_throttling.py."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.test import Client

from cchc.citizens import rules
from cchc.citizens.models import CitizenProfile, OneTimeCode
from tests.citizens.conftest import (
    CODE,
    LOGIN,
    PROFILE,
    code_in,
    enter_code,
    last_sms_code,
    make_citizen,
    request_code,
)
from tests.dossiers.fake_sms_gateway import FakeSmsGateway

pytestmark = pytest.mark.django_db


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def _signed_in(client: Client) -> Any:
    return client.session.get(SESSION_KEY)


# -- the pages --------------------------------------------------------------------------------------------------
def test_login_page_is_in_vietnamese_with_a_labelled_field(client: Client) -> None:
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    assert "<h1>Công dân đăng nhập</h1>" in html
    assert '<label for="id_contact">Số điện thoại di động hoặc thư điện tử</label>' in html
    assert 'autocomplete="username"' in html


def test_code_page_without_a_code_request_goes_back_to_the_login(client: Client) -> None:
    assert client.get(CODE)["Location"] == LOGIN
    assert client.post(CODE, {"code": "123456"})["Location"] == LOGIN


def test_bad_contact_is_refused_with_a_vietnamese_message(client: Client, sms: FakeSmsGateway) -> None:
    response = request_code(client, "0212 345 678")
    assert response.status_code == 400
    assert "Số điện thoại di động hoặc địa chỉ thư điện tử không hợp lệ." in response.content.decode()
    assert sms.delivered == []


# -- happy paths --------------------------------------------------------------------------------------------------
def test_first_sign_in_by_sms_registers_the_citizen_and_asks_for_the_profile(
    client: Client, sms: FakeSmsGateway
) -> None:
    response = request_code(client, "+84 912 345 678")
    assert response.status_code == 302 and response["Location"] == CODE
    assert sms.delivered[-1]["to"] == "0912345678"
    page = client.get(CODE).content.decode()
    assert "*******678" in page and "0912345678" not in page
    before = client.session.session_key

    response = enter_code(client, last_sms_code(sms))

    assert response.status_code == 302 and response["Location"] == PROFILE
    user = get_user_model().objects.get(pk=_signed_in(client))
    assert client.session.session_key != before  # rotated at sign-in (session fixation)
    assert not user.is_staff and not user.is_superuser and not user.has_usable_password()
    profile = CitizenProfile.objects.get(user=user)
    assert (profile.phone, profile.phone_verified, profile.full_name) == ("0912345678", True, "")
    assert "Vui lòng cập nhật hồ sơ cá nhân" in client.get(PROFILE).content.decode()


def test_first_sign_in_by_email_registers_the_citizen(client: Client, mailoutbox: list[Any]) -> None:
    assert request_code(client, "An.Nguyen@Example.VN")["Location"] == CODE
    assert mailoutbox[-1].to == ["an.nguyen@example.vn"]
    assert "a********@example.vn" in client.get(CODE).content.decode()
    response = enter_code(client, code_in(mailoutbox[-1].body))
    assert response["Location"] == PROFILE
    profile = CitizenProfile.objects.get(user_id=_signed_in(client))
    assert (profile.email, profile.email_verified, profile.phone) == ("an.nguyen@example.vn", True, "")


def test_returning_citizen_signs_into_the_same_account_and_goes_to_next(
    client: Client, sms: FakeSmsGateway
) -> None:
    citizen = make_citizen(phone="0912345678")
    request_code(client, "0912345678", next="/thu-tuc/?q=khai+sinh")
    response = enter_code(client, last_sms_code(sms))
    assert response["Location"] == "/thu-tuc/?q=khai+sinh"
    assert str(citizen.pk) == _signed_in(client)
    assert get_user_model().objects.count() == 1


def test_new_citizen_is_sent_to_the_profile_then_to_next(client: Client, sms: FakeSmsGateway) -> None:
    request_code(client, "0912345678", next="/thu-tuc/")
    response = enter_code(client, last_sms_code(sms))
    assert response["Location"] == f"{PROFILE}?next=%2Fthu-tuc%2F"
    saved = client.post(f"{PROFILE}?next=/thu-tuc/", {"full_name": "Lê Văn Cường", "next": "/thu-tuc/"})
    assert saved["Location"] == "/thu-tuc/"


def test_an_unverified_phone_typed_in_a_profile_does_not_open_that_account(
    client: Client, sms: FakeSmsGateway
) -> None:
    owner = get_user_model().objects.create_user("congdan-chu")
    CitizenProfile.objects.create(user=owner, email="chu@example.vn", email_verified=True, phone="0912345678")
    request_code(client, "0912345678")
    enter_code(client, last_sms_code(sms))
    assert _signed_in(client) != str(owner.pk)
    assert CitizenProfile.objects.filter(phone="0912345678", phone_verified=True).count() == 1


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "http:/x"]
)
def test_unsafe_next_is_never_followed(client: Client, sms: FakeSmsGateway, target: str) -> None:
    make_citizen(phone="0912345678")
    request_code(client, "0912345678", next=target)
    response = enter_code(client, last_sms_code(sms))
    assert response["Location"] == PROFILE


def test_the_answer_is_the_same_whether_or_not_the_account_exists(
    client: Client, sms: FakeSmsGateway
) -> None:
    make_citizen(phone="0912345111")
    known = request_code(client, "0912345111")
    known_page = client.get(CODE).content.decode().replace("*******111", "MASK")
    other = Client()
    unknown = request_code(other, "0912345222")
    unknown_page = other.get(CODE).content.decode().replace("*******222", "MASK")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])

    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", known_page) == token.sub("", unknown_page)
    assert len(sms.delivered) == 2


# -- wrong, expired, exhausted, replaced ------------------------------------------------------------------------
def test_wrong_code_says_how_many_tries_are_left_and_signs_no_one_in(
    client: Client, sms: FakeSmsGateway
) -> None:
    request_code(client, "0912345678")
    response = enter_code(client, _wrong(last_sms_code(sms)))
    assert response.status_code == 400
    assert "Mã xác nhận không đúng. Bạn còn 4 lần thử." in response.content.decode()
    assert _signed_in(client) is None


def test_badly_typed_code_is_explained_and_not_counted(client: Client, sms: FakeSmsGateway) -> None:
    request_code(client, "0912345678")
    response = enter_code(client, "12a45")
    assert response.status_code == 400
    assert "Mã xác nhận gồm đúng 6 chữ số." in response.content.decode()
    assert OneTimeCode.objects.get().wrong_attempts == 0


def test_code_with_spaces_is_accepted(client: Client, sms: FakeSmsGateway) -> None:
    request_code(client, "0912345678")
    code = last_sms_code(sms)
    assert enter_code(client, f"{code[:3]} {code[3:]}").status_code == 302


def test_expired_code_is_refused(client: Client, sms: FakeSmsGateway) -> None:
    request_code(client, "0912345678")
    code = last_sms_code(sms)
    row = OneTimeCode.objects.get()
    OneTimeCode.objects.update(created_at=row.created_at - rules.OTP_VALIDITY, expires_at=row.created_at)
    response = enter_code(client, code)
    assert response.status_code == 400
    assert "Mã xác nhận đã hết hạn." in response.content.decode()
    assert _signed_in(client) is None


def test_resend_replaces_the_code(client: Client, sms: FakeSmsGateway) -> None:
    request_code(client, "0912345678")
    old = last_sms_code(sms)
    assert client.post(CODE, {"action": "resend"}, REMOTE_ADDR="10.1.1.1")["Location"] == CODE
    new = last_sms_code(sms)
    assert len(sms.delivered) == 2
    if old != new:
        assert enter_code(client, old).status_code == 400
    assert enter_code(client, new).status_code == 302


def test_gateway_failure_tells_the_citizen_to_try_again(client: Client, sms: FakeSmsGateway) -> None:
    sms.fail_next(1)
    response = request_code(client, "0912345678")
    assert response.status_code == 503
    assert "Chưa gửi được mã xác nhận." in response.content.decode()


# -- accounts that may not sign in here -------------------------------------------------------------------------
def test_inactive_account_is_not_signed_in(client: Client, sms: FakeSmsGateway) -> None:
    citizen = make_citizen(phone="0912345678")
    citizen.is_active = False
    citizen.save()
    request_code(client, "0912345678")
    response = enter_code(client, last_sms_code(sms))
    assert response.status_code == 403
    assert _signed_in(client) is None


def test_staff_account_never_signs_in_by_code(client: Client, sms: FakeSmsGateway) -> None:
    staff = make_citizen(phone="0912345678")
    staff.is_staff = True
    staff.save()
    request_code(client, "0912345678")
    assert enter_code(client, last_sms_code(sms)).status_code == 403
    assert _signed_in(client) is None


def test_sign_out_is_post_only(client: Client) -> None:
    client.force_login(make_citizen())
    assert client.get("/cong-dan/dang-xuat/").status_code == 405
    assert _signed_in(client) is not None
    assert client.post("/cong-dan/dang-xuat/")["Location"] == "/"
    assert _signed_in(client) is None
