"""Notices about feedback, written to the platform's outbox (cchc.dossiers.models.Notification, with no dossier).

They are written inside the transaction of the change they report, so they commit with it or not at all, and
`manage.py send_notifications` sends them with retries. To the sender: receipt (with the lookup key), request
for more, refusal, answer; by e-mail and SMS when the sender gave an address. To the unit's head and Home
Affairs: a harassment report, by e-mail, without its content (they read it on the staff page).
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cchc.dossiers.models import Notification, NotificationChannel, NotificationStatus
from cchc.feedback.models import Feedback
from cchc.workdays.display import local_datetime

TEMPLATE_DIR = "feedback/notifications"
SENDER_TEMPLATES = frozenset({"received", "more_requested", "refused", "answered"})
CONFIDENTIAL_TEMPLATE = "staff_confidential"
SMS_MAX_CHARS = 134  # two UCS-2 segments, as for dossier notices


def _public_url(path: str) -> str:
    return str(getattr(settings, "CCHC_PUBLIC_URL", "")).rstrip("/") + path


def _render(template: str, channel: str, context: dict[str, Any]) -> tuple[str, str]:
    text = render_to_string(f"{TEMPLATE_DIR}/{template}.{channel}.txt", context)
    if channel == NotificationChannel.SMS:
        flat = re.sub(r"\s+", " ", text).strip()
        if len(flat) > SMS_MAX_CHARS:
            flat = flat[: SMS_MAX_CHARS - 1].rstrip() + "…"
        return "", flat
    subject, _newline, body = text.strip().partition("\n")
    return " ".join(subject.split())[:255], body.strip() + "\n"


def _queue(template: str, channel: str, recipient: str, context: dict[str, Any]) -> Notification:
    subject, body = _render(template, channel, context)
    return Notification.objects.create(
        dossier=None,
        channel=channel,
        recipient=recipient,
        template=f"feedback_{template}",
        subject=subject,
        body=body,
        status=NotificationStatus.PENDING,
        next_attempt_at=timezone.now(),
    )


def _context(feedback: Feedback) -> dict[str, Any]:
    return {
        "code": feedback.code,
        "lookup_key": feedback.lookup_key,
        "sender_name": feedback.sender_name,
        "unit": feedback.unit.name,
        "subject_name": feedback.subject_name,
        "received_at": local_datetime(feedback.received_at),
        "answer_due": local_datetime(feedback.answer_due_at),
        "more_question": feedback.more_question,
        "refuse_reason": feedback.refuse_reason,
        "answer": feedback.answer,
        "track_url": _public_url(reverse("feedback-lookup")),
    }


def sender_notices_queue(*, feedback: Feedback, template: str) -> list[Notification]:
    """Write `template` for the sender, by e-mail and SMS where the sender gave an address."""
    if template not in SENDER_TEMPLATES:
        raise ValueError(f"unknown feedback notice {template!r}")
    context = _context(feedback)
    queued = []
    if feedback.sender_email:
        queued.append(_queue(template, NotificationChannel.EMAIL, feedback.sender_email, context))
    if feedback.sender_phone:
        queued.append(_queue(template, NotificationChannel.SMS, feedback.sender_phone, context))
    return queued


def confidential_notices_queue(
    *, feedback: Feedback, recipients: list[tuple[str, str]]
) -> list[Notification]:
    """Tell the unit's head and Home Affairs of a harassment report (one e-mail each, without its content)."""
    context = _context(feedback)
    context["staff_url"] = _public_url(reverse("feedback-staff-detail", args=[feedback.code]))
    return [
        _queue(CONFIDENTIAL_TEMPLATE, NotificationChannel.EMAIL, address, {**context, "recipient_name": name})
        for address, name in recipients
    ]
