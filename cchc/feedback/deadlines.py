"""Due times of a feedback (hạn xử lý phản ánh), computed with the working-day calendar (cchc.workdays).

A limit of n working days ends at the close of the n-th working day after the receipt's day, in the handling
unit's office hours; a receipt on a day off or after hours counts from the next working morning (docs/domain.md,
"How cchc applies §4"). The numbers and their sources are in cchc.feedback.rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from cchc import workdays
from cchc.feedback import rules
from cchc.orgs.models import Unit
from cchc.orgs.selectors import working_hours_of


@dataclass(frozen=True)
class HandlingDues:
    """The limits that run from a receipt: refuse, ask for more, answer."""

    refuse: dt.datetime
    request_more: dt.datetime
    answer: dt.datetime


def _due(unit: Unit, start: dt.datetime, working_days: int) -> dt.datetime:
    return workdays.due_at(start, working_days, "working_days", hours=working_hours_of(unit))


def handling_dues(*, unit: Unit, received_at: dt.datetime) -> HandlingDues:
    """The due times counted from a receipt (the first one, or the sender's addition)."""
    return HandlingDues(
        refuse=_due(unit, received_at, rules.REFUSE_WITHIN_WORKING_DAYS),
        request_more=_due(unit, received_at, rules.REQUEST_MORE_WITHIN_WORKING_DAYS),
        answer=_due(unit, received_at, rules.ANSWER_WITHIN_WORKING_DAYS),
    )


def publish_due(*, unit: Unit, answered_at: dt.datetime) -> dt.datetime:
    """The answer is published within 2 working days of the answer."""
    return _due(unit, answered_at, rules.PUBLISH_WITHIN_WORKING_DAYS)


def days_left(due: dt.datetime | None, now: dt.datetime) -> int | None:
    """Working days from today to the due day (0 on the day itself); negative once the due day has passed."""
    if due is None:
        return None
    today, day = timezone.localdate(now), timezone.localdate(due)
    if day >= today:
        return workdays.working_days_between(today, day)
    return -workdays.working_days_between(day, today)
