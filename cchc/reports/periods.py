"""The periodic reports' kinds, cut-off periods and due dates (kỳ báo cáo; DOMAIN.md §8).

Reports on administrative reform go to the Ministry of Home Affairs each quarter I, 6 months, quarter III and
year. Their data run from 15 December of the year before to 14 March, 14 June and 14 December; quarter III
covers 15 June to 14 September. Each is due on the 20th of the period's last month (the Government's rule on
the reporting regime, Decree 09/2019/NĐ-CP Art. 12, as the Ministry's outline applies it: verify the outline of
the year). A unit reports to Home Affairs by the same day, which consolidates the province's report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    Q1 = "q1", _("Quý I")
    H1 = "h1", _("6 tháng")
    Q3 = "q3", _("Quý III")
    YEAR = "year", _("Năm")


PERIOD_LABELS: dict[str, Any] = {
    ReportKind.Q1: _("quý I năm %(year)s"),
    ReportKind.H1: _("6 tháng đầu năm %(year)s"),
    ReportKind.Q3: _("quý III năm %(year)s"),
    ReportKind.YEAR: _("năm %(year)s"),
}

# (first day: year offset, month, day), (last day: month, day), due: (month, day) — all in the report's year
# unless the offset says the year before.
_RULES: dict[str, tuple[tuple[int, int, int], tuple[int, int], tuple[int, int]]] = {
    ReportKind.Q1: ((-1, 12, 15), (3, 14), (3, 20)),
    ReportKind.H1: ((-1, 12, 15), (6, 14), (6, 20)),
    ReportKind.Q3: ((0, 6, 15), (9, 14), (9, 20)),
    ReportKind.YEAR: ((-1, 12, 15), (12, 14), (12, 20)),
}


@dataclass(frozen=True)
class ReportPeriod:
    """A report's data period (start..end, both days included) and its due date."""

    kind: str
    year: int
    start: dt.date
    end: dt.date
    due: dt.date

    @property
    def label(self) -> str:
        """“quý I năm 2026”, “6 tháng đầu năm 2026”, “quý III năm 2026”, “năm 2026”."""
        return str(PERIOD_LABELS[self.kind]) % {"year": self.year}


def report_period(kind: str, year: int) -> ReportPeriod:
    if kind not in _RULES:
        raise ValueError(f"unknown report kind {kind!r}")
    (offset, first_month, first_day), (last_month, last_day), (due_month, due_day) = _RULES[kind]
    return ReportPeriod(
        kind=kind,
        year=year,
        start=dt.date(year + offset, first_month, first_day),
        end=dt.date(year, last_month, last_day),
        due=dt.date(year, due_month, due_day),
    )


def periods_due(year: int, until: dt.date) -> list[ReportPeriod]:
    """The year's reports whose due date is on or before `until`, in order."""
    return [period for kind in ReportKind.values if (period := report_period(kind, year)).due <= until]


def current_period(today: dt.date) -> ReportPeriod:
    """The report to prepare on `today`: of those whose data period has begun and which are not yet due, the one
    due soonest (from 15/12 to 20/12 the year's report; after it, next year's quarter I)."""
    candidates = [
        report_period(kind, year) for year in (today.year, today.year + 1) for kind in ReportKind.values
    ]
    return min((p for p in candidates if p.start <= today <= p.due), key=lambda period: period.due)
