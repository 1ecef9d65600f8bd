"""The deadline watch (theo dõi hạn giải quyết): staff are warned before a dossier falls due and told when it is late.

`deadline_watch_run` looks at dossiers in processing (State.PROCESSING; a dossier waiting for a supplement has
its clock stopped and is left alone):

* **due soon**: the legal appointment (`appointment_at`) is not past and falls at or before the close of the
  next working day (cchc.workdays, in the office hours of the unit holding the dossier): on a Friday afternoon,
  an appointment at Monday's close is due soon, one at Tuesday's close is not; Tết and swapped days count as the
  calendar says;
* **overdue**: the appointment is past.

Each dossier is claimed with a compare-and-set UPDATE (`filter(pk=…, due_soon_warned_at__isnull=True)
.update(due_soon_warned_at=now)`, likewise `overdue_marked_at`) and notices are written only when exactly one
row changed, in the same transaction as the claim. Two workers running at once therefore never queue the same
notice twice, a failure rolls the claim back so the next run retries, and a second run queues nothing new.

The notices go through the outbox (cchc.dossiers.models.Notification, channel e-mail, templates
`staff_due_soon` and `staff_overdue`) to the assignee, or, when nobody is assigned or the assignee has no
address, to the leaders of the unit holding the dossier (orgs Membership, role leader, valid today).
`manage.py send_notifications` sends them.

Scheduling: `manage.py watch_deadlines` runs one pass (`--enqueue` puts the task
cchc.dossiers.tasks.deadline_watch on the django.tasks queue instead, for `manage.py db_worker`). Run it every
10 minutes from cron or a systemd timer.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cchc import workdays
from cchc.dossiers.models import Dossier, Notification, NotificationChannel, NotificationStatus, State
from cchc.dossiers.notifications import notification_render
from cchc.orgs.models import Membership, Unit
from cchc.orgs.roles import Role
from cchc.orgs.scoping import valid_memberships_q
from cchc.orgs.selectors import working_hours_of
from cchc.workdays.calendar import TZ
from cchc.workdays.display import local_datetime

logger = logging.getLogger(__name__)

DUE_SOON_TEMPLATE = "staff_due_soon"
OVERDUE_TEMPLATE = "staff_overdue"
# "Due soon" reaches to the close of this many working days after today.
DUE_SOON_WORKING_DAYS = 1


@dataclass
class WatchReport:
    """What one pass of the watch did."""

    due_soon: int = 0  # dossiers claimed and warned as due soon
    overdue: int = 0  # dossiers claimed and marked overdue
    notices: int = 0  # e-mail notices queued in the outbox
    lost: int = 0  # claimed by another run first
    without_recipient: int = 0  # claimed, but nobody with an e-mail address to tell
    closed: int = 0  # closed: supplement not completed within 15 days (Decree 118/2025 Art. 19(5))
    codes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"due_soon={self.due_soon} overdue={self.overdue} notices={self.notices} "
            f"lost={self.lost} without_recipient={self.without_recipient} closed={self.closed}"
        )


def due_soon_horizon(now: dt.datetime, unit: Unit) -> dt.datetime:
    """The close of the next working day after `now`'s local day, in `unit`'s office hours."""
    today = timezone.localtime(now, TZ).date()
    day = workdays.add_working_days(today, DUE_SOON_WORKING_DAYS)
    closing = working_hours_of(unit).closing
    return dt.datetime.combine(day, closing, tzinfo=TZ)


def _loose_horizon(now: dt.datetime) -> dt.datetime:
    """An upper bound of every unit's horizon (end of the next working day), to narrow the query."""
    today = timezone.localtime(now, TZ).date()
    day = workdays.add_working_days(today, DUE_SOON_WORKING_DAYS)
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=TZ)


def _open() -> QuerySet[Dossier]:
    return Dossier.objects.filter(state=State.PROCESSING, appointment_at__isnull=False)


def _leaders(unit_id: int, day: dt.date, role: str = Role.LEADER) -> list[tuple[str, str]]:
    """(address, name) of the active holders of `role` (leaders by default) in the unit, valid on `day`."""
    users = (
        get_user_model()
        .objects.filter(
            pk__in=Membership.objects.filter(valid_memberships_q(day=day), unit_id=unit_id, role=role).values(
                "user_id"
            ),
            is_active=True,
        )
        .order_by("pk")
    )
    found: dict[str, str] = {}
    for user in users:
        address = (user.email or "").strip()
        if address and address not in found:
            found[address] = user.get_full_name() or user.get_username()
    return list(found.items())


def recipients_of(dossier: Dossier, *, day: dt.date) -> list[tuple[str, str]]:
    """(address, name) to tell: the assignee, else (nobody assigned, or no address) the current unit's leaders."""
    assignee = dossier.assignee
    if assignee is not None and assignee.is_active and (assignee.email or "").strip():
        return [(assignee.email.strip(), assignee.get_full_name() or assignee.get_username())]
    return _leaders(dossier.current_unit_id, day)


