"""payment_start: only unpaid lines with an amount, within the gateway's limits, one live order per line."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.utils import timezone, translation

from cchc.dossiers import services as dossier_services
from cchc.dossiers.models import Dossier, DossierFee
from cchc.payments import rules, services
from cchc.payments.lifecycle import PaymentError
from cchc.payments.models import Payment, PaymentStatus
from tests.dossiers.conftest import World
from tests.payments import fake_vnpay
from tests.payments.conftest import GATEWAY_URL, PUBLIC_URL, add_fees, start

pytestmark = pytest.mark.django_db


def query(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def test_start_covers_every_unpaid_line_and_signs_the_order(dossier: Dossier) -> None:
    moment = timezone.now()
    payment, url = services.payment_start(dossier=dossier, client_ip="203.0.113.7", now=moment)
    assert payment.status == PaymentStatus.PENDING
    assert payment.amount_vnd == 70_000
    assert sorted(payment.lines.values_list("amount_vnd", flat=True)) == [20_000, 50_000]
    assert payment.payer_name == "Nguyễn Văn An"
    assert payment.expires_at == moment + rules.PAYMENT_LIFETIME
    assert url.startswith(GATEWAY_URL + "?")
    params = query(url)
    assert params["vnp_Amount"] == "7000000"
    assert params["vnp_TxnRef"] == payment.order_ref
    assert params["vnp_ReturnUrl"] == f"{PUBLIC_URL}/thanh-toan/ket-qua/"
    assert params["vnp_IpAddr"] == "203.0.113.7"
    assert params["vnp_OrderInfo"] == f"Thanh toan phi le phi ho so {dossier.code}"
    assert params["vnp_Locale"] == "vn"
    fake = fake_vnpay.FakeVnpay()
    try:
        assert fake.check_request(params) == ""
    finally:
        fake._server.server_close()


def test_free_and_paid_lines_are_left_out(dossier: Dossier) -> None:
    free, paid = add_fees(dossier, 0, 30_000)
    paid.paid_at = timezone.now()
    paid.save()
    payment = start(dossier)
    assert free.pk not in set(payment.lines.values_list("fee_id", flat=True))
    assert paid.pk not in set(payment.lines.values_list("fee_id", flat=True))
    assert payment.amount_vnd == 70_000


def test_only_the_chosen_lines(dossier: Dossier) -> None:
    first = dossier.fees.get(amount_vnd=50_000)
    payment = start(dossier, fee_ids=[first.pk])
    assert list(payment.lines.values_list("fee_id", flat=True)) == [first.pk]
    assert payment.amount_vnd == 50_000


def test_a_line_of_another_dossier_is_refused(dossier: Dossier, world: World) -> None:
    other = dossier_services.dossier_receive(actor=world.staff["reception"], intake=world.intake())
    (foreign,) = add_fees(other, 10_000)
    with pytest.raises(PaymentError, match="không thuộc hồ sơ này"):
        start(dossier, fee_ids=[foreign.pk])
    assert not Payment.objects.exists()


def test_an_already_paid_line_is_refused(dossier: Dossier) -> None:
    fee = dossier.fees.get(amount_vnd=50_000)
    DossierFee.objects.filter(pk=fee.pk).update(paid_at=timezone.now())
    with pytest.raises(PaymentError, match="đã được nộp"):
        start(dossier, fee_ids=[fee.pk])


def test_nothing_to_pay_is_refused(dossier: Dossier) -> None:
    dossier.fees.update(paid_at=timezone.now())
    with pytest.raises(PaymentError, match="không còn khoản phí"):
        start(dossier)


def test_an_amount_below_the_gateway_minimum_is_refused(world: World) -> None:
    small = dossier_services.dossier_receive(actor=world.staff["reception"], intake=world.intake())
    add_fees(small, rules.MIN_AMOUNT_VND - 1)
    with pytest.raises(PaymentError, match=r"từ 5\.000 đến"):
        start(small)


def test_the_same_lines_again_reuse_the_pending_order(dossier: Dossier) -> None:
    first, url = services.payment_start(dossier=dossier, client_ip="203.0.113.7")
    again, url_again = services.payment_start(dossier=dossier, client_ip="203.0.113.8")
    assert again.pk == first.pk
    assert url_again == url
    assert Payment.objects.count() == 1


def test_overlapping_other_lines_expire_the_old_order(dossier: Dossier) -> None:
    first = start(dossier)
    fee = dossier.fees.get(amount_vnd=50_000)
    second = start(dossier, fee_ids=[fee.pk])
    first.refresh_from_db()
    assert first.status == PaymentStatus.EXPIRED
    assert first.ended_at is not None
    assert second.status == PaymentStatus.PENDING
    assert second.pk != first.pk


def test_a_pending_order_past_its_expiry_is_replaced(dossier: Dossier) -> None:
    moment = timezone.now()
    first = start(dossier, now=moment - rules.PAYMENT_LIFETIME - dt.timedelta(minutes=1))
    second = start(dossier, now=moment)
    first.refresh_from_db()
    assert first.status == PaymentStatus.EXPIRED
    assert second.pk != first.pk


def test_a_refused_dossier_has_nothing_to_pay(world: World) -> None:
    refused = dossier_services.dossier_refuse(
        actor=world.staff["reception"], intake=world.intake(), reason="Không thuộc thẩm quyền"
    )
    add_fees(refused, 50_000)
    with pytest.raises(PaymentError, match="từ chối"):
        start(refused)


def test_without_a_secret_nothing_starts(dossier: Dossier, settings: Any) -> None:
    settings.CCHC_PAYMENT_HASH_SECRET = ""
    with pytest.raises(PaymentError, match="chưa được cấu hình"):
        start(dossier)
    assert not Payment.objects.exists()


def test_english_pages_ask_the_gateway_for_english(dossier: Dossier) -> None:
    with translation.override("en"):
        _payment, url = services.payment_start(dossier=dossier, client_ip="203.0.113.7")
    assert query(url)["vnp_Locale"] == "en"


def test_order_refs_are_unique_and_dated(dossier: Dossier, world: World) -> None:
    refs = set()
    for _ in range(5):
        other = dossier_services.dossier_receive(actor=world.staff["reception"], intake=world.intake())
        add_fees(other, 10_000)
        refs.add(start(other).order_ref)
    assert len(refs) == 5
    assert all(ref.startswith(timezone.localdate().strftime("%y%m%d")) and len(ref) == 14 for ref in refs)
