"""Deadline reminders and escalation of reform plan tasks (nhắc hạn, báo quá hạn), through the notification
outbox (cchc.dossiers.notifications.message_queue; the worker sends them).

- `REMIND_DAYS` before its deadline, an open task's lead unit staff (leaders and specialists with an email) are
  reminded once.
- Once its deadline has passed, an open task is reported once to Home Affairs (the officers with an email).
Run daily: `manage.py watch_plan_deadlines` (README, Background work). Each step marks the task in the same
transaction as its messages, so a task is never reminded twice, even by two workers at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.dossiers.models import NotificationChannel
from cchc.dossiers.notifications import message_queue
from cchc.orgs.models import Membership
from cchc.orgs.roles import Role
from cchc.plans.models import Task, TaskStatus

REMIND_DAYS = 7
_OPEN = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)


@dataclass
class WatchReport:
    reminded: int = 0
    escalated: int = 0
    messages: int = 0


def _emails(memberships: Iterable[Membership]) -> list[str]:
    return sorted({m.user.email.strip() for m in memberships if m.user.email and m.user.email.strip()})


def _unit_staff(task: Task) -> list[str]:
    return _emails(
        Membership.objects.filter(
            unit=task.lead_unit, role__in=[Role.LEADER, Role.SPECIALIST]
        ).select_related("user")
    )


def _home_affairs() -> list[str]:
    users = get_user_model().objects.filter(memberships__role=Role.HOME_AFFAIRS, is_active=True).distinct()
    return sorted({u.email.strip() for u in users if u.email and u.email.strip()})


def _text(task: Task, overdue: bool) -> tuple[str, str]:
    values = {"code": task.code, "plan": task.plan.title, "deadline": task.deadline.strftime("%d/%m/%Y")}
    if overdue:
        subject = _("Nhiệm vụ cải cách hành chính quá hạn: %(code)s") % values
        lead = _("Nhiệm vụ %(code)s của %(plan)s đã quá hạn ngày %(deadline)s mà chưa hoàn thành.") % values
    else:
        subject = _("Nhắc hạn nhiệm vụ cải cách hành chính %(code)s (%(deadline)s)") % values
        lead = _("Nhiệm vụ %(code)s của %(plan)s đến hạn ngày %(deadline)s.") % values
    body = _(
        "%(lead)s\n\nNhiệm vụ: %(title)s\nCơ quan chủ trì: %(unit)s\nTiến độ: %(progress)s%% (%(status)s)\n"
    ) % {
        "lead": lead,
        "title": task.title,
        "unit": task.lead_unit.name,
        "progress": task.progress,
        "status": task.get_status_display(),
    }
    return subject, body


@transaction.atomic
def plan_deadlines_watch(*, now: dt.datetime | None = None) -> WatchReport:
    moment = now or timezone.now()
    today = timezone.localtime(moment).date()
    report = WatchReport()
    soon = (
        Task.objects.select_for_update(skip_locked=True)
        .select_related("plan", "lead_unit")
        .filter(
            status__in=_OPEN,
            reminded_at__isnull=True,
            deadline__gte=today,
            deadline__lte=today + dt.timedelta(days=REMIND_DAYS),
        )
    )
    for task in soon:
        subject, body = _text(task, overdue=False)
        for address in _unit_staff(task):
            message_queue(channel=NotificationChannel.EMAIL, recipient=address, template="plan_task_reminder",
                          subject=subject, body=body)  # fmt: skip
            report.messages += 1
        Task.objects.filter(pk=task.pk).update(reminded_at=moment)
        report.reminded += 1
    late = (
        Task.objects.select_for_update(skip_locked=True)
        .select_related("plan", "lead_unit")
        .filter(status__in=_OPEN, escalated_at__isnull=True, deadline__lt=today)
    )
    officers = _home_affairs()
    for task in late:
        subject, body = _text(task, overdue=True)
        for address in officers:
            message_queue(channel=NotificationChannel.EMAIL, recipient=address, template="plan_task_overdue",
                          subject=subject, body=body)  # fmt: skip
            report.messages += 1
        Task.objects.filter(pk=task.pk).update(escalated_at=moment)
        report.escalated += 1
    return report
