"""Sign-in through an OpenID Connect provider, against the local fake provider (tests/citizens/fake_oidc.py).

The whole flow goes through Django's test client and real HTTP to the fake: the redirect out, the provider's
consent, the callback, the token exchange with PKCE, the ID token checks and userinfo.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.test import Client

from cchc.citizens.models import CitizenProfile
from cchc.citizens.oidc import person_from_claims
from tests.citizens.conftest import LOGIN, PROFILE, enter_code, last_sms_code, make_citizen, request_code
from tests.citizens.fake_oidc import FakeOidcProvider
from tests.dossiers.fake_sms_gateway import FakeSmsGateway

pytestmark = pytest.mark.django_db

START = "/cong-dan/dang-nhap/vneid/"
CALLBACK = "/cong-dan/dang-nhap/vneid/callback/"
REFUSED_TOKEN = "Không xác thực được thông tin đăng nhập từ hệ thống định danh."
REFUSED_STATE = "Phiên đăng nhập qua tài khoản định danh đã hết hạn hoặc không hợp lệ."


def _to_provider(client: Client, query: str = "") -> str:
    start = client.get(START + query)
    assert start.status_code == 302, start.content
    return str(start["Location"])


def _consent(url: str) -> str:
    """The provider's answer to the browser: a redirect back to our callback (path and query)."""
    answer = requests.get(url, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    back = urlparse(answer.headers["Location"])
    assert back.path == CALLBACK
    return f"{back.path}?{back.query}"


def _flow(client: Client, query: str = "") -> Any:
    return client.get(_consent(_to_provider(client, query)))


def _signed_in(client: Client) -> Any:
    return client.session.get(SESSION_KEY)


# -- not configured ---------------------------------------------------------------------------------------------
def test_without_configuration_there_is_no_button_and_the_urls_are_404(client: Client) -> None:
    assert "vneid" not in client.get(LOGIN).content.decode()
    assert client.get(START).status_code == 404
    assert client.get(CALLBACK + "?code=x&state=y").status_code == 404


def test_half_a_configuration_is_no_configuration(client: Client, settings: Any) -> None:
    settings.CCHC_OIDC_ISSUER = "https://vneid.example.gov.vn"
    settings.CCHC_OIDC_CLIENT_ID = "cchc"
    settings.CCHC_OIDC_CLIENT_SECRET = ""
    assert client.get(START).status_code == 404


# -- the flow -----------------------------------------------------------------------------------------------------
def test_button_shows_the_configured_label(client: Client, oidc: FakeOidcProvider, settings: Any) -> None:
    settings.CCHC_OIDC_BUTTON_LABEL = "Đăng nhập bằng VNeID"
    html = client.get(LOGIN + "?next=/thu-tuc/").content.decode()
    assert f'href="{START}?next=/thu-tuc/"' in html and "Đăng nhập bằng VNeID" in html


def test_authorization_request_uses_pkce_s256_a_nonce_and_state(
    client: Client, oidc: FakeOidcProvider
) -> None:
    url = urlparse(_to_provider(client))
    query = {name: values[0] for name, values in parse_qs(url.query).items()}
    assert url.path == "/authorize"
    assert query["response_type"] == "code" and query["client_id"] == oidc.client_id
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert len(query["state"]) >= 32 and len(query["nonce"]) >= 32
    assert query["redirect_uri"] == "http://testserver" + CALLBACK
    assert "openid" in query["scope"].split()


def test_full_flow_registers_the_citizen_from_the_claims(client: Client, oidc: FakeOidcProvider) -> None:
    response = _flow(client)
    assert response.status_code == 302 and response["Location"] == PROFILE
    profile = CitizenProfile.objects.select_related("user").get()
    assert str(profile.user.pk) == _signed_in(client)
    assert (profile.oidc_issuer, profile.oidc_subject) == (oidc.issuer, "vneid-0001")
    assert profile.full_name == "Trần Thị Bình"
    assert profile.birth_date == dt.date(1990, 9, 5)
    assert (profile.id_number, profile.identity_verified) == ("079190001234", True)
    assert (profile.phone, profile.phone_verified) == ("0912345678", True)
    assert (profile.email, profile.email_verified) == ("binh.tran@example.vn", True)
    assert not profile.user.is_staff and not profile.user.has_usable_password()
    # The token request carried the PKCE verifier and the fake accepted it; userinfo was read.
    assert oidc.token_errors == [] and oidc.token_requests[0]["code_verifier"]
    assert oidc.userinfo_requests == 1


def test_second_sign_in_finds_the_account_by_issuer_and_subject(
    client: Client, oidc: FakeOidcProvider
) -> None:
    _flow(client)
    first = _signed_in(client)
    client.post("/cong-dan/dang-xuat/")
    oidc.claims["name"] = "Trần Thị Bình An"
    _flow(client)
    assert _signed_in(client) == first
    assert CitizenProfile.objects.get().full_name == "Trần Thị Bình An"


def test_client_secret_post_is_supported(client: Client, oidc: FakeOidcProvider, settings: Any) -> None:
    settings.CCHC_OIDC_TOKEN_AUTH_METHOD = "client_secret_post"
    assert _flow(client).status_code == 302
    assert oidc.token_requests[0]["client_secret"] == oidc.client_secret


def test_safe_next_is_kept_through_the_provider(client: Client, oidc: FakeOidcProvider) -> None:
    assert _flow(client, "?next=%2Fthu-tuc%2F%3Fq%3Dho%2Btich")["Location"] == "/thu-tuc/?q=ho+tich"


def test_unsafe_next_is_dropped(client: Client, oidc: FakeOidcProvider) -> None:
    assert _flow(client, "?next=https://evil.example/")["Location"] == PROFILE


def test_a_signed_in_citizen_gets_linked(client: Client, oidc: FakeOidcProvider, sms: FakeSmsGateway) -> None:
    request_code(client, "0987654321")
    enter_code(client, last_sms_code(sms))
    citizen = _signed_in(client)
    _flow(client)
    assert _signed_in(client) == citizen
    profile = CitizenProfile.objects.get()
    assert profile.oidc_subject == "vneid-0001" and profile.identity_verified
    assert (profile.phone, profile.phone_verified) == ("0987654321", True)  # the verified sign-in phone stays


def test_a_verified_id_number_of_another_account_is_refused(client: Client, oidc: FakeOidcProvider) -> None:
    make_citizen(phone="0977000111", id_number="079190001234", identity_verified=True)
    response = _flow(client)
    assert response.status_code == 409
    assert "Số định danh này đã gắn với một tài khoản công dân khác." in response.content.decode()
    assert _signed_in(client) is None


# -- refusals -------------------------------------------------------------------------------------------------------
def _assert_refused(client: Client, response: Any, message: str) -> None:
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _signed_in(client) is None
    assert not CitizenProfile.objects.exists()


def test_wrong_state_is_refused(client: Client, oidc: FakeOidcProvider) -> None:
    oidc.state_override = "trang-thai-gia-mao"
    _assert_refused(client, _flow(client), REFUSED_STATE)
    assert oidc.token_requests == []  # the code was never exchanged


def test_a_callback_is_used_once(client: Client, oidc: FakeOidcProvider) -> None:
    callback = _consent(_to_provider(client))
    client.get(callback.replace("state=", "state=x"))
    _assert_refused(client, client.get(callback), REFUSED_STATE)


def test_callback_without_a_started_flow_is_refused(client: Client, oidc: FakeOidcProvider) -> None:
    _assert_refused(client, client.get(CALLBACK + "?code=abc&state=def"), REFUSED_STATE)


def test_an_abandoned_flow_expires(client: Client, oidc: FakeOidcProvider) -> None:
    callback = _consent(_to_provider(client))
    session = client.session
    session["citizen_oidc_flow"]["started"] = time.time() - 11 * 60
    session.save()
    _assert_refused(client, client.get(callback), REFUSED_STATE)


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"nonce": "mot-nonce-khac"}, "'nonce'"),
        ({"aud": "ung-dung-khac"}, "'aud'"),
        ({"aud": ["ung-dung-khac", "ung-dung-thu-ba"]}, "'aud'"),
        ({"iss": "https://ke-gia-mao.example"}, "'iss'"),
        ({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 3900}, "expired"),
    ],
    ids=["wrong-nonce", "wrong-audience", "wrong-audience-list", "wrong-issuer", "expired"],
)
def test_a_bad_id_token_is_refused(
    client: Client,
    oidc: FakeOidcProvider,
    caplog: pytest.LogCaptureFixture,
    overrides: dict[str, Any],
    reason: str,
) -> None:
    oidc.id_token_overrides = overrides
    _assert_refused(client, _flow(client), REFUSED_TOKEN)
    assert reason in caplog.text  # refused for that reason, not another


