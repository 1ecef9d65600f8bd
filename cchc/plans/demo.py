"""Demo reform plan (dữ liệu mẫu kế hoạch CCHC) for `cchc demo`: the province's plan of this year in progress,
through the real services, with the justice department's own plan derived from it. Illustrative tasks, in the
shape of the seeds' plans (Plan 683/KH-UBND An Giang 2017)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cchc.orgs.demo import demo_home_affairs
from cchc.orgs.models import Membership, Unit, UnitKind
from cchc.orgs.roles import Role
from cchc.plans import services
from cchc.plans.models import Area, Plan, TaskStatus
from cchc.workdays.calendar import TZ

# (area, code, task, lead department's identifier suffix key, month due, output)
_TASKS: tuple[tuple[str, str, str, str, int, str], ...] = (
    (Area.DIRECTION, "1", "Ban hành kế hoạch tuyên truyền cải cách hành chính năm", "noivu", 2, "Kế hoạch"),
    (Area.DIRECTION, "2", "Kiểm tra công tác cải cách hành chính tại các sở, xã", "noivu", 10, "Báo cáo kiểm tra"),
    (Area.INSTITUTIONS, "3", "Rà soát văn bản quy phạm pháp luật của tỉnh", "tuphap", 6, "Báo cáo rà soát"),
    (Area.PROCEDURES, "4", "Rà soát, đơn giản hóa thủ tục hành chính lĩnh vực tư pháp", "tuphap", 9, "Phương án đơn giản hóa"),
    (Area.PROCEDURES, "5", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "xaydung", 11, "Dữ liệu số hóa"),
    (Area.PUBLIC_FINANCE, "6", "Giao quyền tự chủ tài chính cho đơn vị sự nghiệp công lập", "taichinh", 8, "Quyết định giao"),
    (Area.DIGITAL, "7", "Kết nối hệ thống một cửa điện tử với Cổng Dịch vụ công quốc gia", "xaydung", 12, "Hệ thống kết nối"),
)  # fmt: skip


def _department(key: str, committee: Unit) -> Unit | None:
    names = {
        "noivu": "Sở Nội vụ",
        "tuphap": "Sở Tư pháp",
        "xaydung": "Sở Xây dựng",
        "taichinh": "Sở Tài chính",
    }
    return Unit.objects.filter(
        kind=UnitKind.DEPARTMENT, name__startswith=names[key], area=committee.area
    ).first()


@transaction.atomic
def demo_plans_create(*, today: dt.date | None = None) -> Plan | None:
    """This year's province plan in progress; None when it exists or the demo province is missing."""
    today = today or timezone.localdate()
    committee = Unit.objects.filter(kind=UnitKind.PROVINCE_COMMITTEE).order_by("pk").first()
    council = demo_home_affairs()
    if committee is None or council is None or Plan.objects.filter(year=today.year, unit=committee).exists():
        return None
    plan = services.plan_create(
        year=today.year, unit=committee, actor=council, number="15/KH-UBND",
        title=f"Kế hoạch cải cách hành chính năm {today.year} (dữ liệu mẫu)",
        objectives="Nâng cao chất lượng phục vụ người dân, doanh nghiệp; tỷ lệ hồ sơ đúng hạn trên 98%.",
        requirements="Các sở, ngành, địa phương xây dựng kế hoạch của đơn vị và báo cáo tiến độ hằng quý.",
    )  # fmt: skip
    for area, code, title, key, month, output in _TASKS:
        lead = _department(key, committee)
        if lead is None:
            continue
        deadline = dt.date(today.year, month, 28)
        services.task_add(plan=plan, area=area, code=code, title=title, lead_unit=lead, deadline=deadline,
                          actor=council, output=output, budget_vnd=50_000_000 if area == Area.DIGITAL else 0)  # fmt: skip
    # Progress reported by the lead departments that have demo staff, as of their deadlines.
    for task in plan.tasks.select_related("lead_unit"):
        reporter = (
            Membership.objects.filter(unit=task.lead_unit, role__in=[Role.LEADER, Role.SPECIALIST])
            .select_related("user")
            .first()
        )
        if reporter is None:
            continue
        moment = dt.datetime.combine(min(task.deadline, today), dt.time(9), tzinfo=TZ)
        if task.deadline < today and task.code != "4":
            services.task_progress(task=task, progress=100, status=TaskStatus.DONE, actor=reporter.user, at=moment,
                                   note="Đã hoàn thành (dữ liệu mẫu).")  # fmt: skip
        else:
            services.task_progress(task=task, progress=60, status=TaskStatus.IN_PROGRESS, actor=reporter.user,
                                   at=moment, note="Đang triển khai (dữ liệu mẫu).")  # fmt: skip
    justice = _department("tuphap", committee)
    leader = Membership.objects.filter(unit=justice, role=Role.LEADER).select_related("user").first()
    if justice is not None and leader is not None:
        services.plan_derive(province_plan=plan, unit=justice, actor=leader.user)
    return plan
