"""Security headers and cookies (check 5), as cchc/settings.py configures them: X-Content-Type-Options nosniff,
X-Frame-Options DENY with CSP frame-ancestors 'none', Referrer-Policy same-origin, the Content-Security-Policy
(cchc.core.security), HSTS over https when debug is off, and cookies Secure (whenever debug is off and
CCHC_INSECURE_COOKIES is not set), HttpOnly for the session, SameSite=Lax.

The answers checked are of every kind the platform gives: public and staff pages, error pages, the API's JSON and
problem+json, open data (CSV, JSON), exports (XLSX, PDF) and stored files.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from cchc.plans.models import TaskEvidence
from tests.dossiers.conftest import World
from tests.security.conftest import Now
from tests.security.scene import PASSWORD, build

pytestmark = pytest.mark.django_db

SETTINGS_FILE = Path(settings.BASE_DIR) / "cchc" / "settings.py"
HALF_A_YEAR = 180 * 24 * 3600
DAYS_OFF = reverse("api-v1:calendar_days_off", kwargs={"year": 2026})


def _directives(policy: str) -> dict[str, str]:
    parts = (part.strip().split(None, 1) for part in policy.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def _check_headers(response: Any, where: str) -> None:
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["X-Frame-Options"] == "DENY", where
    assert response["Referrer-Policy"] == "same-origin", where
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", where
    policy = _directives(response["Content-Security-Policy"])
    assert policy.get("frame-ancestors") == "'none'", where
    assert policy.get("default-src") == "'self'", where
    scripts = policy.get("script-src", policy["default-src"])
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts and "*" not in scripts, where


def test_pages_send_a_content_security_policy(client: Client) -> None:
    response = client.get("/api/v1/calendar/between", {"start": "2026-01-01", "end": "2026-01-31"})
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_every_kind_of_answer_carries_the_security_headers(
    world: World, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    scene = build(world)
    ids = scene.ids
    anonymous = Client()
    staff = Client()
    staff.force_login(scene.users["reception"])
    leader = Client()
    leader.force_login(scene.users["leader"])
    task_file = TaskEvidence.objects.get(pk=ids["task_file"])
    answers = {
        "public page": (anonymous.get("/"), 200),
        "staff sign-in page": (anonymous.get("/can-bo/dang-nhap/"), 200),
        "tracking, not found": (anonymous.post("/tra-cuu/", {"ma": "KHONG-CO", "khoa": "ABCDEFGH"}), 404),
        "page not found": (anonymous.get("/khong-co-trang-nay/"), 404),
        "staff page": (staff.get("/can-bo/ho-so/"), 200),
        "staff page refused": (Client().get("/can-bo/ho-so/"), 302),
        "staff dossier": (staff.get(f"/can-bo/ho-so/{ids['dossier']}/"), 200),
        "register export (XLSX)": (staff.get("/can-bo/so-theo-doi/so-theo-doi.xlsx"), 200),
        "register export (PDF)": (staff.get("/can-bo/so-theo-doi/so-theo-doi.pdf"), 200),
        "official form (PDF)": (staff.get(f"/can-bo/ho-so/{ids['dossier']}/mau/01.pdf"), 200),
        "open data (CSV)": (anonymous.get("/cong-khai/du-lieu.csv"), 200),
        "open data (JSON)": (anonymous.get("/cong-khai/du-lieu.json"), 200),
        "API (JSON)": (anonymous.get(DAYS_OFF), 200),
        "API, signed in": (staff.get("/api/v1/dossiers"), 200),
        "API problem (401)": (anonymous.get("/api/v1/dossiers"), 401),
        "API problem (404)": (staff.get("/api/v1/dossiers/KHONG-CO"), 404),
        "API documentation": (anonymous.get("/api/v1/docs"), 200),
        "stored file": (leader.get(f"/can-bo/ke-hoach/{ids['plan']}/tai-lieu/{task_file.pk}/"), 200),
    }
    for where, (response, status) in answers.items():
        assert response.status_code == status, where
        _check_headers(response, where)


def test_static_files_are_not_sniffed(client: Client) -> None:
    response = client.get("/static/cchc/cchc.css")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_https_answers_carry_hsts_when_debug_is_off(client: Client) -> None:
    assert settings.DEBUG is False
    for response in (client.get("/", secure=True), client.get(DAYS_OFF, secure=True)):
        assert response.status_code == 200
        directives = _directives(response.get("Strict-Transport-Security", "").replace("=", " "))
        assert int(directives.get("max-age", "0")) >= HALF_A_YEAR


def test_plain_http_answers_never_carry_hsts(client: Client) -> None:
    """Browsers ignore HSTS over http, and a header there would tell of a misconfigured proxy: never sent."""
    assert "Strict-Transport-Security" not in client.get("/")


# -- cookies --------------------------------------------------------------------------------------------------------
def test_cookies_are_secure_when_debug_is_off() -> None:
    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.CSRF_COOKIE_SECURE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_the_cookies_set_at_sign_in_are_secure_http_only_and_same_site(world: World, now: Now) -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/can-bo/dang-nhap/", secure=True)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"
    assert not csrf["httponly"]  # read by the pages' scripts for htmx and the API (CSRF_COOKIE_HTTPONLY off)
    credentials = {"username": "tiepnhan", "password": PASSWORD, "csrfmiddlewaretoken": csrf.value}
    # Over https Django also checks that the form came from this site (Referer).
    response = client.post("/can-bo/dang-nhap/", credentials, secure=True,
                           HTTP_REFERER="https://testserver/can-bo/dang-nhap/")  # fmt: skip
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert response.cookies["csrftoken"]["secure"] is True  # rotated at sign-in, with the same flags


def test_a_citizens_session_cookie_has_the_same_flags(sms: Any) -> None:
    from tests.citizens.conftest import enter_code, last_sms_code, request_code

    client = Client()
    request_code(client, "0912345678")
    response = enter_code(client, last_sms_code(sms))
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert (session["secure"], session["httponly"], session["samesite"]) == (True, True, "Lax")


def _settings_with(monkeypatch: pytest.MonkeyPatch, **environment: str) -> ModuleType:
    """cchc/settings.py read afresh under these environment variables (the running settings are untouched)."""
    for name in ("CCHC_DEBUG", "CCHC_INSECURE_COOKIES", "CCHC_BEHIND_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CCHC_SECRET_KEY", "khoa-chi-de-doc-cau-hinh")
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("cchc_settings_probe", SETTINGS_FILE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("environment", "secure"),
    [
        ({}, True),
        ({"CCHC_DEBUG": "1"}, False),
        ({"CCHC_INSECURE_COOKIES": "1"}, False),
        ({"CCHC_INSECURE_COOKIES": "0"}, True),
    ],
)
def test_cookies_are_secure_unless_debug_or_insecure_cookies_are_asked_for(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], secure: bool
) -> None:
    probe = _settings_with(monkeypatch, **environment)
    assert probe.SESSION_COOKIE_SECURE is secure
    assert probe.CSRF_COOKIE_SECURE is secure
    assert probe.SESSION_COOKIE_HTTPONLY is True
    assert (probe.SESSION_COOKIE_SAMESITE, probe.CSRF_COOKIE_SAMESITE) == ("Lax", "Lax")
    assert (probe.SECURE_CONTENT_TYPE_NOSNIFF, probe.X_FRAME_OPTIONS) == (True, "DENY")


def test_forwarded_proto_is_trusted_only_behind_a_proxy(
    monkeypatch: pytest.MonkeyPatch, client: Client
) -> None:
    assert _settings_with(monkeypatch).SECURE_PROXY_SSL_HEADER is None
    assert _settings_with(monkeypatch, CCHC_BEHIND_PROXY="1").SECURE_PROXY_SSL_HEADER == (
        "HTTP_X_FORWARDED_PROTO",
        "https",
    )
    # Not behind a proxy, a client claiming https is not believed: the sign-in page still says http.
    response = client.get("/can-bo/dang-nhap/", HTTP_X_FORWARDED_PROTO="https")
    assert response.wsgi_request.is_secure() is False
