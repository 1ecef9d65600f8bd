"""Staff pages of the inspections (/can-bo/kiem-tra/): the year's inspections, the remedies still open (overdue
first) and the citizen reports of harassment to follow up; an inspection's page with its findings, remedies,
discipline recommendations and each party's forms. Thin views over cchc.accountability.services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cchc.accountability import selectors, services
from cchc.accountability.models import (
    DisciplineMeasure,
    DisciplineRecommendation,
    Finding,
    Inspection,
    InspectionKind,
    InspectionMode,
    InspectionState,
    Remedy,
    RemedyEvidence,
    RemedyState,
)
from cchc.accountability.services.inspections import RECORDING_STATES
from cchc.accountability.views import year_asked
from cchc.core.blobs import BlobError, stored_file_response
from cchc.feedback.models import Feedback
from cchc.orgs.access import staff_required
from cchc.orgs.models import REFORM_UNIT_KINDS, Unit
from cchc.orgs.scoping import has_role, visible_unit_ids


def _date(raw: str | None, message: str) -> dt.date:
    try:
        return dt.datetime.strptime((raw or "").strip(), "%d/%m/%Y").date()
    except ValueError as error:
        raise services.AccountabilityError(message) from error


@require_GET
@staff_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    year = year_asked(request)
    visible = selectors.inspections_visible(request.user)
    inspections = list(visible.filter(year=year).prefetch_related("units"))
    inspector = services.can_inspect(request.user)
    today = timezone.localdate()
    context: dict[str, Any] = {
        "year": year, "inspections": inspections, "inspector": inspector, "today": today,
        "remedies": selectors.remedies_open(visible, today=today, unit_ids=visible_unit_ids(request.user)),
        "kinds": InspectionKind.choices, "modes": InspectionMode.choices,
        "units": Unit.objects.filter(kind__in=REFORM_UNIT_KINDS).order_by("name") if inspector else [],
        "reports": list(selectors.harassment_reports(year=year)) if inspector else [],
    }  # fmt: skip
    if inspector:
        prompted = Inspection.objects.filter(feedback__in=context["reports"]).values_list("feedback_id", "pk")
        context["prompted"] = dict(prompted)
    return render(request, "accountability/inspections.html", context)


def _inspector_only(request: HttpRequest) -> None:
    """Home Affairs' steps: refused before the form is read, so a refusal says nothing about its content."""
    if not services.can_inspect(request.user):
        raise PermissionDenied


@require_POST
@staff_required
def inspection_create(request: HttpRequest) -> HttpResponse:
    _inspector_only(request)
    year = year_asked(request)
    back = f"{reverse('accountability-inspections')}?nam={year}"
    feedback = None
    if request.POST.get("phan_anh"):
        feedback = Feedback.objects.filter(code=request.POST["phan_anh"]).select_related("unit").first()
    units = list(Unit.objects.filter(pk__in=request.POST.getlist("don_vi"), kind__in=REFORM_UNIT_KINDS))
    if feedback is not None and not units:
        units = [feedback.unit]
    try:
        inspection = services.inspection_plan(
            year=year, kind=request.POST.get("loai", ""), mode=request.POST.get("hinh_thuc", ""),
            title=request.POST.get("noi_dung", ""), team_leader=request.POST.get("truong_doan", ""),
            team_members=request.POST.get("thanh_vien", ""), decision_number=request.POST.get("so_quyet_dinh", ""),
            units=units, feedback=feedback, actor=request.user,
            scheduled_on=_date(request.POST.get("ngay_du_kien"), _("Ngày dự kiến phải có dạng dd/mm/yyyy.")),
        )  # fmt: skip
    except services.AccountabilityError as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(back, status=303)
    return HttpResponseRedirect(reverse("accountability-inspection", args=[inspection.pk]), status=303)


