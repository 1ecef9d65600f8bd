"""Stored day figures of the statistics (số liệu chốt theo ngày): the figures of a period read from a few
hundred stored rows instead of the dossiers the period touches (issue 5 §6).

The national layout splits into
- **flows** (số phát sinh): receptions by channel, exits by outcome and apologies. A period's flows are the sum
  of its days' flows: a dossier is counted on the day it was received, and on the day it exited with an outcome
  that never changes after the exit (cchc.stats.rules.exit_conditions);
- **stocks** (số tồn): the dossiers pending at 00:00 of a day, within the limit or overdue
  (cchc.stats.rules.pending_conditions). "Carried over" is the stock at the period's first 00:00; "pending" the
  stock at 00:00 after its last day.

**Why stored figures stay exact.** A day's figures depend only on what happened before the day ended, and the
platform records every lifecycle step at the moment it happens (Decree 118/2025 Art. 17-20: the reception, the
result, the end are timed when they are done). Once a day is over, nothing in the platform can change it, so it
is stored the first time a period reads it (`DayCount`, `PendingCount`, marked in `StatsDay`) and read back from
then on; the days not yet closed are counted from the dossiers each time.

A day is **closed** when it ended more than `MARGIN` ago: a transaction that began before midnight and commits
after it is long done by then. What does write into a closed day calls `forget_from`:
- a lifecycle step recorded with a past moment (`at=`; the demo data, an import): its history event does, through
  the receiver in cchc.stats.signals;
- bulk loads that write dossiers without events (cchc.simulator) call it themselves.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from cchc.dossiers.models import Apology
from cchc.stats import rules
from cchc.stats.models import DayCount, PendingCount, StatsDay
from cchc.workdays.calendar import TZ

MARGIN = dt.timedelta(hours=1)
FLOW_FIGURES = (*rules.RECEIVED_FIGURES, *rules.EXIT_FIGURES, "apologies")
_DAY = dt.timedelta(days=1)
_LOCK = 7_270_766  # PostgreSQL advisory lock: one writer of stored day figures at a time


def first_open_day(now: dt.datetime) -> dt.date:
    """The first day that is not closed: days before it ended at least MARGIN before `now`."""
    return (now - MARGIN).astimezone(TZ).date()


def forget_from(day: dt.date | None) -> None:
    """Drop the stored figures of `day` and every later day (None: all), after a write into a closed day."""
    for model in (DayCount, PendingCount, StatsDay):
        queryset = model.objects.all() if day is None else model.objects.filter(day__gte=day)
        queryset.delete()


# Counting from the dossiers.


def _grouped(
    queryset: QuerySet[Any], keys: dict[str, Any], figures: dict[str, Q]
) -> Iterator[dict[str, Any]]:
    return iter(
        queryset.values(**keys)
        .annotate(**{name: Count("pk", filter=c) for name, c in figures.items()})
        .order_by()
    )


_CELLS = ("unit", "procedure", "field")


def _flows(
    begin: dt.datetime,
    end: dt.datetime,
    *,
    by_day: bool,
    scope: dict[str, Any],
    names: tuple[str, ...] = _CELLS,
) -> Iterator[tuple[tuple[Any, ...], dict[str, int]]]:
    """The flows of [begin, end) per cell (the `names` of it, and the day when `by_day`), as (key, figures):
    three grouped queries."""
    keys: dict[str, Any] = {f"c_{name}": rules.CELL[name] for name in names}

    def key(row: dict[str, Any], day: str) -> tuple[Any, ...]:
        cell = tuple(row[f"c_{name}"] for name in names)
        return (row[day], *cell) if by_day else cell

    received = rules.scoped(rules.received_between(begin, end), **scope)
    day = {"c_day": TruncDate("received_at", tzinfo=TZ)} if by_day else {}
    for row in _grouped(received, {**day, **keys}, rules.received_conditions()):
        yield key(row, "c_day"), {name: row[name] for name in rules.RECEIVED_FIGURES}
    exited = rules.scoped(rules.exited_between(begin, end), **scope)
    day = {"c_day": TruncDate("exit", tzinfo=TZ)} if by_day else {}
    for row in _grouped(exited, {**day, **keys}, rules.exit_conditions()):
        yield key(row, "c_day"), {name: row[name] for name in rules.EXIT_FIGURES}
    apologies = Apology.objects.filter(rules.apology_counted(), issued_at__gte=begin, issued_at__lt=end)
    if scope.get("unit_ids") is not None:
        apologies = apologies.filter(dossier__competent_unit_id__in=scope["unit_ids"])
    if scope.get("unit_id") is not None:
        apologies = apologies.filter(dossier__competent_unit_id=scope["unit_id"])
    if scope.get("procedure_id") is not None:
        apologies = apologies.filter(dossier__procedure_version__procedure_id=scope["procedure_id"])
    if scope.get("field_id") is not None:
        apologies = apologies.filter(dossier__procedure_version__field_id=scope["field_id"])
    apology_keys = {f"c_{name}": F(f"dossier__{rules.CELL[name].name}") for name in names}
    day = {"c_day": TruncDate("issued_at", tzinfo=TZ)} if by_day else {}
    for row in apologies.values(**day, **apology_keys).annotate(apologies=Count("pk")).order_by():
        yield key(row, "c_day"), {"apologies": row["apologies"]}


def _stock(
    at: dt.datetime, *, scope: dict[str, Any], names: tuple[str, ...] = _CELLS
) -> Iterator[tuple[tuple[Any, ...], dict[str, int]]]:
    """The dossiers pending at `at` per cell (the `names` of it), within the limit and overdue: one query."""
    keys = {f"c_{name}": rules.CELL[name] for name in names}
    pending = rules.scoped(rules.pending_at(at), **scope)
    for row in _grouped(pending, keys, rules.pending_conditions(at)):
        yield (
            tuple(row[f"c_{name}"] for name in names),
            {"within": row["within"], "overdue": row["overdue"]},
        )


# Storing closed days.


def _missing(days: Iterable[dt.date], flag: str) -> list[dt.date]:
    days = list(days)
    if not days:
        return []
    done = set(
        StatsDay.objects.filter(day__gte=min(days), day__lte=max(days), **{flag: True}).values_list(
            "day", flat=True
        )
    )
    return [day for day in days if day not in done]


def _runs(days: list[dt.date]) -> Iterator[tuple[dt.date, dt.date]]:
    """Consecutive days as (first, last) runs."""
    first = previous = None
    for day in sorted(days):
        if previous is not None and day == previous + _DAY:
            previous = day
            continue
        if first is not None and previous is not None:
            yield first, previous
        first = previous = day
    if first is not None and previous is not None:
        yield first, previous


def _mark(days: list[dt.date], flag: str) -> None:
    StatsDay.objects.bulk_create(
        [StatsDay(day=day, **{flag: True}) for day in days],
        update_conflicts=True,
        unique_fields=["day"],
        update_fields=[flag],
        batch_size=1000,
    )


def _locked() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])


@transaction.atomic
def store_flows(first: dt.date, last: dt.date) -> int:
    """Store the flows of the closed days first..last not stored yet; returns the days stored."""
    _locked()
    missing = _missing((first + dt.timedelta(days=n) for n in range((last - first).days + 1)), "flows")
    for run_first, run_last in _runs(missing):
        cells: dict[tuple[Any, ...], Counter[str]] = defaultdict(Counter)
        for key, figures in _flows(
            rules.midnight(run_first), rules.midnight(run_last + _DAY), by_day=True, scope={}
        ):
            cells[key].update(figures)
        DayCount.objects.bulk_create(
            [
                DayCount(day=day, unit_id=unit, procedure_id=procedure, field_id=field, **figures)
                for (day, unit, procedure, field), figures in cells.items()
            ],
            batch_size=2000,
        )
    _mark(missing, "flows")
    return len(missing)


@transaction.atomic
def store_stock(day: dt.date) -> None:
    """Store the stock at 00:00 of `day` (which must have passed MARGIN ago) unless it is stored."""
    _locked()
    if not _missing([day], "snapshot"):
        return
    PendingCount.objects.bulk_create(
        [
            PendingCount(day=day, unit_id=unit, procedure_id=procedure, field_id=field, **figures)
            for (unit, procedure, field), figures in _stock(rules.midnight(day), scope={})
        ],
        batch_size=2000,
    )
    _mark([day], "snapshot")


# Reading a period.


def _stored_filter(scope: dict[str, Any]) -> Q:
    condition = Q()
    if scope.get("unit_ids") is not None:
        condition &= Q(unit_id__in=list(scope["unit_ids"]))
    for name in ("unit", "procedure", "field"):
        if scope.get(f"{name}_id") is not None:
            condition &= Q(**{f"{name}_id": scope[f"{name}_id"]})
    return condition


def period_counts(
    *,
    start: dt.date,
    end: dt.date,
    group_by: str,
    unit_ids: Iterable[int] | None,
    unit_id: int | None = None,
    procedure_id: int | None = None,
    field_id: int | None = None,
    now: dt.datetime | None = None,
) -> dict[int | None, Counter[str]]:
    """The base figures of the period start..end per group (unit, procedure or field id)."""
    rules.period_bounds(start, end)  # checks the order
    scope = {"unit_ids": None if unit_ids is None else list(unit_ids), "unit_id": unit_id,
             "procedure_id": procedure_id, "field_id": field_id}  # fmt: skip
    stored = _stored_filter(scope)
    open_day = first_open_day(now or timezone.now())
    result: dict[int | None, Counter[str]] = defaultdict(Counter)

    closed_last = min(end, open_day - _DAY)
    if start <= closed_last:
        store_flows(start, closed_last)
        for row in (
            DayCount.objects.filter(stored, day__gte=start, day__lte=closed_last)
            .values(group=F(f"{group_by}_id"))
            .annotate(**{name: Sum(name) for name in FLOW_FIGURES})
            .order_by()
        ):
            result[row["group"]].update({name: row[name] for name in FLOW_FIGURES})
    live_first = max(start, open_day)
    if live_first <= end:
        for key, figures in _flows(
            rules.midnight(live_first),
            rules.midnight(end + _DAY),
            by_day=False,
            scope=scope,
            names=(group_by,),
        ):
            result[key[0]].update(figures)

    for day, into in (
        (start, ("carried_over", "carried_over")),
        (end + _DAY, ("pending_within", "pending_overdue")),
    ):
        if day <= open_day:
            store_stock(day)
            rows: Iterable[tuple[Any, dict[str, int]]] = (
                (row["group"], row)
                for row in PendingCount.objects.filter(stored, day=day)
                .values(group=F(f"{group_by}_id"))
                .annotate(within=Sum("within"), overdue=Sum("overdue"))
                .order_by()
            )
        else:
            rows = (
                (key[0], figures)
                for key, figures in _stock(rules.midnight(day), scope=scope, names=(group_by,))
            )
        for key, figures in rows:
            result[key][into[0]] += figures["within"]
            result[key][into[1]] += figures["overdue"]
    return result
