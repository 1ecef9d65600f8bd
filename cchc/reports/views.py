"""Staff pages of the periodic reports (/can-bo/bao-cao/): the period's reports and who has submitted, a report's
page (narrative, typed figures, the figures the platform fills, submission), and the DOCX and XLSX exports.
Thin views over cchc.reports.services and selectors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cchc.orgs.access import staff_required
from cchc.orgs.models import REFORM_UNIT_KINDS, Unit, UnitKind
from cchc.orgs.roles import Role
from cchc.orgs.scoping import has_role
from cchc.reports import export, figures, selectors, services
from cchc.reports.models import Report, ReportStatus
from cchc.reports.outline import OUTLINE
from cchc.reports.periods import ReportKind, current_period, report_period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _period_asked(request: HttpRequest) -> tuple[int, str]:
    default = current_period(timezone.localdate())
    kind = request.GET.get("ky") or request.POST.get("ky") or default.kind
    try:
        year = int(request.GET.get("nam") or request.POST.get("nam") or default.year)
    except ValueError:
        year = default.year
    if kind not in ReportKind.values:
        kind = default.kind
    if not 2000 <= year <= timezone.localdate().year + 1:
        year = default.year
    return year, kind


def _writable_units(user: Any) -> list[Unit]:
    """The units whose report the user may create: their own units', and the province's for Home Affairs."""
    candidates = Unit.objects.filter(kind__in=[*REFORM_UNIT_KINDS, UnitKind.PROVINCE_COMMITTEE])
    return [unit for unit in candidates.order_by("name") if services.can_write(user, unit)]


@require_GET
@staff_required
def report_list(request: HttpRequest) -> HttpResponse:
    year, kind = _period_asked(request)
    period = report_period(kind, year)
    user = request.user
    mine = list(selectors.reports_visible(user).filter(year=year, kind=kind))
    taken = {report.unit_id for report in mine}
    context: dict[str, Any] = {
        "period": period, "year": year, "kind": kind, "kinds": ReportKind.choices, "reports": mine,
        "creatable": [unit for unit in _writable_units(user) if unit.pk not in taken],
        "states": {report.pk: selectors.submission_state(report, period) for report in mine},
        "labels": selectors.SUBMISSION_LABELS,
    }  # fmt: skip
    if has_role(user, Role.HOME_AFFAIRS):
        rows = selectors.submissions(year, kind, list(selectors.reporting_units()))
        context["submissions"] = rows
        context["missing"] = [row for row in rows if row.state in (selectors.Submission.MISSING,
                                                                   selectors.Submission.DRAFT)]  # fmt: skip
    return render(request, "reports/list.html", context)


def _int(raw: str | None) -> int:
    try:
        return int((raw or "").strip())
    except ValueError:
        return 0


@require_POST
@staff_required
def report_create(request: HttpRequest) -> HttpResponse:
    year, kind = _period_asked(request)
    unit = next((u for u in _writable_units(request.user) if u.pk == _int(request.POST.get("don_vi"))), None)
    if unit is None:
        raise Http404(_("Không tìm thấy đơn vị."))
    try:
        report = services.report_create(unit=unit, year=year, kind=kind, actor=request.user)
    except services.ReportError as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(f"{reverse('reports-list')}?nam={year}&ky={kind}", status=303)
    return HttpResponseRedirect(reverse("reports-report", args=[report.pk]), status=303)


def _report(request: HttpRequest, report_id: int) -> Report:
    report = selectors.reports_visible(request.user).filter(pk=report_id).first()
    if report is None:
        raise Http404(_("Không tìm thấy báo cáo."))
    return report


def _page(request: HttpRequest, report: Report, *, error: str = "", status: int = 200,
          typed: dict[str, str] | None = None, written: dict[str, str] | None = None) -> HttpResponse:  # fmt: skip
    """The report's page; after a refused save, what was typed (`typed` figures, `written` sections) is shown
    again as typed, so nothing is lost."""
    period = selectors.period_of(report)
    values = selectors.report_values(report)
    province = selectors.is_province(report)
    level = figures.PROVINCE if province else figures.UNIT
    shown = figures.figures_of(level)
    editable = report.status == ReportStatus.DRAFT and services.can_write(request.user, report.unit)
    manual = typed if typed is not None else {key: str(value) for key, value in report.manual.items()}
    sections = [
        {
            "section": part,
            "text": (written or report.narrative).get(part.code, ""),
            "figures": [
                {"figure": f, "value": export.format_value(values.get(f.key), f.kind),
                 "typed": manual.get(f.key, "")}
                for f in shown if f.section == part.code
            ],
        }
        for part in OUTLINE
    ]  # fmt: skip
    automatic, total = figures.auto_share(level)
    context: dict[str, Any] = {
        "report": report, "period": period, "sections": sections, "error": error, "editable": editable,
        "can_submit": report.status == ReportStatus.DRAFT and services.can_submit(request.user, report.unit),
        "state_label": selectors.SUBMISSION_LABELS[selectors.submission_state(report, period)],
        "auto": automatic, "total": total, "share": f"{100 * automatic / total:.1f}".replace(".", ","),
        "province": province,
    }  # fmt: skip
    if province:
        included = (
            list(report.included.select_related("unit").order_by("unit__name"))
            if report.status == ReportStatus.SUBMITTED
            else list(selectors.submitted_unit_reports(report.year, report.kind))
        )
        context["included"] = included
        context["missing"] = [
            row for row in selectors.submissions(report.year, report.kind, list(selectors.reporting_units()))
            if row.unit.pk not in {r.unit_id for r in included}
        ]  # fmt: skip
    return render(request, "reports/report.html", context, status=status)


@require_GET
@staff_required
def report_page(request: HttpRequest, report_id: int) -> HttpResponse:
    return _page(request, _report(request, report_id))


@require_POST
@staff_required
def report_save(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    if not services.can_write(request.user, report.unit):
        raise PermissionDenied  # before reading the form
    typed = {key: request.POST.get(f"so_lieu_{key}", "") for key in figures.MANUAL}
    written = {part.code: request.POST.get(f"muc_{part.code}", "") for part in OUTLINE}
    try:
        services.report_save(
            report=report, actor=request.user, narrative=written,
            manual=services.parse_manual(typed),
            number=request.POST.get("so_ky_hieu", ""), signer_title=request.POST.get("chuc_vu", ""),
            signer_name=request.POST.get("nguoi_ky", ""), recipients=request.POST.get("noi_nhan", ""),
        )  # fmt: skip
    except services.ReportError as error:
        # Shown again as typed (this copy is not saved).
        report.number, report.signer_title = (
            request.POST.get("so_ky_hieu", ""),
            request.POST.get("chuc_vu", ""),
        )
        report.signer_name, report.recipients = (
            request.POST.get("nguoi_ky", ""),
            request.POST.get("noi_nhan", ""),
        )
        return _page(request, report, error=str(error), status=error.status, typed=typed, written=written)
    messages.success(request, _("Đã lưu báo cáo."))
    return HttpResponseRedirect(reverse("reports-report", args=[report.pk]), status=303)


@require_POST
@staff_required
def report_submit(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    try:
        services.report_submit(report=report, actor=request.user)
    except services.ReportError as error:
        return _page(request, report, error=str(error), status=error.status)
    messages.success(request, _("Đã gửi báo cáo."))
    return HttpResponseRedirect(reverse("reports-report", args=[report.pk]), status=303)


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@staff_required
def report_docx(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    content = export.report_docx(report, selectors.report_values(report))
    return _download(content, DOCX, f"bao-cao-cchc-{report.kind}-{report.year}-{report.unit_id}.docx")


@require_GET
@staff_required
def report_xlsx(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    content = export.report_xlsx(report, selectors.report_values(report))
    return _download(content, XLSX, f"phu-luc-bao-cao-cchc-{report.kind}-{report.year}-{report.unit_id}.xlsx")
