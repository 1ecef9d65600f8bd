"""A local SMS gateway speaking the protocol of cchc.dossiers.sms.HttpSmsGateway, for tests.

It listens on 127.0.0.1 (a free port), records every request, checks the bearer token, and can be told to fail
the next N requests, with HTTP 500 or with a 200 answer {"status": "error"}.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from tests.fake_server import LocalServer


@dataclass
class FakeRequest:
    path: str
    authorization: str
    body: dict[str, Any]


DEFAULT_TOKEN = "khoa-thu-nghiem"


class FakeSmsGateway(LocalServer):
    def __init__(self, token: str = DEFAULT_TOKEN) -> None:
        self.token = token
        self.requests: list[FakeRequest] = []  # every request, accepted or not
        self.delivered: list[dict[str, Any]] = []  # the messages accepted
        self._failures: list[str] = []
        self._lock = threading.Lock()
        self._serve_json(self._http)

    @property
    def url(self) -> str:
        return f"{self.origin}/sms"

    def fail_next(self, count: int, mode: str = "http") -> None:
        """The next `count` requests fail: mode "http" answers 500, "json" answers 200 {"status": "error"}."""
        assert mode in {"http", "json"}
        with self._lock:
            self._failures.extend([mode] * count)

    def _http(self, method: str, path: str, headers: Any, body: Any) -> tuple[int, dict[str, Any]]:
        if method != "POST":
            return 405, {"status": "error", "message": "POST only"}
        return self._answer(
            FakeRequest(path, headers.get("Authorization", ""), body if body is not None else {})
        )

    def _answer(self, request: FakeRequest) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.requests.append(request)
            if request.authorization != f"Bearer {self.token}":
                return 401, {"status": "error", "message": "invalid token"}
            if self._failures:
                mode = self._failures.pop(0)
                if mode == "http":
                    return 500, {"status": "error", "message": "gateway down"}
                return 200, {"status": "error", "message": "rejected"}
            body = request.body
            if not isinstance(body, dict) or not {"to", "text", "sender"} <= body.keys():
                return 400, {"status": "error", "message": "bad request"}
            message_id = f"msg-{len(self.delivered) + 1}"
            self.delivered.append({**body, "id": message_id})
            return 200, {"status": "ok", "id": message_id}
