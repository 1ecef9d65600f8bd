"""The in-process figures of `make bench` (bench/run.py), each beside the database's own time for its statements.

One PostgreSQL database (DATABASE_URL, default cchc_bench) holds the data of every figure: 2,000,000 dossiers over
a year in 60 units with their components, fees and deliveries (bench/serviceindex_bench.py), 150 units scored
in the PAR Index (bench/parindex_bench.py) and 6,000 published procedures (bench/search_bench.py).

    .venv/bin/python bench/figures.py prepare [DOSSIERS]   # generate what is missing; stores the closed days
    .venv/bin/python bench/figures.py <figure>             # search, worklist, stats, index766, parindex, intake,
                                                           # submission, deadlines, tracking, api-intake
Each figure prints one line `RESULT {json}`; bench/run.py collects them. Prints figures; asserts nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import use_database

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cchc_bench")
use_database("unused.sqlite3")

import intake_bench  # noqa: E402
import parindex_bench  # noqa: E402
import raw  # noqa: E402
import search_bench  # noqa: E402
import serviceindex_bench  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402

from cchc.catalog import services as catalog_services  # noqa: E402
from cchc.catalog.models import OnlineLevel, Procedure, ProcedureVersion  # noqa: E402
from cchc.catalog.selectors import procedure_search  # noqa: E402
from cchc.dossiers import services  # noqa: E402
from cchc.dossiers.models import DeliveryMethod, Dossier  # noqa: E402
from cchc.dossiers.selectors import worklist  # noqa: E402
from cchc.orgs.models import Membership, Unit  # noqa: E402
from cchc.orgs.roles import Role  # noqa: E402
from cchc.parindex.models import Assessment  # noqa: E402
from cchc.parindex.selectors import assessment_results  # noqa: E402
from cchc.serviceindex.selectors import index_compute_all  # noqa: E402
from cchc.stats.daily import forget_from  # noqa: E402
from cchc.stats.selectors import dossier_statistics  # noqa: E402
from cchc.submissions import services as submissions  # noqa: E402
from cchc.workdays.calendar import TZ, Calendar  # noqa: E402
from cchc.workdays.schedules import OFFICIAL_OVERRIDES  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
PROCESSES = 2  # one per core: the app's processes in production (granian workers)
PASSWORD = "cchc-bench-2026"  # noqa: S105 (a bench-only account in a bench-only database)
Q1 = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
Q2 = (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
Q4 = (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
# The running quarter seen on its last day: the generated data ends with 2026, so no dossier lies after it.
LAST_DAY = dt.datetime(2026, 12, 31, 10, tzinfo=TZ)


def _result(**figure: Any) -> None:
    print("RESULT " + json.dumps(figure, ensure_ascii=False), flush=True)


def _p50_ms(call: Callable[[], object], rounds: int = ROUNDS) -> float:
    call()  # warm up
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def _side_by_side(
    key: str, what: str, call: Callable[[], object], goal_ms: float, rounds: int = ROUNDS
) -> None:
    """cchc's median beside the replay of the statements it sent, and the share of its time that is the database."""
    ours = _p50_ms(call, rounds)
    with raw.capture() as statements:
        call()
    database = raw.replay_ms(statements, rounds)
    _result(
        key=key, what=what, value=ours, unit="ms", raw=database, statements=len(statements),
        goal=f"< {goal_ms:g} ms", met=ours < goal_ms, share=database / ours,
    )  # fmt: skip


def prepare(dossiers: int) -> None:
    search_bench._fill()
    before = Dossier.objects.count()
    units = serviceindex_bench._units()
    serviceindex_bench._fill(dossiers, units)
    if Dossier.objects.count() != before:
        forget_from(None)  # generated without lifecycle events: no stored day may predate the rows
    assessment = parindex_bench._world()
    leader, _created = get_user_model().objects.get_or_create(username="bench.lanhdao")
    Membership.objects.get_or_create(user=leader, unit=units[0], role=Role.LEADER)
    reception = get_user_model().objects.get(username="bench.tiepnhan")
    reception.set_password(PASSWORD)
    reception.save(update_fields=["password"])
    began = time.perf_counter()
    dossier_statistics(unit_ids=None, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), now=LAST_DAY)
    assessment_results(assessment, now=parindex_bench.NOW)
    print(f"closed days stored in {time.perf_counter() - began:.1f} s (once)")
    print(f"dossiers: {Dossier.objects.count():,}, units: {Unit.objects.count()}")


