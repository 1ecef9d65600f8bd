"""Feedback figures for the Decision 766/QĐ-TTg service index, satisfaction group (DOMAIN.md §6).

The index's components this feeds (the scoring itself, with its weights, belongs to the stats app):
- "feedback (PAKN) handled on time", 6·r, or 6 when there is no feedback: r = `FeedbackFigures.on_time_rate`;
- "satisfaction with feedback handling", 6·r, or 6 when there is no feedback: r = `satisfaction_rate`;
- "satisfaction with receiving and handling dossiers": 1 − (late rate + rate of dossiers with a complaint or a
  dislike). `dossiers_with_complaint` gives the complaint half; the dislike half is the dossier ratings
  ("không hài lòng"), which the dossiers app holds.

Readings made here (verify against the national portal's rules):
- The period counts the feedback *received* in it, [start 00:00, end 24:00) in Asia/Ho_Chi_Minh, and judges
  each as it stood at the end of the period (or now, when the period has not ended).
- On time, as for dossiers ("done, plus in progress within the limit"): refused by its refusal limit, or
  answered by its answer limit; or still open at the end with the answer not yet due, or waiting for the
  sender's addition (no limit runs then). Publication is measured apart (`published_on_time`).
- Satisfied = "rất hài lòng" or "hài lòng", among the feedback rated by the end.
- A complaint about a dossier is a feedback of kind complaint or harassment (not a proposal, kiến nghị),
  about that dossier, received in the period and not refused: a refused one was not accepted as valid
  feedback, and counting it would let anyone lower a unit's score with unfounded reports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from cchc.dossiers.models import RatingLevel
from cchc.feedback.models import COMPLAINT_KINDS, Feedback, State
from cchc.workdays.calendar import TZ

SATISFIED_LEVELS: frozenset[str] = frozenset({RatingLevel.VERY_SATISFIED, RatingLevel.SATISFIED})


@dataclass(frozen=True)
class FeedbackFigures:
    """Counts over the feedback received in a period, judged at its end (see the module docstring)."""

    received: int = 0
    handled: int = 0  # refused or answered by the end
    handled_on_time: int = 0  # ... each within its limit
    open_within_limit: int = 0  # not handled by the end, answer not yet due (or waiting for the sender)
    open_late: int = 0  # not handled by the end, answer overdue
    published: int = 0  # published by the end
    published_on_time: int = 0  # ... within 2 working days of the answer
    rated: int = 0  # answers rated by the sender by the end
    satisfied: int = 0  # ... "rất hài lòng" or "hài lòng"

    @property
    def on_time(self) -> int:
        return self.handled_on_time + self.open_within_limit

    @property
    def on_time_rate(self) -> Decimal | None:
        """Share handled on time (0–1); None without feedback (the 766 component then scores its maximum)."""
        return Decimal(self.on_time) / Decimal(self.received) if self.received else None

    @property
    def satisfaction_rate(self) -> Decimal | None:
        """Share of ratings that are satisfied (0–1); None when nothing was rated."""
        return Decimal(self.satisfied) / Decimal(self.rated) if self.rated else None


def _period(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    if end < start:
        raise ValueError("Ngày kết thúc kỳ phải sau ngày bắt đầu.")
    return (
        dt.datetime.combine(start, dt.time(0), tzinfo=TZ),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=TZ),
    )


def _received_in(unit_ids: Collection[int] | None, start: dt.date, end: dt.date) -> QuerySet[Feedback]:
    first, after = _period(start, end)
    queryset = Feedback.objects.filter(received_at__gte=first, received_at__lt=after)
    if unit_ids is not None:
        queryset = queryset.filter(unit_id__in=list(unit_ids))
    return queryset


def feedback_figures(
    *, unit_ids: Collection[int] | None, start: dt.date, end: dt.date, now: dt.datetime | None = None
) -> FeedbackFigures:
    """The figures of the feedback received from `start` to `end` (both included) by the units `unit_ids`
    (None: every unit), judged at the end of `end` or at `now` if sooner. Not scoped to a user: callers are
    statistics, which are public per unit."""
    _first, after = _period(start, end)
    moment = min(after, now or timezone.now())
    counts = dict.fromkeys(FeedbackFigures.__dataclass_fields__, 0)
    rows = _received_in(unit_ids, start, end).values_list(
        "state",
        "refused_at",
        "refuse_due_at",
        "answered_at",
        "answer_due_at",
        "published_at",
        "publish_due_at",
        "rated_at",
        "rating",
    )
    for (
        state,
        refused,
        refuse_due,
        answered,
        answer_due,
        published,
        publish_due,
        rated,
        rating,
    ) in rows.iterator():
        counts["received"] += 1
        if refused is not None and refused <= moment:
            counts["handled"] += 1
            counts["handled_on_time"] += refused <= refuse_due
        elif answered is not None and answered <= moment:
            counts["handled"] += 1
            counts["handled_on_time"] += answered <= answer_due
        elif state == State.MORE_REQUESTED or answer_due >= moment:
            counts["open_within_limit"] += 1
        else:
            counts["open_late"] += 1
        if published is not None and published <= moment:
            counts["published"] += 1
            counts["published_on_time"] += publish_due is not None and published <= publish_due
        if rated is not None and rated <= moment:
            counts["rated"] += 1
            counts["satisfied"] += rating in SATISFIED_LEVELS
    return FeedbackFigures(**counts)


def dossiers_with_complaint(*, unit_ids: Collection[int] | None, start: dt.date, end: dt.date) -> set[int]:
    """Ids of the dossiers with a complaint received from `start` to `end` (both included), by the feedback's
    unit (the dossier's competent unit); see the module docstring for what counts."""
    return set(
        _received_in(unit_ids, start, end)
        .filter(dossier__isnull=False, kind__in=COMPLAINT_KINDS)
        .exclude(state=State.REFUSED)
        .values_list("dossier_id", flat=True)
    )
