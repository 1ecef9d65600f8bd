"""Reads of the citizen portal: a citizen's own dossiers, and rating figures for the statistics."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cchc.citizens.access import is_citizen
from cchc.citizens.selectors import citizen_profile_of
from cchc.dossiers.models import Dossier, Party, PartyRole, Rating, RatingLevel
from cchc.feedback.figures import dossiers_with_complaint
from cchc.portal.access import tracked_dossiers
from cchc.portal.models import Evaluation
from cchc.portal.rules import EvaluationGrade

UnitField = Literal["competent_unit", "receiving_unit"]


def _own_q(user: Any) -> Q:
    """The citizen's dossiers: those submitted from the account (Dossier.citizen) and, once the identity is
    verified (VNeID, cchc.citizens), every dossier whose applicant carries the same ID number, counter ones too.
    A typed, unverified ID number shows nothing more: anyone could type someone else's."""
    own = Q(citizen_id=user.pk)
    profile = citizen_profile_of(user)
    if profile is not None and profile.identity_verified and profile.id_number:
        applicant_of = Party.objects.filter(role=PartyRole.APPLICANT, id_number=profile.id_number)
        own |= Q(pk__in=applicant_of.values("dossier_id"))
    return own


def citizen_dossiers(user: Any) -> QuerySet[Dossier]:
    """The citizen's dossiers (see _own_q), newest first; none for staff."""
    if not is_citizen(user):
        return Dossier.objects.none()
    return (
        Dossier.objects.filter(_own_q(user))
        .select_related("procedure_version", "receiving_unit")
        .order_by("-created_at", "-pk")
    )


def citizen_dossier(user: Any, code: str) -> Dossier | None:
    """One of the citizen's own dossiers by code, ready for the tracking page; None when it is not theirs."""
    if not is_citizen(user):
        return None
    return tracked_dossiers().filter(_own_q(user), code=code).first()


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


def dissatisfied_dossier_ids(*, unit_ids: Collection[int], start: dt.date, end: dt.date) -> set[int]:
    """The 766 index's "dossiers with a complaint or dislike" (DOMAIN.md §6, satisfaction): dossiers of the units
    rated not satisfied, or with a complaint received, from `start` to `end` (both days included), each counted
    once however many ratings and complaints it has."""
    disliked = ratings_summary(unit_ids=unit_ids, start=start, end=end).not_satisfied_dossier_ids
    return set(disliked) | dossiers_with_complaint(unit_ids=unit_ids, start=start, end=end)


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
