"""Staff sign-in and sign-out (cchc.orgs.views). The throttling (cchc.orgs.throttle) is tested in
tests/security/test_login_throttling.py."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-dung-2026"
LOGIN = "/can-bo/dang-nhap/"


@pytest.fixture
def officer(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user(username="tiepnhan.thu", password=PASSWORD)


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
