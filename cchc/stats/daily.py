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
from cchc.stats.models import DayCount, LagCount, PendingCount, StatsDay
from cchc.workdays.calendar import TZ

MARGIN = dt.timedelta(hours=1)
FLOW_FIGURES = (*rules.RECEIVED_FIGURES, *rules.EXIT_FIGURES, "apologies")
INDEX_FIGURES = (*rules.INDEX_RECEIVED_FIGURES, *rules.INDEX_EXIT_FIGURES)
_DAY = dt.timedelta(days=1)
_LOCK = 7_270_766  # PostgreSQL advisory lock: one writer of stored day figures at a time


def first_open_day(now: dt.datetime) -> dt.date:
    """The first day that is not closed: days before it ended at least MARGIN before `now`."""
    return (now - MARGIN).astimezone(TZ).date()


def forget_from(day: dt.date | None) -> None:
    """Drop the stored figures of `day` and every later day (None: all), after a write into a closed day.

    Called inside the writer's transaction, it takes the storing lock first: a first read that is storing
    those days finishes before (and its rows are dropped here), or waits for the writer's commit and sees it."""
    _locked()
    for model in (DayCount, PendingCount, LagCount, StatsDay):
        queryset = model.objects.all() if day is None else model.objects.filter(day__gte=day)
        queryset.delete()


# Counting from the dossiers.

_CELLS = ("unit", "procedure", "field")
Key = tuple[Any, ...]


def _scope(scope: dict[str, Any], prefix: str = "") -> Q:
    return rules.scope_condition(**scope, prefix=prefix)


def _keys(names: tuple[str, ...], prefix: str = "") -> dict[str, Any]:
    return {f"c_{name}": F(f"{prefix}{rules.CELL[name].name}") for name in names}


def _key(row: dict[str, Any], names: tuple[str, ...], *days: str) -> Key:
    return (*(row[day] for day in days), *(row[f"c_{name}"] for name in names))


def _grouped(
    queryset: QuerySet[Any], keys: dict[str, Any], figures: dict[str, Q]
) -> Iterator[dict[str, Any]]:
    return iter(
        queryset.values(**keys)
        .annotate(**{name: Count("pk", filter=c) for name, c in figures.items()})
        .order_by()
    )


def _flows(
    begin: dt.datetime,
    end: dt.datetime,
    *,
    by_day: bool,
    scope: dict[str, Any],
    names: tuple[str, ...] = _CELLS,
    index: bool = True,
) -> Iterator[tuple[Key, dict[str, int]]]:
    """The flows of [begin, end) per cell (the `names` of it, after the day when `by_day`), as (key, figures),
    with the 766 index's readings when `index`: three grouped queries."""
    keys = _keys(names)
    days = ("c_day",) if by_day else ()
    received_figures = rules.received_conditions()
    exit_figures = rules.exit_conditions()
    if index:
        received_figures.update(rules.index_received_conditions())
        exit_figures.update(rules.index_exit_conditions())
    received = rules.received_between(begin, end).filter(_scope(scope))
    day = {"c_day": TruncDate("received_at", tzinfo=TZ)} if by_day else {}
    for row in _grouped(received, {**day, **keys}, received_figures):
        yield _key(row, names, *days), {name: row[name] for name in received_figures}
    exited = rules.exited_between(begin, end).filter(_scope(scope))
    day = {"c_day": TruncDate("exit", tzinfo=TZ)} if by_day else {}
    for row in _grouped(exited, {**day, **keys}, exit_figures):
        yield _key(row, names, *days), {name: row[name] for name in exit_figures}
    if index:
        day = {"c_day": TruncDate("dossier__received_at", tzinfo=TZ)} if by_day else {}
        components = rules.components_at_reception(begin, end).filter(_scope(scope, "dossier__"))
        for row in (
            components.values(**day, **_keys(names, "dossier__"))
            .annotate(**rules.component_counts())
            .order_by()
        ):
            yield (
                _key(row, names, *days),
                {
                    "with_components": row["with_components"],
                    "digitised": row["with_components"] - row["not_digitised"],
                    "reused": row["reused"],
                },
            )
        fees = rules.fees_of_received(begin, end).filter(_scope(scope, "dossier__"))
        for row in (
            fees.values(**day, **_keys(names, "dossier__"))
            .annotate(n=Count("dossier_id", distinct=True))
            .order_by()
        ):
            yield _key(row, names, *days), {"fee_bearing": row["n"]}
    apologies = Apology.objects.filter(
        rules.apology_counted(), _scope(scope, "dossier__"), issued_at__gte=begin, issued_at__lt=end
    )
    day = {"c_day": TruncDate("issued_at", tzinfo=TZ)} if by_day else {}
    for row in (
        apologies.values(**day, **_keys(names, "dossier__")).annotate(apologies=Count("pk")).order_by()
    ):
        yield _key(row, names, *days), {"apologies": row["apologies"]}


