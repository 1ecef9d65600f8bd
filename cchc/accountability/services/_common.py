"""What every accountability service shares: its errors and the roles of a unit's staff."""

from __future__ import annotations

from cchc.orgs.roles import Role

UNIT_STAFF = (Role.LEADER, Role.SPECIALIST, Role.UNIT_ADMIN)


class AccountabilityError(Exception):
    """A step refused (Vietnamese message); `status` is the HTTP answer a view gives."""

    status = 422


class AccountabilityForbidden(AccountabilityError):
    status = 403