def test_a_token_signed_by_another_key_is_refused(
    client: Client, oidc: FakeOidcProvider, caplog: pytest.LogCaptureFixture
) -> None:
    oidc.sign_with_other_key = True
    _assert_refused(client, _flow(client), REFUSED_TOKEN)
    assert "bad_signature" in caplog.text


def test_a_tampered_pkce_verifier_is_refused_by_the_provider(client: Client, oidc: FakeOidcProvider) -> None:
    callback = _consent(_to_provider(client))
    session = client.session
    session["citizen_oidc_flow"]["verifier"] = "x" * 64
    session.save()
    _assert_refused(client, client.get(callback), REFUSED_TOKEN)
    assert oidc.token_errors == ["invalid_grant"]


def test_a_wrong_client_secret_is_refused(client: Client, oidc: FakeOidcProvider, settings: Any) -> None:
    settings.CCHC_OIDC_CLIENT_SECRET = "bi-mat-sai"
    _assert_refused(client, _flow(client), REFUSED_TOKEN)
    assert oidc.token_errors == ["invalid_client"]


def test_the_citizen_cancelling_at_the_provider_is_explained(client: Client, oidc: FakeOidcProvider) -> None:
    _to_provider(client)
    state = client.session["citizen_oidc_flow"]["state"]
    response = client.get(f"{CALLBACK}?error=access_denied&state={state}")
    _assert_refused(client, response, "Bạn đã hủy đăng nhập qua tài khoản định danh.")


