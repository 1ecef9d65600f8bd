"""The browser's return from the gateway: checked and shown, never trusted to mark a payment paid."""

from __future__ import annotations

import pytest
from django.test import Client

from cchc.dossiers.models import Dossier, DossierFee
from cchc.payments.models import PaymentCallback, PaymentStatus, Verdict
from tests.payments.conftest import ipn, remember, start
from tests.payments.fake_vnpay import FakeVnpay

pytestmark = pytest.mark.django_db

RETURN = "/thanh-toan/ket-qua/"


def test_a_signed_success_before_the_ipn_shows_being_confirmed_and_changes_nothing(
    client: Client, dossier: Dossier, gateway: FakeVnpay
) -> None:
    payment = start(dossier)
    remember(gateway, payment)
    response = client.get(RETURN, gateway.result(payment.order_ref))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đang xác nhận kết quả thanh toán" in page
    assert "Thanh toán thành công" not in page
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert not DossierFee.objects.filter(dossier=dossier, paid_at__isnull=False).exists()
    callback = PaymentCallback.objects.get()
    assert (callback.kind, callback.verdict, callback.gateway_success) == ("return", Verdict.SHOWN, True)
    # The link to the payment's page carries the lookup key, so the citizen can follow it.
    assert f"/thanh-toan/{dossier.code}/giao-dich/{payment.order_ref}/?khoa={dossier.lookup_key}" in page


def test_after_the_ipn_the_return_shows_success_and_the_receipt(
    client: Client, dossier: Dossier, gateway: FakeVnpay
) -> None:
    payment = start(dossier)
    remember(gateway, payment)
    params = gateway.result(payment.order_ref)
    ipn(client, params)
    response = client.get(RETURN, params)
    page = response.content.decode()
    payment.refresh_from_db()
    assert response.status_code == 200
    assert "Thanh toán thành công" in page
    assert payment.receipt_number and payment.receipt_number in page
    assert "70.000 đ" in page
    assert "Bảy mươi nghìn đồng" in page


def test_a_forged_return_is_refused_and_changes_nothing(
    client: Client, dossier: Dossier, gateway: FakeVnpay
) -> None:
    payment = start(dossier)
    remember(gateway, payment)
    response = client.get(RETURN, gateway.forged(gateway.result(payment.order_ref)))
    assert response.status_code == 400
    assert "Không xác minh được kết quả thanh toán" in response.content.decode()
    assert dossier.lookup_key not in response.content.decode()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert PaymentCallback.objects.get().verdict == Verdict.BAD_SIGNATURE


def test_a_return_with_another_amount_is_refused(
    client: Client, dossier: Dossier, gateway: FakeVnpay
) -> None:
    payment = start(dossier)
    remember(gateway, payment)
    response = client.get(RETURN, gateway.result(payment.order_ref, amount="100000000"))
    assert response.status_code == 400
    assert PaymentCallback.objects.get().verdict == Verdict.BAD_AMOUNT


def test_a_cancelled_payment_shows_failure_and_a_way_back(
    client: Client, dossier: Dossier, gateway: FakeVnpay
) -> None:
    payment = start(dossier)
    remember(gateway, payment)
    response = client.get(RETURN, gateway.result(payment.order_ref, response_code="24"))
    page = response.content.decode()
    assert "Thanh toán không thành công" in page
    assert "24" in page
    assert f"/thanh-toan/{dossier.code}/?khoa={dossier.lookup_key}" in page
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING  # only the IPN may record the failure


def test_a_return_without_parameters_is_a_clear_400(client: Client, db: None) -> None:
    response = client.get(RETURN)
    assert response.status_code == 400
    assert "Không xác minh được kết quả thanh toán" in response.content.decode()
