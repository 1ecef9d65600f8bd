"""Reads of the citizen portal: a citizen's own dossiers, and rating figures for the statistics."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cchc.dossiers.models import Dossier, Rating, RatingLevel
from cchc.orgs.models import Membership
from cchc.portal.access import tracked_dossiers
from cchc.portal.models import Evaluation
from cchc.portal.rules import EvaluationGrade

UnitField = Literal["competent_unit", "receiving_unit"]


def is_citizen(user: Any) -> bool:
    """A signed-in, active account that is not staff: no membership in any unit, no admin access."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if user.is_staff or user.is_superuser:
        return False
    return not Membership.objects.filter(user_id=user.pk).exists()


def citizen_dossiers(user: Any) -> QuerySet[Dossier]:
    """The dossiers the citizen submitted through the portal (Dossier.citizen), newest first; none for staff."""
    if not is_citizen(user):
        return Dossier.objects.none()
    return (
        Dossier.objects.filter(citizen_id=user.pk)
        .select_related("procedure_version", "receiving_unit")
        .order_by("-created_at", "-pk")
    )


def citizen_dossier(user: Any, code: str) -> Dossier | None:
    """One of the citizen's own dossiers by code, ready for the tracking page; None when it is not theirs."""
    if not is_citizen(user):
        return None
    return tracked_dossiers().filter(citizen_id=user.pk, code=code).first()


def _moment(value: dt.date | dt.datetime, *, end: bool) -> dt.datetime:
    """A datetime as given (it must carry its time zone); a date as the start of that local day, or for `end`
    the start of the next one, so a period given in dates includes its last day."""
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            raise ValueError("Thời điểm phải có múi giờ.")
        return value
    day = value + dt.timedelta(days=1) if end else value
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _unit_q(unit_ids: Iterable[int], unit_field: UnitField) -> Q:
    if unit_field not in ("competent_unit", "receiving_unit"):
        raise ValueError(unit_field)
    return Q(**{f"dossier__{unit_field}_id__in": list(unit_ids)})


@dataclass(frozen=True)
class RatingsSummary:
    """Ratings given in a period: the count of each level (every level present), and the not-satisfied ones."""

    counts: dict[str, int]
    total: int
    not_satisfied_dossier_ids: list[int]


def ratings_summary(
    *,
    unit_ids: Iterable[int],
    start: dt.date | dt.datetime,
    end: dt.date | dt.datetime,
    unit_field: UnitField = "competent_unit",
) -> RatingsSummary:
    """Ratings of the units' dossiers given from `start` (included) to `end` (excluded; a date is included).

    The unit is the competent (handling) agency by default, the one the 766 index scores; `unit_field`
    "receiving_unit" counts them for the one-stop unit instead.
    """
    ratings = Rating.objects.filter(
        _unit_q(unit_ids, unit_field),
        rated_at__gte=_moment(start, end=False),
        rated_at__lt=_moment(end, end=True),
    )
    counts = dict.fromkeys(RatingLevel.values, 0)
    for row in ratings.values("level").annotate(n=Count("pk")).order_by():
        counts[row["level"]] = row["n"]
    not_satisfied = list(
        ratings.filter(level=RatingLevel.NOT_SATISFIED)
        .order_by("dossier_id")
        .values_list("dossier_id", flat=True)
    )
    return RatingsSummary(counts=counts, total=sum(counts.values()), not_satisfied_dossier_ids=not_satisfied)


@dataclass(frozen=True)
class EvaluationsSummary:
    """Evaluations given in a period: the count of each grade (every grade present)."""

    counts: dict[str, int]
    total: int


def evaluations_summary(
    *,
    unit_ids: Iterable[int],
    start: dt.date | dt.datetime,
    end: dt.date | dt.datetime,
    unit_field: UnitField = "competent_unit",
) -> EvaluationsSummary:
    """Evaluations of the units' dossiers given in the period, counted by grade (same period rule as ratings)."""
    rows = (
        Evaluation.objects.filter(
            _unit_q(unit_ids, unit_field),
            evaluated_at__gte=_moment(start, end=False),
            evaluated_at__lt=_moment(end, end=True),
        )
        .values("grade")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = dict.fromkeys(EvaluationGrade.values, 0)
    for row in rows:
        counts[row["grade"]] = row["n"]
    return EvaluationsSummary(counts=counts, total=sum(counts.values()))