def staff_notices_queue(
    *,
    dossier: Dossier,
    template: str,
    now: dt.datetime,
    recipients: list[tuple[str, str]],
    extra: dict[str, Any] | None = None,
) -> list[Notification]:
    """Write one e-mail notice of `template` per recipient in the outbox (inside the caller's transaction)."""
    queued = []
    for address, name in recipients:
        context: dict[str, Any] = {
            "dossier": dossier,
            "code": dossier.code,
            "procedure_name": dossier.procedure_version.name,
            "appointment": local_datetime(dossier.appointment_at),
            "current_unit": dossier.current_unit.name,
            "recipient_name": name,
            "assigned": dossier.assignee_id is not None,
            "now": local_datetime(now),
            **(extra or {}),
        }
        subject, body = notification_render(
            template=template, channel=NotificationChannel.EMAIL, context=context
        )
        queued.append(
            Notification.objects.create(
                dossier=dossier,
                channel=NotificationChannel.EMAIL,
                recipient=address,
                template=template,
                subject=subject,
                body=body,
                status=NotificationStatus.PENDING,
                next_attempt_at=now,
            )
        )
    return queued


def _claim_and_notify(pk: int, *, flag: str, template: str, now: dt.datetime, report: WatchReport) -> bool:
    """Compare-and-set `flag` from null to now; when this run won, queue the notices in the same transaction."""
    with transaction.atomic():
        changed = Dossier.objects.filter(pk=pk, state=State.PROCESSING, **{f"{flag}__isnull": True}).update(
            **{flag: now}
        )
        if changed != 1:
            report.lost += 1
            return False
        dossier = Dossier.objects.select_related("procedure_version", "current_unit", "assignee").get(pk=pk)
        recipients = recipients_of(dossier, day=timezone.localtime(now, TZ).date())
        if not recipients:
            logger.warning(
                "dossier %s: %s, but nobody with an e-mail address to tell", dossier.code, template
            )
            report.without_recipient += 1
        report.notices += len(
            staff_notices_queue(dossier=dossier, template=template, now=now, recipients=recipients)
        )
        report.codes.append(dossier.code)
    return True


def deadline_watch_run(*, now: dt.datetime | None = None) -> WatchReport:
    """One pass of the watch: warn about dossiers due soon and mark the overdue ones (see the module docstring).

    Run it outside a transaction: each claim commits on its own with its notices.
    """
    moment = now or timezone.now()
    report = WatchReport()
    _close_unsupplemented(moment, report)

    overdue = (
        _open()
        .filter(appointment_at__lt=moment, overdue_marked_at__isnull=True)
        .order_by("appointment_at", "pk")
        .values_list("pk", flat=True)
    )
    for pk in list(overdue):
        if _claim_and_notify(
            pk, flag="overdue_marked_at", template=OVERDUE_TEMPLATE, now=moment, report=report
        ):
            report.overdue += 1

    candidates = (
        _open()
        .filter(
            appointment_at__gte=moment,
            appointment_at__lt=_loose_horizon(moment),
            due_soon_warned_at__isnull=True,
        )
        .select_related("current_unit")
        .order_by("appointment_at", "pk")
    )
    horizons: dict[int, dt.datetime] = {}
    for dossier in list(candidates):
        unit = dossier.current_unit
        if unit.pk not in horizons:
            horizons[unit.pk] = due_soon_horizon(moment, unit)
        assert dossier.appointment_at is not None
        if dossier.appointment_at > horizons[unit.pk]:
            continue
        if _claim_and_notify(
            dossier.pk, flag="due_soon_warned_at", template=DUE_SOON_TEMPLATE, now=moment, report=report
        ):
            report.due_soon += 1
    return report


def online_submission_alert_queue(*, dossier: Dossier, acceptance_due: dt.datetime, now: dt.datetime) -> None:
    """Tell the receiving unit's reception officers of a new online dossier (inside the submission's transaction).

    Decree 118/2025 Art. 17 (DOMAIN.md §3): staff are alerted within 2 hours; the outbox worker sends within
    minutes. The notice gives the deadline for accepting it or asking for a supplement (8 working hours).
    """
    recipients = _leaders(dossier.receiving_unit_id, timezone.localdate(now), role=Role.RECEPTION_OFFICER)
    staff_notices_queue(
        dossier=dossier,
        template="staff_new_online",
        now=now,
        recipients=recipients,
        extra={"acceptance_due": local_datetime(acceptance_due)},
    )


def _close_unsupplemented(now: dt.datetime, report: WatchReport) -> None:
    """Close the dossiers whose supplement during processing is more than 15 days overdue (Art. 19(5))."""
    from cchc.dossiers import services
    from cchc.dossiers.models import SupplementRequest, SupplementStage
    from cchc.dossiers.rules import SUPPLEMENT_COMPLETION_DAYS

    stale = (
        SupplementRequest.objects.filter(
            stage=SupplementStage.PROCESSING,
            completed_at__isnull=True,
            requested_at__lte=now - dt.timedelta(days=SUPPLEMENT_COMPLETION_DAYS),
            dossier__state=State.PROCESSING_SUPPLEMENT,
        )
        .values_list("dossier_id", flat=True)
        .distinct()
    )
    for dossier in Dossier.objects.filter(pk__in=list(stale)).order_by("pk"):
        if services.dossier_close_unsupplemented(dossier=dossier, at=now):
            report.closed += 1
            report.codes.append(dossier.code)
