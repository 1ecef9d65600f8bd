"""Fixtures for citizen accounts: the local fake SMS gateway and OIDC provider, citizens, and code helpers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cchc.citizens.models import CitizenProfile
from tests.citizens.fake_oidc import FakeOidcProvider
from tests.dossiers.conftest import world  # noqa: F401 - the staff sign-in tests use it by name
from tests.dossiers.fake_sms_gateway import FakeSmsGateway

SMS_TOKEN = "khoa-cong-dan-thu"
LOGIN = "/cong-dan/dang-nhap/"
CODE = "/cong-dan/dang-nhap/nhap-ma/"
PROFILE = "/cong-dan/ho-so-ca-nhan/"


@pytest.fixture
def sms(settings: Any) -> Iterator[FakeSmsGateway]:
    """The SMS gateway of cchc.dossiers.sms pointed at a local fake that records what it delivers."""
    with FakeSmsGateway(token=SMS_TOKEN) as fake:
        settings.CCHC_SMS_URL = fake.url
        settings.CCHC_SMS_API_KEY = SMS_TOKEN
        settings.CCHC_SMS_SENDER = "DVC-TINH"
        yield fake


@pytest.fixture
def oidc(settings: Any) -> Iterator[FakeOidcProvider]:
    """OIDC sign-in configured against a local fake provider."""
    with FakeOidcProvider() as provider:
        settings.CCHC_OIDC_ISSUER = provider.issuer
        settings.CCHC_OIDC_CLIENT_ID = provider.client_id
        settings.CCHC_OIDC_CLIENT_SECRET = provider.client_secret
        settings.CCHC_OIDC_ID_NUMBER_CLAIM = "cccd"
        yield provider


def code_in(text: str) -> str:
    match = re.search(r"\b(\d{6})\b", text)
    assert match, f"no 6-digit code in {text!r}"
    return match.group(1)


def last_sms_code(gateway: FakeSmsGateway) -> str:
    return code_in(gateway.delivered[-1]["text"])


def request_code(client: Client, contact: str, *, address: str = "10.1.1.1", **extra: str) -> Any:
    return client.post(LOGIN, {"contact": contact, **extra}, REMOTE_ADDR=address)


def enter_code(client: Client, code: str, *, address: str = "10.1.1.1") -> Any:
    return client.post(CODE, {"code": code}, REMOTE_ADDR=address)


def make_citizen(*, phone: str = "0912345678", full_name: str = "Nguyễn Văn An", **fields: Any) -> Any:
    user = get_user_model().objects.create_user(username=f"congdan-{phone or fields.get('email', '')}")
    fields.setdefault("phone_verified", bool(phone))
    CitizenProfile.objects.create(user=user, phone=phone, full_name=full_name, **fields)
    return user
