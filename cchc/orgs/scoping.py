"""Who may see which units (phạm vi dữ liệu theo đơn vị): the one permission helper every app uses.

Rules:
- an anonymous or inactive user sees nothing;
- a superuser, and a holder of a province-wide role (Sở Nội vụ, province administrator), sees every unit;
- anybody else sees the units where they hold a membership valid today (Asia/Ho_Chi_Minh), and those
  units' descendants (a department's branches, a commune committee's centre).

Every page and endpoint starts from `units_visible_to(user)` or filters with `unit_scope_q(user, field=…)`
(STYLE.md: reads are already scoped). The user's valid memberships are read once and kept on the user
object for the rest of the request; descendants are found by one recursive query inside the filter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from cchc.orgs.models import Membership, Unit
from cchc.orgs.roles import PROVINCE_WIDE_ROLES

_CACHE_ATTRIBUTE = "_cchc_memberships"


@dataclass(frozen=True)
class _Grant:
    role: str
    unit_id: int


def _today() -> dt.date:
    # localdate() uses settings.TIME_ZONE, Asia/Ho_Chi_Minh: a membership ending on 30/06 still counts
    # at 23:30 that evening in Vietnam, although it is already 01/07 nowhere but UTC+7.
    return timezone.localdate()


def valid_memberships_q(*, day: dt.date, prefix: str = "") -> Q:
    """Memberships valid on `day` (open-ended at either side when the date is empty)."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


def _grants(user: Any) -> frozenset[_Grant]:
    """The user's (role, unit) pairs valid today: one query, then kept on the user object."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return frozenset()
    cached: tuple[dt.date, frozenset[_Grant]] | None = getattr(user, _CACHE_ATTRIBUTE, None)
    today = _today()
    if cached is not None and cached[0] == today:
        return cached[1]
    rows = Membership.objects.filter(valid_memberships_q(day=today), user_id=user.pk).values_list(
        "role", "unit_id"
    )
    grants = frozenset(_Grant(role, unit_id) for role, unit_id in rows)
    setattr(user, _CACHE_ATTRIBUTE, (today, grants))
    return grants


def forget_memberships(user: Any) -> None:
    """Drop the per-request copy of the user's memberships (after granting or ending one)."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def roles_of(user: Any) -> set[str]:
    """The roles the user holds today, in any unit."""
    return {grant.role for grant in _grants(user)}


def _sees_everything(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return bool(user.is_superuser) or bool(roles_of(user) & PROVINCE_WIDE_ROLES)


def _subtree_sql(unit_ids: list[int]) -> RawSQL:
    """The ids of these units and of all their descendants, as one recursive sub-query.

    WITH RECURSIVE runs the same on SQLite and PostgreSQL; UNION (not UNION ALL) stops on a cycle.
    """
    table = Unit._meta.db_table
    placeholders = ", ".join(["%s"] * len(unit_ids))
    sql = (
        f"WITH RECURSIVE scope(id) AS ("  # noqa: S608 - table name from the model, values are parameters
        f"SELECT id FROM {table} WHERE id IN ({placeholders}) "
        f"UNION SELECT child.id FROM {table} child JOIN scope ON child.parent_id = scope.id"
        f") SELECT id FROM scope"
    )
    return RawSQL(sql, tuple(unit_ids))  # noqa: S611 - ids are bound parameters, never interpolated


def unit_scope_q(user: Any, *, field: str = "unit") -> Q:
    """A filter for any model with a foreign key to Unit at `field`, keeping the rows `user` may see.

    Example: `Dossier.objects.filter(unit_scope_q(user, field="competent_unit"))`.
    For `Unit` itself, pass `field="pk"`, or use `units_visible_to`.
    """
    if _sees_everything(user):
        return Q()
    unit_ids = sorted({grant.unit_id for grant in _grants(user)})
    if not unit_ids:
        # `pk__in=[]` is known to match nothing, so Django does not even send the query.
        return Q(pk__in=[])
    return Q(**{f"{field}__in": _subtree_sql(unit_ids)})


_UNIT_IDS_ATTRIBUTE = "_cchc_unit_ids"


def visible_unit_ids(user: Any) -> list[int] | None:
    """The ids of the units `user` may see, as a plain list (None: every unit), kept on the user object.

    A literal list lets the database use its indexes on unit columns, where the recursive subquery of
    unit_scope_q makes it filter row by row; use it on large tables (dossier worklists).
    """
    if _sees_everything(user):
        return None
    grants = _grants(user)
    cached: tuple[frozenset[_Grant], list[int]] | None = getattr(user, _UNIT_IDS_ATTRIBUTE, None)
    if cached is not None and cached[0] is grants:
        return cached[1]
    unit_ids = sorted({grant.unit_id for grant in grants})
    ids = (
        list(Unit.objects.filter(pk__in=_subtree_sql(unit_ids)).values_list("pk", flat=True))
        if unit_ids
        else []
    )
    setattr(user, _UNIT_IDS_ATTRIBUTE, (grants, ids))
    return ids


def units_visible_to(user: Any) -> QuerySet[Unit]:
    """The units `user` may see (see the module's rules)."""
    return Unit.objects.filter(unit_scope_q(user, field="pk"))


def has_role(user: Any, role: str, unit: Unit | None = None) -> bool:
    """Whether `user` holds `role` today, anywhere (`unit` None) or for `unit`.

    A role held in a unit also applies to its descendants. A province-wide role applies to every unit.
    A superuser holds every role.
    """
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if user.is_superuser:
        return True
    units_with_role = sorted({grant.unit_id for grant in _grants(user) if grant.role == role})
    if not units_with_role:
        return False
    if unit is None or role in PROVINCE_WIDE_ROLES or unit.pk in units_with_role:
        return True
    return Unit.objects.filter(pk=unit.pk).filter(pk__in=_subtree_sql(units_with_role)).exists()
