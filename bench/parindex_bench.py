"""The PAR Index for all units (cchc.parindex.selectors.assessment_results): 150 units × 100 leaf criteria,
every leaf scored, 10 of them automatic (read from the statistics and the 766 index of the year). Prints
timings; asserts nothing.

PostgreSQL (reuses bench/serviceindex_bench.py's 2,000,000 dossiers and 60 units, adds 90 units):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench_svcindex .venv/bin/python bench/parindex_bench.py
Goal (issue 6): computing and ranking the index for all units < 200 ms. Timed as in the appraisal season
(15/02/2027, the year closed and its days stored), and on the year's last day (31/12/2026 10:00, that day and
the dossiers open then counted live).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import use_database

if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/cchc_bench_svcindex"
use_database("unused.sqlite3")

import serviceindex_bench  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402

from cchc.dossiers.models import Dossier  # noqa: E402
from cchc.orgs.models import Unit, UnitKind  # noqa: E402
from cchc.parindex.exchange import Document, Node  # noqa: E402
from cchc.parindex.models import Assessment, CriteriaSet, Criterion, Score, UnitAssessment, UnitState  # noqa: E402
from cchc.parindex.selectors import assessment_results  # noqa: E402
from cchc.parindex.services import criteria_set_import  # noqa: E402
from cchc.stats.daily import forget_from  # noqa: E402

UNITS, AREAS, CRITERIA, COMPONENTS = 150, 10, 2, 5
TZ = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2027, 2, 15, 10, tzinfo=TZ)  # appraisal season: the year scored is closed
LAST_DAY = dt.datetime(2026, 12, 31, 10, tzinfo=TZ)  # the year still running: its last day counted live
METRICS = ("on_time_rate", "online_share", "online_payment_share", "index766_total", "index766_progress")


def _document() -> Document:
    """10 areas of 10 points, each 2 criteria of 5 components (1 point each); one component per area automatic."""
    nodes, row = [], 0

    def add(code: str, parent: str, level: str, points: str, method: str = "", metric: str = "") -> None:
        nonlocal row
        row += 1
        nodes.append(
            Node(
                row,
                code,
                parent,
                level,
                f"Tiêu chí {code}",
                Decimal(points),
                method,
                "",
                "",
                metric,
                "bậc: 95%=1; 80%=0.5" if metric else "",
                False,
            )
        )

    for a in range(1, AREAS + 1):
        add(f"{a}", "", "area", "10")
        for c in range(1, CRITERIA + 1):
            add(f"{a}.{c}", f"{a}", "criterion", "5")
            for k in range(1, COMPONENTS + 1):
                automatic = c == 1 and k == 1
                add(
                    f"{a}.{c}.{k}",
                    f"{a}.{c}",
                    "component",
                    "1",
                    "automatic" if automatic else "manual",
                    METRICS[a % len(METRICS)] if automatic else "",
                )
    return Document(
        year=2026, audience="department", name="Bộ tiêu chí đo tốc độ", source="bench", nodes=nodes
    )


def _world() -> Assessment:
    units = serviceindex_bench._units()
    area = units[0].area
    for i in range(len(units), UNITS):
        units.append(
            Unit.objects.create(
                identifier=f"SVC.{i:03d}", name=f"Đơn vị đo {i:03d}", kind=UnitKind.DEPARTMENT, area=area
            )
        )
    existing = Assessment.objects.filter(criteria_set__year=2026, criteria_set__audience="department").first()
    if existing is not None and existing.units.count() == UNITS:
        return existing
    CriteriaSet.objects.filter(year=2026, audience="department").delete()
    criteria_set = criteria_set_import(_document())
    actor, _created = get_user_model().objects.get_or_create(username="bench.noivu")
    assessment = Assessment.objects.create(
        criteria_set=criteria_set,
        self_assessment_due=dt.date(2027, 1, 15),
        appraisal_due=dt.date(2027, 2, 1),
        opened_at=NOW,
        opened_by=actor,
    )
    rows = UnitAssessment.objects.bulk_create(
        [
            UnitAssessment(assessment=assessment, unit=u, state=UnitState.SUBMITTED, submitted_at=NOW)
            for u in units[:UNITS]
        ]
    )
    leaves = list(Criterion.objects.filter(criteria_set=criteria_set, method="manual"))
    rng = random.Random(6)
    Score.objects.bulk_create(
        [
            Score(
                unit_assessment=ua,
                criterion=leaf,
                self_points=Decimal(rng.choice(("0", "0.5", "1"))),
                appraised_points=Decimal("0.5") if rng.random() < 0.1 else None,
            )
            for ua in rows
            for leaf in leaves
        ],
        batch_size=5000,
    )
    return assessment


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("parindex_bench needs PostgreSQL (DATABASE_URL=postgres://…)")
    before = Dossier.objects.count()
    serviceindex_bench._fill(2_000_000, serviceindex_bench._units())
    if Dossier.objects.count() != before:
        forget_from(None)  # generated without lifecycle events: no stored day may predate the rows
    assessment = _world()
    began = time.perf_counter()
    results = assessment_results(assessment, now=NOW)
    print(f"first computation (stores the year's closed days if needed): {time.perf_counter() - began:.1f} s")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{len(results)} units × {Criterion.objects.filter(criteria_set=assessment.criteria_set).count()} nodes, "
        f"{Score.objects.filter(unit_assessment__assessment=assessment).count():,} scores"
    )
    for label, now in (("appraisal season, 15/02/2027", NOW), ("year's last day, 31/12/2026", LAST_DAY)):
        results = assessment_results(assessment, now=now)  # warm up
        times = []
        for _ in range(int(os.environ.get("BENCH_ROUNDS", "7"))):
            began = time.perf_counter()
            results = assessment_results(assessment, now=now)
            times.append((time.perf_counter() - began) * 1000)
        best = results[0]
        print(
            f"PAR Index, all {len(results)} units, {label}: median {statistics.median(times):.0f} ms, "
            f"min {min(times):.0f} ms (goal < 200 ms); best {best.unit.name} {best.result.index}"
        )


if __name__ == "__main__":
    main()
