"""Report periods of the index: a calendar month, quarter or year, as the national portal scores them.

The period itself is the statistics' (cchc.stats.periods), so both pages mean the same days by "Quý 2/2026".
"""

from __future__ import annotations

import datetime as dt

from cchc.stats.periods import Period, period_of

KINDS = ("month", "quarter", "year")

__all__ = ["KINDS", "Period", "period_parse"]


def period_parse(kind: str | None, year: str | None, number: str | None, *, today: dt.date) -> Period:
    """A period from query parameters; the current quarter when absent. Raises ValueError when malformed."""
    if not kind and not year and not number:
        return period_of("quarter", today.year, (today.month - 1) // 3 + 1)
    chosen = kind or "quarter"
    if chosen not in KINDS:
        raise ValueError("Kỳ không hợp lệ.")
    try:
        return period_of(chosen, int(year or today.year), int(number or 1))
    except (TypeError, ValueError) as error:
        raise ValueError("Kỳ không hợp lệ.") from error
