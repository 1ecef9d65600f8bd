"""Limits on the public feedback pages (giới hạn gửi phản ánh), kept in the shared cache (cchc.orgs.throttle).

- Submissions are counted per client address and per sender contact (phone, e-mail) over a window: a flood
  from one machine, or many reports in one person's name, is refused until the window passes.
- Wrong (code, key) pairs, on the tracking page and for a dossier's lookup key on the form, are counted per
  client address, so keys cannot be guessed.
The limits are in cchc.feedback.rules and may be overridden in settings.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from cchc.feedback import rules
from cchc.orgs.throttle import ThrottleState, client_address, throttle_check, throttle_fail, throttle_key

SUBMIT_SCOPE = "feedback-submit"
LOOKUP_SCOPE = "feedback-lookup"


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def window() -> int:
    return _setting("CCHC_FEEDBACK_WINDOW_SECONDS", rules.SUBMISSION_WINDOW_SECONDS)


def _address_keys(request: HttpRequest, scope: str) -> list[str]:
    return [throttle_key(scope=scope, kind="addr", value=client_address(request))]


def _contact_keys(contacts: list[str]) -> list[str]:
    return [throttle_key(scope=SUBMIT_SCOPE, kind="contact", value=c) for c in contacts if c.strip()]


def submission_state(request: HttpRequest, contacts: list[str]) -> ThrottleState:
    """Whether this client, or any of these contacts, has sent too much feedback within the window."""
    by_address = throttle_check(
        keys=_address_keys(request, SUBMIT_SCOPE),
        limit=_setting("CCHC_FEEDBACK_MAX_PER_ADDRESS", rules.MAX_SUBMISSIONS_PER_ADDRESS),
        window=window(),
    )
    by_contact = throttle_check(
        keys=_contact_keys(contacts),
        limit=_setting("CCHC_FEEDBACK_MAX_PER_CONTACT", rules.MAX_SUBMISSIONS_PER_CONTACT),
        window=window(),
    )
    retry = max(by_address.retry_after, by_contact.retry_after)
    return ThrottleState(locked=retry > 0, retry_after=retry)


def submission_count(request: HttpRequest, contacts: list[str]) -> None:
    """Count one accepted submission for the client and for each contact."""
    throttle_fail(keys=[*_address_keys(request, SUBMIT_SCOPE), *_contact_keys(contacts)], window=window())


def lookup_state(request: HttpRequest) -> ThrottleState:
    """Whether this client has typed too many wrong codes or keys within the window."""
    return throttle_check(
        keys=_address_keys(request, LOOKUP_SCOPE),
        limit=_setting("CCHC_FEEDBACK_MAX_LOOKUP_FAILURES", rules.MAX_LOOKUP_FAILURES),
        window=window(),
    )


def lookup_failed(request: HttpRequest) -> None:
    throttle_fail(keys=_address_keys(request, LOOKUP_SCOPE), window=window())
