"""Staff pages of the reform plans (/can-bo/ke-hoach/): the plans, a plan's tasks with their progress by area and
by unit (charts with their tables), progress reports by the lead unit, new tasks by the plan's editors, and a
unit's plan derived from the province's. Thin views over cchc.plans.services and selectors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cchc.core.blobs import BlobError, stored_file_response
from cchc.dashboards.charts import Point, bar_chart
from cchc.orgs.access import staff_required
from cchc.orgs.models import Unit, UnitKind
from cchc.orgs.roles import UNIT_STAFF
from cchc.orgs.scoping import has_role, visible_unit_ids
from cchc.plans import services
from cchc.plans.models import Area, Plan, Task, TaskEvidence, TaskStatus
from cchc.plans.selectors import Progress, plan_progress


def _visible_plans(user: Any) -> QuerySet[Plan]:
    """Home Affairs and province-wide roles see every plan; others the province's and their units' plans."""
    ids = visible_unit_ids(user)
    plans = Plan.objects.select_related("unit").order_by("-year", "unit__name")
    if ids is None:
        return plans
    return plans.filter(Q(unit__kind=UnitKind.PROVINCE_COMMITTEE) | Q(unit_id__in=ids))


@require_GET
@staff_required
def plan_list(request: HttpRequest) -> HttpResponse:
    return render(request, "plans/list.html", {"plans": _visible_plans(request.user)})


def _plan(request: HttpRequest, plan_id: int) -> Plan:
    plan = _visible_plans(request.user).filter(pk=plan_id).first()
    if plan is None:
        raise Http404(_("Không tìm thấy kế hoạch."))
    return plan


def _progress_chart(title: str, groups: list[Progress], chart_id: str) -> str:
    """Mean progress per group as bars (the table that follows the chart gives the same figures)."""
    points = [
        Point(group.label, float(group.mean_progress), f"{group.mean_progress}%".replace(".", ","))
        for group in groups
    ]
    return bar_chart(title=title, points=points, maximum=100.0, chart_id=chart_id)


def _plan_page(request: HttpRequest, plan: Plan, *, error: str = "", status: int = 200) -> HttpResponse:
    today = timezone.localdate()
    areas, units, total = plan_progress(plan, today=today)
    tasks = list(
        plan.tasks.select_related("lead_unit")
        .prefetch_related("coordinating_units", "evidence_files")
        .order_by("code")
    )
    user = request.user
    reportable = {
        task.pk for task in tasks
        if any(has_role(user, role, task.lead_unit) for role in UNIT_STAFF)
    }  # fmt: skip
    own_units = [
        unit for unit in Unit.objects.filter(kind=UnitKind.DEPARTMENT).order_by("name")
        if any(has_role(user, role, unit) for role in services.PLAN_EDITORS)
    ] if plan.unit.kind == UnitKind.PROVINCE_COMMITTEE else []  # fmt: skip
    can_edit = services.can_edit_plan(user, plan.unit)
    chart = _progress_chart(_("Tiến độ bình quân theo nội dung (%)"), areas, "plan-areas")
    unit_chart = _progress_chart(_("Tiến độ bình quân theo cơ quan chủ trì (%)"), units, "plan-units")
    context = {
        "plan": plan, "tasks": tasks, "areas": areas, "units": units, "total": total, "chart": chart,
        "unit_chart": unit_chart,
        "reportable": reportable, "statuses": TaskStatus.choices, "area_choices": Area.choices,
        "can_edit": can_edit, "derive_units": own_units, "error": error, "today": today,
        "lead_units": Unit.objects.filter(kind__in=[UnitKind.DEPARTMENT, UnitKind.COMMUNE_COMMITTEE]).order_by("name")
        if can_edit else [],
    }  # fmt: skip
    return render(request, "plans/plan.html", context, status=status)


@require_GET
@staff_required
def plan_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _plan_page(request, _plan(request, plan_id))


def _lead_unit_only(request: HttpRequest, task: Task) -> None:
    """The lead unit's staff report on a task; others are refused before the form is read."""
    if not any(has_role(request.user, role, task.lead_unit) for role in UNIT_STAFF):
        raise PermissionDenied


