"""The whole exchange over real HTTP: our signed redirect, the fake VNPAY checking it, its IPN to our live
server (server to server), and the browser's return, with forged, wrong-amount and replayed notices."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from cchc.dossiers.models import Dossier, DossierFee
from cchc.payments import gateway, services
from cchc.payments.models import Payment, PaymentCallback, PaymentStatus, Verdict
from tests.payments.fake_vnpay import FakeVnpay

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def live_gateway(live_server: Any, settings: Any) -> Iterator[FakeVnpay]:
    fake = FakeVnpay(ipn_url=f"{live_server.url}/thanh-toan/ipn/").start()
    settings.CCHC_PAYMENT_GATEWAY_URL = fake.url
    settings.CCHC_PAYMENT_PUBLIC_URL = live_server.url
    yield fake
    fake.stop()


def pay_through(fake: FakeVnpay, dossier: Dossier, action: str = "pay") -> tuple[Payment, requests.Response]:
    payment, url = services.payment_start(dossier=dossier, client_ip="203.0.113.7")
    session = requests.Session()
    page = session.get(url, timeout=10)
    assert page.status_code == 200, fake.rejected
    assert "Thanh toán</button>" in page.text
    assert "70.000 VND" in page.text
    returned = session.post(f"{fake.base}/pay", data={"txn": payment.order_ref, "action": action}, timeout=30)
    return Payment.objects.get(pk=payment.pk), returned


def test_paid_through_the_gateway(live_gateway: FakeVnpay, dossier: Dossier) -> None:
    payment, returned = pay_through(live_gateway, dossier)
    assert [call.answer for call in live_gateway.ipn_calls] == [
        {"RspCode": "00", "Message": "Confirm Success"}
    ]
    assert payment.status == PaymentStatus.PAID
    assert returned.status_code == 200
    assert returned.url.startswith(f"{gateway.return_url()}?")
    assert "Thanh toán thành công" in returned.text
    assert payment.receipt_number and payment.receipt_number in returned.text
    assert not DossierFee.objects.filter(dossier=dossier, amount_vnd__gt=0, paid_at__isnull=True).exists()


def test_cancelled_at_the_gateway(live_gateway: FakeVnpay, dossier: Dossier) -> None:
    payment, returned = pay_through(live_gateway, dossier, action="cancel")
    assert live_gateway.ipn_calls[0].answer["RspCode"] == "00"
    assert payment.status == PaymentStatus.FAILED
    assert "Thanh toán không thành công" in returned.text


def test_a_forged_notice_changes_nothing(live_gateway: FakeVnpay, dossier: Dossier) -> None:
    live_gateway.tamper_next("forge")
    payment, returned = pay_through(live_gateway, dossier)
    assert live_gateway.ipn_calls[0].answer == {"RspCode": "97", "Message": "Invalid signature"}
    assert payment.status == PaymentStatus.PENDING
    assert returned.status_code == 400
    assert list(PaymentCallback.objects.order_by("pk").values_list("kind", "verdict")) == [
        ("ipn", Verdict.BAD_SIGNATURE),
        ("return", Verdict.BAD_SIGNATURE),
    ]


def test_a_notice_with_another_amount_changes_nothing(live_gateway: FakeVnpay, dossier: Dossier) -> None:
    live_gateway.tamper_next("amount")
    payment, returned = pay_through(live_gateway, dossier)
    assert live_gateway.ipn_calls[0].answer == {"RspCode": "04", "Message": "Invalid amount"}
    assert payment.status == PaymentStatus.PENDING
    assert returned.status_code == 400


def test_a_replayed_notice_is_confirmed_once(live_gateway: FakeVnpay, dossier: Dossier) -> None:
    live_gateway.tamper_next("replay")
    payment, returned = pay_through(live_gateway, dossier)
    assert [call.answer["RspCode"] for call in live_gateway.ipn_calls] == ["00", "02"]
    assert payment.status == PaymentStatus.PAID
    assert dossier.events.filter(action="pay").count() == 1
    assert "Thanh toán thành công" in returned.text


def test_the_gateway_refuses_a_tampered_redirect(live_gateway: FakeVnpay, dossier: Dossier) -> None:
    _payment, url = services.payment_start(dossier=dossier, client_ip="203.0.113.7")
    tampered = url.replace("vnp_Amount=7000000", "vnp_Amount=100")
    response = requests.get(tampered, timeout=10)
    assert response.status_code == 400
    assert live_gateway.rejected == ["invalid signature"]
    assert requests.get(url, timeout=10).status_code == 200