def _medians(calls: list[Callable[[], object]]) -> tuple[float, float]:
    """The median over `calls` of each one's p50, for cchc and for PostgreSQL replaying what it sent."""
    ours, database = [], []
    for call in calls:
        ours.append(_p50_ms(call))
        with raw.capture() as statements:
            call()
        database.append(raw.replay_ms(statements, ROUNDS))
    return statistics.median(ours), statistics.median(database)


def search() -> None:
    """The common queries (the typo fallback is its own case, see the README)."""
    queries = search_bench.QUERIES[:-1]
    value, base = _medians([lambda q=query: procedure_search(query=q) for query in queries])
    _result(
        key="search", what=f"procedure search, p50 over {len(queries)} queries (6,000 procedures)",
        value=value, unit="ms", raw=base, goal="< 5 ms", met=value < 5, share=base / value,
    )  # fmt: skip


def worklist_figure() -> None:
    leader = get_user_model().objects.get(username="bench.lanhdao")
    reception = get_user_model().objects.get(username="bench.tiepnhan")
    tabs = [(leader, k) for k in ("unit", "due_soon", "overdue", "waiting_citizen", "mine")]
    tabs.append((reception, "to_receive"))
    value, base = _medians([lambda u=user, k=kind: worklist(user=u, kind=k) for user, kind in tabs])
    _result(
        key="worklist", what=f"staff worklist, p50 over {len(tabs)} tabs (a department of about 33,000 dossiers)",
        value=value, unit="ms", raw=base, goal="< 30 ms", met=value < 30, share=base / value,
    )  # fmt: skip


def stats() -> None:
    _side_by_side(
        "stats", "statistics of a closed quarter, province by unit (Q2)",
        lambda: dossier_statistics(unit_ids=None, start=Q2[0], end=Q2[1], now=LAST_DAY), 300,
    )  # fmt: skip
    _side_by_side(
        "stats_live", "statistics of the running quarter on its last day (Q4, 31/12 10:00)",
        lambda: dossier_statistics(unit_ids=None, start=Q4[0], end=Q4[1], now=LAST_DAY), 300,
    )  # fmt: skip


def index766() -> None:
    units = serviceindex_bench._units()
    _side_by_side(
        "index766", f"Decision 766 index, {len(units)} units + province, closed quarter (Q1)",
        lambda: index_compute_all(units=units, start=Q1[0], end=Q1[1], now=LAST_DAY), 300, rounds=7,
    )  # fmt: skip
    _side_by_side(
        "index766_live", "Decision 766 index, running quarter on its last day (Q4)",
        lambda: index_compute_all(units=units, start=Q4[0], end=Q4[1], now=LAST_DAY), 300, rounds=7,
    )  # fmt: skip


def parindex() -> None:
    assessment = Assessment.objects.get(criteria_set__year=2026, criteria_set__audience="department")
    units = assessment.units.count()
    _side_by_side(
        "parindex", f"PAR Index, all {units} units × 100 criteria, appraisal season",
        lambda: assessment_results(assessment, now=parindex_bench.NOW), 200, rounds=7,
    )  # fmt: skip


def _receive_worker(
    intake: services.Intake, user: Any, at: dt.datetime | None, seconds: float, start: Any, done: Any
) -> None:
    services.dossier_receive(actor=user, intake=intake, at=at)  # warm up
    start.wait()
    count, stop = 0, time.perf_counter() + seconds
    while time.perf_counter() < stop:
        services.dossier_receive(actor=user, intake=intake, at=at)
        count += 1
    connection.close()
    done.put(count)


def _in_processes(target: Callable[..., None], args: tuple[Any, ...] | list[tuple[Any, ...]]) -> float:
    """Runs per second of `target` in PROCESSES processes started together (`args` for all, or one per process);
    each target reports its count through the queue."""
    connection.close()  # each process opens its own connection
    context = multiprocessing.get_context("fork")
    start, done = context.Barrier(PROCESSES + 1), context.Queue()
    each = args if isinstance(args, list) else [args] * PROCESSES
    workers = [context.Process(target=target, args=(*a, start, done)) for a in each]
    for worker in workers:
        worker.start()
    start.wait()
    began = time.perf_counter()
    total = sum(done.get() for _ in workers)
    elapsed = time.perf_counter() - began
    for worker in workers:
        worker.join()
    return total / elapsed


