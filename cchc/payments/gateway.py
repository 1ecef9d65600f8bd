"""The payment gateway interface (cổng thanh toán) and the settings it is configured with.

A gateway turns an order into the address the citizen's browser is sent to, and reads back what it reports
through the server-to-server notification (IPN) and the browser's return. Only the VNPAY-style adapter exists
(cchc.payments.vnpay); another gateway is one more class with these methods.

Settings, read with getattr so that each has a default (environment variables for the lead to add):
CCHC_PAYMENT_GATEWAY_URL, CCHC_PAYMENT_TMN_CODE, CCHC_PAYMENT_HASH_SECRET, CCHC_PAYMENT_PUBLIC_URL (falls back
to CCHC_PUBLIC_URL) and CCHC_PAYMENT_CHANNEL (1 national portal, 2 provincial portal; default 2).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from cchc.payments import rules

DEFAULT_GATEWAY_URL = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class GatewayOrder:
    """What the gateway needs to take one payment."""

    order_ref: str
    amount_vnd: int
    order_info: str
    client_ip: str
    created_at: dt.datetime
    expires_at: dt.datetime
    return_url: str
    locale: str = "vn"


@dataclass(frozen=True)
class GatewayReport:
    """What a callback says, once its signature is checked. `amount_vnd` is None when it is not a number."""

    signature_valid: bool
    order_ref: str
    amount_vnd: int | None
    success: bool
    response_code: str
    transaction_no: str
    bank_code: str
    pay_date: dt.datetime | None
    merchant_code: str
    secure_hash: str


class IpnOutcome(enum.Enum):
    """The outcomes an IPN answer can report; each gateway writes them in its own codes."""

    CONFIRMED = "confirmed"
    ALREADY_CONFIRMED = "already_confirmed"
    ORDER_NOT_FOUND = "order_not_found"
    INVALID_AMOUNT = "invalid_amount"
    INVALID_SIGNATURE = "invalid_signature"
    UNKNOWN_ERROR = "unknown_error"


class PaymentGateway(Protocol):
    name: str

    def is_configured(self) -> bool:
        """Whether the merchant code and the secret are set (without them nothing can be signed or checked)."""
        ...

    def origin(self) -> str:
        """The scheme and host of the gateway, e.g. https://sandbox.vnpayment.vn (for the page's CSP)."""
        ...

    def payment_url(self, *, order: GatewayOrder) -> str:
        """The signed address that starts the payment of `order` at the gateway."""
        ...

    def read(self, params: Mapping[str, str]) -> GatewayReport:
        """Check the signature of a callback's parameters and read what they report."""
        ...

    def ipn_reply(self, outcome: IpnOutcome) -> dict[str, str]:
        """The JSON body that answers an IPN with `outcome`."""
        ...


def gateway_url() -> str:
    return str(getattr(settings, "CCHC_PAYMENT_GATEWAY_URL", "") or DEFAULT_GATEWAY_URL)


def merchant_code() -> str:
    return str(getattr(settings, "CCHC_PAYMENT_TMN_CODE", "") or "")


def hash_secret() -> str:
    return str(getattr(settings, "CCHC_PAYMENT_HASH_SECRET", "") or "")


def public_base_url() -> str:
    """The public address of this site, for the return address given to the gateway."""
    base = getattr(settings, "CCHC_PAYMENT_PUBLIC_URL", "") or getattr(settings, "CCHC_PUBLIC_URL", "")
    return str(base or DEFAULT_PUBLIC_URL).rstrip("/")


def return_url() -> str:
    return public_base_url() + reverse("payments-return")


def ipn_url() -> str:
    """The IPN address to register with the gateway (VNPAY takes it from the merchant's profile, not per order)."""
    return public_base_url() + reverse("payments-ipn")


def payment_channel() -> int:
    """The national payment channel code written on paid fee lines (1 national, 2 provincial portal)."""
    value = getattr(settings, "CCHC_PAYMENT_CHANNEL", None) or rules.DEFAULT_CHANNEL
    try:
        code = int(value)
    except (TypeError, ValueError):
        code = 0
    if code not in (rules.CHANNEL_NATIONAL_PORTAL, rules.CHANNEL_PROVINCIAL_PORTAL):
        # A wrong code would be written on every receipt and sent to the national sync: refuse to guess.
        raise ImproperlyConfigured(f"CCHC_PAYMENT_CHANNEL must be 1 or 2, not {value!r}")
    return code


def payment_gateway() -> PaymentGateway:
    """The gateway configured in the settings."""
    from cchc.payments.vnpay import VnpayGateway

    return VnpayGateway(url=gateway_url(), merchant_code=merchant_code(), secret=hash_secret())
