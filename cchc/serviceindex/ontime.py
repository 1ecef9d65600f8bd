"""Dossiers on time for the 766 index's progress group, by competent unit, in grouped queries.

The national rule (DOMAIN.md §3, the same as cchc.dossiers.deadlines.day_counts): a dossier is on time when
the working time from reception to the end of processing, minus the pauses for a supplement asked during
processing, is at most the working time from reception to the *first* appointment (an apology does not move
it). The end of processing is the first of resolved > returned > stopped or refused. A dossier still open at the
end of the period, or ended after it, is measured at the end of the period ("in progress within the limit").

Population ("received and processed in the period: done, plus in progress"): dossiers received before the end
of the period, whose processing ended in the period or had not ended by its end; withdrawn dossiers that were
withdrawn before the end are left out (the applicant ended them; nobody processed them to an end).

Speed: the database decides most dossiers in one GROUP BY (ended or measured no later than the first
appointment, with no pause: surely on time). Only the others (past the appointment, or paused) are read, and
judged in Python with the working-day calendar, because 17:30 on the day due is still on time when the office
closed at 17:00 (no working time passed after the appointment).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Case, Count, DateTimeField, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from cchc import workdays
from cchc.dossiers.models import Dossier, State, SupplementRequest, SupplementStage
from cchc.orgs.models import Unit
from cchc.orgs.selectors import working_hours_of
from cchc.workdays.calendar import WorkingHours


@dataclass(frozen=True)
class OnTimeCounts:
    """Per unit: the population and how many are on time (done on time + in progress within the limit)."""

    total: int = 0
    on_time: int = 0

    @property
    def late(self) -> int:
        return self.total - self.on_time


def _end_of_processing() -> Coalesce:
    # cchc.dossiers.deadlines.end_of_processing, as SQL: resolved > returned > stopped or refused.
    return Coalesce(
        "resolved_at",
        "returned_at",
        Case(
            When(state__in=[State.STOPPED, State.REFUSED], then="ended_at"),
            default=None,
            output_field=DateTimeField(),
        ),
        output_field=DateTimeField(),
    )


def population(
    *, unit_ids: Collection[int] | None, after: dt.datetime, measured_at: dt.datetime, first: dt.datetime
) -> QuerySet[Dossier]:
    """Dossiers of the progress group for the period [first, after), each with `measure_end` (the end of
    processing if it fell before `after`, else `measured_at`) and `paused` (a processing supplement before
    it)."""
    queryset = Dossier.objects.filter(received_at__lt=after, original_appointment_at__isnull=False)
    if unit_ids is not None:
        queryset = queryset.filter(competent_unit_id__in=list(unit_ids))
    queryset = queryset.exclude(state=State.WITHDRAWN, ended_at__lt=after)
    queryset = queryset.annotate(processing_end=_end_of_processing()).filter(
        Q(processing_end__isnull=True) | Q(processing_end__gte=first)
    )
    queryset = queryset.annotate(
        measure_end=Case(
            When(processing_end__lt=after, then="processing_end"),
            default=Value(measured_at),
            output_field=DateTimeField(),
        )
    )
    pauses = SupplementRequest.objects.filter(
        dossier_id=OuterRef("pk"),
        stage=SupplementStage.PROCESSING,
        requested_at__lt=OuterRef("measure_end"),
    )
    return queryset.annotate(paused=Exists(pauses))


def on_time_counts(
    *, unit_ids: Collection[int] | None, first: dt.datetime, after: dt.datetime, measured_at: dt.datetime
) -> dict[int, OnTimeCounts]:
    """OnTimeCounts per competent unit id for the period [first, after), measured at `measured_at` (≤ after)."""
    rows = population(unit_ids=unit_ids, after=after, measured_at=measured_at, first=first)
    surely = Q(paused=False, measure_end__lte=F("original_appointment_at"))
    grouped = (
        rows.values("competent_unit_id")
        .annotate(total=Count("pk"), surely=Count("pk", filter=surely))
        .order_by()
    )
    totals: dict[int, int] = {}
    on_time: dict[int, int] = defaultdict(int)
    for row in grouped:
        totals[row["competent_unit_id"]] = row["total"]
        on_time[row["competent_unit_id"]] += row["surely"]
    doubtful = rows.exclude(surely).values_list(  # type: ignore[misc]
        "pk", "competent_unit_id", "received_at", "original_appointment_at", "measure_end", "paused"
    )
    hours = _hours_by_unit(totals.keys())
    paused_ids = []
    for pk, unit_id, received_at, appointment, end, paused in doubtful.iterator(chunk_size=5000):
        if paused:
            paused_ids.append((pk, unit_id, received_at, appointment, end))
        elif workdays.working_time_between(appointment, end, hours=hours[unit_id]) == dt.timedelta(0):
            on_time[unit_id] += 1
    for unit_id, verdict in _judge_paused(paused_ids, hours):
        on_time[unit_id] += verdict
    return {unit_id: OnTimeCounts(total, on_time[unit_id]) for unit_id, total in totals.items()}


def _hours_by_unit(unit_ids: Collection[int]) -> dict[int, WorkingHours]:
    units = Unit.objects.filter(pk__in=list(unit_ids)).select_related("working_schedule")
    return {unit.pk: working_hours_of(unit) for unit in units}


def _judge_paused(
    rows: list[tuple[int, int, dt.datetime, dt.datetime, dt.datetime]], hours: dict[int, WorkingHours]
) -> list[tuple[int, bool]]:
    """day_counts' rule for dossiers with a processing supplement: used (minus pauses) ≤ allowed."""
    requests: dict[int, list[tuple[dt.datetime, dt.datetime | None]]] = defaultdict(list)
    ids = [row[0] for row in rows]
    for start in range(0, len(ids), 5000):
        for dossier_id, requested_at, completed_at in SupplementRequest.objects.filter(
            dossier_id__in=ids[start : start + 5000], stage=SupplementStage.PROCESSING
        ).values_list("dossier_id", "requested_at", "completed_at"):
            requests[dossier_id].append((requested_at, completed_at))
    verdicts = []
    for pk, unit_id, received_at, appointment, end in rows:
        pauses = [(a, b if b is not None and b < end else end) for a, b in requests[pk] if a < end]
        used = workdays.working_time_between(received_at, end, pauses, hours=hours[unit_id])
        allowed = workdays.working_time_between(received_at, appointment, hours=hours[unit_id])
        verdicts.append((unit_id, used <= allowed))
    return verdicts
