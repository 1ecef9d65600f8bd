"""The demo's test gateway (cchc.payments.sandbox): reachable only when CCHC_PAYMENT_SANDBOX is on, it checks
the signed request as VNPAY 2.1.0 does, and its buttons deliver a signed result through our IPN handler."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from cchc.dossiers.models import Dossier, DossierFee
from cchc.payments import gateway, sandbox
from cchc.payments.models import Payment, PaymentCallback, PaymentStatus, Verdict
from tests.payments import fake_vnpay
from tests.payments.conftest import start

pytestmark = pytest.mark.django_db

SANDBOX = "/thanh-toan/cong-thu-nghiem/"
TITLE = "Cổng thanh toán thử nghiệm (không trừ tiền thật)"


@pytest.fixture(autouse=True)
def _sandbox_on(settings: Any) -> None:
    settings.CCHC_PAYMENT_SANDBOX = True
    settings.CCHC_PAYMENT_GATEWAY_URL = f"http://testserver{SANDBOX}"


@pytest.fixture
def browser() -> Client:
    """A browser whose POSTs are checked for the CSRF token, as a real one's are."""
    return Client(enforce_csrf_checks=True)


def request_params(payment: Payment) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(payment.redirect_url).query, keep_blank_values=True))


def resigned(params: dict[str, str], **changes: str) -> dict[str, str]:
    """The request with `changes`, signed again with the merchant's secret (by the fake's own signer)."""
    changed = {**params, **changes}
    changed["vnp_SecureHash"] = fake_vnpay.sign(changed)
    return changed


def local(address: str) -> str:
    """The path and query of an absolute address, for the test client."""
    parts = urlsplit(address)
    return f"{parts.path}?{parts.query}"


def press(browser: Client, payment: Payment, action: str) -> Any:
    """Open the gateway's page for `payment` and press a button, with the page's CSRF token."""
    page = browser.get(payment.redirect_url)
    assert page.status_code == 200, page.content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token is not None
    form_action = re.search(r'<form id="sandbox-pay" method="post" action="([^"]+)"', page.content.decode())
    assert form_action is not None
    return browser.post(
        form_action.group(1).replace("&amp;", "&"),
        {"action": action, "csrfmiddlewaretoken": token.group(1)},
    )


def unpaid(dossier: Dossier) -> int:
    return DossierFee.objects.filter(dossier=dossier, amount_vnd__gt=0, paid_at__isnull=True).count()


# -- off ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value", [False, None, "1", "True"])
def test_off_the_gateway_is_404_for_get_and_post(
    browser: Client, dossier: Dossier, settings: Any, value: Any
) -> None:
    payment = start(dossier)
    settings.CCHC_PAYMENT_SANDBOX = value  # only the boolean True of settings turns it on
    assert browser.get(payment.redirect_url).status_code == 404
    # 404, not the CSRF 403: nothing of the gateway shows while it is off.
    response = browser.post(local(payment.redirect_url), {"action": "pay"})
    assert response.status_code == 404
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert unpaid(dossier) == 2
    assert not PaymentCallback.objects.exists()


def test_without_the_setting_at_all_the_gateway_is_404(
    client: Client, dossier: Dossier, settings: Any
) -> None:
    payment = start(dossier)
    del settings.CCHC_PAYMENT_SANDBOX
    assert client.get(payment.redirect_url).status_code == 404
    assert client.post(local(payment.redirect_url), {"action": "pay"}).status_code == 404


# -- the page ------------------------------------------------------------------------------------------------------
def test_the_page_shows_the_order_and_says_it_is_a_test(browser: Client, dossier: Dossier) -> None:
    payment = start(dossier)
    response = browser.get(payment.redirect_url)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<h1>{TITLE}</h1>" in page
    assert "Không có khoản tiền thật nào được chuyển" in page
    assert f'<dd id="merchant">{fake_vnpay.TMN_CODE}</dd>' in page
    assert f'<dd id="order-ref">{payment.order_ref}</dd>' in page
    assert '<dd id="amount"><strong>70.000 đ</strong></dd>' in page
    assert f"Thanh toan phi le phi ho so {dossier.code}" in page
    for form in ("sandbox-pay", "sandbox-cancel"):
        found = re.search(rf'<form id="{form}" method="post" action="([^"]+)">(.*?)</form>', page, re.S)
        assert found is not None
        assert found.group(1).replace("&amp;", "&") == local(payment.redirect_url)
        assert 'name="csrfmiddlewaretoken"' in found.group(2)
    assert '<button type="submit">Thanh toán</button>' in page
    assert '<button type="submit" class="secondary">Hủy giao dịch</button>' in page
    assert response["Cache-Control"].startswith("max-age=0")
    # The button's POST is redirected to the return address: the page's form-action allows its origin.
    assert "form-action 'self' https://dichvucong.example.vn" in response["Content-Security-Policy"]
    # Showing the page changes nothing.
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert not PaymentCallback.objects.exists()


