"""Login throttling (check 1): the staff sign-in at /can-bo/dang-nhap/ (cchc.orgs.views, cchc.orgs.throttle) and
the citizens' one-time codes at /cong-dan/dang-nhap/ (cchc.citizens.services, cchc.citizens.rules).

Once the limit is reached every attempt is refused with 429 and Retry-After, even a correct one, until the window
passes. Time is never waited for: the window test moves a clock (`clock`)."""

from __future__ import annotations

import os
import time
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from cchc.citizens import rules
from cchc.citizens.rules import Limit
from cchc.orgs.throttle import client_address, throttle_check, throttle_fail, throttle_key, throttle_reset
from tests.citizens.conftest import code_in, enter_code, last_sms_code, request_code
from tests.dossiers.fake_sms_gateway import FakeSmsGateway

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-dung-2026"
LOGIN = "/can-bo/dang-nhap/"
CITIZEN_CODE = "/cong-dan/dang-nhap/nhap-ma/"


class Clock:
    """Stands in for time.time(): seconds since the epoch, moved by the test."""

    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Clock:
    """time.time() frozen at 10/03/2026 09:00 (+07), and a local-memory cache of its own, whose expiry reads the
    same clock; Redis expires its keys by its own clock, so it is left out of this one test."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle-clock"}
    }
    frozen = Clock(1_773_108_000.0)
    monkeypatch.setattr(time, "time", frozen)
    return frozen


@pytest.fixture
def officer(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user(username="tiepnhan.thu", password=PASSWORD)


@pytest.fixture
def limits(settings: Any) -> Any:
    settings.LOGIN_MAX_ATTEMPTS = 3
    settings.LOGIN_WINDOW_SECONDS = 60
    return settings


def _post(client: Client, username: str, password: str, *, address: str = "10.0.0.1", **extra: str) -> Any:
    return client.post(LOGIN, {"username": username, "password": password, **extra}, REMOTE_ADDR=address)


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def _signed_in(client: Client) -> Any:
    return client.session.get(SESSION_KEY)


# -- staff sign-in ------------------------------------------------------------------------------------------------
def test_lockout_after_the_maximum_failed_attempts(client: Client, officer: Any, limits: Any) -> None:
    for _ in range(3):
        assert _post(client, "tiepnhan.thu", "sai").status_code == 200
    response = _post(client, "tiepnhan.thu", "sai")
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    assert 0 < int(response["Retry-After"]) <= 61


def test_lockout_holds_even_for_the_correct_password(client: Client, officer: Any, limits: Any) -> None:
    for _ in range(3):
        _post(client, "tiepnhan.thu", "sai")
    response = _post(client, "tiepnhan.thu", PASSWORD)
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_lockout_by_user_name_holds_from_another_address(client: Client, officer: Any, limits: Any) -> None:
    for number in range(3):
        _post(client, "tiepnhan.thu", "sai", address=f"10.0.0.{number + 1}")
    assert _post(client, "Tiepnhan.Thu", PASSWORD, address="10.9.9.9").status_code == 429


def test_lockout_by_address_holds_for_other_user_names(
    client: Client, officer: Any, limits: Any, django_user_model: Any
) -> None:
    for name in ("a", "b", "c"):
        _post(client, name, "sai", address="10.0.0.7")
    assert _post(client, "tiepnhan.thu", PASSWORD, address="10.0.0.7").status_code == 429
    # Another address and user name are not affected.
    assert _post(client, "tiepnhan.thu", PASSWORD, address="10.0.0.8").status_code == 302


def test_attempts_are_allowed_again_when_the_window_has_passed(
    client: Client, officer: Any, limits: Any, clock: Clock
) -> None:
    for _ in range(3):
        _post(client, "tiepnhan.thu", "sai")
    clock.now += 10
    locked = _post(client, "tiepnhan.thu", PASSWORD)
    assert locked.status_code == 429
    assert locked["Retry-After"] == "51"  # the window opened at the first failure, 10 s ago: 50 s left, + 1
    clock.now += 49
    assert _post(client, "tiepnhan.thu", PASSWORD).status_code == 429  # still within the 60 s
    assert SESSION_KEY not in client.session
    clock.now += 2
    assert _post(client, "tiepnhan.thu", PASSWORD).status_code == 302
    assert client.session[SESSION_KEY] == str(officer.pk)


def test_a_successful_sign_in_forgets_the_user_names_failures(
    client: Client, officer: Any, limits: Any
) -> None:
    for number in range(2):
        _post(client, "tiepnhan.thu", "sai", address=f"10.0.1.{number}")
    assert _post(client, "tiepnhan.thu", PASSWORD, address="10.0.1.9").status_code == 302
    for number in range(2):
        assert _post(Client(), "tiepnhan.thu", "sai", address=f"10.0.2.{number}").status_code == 200
    # Two failures since the success, not four: the user name is not locked.
    assert _post(Client(), "tiepnhan.thu", PASSWORD, address="10.0.2.9").status_code == 302


def test_the_admin_signs_in_through_the_throttled_staff_login(client: Client) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/can-bo/dang-nhap/?next=/admin/"


# -- the counters -------------------------------------------------------------------------------------------------
def test_throttle_functions_count_lock_and_reset() -> None:
    keys = [throttle_key(scope="otp", kind="phone", value="0912345678")]
    assert not throttle_check(keys=keys, limit=2, window=60).locked
    throttle_fail(keys=keys, window=60)
    assert not throttle_check(keys=keys, limit=2, window=60).locked
    throttle_fail(keys=keys, window=60)
    state = throttle_check(keys=keys, limit=2, window=60)
    assert state.locked and 0 < state.retry_after <= 61
    throttle_reset(keys=keys)
    assert not throttle_check(keys=keys, limit=2, window=60).locked


def test_throttle_keys_hide_the_value_and_ignore_case() -> None:
    key = throttle_key(scope="login", kind="user", value="TiepNhan.Tinh")
    assert "tiepnhan" not in key.lower()
    assert key == throttle_key(scope="login", kind="user", value="tiepnhan.tinh ")


def test_client_address_ignores_forwarded_for_without_trusted_proxies(rf: Any, settings: Any) -> None:
    settings.TRUSTED_PROXY_HOPS = 0
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4", REMOTE_ADDR="10.0.0.1")
    assert client_address(request) == "10.0.0.1"


def test_client_address_takes_the_hop_the_trusted_proxy_appended(rf: Any, settings: Any) -> None:
    settings.TRUSTED_PROXY_HOPS = 1
    # The client forged "6.6.6.6"; the proxy appended the address it really saw.
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="10.0.0.1")
    assert client_address(request) == "203.0.113.7"
    settings.TRUSTED_PROXY_HOPS = 3
    assert client_address(request) == "10.0.0.1"  # fewer hops than configured: fall back


def test_a_forged_forwarded_for_does_not_escape_the_staff_lockout(
    client: Client, officer: Any, limits: Any
) -> None:
    """Without trusted proxies, a new X-Forwarded-For on every attempt is still one address."""
    for number in range(3):
        client.post(LOGIN, {"username": f"khach{number}", "password": "sai"}, REMOTE_ADDR="10.0.3.1",
                    HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")  # fmt: skip
    response = client.post(LOGIN, {"username": "tiepnhan.thu", "password": PASSWORD}, REMOTE_ADDR="10.0.3.1",
                           HTTP_X_FORWARDED_FOR="198.51.100.99")  # fmt: skip
    assert response.status_code == 429


# -- citizens' one-time codes -------------------------------------------------------------------------------------
def test_fifth_wrong_code_ends_it(client: Client, sms: FakeSmsGateway) -> None:
    request_code(client, "0912345678")
    code = last_sms_code(sms)
    for _ in range(4):
        enter_code(client, _wrong(code))
    response = enter_code(client, _wrong(code))
    assert "Bạn đã nhập sai quá số lần cho phép." in response.content.decode()
    response = enter_code(client, code)
    assert "Mã xác nhận không còn hiệu lực." in response.content.decode()
    assert _signed_in(client) is None


def test_fourth_code_request_for_an_address_within_ten_minutes_gets_429(
    client: Client, sms: FakeSmsGateway
) -> None:
    for number in range(3):
        assert request_code(client, "0912345678", address=f"10.0.0.{number}").status_code == 302
    response = request_code(client, "0912 345 678", address="10.9.9.9")
    assert response.status_code == 429
    assert "Bạn đã yêu cầu gửi mã quá nhiều lần. Vui lòng thử lại sau 10 phút." in response.content.decode()
    assert 0 < int(response["Retry-After"]) <= 601
    assert len(sms.delivered) == 3
    # Another address is not affected.
    assert request_code(client, "0987654321", address="10.9.9.9").status_code == 302


def test_resend_counts_against_the_address_limit(client: Client, sms: FakeSmsGateway) -> None:
    request_code(client, "0912345678")
    client.post(CITIZEN_CODE, {"action": "resend"}, REMOTE_ADDR="10.1.1.1")
    client.post(CITIZEN_CODE, {"action": "resend"}, REMOTE_ADDR="10.1.1.1")
    assert client.post(CITIZEN_CODE, {"action": "resend"}, REMOTE_ADDR="10.1.1.1").status_code == 429
    assert len(sms.delivered) == 3


def test_twenty_first_code_request_from_one_client_within_an_hour_gets_429(
    client: Client, mailoutbox: list[Any]
) -> None:
    for number in range(20):
        assert request_code(client, f"nguoi{number}@example.vn", address="10.2.2.2").status_code == 302
    response = request_code(client, "nguoi20@example.vn", address="10.2.2.2")
    assert response.status_code == 429
    assert "Vui lòng thử lại sau 60 phút." in response.content.decode()
    assert len(mailoutbox) == 20
    assert request_code(client, "nguoi20@example.vn", address="10.2.2.3").status_code == 302


def test_wrong_codes_for_an_address_are_throttled_across_codes(client: Client, sms: FakeSmsGateway) -> None:
    for _round in range(2):
        request_code(client, "0912345678")
        code = last_sms_code(sms)
        for _ in range(5):
            enter_code(client, _wrong(code))
    request_code(client, "0912345678")
    response = enter_code(client, last_sms_code(sms))  # the right code, but too many wrong ones before
    assert response.status_code == 429
    assert "Nhập sai mã quá nhiều lần. Vui lòng thử lại sau 60 phút." in response.content.decode()
    assert _signed_in(client) is None


def test_wrong_codes_from_one_client_are_throttled_across_addresses(
    client: Client, mailoutbox: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rules, "WRONG_CODES_PER_CLIENT", Limit(count=3, window=3600))
    for number in range(3):
        request_code(client, f"nguoi{number}@example.vn", address="10.3.3.3")
        enter_code(client, _wrong(code_in(mailoutbox[-1].body)), address="10.3.3.3")
    request_code(client, "nguoi9@example.vn", address="10.3.3.3")
    response = enter_code(client, code_in(mailoutbox[-1].body), address="10.3.3.3")
    assert response.status_code == 429
    other = enter_code(client, code_in(mailoutbox[-1].body), address="10.3.3.4")
    assert other.status_code == 302


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="runs on the services (REDIS_URL)")
def test_throttle_counters_live_in_redis(client: Client, sms: FakeSmsGateway) -> None:
    from django_redis import get_redis_connection

    request_code(client, "0912345678")
    keys = get_redis_connection("default").keys("*throttle:citizen-code-send:*")
    assert len(keys) >= 2  # one for the address, one for the client address
    assert not any(b"0912345678" in key for key in keys)
