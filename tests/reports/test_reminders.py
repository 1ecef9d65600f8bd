"""Report due-date reminders and missing reports told to Home Affairs: at the right days, once each, through the
notification outbox."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from cchc.dossiers.models import Notification
from cchc.dossiers.notifications import notifications_send_due
from cchc.reports import services
from cchc.reports.periods import ReportKind
from cchc.reports.reminders import report_deadlines_watch
from tests.dossiers.conftest import World, at

pytestmark = pytest.mark.django_db


def test_reminders_before_the_due_date_and_the_missing_after_it(world: World, home_affairs: Any) -> None:
    home_affairs.email = "noivu@thu.gov.vn"
    home_affairs.save()
    for key, email in (
        ("leader", "lanhdao@tuphap.thu.gov.vn"),
        ("other_leader", "lanhdao@xaydung.thu.gov.vn"),
    ):
        world.staff[key].email = email
        world.staff[key].save()
    # 14/03 is still in quarter I's period: nobody is reminded; 15/03 is 5 days before the due date 20/03.
    assert report_deadlines_watch(now=at(2026, 3, 14, 7)).messages == 0
    first = report_deadlines_watch(now=at(2026, 3, 15, 7))
    assert (first.reminded, first.overdue, first.messages) == (2, 0, 2)
    assert report_deadlines_watch(now=at(2026, 3, 16, 7)).messages == 0  # once
    # Justice submits on time; on 21/03 Home Affairs is told construction has not, once.
    report = services.report_create(
        unit=world.justice, year=2026, kind=ReportKind.Q1, actor=world.staff["leader"]
    )
    services.report_save(report=report, actor=world.staff["leader"], narrative={}, manual={}, signer_name="A")
    services.report_submit(report=report, actor=world.staff["leader"], at=at(2026, 3, 19, 9))
    assert report_deadlines_watch(now=at(2026, 3, 20, 7)).overdue == 0  # the due day itself is not late
    late = report_deadlines_watch(now=at(2026, 3, 21, 7))
    assert (late.reminded, late.overdue, late.messages) == (0, 1, 1)
    assert report_deadlines_watch(now=at(2026, 3, 22, 7)).messages == 0
    assert sorted(Notification.objects.values_list("recipient", "template")) == [
        ("lanhdao@tuphap.thu.gov.vn", "report_reminder"),
        ("lanhdao@xaydung.thu.gov.vn", "report_reminder"),
        ("noivu@thu.gov.vn", "report_overdue"),
    ]
    assert notifications_send_due(worker="test").sent == 3
    overdue = next(m for m in mail.outbox if m.to == ["noivu@thu.gov.vn"])
    assert "quý I năm 2026" in overdue.subject and "- Sở Xây dựng tỉnh Thử" in overdue.body
    assert "Sở Tư pháp" not in overdue.body
