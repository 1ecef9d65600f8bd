"""A local payment gateway speaking the VNPAY 2.1.0 "pay" protocol, for tests.

It listens on 127.0.0.1 (a free port) and, like VNPAY:
- GET /paymentv2/vpcpay.html?… checks the request (version, command, merchant code, currency, amount, dates,
  and the HMAC-SHA512 signature, recomputed here without the application's code) and shows a page with a
  "Thanh toán" button (and "Hủy giao dịch"); a bad request gets an error page (HTTP 400);
- POST /pay sends the signed result to the merchant's IPN address (a server-to-server GET), records the JSON
  answer, then redirects the browser to the return address with the same signed parameters.

It can be told to tamper with the next result (`tamper_next`): "forge" (a wrong signature), "amount" (another
amount, correctly signed), or to send the IPN twice ("replay"). Tests can also build and send results directly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import html
import json
import threading
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

from tests.fake_server import LocalServer

TMN_CODE = "CCHCTEST"
SECRET = "BIMATTHUNGHIEMCCHC2026"
GMT7 = ZoneInfo("Asia/Ho_Chi_Minh")
REQUIRED = (
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


def php_urlencode(text: str) -> str:
    """PHP's urlencode, byte by byte: [A-Za-z0-9_.-] kept, space as "+", the rest as %XX."""
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        if byte < 128 and (char.isalnum() or char in "-_."):
            out.append(char)
        elif char == " ":
            out.append("+")
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)


def sign(params: Mapping[str, str], secret: str = SECRET) -> str:
    names = sorted(
        name
        for name in params
        if name.startswith("vnp_") and name not in ("vnp_SecureHash", "vnp_SecureHashType")
    )
    data = "&".join(f"{php_urlencode(name)}={php_urlencode(params[name])}" for name in names)
    return hmac.new(secret.encode(), data.encode(), hashlib.sha512).hexdigest()


def query_of(params: Mapping[str, str]) -> str:
    return "&".join(f"{php_urlencode(k)}={php_urlencode(v)}" for k, v in params.items())


@dataclass
class IpnCall:
    params: dict[str, str]
    status: int
    answer: dict[str, Any]


