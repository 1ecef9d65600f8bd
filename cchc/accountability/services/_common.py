"""What every accountability service shares: its errors, and the roles of a unit's staff (cchc.orgs.roles)."""

from __future__ import annotations

from cchc.orgs.roles import UNIT_STAFF

__all__ = ["UNIT_STAFF", "AccountabilityError", "AccountabilityForbidden"]


class AccountabilityError(Exception):
    """A step refused (Vietnamese message); `status` is the HTTP answer a view gives."""

    status = 422


class AccountabilityForbidden(AccountabilityError):
    status = 403
