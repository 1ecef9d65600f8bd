"""Notices to the applicant (thông báo cho người nộp) through the outbox (cchc.dossiers.models.Notification).

`notification_queue` writes the messages inside the caller's transaction: they commit with the change they report,
or not at all. `notifications_send_due` (run by ``manage.py send_notifications``) sends them afterwards:

* a worker claims each message with a compare-and-set UPDATE (status pending -> sending, claim '' -> its token)
  and sends only when exactly one row changed, so two workers never send the same message;
* while a message is being sent, `next_attempt_at` holds the end of the claim's lease (claim time + 10 minutes):
  a message still 'sending' after that (the worker died) goes back to pending, counted as an attempt;
* a failure is retried after 1, 5, 25, 125 minutes, then every 6 hours at most; after
  CCHC_NOTIFICATION_MAX_ATTEMPTS attempts (6) the message is 'failed' and staff may resend it.

SMS: the text keeps its Vietnamese diacritics (gateways accept Unicode), so it is sent as UCS-2, 70 characters
in one segment or 67 per segment when split. Bodies are written to fit two segments (134 characters); a longer
body is cut with "…".
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.dossiers.forms.notices import tracking_url
from cchc.dossiers.lifecycle import RuleBroken
from cchc.dossiers.models import (
    Apology,
    Dossier,
    Notification,
    NotificationChannel,
    NotificationStatus,
    Party,
    PartyRole,
    RatingLevel,
    SupplementRequest,
)
from cchc.dossiers.rating_links import rating_link
from cchc.dossiers.sms import SmsGateway, sms_gateway
from cchc.workdays.display import local_datetime

logger = logging.getLogger(__name__)

TEMPLATES = frozenset(
    {"submitted", "received", "supplement_needed", "result_ready", "returned", "late_new_date"}
)
TEMPLATE_DIR = "dossiers/notifications"

# Two UCS-2 segments (67 characters each when a message is split).
SMS_MAX_CHARS = 134
# A claim older than this is considered abandoned by its worker.
CLAIM_LEASE = dt.timedelta(minutes=10)
# Backoff after the n-th failure: BASE * FACTOR**(n-1), at most CAP.
BACKOFF_BASE = dt.timedelta(minutes=1)
BACKOFF_FACTOR = 5
BACKOFF_CAP = dt.timedelta(hours=6)
DEFAULT_MAX_ATTEMPTS = 6
ERROR_MAX_CHARS = 2000


def max_attempts() -> int:
    return int(getattr(settings, "CCHC_NOTIFICATION_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))


def backoff(attempts: int) -> dt.timedelta:
    """How long to wait after the `attempts`-th failed attempt (1, 5, 25, 125 minutes, … capped at 6 hours)."""
    exponent = max(attempts - 1, 0)
    if exponent > 10:  # already far past the cap; avoid huge numbers
        return BACKOFF_CAP
    return min(BACKOFF_BASE * int(BACKOFF_FACTOR**exponent), BACKOFF_CAP)


# -- queueing ---------------------------------------------------------------------------------------------------
def _context(dossier: Dossier, template: str, applicant: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "dossier": dossier,
        "code": dossier.code,
        "lookup_key": dossier.lookup_key,
        "procedure_name": dossier.procedure_version.name,
        "applicant_name": applicant.full_name,
        "appointment": local_datetime(dossier.appointment_at),
        "receiving_unit": dossier.receiving_unit.name,
        "competent_unit": dossier.competent_unit.name,
        "counter": dossier.counter.name if dossier.counter_id and dossier.counter else "",
        "tracking_url": tracking_url(dossier),
    }
    if template == "supplement_needed":
        request = SupplementRequest.objects.filter(dossier=dossier).order_by("-requested_at", "-pk").first()
        if request is None:
            raise ValueError(f"dossier {dossier.code} has no supplement request")
        missing = [str(item) for item in request.missing or []]
        context.update(
            missing=missing,
            missing_count=len(missing),
            reason=request.reason,
            requested_at=local_datetime(request.requested_at),
        )
    elif template == "returned":
        # One signed link per level in the e-mail (cchc.dossiers.rating_links); an SMS is too short for them.
        context.update(rating_links={level: rating_link(dossier, level) for level in RatingLevel.values})
    elif template == "late_new_date":
        apology = Apology.objects.filter(dossier=dossier).first()
        if apology is None:
            raise ValueError(f"dossier {dossier.code} has no apology")
        context.update(
            reason=apology.reason,
            previous_date=local_datetime(apology.previous_appointment_at),
            new_date=local_datetime(apology.new_appointment_at),
        )
    return context


def _sms_text(text: str) -> str:
    """One line, single spaces, at most SMS_MAX_CHARS characters."""
    flat = re.sub(r"\s+", " ", text).strip()
    if len(flat) > SMS_MAX_CHARS:
        flat = flat[: SMS_MAX_CHARS - 1].rstrip() + "…"
    return flat


def notification_render(*, template: str, channel: str, context: dict[str, Any]) -> tuple[str, str]:
    """(subject, body) of `template` for `channel`. Email templates carry the subject on their first line."""
    text = render_to_string(f"{TEMPLATE_DIR}/{template}.{channel}.txt", context)
    if channel == NotificationChannel.SMS:
        return "", _sms_text(text)
    subject, _newline, body = text.strip().partition("\n")
    return " ".join(subject.split())[:255], body.strip() + "\n"


def notification_queue(
    *, dossier: Dossier, template: str, channels: Iterable[str] | None = None, applicant: Any = None
) -> list[Notification]:
    """Write the notices of `template` for the dossier's applicant, one per channel that has an address.

    Call it inside the transaction that makes the change: the notices commit with it, or not at all.
    `applicant` (a Party or the PartyData it was made from: full_name, email, phone) saves reading it again.
    """
    if template not in TEMPLATES:
        raise ValueError(f"unknown notification template {template!r}")
    wanted = list(NotificationChannel.values if channels is None else channels)
    unknown = set(wanted) - set(NotificationChannel.values)
    if unknown:
        raise ValueError(f"unknown notification channel(s): {', '.join(sorted(unknown))}")
    if applicant is None:
        applicant = Party.objects.filter(dossier=dossier, role=PartyRole.APPLICANT).first()
    if applicant is None:
        return []
    addresses = {
        NotificationChannel.EMAIL: (applicant.email or "").strip(),
        NotificationChannel.SMS: (applicant.phone or "").strip(),
    }
    targets = [(channel, addresses[NotificationChannel(channel)]) for channel in dict.fromkeys(wanted)]
    targets = [(channel, address) for channel, address in targets if address]
    if not targets:
        return []
    context = _context(dossier, template, applicant)
    now = timezone.now()
    queued = []
    for channel, address in targets:
        subject, body = notification_render(template=template, channel=channel, context=context)
        queued.append(
            Notification(
                dossier=dossier,
                channel=channel,
                recipient=address,
                template=template,
                subject=subject,
                body=body,
                status=NotificationStatus.PENDING,
                next_attempt_at=now,
            )
        )
    return Notification.objects.bulk_create(queued)  # one statement: all of them or none


def message_queue(*, channel: str, recipient: str, template: str, subject: str, body: str) -> Notification:
    """Write one ready message to the outbox, about no dossier (e.g. a reform plan's deadline reminder,
    cchc.plans.reminders); the worker sends it like the dossier notices. Call it inside the writer's transaction."""
    if channel not in NotificationChannel.values:
        raise ValueError(f"unknown notification channel: {channel}")
    if not recipient.strip() or not body.strip():
        raise ValueError("a message needs a recipient and a body")
    return Notification.objects.create(
        channel=channel,
        recipient=recipient.strip(),
        template=template[:60],
        subject=" ".join(subject.split())[:255],
        body=body.strip() + "\n",
        status=NotificationStatus.PENDING,
        next_attempt_at=timezone.now(),
    )


