"""The adapter for the VNPAY "pay" API, version 2.1.0, as publicly documented (sandbox.vnpayment.vn/apis/docs).

Signing (vnp_SecureHash): the vnp_* parameters except vnp_SecureHash and vnp_SecureHashType, sorted by name,
each name and value URL-encoded as PHP's urlencode does (every byte but letters, digits and "-_." becomes %XX,
a space becomes "+"), joined as name=value with "&"; the hash is the hex HMAC-SHA512 of that text under the
merchant's secret (vnp_HashSecret). The same text, plus the hash, is the query string of the address.
On reading, every vnp_* parameter received counts, empty ones too, as in VNPAY's reference code.

Our own values stay within letters, digits, spaces and "-._:/?=&" (the order information is ASCII without
diacritics, as VNPAY asks), where VNPAY's PHP, Java and .NET examples all encode alike.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import unicodedata
from collections.abc import Mapping
from urllib.parse import quote_plus, urlsplit
from zoneinfo import ZoneInfo

from cchc.payments import rules
from cchc.payments.gateway import GatewayOrder, GatewayReport, IpnOutcome

# vnp_CreateDate, vnp_ExpireDate and vnp_PayDate are in GMT+7 (Vietnam has no daylight saving time).
GMT7 = ZoneInfo("Asia/Ho_Chi_Minh")
HASH_FIELDS_EXCLUDED = frozenset({"vnp_SecureHash", "vnp_SecureHashType"})
ORDER_INFO_MAX = 255

# The IPN answers of VNPAY 2.1.0 (RspCode, Message).
IPN_REPLIES: dict[IpnOutcome, tuple[str, str]] = {
    IpnOutcome.CONFIRMED: ("00", "Confirm Success"),
    IpnOutcome.ORDER_NOT_FOUND: ("01", "Order not found"),
    IpnOutcome.ALREADY_CONFIRMED: ("02", "Order already confirmed"),
    IpnOutcome.INVALID_AMOUNT: ("04", "Invalid amount"),
    IpnOutcome.INVALID_SIGNATURE: ("97", "Invalid signature"),
    IpnOutcome.UNKNOWN_ERROR: ("99", "Unknown error"),
}


def urlencode_php(text: str) -> str:
    """PHP's urlencode: UTF-8 bytes, all but [A-Za-z0-9_.-] as %XX (upper-case hex), space as "+"."""
    # quote_plus also leaves "~" alone (RFC 3986); PHP encodes it.
    return quote_plus(text, safe="").replace("~", "%7E")


def hash_data(params: Mapping[str, str]) -> str:
    """The text that is signed: the vnp_* parameters (without the hash itself), sorted and URL-encoded."""
    fields = sorted(
        (name, value)
        for name, value in params.items()
        if name.startswith("vnp_") and name not in HASH_FIELDS_EXCLUDED
    )
    return "&".join(f"{urlencode_php(name)}={urlencode_php(value)}" for name, value in fields)


def secure_hash(params: Mapping[str, str], secret: str) -> str:
    """vnp_SecureHash: hex HMAC-SHA512 of hash_data(params) under `secret`."""
    return hmac.new(secret.encode("utf-8"), hash_data(params).encode("utf-8"), hashlib.sha512).hexdigest()


def gmt7(moment: dt.datetime) -> str:
    """yyyyMMddHHmmss in GMT+7."""
    return moment.astimezone(GMT7).strftime(rules.VNPAY_DATE_FORMAT)


def parse_gmt7(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(text, rules.VNPAY_DATE_FORMAT).replace(tzinfo=GMT7)
    except (TypeError, ValueError):
        return None


def ascii_text(text: str, limit: int = ORDER_INFO_MAX) -> str:
    """Vietnamese without diacritics, only letters, digits, spaces and "-._:" (VNPAY's vnp_OrderInfo rule)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    kept = "".join(char if char.isalnum() or char in " -._:" else " " for char in folded)
    return " ".join(kept.split())[:limit]


class VnpayGateway:
    """VNPAY 2.1.0: signed redirect, signed return and IPN, answers with RspCode/Message."""

    name = "vnpay"

    def __init__(self, *, url: str, merchant_code: str, secret: str) -> None:
        if urlsplit(url).scheme not in {"http", "https"}:
            raise ValueError(f"CCHC_PAYMENT_GATEWAY_URL must be an http(s) address, not {url!r}")
        self.url, self.merchant_code, self.secret = url, merchant_code, secret

    def is_configured(self) -> bool:
        return bool(self.merchant_code and self.secret)

    def origin(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"

    def request_params(self, order: GatewayOrder) -> dict[str, str]:
        """The parameters of the payment request, without the hash."""
        return {
            "vnp_Version": rules.VNPAY_VERSION,
            "vnp_Command": rules.VNPAY_COMMAND,
            "vnp_TmnCode": self.merchant_code,
            "vnp_Amount": str(order.amount_vnd * rules.VNPAY_AMOUNT_FACTOR),
            "vnp_CurrCode": rules.VNPAY_CURRENCY,
            "vnp_TxnRef": order.order_ref,
            "vnp_OrderInfo": ascii_text(order.order_info),
            "vnp_OrderType": rules.VNPAY_ORDER_TYPE,
            "vnp_Locale": order.locale if order.locale in {"vn", "en"} else "vn",
            "vnp_ReturnUrl": order.return_url,
            "vnp_IpAddr": order.client_ip,
            "vnp_CreateDate": gmt7(order.created_at),
            "vnp_ExpireDate": gmt7(order.expires_at),
        }

    def payment_url(self, *, order: GatewayOrder) -> str:
        if not self.is_configured():
            raise ValueError("CCHC_PAYMENT_TMN_CODE and CCHC_PAYMENT_HASH_SECRET must be set")
        params = self.request_params(order)
        query = hash_data(params)
        return f"{self.url}?{query}&vnp_SecureHash={secure_hash(params, self.secret)}"

    def signature_valid(self, params: Mapping[str, str]) -> bool:
        received = params.get("vnp_SecureHash", "")
        # Never check against an empty secret: anybody could compute that hash.
        if not self.secret or not received:
            return False
        expected = secure_hash(params, self.secret)
        return hmac.compare_digest(expected.encode(), received.strip().lower().encode("utf-8", "replace"))

    def read(self, params: Mapping[str, str]) -> GatewayReport:
        raw_amount = params.get("vnp_Amount", "")
        amount: int | None = None
        if raw_amount.isascii() and raw_amount.isdigit() and len(raw_amount) <= 18:
            hundredths = int(raw_amount)
            if hundredths % rules.VNPAY_AMOUNT_FACTOR == 0:
                amount = hundredths // rules.VNPAY_AMOUNT_FACTOR
        return GatewayReport(
            signature_valid=self.signature_valid(params),
            order_ref=params.get("vnp_TxnRef", ""),
            amount_vnd=amount,
            success=params.get("vnp_ResponseCode") == rules.VNPAY_SUCCESS
            and params.get("vnp_TransactionStatus") == rules.VNPAY_SUCCESS,
            response_code=params.get("vnp_ResponseCode", "")[:4],
            transaction_no=params.get("vnp_TransactionNo", "")[:40],
            bank_code=params.get("vnp_BankCode", "")[:20],
            pay_date=parse_gmt7(params.get("vnp_PayDate", "")),
            merchant_code=params.get("vnp_TmnCode", ""),
            secure_hash=params.get("vnp_SecureHash", "")[:256],
        )

    def ipn_reply(self, outcome: IpnOutcome) -> dict[str, str]:
        code, message = IPN_REPLIES[outcome]
        return {"RspCode": code, "Message": message}