def _write_limit(statements: list[raw.Statement], dossier: Dossier, *strings: str) -> float:
    """Runs per second of one write's statements from PROCESSES processes, plus its durable commit (measured
    apart, as the replay rolls back); each replay makes its own dossier row, code and keys."""
    temporary = [
        s for sql, params in statements for s in params or () if isinstance(s, str) and s.startswith("~")
    ]
    write = raw.Write(
        ids={dossier.pk: "dossiers_dossier"},
        strings=frozenset({dossier.code, dossier.lookup_key, *temporary, *strings}),
    )
    rate = raw.replay_rate(statements, write, PROCESSES, SECONDS / 2)
    flush = raw.commit_ms()
    return PROCESSES / (PROCESSES / rate + flush / 1000)


def intake() -> None:
    world, user = intake_bench._world()
    # Every intake today at one counter: the daily code row is as contended as at a busy counter. (A past day
    # would also drop that day's stored statistics, which a real counter never does.)
    at = None
    ours = _in_processes(_receive_worker, (world, user, at, SECONDS))
    services.dossier_receive(actor=user, intake=world, at=at)  # what a process reads once is not captured
    with raw.capture() as statements:
        dossier = services.dossier_receive(actor=user, intake=world, at=at)
    limit = _write_limit(statements, dossier)
    _result(
        key="intake", what=f"counter intake in-process, {PROCESSES} processes, one counter and day",
        value=ours, unit="/s", raw=limit, statements=len(statements), goal="≥ 500/s", met=ours >= 500,
        share=ours / limit,
    )  # fmt: skip


_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n%%EOF\n"


def _online_version(like: ProcedureVersion) -> ProcedureVersion:
    """The bench procedure offered fully online (a published version cannot change: a procedure of its own)."""
    procedure = Procedure.objects.filter(code="9.999002").first()
    if procedure is None:
        procedure = catalog_services.procedure_create(code="9.999002")
        draft = catalog_services.procedure_version_create_draft(
            procedure=procedure, name="Thủ tục đo hiệu năng trực tuyến", online_level=OnlineLevel.FULL,
            components=[{"name": c.name, "kind": c.kind, "quantity": c.quantity} for c in like.components.all()],
            fees=[{"kind": f.kind, "case": f.case, "amount_vnd": f.amount_vnd} for f in like.fees.all()],
            process_steps=[{"name": s.name, "role": s.role, "share": s.share} for s in like.process_steps.all()],
            level_province=True, agency=like.agency, time_limit_amount=like.time_limit_amount,
            time_limit_unit=like.time_limit_unit, steps=like.steps, method_counter=True, method_online=True,
            applicants=like.applicants,
        )  # fmt: skip
        catalog_services.procedure_version_publish(version=draft, valid_from=dt.date(2025, 7, 1))
    return procedure.versions.get(status="published")


def _drafts(count: int) -> list[int]:
    world, _user = intake_bench._world()
    version = _online_version(world.procedure_version)
    citizen, _created = get_user_model().objects.get_or_create(username="bench.congdan")
    component = version.components.order_by("pk").first()
    assert component is not None
    ids = []
    for _ in range(count):
        draft = submissions.draft_create(owner=citizen, version=version)
        submissions.draft_save_applicant(
            draft=draft, applicant={"full_name": "Trần Thị Đo", "id_number": "079303001234", "phone": "0912345678"},
            competent_unit=world.competent_unit,
        )  # fmt: skip
        submissions.draft_attach(
            draft=draft, component=component, upload=io.BytesIO(_PDF), filename="to-khai.pdf"
        )
        submissions.draft_save_return(draft=draft, method=DeliveryMethod.ONLINE, address="")
        ids.append(draft.pk)
    return ids


def _submit_worker(ids: list[int], seconds: float, start: Any, done: Any) -> None:
    from cchc.submissions.models import Draft

    start.wait()
    count, stop = 0, time.perf_counter() + seconds
    for pk in ids:
        if time.perf_counter() >= stop:
            break
        submissions.draft_submit(
            draft=Draft.objects.select_related("procedure_version", "competent_unit").get(pk=pk)
        )
        count += 1
    connection.close()
    done.put(count)


