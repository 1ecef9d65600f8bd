"""The gateway's IPN: only a signed notice of the right order and amount marks a payment paid, once.

Fee lines get paid_at, the channel code and one receipt number; the dossier's history gets a "pay" event; every
callback, accepted or not, is logged.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from cchc.dossiers.history import history_verify
from cchc.dossiers.models import Dossier, DossierEvent, DossierFee
from cchc.payments import rules, services
from cchc.payments.models import Payment, PaymentCallback, PaymentStatus, Verdict
from tests.dossiers.conftest import World
from tests.payments.conftest import add_fees, ipn, remember, start
from tests.payments.fake_vnpay import GMT7, FakeVnpay

pytestmark = pytest.mark.django_db


def started(dossier: Dossier, gateway: FakeVnpay, **kwargs: Any) -> Payment:
    payment = start(dossier, **kwargs)
    remember(gateway, payment)
    return payment


def fees_of(payment: Payment) -> list[DossierFee]:
    return list(DossierFee.objects.filter(pk__in=payment.lines.values("fee_id")).order_by("pk"))


def test_a_signed_success_marks_the_payment_and_its_lines_paid(
    client: Client, dossier: Dossier, gateway: FakeVnpay
) -> None:
    payment = started(dossier, gateway)
    params = gateway.result(payment.order_ref)
    assert ipn(client, params) == {"RspCode": "00", "Message": "Confirm Success"}

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert re.fullmatch(rf"BL-{timezone.localdate():%y%m%d}-000001", payment.receipt_number or "")
    assert payment.gateway_transaction_no == params["vnp_TransactionNo"]
    assert payment.bank_code == "NCB"
    pay_date = dt.datetime.strptime(params["vnp_PayDate"], "%Y%m%d%H%M%S").replace(tzinfo=GMT7)
    assert payment.pay_date == pay_date
    assert payment.confirmed_at is not None
    for fee in fees_of(payment):
        assert fee.paid_at == pay_date
        assert fee.payment_channel == 2
        assert fee.receipt_number == payment.receipt_number
    # The zero-amount line of the procedure was not part of the payment and stays unpaid.
    assert dossier.fees.filter(amount_vnd=0, paid_at__isnull=True).count() == 1


def test_the_history_records_the_payment_and_still_verifies(
    client: Client, dossier: Dossier, gateway: FakeVnpay
) -> None:
    before = Dossier.objects.get(pk=dossier.pk)
    payment = started(dossier, gateway)
    ipn(client, gateway.result(payment.order_ref))
    event = DossierEvent.objects.filter(dossier=dossier).order_by("-seq").first()
    assert event is not None
    payment.refresh_from_db()
    assert event.action == "pay"
    assert event.actor is None
    assert event.state_before == event.state_after == before.state
    assert event.changes["payment"] == payment.order_ref
    assert event.changes["receipt_number"] == payment.receipt_number
    assert event.changes["amount_vnd"] == 70_000
    assert event.changes["payment_channel"] == 2
    assert sorted(event.changes["fees"]) == [fee.pk for fee in fees_of(payment)]
    assert Dossier.objects.get(pk=dossier.pk).history_length == before.history_length + 1
    assert history_verify(dossier_ids=[dossier.pk]) == []


def test_the_configured_channel_is_written(
    client: Client, dossier: Dossier, gateway: FakeVnpay, settings: Any
) -> None:
    settings.CCHC_PAYMENT_CHANNEL = "1"
    payment = started(dossier, gateway)
    ipn(client, gateway.result(payment.order_ref))
    assert {fee.payment_channel for fee in fees_of(payment)} == {1}


def test_a_forged_signature_changes_nothing_and_is_logged(
    client: Client, dossier: Dossier, gateway: FakeVnpay, caplog: pytest.LogCaptureFixture
) -> None:
    payment = started(dossier, gateway)
    forged = gateway.forged(gateway.result(payment.order_ref))
    with caplog.at_level(logging.WARNING, logger="cchc.payments.services"):
        assert ipn(client, forged) == {"RspCode": "97", "Message": "Invalid signature"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert not DossierFee.objects.filter(dossier=dossier, paid_at__isnull=False).exists()
    callback = PaymentCallback.objects.get()
    assert callback.verdict == Verdict.BAD_SIGNATURE
    assert not callback.signature_valid
    assert callback.payment is None
    assert callback.secure_hash == forged["vnp_SecureHash"]
    assert callback.params["vnp_SecureHash"] == forged["vnp_SecureHash"]
    assert callback.answer_code == "97"
    assert callback.remote_addr == "127.0.0.1"
    assert any("bad_signature" in record.getMessage() for record in caplog.records)


def test_an_unsigned_call_is_refused(client: Client, dossier: Dossier, gateway: FakeVnpay) -> None:
    payment = started(dossier, gateway)
    params = gateway.result(payment.order_ref)
    del params["vnp_SecureHash"]
    assert ipn(client, params)["RspCode"] == "97"
    assert ipn(client, {})["RspCode"] == "97"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_an_unknown_order_is_answered_01(client: Client, dossier: Dossier, gateway: FakeVnpay) -> None:
    payment = started(dossier, gateway)
    params = gateway.result(payment.order_ref, vnp_TxnRef="260213ZZZZZZZZ")
    assert ipn(client, params) == {"RspCode": "01", "Message": "Order not found"}
    assert PaymentCallback.objects.get().verdict == Verdict.UNKNOWN_ORDER


def test_a_result_for_another_merchant_code_is_not_ours(
    client: Client, dossier: Dossier, gateway: FakeVnpay
) -> None:
    payment = started(dossier, gateway)
    params = gateway.result(payment.order_ref, vnp_TmnCode="KHACDONVI")  # signed with our secret all the same
    assert ipn(client, params) == {"RspCode": "01", "Message": "Order not found"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert not DossierFee.objects.filter(dossier=dossier, paid_at__isnull=False).exists()


def test_a_wrong_amount_is_answered_04_and_changes_nothing(
    client: Client, dossier: Dossier, gateway: FakeVnpay
) -> None:
    payment = started(dossier, gateway)
    for amount in ("7000100", "100", "7000000.00", "abc"):
        assert ipn(client, gateway.result(payment.order_ref, amount=amount)) == {
            "RspCode": "04",
            "Message": "Invalid amount",
        }
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert set(PaymentCallback.objects.values_list("verdict", flat=True)) == {Verdict.BAD_AMOUNT}
    assert PaymentCallback.objects.filter(payment=payment).count() == 4


def test_a_replayed_ipn_changes_nothing_and_answers_02(
    client: Client, dossier: Dossier, gateway: FakeVnpay
) -> None:
    payment = started(dossier, gateway)
    params = gateway.result(payment.order_ref)
    assert ipn(client, params)["RspCode"] == "00"
    payment.refresh_from_db()
    length = Dossier.objects.get(pk=dossier.pk).history_length
    assert ipn(client, params) == {"RspCode": "02", "Message": "Order already confirmed"}
    # Even a fresh, correctly signed success for the same order is a replay now.
    assert ipn(client, gateway.result(payment.order_ref))["RspCode"] == "02"
    again = Payment.objects.get(pk=payment.pk)
    assert again.receipt_number == payment.receipt_number
    assert again.gateway_transaction_no == payment.gateway_transaction_no
    assert Dossier.objects.get(pk=dossier.pk).history_length == length
    verdicts = list(PaymentCallback.objects.order_by("pk").values_list("verdict", flat=True))
    assert verdicts == [Verdict.PAID, Verdict.ALREADY_CONFIRMED, Verdict.ALREADY_CONFIRMED]


def test_a_failure_is_recorded_and_a_later_success_is_refused(
    client: Client, dossier: Dossier, gateway: FakeVnpay
) -> None:
    payment = started(dossier, gateway)
    assert ipn(client, gateway.result(payment.order_ref, response_code="24"))["RspCode"] == "00"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    assert payment.response_code == "24"
    assert payment.receipt_number is None
    assert ipn(client, gateway.result(payment.order_ref))["RspCode"] == "02"
    assert not DossierFee.objects.filter(dossier=dossier, paid_at__isnull=False).exists()
    # The lines can be paid again with a new order.
    assert start(dossier).pk != payment.pk


def test_a_late_success_after_our_expiry_is_still_recorded(
    client: Client, dossier: Dossier, gateway: FakeVnpay
) -> None:
    old = started(dossier, gateway, now=timezone.now() - rules.PAYMENT_LIFETIME - dt.timedelta(minutes=5))
    services._expire(old, timezone.now())
    assert ipn(client, gateway.result(old.order_ref))["RspCode"] == "00"
    old.refresh_from_db()
    assert old.status == PaymentStatus.PAID


def test_lines_paid_by_another_order_are_not_paid_twice(
    client: Client, dossier: Dossier, gateway: FakeVnpay
) -> None:
    first = started(dossier, gateway, now=timezone.now() - rules.PAYMENT_LIFETIME - dt.timedelta(minutes=5))
    second = started(dossier, gateway)  # the first one expired on our side
    assert ipn(client, gateway.result(second.order_ref))["RspCode"] == "00"
    # The gateway took the money of the first order too: refused, flagged for reconciliation.
    assert ipn(client, gateway.result(first.order_ref)) == {
        "RspCode": "02",
        "Message": "Order already confirmed",
    }
    first.refresh_from_db()
    assert first.status == PaymentStatus.EXPIRED
    callback = PaymentCallback.objects.get(payment=first)
    assert callback.verdict == Verdict.LINES_ALREADY_PAID
    assert callback.gateway_success
    second.refresh_from_db()
    assert {fee.receipt_number for fee in fees_of(second)} == {second.receipt_number}


def test_a_success_without_the_gateway_transaction_number_is_not_confirmed(
    client: Client, dossier: Dossier, gateway: FakeVnpay
) -> None:
    payment = started(dossier, gateway)
    assert ipn(client, gateway.result(payment.order_ref, vnp_TransactionNo=""))["RspCode"] == "99"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert PaymentCallback.objects.get().verdict == Verdict.ERROR


def test_receipt_numbers_follow_each_other(
    client: Client, world: World, dossier: Dossier, gateway: FakeVnpay
) -> None:
    from cchc.dossiers import services as dossier_services

    other = dossier_services.dossier_receive(actor=world.staff["reception"], intake=world.intake())
    add_fees(other, 10_000)
    numbers = []
    for target in (dossier, other):
        payment = started(target, gateway)
        ipn(client, gateway.result(payment.order_ref))
        payment.refresh_from_db()
        numbers.append(payment.receipt_number)
    day = timezone.localdate().strftime("%y%m%d")
    assert numbers == [f"BL-{day}-000001", f"BL-{day}-000002"]


def test_a_flood_of_parameters_is_logged_bounded(client: Client, db: None) -> None:
    params = {f"p{i:03d}": "x" * 5000 for i in range(200)}
    assert ipn(client, params)["RspCode"] == "97"
    logged = PaymentCallback.objects.get().params
    assert len(logged) == rules.CALLBACK_MAX_PARAMS
    assert max(len(value) for value in logged.values()) == rules.CALLBACK_MAX_VALUE_CHARS


def test_the_ipn_address_only_answers_get(client: Client, db: None) -> None:
    assert client.post("/thanh-toan/ipn/", {}).status_code == 405


def test_the_ipn_needs_no_csrf_token(dossier: Dossier, gateway: FakeVnpay) -> None:
    payment = started(dossier, gateway)
    strict = Client(enforce_csrf_checks=True)
    assert ipn(strict, gateway.result(payment.order_ref))["RspCode"] == "00"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_ipns_at_once_confirm_once(dossier: Dossier, gateway: FakeVnpay) -> None:
    """The same notice arrives twice at the same moment (VNPAY retries): one 00, one 02, one receipt."""
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections with row locks (PostgreSQL)")
    payment = started(dossier, gateway)
    params = gateway.result(payment.order_ref)
    barrier = threading.Barrier(2, timeout=30)
    answers: list[str] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def notify() -> None:
        try:
            connection.ensure_connection()
            barrier.wait()
            answer = services.payment_ipn_handle(params=params, remote_addr="127.0.0.1")
            with lock:
                answers.append(answer.body["RspCode"])
        except BaseException as error:  # reported by the assertion below
            with lock:
                failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=notify) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    assert sorted(answers) == ["00", "02"]
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert DossierEvent.objects.filter(dossier=dossier, action="pay").count() == 1
    assert {fee.receipt_number for fee in fees_of(payment)} == {payment.receipt_number}
    assert history_verify(dossier_ids=[dossier.pk]) == []


def test_a_wrong_channel_setting_confirms_nothing_and_answers_99(
    client: Client, dossier: Dossier, gateway: FakeVnpay, settings: Any
) -> None:
    """A misconfigured channel code would be written on every receipt: the whole confirmation rolls back."""
    settings.CCHC_PAYMENT_CHANNEL = "3"
    payment = started(dossier, gateway)
    assert ipn(client, gateway.result(payment.order_ref)) == {"RspCode": "99", "Message": "Unknown error"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert not DossierFee.objects.filter(dossier=dossier, paid_at__isnull=False).exists()
    callback = PaymentCallback.objects.get()
    assert (callback.verdict, callback.payment_id) == (Verdict.ERROR, payment.pk)
    # Once the setting is fixed, the gateway's retry is confirmed.
    settings.CCHC_PAYMENT_CHANNEL = "2"
    assert ipn(client, gateway.result(payment.order_ref))["RspCode"] == "00"
