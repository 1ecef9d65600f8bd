"""One JSON request to an outside system (SMS gateway, postal service, national portal, remote signing), with the
standard library only, and the retry schedule of the outboxes that call them.

Each adapter turns HttpFailure into its own error; the request itself, its headers and the mapping of the ways
it can fail are written once here.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlparse

# When an outbox (postal shipments, national portal messages) tries again after a failed call: 1 minute, then
# 2, 4 … doubling, never more than 6 hours apart.
FIRST_WAIT = dt.timedelta(minutes=1)
LONGEST_WAIT = dt.timedelta(hours=6)


def retry_wait(attempts: int) -> dt.timedelta:
    """The wait before the next try, after `attempts` failed tries."""
    wait: dt.timedelta = FIRST_WAIT * 2 ** min(20, max(0, attempts - 1))
    return min(LONGEST_WAIT, wait)


class HttpFailure(Exception):
    """The call failed: `status` is the HTTP status of a refused call, None when the system was not reached."""

    def __init__(self, status: int | None, detail: str) -> None:
        super().__init__(f"HTTP {status}: {detail}".strip() if status else detail)
        self.status, self.detail = status, detail


def require_http_url(url: str, setting: str) -> None:
    if urlparse(url).scheme not in {"http", "https"}:
        raise ValueError(f"{setting} must be an http(s) address, not {url!r}")


def json_call(
    url: str,
    *,
    method: str,
    token: str,
    timeout: float,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, bytes]:
    """(status, raw answer) of one JSON request with a bearer token; HttpFailure for a refusal or no answer."""
    request = urllib.request.Request(  # noqa: S310 - callers check the scheme (require_http_url)
        url,
        data=json.dumps(body, ensure_ascii=False).encode() if body is not None else None,
        method=method,
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "Authorization": f"Bearer {token}",
            **(headers or {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        raise HttpFailure(error.code, error.read()[:200].decode("utf-8", "replace")) from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise HttpFailure(None, str(error)) from error
