"""SMS gateway adapters (cổng tin nhắn): one small protocol, an HTTP adapter, and a console adapter for development.

The HTTP adapter POSTs JSON {"to", "text", "sender"} with an ``Authorization: Bearer`` header and treats a non-2xx
answer or a body {"status": "error"} as a failure. Settings: CCHC_SMS_URL, CCHC_SMS_API_KEY, CCHC_SMS_SENDER.
Without CCHC_SMS_URL the console adapter logs each message: a message is never dropped silently.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any, Protocol

from django.conf import settings

from cchc.core.http import HttpFailure, json_call, require_http_url
from cchc.core.masking import mask_phone

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10


class SmsError(Exception):
    """The gateway did not accept the message."""


class SmsGateway(Protocol):
    def send(self, *, to: str, text: str) -> str:
        """Send `text` to the phone number `to`; return the provider's message id or raise SmsError."""
        ...


class HttpSmsGateway:
    """A JSON-over-HTTP SMS provider, using only the standard library (urllib.request)."""

    def __init__(self, url: str, api_key: str, sender: str = "", *, timeout: float = TIMEOUT_SECONDS) -> None:
        require_http_url(url, "CCHC_SMS_URL")
        self.url, self.api_key, self.sender, self.timeout = url, api_key, sender, timeout

    def send(self, *, to: str, text: str) -> str:
        body = {"to": to, "text": text, "sender": self.sender}
        try:
            status, raw = json_call(
                self.url, method="POST", token=self.api_key, timeout=self.timeout, body=body
            )
        except HttpFailure as failure:
            raise SmsError(
                str(failure) if failure.status else f"gateway unreachable: {failure.detail}"
            ) from failure
        if not 200 <= status < 300:
            raise SmsError(f"HTTP {status}")
        answer: Any = {}
        if raw.strip():
            try:
                answer = json.loads(raw)
            except ValueError as error:
                raise SmsError(f"invalid answer: {raw[:200]!r}") from error
        if not isinstance(answer, dict):
            answer = {}
        if answer.get("status") == "error":
            raise SmsError(str(answer.get("message") or answer.get("error") or "gateway reported an error"))
        return str(answer.get("id") or answer.get("message_id") or "")


class ConsoleSmsGateway:
    """The development default: writes the message to the log instead of sending it."""

    def send(self, *, to: str, text: str) -> str:
        message_id = f"console-{uuid.uuid4().hex[:12]}"
        logger.warning("SMS not sent (no CCHC_SMS_URL) %s to %s: %s", message_id, mask_phone(to), text)
        return message_id


def sms_gateway() -> SmsGateway:
    """The gateway configured in the settings: HTTP when CCHC_SMS_URL is set, else the console."""
    url = getattr(settings, "CCHC_SMS_URL", "")
    if not url:
        return ConsoleSmsGateway()
    return HttpSmsGateway(
        url, getattr(settings, "CCHC_SMS_API_KEY", ""), getattr(settings, "CCHC_SMS_SENDER", "")
    )
