"""Deadlines per second (cchc.workdays). Prints figures; asserts nothing about time.

Usage: .venv/bin/python bench/workdays_bench.py [N]
Goal (issue 2): >= 200,000 deadlines/s, i.e. no day-by-day loop over long spans.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import random
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")

from cchc.workdays.calendar import TZ, Calendar
from cchc.workdays.schedules import OFFICIAL_OVERRIDES


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300_000
    rng = random.Random(2026)
    calendar = Calendar(overrides={spec.day: spec.working for spec in OFFICIAL_OVERRIDES})
    start = dt.datetime(2025, 1, 1, tzinfo=TZ)
    receipts = [start + dt.timedelta(minutes=rng.randrange(3 * 365 * 24 * 60)) for _ in range(n)]
    amounts = [rng.choice((1, 3, 5, 7, 10, 15, 20, 30, 45, 60, 250)) for _ in range(n)]
    days = [r.date() for r in receipts]
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    for label, fn in (
        ("add_working_days", lambda i: calendar.add_working_days(days[i], amounts[i])),
        ("due_at working_days", lambda i: calendar.due_at(receipts[i], amounts[i], "working_days")),
        ("due_at working_hours", lambda i: calendar.due_at(receipts[i], amounts[i] * 8, "working_hours")),
        ("due_at months", lambda i: calendar.due_at(receipts[i], amounts[i] % 12 + 1, "months")),
    ):
        began = time.perf_counter()
        for i in range(n):
            fn(i)
        elapsed = time.perf_counter() - began
        print(f"{label:24s} {n / elapsed:>12,.0f} per second  ({n:,} in {elapsed:.2f} s)")


if __name__ == "__main__":
    main()
