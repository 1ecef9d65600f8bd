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
from decimal import Decimal
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


@dataclass(frozen=True)
class _Span:
    """The precomputed years: one immutable value, swapped whole when the calendar grows.

    Every computation reads one span from start to end, so a concurrent extension can never mix the indexes
    of an old span with the arrays of a new one.
    """

    first_year: int
    last_year: int
    base: int  # ordinal of 1 January of first_year
    end: int  # ordinal of 31 December of last_year
    flags: bytes  # flags[i] == 1 when base + i is a working day
    working: array[int]  # ordinals of the working days, ascending
    running: array[int]  # running[i] = working days in [base, base + i]
    seed_names: dict[dt.date, str]

    def covers(self, low: int, high: int) -> bool:
        return self.base <= low and high <= self.end

    def through(self, ordinal: int) -> int:
        """Working days from the span's start up to and including `ordinal`."""
        return self.running[ordinal - self.base]

    def flag(self, ordinal: int) -> int:
        return self.flags[ordinal - self.base]


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
        first_year: int = 2000,
        last_year: int | None = None,
    ) -> None:
        self._overrides: dict[dt.date, bool] = dict(overrides or {})
        self._estimated_days = frozenset(estimated_days)
        self._official_years = frozenset(official_years)
        self._lock = threading.Lock()
        self._span = self._build(first_year, last_year or dt.date.today().year + 6)

    # -- the precomputed span ---------------------------------------------------------------------------------
    def _build(self, first_year: int, last_year: int) -> _Span:
        # Vietnamese names for people; the package also has English ones.
        seed = holidays.country_holidays("VN", years=range(first_year, last_year + 1), language="vi")
        base = dt.date(first_year, 1, 1).toordinal()
        end = dt.date(last_year, 12, 31).toordinal()
        flags = bytearray(end - base + 1)
        working: array[int] = array("l")
        running: array[int] = array("l")
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
        return _Span(
            first_year=first_year,
            last_year=last_year,
            base=base,
            end=end,
            flags=bytes(flags),
            working=working,
            running=running,
            seed_names={day: str(name) for day, name in seed.items()},
        )

    def _covering(self, low: int, high: int | None = None) -> _Span:
        """A span that covers the ordinals low..high, growing the calendar (by whole years) when needed."""
        high = low if high is None else high
        span = self._span
        if span.covers(low, high):
            return span
        if low < 1 or high > _LAST_ORDINAL:
            raise ValueError("Ngày nằm ngoài phạm vi lịch.")
        with self._lock:
            span = self._span
            if not span.covers(low, high):
                first = min(span.first_year, dt.date.fromordinal(low).year - 1)
                last = max(span.last_year, dt.date.fromordinal(high).year + 1)
                span = self._build(max(1, first), min(9998, last))
                self._span = span
            return span

    @property
    def first_year(self) -> int:
        return self._span.first_year

    @property
    def last_year(self) -> int:
        return self._span.last_year

    # -- days ---------------------------------------------------------------------------------------------------
    def is_working_day(self, day: dt.date) -> bool:
        ordinal = day.toordinal()
        return self._covering(ordinal).flag(ordinal) == 1

    def is_estimated(self, day: dt.date) -> bool:
        """True when the day's status rests on an estimate, not an official schedule."""
        return day in self._estimated_days or day.year not in self._official_years

    def describe(self, day: dt.date) -> str:
        """Why a day is off or on, for people (Vietnamese)."""
        override = self._overrides.get(day)
        if override is not None:
            return "Ngày làm việc (điều chỉnh)" if override else "Ngày nghỉ (điều chỉnh)"
        seed_names = self._covering(day.toordinal()).seed_names
        if day in seed_names:
            return f"Ngày nghỉ lễ: {seed_names[day]}"
        return "Ngày làm việc" if day.weekday() < 5 else "Nghỉ cuối tuần"

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after `day` (day itself is day 0); negative n counts backwards."""
        if n == 0:
            return day
        ordinal = day.toordinal()
        # A working day comes at least every 3 weeks, so this span is wide enough; it grows by years anyway.
        reach = 21 + abs(n) * 2
        span = self._covering(ordinal - reach, ordinal) if n < 0 else self._covering(ordinal, ordinal + reach)
        through = span.through(ordinal)
        index = through + n - 1 if n > 0 else through - span.flag(ordinal) + n
        return dt.date.fromordinal(span.working[index])

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Working days after `a` up to and including `b` (negative when b < a)."""
        ordinal_a, ordinal_b = a.toordinal(), b.toordinal()
        span = self._covering(min(ordinal_a, ordinal_b), max(ordinal_a, ordinal_b))
        return span.through(ordinal_b) - span.through(ordinal_a)

    def next_working_day(self, day: dt.date) -> dt.date:
        """`day` itself when it is a working day, else the first working day after it."""
        return day if self.is_working_day(day) else self.add_working_days(day, 1)

    def days_off(self, year: int) -> list[dt.date]:
        """Every non-working day of a year, weekends included."""
        first = dt.date(year, 1, 1)
        span = self._covering(first.toordinal(), dt.date(year, 12, 31).toordinal())
        return [
            first + dt.timedelta(days=i)
            for i in range((dt.date(year + 1, 1, 1) - first).days)
            if not span.flag(first.toordinal() + i)
        ]

    # -- working time -------------------------------------------------------------------------------------------
    @staticmethod
    def _worked_until(span: _Span, local: dt.datetime, hours: WorkingHours) -> int:
        """W(t): working seconds from the span's start until the local instant `local`."""
        ordinal = local.toordinal()
        flag = span.flag(ordinal)
        seconds = local.hour * 3600 + local.minute * 60 + local.second
        partial = hours.worked_before(seconds) if flag else 0
        return (span.through(ordinal) - flag) * hours.seconds_per_day + partial

    @staticmethod
    def _moment_at(span: _Span, worked: int, hours: WorkingHours) -> dt.datetime:
        """The inverse of W: the earliest instant by which `worked` working seconds have passed (worked > 0)."""
        index, rest = divmod(worked, hours.seconds_per_day)
        if rest == 0:  # exactly the end of a working day: close of that day, not the next morning
            index, rest = index - 1, hours.seconds_per_day
        day = dt.date.fromordinal(span.working[index])
        return _at(day, hours.clock_at(rest))

    def _add_working_time(self, start: dt.datetime, seconds: int, hours: WorkingHours) -> dt.datetime:
        """The instant `seconds` of working time after the local instant `start`."""
        ordinal = start.toordinal()
        reach = 21 + 2 * (seconds // hours.seconds_per_day + 1)
        span = self._covering(ordinal, ordinal + reach)
        return self._moment_at(span, self._worked_until(span, start, hours) + seconds, hours)

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
        start, end = _local(start), _local(end)
        span = self._covering(start.toordinal(), end.toordinal())
        total = self._worked_until(span, end, hours) - self._worked_until(span, start, hours)
        for pause_start, pause_end in _merge(pauses, start, end):
            pause_start, pause_end = _local(pause_start), _local(pause_end)
            total -= self._worked_until(span, pause_end, hours) - self._worked_until(span, pause_start, hours)
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
        amount: float | int | Decimal,
        unit: str,
        *,
        cutoff: dt.time | None = None,
        hours: WorkingHours = DEFAULT_HOURS,
    ) -> dt.datetime:
        """The deadline for a time limit of `amount` `unit` counted from a receipt at `received_at`.

        Units: hours (clock hours), working_hours, days (calendar days), working_days, months.
        A limit in days or months ends at the close of its last day; when that day is not a working day, at the
        close of the next working day (Civil Code 2015 Art. 147–148); days and months must be whole numbers.
        Working days end at the close of the n-th working day after the start day (the start day is day 0); a
        fraction of a working day is working time added after that close, so a longer limit never ends sooner.
        """
        if not amount >= 0:  # also refuses NaN
            raise ValueError("Thời hạn không được âm.")
        start = self.start_of_clock(received_at, cutoff=cutoff, hours=hours)
        closing = _secs(hours.closing)
        if unit == "working_days":
            whole = int(amount)
            end_of_whole = _at(self.add_working_days(start.date(), whole), closing)
            fraction = amount - whole
            if fraction == 0:
                return end_of_whole
            return self._add_working_time(end_of_whole, round(fraction * hours.seconds_per_day), hours)
        if unit == "working_hours":
            if amount == 0:
                return start
            return self._add_working_time(start, round(amount * 3600), hours)
        if unit == "hours":
            return start + dt.timedelta(hours=float(amount))
        if unit in ("days", "months"):
            if amount != int(amount):
                raise ValueError("Thời hạn tính theo ngày hoặc tháng phải là số nguyên.")
            last = (
                start.date() + dt.timedelta(days=int(amount))
                if unit == "days"
                else _add_months(start.date(), int(amount))
            )
            return _at(self.next_working_day(last), closing)
        raise ValueError(f"Đơn vị thời hạn không hợp lệ: {unit!r}.")


