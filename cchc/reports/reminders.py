"""Reminders of the periodic reports' due dates (nhắc hạn gửi báo cáo) and the missing reports told to Home
Affairs, through the notification outbox (cchc.dossiers.notifications.message_queue; the worker sends them).

- Once a report's data period is over and its due date is at most `REMIND_DAYS` away, each reporting unit that
  has not submitted it is reminded once (its leaders and specialists with an email).
- The day after the due date, Home Affairs (the officers with an email) receives one message listing the units
  still missing it; each unit is listed once per report.
Run daily: `manage.py watch_report_deadlines`. Each notice is recorded (`ReportNotice`, unique per unit, report
and step) in the transaction that queues its messages, so nothing is sent twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.dossiers.models import NotificationChannel
from cchc.dossiers.notifications import message_queue
from cchc.orgs.models import Membership, Unit
from cchc.orgs.roles import Role
from cchc.reports.models import NoticeStep, Report, ReportNotice, ReportStatus
from cchc.reports.periods import ReportKind, ReportPeriod, report_period
from cchc.reports.selectors import reporting_units

REMIND_DAYS = 5


@dataclass
class WatchReport:
    reminded: int = 0
    overdue: int = 0
    messages: int = 0


def _periods_around(today: dt.date) -> list[ReportPeriod]:
    return [report_period(kind, year) for year in (today.year - 1, today.year) for kind in ReportKind.values]


def _missing(period: ReportPeriod, step: str) -> list[Unit]:
    submitted = Report.objects.filter(
        year=period.year, kind=period.kind, status=ReportStatus.SUBMITTED
    ).values("unit_id")
    told = ReportNotice.objects.filter(year=period.year, kind=period.kind, step=step).values("unit_id")
    return list(reporting_units().exclude(pk__in=submitted).exclude(pk__in=told))


def _noted(unit: Unit, period: ReportPeriod, step: str, moment: dt.datetime) -> bool:
    """Record the notice; False when another worker recorded it first."""
    try:
        with transaction.atomic():
            ReportNotice.objects.create(
                unit=unit, year=period.year, kind=period.kind, step=step, sent_at=moment
            )
    except IntegrityError:
        return False
    return True


def _emails(unit: Unit) -> list[str]:
    members = Membership.objects.filter(unit=unit, role__in=[Role.LEADER, Role.SPECIALIST]).select_related(
        "user"
    )
    return sorted({m.user.email.strip() for m in members if m.user.email and m.user.email.strip()})


@transaction.atomic
def report_deadlines_watch(*, now: dt.datetime | None = None) -> WatchReport:
    moment = now or timezone.now()
    today = timezone.localtime(moment).date()
    result = WatchReport()
    for period in _periods_around(today):
        values = {"period": period.label, "due": period.due.strftime("%d/%m/%Y")}
        if period.end < today <= period.due and (period.due - today).days <= REMIND_DAYS:
            subject = _("Nhắc hạn gửi báo cáo CCHC %(period)s (hạn %(due)s)") % values
            for unit in _missing(period, NoticeStep.REMINDED):
                if not _noted(unit, period, NoticeStep.REMINDED, moment):
                    continue
                body = _("%(unit)s chưa gửi báo cáo cải cách hành chính %(period)s. Hạn gửi: %(due)s.") % {
                    **values, "unit": unit.name}  # fmt: skip
                for address in _emails(unit):
                    message_queue(channel=NotificationChannel.EMAIL, recipient=address,
                                  template="report_reminder", subject=subject, body=body)  # fmt: skip
                    result.messages += 1
                result.reminded += 1
        if today > period.due and (today - period.due).days <= 31:
            late = [
                unit
                for unit in _missing(period, NoticeStep.OVERDUE)
                if _noted(unit, period, NoticeStep.OVERDUE, moment)
            ]
            if not late:
                continue
            result.overdue += len(late)
            subject = _("Đơn vị chưa gửi báo cáo CCHC %(period)s") % values
            body = (
                _("Đến hạn %(due)s, các đơn vị sau chưa gửi báo cáo cải cách hành chính %(period)s:\n")
                % values
            )
            body += "\n".join(f"- {unit.name}" for unit in late)
            officers = (
                get_user_model()
                .objects.filter(memberships__role=Role.HOME_AFFAIRS, is_active=True)
                .distinct()
            )
            for address in sorted({u.email.strip() for u in officers if u.email and u.email.strip()}):
                message_queue(channel=NotificationChannel.EMAIL, recipient=address, template="report_overdue",
                              subject=subject, body=body)  # fmt: skip
                result.messages += 1
    return result
