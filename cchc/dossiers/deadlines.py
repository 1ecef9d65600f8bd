"""Deadlines of a dossier (hạn giải quyết): the legal appointment and the national statistical measure.

Both are kept (DOMAIN.md §3): legally, a supplement asked for during processing restarts the time limit from
zero when the citizen completes it (Decree 118/2025 Art. 19(5)); the national statistics instead subtract the
pause from the original limit and judge against the first appointment, even after an apology (Art. 19(6)).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from cchc import workdays
from cchc.dossiers.models import Dossier, State, SupplementStage
from cchc.orgs.models import Unit
from cchc.orgs.selectors import working_hours_of


def limit_due(dossier: Dossier, start: dt.datetime, *, amount: Decimal | None = None) -> dt.datetime:
    """The end of the dossier's time limit (or of `amount` of it) counted from `start`, in its unit's hours."""
    value = dossier.time_limit_amount if amount is None else amount
    if value is None or not dossier.time_limit_unit:
        raise ValueError("Thủ tục chưa có thời hạn giải quyết.")
    return workdays.due_at(
        start,
        value,
        dossier.time_limit_unit,
        cutoff=dossier.time_limit_cutoff,
        hours=working_hours_of(dossier.competent_unit),
    )


def step_due(dossier: Dossier, start: dt.datetime, cumulative_share: Decimal, unit: Unit) -> dt.datetime:
    """A step's due time: its cumulative share of the limit after the clock start, in the step unit's hours."""
    return workdays.due_at(
        start, cumulative_share, dossier.time_limit_unit, cutoff=None, hours=working_hours_of(unit)
    )


def processing_supplement_allowed_until(dossier: Dossier) -> dt.datetime:
    """Art. 19(5): a supplement during processing may be asked within 3 working days of reception."""
    from cchc.dossiers.rules import PROCESSING_SUPPLEMENT_WITHIN_WORKING_DAYS

    assert dossier.received_at is not None
    return workdays.due_at(
        dossier.received_at,
        PROCESSING_SUPPLEMENT_WITHIN_WORKING_DAYS,
        "working_days",
        hours=working_hours_of(dossier.competent_unit),
    )


def end_of_processing(dossier: Dossier) -> dt.datetime | None:
    """The first terminal moment, by the national priority: resolved > returned > stopped or refused."""
    return (
        dossier.resolved_at
        or dossier.returned_at
        or (dossier.ended_at if dossier.state in (State.STOPPED, State.REFUSED) else None)
    )


def _pauses(dossier: Dossier, until: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    return [
        (request.requested_at, request.completed_at or until)
        for request in dossier.supplement_requests.all()
        if request.stage == SupplementStage.PROCESSING and request.requested_at < until
    ]


@dataclass(frozen=True)
class DayCounts:
    """What staff see: the legal appointment, the statistical verdict and the working time used and left."""

    appointment_at: dt.datetime | None
    original_appointment_at: dt.datetime | None
    on_time: bool | None  # the national rule; None before reception
    working_time_used: dt.timedelta
    working_time_left: dt.timedelta


def statistical_deadline(
    dossier: Dossier, *, requested_at: dt.datetime, completed_at: dt.datetime | None
) -> dt.datetime | None:
    """The first appointment moved by a processing supplement's pause (DOMAIN.md §3; Art. 19(5)).

    The working time left when the supplement was asked (first appointment minus the working time used) runs
    again from the completion, in the competent unit's hours. None while the pause runs. The statistics store
    it per pause (cchc.stats.PauseClock) and compare in SQL; `day_counts` compares here: one rule for both.
    """
    if completed_at is None:
        return None
    received, original = dossier.received_at, dossier.original_appointment_at
    if received is None or original is None:
        return None
    hours = working_hours_of(dossier.competent_unit)
    allowed = workdays.working_time_between(received, original, hours=hours)
    used = workdays.working_time_between(received, requested_at, hours=hours)
    left = allowed - used
    if left <= dt.timedelta(0):
        return original  # already late when the supplement was asked: the pause changes nothing
    seconds = Decimal(round(left.total_seconds()))
    return workdays.due_at(completed_at, seconds / Decimal(3600), "working_hours", hours=hours)


def day_counts(dossier: Dossier, *, at: dt.datetime | None = None) -> DayCounts:
    """The national on-time rule (DOMAIN.md §3): end of processing ≤ the first appointment, moved by the
    working time of a processing supplement's pause; compared as instants, as the statistics do.

    An open dossier is measured at `at` (the end of the period; default now); one still waiting for the
    supplement is on time if the supplement was asked by the appointment. The working time used and left are
    shown to staff beside the verdict.
    """
    moment = at or timezone.now()
    original = dossier.original_appointment_at
    if dossier.received_at is None or original is None:
        return DayCounts(dossier.appointment_at, original, None, dt.timedelta(0), dt.timedelta(0))
    hours = working_hours_of(dossier.competent_unit)
    end = end_of_processing(dossier) or moment
    pauses = _pauses(dossier, end)
    used = workdays.working_time_between(dossier.received_at, end, pauses, hours=hours)
    allowed = workdays.working_time_between(dossier.received_at, original, hours=hours)
    left = max(allowed - used, dt.timedelta(0))
    deadline: dt.datetime | None = original
    for request in dossier.supplement_requests.all():
        if request.stage != SupplementStage.PROCESSING or request.requested_at >= end:
            continue
        if request.completed_at is None or request.completed_at > end:
            deadline = None  # still paused at `end`: judged by when the supplement was asked
            on_time = request.requested_at <= original
            break
        deadline = statistical_deadline(
            dossier, requested_at=request.requested_at, completed_at=request.completed_at
        )
    if deadline is not None:
        on_time = end <= deadline
    return DayCounts(dossier.appointment_at, original, on_time, used, left)
