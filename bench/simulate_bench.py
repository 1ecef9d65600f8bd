"""Simulator throughput: simulated dossiers written per second (cchc.simulator, issue 5 §1).

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench_sim .venv/bin/python bench/simulate_bench.py [N ...]
    .venv/bin/python bench/simulate_bench.py [N ...]     # SQLite, var/bench/simulate.sqlite3

Each N (default 200000) is one `simulate --year 2026` run into the demo province, added to what the database
holds. Prints figures; asserts nothing about time. Goal (issue 5): >= 50,000 dossiers/s on PostgreSQL.
"""

from __future__ import annotations

import cProfile
import os
import platform
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import ROOT, use_database

use_database("simulate.sqlite3")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from cchc.orgs.demo import demo_province_create  # noqa: E402
from cchc.orgs.models import Unit, UnitKind  # noqa: E402
from cchc.simulator import bulk  # noqa: E402
from cchc.simulator.services import province_year_simulate  # noqa: E402

_copy_seconds = [0.0, 0]  # time inside COPY (PostgreSQL ingesting the rows, psycopg formatting them), rows


def _timed_copy(table: bulk.Table, rows: object) -> None:
    began = time.perf_counter()
    _plain_copy(table, rows)  # type: ignore[arg-type]
    _copy_seconds[0] += time.perf_counter() - began
    _copy_seconds[1] += len(rows)  # type: ignore[arg-type]


_plain_copy = bulk._copy
bulk._copy = _timed_copy


def main() -> None:
    counts = [int(a) for a in sys.argv[1:]] or [200_000]
    call_command("migrate", interactive=False, verbosity=0)
    if not Unit.objects.filter(kind=UnitKind.PROVINCE_CENTRE).exists():
        call_command(
            "import_procedures",
            str(ROOT / "cchc" / "catalog" / "data" / "procedures.json"),
            publish=True,
            verbosity=0,
        )
        demo_province_create(province_code=91)
    print(f"{connection.vendor}, Python {platform.python_version()}, {os.cpu_count()} CPU")
    for n in counts:
        profile = cProfile.Profile() if os.environ.get("CCHC_PROFILE") else None
        if profile:
            profile.enable()
        _copy_seconds[:] = [0.0, 0]
        report = province_year_simulate(year=2026, dossiers=n, seed=n)
        if profile:
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
        print(
            f"{n:>10,} dossiers in {report.seconds:7.1f} s: {n / report.seconds:>8,.0f} dossiers/s "
            f"({report.feedback} feedback)"
        )
        if _copy_seconds[1]:
            copy_s, rows = _copy_seconds
            print(
                f"{'':>10} of which COPY: {copy_s:.1f} s for {rows:,} rows ({rows / n:.1f} per dossier, "
                f"{rows / copy_s:,.0f} rows/s): {n / copy_s:,.0f} dossiers/s if nothing else took time"
            )


if __name__ == "__main__":
    main()
