"""Fixtures for payment tests: the dossier world, a received dossier with fee lines, and gateway settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from cchc.dossiers import services as dossier_services
from cchc.dossiers.models import Dossier, DossierFee
from cchc.payments import services
from cchc.payments.models import Payment
from tests.dossiers.conftest import World, world  # noqa: F401 - the fixture is used by name
from tests.payments import fake_vnpay

GATEWAY_URL = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
PUBLIC_URL = "https://dichvucong.example.vn"


@pytest.fixture(autouse=True)
def _gateway_settings(settings: Any) -> None:
    settings.CCHC_PAYMENT_GATEWAY_URL = GATEWAY_URL
    settings.CCHC_PAYMENT_TMN_CODE = fake_vnpay.TMN_CODE
    settings.CCHC_PAYMENT_HASH_SECRET = fake_vnpay.SECRET
    settings.CCHC_PAYMENT_PUBLIC_URL = PUBLIC_URL
    settings.CCHC_PAYMENT_CHANNEL = 2


def add_fees(dossier: Dossier, *amounts: int) -> list[DossierFee]:
    names = ["Lệ phí cấp giấy chứng nhận", "Phí thẩm định hồ sơ", "Phí cấp bản sao"]
    return [
        DossierFee.objects.create(dossier=dossier, description=names[i % len(names)], amount_vnd=amount)
        for i, amount in enumerate(amounts)
    ]


@pytest.fixture
def dossier(world: World) -> Dossier:  # noqa: F811
    """A dossier received by the centre for the justice department, with fees of 50.000 đ and 20.000 đ."""
    received = dossier_services.dossier_receive(actor=world.staff["reception"], intake=world.intake())
    add_fees(received, 50_000, 20_000)
    return Dossier.objects.get(pk=received.pk)


def start(dossier: Dossier, **kwargs: Any) -> Payment:
    kwargs.setdefault("client_ip", "203.0.113.7")
    payment, _url = services.payment_start(dossier=dossier, **kwargs)
    return payment


@pytest.fixture
def gateway() -> Iterator[fake_vnpay.FakeVnpay]:
    """A fake VNPAY holding every order started in the test (results are built from its orders)."""
    fake = fake_vnpay.FakeVnpay()
    yield fake
    fake._server.server_close()  # never started: it only builds and signs results


def remember(gateway: fake_vnpay.FakeVnpay, payment: Payment) -> None:
    """Feed the fake gateway the order of `payment`, as if the citizen had been redirected there."""
    from urllib.parse import parse_qsl, urlsplit

    params = dict(parse_qsl(urlsplit(payment.redirect_url).query, keep_blank_values=True))
    # An order started in the past (now=…) was accepted while it was live; only its expiry may fail now.
    assert gateway.check_request(params) in ("", "expired")
    gateway.orders[params["vnp_TxnRef"]] = params


def ipn(client: Client, params: dict[str, str]) -> dict[str, str]:
    response = client.get("/thanh-toan/ipn/", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    answer: dict[str, str] = response.json()
    return answer


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    from cchc.workdays.calendar import TZ

    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)
