"""Working-day arithmetic (tính ngày làm việc), DOMAIN.md §4.

A `Calendar` answers "is this a working day?" from the `holidays` seed (VN, Labour Code 2019 Art. 112) plus the
installation's overrides (swapped days, make-up Saturdays). It precomputes, for a span of years, the sorted
ordinals of all working days and a running count, so every question is an array look-up or a binary search:
no loop walks day by day, whatever the span.

Working time is measured by W(t), the working seconds from the start of the span to instant t; the working
time between two instants is W(end) − W(start), and a deadline in working hours inverts W.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import holidays

from cchc.workdays.schedules import OFFICIAL_YEARS

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_DAY = dt.timedelta(days=1)


def _secs(t: dt.time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


@dataclass(frozen=True)
class WorkingHours:
    """Office sessions of a working day (giờ làm việc), commonly 07:30–11:30 and 13:30–17:00."""

    sessions: tuple[tuple[dt.time, dt.time], ...] = (
        (dt.time(7, 30), dt.time(11, 30)),
        (dt.time(13, 30), dt.time(17, 0)),
    )
    # Derived, in seconds after midnight: [(start, end), ...] and the working seconds of a day.
    _spans: tuple[tuple[int, int], ...] = field(init=False, repr=False, compare=False)
    seconds_per_day: int = field(init=False, compare=False)

    def __post_init__(self) -> None:
        spans = tuple((_secs(a), _secs(b)) for a, b in self.sessions)
        if not spans:
            raise ValueError("Giờ làm việc phải có ít nhất một buổi.")
        previous_end = -1
        for start, end in spans:
            if not previous_end <= start < end:
                raise ValueError("Các buổi làm việc phải tăng dần và không chồng lên nhau.")
            previous_end = end
        object.__setattr__(self, "_spans", spans)
        object.__setattr__(self, "seconds_per_day", sum(end - start for start, end in spans))

    @property
    def opening(self) -> dt.time:
        return self.sessions[0][0]

    @property
    def closing(self) -> dt.time:
        return self.sessions[-1][1]

    def worked_before(self, seconds: int) -> int:
        """Working seconds of a working day that lie before `seconds` after midnight."""
        total = 0
        for start, end in self._spans:
            if seconds <= start:
                break
            total += min(seconds, end) - start
        return total

    def clock_at(self, worked: int) -> int:
        """Seconds after midnight at which `worked` working seconds of the day are done (0 < worked ≤ day)."""
        for start, end in self._spans:
            length = end - start
            if worked <= length:
                return start + worked
            worked -= length
        return self._spans[-1][1]

    def next_opening(self, seconds: int) -> int | None:
        """The first working second at or after `seconds` on the same day, or None after closing."""
        for start, end in self._spans:
            if seconds < end:
                return max(seconds, start)
        return None


DEFAULT_HOURS = WorkingHours()


class Calendar:
    """Working days = Monday–Friday, minus the seed's holidays, with the overrides applied last.

    `overrides` maps a day to True (working day, e.g. a make-up Saturday) or False (day off).
    `estimated_days` are override days whose schedule is not yet official.
    """

    def __init__(
        self,
        *,
        overrides: Mapping[dt.date, bool] | None = None,
        estimated_days: Iterable[dt.date] = (),
        official_years: Iterable[int] = OFFICIAL_YEARS,
        first_year: int = 2015,
        last_year: int | None = None,
    ) -> None:
        self._overrides: dict[dt.date, bool] = dict(overrides or {})
        self._estimated_days = frozenset(estimated_days)
        self._official_years = frozenset(official_years)
        self._lock = threading.Lock()
        self._build(first_year, last_year or dt.date.today().year + 6)

    # -- the precomputed span ---------------------------------------------------------------------------------
    def _build(self, first_year: int, last_year: int) -> None:
        seed = holidays.country_holidays("VN", years=range(first_year, last_year + 1))
        base = dt.date(first_year, 1, 1).toordinal()
        end = dt.date(last_year, 12, 31).toordinal()
        flags = bytearray(end - base + 1)
        working: array[int] = array("l")
        running: array[int] = array("l")  # running[i] = working days in [base, base + i]
        count = 0
        for ordinal in range(base, end + 1):
            day = dt.date.fromordinal(ordinal)
            is_working = self._overrides.get(day)
            if is_working is None:
                is_working = day.weekday() < 5 and day not in seed
            if is_working:
                flags[ordinal - base] = 1
                working.append(ordinal)
                count += 1
            running.append(count)
        self.first_year, self.last_year = first_year, last_year
        self._base, self._end = base, end
        self._flags, self._working, self._running = flags, working, running
        self._seed_names = {day: str(name) for day, name in seed.items()}

    def _ensure(self, ordinal: int) -> None:
        if self._base <= ordinal <= self._end:
            return
        with self._lock:
            year = dt.date.fromordinal(max(1, ordinal)).year
            self._build(min(self.first_year, year - 1), max(self.last_year, year + 1))

    def _count_through(self, ordinal: int) -> int:
        """Working days from the span's start up to and including `ordinal`."""
        self._ensure(ordinal)
        return self._running[ordinal - self._base]

    def _nth_working(self, index: int) -> int:
        """Ordinal of the working day at position `index` (0-based) of the span."""
        while index >= len(self._working):
            self._ensure(self._end + 366)
        if index < 0:
            raise ValueError("Ngoài phạm vi lịch.")
        return self._working[index]

    # -- days ---------------------------------------------------------------------------------------------------
    def is_working_day(self, day: dt.date) -> bool:
        ordinal = day.toordinal()
        self._ensure(ordinal)
        return self._flags[ordinal - self._base] == 1

    def is_estimated(self, day: dt.date) -> bool:
        """True when the day's status rests on an estimate, not an official schedule."""
        return day in self._estimated_days or day.year not in self._official_years

    def describe(self, day: dt.date) -> str:
        """Why a day is off or on, for people (Vietnamese)."""
        override = self._overrides.get(day)
        if override is not None:
            return "Ngày làm việc (điều chỉnh)" if override else "Ngày nghỉ (điều chỉnh)"
        if day in self._seed_names:
            return f"Ngày nghỉ lễ: {self._seed_names[day]}"
        return "Ngày làm việc" if day.weekday() < 5 else "Nghỉ cuối tuần"

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after `day` (day itself is day 0); negative n counts backwards."""
        if n == 0:
            return day
        ordinal = day.toordinal()
        through = self._count_through(ordinal)
        if n > 0:
            return dt.date.fromordinal(self._nth_working(through + n - 1))
        before = through - self._flags[ordinal - self._base]
        index = before + n
        while index < 0:
            self._ensure(self._base - 366)
            through = self._count_through(ordinal)
            index = through - self._flags[ordinal - self._base] + n
        return dt.date.fromordinal(self._nth_working(index))

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Working days after `a` up to and including `b` (negative when b < a)."""
        ordinal_a, ordinal_b = a.toordinal(), b.toordinal()
        self._ensure(ordinal_a)
        self._ensure(ordinal_b)
        return self._running[ordinal_b - self._base] - self._running[ordinal_a - self._base]

    def next_working_day(self, day: dt.date) -> dt.date:
        """`day` itself when it is a working day, else the first working day after it."""
        return day if self.is_working_day(day) else self.add_working_days(day, 1)

    def days_off(self, year: int) -> list[dt.date]:
        """Every non-working day of a year, weekends included."""
        first = dt.date(year, 1, 1)
        self._ensure(first.toordinal())
        self._ensure(dt.date(year, 12, 31).toordinal())
        return [
            first + dt.timedelta(days=i)
            for i in range((dt.date(year + 1, 1, 1) - first).days)
            if not self._flags[first.toordinal() + i - self._base]
        ]

    # -- working time -------------------------------------------------------------------------------------------
    def worked_until(self, moment: dt.datetime, hours: WorkingHours = DEFAULT_HOURS) -> int:
        """W(t): working seconds from the span's start until `moment`."""
        local = _local(moment)
        ordinal = local.toordinal()
        through = self._count_through(ordinal)
        flag = self._flags[ordinal - self._base]
        seconds = local.hour * 3600 + local.minute * 60 + local.second
        partial = hours.worked_before(seconds) if flag else 0
        return (through - flag) * hours.seconds_per_day + partial

    def moment_at(self, worked: int, hours: WorkingHours = DEFAULT_HOURS) -> dt.datetime:
        """The inverse of W: the earliest instant by which `worked` working seconds have passed (worked > 0)."""
        index, rest = divmod(worked, hours.seconds_per_day)
        if rest == 0:  # exactly the end of a working day: close of that day, not the next morning
            index, rest = index - 1, hours.seconds_per_day
        day = dt.date.fromordinal(self._nth_working(index))
        return _at(day, hours.clock_at(rest))

    def working_time_between(
        self,
        start: dt.datetime,
        end: dt.datetime,
        pauses: Iterable[tuple[dt.datetime, dt.datetime]] = (),
        hours: WorkingHours = DEFAULT_HOURS,
    ) -> dt.timedelta:
        """Working time from `start` to `end`, minus the working time inside `pauses` (which may overlap)."""
        if end <= start:
            return dt.timedelta(0)
        total = self.worked_until(end, hours) - self.worked_until(start, hours)
        for pause_start, pause_end in _merge(pauses, start, end):
            total -= self.worked_until(pause_end, hours) - self.worked_until(pause_start, hours)
        return dt.timedelta(seconds=total)

    def start_of_clock(
        self, received_at: dt.datetime, *, cutoff: dt.time | None = None, hours: WorkingHours = DEFAULT_HOURS
    ) -> dt.datetime:
        """When the time limit starts to run for a receipt at `received_at`.

        A receipt on a day off, outside working hours or after the procedure's own cut-off hour counts from
        the next working morning (Decree 118/2025 Art. 17(3): the clock runs from the receipt of a complete
        dossier; the cut-off is a per-procedure sector rule, DOMAIN.md §3).
        """
        local = _local(received_at)
        day = local.date()
        seconds = local.hour * 3600 + local.minute * 60 + local.second
        if self.is_working_day(day) and (cutoff is None or seconds < _secs(cutoff)):
            opening = hours.next_opening(seconds)
            if opening is not None:
                return local if opening == seconds else _at(day, opening)
        return _at(self.add_working_days(day, 1), _secs(hours.opening))

    def due_at(
        self,
        received_at: dt.datetime,
        amount: float | int,
        unit: str,
        *,
        cutoff: dt.time | None = None,
        hours: WorkingHours = DEFAULT_HOURS,
    ) -> dt.datetime:
        """The deadline for a time limit of `amount` `unit` counted from a receipt at `received_at`.

        Units: hours (clock hours), working_hours, days (calendar days), working_days, months.
        A limit in days or months ends at the close of its last day; when that day is not a working day, at the
        close of the next working day (Civil Code 2015 Art. 147–148). Working days end at the close of the
        n-th working day after the start day (the start day is day 0).
        """
        if amount < 0:
            raise ValueError("Thời hạn không được âm.")
        start = self.start_of_clock(received_at, cutoff=cutoff, hours=hours)
        closing = _secs(hours.closing)
        if unit == "working_days":
            whole = int(amount)
            if whole == amount:
                return _at(self.add_working_days(start.date(), whole), closing)
            return self.moment_at(
                self.worked_until(start, hours) + round(amount * hours.seconds_per_day), hours
            )
        if unit == "working_hours":
            if amount == 0:
                return start
            return self.moment_at(self.worked_until(start, hours) + round(amount * 3600), hours)
        if unit == "hours":
            return start + dt.timedelta(hours=amount)
        if unit == "days":
            last = start.date() + dt.timedelta(days=int(amount))
            return _at(self.next_working_day(last), closing)
        if unit == "months":
            return _at(self.next_working_day(_add_months(start.date(), int(amount))), closing)
        raise ValueError(f"Đơn vị thời hạn không hợp lệ: {unit!r}.")


