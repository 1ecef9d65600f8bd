"""Worklist latency over many dossiers (cchc.dossiers.selectors.worklist). Prints p50/p95; asserts nothing.

PostgreSQL only (the rows are generated in SQL with generate_series):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench_worklist .venv/bin/python bench/worklist_bench.py [N]
Default N = 1,000,000 dossiers over 40 departments. Goal (issue 3): p50 < 30 ms.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import use_database

if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/cchc_bench_worklist"
use_database("unused.sqlite3")

import intake_bench  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402

from cchc.dossiers.models import Dossier  # noqa: E402
from cchc.dossiers.selectors import worklist  # noqa: E402
from cchc.orgs.models import Membership, Unit, UnitKind  # noqa: E402
from cchc.orgs.roles import Role  # noqa: E402

UNITS = 40


def _fill(n: int) -> tuple[object, object]:
    intake, _reception = intake_bench._world()
    centre, version = intake.receiving_unit, intake.procedure_version
    area = centre.area
    units = list(Unit.objects.filter(identifier__startswith="BENCH."))
    for i in range(len(units), UNITS):
        units.append(
            Unit.objects.create(
                identifier=f"BENCH.{i:02d}", name=f"Sở đo {i}", kind=UnitKind.DEPARTMENT, area=area
            )
        )
    leader, created = get_user_model().objects.get_or_create(username="bench.lanhdao")
    if created:
        Membership.objects.create(user=leader, unit=units[0], role=Role.LEADER)
    have = Dossier.objects.count()
    if have < n:
        unit_ids = [u.pk for u in units]
        started = time.perf_counter()
        with connection.cursor() as cursor:
            # States spread like a working year: mostly returned, a share open, some waiting and some ended.
            cursor.execute(
                """
                INSERT INTO dossiers_dossier (code, lookup_key, procedure_version_id, receiving_unit_id,
                    competent_unit_id, current_unit_id, channel, state, version, time_limit_amount,
                    time_limit_unit, received_at, original_appointment_at, appointment_at, end_reason,
                    history_length, history_head, created_at, return_method, return_address)
                SELECT 'B' || lpad(g::text, 9, '0'), 'K' || g, %s, %s, u.id, u.id, 1 + g %% 3,
                    (ARRAY['returned','returned','returned','returned','processing','processing',
                           'resolved','processing_supplement','refused','withdrawn'])[1 + g %% 10],
                    1, 5, 'working_days', t, t + interval '7 days', t + interval '7 days', '', 0, '', t, '', ''
                FROM generate_series(%s, %s) AS g
                CROSS JOIN LATERAL (SELECT (%s::bigint[])[1 + (g / 10) %% %s] AS id) AS u
                CROSS JOIN LATERAL (SELECT now() - (g %% 365) * interval '1 day' - (g %% 480) * interval '1 minute' AS t) AS tt
                """,
                [version.pk, centre.pk, have + 1, n, unit_ids, UNITS],
            )
            cursor.execute(
                """INSERT INTO dossiers_party (dossier_id, role, kind, full_name, id_number, phone, email, address)
                   SELECT d.id, 'applicant', 'individual', 'Người nộp ' || d.id, lpad(d.id::text, 12, '0'), '', '', ''
                   FROM dossiers_dossier d LEFT JOIN dossiers_party p ON p.dossier_id = d.id AND p.role = 'applicant'
                   WHERE p.id IS NULL"""
            )
            cursor.execute("ANALYZE")
        print(f"generated {n - have:,} dossiers in {time.perf_counter() - started:.1f} s")
    return leader, units[0]


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("worklist_bench needs PostgreSQL (DATABASE_URL=postgres://…)")
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    leader, _unit = _fill(n)
    total = Dossier.objects.count()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"dossiers: {total:,}, the leader's unit holds about {total // UNITS:,}"
    )
    all_times: list[float] = []
    # The centre's reception officer: the centre received every one of the dossiers.
    reception = get_user_model().objects.get(username="bench.tiepnhan")
    tabs = [
        (leader, kind)
        for kind in ("unit", "due_soon", "overdue", "waiting_citizen", "ready_to_return", "mine")
    ]
    tabs += [(reception, "to_receive"), (reception, "ready_to_return")]
    for user, kind in tabs:
        worklist(user=user, kind=kind)  # warm up
        times = []
        for _ in range(int(os.environ.get("BENCH_ROUNDS", "50"))):
            began = time.perf_counter()
            page = worklist(user=user, kind=kind)
            times.append((time.perf_counter() - began) * 1000)
        times.sort()
        all_times.extend(times)
        who = "reception" if user is reception else "leader"
        print(
            f"  {who:9s} {kind:16s} rows {len(page.rows):3d}  p50 {statistics.median(times):7.2f} ms  "
            f"p95 {times[int(len(times) * 0.95) - 1]:7.2f} ms"
        )
    all_times.sort()
    print(f"worklist over {total:,} dossiers: p50 {statistics.median(all_times):.2f} ms (goal < 30 ms)")


if __name__ == "__main__":
    main()
