"""The VNPAY 2.1.0 adapter: the signed redirect matches a vector computed here with the hmac module."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from urllib.parse import parse_qsl, urlsplit

import pytest

from cchc.payments.gateway import GatewayOrder, IpnOutcome
from cchc.payments.vnpay import VnpayGateway, ascii_text, urlencode_php
from tests.payments import fake_vnpay
from tests.payments.conftest import GATEWAY_URL, at

ORDER = GatewayOrder(
    order_ref="260213ABCDEFGH",
    amount_vnd=70_000,
    order_info="Thanh toán phí, lệ phí hồ sơ 000.00.12.H99-260213-0001",
    client_ip="203.0.113.7",
    created_at=at(2026, 2, 13, 9, 30),
    expires_at=at(2026, 2, 13, 9, 45),
    return_url="https://dichvucong.example.vn/thanh-toan/ket-qua/",
)
# Written by hand from the specification: sorted names, PHP urlencode, amount × 100, dates in GMT+7.
EXPECTED_QUERY = (
    "vnp_Amount=7000000&vnp_Command=pay&vnp_CreateDate=20260213093000&vnp_CurrCode=VND"
    "&vnp_ExpireDate=20260213094500&vnp_IpAddr=203.0.113.7&vnp_Locale=vn"
    "&vnp_OrderInfo=Thanh+toan+phi+le+phi+ho+so+000.00.12.H99-260213-0001&vnp_OrderType=billpayment"
    "&vnp_ReturnUrl=https%3A%2F%2Fdichvucong.example.vn%2Fthanh-toan%2Fket-qua%2F"
    "&vnp_TmnCode=CCHCTEST&vnp_TxnRef=260213ABCDEFGH&vnp_Version=2.1.0"
)


def gateway(secret: str = fake_vnpay.SECRET) -> VnpayGateway:
    return VnpayGateway(url=GATEWAY_URL, merchant_code=fake_vnpay.TMN_CODE, secret=secret)


def test_payment_url_matches_the_known_vector() -> None:
    expected_hash = hmac.new(fake_vnpay.SECRET.encode(), EXPECTED_QUERY.encode(), hashlib.sha512).hexdigest()
    url = gateway().payment_url(order=ORDER)
    assert url == f"{GATEWAY_URL}?{EXPECTED_QUERY}&vnp_SecureHash={expected_hash}"


def test_dates_are_written_in_gmt7_whatever_the_input_zone() -> None:
    utc_order = GatewayOrder(
        **{**ORDER.__dict__, "created_at": dt.datetime(2026, 2, 13, 2, 30, tzinfo=dt.UTC)}
    )
    params = dict(parse_qsl(urlsplit(gateway().payment_url(order=utc_order)).query))
    assert params["vnp_CreateDate"] == "20260213093000"


def test_the_fake_gateway_accepts_the_url_and_refuses_it_tampered() -> None:
    params = dict(parse_qsl(urlsplit(gateway().payment_url(order=ORDER)).query, keep_blank_values=True))
    fake = fake_vnpay.FakeVnpay()
    try:
        problem = fake.check_request(params)
        assert problem in {"", "expired"}  # the vector's dates are in the past
        assert fake.check_request({**params, "vnp_Amount": "100"}) == "invalid signature"
    finally:
        fake._server.server_close()


def test_php_urlencode_rules() -> None:
    assert urlencode_php("a b~c*d/e:f") == "a+b%7Ec%2Ad%2Fe%3Af"
    assert urlencode_php("Hà") == "H%C3%A0"
    assert urlencode_php("-_.") == "-_."


def test_order_info_loses_diacritics_and_special_characters() -> None:
    assert ascii_text("Thanh toán lệ phí hồ sơ Đà Nẵng #1 <b>") == "Thanh toan le phi ho so Da Nang 1 b"


def test_read_a_signed_result() -> None:
    params = {
        "vnp_Amount": "7000000",
        "vnp_BankCode": "NCB",
        "vnp_PayDate": "20260213093512",
        "vnp_ResponseCode": "00",
        "vnp_TmnCode": "CCHCTEST",
        "vnp_TransactionNo": "14000001",
        "vnp_TransactionStatus": "00",
        "vnp_TxnRef": "260213ABCDEFGH",
    }
    params["vnp_SecureHash"] = fake_vnpay.sign(params)
    report = gateway().read(params)
    assert report.signature_valid
    assert report.success
    assert report.amount_vnd == 70_000
    assert report.pay_date == at(2026, 2, 13, 9, 35) + dt.timedelta(seconds=12)
    assert report.transaction_no == "14000001"
    # Upper-case hex is the same signature.
    assert gateway().read({**params, "vnp_SecureHash": params["vnp_SecureHash"].upper()}).signature_valid


@pytest.mark.parametrize(
    ("change", "valid", "success"),
    [
        ({"vnp_Amount": "7000100"}, False, True),  # tampered after signing
        ({"vnp_ResponseCode": "24"}, False, False),
        ({"vnp_SecureHash": ""}, False, True),
        ({"vnp_SecureHashType": "HmacSHA512"}, True, True),  # not part of the signed text
        ({"other": "x"}, True, True),  # not a vnp_ field
    ],
)
def test_signature_covers_every_vnp_field(change: dict[str, str], valid: bool, success: bool) -> None:
    params = {
        "vnp_Amount": "7000000",
        "vnp_ResponseCode": "00",
        "vnp_TransactionStatus": "00",
        "vnp_TxnRef": "X",
    }
    params["vnp_SecureHash"] = fake_vnpay.sign(params)
    report = gateway().read({**params, **change})
    assert report.signature_valid is valid
    assert report.success is success


def test_an_empty_secret_never_validates() -> None:
    params = {"vnp_TxnRef": "X", "vnp_Amount": "100"}
    params["vnp_SecureHash"] = fake_vnpay.sign(params, "")
    assert not gateway(secret="").read(params).signature_valid
    assert not gateway(secret="").is_configured()


@pytest.mark.parametrize("amount", ["", "abc", "7000050", "-7000000", "٣٣"])
def test_amount_that_is_not_whole_vnd_reads_as_none(amount: str) -> None:
    assert gateway().read({"vnp_Amount": amount}).amount_vnd is None


def test_success_needs_both_codes() -> None:
    assert not gateway().read({"vnp_ResponseCode": "00"}).success
    assert not gateway().read({"vnp_ResponseCode": "00", "vnp_TransactionStatus": "02"}).success


def test_ipn_replies_use_the_standard_codes() -> None:
    replies = {outcome: gateway().ipn_reply(outcome) for outcome in IpnOutcome}
    assert replies[IpnOutcome.CONFIRMED] == {"RspCode": "00", "Message": "Confirm Success"}
    assert replies[IpnOutcome.ORDER_NOT_FOUND]["RspCode"] == "01"
    assert replies[IpnOutcome.ALREADY_CONFIRMED]["RspCode"] == "02"
    assert replies[IpnOutcome.INVALID_AMOUNT]["RspCode"] == "04"
    assert replies[IpnOutcome.INVALID_SIGNATURE]["RspCode"] == "97"
    assert replies[IpnOutcome.UNKNOWN_ERROR]["RspCode"] == "99"


def test_a_non_http_gateway_url_is_refused() -> None:
    with pytest.raises(ValueError, match="http"):
        VnpayGateway(url="file:///etc/passwd", merchant_code="A", secret="B")
