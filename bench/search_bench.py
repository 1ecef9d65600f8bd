"""Procedure search latency over 6,000 published procedures. Prints p50/p95; asserts nothing about time.

Usage:
    .venv/bin/python bench/search_bench.py                 # SQLite (var/bench/search.sqlite3, kept between runs)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench .venv/bin/python bench/search_bench.py
Goal (issue 2): p50 < 5 ms.

The 6,000 procedures are the 42 real ones of cchc/catalog/data/procedures.json, each repeated under other codes
with a qualifier in the name (as provinces publish variants), so that the word distribution stays realistic.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import ROOT, use_database

use_database("search.sqlite3")

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from cchc.catalog import selectors  # noqa: E402
from cchc.catalog.models import Field, Procedure, ProcedureVersion, VersionStatus  # noqa: E402
from cchc.core.folding import fold  # noqa: E402

TARGET = 6_000
QUERIES = [
    "giay phep xay dung",
    "ĐĂNG KÝ khai sinh",
    "dang ky kinh doanh",
    "chung thuc",
    "1.001193",
    "cap lai",
    "ho tich",
    "dat dai",
    "thu tuc",
    "giay phep xay dugn",  # a typo: the trigram fallback on PostgreSQL, nothing on SQLite
]
QUALIFIERS = [
    "",
    "cấp tỉnh",
    "cấp xã",
    "trường hợp đặc biệt",
    "có yếu tố nước ngoài",
    "lần đầu",
    "cấp lại",
    "điều chỉnh",
]


def _fill() -> None:
    call_command("migrate", interactive=False, verbosity=0)
    if ProcedureVersion.objects.count() >= TARGET:
        return
    records = json.loads((ROOT / "cchc" / "catalog" / "data" / "procedures.json").read_text())["procedures"]
    fields: dict[str, Field] = {}
    for record in records:
        name = (record.get("field") or {}).get("name") or "Khác"
        if name not in fields:
            fields[name], _ = Field.objects.get_or_create(
                name=name, defaults={"code": f"F{len(fields) + 1:03d}", "name_folded": fold(name)}
            )
    procedures = [Procedure(code=f"9.{i:06d}", is_local_code=True) for i in range(TARGET)]
    Procedure.objects.bulk_create(procedures, batch_size=1000)
    procedures = list(Procedure.objects.filter(code__startswith="9.").order_by("code"))
    versions = []
    for i, procedure in enumerate(procedures):
        record = records[i % len(records)]
        qualifier = QUALIFIERS[(i // len(records)) % len(QUALIFIERS)]
        name = f"{record['name']} {qualifier}".strip() if qualifier else record["name"]
        field = fields[(record.get("field") or {}).get("name") or "Khác"]
        version = ProcedureVersion(
            procedure=procedure,
            number=1,
            status=VersionStatus.PUBLISHED,
            valid_from="2025-07-01",
            name=name,
            field=field,
            level_province=True,
            level_commune=i % 2 == 0,
            agency=record.get("agency") or "",
            agency_folded=fold(record.get("agency") or ""),
        )
        version.search_text = version.compute_search_text()
        versions.append(version)
    ProcedureVersion.objects.bulk_create(versions, batch_size=1000)
    if settings.IS_POSTGRES:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main() -> None:
    _fill()
    count = selectors.published_versions().count()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"database: {connection.vendor}, published procedures: {count:,}"
    )
    rounds = int(os.environ.get("BENCH_ROUNDS", "200"))
    all_times: list[float] = []
    for query in QUERIES:
        selectors.procedure_search(query=query)  # warm up
        times = []
        for _ in range(rounds):
            began = time.perf_counter()
            found = selectors.procedure_search(query=query)
            times.append((time.perf_counter() - began) * 1000)
        times.sort()
        all_times.extend(times)
        print(
            f"  {query!r:26s} hits {len(found):3d}  p50 {statistics.median(times):6.2f} ms"
            f"  p95 {times[int(len(times) * 0.95) - 1]:6.2f} ms"
        )
    all_times.sort()
    print(
        f"search over {count:,} procedures: p50 {statistics.median(all_times):.2f} ms, "
        f"p95 {all_times[int(len(all_times) * 0.95) - 1]:.2f} ms (goal p50 < 5 ms)"
    )


if __name__ == "__main__":
    main()