def _int(raw: str | None, message: str) -> int:
    try:
        return int((raw or "").strip())
    except ValueError as error:
        raise services.PlanError(message) from error


@require_POST
@staff_required
def task_report(request: HttpRequest, plan_id: int, task_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    task = get_object_or_404(Task.objects.select_related("lead_unit"), pk=task_id, plan=plan)
    _lead_unit_only(request, task)
    try:
        services.task_progress(
            task=task,
            progress=_int(request.POST.get("tien_do"), _("Tiến độ phải là số phần trăm.")),
            status=request.POST.get("trang_thai", ""),
            note=request.POST.get("ghi_chu", ""),
            actor=request.user,
        )
    except services.PlanError as error:
        return _plan_page(request, plan, error=str(error), status=error.status)
    messages.success(request, _("Đã cập nhật tiến độ nhiệm vụ %(code)s.") % {"code": task.code})
    return HttpResponseRedirect(reverse("plans-plan", args=[plan.pk]), status=303)


@require_POST
@staff_required
def task_evidence_upload(request: HttpRequest, plan_id: int, task_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    task = get_object_or_404(Task.objects.select_related("lead_unit"), pk=task_id, plan=plan)
    _lead_unit_only(request, task)
    upload = request.FILES.get("tep")
    if upload is None:
        return _plan_page(request, plan, error=_("Chọn một tệp PDF, JPG hoặc PNG."), status=400)
    try:
        services.task_evidence_add(task=task, upload=upload, name=upload.name or "", actor=request.user)
    except services.PlanError as error:
        return _plan_page(request, plan, error=str(error), status=error.status)
    except BlobError as error:
        return _plan_page(request, plan, error=str(error), status=400)
    messages.success(
        request, _("Đã đính kèm tài liệu kiểm chứng cho nhiệm vụ %(code)s.") % {"code": task.code}
    )
    return HttpResponseRedirect(reverse("plans-plan", args=[plan.pk]), status=303)


@require_GET
@staff_required
def task_evidence_file(request: HttpRequest, plan_id: int, file_id: int) -> HttpResponse:
    """A task's evidence file, for whoever may see the plan; checked against its SHA-256."""
    plan = _plan(request, plan_id)
    return stored_file_response(get_object_or_404(TaskEvidence, pk=file_id, task__plan=plan))


@require_POST
@staff_required
def task_create(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    if not services.can_edit_plan(request.user, plan.unit):
        raise PermissionDenied  # before reading the form
    try:
        lead = Unit.objects.filter(pk=_int(request.POST.get("chu_tri"), _("Chọn cơ quan chủ trì."))).first()
        if lead is None:
            raise services.PlanError(_("Chọn cơ quan chủ trì."))
        try:
            deadline = dt.datetime.strptime(request.POST.get("thoi_han", "").strip(), "%d/%m/%Y").date()
        except ValueError as error:
            raise services.PlanError(_("Thời hạn phải có dạng dd/mm/yyyy.")) from error
        services.task_add(
            plan=plan,
            area=request.POST.get("noi_dung", ""),
            code=request.POST.get("so", ""),
            title=request.POST.get("nhiem_vu", ""),
            lead_unit=lead,
            deadline=deadline,
            output=request.POST.get("san_pham", ""),
            budget_vnd=_int(request.POST.get("kinh_phi") or "0", _("Kinh phí phải là số đồng.")),
            actor=request.user,
        )
    except services.PlanError as error:
        return _plan_page(request, plan, error=str(error), status=error.status)
    messages.success(request, _("Đã thêm nhiệm vụ."))
    return HttpResponseRedirect(reverse("plans-plan", args=[plan.pk]), status=303)


@require_POST
@staff_required
def plan_derive(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    unit = get_object_or_404(Unit, pk=request.POST.get("don_vi") or 0)
    try:
        derived = services.plan_derive(province_plan=plan, unit=unit, actor=request.user)
    except services.PlanError as error:
        return _plan_page(request, plan, error=str(error), status=error.status)
    messages.success(request, _("Đã lập kế hoạch của %(unit)s từ kế hoạch của tỉnh.") % {"unit": unit.name})
    return HttpResponseRedirect(reverse("plans-plan", args=[derived.pk]), status=303)