def _lags(
    begin: dt.datetime,
    end: dt.datetime,
    *,
    by_day: bool,
    scope: dict[str, Any],
    names: tuple[str, ...] = _CELLS,
    base_from: dt.datetime | None = None,
) -> Iterator[tuple[str, Key, int]]:
    """Events in [begin, end) of the 766 readings measured at a period's end, as (measure, key, count); the key
    is (event day when `by_day`, base day, *cell). `base_from` keeps only base moments from then on."""
    days = ("c_day", "c_base") if by_day else ("c_base",)
    sources: list[tuple[str, QuerySet[Any], str, str, str]] = [
        # (measure, rows, event moment, base moment, path to the dossier)
        (LagCount.Measure.E_RESULT, rules.e_results_with_file(begin, end), "resolved_at", "resolved_at", ""),
        (LagCount.Measure.E_RESULT, rules.e_results_delivered(begin, end), "delivered_at", "dossier__resolved_at",
         "dossier__"),
        (LagCount.Measure.PAID_ONLINE, rules.first_online_payments(begin, end), "paid_at", "dossier__received_at",
         "dossier__"),
    ]  # fmt: skip
    for measure, rows, event, base, prefix in sources:
        rows = rows.filter(_scope(scope, prefix))
        if base_from is not None:
            rows = rows.filter(**{f"{base}__gte": base_from})
        day = {"c_day": TruncDate(event, tzinfo=TZ)} if by_day else {}
        keys = {**day, "c_base": TruncDate(base, tzinfo=TZ), **_keys(names, prefix)}
        for row in rows.values(**keys).annotate(n=Count("pk")).order_by():
            yield measure, _key(row, names, *days), row["n"]