# -- sending ----------------------------------------------------------------------------------------------------
@dataclass
class SendReport:
    """What one pass of the worker did."""

    released: int = 0  # stale claims returned to pending (or failed)
    claimed: int = 0
    sent: int = 0
    retrying: int = 0  # failed this time, will be retried
    failed: int = 0  # failed for the last time
    lost: int = 0  # claimed by another worker first
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"claimed={self.claimed} sent={self.sent} retrying={self.retrying} failed={self.failed} "
            f"released={self.released} lost={self.lost}"
        )


def _claim_token(worker: str) -> str:
    """Unique per pass, and still says which worker holds the message (the claim column has 40 characters)."""
    return f"{worker[:7]}:{uuid.uuid4().hex}"


def notifications_release_stale(*, now: dt.datetime | None = None) -> int:
    """Messages still 'sending' after their lease (CLAIM_LEASE) go back to pending, as a failed attempt."""
    moment = now or timezone.now()
    released = 0
    stale = Notification.objects.filter(status=NotificationStatus.SENDING, next_attempt_at__lte=moment)
    for pk, claim, attempts in stale.values_list("pk", "claim", "attempts"):
        done = attempts + 1
        final = done >= max_attempts()
        changed = Notification.objects.filter(pk=pk, status=NotificationStatus.SENDING, claim=claim).update(
            status=NotificationStatus.FAILED if final else NotificationStatus.PENDING,
            claim="",
            attempts=done,
            next_attempt_at=moment,
            last_error=f"Worker claim {claim!r} expired before the message was marked sent or failed.",
        )
        released += changed
    return released


