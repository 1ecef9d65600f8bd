"""Demo data of cchc.accountability for `cchc demo`, through the real services: this year's commitments of the
departments with demo staff, an inspection and an initiative. Each head commits to the seeds' usual targets (on time ≥ 98%, online
payment ≥ 60%) and to one duty Home Affairs judges; one department leaves its commitment unsigned, so the
accountability list has both kinds of entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cchc.accountability import services
from cchc.accountability.models import Commitment, Inspection, InspectionKind, InspectionMode, RewardProposal
from cchc.orgs.demo import demo_home_affairs
from cchc.orgs.models import Membership, Unit, UnitKind
from cchc.orgs.roles import Role
from cchc.plans.models import Area
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
    council = demo_home_affairs()
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


@transaction.atomic
def demo_inspections_create(*, today: dt.date | None = None) -> Inspection | None:
    """This year's demo inspection of two departments, concluded, one remedy closed and one still open; and an
    initiative registered by the first department's specialist. None when there are inspections already."""
    today = today or timezone.localdate()
    council = demo_home_affairs()
    staffed = list(
        Unit.objects.filter(kind=UnitKind.DEPARTMENT, memberships__role=Role.LEADER)
        .distinct()
        .order_by("name")[:2]
    )
    if council is None or not staffed or Inspection.objects.exists():
        return None
    conducted = max(dt.date(today.year, 1, 2), today - dt.timedelta(days=60))
    moment = dt.datetime.combine(conducted, dt.time(15), tzinfo=TZ)
    inspection = services.inspection_plan(
        year=today.year, kind=InspectionKind.REFORM, mode=InspectionMode.PLANNED, units=staffed,
        title=f"Kiểm tra công tác cải cách hành chính năm {today.year} (dữ liệu mẫu)", team_leader="Phó Giám đốc Sở Nội vụ",
        team_members="Trưởng phòng Cải cách hành chính\nChuyên viên Thanh tra Sở", decision_number="25/QĐ-SNV",
        scheduled_on=conducted, actor=council,
    )  # fmt: skip
    services.inspection_conduct(inspection=inspection, conducted_on=conducted, actor=council)
    first = services.finding_add(inspection=inspection, unit=staffed[0], actor=council, at=moment,
                                 text="Chưa niêm yết đầy đủ thủ tục hành chính tại Bộ phận Một cửa (dữ liệu mẫu).")  # fmt: skip
    services.remedy_require(finding=first, text="Niêm yết đầy đủ, đúng quy định các thủ tục hành chính.",
                            deadline=conducted + dt.timedelta(days=30), actor=council)  # fmt: skip
    services.remedy_require(finding=first, text="Tập huấn cho công chức Bộ phận Một cửa.",
                            deadline=conducted + dt.timedelta(days=90), actor=council)  # fmt: skip
    if len(staffed) > 1:
        services.finding_add(inspection=inspection, unit=staffed[1], actor=council, at=moment,
                             text="Thực hiện tốt việc số hóa hồ sơ (dữ liệu mẫu).")  # fmt: skip
    services.inspection_conclude(inspection=inspection, actor=council, at=moment + dt.timedelta(days=3),
                                 conclusion="Các đơn vị cơ bản thực hiện tốt; khắc phục tồn tại đúng thời hạn.")  # fmt: skip
    leader = Membership.objects.filter(unit=staffed[0], role=Role.LEADER).select_related("user").first()
    first_remedy = first.remedies.order_by("deadline").first()
    if leader is not None and first_remedy is not None:
        reported = min(timezone.now(), moment + dt.timedelta(days=20))
        services.remedy_report(remedy=first_remedy, report="Đã niêm yết đầy đủ (dữ liệu mẫu).",
                               actor=leader.user, at=reported)  # fmt: skip
        services.remedy_review(remedy=first_remedy, accept=True, actor=council, at=reported)
        services.initiative_submit(
            unit=staffed[0], title="Phiếu hướng dẫn hồ sơ bằng mã QR (dữ liệu mẫu)", authors="Chuyên viên của sở",
            area=Area.PROCEDURES, summary="Mỗi thủ tục có một mã QR dẫn tới hướng dẫn thành phần hồ sơ.",
            benefit="Giảm hồ sơ phải bổ sung.", actor=leader.user, at=moment,
        )  # fmt: skip
    inspection.refresh_from_db()
    return inspection


def demo_proposals_create(*, today: dt.date | None = None) -> list[RewardProposal]:
    """Last year's proposals drafted from its published PAR Index (the demo publishes last year's), undecided."""
    today = today or timezone.localdate()
    council = demo_home_affairs()
    if council is None or RewardProposal.objects.exists():
        return []
    units = list(
        Unit.objects.filter(kind__in=[UnitKind.DEPARTMENT, UnitKind.COMMUNE_COMMITTEE]).order_by("name")
    )
    return services.proposals_draft(year=today.year - 1, units=units, actor=council)
