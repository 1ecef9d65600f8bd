"""Working hours are configurable per unit (DOMAIN.md §4), and deadlines follow them."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc import workdays
from cchc.orgs.models import AdministrativeUnit, Generation, Level, Unit, UnitKind
from cchc.orgs.selectors import working_hours_of
from cchc.workdays.calendar import TZ
from cchc.workdays.models import WorkingSchedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune() -> AdministrativeUnit:
    return AdministrativeUnit.objects.create(
        generation=Generation.CURRENT,
        level=Level.COMMUNE,
        code=99999,
        name="Xã Thử",
        codename="xa_thu",
        division_type="xã",
    )


def test_a_unit_without_its_own_schedule_uses_the_default(commune: AdministrativeUnit) -> None:
    unit = Unit.objects.create(kind=UnitKind.COMMUNE_COMMITTEE, name="UBND xã Thử", area=commune)
    hours = working_hours_of(unit)
    assert hours.opening == dt.time(7, 30)
    assert hours.closing == dt.time(17, 0)
    assert hours.seconds_per_day == 7.5 * 3600


def test_a_unit_with_summer_hours_gets_later_deadlines(commune: AdministrativeUnit) -> None:
    summer = WorkingSchedule.objects.create(
        name="Giờ mùa hè",
        morning_start=dt.time(7, 0),
        morning_end=dt.time(11, 0),
        afternoon_start=dt.time(13, 30),
        afternoon_end=dt.time(17, 30),
    )
    unit = Unit.objects.create(
        kind=UnitKind.COMMUNE_CENTRE, name="Trung tâm xã Thử", area=commune, working_schedule=summer
    )
    received = dt.datetime(2026, 3, 9, 16, 0, tzinfo=TZ)
    due = workdays.due_at(received, 1, "working_days", hours=working_hours_of(unit))
    assert due == dt.datetime(2026, 3, 10, 17, 30, tzinfo=TZ)
    assert workdays.due_at(received, 2, "working_hours", hours=working_hours_of(unit)) == dt.datetime(
        2026, 3, 10, 7, 30, tzinfo=TZ
    )
