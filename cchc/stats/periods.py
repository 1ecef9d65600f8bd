"""Statistical periods (kỳ thống kê): calendar months, quarters and years, and the report periods.

The report periods are those of the reporting regime (Decree 09/2019/NĐ-CP, Circular 18/2025/TT-BNV; DOMAIN.md §8):
the data cut-off runs from 15/12 of the previous year to 14/03 (quarter 1), 14/06 (6 months) and 14/12 (year);
quarter 2 covers 15/03-14/06, quarter 3 15/06-14/09, quarter 4 15/09-14/12.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Kinds of period and their Vietnamese labels; `number` is the month (1-12) or the quarter (1-4).
PERIOD_KINDS: dict[str, object] = {
    "month": gettext_lazy("Tháng"),
    "quarter": gettext_lazy("Quý"),
    "year": gettext_lazy("Năm"),
    "report_quarter": gettext_lazy("Kỳ báo cáo quý"),
    "report_half": gettext_lazy("Kỳ báo cáo 6 tháng"),
    "report_year": gettext_lazy("Kỳ báo cáo năm"),
}
NUMBERED = {"month": 12, "quarter": 4, "report_quarter": 4}

# Report periods (DOMAIN.md §8): each (start month, start day) is counted from the previous year's 15/12.
_REPORT_CUTOFF_DAY = 14


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    number: int  # month or quarter; 0 when the kind has none
    start: dt.date
    end: dt.date  # inclusive

    @property
    def name(self) -> str:
        """ "Quý 2/2026", "Kỳ báo cáo năm 2026"… without the dates."""
        if self.kind == "month":
            return _("Tháng %(n)s/%(y)s") % {"n": self.number, "y": self.year}
        if self.kind == "quarter":
            return _("Quý %(n)s/%(y)s") % {"n": self.number, "y": self.year}
        if self.kind == "year":
            return _("Năm %(y)s") % {"y": self.year}
        if self.kind == "report_quarter":
            return _("Kỳ báo cáo quý %(n)s/%(y)s") % {"n": self.number, "y": self.year}
        if self.kind == "report_half":
            return _("Kỳ báo cáo 6 tháng đầu năm %(y)s") % {"y": self.year}
        return _("Kỳ báo cáo năm %(y)s") % {"y": self.year}

    @property
    def label(self) -> str:
        return f"{self.name} ({self.start:%d/%m/%Y} – {self.end:%d/%m/%Y})"


def _report_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, _REPORT_CUTOFF_DAY)


def period_of(kind: str, year: int, number: int = 0) -> Period:
    """The period of `kind` in `year` (with its month or quarter `number`); ValueError when it does not exist."""
    if kind not in PERIOD_KINDS:
        raise ValueError(_("Loại kỳ thống kê không hợp lệ."))
    if not 2000 <= year <= 2100:
        raise ValueError(_("Năm thống kê phải trong khoảng 2000-2100."))
    if kind in NUMBERED:
        if not 1 <= number <= NUMBERED[kind]:
            raise ValueError(_("Số tháng hoặc số quý không hợp lệ."))
    else:
        number = 0
    if kind == "month":
        start = dt.date(year, number, 1)
        end = dt.date(year, number, calendar.monthrange(year, number)[1])
    elif kind == "quarter":
        start = dt.date(year, 3 * number - 2, 1)
        end = dt.date(year, 3 * number, calendar.monthrange(year, 3 * number)[1])
    elif kind == "year":
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    elif kind == "report_quarter":
        # Q1: 15/12 (previous year) - 14/03; Q2: 15/03 - 14/06; Q3: 15/06 - 14/09; Q4: 15/09 - 14/12.
        end = _report_end(year, 3 * number)
        start = (
            dt.date(year - 1, 12, _REPORT_CUTOFF_DAY + 1)
            if number == 1
            else dt.date(year, 3 * number - 3, _REPORT_CUTOFF_DAY + 1)
        )
    elif kind == "report_half":
        start, end = dt.date(year - 1, 12, _REPORT_CUTOFF_DAY + 1), _report_end(year, 6)
    else:
        start, end = dt.date(year - 1, 12, _REPORT_CUTOFF_DAY + 1), _report_end(year, 12)
    return Period(kind, year, number, start, end)
