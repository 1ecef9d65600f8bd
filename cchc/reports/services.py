"""Writes of the periodic reports: one service per step, each checking who may take it.

- A unit's report is its own staff's to create and write (leader, specialist, unit administrator); only its
  leader submits it, which stands for signing. The province's report is Home Affairs'.
- A report is submitted once its data period is over (a quarter I report not before 15 March), so no figure is
  frozen half-counted; submission after the due date is accepted and counted late (DOMAIN.md §8).
- Submission freezes every figure; a submitted report no longer changes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.orgs.models import REFORM_UNIT_KINDS, Unit, UnitKind
from cchc.orgs.roles import UNIT_STAFF, Role
from cchc.orgs.scoping import has_role
from cchc.reports import figures
from cchc.reports.models import Report, ReportStatus
from cchc.reports.outline import SECTION_CODES
from cchc.reports.periods import ReportKind, report_period
from cchc.reports.selectors import province_values
from cchc.stats.rules import period_bounds

MAX_TEXT = 20_000
MAX_FIGURE = 10**15


class ReportError(Exception):
    """A step refused (Vietnamese message); `status` is the HTTP answer a view gives."""

    status = 422


class ReportForbidden(ReportError):
    status = 403


def can_write(actor: Any, unit: Unit) -> bool:
    if unit.kind == UnitKind.PROVINCE_COMMITTEE:
        return has_role(actor, Role.HOME_AFFAIRS)
    return any(has_role(actor, role, unit) for role in UNIT_STAFF)


def can_submit(actor: Any, unit: Unit) -> bool:
    if unit.kind == UnitKind.PROVINCE_COMMITTEE:
        return has_role(actor, Role.HOME_AFFAIRS)
    return has_role(actor, Role.LEADER, unit)


def _may_write(actor: Any, unit: Unit) -> None:
    if not can_write(actor, unit):
        raise ReportForbidden(_("Bạn không được soạn báo cáo của %(unit)s.") % {"unit": unit.name})


@transaction.atomic
def report_create(*, unit: Unit, year: int, kind: str, actor: Any) -> Report:
    if kind not in ReportKind.values:
        raise ReportError(_("Kỳ báo cáo không hợp lệ."))
    if unit.kind not in (*REFORM_UNIT_KINDS, UnitKind.PROVINCE_COMMITTEE):
        raise ReportError(_("Đơn vị này không lập báo cáo CCHC định kỳ."))
    _may_write(actor, unit)
    if Report.objects.filter(unit=unit, year=year, kind=kind).exists():
        raise ReportError(_("%(unit)s đã có báo cáo %(period)s.") % {
            "unit": unit.name, "period": report_period(kind, year).label})  # fmt: skip
    return Report.objects.create(unit=unit, year=year, kind=kind)


def parse_manual(raw: dict[str, str]) -> dict[str, int]:
    """The typed figures (whole numbers ≥ 0; blank: not given), with the first bad one named."""
    values: dict[str, int] = {}
    for key in figures.MANUAL:
        text = (raw.get(key) or "").strip().replace(".", "").replace(" ", "")
        if not text:
            continue
        if not text.isdigit() or int(text) > MAX_FIGURE:
            raise ReportError(
                _("“%(label)s” phải là số nguyên không âm.") % {"label": figures.BY_KEY[key].label}
            )
        values[key] = int(text)
    return values


@transaction.atomic
def report_save(
    *,
    report: Report,
    actor: Any,
    narrative: dict[str, str],
    manual: dict[str, int],
    number: str = "",
    signer_title: str = "",
    signer_name: str = "",
    recipients: str = "",
) -> Report:
    """The draft's narrative, typed figures and signature block."""
    report = Report.objects.select_for_update().select_related("unit").get(pk=report.pk)
    _may_write(actor, report.unit)
    if report.status != ReportStatus.DRAFT:
        raise ReportError(_("Báo cáo đã gửi, không sửa được."))
    unknown = set(narrative) - SECTION_CODES
    if unknown or set(manual) - set(figures.MANUAL):
        raise ReportError(_("Mục báo cáo không hợp lệ."))
    if any(len(text) > MAX_TEXT for text in narrative.values()) or len(recipients) > MAX_TEXT:
        raise ReportError(_("Mỗi mục không quá %(n)s ký tự.") % {"n": f"{MAX_TEXT:,}".replace(",", ".")})
    for name, value, limit in (("number", number, 60), ("signer_title", signer_title, 120),
                               ("signer_name", signer_name, 120)):  # fmt: skip
        if len(value.strip()) > limit:
            raise ReportError(_("Số ký hiệu, chức vụ hoặc tên người ký quá dài."))
        setattr(report, name, value.strip())
    report.narrative = {code: text.strip() for code, text in narrative.items() if text.strip()}
    report.manual = dict(manual)
    report.recipients = recipients.strip()
    report.save()
    return report


@transaction.atomic
def report_submit(*, report: Report, actor: Any, at: dt.datetime | None = None) -> Report:
    """Submit (gửi báo cáo): every figure frozen as read at `at`; the province's sums the units' reports
    submitted by then, which it keeps."""
    moment = at or timezone.now()
    report = Report.objects.select_for_update().select_related("unit").get(pk=report.pk)
    if not can_submit(actor, report.unit):
        raise ReportForbidden(_("Chỉ lãnh đạo đơn vị (Sở Nội vụ với báo cáo của tỉnh) gửi báo cáo."))
    if report.status != ReportStatus.DRAFT:
        raise ReportError(_("Báo cáo đã gửi."))
    period = report_period(report.kind, report.year)
    if moment < period_bounds(period.start, period.end)[1]:
        raise ReportError(
            _("Kỳ báo cáo kết thúc ngày %(end)s: gửi báo cáo từ ngày hôm sau.")
            % {"end": period.end.strftime("%d/%m/%Y")}
        )
    if not report.signer_name:
        raise ReportError(_("Cần tên người ký báo cáo."))
    if report.unit.kind == UnitKind.PROVINCE_COMMITTEE:
        values, included = province_values(report.year, report.kind, now=moment)
        report.included.set(included)
    else:
        values = figures.unit_figures(report.unit, period, manual=report.manual, now=moment)
    report.figures = figures.freeze(values)
    report.status, report.submitted_at, report.submitted_by = ReportStatus.SUBMITTED, moment, actor
    report.save()
    return report
