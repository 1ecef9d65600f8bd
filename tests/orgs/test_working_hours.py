"""Working hours are configurable per unit (DOMAIN.md §4), and deadlines follow them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cchc import workdays
from cchc.orgs.models import UnitKind
from cchc.orgs.selectors import working_hours_of
from cchc.workdays.calendar import TZ
from cchc.workdays.models import WorkingSchedule

pytestmark = pytest.mark.django_db


def test_a_unit_without_its_own_schedule_uses_the_default(make_unit: Any) -> None:
    unit = make_unit("UBND xã Thử", kind=UnitKind.COMMUNE_COMMITTEE)
    hours = working_hours_of(unit)
    assert hours.opening == dt.time(7, 30)
    assert hours.closing == dt.time(17, 0)
    assert hours.seconds_per_day == 7.5 * 3600


def test_a_unit_with_summer_hours_gets_later_deadlines(make_unit: Any) -> None:
    summer = WorkingSchedule.objects.create(
        name="Giờ mùa hè",
        morning_start=dt.time(7, 0),
        morning_end=dt.time(11, 0),
        afternoon_start=dt.time(13, 30),
        afternoon_end=dt.time(17, 30),
    )
    unit = make_unit("Trung tâm xã Thử", kind=UnitKind.COMMUNE_CENTRE)
    unit.working_schedule = summer
    unit.save(update_fields=["working_schedule"])
    received = dt.datetime(2026, 3, 9, 16, 0, tzinfo=TZ)
    due = workdays.due_at(received, 1, "working_days", hours=working_hours_of(unit))
    assert due == dt.datetime(2026, 3, 10, 17, 30, tzinfo=TZ)
    assert workdays.due_at(received, 2, "working_hours", hours=working_hours_of(unit)) == dt.datetime(
        2026, 3, 10, 7, 30, tzinfo=TZ
    )


def test_changing_the_default_schedule_takes_effect_at_once(make_unit: Any) -> None:
    unit = make_unit("UBND xã Đổi giờ", kind=UnitKind.COMMUNE_COMMITTEE)
    assert working_hours_of(unit).closing == dt.time(17, 0)
    schedule = WorkingSchedule.objects.get(is_default=True)
    schedule.afternoon_end = dt.time(17, 30)
    schedule.save()
    assert working_hours_of(unit).closing == dt.time(17, 30)