def _claim(pk: int, token: str, now: dt.datetime) -> bool:
    """Compare-and-set: take the message only if it is still pending and unclaimed. True if this worker won."""
    changed = Notification.objects.filter(
        pk=pk, status=NotificationStatus.PENDING, claim="", next_attempt_at__lte=now
    ).update(status=NotificationStatus.SENDING, claim=token, next_attempt_at=now + CLAIM_LEASE)
    return changed == 1


def _deliver(message: Notification, gateway: SmsGateway, mail_connection: Any) -> None:
    if message.channel == NotificationChannel.EMAIL:
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=getattr(settings, "CCHC_NOTIFICATION_FROM_EMAIL", None) or None,
            to=[message.recipient],
            connection=mail_connection,
        )
        if email.send() != 1:
            raise RuntimeError("the mail backend did not accept the message")
    elif message.channel == NotificationChannel.SMS:
        gateway.send(to=message.recipient, text=message.body)
    else:
        raise ValueError(f"unknown channel {message.channel!r}")


def notifications_send_due(
    *,
    now: dt.datetime | None = None,
    limit: int = 100,
    worker: str,
    gateway: SmsGateway | None = None,
) -> SendReport:
    """Send up to `limit` due messages; see the module docstring for claims, retries and backoff.

    Run it outside a transaction: each claim and each result commits on its own.
    """
    moment = now or timezone.now()
    report = SendReport(released=notifications_release_stale(now=moment))
    token = _claim_token(worker)
    sms = gateway or sms_gateway()
    mail_connection = get_connection()
    due = (
        Notification.objects.filter(status=NotificationStatus.PENDING, claim="", next_attempt_at__lte=moment)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in list(due):
        if not _claim(pk, token, moment):
            report.lost += 1
            continue
        report.claimed += 1
        message = Notification.objects.get(pk=pk)
        try:
            _deliver(message, sms, mail_connection)
        except Exception as error:
            _record_failure(message, token, error, moment, report)
        else:
            finished = timezone.now() if now is None else moment
            changed = Notification.objects.filter(pk=pk, claim=token).update(
                status=NotificationStatus.SENT, claim="", sent_at=finished, last_error=""
            )
            if changed != 1:
                logger.warning("notification %s was sent after its claim had expired", pk)
            report.sent += 1
    return report


def _record_failure(
    message: Notification, token: str, error: Exception, moment: dt.datetime, report: SendReport
) -> None:
    attempts = message.attempts + 1
    final = attempts >= max_attempts()
    text = f"{type(error).__name__}: {error}"[:ERROR_MAX_CHARS]
    logger.warning("notification %s (%s) attempt %s failed: %s", message.pk, message.channel, attempts, text)
    Notification.objects.filter(pk=message.pk, claim=token).update(
        status=NotificationStatus.FAILED if final else NotificationStatus.PENDING,
        claim="",
        attempts=F("attempts") + 1,
        last_error=text,
        next_attempt_at=moment if final else moment + backoff(attempts),
    )
    report.errors.append(f"#{message.pk}: {text}")
    if final:
        report.failed += 1
    else:
        report.retrying += 1


def notification_resend(*, notification: Notification) -> Notification:
    """Staff resend a failed message: back to pending, due now, with a fresh count of attempts."""
    now = timezone.now()
    changed = Notification.objects.filter(Q(pk=notification.pk) & Q(status=NotificationStatus.FAILED)).update(
        status=NotificationStatus.PENDING, claim="", attempts=0, next_attempt_at=now
    )
    if changed != 1:
        raise RuleBroken(_("Chỉ gửi lại được thông báo gửi không thành công."))
    notification.refresh_from_db()
    return notification
