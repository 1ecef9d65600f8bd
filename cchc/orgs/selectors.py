"""Reads of administrative units and agencies shared by the API, pages and other apps.

Administrative units and the list of agencies are public information, so these reads are not scoped to a
user; staff-only reads start from cchc.orgs.scoping.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from cchc.core.folding import fold_terms
from cchc.orgs.models import AdministrativeUnit, Generation, Unit
from cchc.workdays.calendar import WorkingHours
from cchc.workdays.models import default_working_hours


def administrative_units_filter(
    *, generation: str, level: str | None = None, province: int | None = None, q: str | None = None
) -> QuerySet[AdministrativeUnit]:
    """Units of one generation, by level, province code and accent-free name search (tìm không dấu)."""
    queryset = AdministrativeUnit.objects.filter(generation=generation)
    if level:
        queryset = queryset.filter(level=level)
    if province is not None:
        queryset = queryset.filter(province_code=province)
    for term in fold_terms(q or ""):
        queryset = queryset.filter(name_folded__contains=term)
    return queryset.select_related("parent").order_by("level", "code")


def administrative_unit_get(*, generation: str, level: str, code: int) -> AdministrativeUnit | None:
    return (
        AdministrativeUnit.objects.select_related("parent")
        .filter(generation=generation, level=level, code=code)
        .first()
    )


def agencies_active(
    *, province: int | None = None, kind: str | None = None, day: dt.date | None = None
) -> QuerySet[Unit]:
    """Agencies in force on `day` (today in Vietnam by default), optionally of one current province."""
    day = day or timezone.localdate()
    queryset = Unit.objects.filter(
        (Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    )
    if province is not None:
        queryset = queryset.filter(area__province_code=province, area__generation=Generation.CURRENT)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.select_related("area", "parent").order_by("kind", "identifier", "name", "pk")


def working_hours_of(unit: Unit) -> WorkingHours:
    """A unit's office hours (giờ làm việc): its own schedule, or the installation's default."""
    schedule = unit.working_schedule
    return schedule.as_working_hours() if schedule is not None else default_working_hours()


def staff_of(unit: Unit) -> QuerySet[Any]:
    """Active staff with a handling role in `unit` today (for assignment lists)."""
    from django.contrib.auth import get_user_model

    from cchc.orgs.models import Membership
    from cchc.orgs.roles import Role
    from cchc.orgs.scoping import valid_memberships_q

    memberships = Membership.objects.filter(
        valid_memberships_q(day=timezone.localdate()),
        unit=unit,
        role__in=[Role.SPECIALIST, Role.LEADER, Role.RECEPTION_OFFICER],
    )
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=memberships.values("user_id"))
        .order_by("last_name", "first_name", "username")
    )
