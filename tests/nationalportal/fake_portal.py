"""A local national public service portal speaking the contract of docs/national-portal.md, for tests.

It checks the bearer token and every message it receives: the national status list, the channel and payment
channel codes, times with their offset, the dossier code in the path matching the body, and the order of a
dossier's messages (a lower `seq` after a higher one is refused with 409). It can be told to fail the next N
calls (HTTP 500) or to refuse every status (422); it serves catalog changes after a cursor and filings to receive.
"""

from __future__ import annotations

import base64
import datetime as dt
import threading
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tests.fake_server import LocalServer

TOKEN = "khoa-cong-dvcqg"
STATUSES = {"new", "supplement", "processing", "resolved", "returned", "refused", "stopped", "withdrawn"}
REQUIRED = ("dossier_code", "seq", "status", "changed_at", "procedure_code", "agency_code", "channel")


def _has_offset(value: Any) -> bool:
    if value is None:
        return True
    try:
        return dt.datetime.fromisoformat(str(value)).tzinfo is not None
    except ValueError:
        return False


class FakePortal(LocalServer):
    def __init__(self) -> None:
        self.statuses: dict[str, list[dict[str, Any]]] = {}  # dossier code -> messages, in arrival order
        self.results: dict[str, dict[str, Any]] = {}
        self.catalog: list[tuple[str, list[dict[str, Any]]]] = []  # (cursor, procedures) in order
        self.filings: dict[str, dict[str, Any]] = {}
        self.answers: dict[str, tuple[str, str]] = {}  # filing id -> ("accept", code) or ("reject", reason)
        self.calls: list[tuple[str, str]] = []
        self.refuse_statuses = False
        self._failures = 0
        self._lock = threading.Lock()
        self._serve_json(self._answer)

    @property
    def url(self) -> str:
        return f"{self.origin}/dvcqg"

    def fail_next(self, count: int) -> None:
        with self._lock:
            self._failures += count

    def file(self, filing: dict[str, Any]) -> None:
        self.filings[filing["id"]] = filing

    def _status(self, code: str, seq: int, body: Any) -> tuple[int, dict[str, Any]]:
        if not isinstance(body, dict) or any(body.get(k) in (None, "") for k in REQUIRED):
            return 400, {"error": "missing fields"}
        if body["dossier_code"] != code or body["seq"] != seq:
            return 400, {"error": "path and body disagree"}
        if body["status"] not in STATUSES or body["channel"] not in (1, 2, 3):
            return 422, {"error": f"unknown status or channel {body['status']!r} {body['channel']!r}"}
        times = [body.get(k) for k in ("changed_at", "received_at", "appointment_at", "resolved_at")]
        if not all(_has_offset(t) for t in times):
            return 422, {"error": "times need their offset"}
        for fee in body.get("fees") or []:
            if fee.get("paid_at") and fee.get("payment_channel") not in (1, 2, 3, 4):
                return 422, {"error": "a paid fee needs its payment channel code"}
        if self.refuse_statuses:
            return 422, {"error": "trạng thái không hợp lệ"}
        known = self.statuses.setdefault(code, [])
        if any(m["seq"] == seq for m in known):
            return 200, {"accepted": True}  # the same message again: idempotent
        if known and known[-1]["seq"] > seq:
            return 409, {"error": "out of order"}
        known.append(body)
        return 201, {"accepted": True}

    def _answer(self, method: str, path: str, headers: Any, body: Any) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.calls.append((method, path))
            if headers.get("Authorization") != f"Bearer {TOKEN}":
                return 401, {"error": "invalid token"}
            if self._failures:
                self._failures -= 1
                return 500, {"error": "portal down"}
            parts = urlsplit(path)
            segments = [unquote(s) for s in parts.path.split("/")[2:]]  # after /dvcqg
            if (
                method == "PUT"
                and len(segments) == 4
                and segments[0] == "dossiers"
                and segments[2] == "statuses"
            ):
                return self._status(segments[1], int(segments[3]), body)
            if (
                method == "PUT"
                and len(segments) == 3
                and segments[0] == "dossiers"
                and segments[2] == "result"
            ):
                if not isinstance(body, dict) or body.get("dossier_code") != segments[1]:
                    return 400, {"error": "bad result"}
                pdf = base64.b64decode(body.get("content_base64") or "")
                if not pdf.startswith(b"%PDF-") or not body.get("document_code"):
                    return 422, {"error": "a result needs its PDF and its document code"}
                self.results[segments[1]] = body
                return 201, {"accepted": True}
            if method == "GET" and segments == ["catalog", "changes"]:
                since = parse_qs(parts.query).get("since", [""])[0]
                cursors = [cursor for cursor, _ in self.catalog]
                start = cursors.index(since) + 1 if since in cursors else (0 if not since else len(cursors))
                procedures = [p for _, batch in self.catalog[start:] for p in batch]
                last = cursors[-1] if cursors else since or "0"
                return 200, {"format_version": 1, "procedures": procedures, "next_cursor": last}
            if method == "GET" and segments == ["filings"]:
                waiting = [f for key, f in self.filings.items() if key not in self.answers]
                return 200, {"filings": waiting}
            if method == "POST" and len(segments) == 3 and segments[0] == "filings":
                if segments[1] not in self.filings:
                    return 404, {"error": "unknown filing"}
                if segments[2] == "accept" and isinstance(body, dict) and body.get("dossier_code"):
                    self.answers[segments[1]] = ("accept", body["dossier_code"])
                    return 200, {}
                if segments[2] == "reject" and isinstance(body, dict) and body.get("reason"):
                    self.answers[segments[1]] = ("reject", body["reason"])
                    return 200, {}
                return 400, {"error": "bad answer"}
            return 404, {"error": "no such endpoint"}
