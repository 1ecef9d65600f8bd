"""Deadline reminders and escalation of plan tasks through the outbox: once each, to the right people, and sent
by the outbox worker."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from cchc.dossiers.models import Notification
from cchc.dossiers.notifications import notifications_send_due
from cchc.orgs.models import Unit
from cchc.plans import services
from cchc.plans.models import Area, Task, TaskStatus
from cchc.plans.reminders import plan_deadlines_watch
from tests.dossiers.conftest import World, at

pytestmark = pytest.mark.django_db


def test_reminders_once_and_escalation_once(world: World, committee: Unit, home_affairs: Any) -> None:
    home_affairs.email = "noivu@thu.gov.vn"
    home_affairs.save()
    for key, email in (
        ("leader", "lanhdao@tuphap.thu.gov.vn"),
        ("specialist", "chuyenvien@tuphap.thu.gov.vn"),
    ):
        world.staff[key].email = email
        world.staff[key].save()
    plan = services.plan_create(year=2026, unit=committee, title="Kế hoạch CCHC 2026", actor=home_affairs)
    for code, deadline in (
        ("1", dt.date(2026, 5, 5)),
        ("2", dt.date(2026, 4, 28)),
        ("3", dt.date(2026, 6, 30)),
    ):
        services.task_add(plan=plan, area=Area.DIRECTION, code=code, title=f"Nhiệm vụ {code}", lead_unit=world.justice,
                          deadline=deadline, actor=home_affairs)  # fmt: skip
    done = Task.objects.get(code="1")
    services.task_progress(task=done, progress=100, status=TaskStatus.DONE, actor=world.staff["leader"],
                           at=at(2026, 4, 20, 9))  # fmt: skip
    # On 30/04: task 1 is done (nothing); task 2 passed its deadline (Home Affairs told); task 3 is 61 days away.
    # On 25/06: task 3 is due within 7 days (its lead unit's two staff reminded).
    first = plan_deadlines_watch(now=at(2026, 4, 30, 7))
    assert (first.reminded, first.escalated, first.messages) == (0, 1, 1)
    again = plan_deadlines_watch(now=at(2026, 5, 1, 7))
    assert (again.reminded, again.escalated, again.messages) == (0, 0, 0)
    later = plan_deadlines_watch(now=at(2026, 6, 25, 7))
    assert (later.reminded, later.escalated, later.messages) == (1, 0, 2)
    recipients = sorted(Notification.objects.values_list("recipient", "template"))
    assert recipients == [
        ("chuyenvien@tuphap.thu.gov.vn", "plan_task_reminder"),
        ("lanhdao@tuphap.thu.gov.vn", "plan_task_reminder"),
        ("noivu@thu.gov.vn", "plan_task_overdue"),
    ]
    # The outbox worker sends them like the dossier notices.
    report = notifications_send_due(worker="test")
    assert report.sent == 3
    overdue = next(m for m in mail.outbox if m.to == ["noivu@thu.gov.vn"])
    assert overdue.subject == "Nhiệm vụ cải cách hành chính quá hạn: 2"
    assert "đã quá hạn ngày 28/04/2026" in overdue.body and world.justice.name in overdue.body


def test_the_outbox_refuses_a_message_without_address_or_with_an_unknown_channel() -> None:
    from cchc.dossiers.notifications import message_queue

    with pytest.raises(ValueError, match="recipient"):
        message_queue(channel="email", recipient=" ", template="x", subject="s", body="b")
    with pytest.raises(ValueError, match="channel"):
        message_queue(channel="fax", recipient="a@b.vn", template="x", subject="s", body="b")
    assert not Notification.objects.exists()
