"""Dossiers on time for the 766 index's progress group, as SQL conditions counted in one grouped query.

The national rule (DOMAIN.md §3, the literal rule the statistics use, cchc.stats.selectors): a dossier is on time
when its end of processing is at most its *first* appointment (an apology does not move it), the pause of a
supplement asked during processing subtracted (Decree 118/2025 Art. 19(5)). The end of processing is the first
of resolved > returned > stopped or refused. A dossier still open at the end of the period, or ended after it,
is measured at the end of the period ("in progress within the limit").

The pause is read from the statistics' derived clocks (cchc.stats.models.PauseClock, read-only here; kept up to
date by the lifecycle through cchc.stats.signals): `due_at` is the first appointment moved by the pause's
working time, in the competent unit's hours. So, with `measure_end` the moment the dossier is measured:
- no pause before `measure_end`: on time when `measure_end ≤ first appointment`;
- a pause still running at `measure_end`: the time used stopped at the request, so on time when the request
  came no later than the first appointment (as cchc.stats counts "pending within the limit");
- a pause completed before `measure_end`: on time when `measure_end ≤ due_at`.
Instants are compared literally: a result signed at 17:30 on the day due, after a 17:00 close, is late (as on
the statistics page), so both pages agree.

The index counts them in its one grouped pass over the dossiers (cchc.serviceindex.inputs).

Population ("received and processed in the period: done, plus in progress"): dossiers received before the end
of the period, with a first appointment, whose processing ended in the period or had not ended by its end;
withdrawn dossiers that were withdrawn before the end are left out (the applicant ended them; nobody processed
them to an end).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, DateTimeField, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from cchc.dossiers.models import Dossier, State


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


def with_measure(
    queryset: QuerySet[Dossier], *, after: dt.datetime, measured_at: dt.datetime
) -> QuerySet[Dossier]:
    """Add the aliases the conditions below use: `processing_end` and `measure_end` (the end of processing if it
    fell before `after`, else `measured_at`)."""
    return queryset.alias(
        processing_end=_end_of_processing(),
        measure_end=Case(
            When(processing_end__lt=after, then="processing_end"),
            default=Value(measured_at),
            output_field=DateTimeField(),
        ),
    )


def in_population(*, first: dt.datetime, after: dt.datetime) -> Q:
    """The progress group of [first, after) (module docstring), on a queryset given `with_measure`."""
    return (
        Q(received_at__lt=after, original_appointment_at__isnull=False)
        & ~Q(state=State.WITHDRAWN, ended_at__lt=after)
        & (Q(processing_end__isnull=True) | Q(processing_end__gte=first))
    )


def is_on_time() -> Q:
    """The national on-time rule (module docstring) on a queryset given `with_measure`."""
    asked = Q(stats_pause__requested_at__lt=F("measure_end"))
    not_asked = Q(stats_pause__requested_at__isnull=True) | Q(stats_pause__requested_at__gte=F("measure_end"))
    running = asked & (
        Q(stats_pause__completed_at__isnull=True) | Q(stats_pause__completed_at__gte=F("measure_end"))
    )
    resumed = asked & Q(stats_pause__completed_at__lt=F("measure_end"))
    return (
        (not_asked & Q(measure_end__lte=F("original_appointment_at")))
        | (running & Q(stats_pause__requested_at__lte=F("original_appointment_at")))
        | (resumed & Q(measure_end__lte=Coalesce("stats_pause__due_at", "original_appointment_at")))
    )
