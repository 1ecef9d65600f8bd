"""Report periods: the cut-offs run across the year end (15/12 of the year before), each due on the 20th of the
period's last month (DOMAIN.md §8)."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.reports.periods import ReportKind, current_period, periods_due, report_period

D = dt.date


@pytest.mark.parametrize(
    ("kind", "start", "end", "due"),
    [
        (ReportKind.Q1, D(2025, 12, 15), D(2026, 3, 14), D(2026, 3, 20)),
        (ReportKind.H1, D(2025, 12, 15), D(2026, 6, 14), D(2026, 6, 20)),
        (ReportKind.Q3, D(2026, 6, 15), D(2026, 9, 14), D(2026, 9, 20)),
        (ReportKind.YEAR, D(2025, 12, 15), D(2026, 12, 14), D(2026, 12, 20)),
    ],
)
def test_cut_off_periods_of_2026(kind: str, start: dt.date, end: dt.date, due: dt.date) -> None:
    period = report_period(kind, 2026)
    assert (period.start, period.end, period.due) == (start, end, due)


def test_the_next_years_first_quarter_starts_before_this_years_report_is_due() -> None:
    # 15/12/2026 belongs to 2027's quarter I, 14/12/2026 to 2026's year: no day is lost or counted twice.
    assert (
        report_period(ReportKind.YEAR, 2026).end + dt.timedelta(days=1)
        == report_period(ReportKind.Q1, 2027).start
    )
    assert report_period(ReportKind.Q1, 2028).start == D(2027, 12, 15)  # and in a leap year's run-up
    assert report_period(ReportKind.H1, 2028).end == D(2028, 6, 14)
    with pytest.raises(ValueError):
        report_period("q2", 2026)


@pytest.mark.parametrize(
    ("today", "kind", "year"),
    [
        (D(2026, 1, 1), ReportKind.Q1, 2026),
        (D(2026, 3, 20), ReportKind.Q1, 2026),  # the due day itself
        (D(2026, 3, 21), ReportKind.H1, 2026),
        (D(2026, 6, 21), ReportKind.Q3, 2026),
        (D(2026, 9, 21), ReportKind.YEAR, 2026),
        (D(2026, 12, 15), ReportKind.YEAR, 2026),  # the year's report is being written
        (D(2026, 12, 20), ReportKind.YEAR, 2026),
        (D(2026, 12, 21), ReportKind.Q1, 2027),  # then next year's first quarter
        (D(2026, 12, 31), ReportKind.Q1, 2027),
    ],
)
def test_the_report_to_prepare(today: dt.date, kind: str, year: int) -> None:
    period = current_period(today)
    assert (period.kind, period.year) == (kind, year)


def test_reports_due_by_a_day() -> None:
    assert [p.kind for p in periods_due(2026, D(2026, 3, 19))] == []
    assert [p.kind for p in periods_due(2026, D(2026, 3, 20))] == [ReportKind.Q1]
    assert [p.kind for p in periods_due(2026, D(2026, 12, 31))] == [
        ReportKind.Q1, ReportKind.H1, ReportKind.Q3, ReportKind.YEAR
    ]  # fmt: skip
