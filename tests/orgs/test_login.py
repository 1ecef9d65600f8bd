"""Staff sign-in and sign-out, with throttling (cchc.orgs.views, cchc.orgs.throttle)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from cchc.orgs.throttle import throttle_check, throttle_fail, throttle_key, throttle_reset

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-dung-2026"
LOGIN = "/can-bo/dang-nhap/"


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


def test_login_url_names() -> None:
    assert reverse("staff-login") == LOGIN
    assert reverse("staff-logout") == "/can-bo/dang-xuat/"


def test_login_page_has_labelled_fields_in_vietnamese(client: Client) -> None:
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_username">Tên đăng nhập</label>' in html
    assert '<label for="id_password">Mật khẩu</label>' in html
    assert 'autocomplete="current-password"' in html


def test_correct_password_signs_in_and_goes_home(client: Client, officer: Any) -> None:
    response = _post(client, "tiepnhan.thu", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session[SESSION_KEY] == str(officer.pk)


def test_wrong_password_says_so_in_vietnamese(client: Client, officer: Any) -> None:
    response = _post(client, "tiepnhan.thu", "sai-mat-khau")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    assert SESSION_KEY not in client.session


@pytest.mark.argon2
def test_password_is_stored_with_argon2(officer: Any) -> None:
    assert officer.password.startswith("argon2$")


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
    client: Client, officer: Any, limits: Any
) -> None:
    limits.LOGIN_WINDOW_SECONDS = 1
    for _ in range(3):
        _post(client, "tiepnhan.thu", "sai")
    assert _post(client, "tiepnhan.thu", PASSWORD).status_code == 429
    time.sleep(1.6)
    assert _post(client, "tiepnhan.thu", PASSWORD).status_code == 302


def test_safe_next_is_followed(client: Client, officer: Any) -> None:
    response = _post(client, "tiepnhan.thu", PASSWORD, next="/thu-tuc/?q=khai+sinh")
    assert response["Location"] == "/thu-tuc/?q=khai+sinh"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_unsafe_next_is_ignored(client: Client, officer: Any, target: str) -> None:
    response = _post(client, "tiepnhan.thu", PASSWORD, next=target)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_logout_refuses_get(client: Client, officer: Any) -> None:
    client.force_login(officer)
    assert client.get("/can-bo/dang-xuat/").status_code == 405
    assert SESSION_KEY in client.session


def test_logout_by_post_signs_out(client: Client, officer: Any) -> None:
    client.force_login(officer)
    response = client.post("/can-bo/dang-xuat/")
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


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


def test_client_address_ignores_forwarded_for_without_trusted_proxies(rf, settings) -> None:
    from cchc.orgs.throttle import client_address

    settings.TRUSTED_PROXY_HOPS = 0
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4", REMOTE_ADDR="10.0.0.1")
    assert client_address(request) == "10.0.0.1"


def test_client_address_takes_the_hop_the_trusted_proxy_appended(rf, settings) -> None:
    from cchc.orgs.throttle import client_address

    settings.TRUSTED_PROXY_HOPS = 1
    # The client forged "6.6.6.6"; the proxy appended the address it really saw.
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="10.0.0.1")
    assert client_address(request) == "203.0.113.7"
    settings.TRUSTED_PROXY_HOPS = 3
    assert client_address(request) == "10.0.0.1"  # fewer hops than configured: fall back


def test_the_admin_signs_in_through_the_throttled_staff_login(client) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/can-bo/dang-nhap/?next=/admin/"
