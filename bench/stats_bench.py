"""Quarter statistics for the province (cchc.stats.selectors.dossier_statistics). Prints timings; asserts nothing.

PostgreSQL only (the rows are generated in SQL with generate_series):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench_stats .venv/bin/python bench/stats_bench.py [N]
Default N = 2,000,000 dossiers received over 2026 in 40 departments, with every end state, 5% paused for a
supplement during processing and 2% with an apology. Goal (issue 5): the province's quarter < 300 ms.
The closed days' figures are stored by the first read (cchc.stats.daily), which is timed apart; a quarter that
holds today (quarter 4 when run in late 2026) also counts its open days from the dossiers.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import use_database

if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/cchc_bench_stats"
use_database("unused.sqlite3")

import intake_bench  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402

from cchc.dossiers.models import Dossier  # noqa: E402
from cchc.orgs.models import Unit, UnitKind  # noqa: E402
from cchc.stats.daily import forget_from  # noqa: E402
from cchc.stats.models import StatsDay  # noqa: E402
from cchc.stats.selectors import dossier_statistics  # noqa: E402
from cchc.stats.services import pause_clocks_refresh  # noqa: E402

UNITS = 40

# One dossier per row of generate_series g: received over 2026 (8 working hours a day), 7 days to the first
# appointment, an end state by g % 20, the exit 1-12 days after reception (so some are late and some cross the
# quarter's end); only dossiers of the year's last two months stay open (older ones are done, as in a province).
_DOSSIERS = """
INSERT INTO dossiers_dossier (code, lookup_key, procedure_version_id, receiving_unit_id, competent_unit_id,
    current_unit_id, channel, state, version, time_limit_amount, time_limit_unit, received_at,
    original_appointment_at, appointment_at, resolved_at, returned_at, ended_at, end_reason,
    history_length, history_head, created_at, return_method, return_address)
SELECT 'S' || lpad(g::text, 9, '0'), 'K' || g, %(version)s, %(centre)s, u.id, u.id, 1 + (g / 7) %% 3, s.state, 1,
    5, 'working_days', t, t + interval '7 days', t + interval '7 days',
    CASE WHEN s.state IN ('resolved', 'returned') THEN t + x END,
    CASE WHEN s.state = 'returned' THEN t + x + interval '1 day' END,
    CASE WHEN s.state IN ('refused', 'withdrawn', 'stopped') THEN t + x END,
    '', 0, '', t, '', ''
FROM generate_series(%(first)s, %(last)s) AS g
CROSS JOIN LATERAL (SELECT (%(units)s::bigint[])[1 + (g / 10) %% %(n_units)s] AS id) AS u
CROSS JOIN LATERAL (SELECT timestamptz '2026-01-01 08:00+07' + (g %% 365) * interval '1 day'
    + (g %% 480) * interval '1 minute' AS t, (1 + g %% 12) * interval '1 day' AS x) AS tt
CROSS JOIN LATERAL (SELECT CASE
    WHEN g %% 365 > 340 AND g %% 3 = 0 THEN 'processing'
    WHEN g %% 20 IN (14, 15) AND g %% 365 < 305 THEN 'returned'
    ELSE (ARRAY['returned','returned','returned','returned','returned','returned','returned','returned',
                'returned','returned','returned','returned','resolved','resolved','processing',
                'processing_supplement','refused','withdrawn','stopped','returned'])[1 + g %% 20] END AS state) AS s
"""
_PAUSES = """
INSERT INTO dossiers_supplementrequest (dossier_id, stage, requested_at, requested_by_id, missing, reason,
    completed_at)
SELECT d.id, 'processing', d.received_at + interval '1 day', %(user)s, '["Tờ khai"]', 'Thiếu tờ khai',
    CASE WHEN d.state <> 'processing_supplement' THEN d.received_at + interval '3 days' END
FROM dossiers_dossier d
WHERE d.code LIKE 'S%%' AND (d.id %% 20 = 3 OR d.state = 'processing_supplement')
    AND NOT EXISTS (SELECT 1 FROM dossiers_supplementrequest r WHERE r.dossier_id = d.id)
"""
_APOLOGIES = """
INSERT INTO dossiers_apology (dossier_id, issued_at, issued_by_id, reason, previous_appointment_at,
    new_appointment_at)
