"""Demo reports (dữ liệu mẫu báo cáo) for `cchc demo`: the last period that has ended, reported by the
departments with demo leaders (all but one, so the province sees a missing report) through the real services,
submitted two days before the due date; and the province's report of that period as a draft for Home Affairs."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cchc.orgs.demo import demo_home_affairs
from cchc.orgs.models import Membership, Unit, UnitKind
from cchc.orgs.roles import Role
from cchc.reports import services
from cchc.reports.models import Report
from cchc.reports.periods import ReportKind, ReportPeriod, report_period
from cchc.workdays.calendar import TZ

_NARRATIVE = {
    "I": "Đơn vị đã ban hành Kế hoạch cải cách hành chính năm và triển khai đến các phòng chuyên môn (dữ liệu mẫu).",
    "II.2": "Công khai đầy đủ thủ tục hành chính tại Bộ phận Một cửa và trên Cổng Dịch vụ công (dữ liệu mẫu).",
    "III": "Tỷ lệ hồ sơ đúng hạn còn thấp ở một số lĩnh vực; nguyên nhân chủ yếu do hồ sơ liên thông (dữ liệu mẫu).",
}


def last_ended_period(today: dt.date) -> ReportPeriod:
    periods = [
        report_period(kind, year) for year in (today.year - 1, today.year) for kind in ReportKind.values
    ]
    return max((period for period in periods if period.end < today), key=lambda period: period.end)


@transaction.atomic
def demo_reports_create(*, today: dt.date | None = None) -> list[Report]:
    """The reports of the last ended period; [] when there are reports already or no demo province."""
    today = today or timezone.localdate()
    council = demo_home_affairs()
    committee = Unit.objects.filter(kind=UnitKind.PROVINCE_COMMITTEE).order_by("pk").first()
    if council is None or committee is None or Report.objects.exists():
        return []
    period = last_ended_period(today)
    submitted_at = min(
        dt.datetime.combine(period.due - dt.timedelta(days=2), dt.time(9), tzinfo=TZ), timezone.now()
    )
    leaders = (
        Membership.objects.filter(role=Role.LEADER, unit__kind=UnitKind.DEPARTMENT)
        .select_related("user", "unit")
        .order_by("unit__name")
    )
    made: list[Report] = []
    seen: set[int] = set()
    for membership in leaders:
        if membership.unit_id in seen:
            continue
        seen.add(membership.unit_id)
        if len(seen) == 1:
            continue  # the first department has not reported yet
        report = services.report_create(unit=membership.unit, year=period.year, kind=period.kind,
                                        actor=membership.user)  # fmt: skip
        services.report_save(
            report=report, actor=membership.user, narrative=_NARRATIVE,
            manual={"inspections": 1, "publicity_events": 3, "legal_documents": 2, "officials_trained": 40,
                    "budget_spent_vnd": 150_000_000},
            number=f"{10 + len(made)}/BC", signer_title="Giám đốc",
            signer_name=membership.user.get_full_name() or membership.user.username,
            recipients="Sở Nội vụ;\nLưu: VT.",
        )  # fmt: skip
        made.append(services.report_submit(report=report, actor=membership.user, at=submitted_at))
    made.append(services.report_create(unit=committee, year=period.year, kind=period.kind, actor=council))
    return made
