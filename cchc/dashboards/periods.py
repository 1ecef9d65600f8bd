"""The period a dashboard shows (kỳ): a calendar month, quarter or year, read from the query string.

Parameters `ky` (month, quarter, year), `nam` (year) and `so` (month 1-12 or quarter 1-4), as on the 766 index
pages. No parameter at all: the current quarter. Anything else malformed: ValueError with a Vietnamese message
(the views answer 400).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.utils.translation import gettext as _

from cchc.stats.periods import Period, period_of

KINDS: tuple[str, ...] = ("month", "quarter", "year")


def period_parse(params: Mapping[str, str], *, today: dt.date) -> Period:
    """The period named by `params` (ky, nam, so); the current quarter when none is given."""
    kind = params.get("ky", "")
    year = params.get("nam", "")
    number = params.get("so", "")
    if not kind and not year and not number:
        return period_of("quarter", today.year, (today.month - 1) // 3 + 1)
    if kind not in KINDS:
        raise ValueError(_("Loại kỳ không hợp lệ: chọn tháng, quý hoặc năm."))
    try:
        year_value = int(year) if year else today.year
        number_value = int(number) if number else (1 if kind != "year" else 0)
    except ValueError:
        raise ValueError(_("Năm và số tháng hoặc quý phải là số.")) from None
    return period_of(kind, year_value, number_value)


def months_of(period: Period) -> list[Period]:
    """The calendar months the period covers, in order."""
    months: list[Period] = []
    day = period.start
    while day <= period.end:
        months.append(period_of("month", day.year, day.month))
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months


def period_query(period: Period) -> str:
    """The query string naming the period."""
    return f"ky={period.kind}&nam={period.year}&so={period.number}"
