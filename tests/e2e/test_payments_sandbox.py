"""End to end in headless Chromium: with the demo's built-in test gateway (cchc.payments.sandbox), a citizen
pays a dossier's fees without any outside gateway.

The citizen opens the payment page with the dossier's code and lookup key, presses "Thanh toán trực tuyến",
lands on our own /thanh-toan/cong-thu-nghiem/ page, which says it is a test, presses "Thanh toán"; the sandbox
confirms through our IPN handler in-process and sends the browser to the result page with the receipt.
"""

from __future__ import annotations

from typing import Any

import pytest

from cchc.dossiers import services as dossier_services
from cchc.dossiers.models import Dossier, DossierFee
from cchc.payments.models import Payment, PaymentCallback, PaymentStatus
from tests.dossiers.conftest import World, world  # noqa: F401 - the fixture is used by name
from tests.payments.conftest import add_fees

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SANDBOX = "/thanh-toan/cong-thu-nghiem/"


@pytest.fixture
def sandbox_on(live_server: Any, settings: Any) -> None:
    """The settings `make demo` uses: the sandbox on, at our own address, with a demo merchant and secret."""
    settings.CCHC_PAYMENT_SANDBOX = True
    settings.CCHC_PAYMENT_GATEWAY_URL = f"{live_server.url}{SANDBOX}"
    settings.CCHC_PAYMENT_TMN_CODE = "CCHCDEMO"
    settings.CCHC_PAYMENT_HASH_SECRET = "bi-mat-thu-nghiem-e2e"
    settings.CCHC_PAYMENT_PUBLIC_URL = live_server.url
    settings.CCHC_PAYMENT_CHANNEL = 2


def received_dossier(world: World) -> Dossier:  # noqa: F811
    dossier = dossier_services.dossier_receive(actor=world.staff["reception"], intake=world.intake())
    add_fees(dossier, 50_000, 20_000)
    return Dossier.objects.get(pk=dossier.pk)


def test_citizen_pays_through_the_sandbox_and_gets_the_receipt(
    world: World,  # noqa: F811
    live_server: Any,
    sandbox_on: None,
    page: Any,
) -> None:
    base = live_server.url
    dossier = received_dossier(world)

    page.goto(f"{base}/thanh-toan/{dossier.code}/?khoa={dossier.lookup_key}")
    assert page.locator("h1").inner_text() == "Thanh toán phí, lệ phí"
    page.get_by_role("button", name="Thanh toán trực tuyến").click()

    page.wait_for_url(f"{base}{SANDBOX}?**")
    assert page.locator("h1").inner_text() == "Cổng thanh toán thử nghiệm (không trừ tiền thật)"
    assert "Không có khoản tiền thật nào được chuyển" in page.locator("#sandbox-notice").inner_text()
    assert page.locator("#merchant").inner_text() == "CCHCDEMO"
    assert page.locator("#amount").inner_text() == "70.000 đ"
    payment = Payment.objects.get()
    assert page.locator("#order-ref").inner_text() == payment.order_ref
    assert page.locator("#order-info").inner_text() == f"Thanh toan phi le phi ho so {dossier.code}"
    assert page.get_by_role("button", name="Hủy giao dịch").is_visible()

    page.get_by_role("button", name="Thanh toán", exact=True).click()
    page.wait_for_url(f"{base}/thanh-toan/ket-qua/?**")
    assert page.locator("#payment-status").inner_text() == "Thanh toán thành công"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert PaymentCallback.objects.get(kind="ipn").remote_addr == "sandbox"
    assert not DossierFee.objects.filter(dossier=dossier, amount_vnd__gt=0, paid_at__isnull=True).exists()
    assert page.locator("#receipt-number").inner_text() == payment.receipt_number

    pdf_link = page.get_by_role("link", name="Tải biên lai (PDF)")
    assert pdf_link.is_visible()
    pdf = page.request.get(base + pdf_link.get_attribute("href"))
    assert pdf.status == 200
    assert pdf.body().startswith(b"%PDF")


def test_citizen_cancels_at_the_sandbox_and_nothing_is_paid(
    world: World,  # noqa: F811
    live_server: Any,
    sandbox_on: None,
    page: Any,
) -> None:
    base = live_server.url
    dossier = received_dossier(world)

    page.goto(f"{base}/thanh-toan/{dossier.code}/?khoa={dossier.lookup_key}")
    page.get_by_role("button", name="Thanh toán trực tuyến").click()
    page.wait_for_url(f"{base}{SANDBOX}?**")
    page.get_by_role("button", name="Hủy giao dịch").click()
    page.wait_for_url(f"{base}/thanh-toan/ket-qua/?**")
    assert page.locator("#payment-status").inner_text() == "Thanh toán không thành công"
    assert Payment.objects.get().status == PaymentStatus.FAILED
    assert DossierFee.objects.filter(dossier=dossier, amount_vnd__gt=0, paid_at__isnull=True).count() == 2


def test_the_sandbox_is_not_there_when_the_setting_is_off(live_server: Any, settings: Any, page: Any) -> None:
    settings.CCHC_PAYMENT_SANDBOX = False
    response = page.goto(f"{live_server.url}{SANDBOX}?vnp_TxnRef=1")
    assert response is not None
    assert response.status == 404
    assert "thử nghiệm" not in page.content()


def test_the_sandbox_pages_have_no_serious_accessibility_violations(
    world: World,  # noqa: F811
    live_server: Any,
    sandbox_on: None,
    page: Any,
    axe: Any,
) -> None:
    base = live_server.url
    dossier = received_dossier(world)
    page.goto(f"{base}/thanh-toan/{dossier.code}/?khoa={dossier.lookup_key}")
    page.get_by_role("button", name="Thanh toán trực tuyến").click()
    page.wait_for_url(f"{base}{SANDBOX}?**")
    assert axe(page) == []
    # The refusal page too (a forged signature).
    response = page.goto(page.url.replace("vnp_SecureHash=", "vnp_SecureHash=00"))
    assert response is not None
    assert response.status == 400
    assert page.locator("#sandbox-problem").inner_text() == "Chữ ký (vnp_SecureHash) không hợp lệ."
    assert axe(page) == []
