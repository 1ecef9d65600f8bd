"""The working-day calendar (lịch làm việc): the public API other apps and outside checks use.

Each function takes an optional `calendar=`; without it, the installation's calendar (the `holidays` seed plus
the CalendarOverride table) is used. See cchc.workdays.calendar for the rules and their sources.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from cchc.workdays.calendar import Calendar, WorkingHours

TimeUnit = Literal["hours", "working_hours", "days", "working_days", "months"]
TIME_UNITS: tuple[str, ...] = ("hours", "working_hours", "days", "working_days", "months")

__all__ = [
    "TIME_UNITS",
    "TimeUnit",
    "add_working_days",
    "due_at",
    "is_working_day",
    "working_days_between",
    "working_time_between",
]


def _calendar(calendar: Calendar | None) -> Calendar:
    if calendar is not None:
        return calendar
    from cchc.workdays.calendar import default_calendar

    return default_calendar()


def _hours(hours: WorkingHours | None) -> WorkingHours:
    from cchc.workdays.calendar import DEFAULT_HOURS

    return hours or DEFAULT_HOURS


def is_working_day(d: dt.date, *, calendar: Calendar | None = None) -> bool:
    """Whether `d` is a working day (ngày làm việc)."""
    return _calendar(calendar).is_working_day(d)


def add_working_days(d: dt.date, n: int, *, calendar: Calendar | None = None) -> dt.date:
    """The n-th working day after `d`; `d` is day 0. Negative n counts backwards."""
    return _calendar(calendar).add_working_days(d, n)


def working_days_between(a: dt.date, b: dt.date, *, calendar: Calendar | None = None) -> int:
    """Working days after `a` up to and including `b`: working_days_between(d, add_working_days(d, n)) == n."""
    return _calendar(calendar).working_days_between(a, b)


def due_at(
    received_at: dt.datetime,
    amount: float | int | Decimal,
    unit: TimeUnit | str,
    *,
    cutoff: dt.time | None = None,
    hours: WorkingHours | None = None,
    calendar: Calendar | None = None,
) -> dt.datetime:
    """The deadline (hạn giải quyết) for a time limit counted from a receipt; see Calendar.due_at."""
    return _calendar(calendar).due_at(received_at, amount, unit, cutoff=cutoff, hours=_hours(hours))


def working_time_between(
    start: dt.datetime,
    end: dt.datetime,
    pauses: Iterable[tuple[dt.datetime, dt.datetime]] = (),
    *,
    hours: WorkingHours | None = None,
    calendar: Calendar | None = None,
) -> dt.timedelta:
    """Working time from `start` to `end` minus the pauses (e.g. waiting for a supplement)."""
    return _calendar(calendar).working_time_between(start, end, pauses, hours=_hours(hours))