def _inspection(request: HttpRequest, inspection_id: int) -> Inspection:
    inspection = selectors.inspections_visible(request.user).filter(pk=inspection_id).first()
    if inspection is None:
        raise Http404(_("Không tìm thấy cuộc kiểm tra."))
    return inspection


def _page(
    request: HttpRequest, inspection: Inspection, *, error: str = "", status: int = 200
) -> HttpResponse:
    user = request.user
    units = list(inspection.units.order_by("name"))
    inspector = services.can_inspect(user)
    own = {unit.pk for unit in units if any(has_role(user, role, unit) for role in services.UNIT_STAFF)}
    # A unit sees what was found at it, not at the other units inspected with it.
    shown = inspection.findings.all() if inspector else inspection.findings.filter(unit_id__in=own)
    findings = list(
        shown.select_related("unit")
        .prefetch_related("remedies__evidence_files", "discipline")
        .order_by("unit__name", "pk")
    )
    context = {
        "inspection": inspection, "units": units, "findings": findings, "error": error,
        "inspector": inspector, "recording": inspection.state in RECORDING_STATES,
        "own_units": own,
        "measures": DisciplineMeasure.choices, "today": timezone.localdate(),
        "states": InspectionState, "remedy_states": RemedyState,
    }  # fmt: skip
    return render(request, "accountability/inspection.html", context, status=status)


@require_GET
@staff_required
def inspection_page(request: HttpRequest, inspection_id: int) -> HttpResponse:
    return _page(request, _inspection(request, inspection_id))


def _act(request: HttpRequest, inspection: Inspection, step: Callable[[], Any], done: str) -> HttpResponse:
    """Run `step` as one transaction: a report whose file is refused is not recorded without it."""
    try:
        with transaction.atomic():
            step()
    except services.AccountabilityError as error:
        return _page(request, inspection, error=str(error), status=error.status)
    except BlobError as error:
        return _page(request, inspection, error=str(error), status=400)
    messages.success(request, done)
    return HttpResponseRedirect(reverse("accountability-inspection", args=[inspection.pk]), status=303)


