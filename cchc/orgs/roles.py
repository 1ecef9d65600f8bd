"""Staff roles (vai trò cán bộ). One user may hold several roles in several units."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RECEPTION_OFFICER = "reception_officer", _("Cán bộ tiếp nhận")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    LEADER = "leader", _("Lãnh đạo")
    UNIT_ADMIN = "unit_admin", _("Quản trị đơn vị")
    HOME_AFFAIRS = "home_affairs", _("Cán bộ Sở Nội vụ")
    PROVINCE_ADMIN = "province_admin", _("Quản trị cấp tỉnh")


# A unit's own staff (cán bộ của đơn vị): who write its plan progress, commitments, reports and evidence.
UNIT_STAFF: tuple[str, ...] = (Role.LEADER, Role.SPECIALIST, Role.UNIT_ADMIN)

# Roles whose holders see every unit of the province, not only their own.
PROVINCE_WIDE_ROLES: frozenset[str] = frozenset({Role.HOME_AFFAIRS, Role.PROVINCE_ADMIN})