def test_a_forged_signature_is_refused_with_400(browser: Client, dossier: Dossier) -> None:
    payment = start(dossier)
    forged = fake_vnpay.FakeVnpay.forged(request_params(payment))
    response = browser.get(SANDBOX, forged)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Chữ ký (vnp_SecureHash) không hợp lệ." in page
    assert "Thanh toán</button>" not in page
    assert TITLE in page


def test_a_forged_post_changes_nothing(client: Client, dossier: Dossier) -> None:
    payment = start(dossier)
    tampered = {**request_params(payment), "vnp_Amount": "500000"}  # 5.000 đ instead of 70.000 đ, same hash
    response = client.post(f"{SANDBOX}?{fake_vnpay.query_of(tampered)}", {"action": "pay"})
    assert response.status_code == 400
    assert "Chữ ký (vnp_SecureHash) không hợp lệ." in response.content.decode()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert unpaid(dossier) == 2
    assert not PaymentCallback.objects.exists()


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"vnp_TmnCode": "KHACDONVI"}, "Mã đơn vị (vnp_TmnCode) không được cổng thanh toán chấp nhận."),
        ({"vnp_Amount": "7000050"}, "Số tiền (vnp_Amount) không hợp lệ."),
        ({"vnp_Amount": "70.000"}, "Số tiền (vnp_Amount) không hợp lệ."),
        (
            {"vnp_Amount": "100000"},
            "Số tiền (vnp_Amount) không hợp lệ.",
        ),  # 1.000 đ, below the gateway's minimum
        ({"vnp_Version": "2.0.0"}, "Phiên bản, lệnh hoặc loại tiền tệ không được hỗ trợ."),
        ({"vnp_CurrCode": "USD"}, "Phiên bản, lệnh hoặc loại tiền tệ không được hỗ trợ."),
        ({"vnp_ExpireDate": "20261399000000"}, "Thời gian tạo hoặc hết hạn giao dịch không hợp lệ."),
        ({"vnp_ReturnUrl": "javascript:alert(1)"}, "Địa chỉ trả kết quả (vnp_ReturnUrl) không hợp lệ."),
        ({"vnp_TxnRef": ""}, "Thiếu tham số: vnp_TxnRef."),
    ],
)
def test_a_bad_request_is_refused_with_its_reason(
    client: Client, dossier: Dossier, changes: dict[str, str], reason: str
) -> None:
    payment = start(dossier)
    response = client.get(SANDBOX, resigned(request_params(payment), **changes))
    assert response.status_code == 400
    assert reason in response.content.decode()
    response = client.post(f"{SANDBOX}?{fake_vnpay.query_of(resigned(request_params(payment), **changes))}")
    assert response.status_code == 400
    assert not PaymentCallback.objects.exists()


def test_a_request_without_parameters_lists_what_is_missing(client: Client) -> None:
    response = client.get(SANDBOX)
    assert response.status_code == 400
    assert "Thiếu tham số: vnp_Version, vnp_Command, vnp_TmnCode" in response.content.decode()


def test_a_repeated_parameter_is_refused(client: Client, dossier: Dossier) -> None:
    payment = start(dossier)
    response = client.get(local(payment.redirect_url) + "&vnp_Amount=500000")
    assert response.status_code == 400
    assert "Tham số bị lặp lại: vnp_Amount." in response.content.decode()


def test_an_expired_request_is_refused(client: Client, dossier: Dossier) -> None:
    payment = start(dossier, now=timezone.now() - dt.timedelta(minutes=16))  # lives 15 minutes
    response = client.get(payment.redirect_url)
    assert response.status_code == 400
    assert "Giao dịch đã quá thời gian chờ thanh toán." in response.content.decode()


def test_without_merchant_code_or_secret_nothing_is_accepted(
    client: Client, dossier: Dossier, settings: Any
) -> None:
    payment = start(dossier)
    settings.CCHC_PAYMENT_HASH_SECRET = ""
    response = client.get(payment.redirect_url)
    assert response.status_code == 400
    assert "chưa được cấu hình mã đơn vị và khóa bí mật" in response.content.decode()


def test_a_post_without_the_csrf_token_is_refused(browser: Client, dossier: Dossier) -> None:
    payment = start(dossier)
    assert browser.post(local(payment.redirect_url), {"action": "pay"}).status_code == 403
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_an_unknown_button_is_refused(browser: Client, dossier: Dossier) -> None:
    payment = start(dossier)
    response = press(browser, payment, "refund")
    assert response.status_code == 400
    assert "Thao tác không hợp lệ." in response.content.decode()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert not PaymentCallback.objects.exists()


