"""A local postal service speaking the contract of docs/postal.md, for tests.

It checks the bearer token and the JSON of every order, answers a repeated Idempotency-Key with the same parcel,
can be told to fail the next N calls (HTTP 500), and lets a test move a parcel along (in transit, delivered with
its proof, returned)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from tests.fake_server import LocalServer

TOKEN = "khoa-buu-chinh"


@dataclass
class Parcel:
    tracking_number: str
    order: dict[str, Any]
    status: str = "accepted"
    events: list[str] = field(default_factory=list)
    delivered_at: str | None = None
    receiver: str | None = None
    proof: str | None = None


class FakePostal(LocalServer):
    def __init__(self) -> None:
        self.parcels: dict[str, Parcel] = {}
        self.by_key: dict[str, str] = {}
        self.calls: list[tuple[str, str]] = []
        self._failures = 0
        self._lock = threading.Lock()
        self._serve_json(self._answer)

    @property
    def url(self) -> str:
        return f"{self.origin}/api"

    def fail_next(self, count: int) -> None:
        with self._lock:
            self._failures += count

    def deliver(self, tracking_number: str, *, at: str, receiver: str, proof: str) -> None:
        parcel = self.parcels[tracking_number]
        parcel.status, parcel.delivered_at, parcel.receiver, parcel.proof = "delivered", at, receiver, proof

    def send_back(self, tracking_number: str) -> None:
        self.parcels[tracking_number].status = "returned"

    def _answer(self, method: str, path: str, headers: Any, body: Any) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.calls.append((method, path))
            if headers.get("Authorization") != f"Bearer {TOKEN}":
                return 401, {"error": "invalid token"}
            if self._failures:
                self._failures -= 1
                return 500, {"error": "service down"}
            if method == "POST" and path == "/api/shipments":
                key = headers.get("Idempotency-Key") or ""
                receiver = body.get("receiver") if isinstance(body, dict) else None
                if (
                    not key
                    or not isinstance(receiver, dict)
                    or not receiver.get("address")
                    or not body.get("reference")
                ):
                    return 400, {"error": "bad order"}
                if key in self.by_key:
                    return 200, {"tracking_number": self.by_key[key], "status": "accepted"}
                number = f"EA{len(self.parcels) + 1:09d}VN"
                self.parcels[number] = Parcel(number, body)
                self.by_key[key] = number
                return 201, {"tracking_number": number, "status": "accepted"}
            if method == "GET" and path.startswith("/api/shipments/"):
                parcel = self.parcels.get(path.rsplit("/", 1)[1])
                if parcel is None:
                    return 404, {"error": "unknown parcel"}
                return 200, {
                    "tracking_number": parcel.tracking_number, "status": parcel.status,
                    "delivered_at": parcel.delivered_at, "receiver": parcel.receiver, "proof": parcel.proof,
                }  # fmt: skip
            return 404, {"error": "no such endpoint"}