@require_POST
@staff_required
def inspection_conduct(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = _inspection(request, inspection_id)
    _inspector_only(request)
    return _act(request, inspection, lambda: services.inspection_conduct(
        inspection=inspection, actor=request.user,
        conducted_on=_date(request.POST.get("ngay_kiem_tra"), _("Ngày kiểm tra phải có dạng dd/mm/yyyy.")),
    ), _("Đã ghi nhận việc kiểm tra."))  # fmt: skip


@require_POST
@staff_required
def finding_create(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = _inspection(request, inspection_id)
    _inspector_only(request)
    unit = inspection.units.filter(pk=request.POST.get("don_vi") or 0).first()

    def step() -> None:
        if unit is None:
            raise services.AccountabilityError(_("Chọn đơn vị được kiểm tra."))
        services.finding_add(inspection=inspection, unit=unit, text=request.POST.get("phat_hien", ""),
                             actor=request.user)  # fmt: skip

    return _act(request, inspection, step, _("Đã ghi nhận phát hiện."))


def _finding(inspection: Inspection, finding_id: int) -> Finding:
    return get_object_or_404(Finding, pk=finding_id, inspection=inspection)


@require_POST
@staff_required
def remedy_create(request: HttpRequest, inspection_id: int, finding_id: int) -> HttpResponse:
    inspection = _inspection(request, inspection_id)
    _inspector_only(request)
    finding = _finding(inspection, finding_id)
    return _act(request, inspection, lambda: services.remedy_require(
        finding=finding, text=request.POST.get("yeu_cau", ""), actor=request.user,
        deadline=_date(request.POST.get("thoi_han"), _("Thời hạn phải có dạng dd/mm/yyyy.")),
    ), _("Đã thêm yêu cầu khắc phục."))  # fmt: skip


@require_POST
@staff_required
def discipline_create(request: HttpRequest, inspection_id: int, finding_id: int) -> HttpResponse:
    inspection = _inspection(request, inspection_id)
    _inspector_only(request)
    finding = _finding(inspection, finding_id)
    return _act(request, inspection, lambda: services.discipline_recommend(
        finding=finding, official_name=request.POST.get("ho_ten", ""),
        official_position=request.POST.get("chuc_vu", ""), measure=request.POST.get("hinh_thuc", ""),
        reason=request.POST.get("ly_do", ""), actor=request.user,
    ), _("Đã ghi kiến nghị xử lý kỷ luật."))  # fmt: skip


@require_POST
@staff_required
def discipline_decide(request: HttpRequest, inspection_id: int, recommendation_id: int) -> HttpResponse:
    inspection = _inspection(request, inspection_id)
    _inspector_only(request)
    recommendation = get_object_or_404(
        DisciplineRecommendation, pk=recommendation_id, finding__inspection=inspection
    )
    return _act(request, inspection, lambda: services.discipline_decide(
        recommendation=recommendation, decision=request.POST.get("ket_qua", ""), actor=request.user,
        decided_on=_date(request.POST.get("ngay_quyet_dinh"), _("Ngày quyết định phải có dạng dd/mm/yyyy.")),
    ), _("Đã ghi kết quả xử lý."))  # fmt: skip


@require_POST
@staff_required
def inspection_conclude(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = _inspection(request, inspection_id)
    _inspector_only(request)
    return _act(request, inspection, lambda: services.inspection_conclude(
        inspection=inspection, conclusion=request.POST.get("ket_luan", ""), actor=request.user,
    ), _("Đã ban hành kết luận kiểm tra."))  # fmt: skip


def _remedy(inspection: Inspection, remedy_id: int) -> Remedy:
    return get_object_or_404(Remedy, pk=remedy_id, finding__inspection=inspection)


@require_POST
@staff_required
def remedy_report(request: HttpRequest, inspection_id: int, remedy_id: int) -> HttpResponse:
    inspection = _inspection(request, inspection_id)
    remedy = _remedy(inspection, remedy_id)
    if not any(has_role(request.user, role, remedy.finding.unit) for role in services.UNIT_STAFF):
        raise PermissionDenied
    upload = request.FILES.get("tep")

    def step() -> None:
        services.remedy_report(remedy=remedy, report=request.POST.get("bao_cao", ""), actor=request.user)
        if upload is not None:
            services.remedy_evidence_add(
                remedy=remedy, upload=upload, name=upload.name or "", actor=request.user
            )

    return _act(request, inspection, step, _("Đã gửi báo cáo khắc phục."))


@require_POST
@staff_required
def remedy_review(request: HttpRequest, inspection_id: int, remedy_id: int) -> HttpResponse:
    inspection = _inspection(request, inspection_id)
    _inspector_only(request)
    remedy = _remedy(inspection, remedy_id)
    verdict = request.POST.get("ket_qua", "")

    def step() -> None:
        if verdict not in {"chap_nhan", "tra_lai"}:
            raise services.AccountabilityError(_("Chọn chấp nhận hoặc trả lại."))
        services.remedy_review(remedy=remedy, accept=verdict == "chap_nhan", note=request.POST.get("y_kien", ""),
                               actor=request.user)  # fmt: skip

    return _act(request, inspection, step, _("Đã xem xét báo cáo khắc phục."))


@require_GET
@staff_required
def remedy_file(request: HttpRequest, inspection_id: int, file_id: int) -> HttpResponse:
    inspection = _inspection(request, inspection_id)
    record = get_object_or_404(RemedyEvidence, pk=file_id, remedy__finding__inspection=inspection)
    if not services.can_inspect(request.user) and not any(
        has_role(request.user, role, record.remedy.finding.unit) for role in services.UNIT_STAFF
    ):
        raise Http404(_("Không có tệp này."))
    return stored_file_response(record)