def _stock(
    at: dt.datetime, *, scope: dict[str, Any], names: tuple[str, ...] = _CELLS
) -> Iterator[tuple[Key, dict[str, int]]]:
    """The dossiers pending at `at` per cell (the `names` of it): within the limit (of them, without a time
    limit) and overdue. One grouped query."""
    figures = rules.pending_conditions(at)
    figures["untimed"] = Q(original_appointment_at__isnull=True)
    for row in _grouped(rules.pending_at(at).filter(_scope(scope)), _keys(names), figures):
        yield _key(row, names), {name: row[name] for name in figures}


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
    """Store the flows (and the 766 lags) of the closed days first..last not stored yet; returns the days stored."""
    _locked()
    missing = _missing((first + dt.timedelta(days=n) for n in range((last - first).days + 1)), "flows")
    for run_first, run_last in _runs(missing):
        begin, end = rules.midnight(run_first), rules.midnight(run_last + _DAY)
        cells: dict[Key, Counter[str]] = defaultdict(Counter)
        for key, figures in _flows(begin, end, by_day=True, scope={}):
            cells[key].update(figures)
        DayCount.objects.bulk_create(
            [
                DayCount(day=day, unit_id=unit, procedure_id=procedure, field_id=field, **figures)
                for (day, unit, procedure, field), figures in cells.items()
            ],
            batch_size=2000,
        )
        lags: Counter[tuple[str, Key]] = Counter()
        for measure, key, count in _lags(begin, end, by_day=True, scope={}):
            lags[measure, key] += count
        LagCount.objects.bulk_create(
            [
                LagCount(
                    measure=measure,
                    day=day,
                    base_day=base,
                    unit_id=unit,
                    procedure_id=procedure,
                    field_id=field,
                    count=count,
                )
                for (measure, (day, base, unit, procedure, field)), count in lags.items()
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


def _stored(scope: dict[str, Any]) -> Q:
    condition = Q()
    if scope.get("unit_ids") is not None:
        condition &= Q(unit_id__in=scope["unit_ids"])
    for name in _CELLS:
        if scope.get(f"{name}_id") is not None:
            condition &= Q(**{f"{name}_id": scope[f"{name}_id"]})
    return condition


def _flows_of_period(
    start: dt.date,
    end: dt.date,
    open_day: dt.date,
    scope: dict[str, Any],
    names: tuple[str, ...],
    figures: tuple[str, ...],
    index: bool,
    until: dt.datetime | None = None,
) -> Iterator[tuple[Key, dict[str, int]]]:
    """The period's flows per cell: the closed days summed from storage, the open ones counted (up to `until`
    when given: nothing has happened after now)."""
    closed_last = min(end, open_day - _DAY)
    if start <= closed_last:
        store_flows(start, closed_last)
        for row in (
            DayCount.objects.filter(_stored(scope), day__gte=start, day__lte=closed_last)
            .values(**{f"c_{name}": F(f"{name}_id") for name in names})
            .annotate(**{name: Sum(name) for name in figures})
            .order_by()
        ):
            yield _key(row, names), {name: row[name] for name in figures}
    live_first = max(start, open_day)
    if live_first <= end:
        live_end = rules.midnight(end + _DAY) if until is None else min(until, rules.midnight(end + _DAY))
        live = _flows(
            rules.midnight(live_first),
            live_end,
            by_day=False,
            scope=scope,
            names=names,
            index=index,
        )
        yield from live


def _stock_at(
    day: dt.date | None, at: dt.datetime, open_day: dt.date, scope: dict[str, Any], names: tuple[str, ...]
) -> Iterator[tuple[Key, dict[str, int]]]:
    """The stock at `at`: stored when it is 00:00 of a day (`day`) that has closed, else counted."""
    if day is None or day > open_day:
        yield from _stock(at, scope=scope, names=names)
        return
    store_stock(day)
    for row in (
        PendingCount.objects.filter(_stored(scope), day=day)
        .values(**{f"c_{name}": F(f"{name}_id") for name in names})
        .annotate(within=Sum("within"), overdue=Sum("overdue"), untimed=Sum("untimed"))
        .order_by()
    ):
        yield (
            _key(row, names),
            {"within": row["within"], "overdue": row["overdue"], "untimed": row["untimed"]},
        )


def _scope_of(
    unit_ids: Iterable[int] | None, unit_id: int | None, procedure_id: int | None, field_id: int | None
) -> dict[str, Any]:
    return {"unit_ids": None if unit_ids is None else list(unit_ids), "unit_id": unit_id,
            "procedure_id": procedure_id, "field_id": field_id}  # fmt: skip


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
    """The base figures of the statistics for the period start..end per group (unit, procedure or field id)."""
    rules.period_bounds(start, end)  # checks the order
    scope = _scope_of(unit_ids, unit_id, procedure_id, field_id)
    open_day = first_open_day(now or timezone.now())
    names = (group_by,)
    result: dict[int | None, Counter[str]] = defaultdict(Counter)
    for key, figures in _flows_of_period(start, end, open_day, scope, names, FLOW_FIGURES, index=False):
        result[key[0]].update({name: value for name, value in figures.items() if name in FLOW_FIGURES})
    for key, figures in _stock_at(start, rules.midnight(start), open_day, scope, names):
        result[key[0]]["carried_over"] += figures["within"] + figures["overdue"]
    after = end + _DAY
    for key, figures in _stock_at(after, rules.midnight(after), open_day, scope, names):
        result[key[0]]["pending_within"] += figures["within"]
        result[key[0]]["pending_overdue"] += figures["overdue"]
    return result


def index_counts(
    *,
    start: dt.date,
    end: dt.date,
    unit_ids: Iterable[int],
    now: dt.datetime | None = None,
    open_day: dt.date | None = None,
) -> dict[tuple[int, int], Counter[str]]:
    """The 766 index's dossier readings for start..end per (competent unit, procedure) (cchc.serviceindex.inputs):
    received, resolved, the DayCount index figures, `e_result` and `paid_online` (base in the period, event by
    its end), and the dossiers in progress at the end (or now, for a period still running): `open_timed`, of
    which `open_within` within the limit. `open_day` (default: from `now`) is the first day counted from the
    dossiers rather than read from storage; the figures do not depend on it."""
    first, after = rules.period_bounds(start, end)
    moment = now or timezone.now()
    open_day = min(open_day or first_open_day(moment), first_open_day(moment))
    scope = _scope_of(unit_ids, None, None, None)
    names = ("unit", "procedure")
    wanted = (*FLOW_FIGURES, *INDEX_FIGURES)
    result: dict[tuple[int, int], Counter[str]] = defaultdict(Counter)
    measured_at = min(after, moment)
    # A running period is measured now: what is done before now, and what is in progress now.
    for key, figures in _flows_of_period(
        start, end, open_day, scope, names, wanted, index=True, until=measured_at
    ):
        cell = result[key[0], key[1]]
        cell["received"] += sum(figures.get(name, 0) for name in rules.RECEIVED_FIGURES)
        cell["resolved"] += sum(
            figures.get(name, 0) for name in ("resolved_early", "resolved_on_time", "resolved_late")
        )
        cell.update({name: value for name, value in figures.items() if name in INDEX_FIGURES})
    closed_last = min(end, open_day - _DAY)
    if start <= closed_last:  # stored by _flows_of_period
        for row in (
            LagCount.objects.filter(_stored(scope), day__gte=start, day__lte=closed_last, base_day__gte=start)
            .values("measure", "unit_id", "procedure_id")
            .annotate(n=Sum("count"))
            .order_by()
        ):
            result[row["unit_id"], row["procedure_id"]][row["measure"]] += row["n"]
    live_first = max(start, open_day)
    if live_first <= end:
        for measure, key, count in _lags(
            rules.midnight(live_first), measured_at, by_day=False, scope=scope, names=names, base_from=first
        ):
            result[key[1], key[2]][measure] += count
    stock_day = end + _DAY if measured_at == after else None
    for key, figures in _stock_at(stock_day, measured_at, open_day, scope, names):
        cell = result[key[0], key[1]]
        cell["open_timed"] += figures["within"] + figures["overdue"] - figures["untimed"]
        cell["open_within"] += figures["within"] - figures["untimed"]
    return result