@dataclass
class FakeVnpay(LocalServer):
    ipn_url: str = ""
    tmn_code: str = TMN_CODE
    secret: str = SECRET
    orders: dict[str, dict[str, str]] = field(default_factory=dict)  # accepted payment requests, by TxnRef
    rejected: list[str] = field(default_factory=list)  # why requests were refused
    ipn_calls: list[IpnCall] = field(default_factory=list)
    tamper: list[str] = field(default_factory=list)
    _transaction_no: int = 14000000

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._serve(self._handler())

    # -- life ----------------------------------------------------------------------------------------------------
    @property
    def base(self) -> str:
        return self.origin

    @property
    def url(self) -> str:
        return f"{self.base}/paymentv2/vpcpay.html"

    def tamper_next(self, how: str) -> None:
        assert how in {"forge", "amount", "replay"}
        with self._lock:
            self.tamper.append(how)

    # -- what VNPAY checks on a payment request --------------------------------------------------------------------
    def check_request(self, params: Mapping[str, str]) -> str:
        """ "" when the request is acceptable, else the reason (VNPAY shows an error page)."""
        missing = [name for name in REQUIRED if not params.get(name)]
        if missing:
            return f"missing {','.join(missing)}"
        if not hmac.compare_digest(sign(params, self.secret), params.get("vnp_SecureHash", "")):
            return "invalid signature"
        if params["vnp_TmnCode"] != self.tmn_code:
            return "unknown merchant"
        if (params["vnp_Version"], params["vnp_Command"], params["vnp_CurrCode"]) != ("2.1.0", "pay", "VND"):
            return "bad version, command or currency"
        if not params["vnp_Amount"].isdigit() or int(params["vnp_Amount"]) % 100:
            return "bad amount"
        expires = dt.datetime.strptime(params["vnp_ExpireDate"], "%Y%m%d%H%M%S").replace(tzinfo=GMT7)
        if expires < dt.datetime.now(GMT7):
            return "expired"
        return ""

    # -- results ----------------------------------------------------------------------------------------------------
    def result(
        self, txn_ref: str, *, response_code: str = "00", amount: str | None = None, **extra: str
    ) -> dict[str, str]:
        """The signed parameters VNPAY sends to the IPN and the return address for a known order."""
        order = self.orders[txn_ref]
        with self._lock:
            self._transaction_no += 1
            number = str(self._transaction_no)
        params = {
            "vnp_Amount": amount if amount is not None else order["vnp_Amount"],
            "vnp_BankCode": "NCB",
            "vnp_BankTranNo": f"VNP{number}",
            "vnp_CardType": "ATM",
            "vnp_OrderInfo": order["vnp_OrderInfo"],
            "vnp_PayDate": dt.datetime.now(GMT7).strftime("%Y%m%d%H%M%S"),
            "vnp_ResponseCode": response_code,
            "vnp_TmnCode": self.tmn_code,
            "vnp_TransactionNo": number,
            "vnp_TransactionStatus": "00" if response_code == "00" else "02",
            "vnp_TxnRef": txn_ref,
        }
        params.update(extra)
        params["vnp_SecureHash"] = sign(params, self.secret)
        return params

    @staticmethod
    def forged(params: Mapping[str, str]) -> dict[str, str]:
        """The same parameters with a signature made under another secret."""
        copy = dict(params)
        copy["vnp_SecureHash"] = sign(copy, "KHONG-PHAI-BI-MAT")
        return copy

    def send_ipn(self, params: Mapping[str, str]) -> IpnCall:
        """GET the merchant's IPN address with `params`, as VNPAY's servers do; record and return the answer."""
        request = urllib.request.Request(f"{self.ipn_url}?{query_of(params)}", method="GET")  # noqa: S310
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 - a local test server
            call = IpnCall(dict(params), response.status, json.loads(response.read()))
        with self._lock:
            self.ipn_calls.append(call)
        return call

    def _pay(self, txn_ref: str, cancel: bool) -> str:
        """The browser pressed a button: notify the merchant, then return the address to send the browser to."""
        order = self.orders[txn_ref]
        with self._lock:
            how = self.tamper.pop(0) if self.tamper else ""
        if how == "amount":
            params = self.result(txn_ref, amount=str(int(order["vnp_Amount"]) + 100_000))
        else:
            params = self.result(txn_ref, response_code="24" if cancel else "00")
        if how == "forge":
            params = self.forged(params)
        if self.ipn_url:
            self.send_ipn(params)
            if how == "replay":
                self.send_ipn(params)
        return f"{order['vnp_ReturnUrl']}?{query_of(params)}"

    # -- HTTP --------------------------------------------------------------------------------------------------------
    def _handler(self) -> type[BaseHTTPRequestHandler]:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def _page(self, status: int, body: str) -> None:
                data = f"<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>Cổng thanh toán thử nghiệm</title></head><body>{body}</body></html>".encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                if parts.path != "/paymentv2/vpcpay.html":
                    self._page(404, "<h1>Không tìm thấy</h1>")
                    return
                params = dict(parse_qsl(parts.query, keep_blank_values=True))
                problem = gateway.check_request(params)
                if problem:
                    with gateway._lock:
                        gateway.rejected.append(problem)
                    self._page(
                        400, f"<h1>Giao dịch không hợp lệ</h1><p id='error'>{html.escape(problem)}</p>"
                    )
                    return
                ref = params["vnp_TxnRef"]
                with gateway._lock:
                    gateway.orders[ref] = params
                amount = int(params["vnp_Amount"]) // 100
                self._page(
                    200,
                    "<h1>Cổng thanh toán thử nghiệm</h1>"
                    f"<p id='order'>{html.escape(params['vnp_OrderInfo'])}</p>"
                    f"<p id='amount'>{amount:,} VND</p>".replace(",", ".")
                    + "<form method='post' action='/pay'>"
                    f"<input type='hidden' name='txn' value='{html.escape(ref)}'>"
                    "<button type='submit' name='action' value='pay'>Thanh toán</button> "
                    "<button type='submit' name='action' value='cancel'>Hủy giao dịch</button></form>",
                )

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(parse_qsl(self.rfile.read(length).decode()))
                ref = form.get("txn", "")
                if self.path != "/pay" or ref not in gateway.orders:
                    self._page(400, "<h1>Giao dịch không hợp lệ</h1>")
                    return
                location = gateway._pay(ref, cancel=form.get("action") == "cancel")
                self.send_response(302)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