SELECT d.id, d.received_at + interval '4 days', %(user)s, 'Chậm', d.original_appointment_at,
    d.original_appointment_at + interval '5 days'
FROM dossiers_dossier d
WHERE d.code LIKE 'S%%' AND d.id %% 50 = 7
    AND NOT EXISTS (SELECT 1 FROM dossiers_apology a WHERE a.dossier_id = d.id)
"""


def _fill(n: int) -> None:
    intake, _reception = intake_bench._world()
    centre, version = intake.receiving_unit, intake.procedure_version
    units = list(Unit.objects.filter(identifier__startswith="BENCH.S."))
    for i in range(len(units), UNITS):
        units.append(
            Unit.objects.create(
                identifier=f"BENCH.S.{i:02d}",
                name=f"Sở thống kê {i:02d}",
                kind=UnitKind.DEPARTMENT,
                area=centre.area,
            )
        )
    user, _created = get_user_model().objects.get_or_create(username="bench.chuyenvien")
    have = Dossier.objects.filter(code__startswith="S").count()
    if have >= n:
        return
    started = time.perf_counter()
    with connection.cursor() as cursor:
        step = 500_000
        for first in range(have + 1, n + 1, step):
            cursor.execute(
                _DOSSIERS,
                {
                    "version": version.pk,
                    "centre": centre.pk,
                    "first": first,
                    "last": min(n, first + step - 1),
                    "units": [u.pk for u in units],
                    "n_units": UNITS,
                },
            )
        cursor.execute(_PAUSES, {"user": user.pk})
        cursor.execute(_APOLOGIES, {"user": user.pk})
        cursor.execute("ANALYZE")
    print(f"generated {n - have:,} dossiers in {time.perf_counter() - started:.1f} s")


def _time(label: str, rounds: int, call: object) -> None:
    assert callable(call)
    call()  # warm up
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    print(f"  {label:44s} p50 {statistics.median(times):8.1f} ms   max {times[-1]:8.1f} ms")


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("stats_bench needs PostgreSQL (DATABASE_URL=postgres://…)")
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
    _fill(n)
    began = time.perf_counter()
    written = pause_clocks_refresh()
    print(f"first pause-clock refresh: {written:,} clocks in {time.perf_counter() - began:.1f} s (once)")
    forget_from(None)  # the rows above were written without lifecycle events: no stored day may predate them
    began = time.perf_counter()
    dossier_statistics(unit_ids=None, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    stored = StatsDay.objects.count()
    print(f"first read of the year: stores {stored} days in {time.perf_counter() - began:.1f} s (once)")
    total = Dossier.objects.count()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, dossiers: {total:,}"
    )
    rounds = int(os.environ.get("BENCH_ROUNDS", "10"))
    for quarter in (2, 3):
        start = dt.date(2026, 3 * quarter - 2, 1)
        end = (dt.date(2026, 3 * quarter, 1) + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
        for group_by in ("unit", "procedure"):
            _time(
                f"quarter {quarter}, province, by {group_by}",
                rounds,
                lambda s=start, e=end, g=group_by: dossier_statistics(
                    unit_ids=None, start=s, end=e, group_by=g
                ),
            )
    # The current quarter seen on its last day at 10:00: the day counted from the dossiers, the pending ones at
    # its end too (the data here has no dossier after 2026, so a real "today" late in 2026 would count the weeks
    # generated after it as open days).
    last_day = dt.datetime(2026, 12, 31, 10, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    _time(
        "quarter 4 on 31/12 10:00, by unit (live day)",
        rounds,
        lambda: dossier_statistics(
            unit_ids=None, start=dt.date(2026, 10, 1), end=dt.date(2026, 12, 31), now=last_day
        ),
    )
    one_unit = [Unit.objects.get(identifier="BENCH.S.00").pk]
    _time(
        "quarter 2, one department",
        rounds,
        lambda: dossier_statistics(unit_ids=one_unit, start=dt.date(2026, 4, 1), end=dt.date(2026, 6, 30)),
    )
    rows = dossier_statistics(unit_ids=None, start=dt.date(2026, 4, 1), end=dt.date(2026, 6, 30))
    print(f"quarter 2 total: {rows[-1].figures}")


if __name__ == "__main__":
    main()
