"""The built-in test gateway (cổng thanh toán thử nghiệm) of the demo: VNPAY 2.1.0's protocol, no real money.

`make demo` has no real gateway and no internet, yet a citizen must be able to pay a dossier's fees end to end.
This gateway answers at /thanh-toan/cong-thu-nghiem/ ONLY when settings.CCHC_PAYMENT_SANDBOX is true; otherwise
every request to it is a 404. It plays VNPAY's part of the exchange (cchc.payments.vnpay):

- GET with the signed payment request: it checks the request as VNPAY does (required parameters, merchant code,
  HMAC-SHA512 signature under CCHC_PAYMENT_HASH_SECRET, version, command, currency, amount, dates, expiry) and
  shows the order with two buttons, "Thanh toán" and "Hủy giao dịch"; a bad request gets a 400 page with the
  reason.
- POST (a button): it builds the signed result parameters VNPAY would send, hands them to our IPN handler
  IN-PROCESS (services.payment_ipn_handle: the demo server may be single-threaded, so no HTTP call to
  ourselves), then redirects the browser (302) to the order's return address with the same parameters.

The signature makes the gateway as trustworthy as the secret: only this site can build a request it accepts.
A payment made here marks fee lines paid without money changing hands, hence the setting and the warnings.
"""

from __future__ import annotations

import datetime as dt
import enum
import hmac
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from cchc.payments import rules
from cchc.payments.amounts import format_vnd
from cchc.payments.gateway import hash_secret, merchant_code
from cchc.payments.services import payment_ipn_handle
from cchc.payments.views import _with_gateway_form_action
from cchc.payments.vnpay import gmt7, hash_data, parse_gmt7, secure_hash

logger = logging.getLogger(__name__)

# VNPAY 2.1.0, the parameters a payment request must carry (vnp_BankCode is optional).
REQUIRED_PARAMS = (
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_Amount",
    "vnp_CurrCode",
    "vnp_TxnRef",
    "vnp_OrderInfo",
    "vnp_OrderType",
    "vnp_Locale",
    "vnp_ReturnUrl",
    "vnp_IpAddr",
    "vnp_CreateDate",
    "vnp_ExpireDate",
)
# The test bank VNPAY's sandbox offers (Ngân hàng NCB), written on the paid fee lines' payment.
SANDBOX_BANK_CODE = "NCB"
SANDBOX_CARD_TYPE = "ATM"
# A payment the citizen did not make: VNPAY's sandbox names its own page as the bank and numbers no transaction
# (verify).
NO_BANK_CODE = "VNPAY"
NO_TRANSACTION_NO = "0"
REMOTE_ADDR = "sandbox"


class SandboxOutcome(enum.Enum):
    """What the citizen did on the gateway's page, and the codes VNPAY 2.1.0 reports for it."""

    PAID = "pay"
    CANCELLED = "cancel"
    EXPIRED = "expired"


# VNPAY 2.1.0 (vnp_ResponseCode, vnp_TransactionStatus): 00/00 success; 24/02 "Khách hàng hủy giao dịch";
# 11/02 "Đã hết hạn chờ thanh toán".
RESULT_CODES: dict[SandboxOutcome, tuple[str, str]] = {
    SandboxOutcome.PAID: (rules.VNPAY_SUCCESS, rules.VNPAY_SUCCESS),
    SandboxOutcome.CANCELLED: ("24", "02"),
    SandboxOutcome.EXPIRED: ("11", "02"),
}


