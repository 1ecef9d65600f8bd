"""Counter intake throughput: dossiers received per second through cchc.dossiers.services.dossier_receive.

Each intake is a full reception: one transaction with the row-locked daily code, the parties, the checklist,
the fees, the appointment from the working-day calendar, the planned steps and the first history event.
Prints figures; asserts nothing about time.

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench_intake .venv/bin/python bench/intake_bench.py [N] [CLIENTS]
    .venv/bin/python bench/intake_bench.py [N]        # SQLite, var/bench/intake.sqlite3

With CLIENTS > 1 (PostgreSQL), that many processes receive N dossiers each at the same counter on the same day,
all contending for the same daily sequence row, as app servers behind a load balancer would.
Goal (issue 3): >= 500 dossiers/s on PostgreSQL on this 2-core machine.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import use_database

use_database("intake.sqlite3")

from decimal import Decimal  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from cchc.catalog import services as catalog_services  # noqa: E402
from cchc.catalog.models import Procedure  # noqa: E402
from cchc.dossiers import services  # noqa: E402
from cchc.dossiers.models import Channel  # noqa: E402
from cchc.orgs.models import AdministrativeUnit, Generation, Level, Membership, Unit, UnitKind  # noqa: E402
from cchc.orgs.roles import Role  # noqa: E402
from cchc.workdays.calendar import TZ  # noqa: E402


def _world() -> tuple[services.Intake, object]:
    call_command("migrate", interactive=False, verbosity=0)
    area, _ = AdministrativeUnit.objects.get_or_create(
        generation=Generation.CURRENT,
        level=Level.PROVINCE,
        code=990,
        defaults={"name": "Tỉnh Đo", "codename": "tinh_do", "division_type": "tỉnh", "province_code": 990},
    )
    centre, _ = Unit.objects.get_or_create(
        identifier="000.00.01.H90",
        defaults={"name": "Trung tâm đo", "kind": UnitKind.PROVINCE_CENTRE, "area": area},
    )
    justice, _ = Unit.objects.get_or_create(
        identifier="000.00.12.H90", defaults={"name": "Sở đo", "kind": UnitKind.DEPARTMENT, "area": area}
    )
    user, created = get_user_model().objects.get_or_create(username="bench.tiepnhan")
    if created:
        Membership.objects.create(user=user, unit=centre, role=Role.RECEPTION_OFFICER)
    procedure = Procedure.objects.filter(code="9.999001").first()
    if procedure is None:
        procedure = catalog_services.procedure_create(code="9.999001")
        draft = catalog_services.procedure_version_create_draft(
            procedure=procedure,
            name="Thủ tục đo hiệu năng",
            components=[{"name": f"Giấy tờ {i}", "kind": "original", "quantity": 1} for i in range(5)],
            fees=[{"kind": "charge", "case": "Lệ phí", "amount_vnd": 50_000}],
            process_steps=[
                {"name": n, "role": r, "share": Decimal(s)}
                for n, r, s in (
                    ("Tiếp nhận", "reception_officer", "0.5"),
                    ("Thẩm định", "specialist", "3"),
                    ("Phê duyệt", "leader", "1"),
                    ("Trả kết quả", "reception_officer", "0.5"),
                )
            ],
            level_province=True,
            agency="Sở đo",
            time_limit_amount=Decimal(5),
            time_limit_unit="working_days",
            steps="Nộp, nhận kết quả.",
            method_counter=True,
            applicants="Cá nhân",
        )
        catalog_services.procedure_version_publish(version=draft, valid_from=dt.date(2025, 7, 1))
    version = procedure.versions.get(status="published")
    intake = services.Intake(
        procedure_version=version,
        receiving_unit=centre,
        competent_unit=justice,
        channel=Channel.IN_PERSON,
        applicant=services.PartyData(full_name="Nguyễn Văn Đo", id_number="079203001234", phone="0912345678"),
        provided_component_ids=frozenset(version.components.values_list("pk", flat=True)),
    )
    return intake, user


def _client(n: int, received: dt.datetime, start: Any, done: Any) -> None:
    intake, user = _world()
    services.dossier_receive(actor=user, intake=intake, at=received)  # warm up
    start.wait()
    for _ in range(n):
        services.dossier_receive(actor=user, intake=intake, at=received)
    connection.close()
    done.put(n)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    clients = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    _world()
    connection.close()
    # The same day for every intake, so the daily sequence row is as contended as at a busy counter.
    received = dt.datetime(2026, 3, 9, 9, 0, tzinfo=TZ) + dt.timedelta(days=7 * (int(time.time()) % 500))
    context = multiprocessing.get_context("fork")
    start, done = context.Barrier(clients + 1), context.Queue()
    workers = [context.Process(target=_client, args=(n, received, start, done)) for _ in range(clients)]
    for worker in workers:
        worker.start()
    start.wait()
    began = time.perf_counter()
    total = sum(done.get() for _ in workers)
    elapsed = time.perf_counter() - began
    for worker in workers:
        worker.join()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"database: {connection.vendor}"
    )
    print(
        f"counter intake, {clients} client process(es): {total / elapsed:,.0f} dossiers/s "
        f"({total:,} in {elapsed:.2f} s; goal >= 500/s)"
    )


if __name__ == "__main__":
    main()