def test_a_provider_whose_discovery_names_another_issuer_is_not_used(
    client: Client, oidc: FakeOidcProvider, settings: Any
) -> None:
    settings.CCHC_OIDC_ISSUER = oidc.issuer + "/khac"
    settings.CCHC_OIDC_DISCOVERY_URL = oidc.issuer + "/.well-known/openid-configuration"
    response = client.get(START)
    assert response.status_code == 502
    assert "Không kết nối được với hệ thống định danh." in response.content.decode()


def test_a_plain_http_provider_off_the_loopback_is_refused(client: Client, settings: Any) -> None:
    settings.CCHC_OIDC_ISSUER = "http://vneid.example.gov.vn"
    settings.CCHC_OIDC_CLIENT_ID = "cchc"
    settings.CCHC_OIDC_CLIENT_SECRET = "bi-mat"
    response = client.get(START)
    assert response.status_code == 502  # refused before any request is made


# -- claims ---------------------------------------------------------------------------------------------------------
def test_claims_are_checked_one_by_one() -> None:
    person = person_from_claims(
        {
            "family_name": "Phạm",
            "middle_name": "Văn",
            "given_name": "Dũng",
            "birthdate": "0000-09-05",
            "phone_number": "+1 555 0100",
            "phone_number_verified": True,
            "email": "khong-phai-email",
            "so_dinh_danh": "12345",
        },
        id_number_claim="so_dinh_danh",
    )
    assert person.full_name == "Phạm Văn Dũng"
    assert person.birth_date is None and person.id_number == ""
    assert (person.phone, person.phone_verified, person.email) == ("", False, "")


def test_unverified_contact_claims_are_not_marked_verified() -> None:
    person = person_from_claims(
        {"phone_number": "0912345678", "phone_number_verified": "true", "email": "a@example.vn"},
        id_number_claim="cccd",
    )
    assert (person.phone, person.phone_verified) == ("0912345678", False)
    assert (person.email, person.email_verified) == ("a@example.vn", False)