# -- the buttons ---------------------------------------------------------------------------------------------------
def test_pay_marks_the_fee_lines_paid_and_the_return_shows_success(browser: Client, dossier: Dossier) -> None:
    payment = start(dossier)
    response = press(browser, payment, "pay")
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{gateway.return_url()}?")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert payment.bank_code == "NCB"
    assert payment.gateway_transaction_no.isdigit()
    assert unpaid(dossier) == 0
    ipn = PaymentCallback.objects.get(kind="ipn")
    assert (ipn.remote_addr, ipn.verdict, ipn.answer_code) == ("sandbox", Verdict.PAID, "00")

    returned = browser.get(local(location))
    assert returned.status_code == 200
    page = returned.content.decode()
    assert "Thanh toán thành công" in page
    assert payment.receipt_number and payment.receipt_number in page
    assert f"/thanh-toan/{dossier.code}/giao-dich/{payment.order_ref}/bien-lai.pdf" in page


def test_the_result_is_signed_and_worded_as_vnpay_does(browser: Client, dossier: Dossier) -> None:
    payment = start(dossier)
    result = dict(parse_qsl(urlsplit(press(browser, payment, "pay")["Location"]).query))
    assert set(result) == {
        "vnp_Amount",
        "vnp_BankCode",
        "vnp_BankTranNo",
        "vnp_CardType",
        "vnp_OrderInfo",
        "vnp_PayDate",
        "vnp_ResponseCode",
        "vnp_TmnCode",
        "vnp_TransactionNo",
        "vnp_TransactionStatus",
        "vnp_TxnRef",
        "vnp_SecureHash",
    }
    # Checked with the fake's own implementation of VNPAY's signing, not the application's.
    assert result["vnp_SecureHash"] == fake_vnpay.sign(result)
    assert (result["vnp_ResponseCode"], result["vnp_TransactionStatus"]) == ("00", "00")
    assert (result["vnp_Amount"], result["vnp_TxnRef"]) == ("7000000", payment.order_ref)
    assert result["vnp_TmnCode"] == fake_vnpay.TMN_CODE
    assert result["vnp_OrderInfo"] == request_params(payment)["vnp_OrderInfo"]
    paid_at = dt.datetime.strptime(result["vnp_PayDate"], "%Y%m%d%H%M%S").replace(tzinfo=fake_vnpay.GMT7)
    assert abs(paid_at - timezone.now()) < dt.timedelta(minutes=1)
    # The IPN received exactly what the browser brings back.
    assert PaymentCallback.objects.get(kind="ipn").params == result


def test_cancel_leaves_the_fee_lines_unpaid(browser: Client, dossier: Dossier) -> None:
    payment = start(dossier)
    response = press(browser, payment, "cancel")
    assert response.status_code == 302
    result = dict(parse_qsl(urlsplit(response["Location"]).query))
    assert (result["vnp_ResponseCode"], result["vnp_TransactionStatus"]) == ("24", "02")
    assert result["vnp_SecureHash"] == fake_vnpay.sign(result)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    assert payment.receipt_number is None
    assert unpaid(dossier) == 2
    assert PaymentCallback.objects.get(kind="ipn").verdict == Verdict.FAILED

    page = browser.get(local(response["Location"])).content.decode()
    assert "Thanh toán không thành công" in page
    assert "Thanh toán thành công" not in page


def test_pressing_pay_twice_confirms_once(browser: Client, dossier: Dossier) -> None:
    payment = start(dossier)
    press(browser, payment, "pay")
    payment.refresh_from_db()
    first = (payment.receipt_number, payment.gateway_transaction_no)
    response = press(browser, payment, "pay")
    assert response.status_code == 302
    payment.refresh_from_db()
    assert (payment.receipt_number, payment.gateway_transaction_no) == first
    answers = list(
        PaymentCallback.objects.filter(kind="ipn").order_by("pk").values_list("answer_code", flat=True)
    )
    assert answers == ["00", "02"]


def test_a_button_pressed_after_the_expiry_reports_a_timeout(client: Client, dossier: Dossier) -> None:
    payment = start(dossier, now=timezone.now() - dt.timedelta(minutes=16))
    response = client.post(local(payment.redirect_url), {"action": "pay"})
    assert response.status_code == 302
    result = dict(parse_qsl(urlsplit(response["Location"]).query))
    assert (result["vnp_ResponseCode"], result["vnp_TransactionStatus"]) == ("11", "02")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    assert unpaid(dossier) == 2


def test_the_return_address_keeps_its_own_query(dossier: Dossier) -> None:
    order = sandbox.order_read(request_params(start(dossier)))
    order = sandbox.SandboxOrder(**{**order.__dict__, "return_url": "https://example.vn/kq/?cong=1"})
    params = sandbox.result_params(order=order, outcome=sandbox.SandboxOutcome.CANCELLED, now=timezone.now())
    address = sandbox.result_address(order=order, params=params)
    assert address.startswith("https://example.vn/kq/?cong=1&vnp_Amount=7000000&")
    assert address.endswith(f"&vnp_SecureHash={params['vnp_SecureHash']}")
