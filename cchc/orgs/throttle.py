"""Attempt throttling (giới hạn số lần thử) kept in Django's cache, so it holds across app servers.

Small functions reused wherever a secret is guessed: staff login here, citizen one-time codes later.
A counter is a fixed window: the first failure opens it for `window` seconds; once `limit` failures are
counted under any of the keys, every attempt is refused, even a correct one, until the window passes.
Keys are hashed, so user names and addresses are never stored in clear in the cache (Decree 13/2023/NĐ-CP).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class ThrottleState:
    """Whether attempts are refused now, and for how many more seconds at most."""

    locked: bool
    retry_after: int = 0


def throttle_key(*, scope: str, kind: str, value: str) -> str:
    """The cache key of one counter, e.g. scope "login", kind "user", value the user name."""
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"throttle:{scope}:{kind}:{digest}"


def _opened_key(key: str) -> str:
    return f"{key}:opened"


def throttle_check(*, keys: Iterable[str], limit: int, window: int) -> ThrottleState:
    """Whether any counter has reached `limit` within its window."""
    keys = list(keys)
    values = cache.get_many([*keys, *(_opened_key(key) for key in keys)])
    retry_after = 0
    for key in keys:
        if int(values.get(key) or 0) >= limit:
            opened = float(values.get(_opened_key(key)) or time.time())
            retry_after = max(retry_after, max(1, int(opened + window - time.time()) + 1))
    return ThrottleState(locked=retry_after > 0, retry_after=retry_after)


def throttle_fail(*, keys: Iterable[str], window: int) -> None:
    """Count one failed attempt under each key; the first failure opens the window."""
    now = time.time()
    for key in keys:
        # add() only writes when the key is absent, so the window is not extended by later failures;
        # incr() keeps the key's expiry on both the local-memory and the Redis cache.
        if cache.add(key, 0, timeout=window):
            cache.set(_opened_key(key), now, timeout=window)
        try:
            cache.incr(key)
        except ValueError:
            # The window closed between add() and incr(): start a new one.
            cache.set(key, 1, timeout=window)
            cache.set(_opened_key(key), now, timeout=window)


def throttle_reset(*, keys: Iterable[str]) -> None:
    """Forget the counters, e.g. the user name's after a successful login."""
    keys = list(keys)
    cache.delete_many([*keys, *(_opened_key(key) for key in keys)])


def client_address(request: HttpRequest) -> str:
    """The client's address, for throttling and audit.

    Without trusted proxies this is REMOTE_ADDR. With settings.TRUSTED_PROXY_HOPS = n (CCHC_TRUSTED_PROXY_HOPS),
    the n-th address from the right of X-Forwarded-For is taken: each trusted proxy appends the address it saw,
    so anything further left could have been written by the client itself and is ignored.
    """
    hops: int = settings.TRUSTED_PROXY_HOPS
    if hops > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= hops:
            return str(forwarded[-hops])
    return str(request.META.get("REMOTE_ADDR") or "unknown")
