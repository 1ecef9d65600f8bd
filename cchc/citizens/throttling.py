"""Throttles of citizen sign-in on top of cchc.orgs.throttle (the shared cache: Redis when configured).

Code requests are counted per address and per client address (IP); wrong codes are counted the same way across
successive codes. The limits are in cchc.citizens.rules. Keys hold only hashes (cchc.orgs.throttle).
"""

from __future__ import annotations

from django.http import HttpRequest

from cchc.citizens import rules
from cchc.citizens.contacts import Contact
from cchc.orgs.throttle import (
    ThrottleState,
    client_address,
    throttle_check,
    throttle_fail,
    throttle_key,
    throttle_reset,
)

SEND_SCOPE = "citizen-code-send"
VERIFY_SCOPE = "citizen-code-verify"


def _keys(request: HttpRequest, scope: str, contact: Contact) -> tuple[str, str]:
    return (
        throttle_key(scope=scope, kind="to", value=f"{contact.kind}:{contact.value}"),
        throttle_key(scope=scope, kind="ip", value=client_address(request)),
    )


def _worst(*states: ThrottleState) -> ThrottleState:
    locked = [state for state in states if state.locked]
    if not locked:
        return ThrottleState(locked=False)
    return ThrottleState(locked=True, retry_after=max(state.retry_after for state in locked))


def code_request_state(request: HttpRequest, contact: Contact) -> ThrottleState:
    """Whether another code may be sent to `contact` from this client now."""
    to_key, ip_key = _keys(request, SEND_SCOPE, contact)
    per_address, per_client = rules.CODE_REQUESTS_PER_ADDRESS, rules.CODE_REQUESTS_PER_CLIENT
    return _worst(
        throttle_check(keys=[to_key], limit=per_address.count, window=per_address.window),
        throttle_check(keys=[ip_key], limit=per_client.count, window=per_client.window),
    )


def code_request_count(request: HttpRequest, contact: Contact) -> None:
    """Count one code request (every request counts, sent or not)."""
    to_key, ip_key = _keys(request, SEND_SCOPE, contact)
    throttle_fail(keys=[to_key], window=rules.CODE_REQUESTS_PER_ADDRESS.window)
    throttle_fail(keys=[ip_key], window=rules.CODE_REQUESTS_PER_CLIENT.window)


def code_entry_state(request: HttpRequest, contact: Contact) -> ThrottleState:
    """Whether a code may be entered for `contact` from this client now."""
    to_key, ip_key = _keys(request, VERIFY_SCOPE, contact)
    per_address, per_client = rules.WRONG_CODES_PER_ADDRESS, rules.WRONG_CODES_PER_CLIENT
    return _worst(
        throttle_check(keys=[to_key], limit=per_address.count, window=per_address.window),
        throttle_check(keys=[ip_key], limit=per_client.count, window=per_client.window),
    )


def wrong_code_count(request: HttpRequest, contact: Contact) -> None:
    """Count one wrong (or expired, or stale) code entered."""
    to_key, ip_key = _keys(request, VERIFY_SCOPE, contact)
    throttle_fail(keys=[to_key], window=rules.WRONG_CODES_PER_ADDRESS.window)
    throttle_fail(keys=[ip_key], window=rules.WRONG_CODES_PER_CLIENT.window)


def wrong_code_reset(request: HttpRequest, contact: Contact) -> None:
    """Forget the address's wrong codes after a successful sign-in (the client's count stays)."""
    to_key, _ip_key = _keys(request, VERIFY_SCOPE, contact)
    throttle_reset(keys=[to_key])
