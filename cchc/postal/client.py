"""The postal service adapter (docs/postal.md): JSON over HTTP with a bearer token, standard library only.

Settings: CCHC_POSTAL_URL (the service's base address) and CCHC_POSTAL_API_KEY. Without a URL there is no
service: shipments wait in the outbox, and `cchc postal_sync` says so.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

from django.conf import settings

from cchc.core.http import HttpFailure, json_call, require_http_url

TIMEOUT_SECONDS = 15


class PostalError(Exception):
    """The service did not do what was asked; the message says what it answered."""


@dataclass(frozen=True)
class ShipmentOrder:
    """What the service needs to carry one result."""

    key: str  # Idempotency-Key: a retried order after a lost answer makes no second parcel
    reference: str  # the dossier code
    receiver_name: str
    receiver_phone: str
    address: str
    sender: str  # the unit returning the result
    content: str


@dataclass(frozen=True)
class TrackingReport:
    status: str  # accepted, in_transit, delivered, returned
    delivered_at: dt.datetime | None
    receiver: str
    proof: str


class PostalService(Protocol):
    def create(self, order: ShipmentOrder) -> str:
        """The tracking number of the new shipment, or PostalError."""
        ...

    def track(self, tracking_number: str) -> TrackingReport:
        """What the service reports of the shipment, or PostalError."""
        ...


class HttpPostalService:
    def __init__(self, url: str, api_key: str, *, timeout: float = TIMEOUT_SECONDS) -> None:
        require_http_url(url, "CCHC_POSTAL_URL")
        self.url, self.api_key, self.timeout = url.rstrip("/"), api_key, timeout

    def _call(
        self, method: str, path: str, body: dict[str, Any] | None = None, **headers: str
    ) -> dict[str, Any]:
        try:
            _status, raw = json_call(
                self.url + path,
                method=method,
                token=self.api_key,
                timeout=self.timeout,
                body=body,
                headers=headers,
            )
        except HttpFailure as failure:
            raise PostalError(
                str(failure) if failure.status else f"service unreachable: {failure.detail}"
            ) from failure
        try:
            answer = json.loads(raw)
        except ValueError as error:
            raise PostalError(f"invalid answer: {raw[:200]!r}") from error
        if not isinstance(answer, dict):
            raise PostalError(f"invalid answer: {raw[:200]!r}")
        return answer

    def create(self, order: ShipmentOrder) -> str:
        body = {
            "reference": order.reference,
            "receiver": {
                "name": order.receiver_name,
                "phone": order.receiver_phone,
                "address": order.address,
            },
            "sender": {"name": order.sender},
            "content": order.content,
        }
        answer = self._call("POST", "/shipments", body, **{"Idempotency-Key": order.key})
        number = answer.get("tracking_number")
        if not isinstance(number, str) or not number.strip():
            raise PostalError(f"no tracking number in {answer!r}"[:300])
        return number.strip()

    def track(self, tracking_number: str) -> TrackingReport:
        answer = self._call("GET", f"/shipments/{quote(tracking_number, safe='')}")
        status = answer.get("status")
        if status not in {"accepted", "in_transit", "delivered", "returned"}:
            raise PostalError(f"unknown status {status!r}")
        delivered_at = None
        if answer.get("delivered_at"):
            try:
                delivered_at = dt.datetime.fromisoformat(str(answer["delivered_at"]))
            except ValueError as error:
                raise PostalError(f"bad delivered_at {answer['delivered_at']!r}") from error
            if delivered_at.tzinfo is None:
                raise PostalError("delivered_at without a time zone")
        return TrackingReport(
            status=str(status),
            delivered_at=delivered_at,
            receiver=str(answer.get("receiver") or ""),
            proof=str(answer.get("proof") or ""),
        )


def postal_service() -> PostalService | None:
    url = getattr(settings, "CCHC_POSTAL_URL", "")
    return HttpPostalService(url, getattr(settings, "CCHC_POSTAL_API_KEY", "")) if url else None
