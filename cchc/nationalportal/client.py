"""The national portal adapter's wire side (docs/national-portal.md): JSON over HTTP with a bearer token.

Settings: CCHC_NATIONAL_PORTAL_URL (the base address) and CCHC_NATIONAL_PORTAL_API_KEY. Without a URL there is
no portal: messages wait in the outbox, and `cchc national_sync` says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote, urlencode

from django.conf import settings

from cchc.core.http import HttpFailure, json_call, require_http_url

TIMEOUT_SECONDS = 20
# Answers that say the message itself is wrong: sending it again unchanged cannot help, a person must look.
REFUSALS = frozenset({400, 404, 422})


class PortalError(Exception):
    """The portal did not take what was sent; `refused` when it said the content is wrong (not worth a retry)."""

    def __init__(self, message: str, *, refused: bool = False) -> None:
        super().__init__(message)
        self.refused = refused


@dataclass(frozen=True)
class CatalogChanges:
    document: bytes  # a catalog document in the format of docs/catalog-format.md
    cursor: str  # where the next pull starts
    count: int


class NationalPortal(Protocol):
    def put_status(self, payload: dict[str, Any]) -> None: ...

    def put_result(self, payload: dict[str, Any]) -> None: ...

    def catalog_changes(self, since: str) -> CatalogChanges: ...

    def new_filings(self) -> list[dict[str, Any]]: ...

    def accept_filing(self, national_id: str, dossier_code: str) -> None: ...

    def reject_filing(self, national_id: str, reason: str) -> None: ...


class HttpNationalPortal:
    def __init__(self, url: str, api_key: str, *, timeout: float = TIMEOUT_SECONDS) -> None:
        require_http_url(url, "CCHC_NATIONAL_PORTAL_URL")
        self.url, self.api_key, self.timeout = url.rstrip("/"), api_key, timeout

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        try:
            _status, raw = json_call(
                self.url + path, method=method, token=self.api_key, timeout=self.timeout, body=body
            )
        except HttpFailure as failure:
            if failure.status is None:
                raise PortalError(f"portal unreachable: {failure.detail}") from failure
            raise PortalError(str(failure), refused=failure.status in REFUSALS) from failure
        if not raw.strip():
            return None
        try:
            return json.loads(raw)
        except ValueError as error:
            raise PortalError(f"invalid answer: {raw[:200]!r}") from error

    def put_status(self, payload: dict[str, Any]) -> None:
        code = quote(str(payload["dossier_code"]), safe="")
        self._call("PUT", f"/dossiers/{code}/statuses/{int(payload['seq'])}", payload)

    def put_result(self, payload: dict[str, Any]) -> None:
        code = quote(str(payload["dossier_code"]), safe="")
        self._call("PUT", f"/dossiers/{code}/result", payload)

    def catalog_changes(self, since: str) -> CatalogChanges:
        answer = self._call("GET", "/catalog/changes?" + urlencode({"since": since}))
        if not isinstance(answer, dict) or not isinstance(answer.get("procedures"), list):
            raise PortalError(f"invalid catalog answer: {str(answer)[:200]}")
        cursor = answer.get("next_cursor")
        if not isinstance(cursor, str) or not cursor:
            raise PortalError("catalog answer without next_cursor")
        document = {k: v for k, v in answer.items() if k != "next_cursor"}
        return CatalogChanges(
            document=json.dumps(document, ensure_ascii=False).encode(),
            cursor=cursor[:100],
            count=len(answer["procedures"]),
        )

    def new_filings(self) -> list[dict[str, Any]]:
        answer = self._call("GET", "/filings?status=new")
        filings = answer.get("filings") if isinstance(answer, dict) else None
        if not isinstance(filings, list):
            raise PortalError(f"invalid filings answer: {str(answer)[:200]}")
        return [item for item in filings if isinstance(item, dict)]

    def accept_filing(self, national_id: str, dossier_code: str) -> None:
        self._call("POST", f"/filings/{quote(national_id, safe='')}/accept", {"dossier_code": dossier_code})

    def reject_filing(self, national_id: str, reason: str) -> None:
        self._call("POST", f"/filings/{quote(national_id, safe='')}/reject", {"reason": reason})


def national_portal() -> NationalPortal | None:
    url = getattr(settings, "CCHC_NATIONAL_PORTAL_URL", "")
    return HttpNationalPortal(url, getattr(settings, "CCHC_NATIONAL_PORTAL_API_KEY", "")) if url else None
