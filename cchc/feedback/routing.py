"""Where feedback goes and who may read or handle it (định tuyến, phân quyền phản ánh).

- A feedback about a dossier goes to the dossier's competent unit; about a unit, to that unit; about a
  procedure, to the unit the sender picked or else to the feedback office: the unit whose electronic identifier
  is settings.CCHC_FEEDBACK_UNIT, else the Office of the provincial People's Committee (Văn phòng UBND tỉnh,
  which receives feedback on administrative regulations under Decree 20/2008/NĐ-CP as amended by Decree
  92/2017/NĐ-CP; verify), else the provincial People's Committee.
- A harassment report (nhũng nhiễu, vòi vĩnh) goes to the unit's head and to Home Affairs (DOMAIN.md §5). The
  Home Affairs department is the unit whose identifier is settings.CCHC_HOME_AFFAIRS_UNIT, else the active
  department named "Sở Nội vụ …" (the name is fixed by Decree 150/2025/NĐ-CP). It is read by the leaders of its
  unit or of a unit above, by holders of the province-wide Home Affairs role, by the leaders of the Home Affairs
  department, and by superusers; nobody else, not even other staff of the unit.
- A normal feedback is read by anyone whose unit scope covers its unit (cchc.orgs.scoping), and handled by the
  roles of cchc.feedback.lifecycle.STAFF_ROLES in its unit.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone

from cchc.citizens import access as citizen_access
from cchc.core.folding import fold
from cchc.feedback.lifecycle import STAFF_ROLES, Action
from cchc.feedback.models import Feedback
from cchc.orgs.models import Membership, Unit, UnitKind
from cchc.orgs.roles import Role
from cchc.orgs.scoping import has_role, roles_of, valid_memberships_q
from cchc.orgs.selectors import agencies_active

HOME_AFFAIRS_NAME = "so noi vu"  # fold("Sở Nội vụ")
FEEDBACK_OFFICE_NAME = "van phong uy ban nhan dan"  # fold("Văn phòng Ủy ban nhân dân")


def _by_identifier(setting: str) -> Unit | None:
    identifier = str(getattr(settings, setting, "") or "").strip()
    if not identifier:
        return None
    return agencies_active().filter(identifier=identifier).first()


def _department_named(prefix: str) -> Unit | None:
    for unit in agencies_active(kind=UnitKind.DEPARTMENT):
        if fold(unit.name).startswith(prefix):
            return unit
    return None


def home_affairs_unit() -> Unit | None:
    """The province's Home Affairs department (Sở Nội vụ), by setting or by name; None when there is none."""
    return _by_identifier("CCHC_HOME_AFFAIRS_UNIT") or _department_named(HOME_AFFAIRS_NAME)


def feedback_office() -> Unit | None:
    """The unit that receives feedback not aimed at a unit (see the module docstring); None when none exists."""
    return (
        _by_identifier("CCHC_FEEDBACK_UNIT")
        or _department_named(FEEDBACK_OFFICE_NAME)
        or agencies_active(kind=UnitKind.PROVINCE_COMMITTEE).first()
    )


def _active_staff(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def is_citizen(user: Any) -> bool:
    """A signed-in citizen (cchc.citizens.access.is_citizen): recorded as the sender of feedback."""
    return citizen_access.is_citizen(user)


def reads_all_confidential(user: Any) -> bool:
    """Home Affairs: superusers, holders of the Home Affairs role, leaders of the Home Affairs department."""
    if not _active_staff(user):
        return False
    if user.is_superuser or Role.HOME_AFFAIRS in roles_of(user):
        return True
    if Role.LEADER not in roles_of(user):
        return False
    home_affairs = home_affairs_unit()
    return home_affairs is not None and has_role(user, Role.LEADER, home_affairs)


def can_handle(user: Any, feedback: Feedback, action: Action) -> bool:
    """Whether `user` may take the staff `action` on this feedback (the table is checked elsewhere)."""
    roles = STAFF_ROLES.get(action)
    if roles is None or not _active_staff(user):
        return False
    if feedback.confidential:
        return has_role(user, Role.LEADER, feedback.unit) or reads_all_confidential(user)
    return any(has_role(user, role, feedback.unit) for role in roles)


def _units_up(unit: Unit) -> list[int]:
    """The unit and the units above it (its head's unit may be a parent), nearest first."""
    ids: list[int] = []
    current: Unit | None = unit
    while current is not None and current.pk not in ids:
        ids.append(current.pk)
        current = current.parent
    return ids


def confidential_recipients(unit: Unit) -> list[tuple[str, str]]:
    """(address, name) of those told of a harassment report about `unit`: its leaders (or, when it has none,
    the leaders of the nearest unit above), the Home Affairs department's leaders, and Home Affairs role holders.
    """
    from django.contrib.auth import get_user_model

    day = timezone.localdate()
    valid = Membership.objects.filter(valid_memberships_q(day=day))
    user_ids: list[int] = []
    for unit_id in _units_up(unit):
        leaders = list(valid.filter(unit_id=unit_id, role=Role.LEADER).values_list("user_id", flat=True))
        if leaders:
            user_ids.extend(leaders)
            break
    home_affairs = home_affairs_unit()
    if home_affairs is not None:
        user_ids.extend(valid.filter(unit=home_affairs, role=Role.LEADER).values_list("user_id", flat=True))
    user_ids.extend(valid.filter(role=Role.HOME_AFFAIRS).values_list("user_id", flat=True))
    found: dict[str, str] = {}
    for user in get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("pk"):
        address = (user.email or "").strip()
        if address and address not in found:
            found[address] = user.get_full_name() or user.get_username()
    return list(found.items())
