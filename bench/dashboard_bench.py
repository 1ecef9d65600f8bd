"""The staff dashboard page (/can-bo/bang-dieu-khien/) for a quarter over many dossiers, through the test client,
as a superuser (every unit), plus the public transparency figures computed afresh. Prints timings; asserts nothing.

PostgreSQL only (rows are generated in SQL, reusing bench/serviceindex_bench.py's generator):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench_dash .venv/bin/python bench/dashboard_bench.py [N]
Default N = 2,000,000 dossiers over the year 2026 and 60 units. Goal (issue 5): the dashboard page < 500 ms.
The first request of a period stores its closed days (cchc.stats.daily) and is timed apart. The generated year
runs to 31/12/2026, so the clock is set to 31/12/2026 10:00 (+07:00) for the requests: on a real date inside the
year, the generated days after it would count as open days, which a real province does not have.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/cchc_bench_dash"

import serviceindex_bench
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import setup_test_environment
from django.utils import timezone

from cchc.dashboards.figures import public_rows
from cchc.dossiers.models import Dossier
from cchc.stats.daily import forget_from
from cchc.stats.periods import period_of


def _timed(rounds: int, run: object) -> list[float]:
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        run()  # type: ignore[operator]
        times.append((time.perf_counter() - began) * 1000)
    return times


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("dashboard_bench needs PostgreSQL (DATABASE_URL=postgres://…)")
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
    units = serviceindex_bench._units()
    serviceindex_bench._fill(n, units)
    forget_from(None)  # generated without lifecycle events: no stored day may predate the rows
    setup_test_environment()
    clock = mock.patch.object(timezone, "now", return_value=dt.datetime(2026, 12, 31, 3, tzinfo=dt.UTC))
    clock.start()
    admin, _created = get_user_model().objects.get_or_create(username="bench.dashboard", is_superuser=True)
    client = Client()
    client.force_login(admin)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"dossiers: {Dossier.objects.count():,}, units: {len(units)}"
    )
    rounds = int(os.environ.get("BENCH_ROUNDS", "5"))
    for query, label in (("?ky=quarter&nam=2026&so=1", "Q1 2026"), ("?ky=year&nam=2026", "year 2026")):
        url = "/can-bo/bang-dieu-khien/" + query
        began = time.perf_counter()
        status = client.get(url).status_code
        print(f"dashboard {label}, first request (stores its days): {time.perf_counter() - began:.1f} s")
        times = _timed(rounds, lambda url=url: client.get(url))
        print(
            f"dashboard {label} (HTTP {status}): median {statistics.median(times):.0f} ms, "
            f"min {min(times):.0f} ms (goal < 500 ms)"
        )
    period = period_of("quarter", 2026, 1)

    def fresh() -> None:
        cache.clear()
        public_rows(period=period)

    times = _timed(rounds, fresh)
    print(
        f"public figures Q1 2026, not cached: median {statistics.median(times):.0f} ms, min {min(times):.0f} ms"
    )
    times = _timed(rounds, lambda: client.get("/cong-khai/?ky=quarter&nam=2026&so=1"))
    print(f"public page Q1 2026, cached: median {statistics.median(times):.0f} ms")


if __name__ == "__main__":
    main()
