"""End to end in headless Chromium: a citizen pays a dossier's fees through the (fake) VNPAY gateway.

The citizen opens the payment page with the dossier's code and lookup key, presses "Thanh toán trực tuyến",
lands on the local fake gateway (tests/payments/fake_vnpay.py), presses "Thanh toán"; the gateway notifies our
live server (IPN) and sends the browser back to our result page, which shows the success and the receipt.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from cchc.dossiers import services as dossier_services
from cchc.dossiers.models import Dossier
from cchc.payments.models import Payment, PaymentStatus
from tests.dossiers.conftest import World, world  # noqa: F401 - the fixture is used by name
from tests.payments import fake_vnpay
from tests.payments.conftest import add_fees

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def gateway(live_server: Any, settings: Any) -> Iterator[fake_vnpay.FakeVnpay]:
    fake = fake_vnpay.FakeVnpay(ipn_url=f"{live_server.url}/thanh-toan/ipn/").start()
    settings.CCHC_PAYMENT_GATEWAY_URL = fake.url
    settings.CCHC_PAYMENT_TMN_CODE = fake_vnpay.TMN_CODE
    settings.CCHC_PAYMENT_HASH_SECRET = fake_vnpay.SECRET
    settings.CCHC_PAYMENT_PUBLIC_URL = live_server.url
    settings.CCHC_PAYMENT_CHANNEL = 2
    yield fake
    fake.stop()


def test_citizen_pays_online_and_gets_the_receipt(
    world: World,  # noqa: F811
    live_server: Any,
    gateway: fake_vnpay.FakeVnpay,
    page: Any,
) -> None:
    base = live_server.url
    dossier = dossier_services.dossier_receive(actor=world.staff["reception"], intake=world.intake())
    add_fees(dossier, 50_000, 20_000)
    dossier = Dossier.objects.get(pk=dossier.pk)

    page.goto(f"{base}/thanh-toan/{dossier.code}/?khoa={dossier.lookup_key}")
    assert page.locator("h1").inner_text() == "Thanh toán phí, lệ phí"
    assert page.get_by_label("Lệ phí cấp giấy chứng nhận: 50.000 đ").is_checked()
    assert page.get_by_label("Phí thẩm định hồ sơ: 20.000 đ").is_checked()
    assert page.get_by_text("70.000 đ", exact=True).is_visible()

    page.get_by_role("button", name="Thanh toán trực tuyến").click()
    page.wait_for_url(f"{gateway.base}/paymentv2/vpcpay.html?**")
    assert page.locator("#amount").inner_text() == "70.000 VND"
    assert gateway.rejected == []

    page.get_by_role("button", name="Thanh toán", exact=True).click()
    page.wait_for_url(f"{base}/thanh-toan/ket-qua/?**")
    assert page.locator("#payment-status").inner_text() == "Thanh toán thành công"
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.PAID
    assert [call.answer["RspCode"] for call in gateway.ipn_calls] == ["00"]
    assert page.locator("#receipt-number").inner_text() == payment.receipt_number
    assert page.get_by_role("heading", name="Biên lai điện tử").is_visible()

    pdf_link = page.get_by_role("link", name="Tải biên lai (PDF)")
    pdf = page.request.get(base + pdf_link.get_attribute("href"))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    # Back on the payment page nothing is left to pay, and the payment is listed as paid.
    page.goto(f"{base}/thanh-toan/{dossier.code}/?khoa={dossier.lookup_key}")
    assert page.get_by_text("Hồ sơ không còn khoản phí, lệ phí nào phải nộp.").is_visible()
    assert page.get_by_role("cell", name="Đã thanh toán").is_visible()