def submission() -> None:
    from cchc.submissions.models import Draft

    per_process = int(os.environ.get("BENCH_DRAFTS", "1500"))
    ids = _drafts(PROCESSES * per_process + 2)
    warm, last = (
        Draft.objects.select_related("procedure_version", "competent_unit").get(pk=i) for i in ids[-2:]
    )
    submissions.draft_submit(draft=warm)  # what a process reads once is not captured
    with raw.capture() as statements:
        dossier = submissions.draft_submit(draft=last)
    chunks = [(ids[i * per_process : (i + 1) * per_process], SECONDS) for i in range(PROCESSES)]
    ours = _in_processes(_submit_worker, chunks)
    limit = _write_limit(statements, dossier, f"portal-draft:{last.key}")
    _result(
        key="submission", what=f"online submission in-process (the submit of a complete draft), {PROCESSES} processes",
        value=ours, unit="/s", raw=limit, statements=len(statements), goal="≥ 500/s", met=ours >= 500,
        share=ours / limit,
    )  # fmt: skip


def deadlines() -> None:
    n = 200_000
    rng = random.Random(2026)
    calendar = Calendar(overrides={spec.day: spec.working for spec in OFFICIAL_OVERRIDES})
    start = dt.datetime(2025, 1, 1, tzinfo=TZ)
    receipts = [start + dt.timedelta(minutes=rng.randrange(3 * 365 * 24 * 60)) for _ in range(n)]
    amounts = [rng.choice((1, 3, 5, 7, 10, 15, 20, 30, 45, 60, 250)) for _ in range(n)]
    began = time.perf_counter()
    for receipt, amount in zip(receipts, amounts, strict=True):
        calendar.due_at(receipt, amount, "working_days")
    ours = n / (time.perf_counter() - began)
    # The floor: the same count of plain calendar-day additions (no calendar, no working hours).
    began = time.perf_counter()
    for receipt, amount in zip(receipts, amounts, strict=True):
        receipt + dt.timedelta(days=amount)
    floor = n / (time.perf_counter() - began)
    _result(
        key="deadlines", what="working-day deadlines (due_at), per second", value=ours, unit="/s", raw=floor,
        raw_label="plain date + timedelta", goal="≥ 200,000/s", met=ours >= 200_000, share=ours / floor,
    )  # fmt: skip


def tracking() -> None:
    """One real dossier for the tracking figure, and the statements its page sends, as a pgbench script."""
    from django.test import Client

    world, user = intake_bench._world()
    dossier = services.dossier_receive(actor=user, intake=world)
    path = f"/tra-cuu/?ma={dossier.code}&khoa={dossier.lookup_key}"
    client = Client(HTTP_HOST="127.0.0.1")
    client.get(path)  # warm up
    with raw.capture() as statements:
        answer = client.get(path)
    assert answer.status_code == 200, answer.status_code
    script = raw.pgbench_script(statements, str(Path(tempfile.gettempdir()) / "cchc-tracking.sql"))
    centre, department = world.receiving_unit, world.competent_unit
    _result(
        key="tracking_setup", path=path, script=script, statements=len(statements),
        intake={
            "procedure_code": world.procedure_version.procedure.code, "receiving_unit_id": centre.pk,
            "competent_unit_id": department.pk, "outcome": "receive",
            "applicant": {"full_name": "Nguyễn Văn Tải", "id_number": "079203001234"},
        },
        username="bench.tiepnhan", password=PASSWORD, machine=raw.machine(),
    )  # fmt: skip


FIGURES: dict[str, Callable[[], None]] = {
    "search": search,
    "worklist": worklist_figure,
    "stats": stats,
    "index766": index766,
    "parindex": parindex,
    "intake": intake,
    "submission": submission,
    "deadlines": deadlines,
    "tracking": tracking,
}


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("figures.py needs PostgreSQL (DATABASE_URL=postgres://…)")
    name = sys.argv[1] if len(sys.argv) > 1 else ""
    if name == "prepare":
        prepare(int(sys.argv[2]) if len(sys.argv) > 2 else 2_000_000)
    elif name in FIGURES:
        FIGURES[name]()
    else:
        sys.exit(f"usage: figures.py prepare [DOSSIERS] | {' | '.join(FIGURES)}")


if __name__ == "__main__":
    main()
