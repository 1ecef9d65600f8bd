"""Demo commitments (dữ liệu mẫu cam kết) for `cchc demo`: this year's commitments of the departments with demo
staff, through the real services. Each head commits to the seeds' usual targets (on time ≥ 98%, online
payment ≥ 60%) and to one duty Home Affairs judges; one department leaves its commitment unsigned, so the
accountability list has both kinds of entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cchc.accountability import services
from cchc.accountability.models import Commitment
from cchc.orgs.models import Membership, Unit, UnitKind
from cchc.orgs.roles import Role
from cchc.workdays.calendar import TZ

_ITEMS: tuple[tuple[str, str, str, Decimal | None], ...] = (
    ("1", "Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn đạt từ 98% trở lên", "on_time_rate", Decimal(98)),
    ("2", "Tỷ lệ hồ sơ có phí được thanh toán trực tuyến đạt từ 60% trở lên", "online_payment_share", Decimal(60)),
    ("3", "Tỷ lệ hồ sơ tiếp nhận trực tuyến đạt từ 50% trở lên", "online_share", Decimal(50)),
    ("4", "Không để xảy ra hành vi nhũng nhiễu, gây phiền hà cho người dân, doanh nghiệp", "", None),
)  # fmt: skip


@transaction.atomic
def demo_commitments_create(*, today: dt.date | None = None) -> list[Commitment]:
    """This year's commitments of the departments whose leaders are demo users; [] when they exist."""
    today = today or timezone.localdate()
    council = get_user_model().objects.filter(memberships__role=Role.HOME_AFFAIRS).order_by("pk").first()
    if council is None or Commitment.objects.filter(year=today.year).exists():
        return []
    leaders = (
        Membership.objects.filter(role=Role.LEADER, unit__kind=UnitKind.DEPARTMENT)
        .select_related("user", "unit")
        .order_by("unit__name")
    )
    made: list[Commitment] = []
    seen: set[int] = set()
    for membership in leaders:
        unit: Unit = membership.unit
        if unit.pk in seen:
            continue
        seen.add(unit.pk)
        commitment = services.commitment_create(year=today.year, unit=unit, actor=council)
        for code, text, metric, target in _ITEMS:
            services.commitment_item_add(commitment=commitment, code=code, text=text, metric=metric, target=target,
                                         actor=council)  # fmt: skip
        if made:  # the first stays unsigned
            signed_at = dt.datetime(today.year, 1, 15, 9, tzinfo=TZ)
            commitment = services.commitment_sign(commitment=commitment, actor=membership.user, at=signed_at)
            item = commitment.items.get(code="4")
            services.commitment_item_judge(item=item, met=True, actor=council, note="Không có phản ánh (dữ liệu mẫu).",
                                           at=min(timezone.now(), signed_at + dt.timedelta(days=300)))  # fmt: skip
        made.append(commitment)
    return made
