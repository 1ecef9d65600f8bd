"""Reads of the periodic reports: a report's figures (frozen once submitted, live while a draft), the province's
consolidation of the units' submitted reports, and who submitted on time, late or not at all."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.orgs.models import REFORM_UNIT_KINDS, Unit, UnitKind
from cchc.orgs.scoping import visible_unit_ids
from cchc.reports import figures
from cchc.reports.models import Report, ReportStatus
from cchc.reports.periods import ReportPeriod, periods_due, report_period
from cchc.serviceindex.selectors import index_compute


def reporting_units() -> QuerySet[Unit]:
    return Unit.objects.filter(kind__in=REFORM_UNIT_KINDS).order_by("name")


def period_of(report: Report) -> ReportPeriod:
    return report_period(report.kind, report.year)


def is_province(report: Report) -> bool:
    return report.unit.kind == UnitKind.PROVINCE_COMMITTEE


def submitted_unit_reports(year: int, kind: str) -> QuerySet[Report]:
    return (
        Report.objects.filter(
            year=year, kind=kind, status=ReportStatus.SUBMITTED, unit__kind__in=REFORM_UNIT_KINDS
        )
        .select_related("unit")
        .order_by("unit__name")
    )


def province_values(
    year: int, kind: str, *, now: dt.datetime | None = None
) -> tuple[dict[str, Any], list[Report]]:
    """The province's figures: the sums of the units' submitted reports, the province's own 766 points (every
    scored unit pooled), the PAR Index bands of the reporting units and the inspections it held."""
    period = report_period(kind, year)
    included = list(submitted_unit_reports(year, kind))
    values = figures.consolidate(figures.thaw(report.figures) for report in included)
    values["index766"] = index_compute(unit=None, start=period.start, end=period.end, now=now).total
    values.update(figures.par_bands(period, reporting_units()))
    values.update(figures.province_accountability(period))
    return values, included


def report_values(report: Report, *, now: dt.datetime | None = None) -> dict[str, Any]:
    if report.status == ReportStatus.SUBMITTED:
        return figures.thaw(report.figures)
    if is_province(report):
        return province_values(report.year, report.kind, now=now)[0]
    return figures.unit_figures(report.unit, period_of(report), manual=report.manual, now=now)


class Submission:
    ON_TIME = "on_time"
    LATE = "late"
    DRAFT = "draft"
    MISSING = "missing"


SUBMISSION_LABELS = {
    Submission.ON_TIME: _("Đã gửi đúng hạn"),
    Submission.LATE: _("Gửi muộn"),
    Submission.DRAFT: _("Đang soạn"),
    Submission.MISSING: _("Chưa có báo cáo"),
}


def submission_state(report: Report | None, period: ReportPeriod) -> str:
    if report is None:
        return Submission.MISSING
    if report.status != ReportStatus.SUBMITTED or report.submitted_at is None:
        return Submission.DRAFT
    on_time = timezone.localdate(report.submitted_at) <= period.due
    return Submission.ON_TIME if on_time else Submission.LATE


@dataclass(frozen=True)
class UnitSubmission:
    unit: Unit
    report: Report | None
    state: str

    @property
    def state_label(self) -> str:
        return str(SUBMISSION_LABELS[self.state])


def submissions(year: int, kind: str, units: list[Unit]) -> list[UnitSubmission]:
    """Each unit's report of the kind and year, and whether it came on time, late, or not yet."""
    period = report_period(kind, year)
    reports = {
        report.unit_id: report
        for report in Report.objects.filter(year=year, kind=kind, unit__in=units).select_related("unit")
    }
    return [
        UnitSubmission(unit, reports.get(unit.pk), submission_state(reports.get(unit.pk), period))
        for unit in units
    ]


def reports_visible(user: Any) -> QuerySet[Report]:
    """Home Affairs and province-wide roles see every report; a unit's staff see their units' reports."""
    ids = visible_unit_ids(user)
    reports = Report.objects.select_related("unit").order_by("-year", "unit__name")
    return reports if ids is None else reports.filter(unit_id__in=ids)


def reports_on_time(unit_ids: list[int], *, year: int, until: dt.date) -> dict[int, tuple[int, int]]:
    """Per unit: (the year's reports due by `until`, of them submitted by their due date). A report not submitted
    is due all the same: late and missing reports count against the unit."""
    due = periods_due(year, until)
    result = {unit_id: (len(due), 0) for unit_id in unit_ids}
    if not due:
        return result
    by_kind = {period.kind: period for period in due}
    for unit_id, kind, submitted_at in Report.objects.filter(
        unit_id__in=unit_ids, year=year, kind__in=list(by_kind), status=ReportStatus.SUBMITTED
    ).values_list("unit_id", "kind", "submitted_at"):
        if submitted_at is not None and timezone.localdate(submitted_at) <= by_kind[kind].due:
            total, on_time = result[unit_id]
            result[unit_id] = (total, on_time + 1)
    return result