def _local(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=TZ)
    return moment.astimezone(TZ)


def _at(day: dt.date, seconds: int) -> dt.datetime:
    hour, rest = divmod(seconds, 3600)
    return dt.datetime(day.year, day.month, day.day, hour, rest // 60, rest % 60, tzinfo=TZ)


def _add_months(day: dt.date, months: int) -> dt.date:
    """Civil Code 2015 Art. 148(3): the corresponding day of the last month, or that month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = 31
    while True:
        try:
            return dt.date(year, month, min(day.day, last_day))
        except ValueError:
            last_day -= 1


def _merge(
    pauses: Iterable[tuple[dt.datetime, dt.datetime]], start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Pauses clipped to [start, end] and merged where they overlap."""
    clipped = sorted((max(a, start), min(b, end)) for a, b in pauses if min(b, end) > max(a, start))
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for a, b in clipped:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


# -- the installation's calendar ------------------------------------------------------------------------------
# Built once per process and cached. A change to the overrides bumps a version in the shared cache (Redis when
# several servers run), which every process checks at most every _RECHECK_SECONDS.
_VERSION_KEY = "cchc:workdays:calendar-version"
_RECHECK_SECONDS = 30.0
_default: Calendar | None = None
_default_version: object = None
_checked_at = 0.0
_default_lock = threading.Lock()


def invalidate_default_calendar() -> None:
    """Forget the cached installation calendar here and, through the shared cache, in every other process."""
    global _default
    from django.core.cache import cache

    with _default_lock:
        _default = None
    cache.set(_VERSION_KEY, time.time_ns(), timeout=None)


def default_calendar() -> Calendar:
    """The installation's calendar: the seed plus the CalendarOverride table."""
    global _default, _default_version, _checked_at
    calendar = _default
    now = time.monotonic()
    if calendar is not None and now - _checked_at < _RECHECK_SECONDS:
        return calendar
    from django.core.cache import cache

    version = cache.get(_VERSION_KEY)
    with _default_lock:
        if _default is None or version != _default_version:
            _default = _calendar_from_database()
            _default_version = version
        _checked_at = now
        return _default


def _calendar_from_database() -> Calendar:
    from cchc.workdays.models import CalendarOverride, DayKind

    rows = list(CalendarOverride.objects.values_list("day", "kind", "estimated"))
    return Calendar(
        overrides={day: kind == DayKind.WORKING_DAY for day, kind, _ in rows},
        estimated_days=[day for day, _, estimated in rows if estimated],
    )