class SandboxRequestError(Exception):
    """A payment request the gateway refuses; `reason` is Vietnamese and safe to show."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SandboxOrder:
    """A checked payment request."""

    merchant_code: str
    order_ref: str
    amount_vnd: int
    order_info: str
    return_url: str
    created_at: dt.datetime
    expires_at: dt.datetime

    def expired(self, now: dt.datetime) -> bool:
        return self.expires_at < now


def sandbox_enabled() -> bool:
    """Whether the test gateway answers at all (settings.CCHC_PAYMENT_SANDBOX, off unless set)."""
    return getattr(settings, "CCHC_PAYMENT_SANDBOX", False) is True


def _signature_valid(params: Mapping[str, str], secret: str) -> bool:
    received = params.get("vnp_SecureHash", "").strip().lower()
    if not secret or not received:
        return False
    return hmac.compare_digest(secure_hash(params, secret).encode(), received.encode("utf-8", "replace"))


def order_read(params: Mapping[str, str]) -> SandboxOrder:
    """Check a payment request as VNPAY 2.1.0 does; SandboxRequestError with the reason when it is refused.

    The expiry is not checked here (SandboxOrder.expired): a page opened in time may be answered late.
    """
    code, secret = merchant_code(), hash_secret()
    if not code or not secret:
        raise SandboxRequestError(
            _("Cổng thanh toán thử nghiệm chưa được cấu hình mã đơn vị và khóa bí mật.")
        )
    missing = [name for name in REQUIRED_PARAMS if not params.get(name)]
    if missing:
        raise SandboxRequestError(_("Thiếu tham số: %(names)s.") % {"names": ", ".join(missing)})
    if params["vnp_TmnCode"] != code:
        raise SandboxRequestError(_("Mã đơn vị (vnp_TmnCode) không được cổng thanh toán chấp nhận."))
    if not _signature_valid(params, secret):
        raise SandboxRequestError(_("Chữ ký (vnp_SecureHash) không hợp lệ."))
    if (params["vnp_Version"], params["vnp_Command"], params["vnp_CurrCode"]) != (
        rules.VNPAY_VERSION,
        rules.VNPAY_COMMAND,
        rules.VNPAY_CURRENCY,
    ):
        raise SandboxRequestError(_("Phiên bản, lệnh hoặc loại tiền tệ không được hỗ trợ."))
    raw_amount = params["vnp_Amount"]
    if not (raw_amount.isascii() and raw_amount.isdigit() and len(raw_amount) <= 18):
        raise SandboxRequestError(_("Số tiền (vnp_Amount) không hợp lệ."))
    hundredths = int(raw_amount)
    amount = hundredths // rules.VNPAY_AMOUNT_FACTOR
    if hundredths % rules.VNPAY_AMOUNT_FACTOR or not rules.MIN_AMOUNT_VND <= amount <= rules.MAX_AMOUNT_VND:
        raise SandboxRequestError(_("Số tiền (vnp_Amount) không hợp lệ."))
    created_at, expires_at = parse_gmt7(params["vnp_CreateDate"]), parse_gmt7(params["vnp_ExpireDate"])
    if created_at is None or expires_at is None or expires_at <= created_at:
        raise SandboxRequestError(_("Thời gian tạo hoặc hết hạn giao dịch không hợp lệ."))
    address = urlsplit(params["vnp_ReturnUrl"])
    if address.scheme not in {"http", "https"} or not address.netloc:
        raise SandboxRequestError(_("Địa chỉ trả kết quả (vnp_ReturnUrl) không hợp lệ."))
    return SandboxOrder(
        merchant_code=params["vnp_TmnCode"],
        order_ref=params["vnp_TxnRef"],
        amount_vnd=amount,
        order_info=params["vnp_OrderInfo"],
        return_url=params["vnp_ReturnUrl"],
        created_at=created_at,
        expires_at=expires_at,
    )


def result_params(*, order: SandboxOrder, outcome: SandboxOutcome, now: dt.datetime) -> dict[str, str]:
    """The signed parameters VNPAY 2.1.0 sends to the IPN and the return address for `order`."""
    response_code, status = RESULT_CODES[outcome]
    params = {
        "vnp_Amount": str(order.amount_vnd * rules.VNPAY_AMOUNT_FACTOR),
        "vnp_OrderInfo": order.order_info,
        "vnp_PayDate": gmt7(now),
        "vnp_ResponseCode": response_code,
        "vnp_TmnCode": order.merchant_code,
        "vnp_TransactionStatus": status,
        "vnp_TxnRef": order.order_ref,
    }
    if outcome is SandboxOutcome.PAID:
        number = str(10_000_000 + secrets.randbelow(90_000_000))
        params |= {
            "vnp_BankCode": SANDBOX_BANK_CODE,
            "vnp_BankTranNo": f"VNP{number}",
            "vnp_CardType": SANDBOX_CARD_TYPE,
            "vnp_TransactionNo": number,
        }
    else:
        params |= {"vnp_BankCode": NO_BANK_CODE, "vnp_TransactionNo": NO_TRANSACTION_NO}
    params["vnp_SecureHash"] = secure_hash(params, hash_secret())
    return params


def result_address(*, order: SandboxOrder, params: Mapping[str, str]) -> str:
    """The return address with the signed result as its query, encoded as VNPAY encodes it."""
    query = f"{hash_data(params)}&vnp_SecureHash={params['vnp_SecureHash']}"
    separator = "&" if urlsplit(order.return_url).query else "?"
    return f"{order.return_url}{separator}{query}"


def sandbox_result_send(
    *, order: SandboxOrder, outcome: SandboxOutcome, now: dt.datetime | None = None
) -> str:
    """Report `outcome` of `order` as VNPAY would (gửi kết quả giao dịch): the IPN, handled in-process by
    services.payment_ipn_handle, then the address to send the browser back to, with the same signed result.

    The IPN's answer does not change where the browser goes: VNPAY returns the citizen whatever the merchant
    answered, and the return page shows what our records say.
    """
    moment = now or timezone.now()
    params = result_params(order=order, outcome=outcome, now=moment)
    answer = payment_ipn_handle(params=params, remote_addr=REMOTE_ADDR, now=moment)
    logger.warning(
        "Sandbox gateway (no real money): order %s %s, IPN answered %s",
        order.order_ref[:40],
        outcome.value,
        answer.body.get("RspCode", ""),
    )
    return result_address(order=order, params=params)


# -- the page ------------------------------------------------------------------------------------------------------
def _params_of(request: HttpRequest) -> dict[str, str]:
    repeated = [name for name, values in request.GET.lists() if name.startswith("vnp_") and len(values) > 1]
    if repeated:
        raise SandboxRequestError(
            _("Tham số bị lặp lại: %(names)s.") % {"names": ", ".join(sorted(repeated))}
        )
    return request.GET.dict()


def _page(
    request: HttpRequest, context: dict[str, object], *, status: int, return_url: str = ""
) -> HttpResponse:
    response = render(request, "payments/sandbox.html", context, status=status)
    if return_url:
        # The buttons' POST is redirected to the return address; browsers check it against form-action.
        parts = urlsplit(return_url)
        response["Content-Security-Policy"] = _with_gateway_form_action(
            settings.CONTENT_SECURITY_POLICY, f"{parts.scheme}://{parts.netloc}"
        )
    return response


@csrf_protect
@require_http_methods(["GET", "POST"])
def _gateway(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    try:
        order = order_read(_params_of(request))
        if request.method == "POST":
            action = request.POST.get("action", "")
            if action not in {SandboxOutcome.PAID.value, SandboxOutcome.CANCELLED.value}:
                raise SandboxRequestError(_("Thao tác không hợp lệ."))
            outcome = SandboxOutcome.EXPIRED if order.expired(now) else SandboxOutcome(action)
            return HttpResponseRedirect(sandbox_result_send(order=order, outcome=outcome, now=now))
        if order.expired(now):
            raise SandboxRequestError(_("Giao dịch đã quá thời gian chờ thanh toán."))
    except SandboxRequestError as exc:
        logger.warning("Sandbox gateway refused a request: %s", exc.reason)
        return _page(request, {"problem": exc.reason}, status=400)
    context: dict[str, object] = {
        "order": order,
        "amount": format_vnd(order.amount_vnd),
        "expires_at": timezone.localtime(order.expires_at),
        "action": request.get_full_path(),
    }
    return _page(request, context, status=200, return_url=order.return_url)


@csrf_exempt  # checked by _gateway, once we know the gateway is on: off, every request is the same 404
@never_cache
def sandbox_gateway(request: HttpRequest) -> HttpResponse:
    """Cổng thanh toán thử nghiệm: the demo's stand-in for VNPAY (GET the order page, POST a button)."""
    if not sandbox_enabled():
        raise Http404(_("Không tìm thấy trang."))
    return _gateway(request)
