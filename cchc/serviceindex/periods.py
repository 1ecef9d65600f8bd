"""Report periods of the index: a month, a quarter or a year (calendar periods, as the national portal)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

KINDS = ("month", "quarter", "year")


@dataclass(frozen=True)
class Period:
    kind: str  # month, quarter, year
    year: int
    number: int  # month 1–12, quarter 1–4, 1 for a year

    def __post_init__(self) -> None:
        limits = {"month": 12, "quarter": 4, "year": 1}
        if (
            self.kind not in limits
            or not 1 <= self.number <= limits[self.kind]
            or not 2000 <= self.year <= 2100
        ):
            raise ValueError("Kỳ không hợp lệ.")

    @property
    def start(self) -> dt.date:
        if self.kind == "month":
            return dt.date(self.year, self.number, 1)
        if self.kind == "quarter":
            return dt.date(self.year, 3 * self.number - 2, 1)
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        last_month = {"month": self.number, "quarter": 3 * self.number, "year": 12}[self.kind]
        return dt.date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    @property
    def label(self) -> str:
        if self.kind == "month":
            return _("Tháng %(n)s/%(y)s") % {"n": self.number, "y": self.year}
        if self.kind == "quarter":
            return _("Quý %(n)s/%(y)s") % {"n": self.number, "y": self.year}
        return _("Năm %(y)s") % {"y": self.year}


def period_parse(kind: str | None, year: str | None, number: str | None, *, today: dt.date) -> Period:
    """A period from query parameters; the current quarter when absent. Raises ValueError when malformed."""
    if not kind and not year and not number:
        return Period("quarter", today.year, (today.month - 1) // 3 + 1)
    try:
        return Period(kind or "quarter", int(year or today.year), int(number or 1))
    except (TypeError, ValueError) as error:
        raise ValueError("Kỳ không hợp lệ.") from error