_LAST_ORDINAL = dt.date(9998, 12, 31).toordinal()


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
_default: tuple[Calendar, WorkingHours] | None = None
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


def _installation() -> tuple[Calendar, WorkingHours]:
    """The installation's calendar and default office hours, read from the database and cached together."""
    global _default, _default_version, _checked_at
    current = _default
    now = time.monotonic()
    if current is not None and now - _checked_at < _RECHECK_SECONDS:
        return current
    from django.core.cache import cache

    version = cache.get(_VERSION_KEY)
    with _default_lock:
        if _default is None or version != _default_version:
            _default = (_calendar_from_database(), _hours_from_database())
            _default_version = version
        _checked_at = now
        return _default


def default_calendar() -> Calendar:
    """The installation's calendar: the seed plus the CalendarOverride table."""
    return _installation()[0]


def default_hours() -> WorkingHours:
    """The installation's default office hours (the default WorkingSchedule), or DEFAULT_HOURS."""
    return _installation()[1]


def _hours_from_database() -> WorkingHours:
    from cchc.workdays.models import WorkingSchedule

    schedule = WorkingSchedule.objects.filter(is_default=True).first()
    return schedule.as_working_hours() if schedule else DEFAULT_HOURS


def _calendar_from_database() -> Calendar:
    from cchc.workdays.models import CalendarOverride, DayKind

    rows = list(CalendarOverride.objects.values_list("day", "kind", "estimated"))
    return Calendar(
        overrides={day: kind == DayKind.WORKING_DAY for day, kind, _ in rows},
        estimated_days=[day for day, _, estimated in rows if estimated],
    )
