"""Staff pages of the PAR Index (/can-bo/chi-so-cchc/): the assessments, a unit's scoring page, the ranking.

Thin views: reads from cchc.parindex.selectors, every change through cchc.parindex.workflow. A refused step
shows the unit's page again with the reason and the step's status (403, 422); a done step redirects (303).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
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

from cchc.core.blobs import BlobError, stored_file_response
from cchc.dashboards.charts import Point, bar_chart
from cchc.orgs.access import staff_required
from cchc.orgs.models import Unit, UnitKind
from cchc.orgs.roles import Role
from cchc.orgs.scoping import has_role
from cchc.parindex import workflow
from cchc.parindex.exchange import ReadFailed, read, write_json, write_xlsx
from cchc.parindex.export import summary_workbook
from cchc.parindex.models import (
    UNIT_ROLES,
    Assessment,
    AssessmentState,
    Audience,
    CriteriaSet,
    Criterion,
    Evidence,
    Method,
    Score,
    UnitAssessment,
    UnitState,
)
from cchc.parindex.scorecard import scorecard_pdf
from cchc.parindex.selectors import (
    automatic_scores,
    criteria_set_totals,
    ranking,
    unit_assessments_visible,
)
from cchc.parindex.services import ImportRejected, criteria_set_import
from cchc.parindex.survey import answers_import, questionnaire_import
from cchc.parindex.workflow import WorkflowError


class _BadInput(WorkflowError):
    status = 400


def _points(raw: str | None) -> Decimal:
    try:
        value = Decimal((raw or "").strip().replace(",", "."))
    except InvalidOperation as error:
        raise _BadInput(_("Điểm phải là một số, ví dụ 3,5.")) from error
    if not value.is_finite():
        raise _BadInput(_("Điểm phải là một số, ví dụ 3,5."))
    return value


@require_GET
@staff_required
def assessment_list(request: HttpRequest) -> HttpResponse:
    is_home_affairs = has_role(request.user, Role.HOME_AFFAIRS)
    rows = []
    for assessment in Assessment.objects.select_related("criteria_set").order_by("-criteria_set__year", "pk"):
        units = list(unit_assessments_visible(request.user, assessment))
        if units or is_home_affairs:
            rows.append({"assessment": assessment, "units": units})
    return render(request, "parindex/list.html", {"rows": rows, "is_home_affairs": is_home_affairs})


def _unit_assessment(request: HttpRequest, assessment_id: int, unit_id: int) -> UnitAssessment:
    assessment = get_object_or_404(Assessment.objects.select_related("criteria_set"), pk=assessment_id)
    found = unit_assessments_visible(request.user, assessment).filter(unit_id=unit_id).first()
    if found is None:
        raise Http404(_("Không tìm thấy kết quả đánh giá của đơn vị."))
    return found


def _unit_page(
    request: HttpRequest, ua: UnitAssessment, *, error: str = "", status: int = 200
) -> HttpResponse:
    assessment = ua.assessment
    criteria = list(assessment.criteria_set.criteria.select_related("parent").order_by("position"))
    parents = {c.parent_id for c in criteria if c.parent_id}
    scores = {
        s.criterion_id: s for s in Score.objects.filter(unit_assessment=ua).prefetch_related("evidence_files")
    }
    automatic = automatic_scores(assessment.criteria_set, [ua.unit]).get(ua.unit_id, {})
    is_member = any(has_role(request.user, role, ua.unit) for role in UNIT_ROLES)
    is_leader = has_role(request.user, Role.LEADER, ua.unit)
    is_home_affairs = has_role(request.user, Role.HOME_AFFAIRS)
    open_ = assessment.state == AssessmentState.OPEN
    rows = []
    for criterion in criteria:
        score = scores.get(criterion.pk)
        leaf = criterion.pk not in parents
        scorable = leaf and criterion.method not in (Method.AUTOMATIC, Method.SURVEY)
        clarifying = score is not None and score.clarification_until is not None
        rows.append(
            {
                "criterion": criterion,
                "leaf": leaf,
                "score": score,
                "auto": automatic.get(criterion.code),
                "can_self_score": is_member and scorable and open_
                and (ua.state == UnitState.DRAFT or (ua.state == UnitState.SUBMITTED and clarifying)),
                "can_appraise": is_home_affairs and scorable and open_ and ua.state == UnitState.SUBMITTED
                and score is not None,
            }
        )  # fmt: skip
    context = {
        "ua": ua,
        "assessment": assessment,
        "rows": rows,
        "error": error,
        "can_submit": is_leader and ua.state == UnitState.DRAFT and open_,
        "is_home_affairs": is_home_affairs,
    }
    return render(request, "parindex/unit.html", context, status=status)


@require_GET
@staff_required
def unit_scorecard(request: HttpRequest, assessment_id: int, unit_id: int) -> HttpResponse:
    ua = _unit_assessment(request, assessment_id, unit_id)
    response = HttpResponse(scorecard_pdf(ua.assessment, ua), content_type="application/pdf")
    name = f"phieu-ket-qua-chi-so-cchc-{ua.assessment.criteria_set.year}-{ua.unit_id}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@require_GET
@staff_required
def unit_page(request: HttpRequest, assessment_id: int, unit_id: int) -> HttpResponse:
    return _unit_page(request, _unit_assessment(request, assessment_id, unit_id))


def _gate(check: Any) -> None:
    """A permission check run before the form is read: its refusal is a 403, whatever the form holds."""
    try:
        check()
    except workflow.NotAllowed as error:
        raise PermissionDenied(str(error)) from error


def _back(ua: UnitAssessment) -> HttpResponseRedirect:
    url = reverse("parindex-unit", args=[ua.assessment_id, ua.unit_id])
    return HttpResponseRedirect(url, status=303)


def _act(request: HttpRequest, ua: UnitAssessment, step: Any, done: str) -> HttpResponse:
    try:
        step()
    except BlobError as error:
        return _unit_page(request, ua, error=str(error), status=400)
    except WorkflowError as error:
        return _unit_page(request, ua, error=str(error), status=error.status)
    messages.success(request, done)
    return _back(ua)


def _leaf_of(ua: UnitAssessment, criterion_id: int) -> Criterion:
    return get_object_or_404(Criterion, pk=criterion_id, criteria_set_id=ua.assessment.criteria_set_id)


@require_POST
@staff_required
def score_save(request: HttpRequest, assessment_id: int, unit_id: int, criterion_id: int) -> HttpResponse:
    ua = _unit_assessment(request, assessment_id, unit_id)
    criterion = _leaf_of(ua, criterion_id)
    _gate(lambda: workflow.require_unit_member(request.user, ua.unit))
    return _act(
        request,
        ua,
        lambda: workflow.self_score(
            unit_assessment=ua,
            criterion=criterion,
            points=_points(request.POST.get("diem")),
            explanation=request.POST.get("giai_trinh", ""),
            actor=request.user,
        ),
        _("Đã lưu điểm tiêu chí %(code)s.") % {"code": criterion.code},
    )


@require_POST
@staff_required
def evidence_upload(
    request: HttpRequest, assessment_id: int, unit_id: int, criterion_id: int
) -> HttpResponse:
    ua = _unit_assessment(request, assessment_id, unit_id)
    criterion = _leaf_of(ua, criterion_id)
    _gate(lambda: workflow.require_unit_member(request.user, ua.unit))
    upload = request.FILES.get("tep")
    if upload is None:
        return _unit_page(request, ua, error=_("Chọn một tệp PDF, JPG hoặc PNG."), status=400)
    score = Score.objects.filter(unit_assessment=ua, criterion=criterion).first()
    if score is None:
        return _unit_page(request, ua, error=_("Chấm điểm tiêu chí trước khi đính kèm tài liệu."), status=422)
    return _act(
        request,
        ua,
        lambda: workflow.evidence_add(score=score, upload=upload, name=upload.name or "", actor=request.user),
        _("Đã đính kèm tài liệu kiểm chứng."),
    )


@require_GET
@staff_required
def evidence_file(request: HttpRequest, assessment_id: int, unit_id: int, file_id: int) -> HttpResponse:
    """An evidence file of a score, for whoever may see the unit's assessment; checked against its SHA-256."""
    ua = _unit_assessment(request, assessment_id, unit_id)
    return stored_file_response(get_object_or_404(Evidence, pk=file_id, score__unit_assessment=ua))


@require_POST
@staff_required
def submit(request: HttpRequest, assessment_id: int, unit_id: int) -> HttpResponse:
    ua = _unit_assessment(request, assessment_id, unit_id)
    return _act(
        request,
        ua,
        lambda: workflow.unit_submit(unit_assessment=ua, actor=request.user),
        _("Đã gửi kết quả tự đánh giá; điểm đã được khóa."),
    )


@require_POST
@staff_required
def appraise(request: HttpRequest, assessment_id: int, unit_id: int, criterion_id: int) -> HttpResponse:
    ua = _unit_assessment(request, assessment_id, unit_id)
    criterion = _leaf_of(ua, criterion_id)
    _gate(lambda: workflow.require_home_affairs(request.user))
    score = get_object_or_404(Score, unit_assessment=ua, criterion=criterion)
    if request.POST.get("thao_tac") == "giai_trinh":
        step = lambda: workflow.clarification_ask(  # noqa: E731
            score=score, request=request.POST.get("noi_dung", ""), actor=request.user
        )
        done = _("Đã đề nghị đơn vị giải trình tiêu chí %(code)s.") % {"code": criterion.code}
    else:
        step = lambda: workflow.appraise(  # noqa: E731
            score=score, points=_points(request.POST.get("diem")), reason=request.POST.get("ly_do", ""),
            actor=request.user,
        )  # fmt: skip
        done = _("Đã ghi điểm thẩm định tiêu chí %(code)s.") % {"code": criterion.code}
    return _act(request, ua, step, done)


@require_POST
@staff_required
def publish(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = get_object_or_404(Assessment, pk=assessment_id)
    if not has_role(request.user, Role.HOME_AFFAIRS):
        raise PermissionDenied
    try:
        workflow.assessment_publish(assessment=assessment, actor=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(reverse("parindex-ranking", args=[assessment.pk]), status=303)
    messages.success(request, _("Đã công bố kết quả Chỉ số CCHC."))
    return HttpResponseRedirect(reverse("parindex-ranking", args=[assessment.pk]), status=303)


def _ranking_context(assessment: Assessment) -> dict[str, Any]:
    ranked = ranking(assessment)
    chart = bar_chart(
        title=_("Chỉ số CCHC theo đơn vị"),
        points=[Point(row.unit.name, float(row.index), f"{row.index}".replace(".", ",")) for row in ranked],
        maximum=100.0,
        chart_id="par-ranking",
    )
    return {"assessment": assessment, "results": ranked, "chart": chart}


@require_GET
@staff_required
def ranking_page(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = get_object_or_404(Assessment.objects.select_related("criteria_set"), pk=assessment_id)
    is_home_affairs = has_role(request.user, Role.HOME_AFFAIRS)
    if not (is_home_affairs or assessment.state == AssessmentState.PUBLISHED):
        raise Http404(_("Kết quả chưa được công bố."))
    context = _ranking_context(assessment) | {
        "can_publish": is_home_affairs and assessment.state == AssessmentState.OPEN
    }
    return render(request, "parindex/ranking.html", context)


@require_GET
@staff_required
def ranking_xlsx(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = get_object_or_404(Assessment.objects.select_related("criteria_set"), pk=assessment_id)
    if not (has_role(request.user, Role.HOME_AFFAIRS) or assessment.state == AssessmentState.PUBLISHED):
        raise Http404(_("Kết quả chưa được công bố."))
    content = summary_workbook(assessment, ranking(assessment))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"chi-so-cchc-{assessment.criteria_set.audience}-{assessment.criteria_set.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def public_results(request: HttpRequest) -> HttpResponse:
    """Published results, with no login (công khai kết quả Chỉ số CCHC)."""
    published = list(
        Assessment.objects.filter(state=AssessmentState.PUBLISHED)
        .select_related("criteria_set")
        .order_by("-criteria_set__year", "criteria_set__audience")
    )
    chosen = published[0] if published else None
    wanted = request.GET.get("dot")
    if wanted:
        chosen = next((a for a in published if str(a.pk) == wanted), None)
        if chosen is None:
            raise Http404(_("Không có kết quả đã công bố này."))
    context = {"published": published} | (_ranking_context(chosen) if chosen else {"assessment": None})
    return render(request, "parindex/public.html", context)


# Criteria sets: import, export, opening an assessment (Home Affairs).

AUDIENCE_UNIT_KINDS = {
    Audience.PROVINCE: (UnitKind.PROVINCE_COMMITTEE,),
    Audience.DEPARTMENT: (UnitKind.DEPARTMENT,),
    Audience.COMMUNE: (UnitKind.COMMUNE_COMMITTEE,),
}


def _home_affairs_only(request: HttpRequest) -> None:
    if not has_role(request.user, Role.HOME_AFFAIRS):
        raise PermissionDenied


def _sets_page(
    request: HttpRequest, *, errors: list[Any] | None = None, error: str = "", status: int = 200
) -> HttpResponse:
    sets = [
        {
            "set": criteria_set,
            "totals": criteria_set_totals(criteria_set),
            "assessment": Assessment.objects.filter(criteria_set=criteria_set).first(),
        }
        for criteria_set in CriteriaSet.objects.order_by("-year", "audience")
    ]
    context = {"sets": sets, "errors": errors or [], "error": error, "today": timezone.localdate()}
    return render(request, "parindex/sets.html", context, status=status)


@require_GET
@staff_required
def criteria_sets(request: HttpRequest) -> HttpResponse:
    _home_affairs_only(request)
    return _sets_page(request)


@require_POST
@staff_required
def criteria_set_upload(request: HttpRequest) -> HttpResponse:
    _home_affairs_only(request)
    upload = request.FILES.get("tep")
    if upload is None:
        return _sets_page(request, error=_("Chọn tệp bộ tiêu chí (.xlsx hoặc .json)."), status=400)
    if upload.size is not None and upload.size > 5 * 1024 * 1024:
        return _sets_page(request, error=_("Tệp bộ tiêu chí không quá 5 MB."), status=400)
    try:
        criteria_set = criteria_set_import(
            read(upload.read(), upload.name or ""), replace=request.POST.get("thay_the") == "1"
        )
    except ReadFailed as failed:
        return _sets_page(request, error=str(failed), status=400)
    except ImportRejected as rejected:
        return _sets_page(request, errors=rejected.errors, error=str(rejected), status=422)
    messages.success(
        request,
        _("Đã nhập bộ tiêu chí “%(name)s” năm %(year)s.")
        % {"name": criteria_set.name, "year": criteria_set.year},
    )
    return HttpResponseRedirect(reverse("parindex-sets"), status=303)


@require_GET
@staff_required
def criteria_set_download(request: HttpRequest, set_id: int, extension: str) -> HttpResponse:
    _home_affairs_only(request)
    criteria_set = get_object_or_404(CriteriaSet, pk=set_id)
    if extension == "xlsx":
        content, kind = (
            write_xlsx(criteria_set),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif extension == "json":
        content, kind = write_json(criteria_set), "application/json"
    else:
        raise Http404
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = (
        f'attachment; filename="bo-tieu-chi-{criteria_set.audience}-{criteria_set.year}.{extension}"'
    )
    return response


def _date(raw: str | None) -> dt.date:
    try:
        return dt.datetime.strptime((raw or "").strip(), "%d/%m/%Y").date()
    except ValueError:
        try:
            return dt.date.fromisoformat((raw or "").strip())
        except ValueError as error:
            raise _BadInput(_("Ngày phải có dạng dd/mm/yyyy.")) from error


@require_POST
@staff_required
def assessment_start(request: HttpRequest, set_id: int) -> HttpResponse:
    _home_affairs_only(request)
    criteria_set = get_object_or_404(CriteriaSet, pk=set_id)
    units = list(
        Unit.objects.filter(kind__in=AUDIENCE_UNIT_KINDS[Audience(criteria_set.audience)]).order_by("name")
    )
    try:
        days = int(request.POST.get("so_ngay_giai_trinh") or 5)
        if not 1 <= days <= 30:
            raise ValueError
    except ValueError:
        return _sets_page(request, error=_("Số ngày giải trình từ 1 đến 30."), status=400)
    try:
        assessment = workflow.assessment_open(
            criteria_set=criteria_set,
            units=units,
            self_assessment_due=_date(request.POST.get("han_tu_danh_gia")),
            appraisal_due=_date(request.POST.get("han_tham_dinh")),
            actor=request.user,
            clarification_days=days,
        )
    except WorkflowError as error:
        return _sets_page(request, error=str(error), status=error.status)
    messages.success(request, _("Đã mở đợt đánh giá cho %(n)s đơn vị.") % {"n": len(units)})
    return HttpResponseRedirect(reverse("parindex-ranking", args=[assessment.pk]), status=303)


@require_POST
@staff_required
def survey_upload(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """Home Affairs loads the year's survey: its questionnaire (JSON) and the aggregated answers (XLSX)."""
    _home_affairs_only(request)
    assessment = get_object_or_404(Assessment.objects.select_related("criteria_set"), pk=assessment_id)
    questionnaire_file, answers_file = request.FILES.get("bo_cau_hoi"), request.FILES.get("ket_qua")
    if assessment.state != AssessmentState.OPEN:
        error, status = _("Kết quả đã công bố; không thể thay kết quả khảo sát."), 422
    elif questionnaire_file is None or answers_file is None:
        error, status = _("Chọn cả bộ câu hỏi (.json) và kết quả trả lời (.xlsx)."), 400
    else:
        try:
            with transaction.atomic():
                questionnaire = questionnaire_import(questionnaire_file.read())
                rows = answers_import(questionnaire, answers_file.read())
                Assessment.objects.filter(pk=assessment.pk).update(questionnaire=questionnaire)
        except ImportRejected as rejected:
            context = _ranking_context(assessment) | {"can_publish": True, "errors": rejected.errors,
                                                      "error": str(rejected)}  # fmt: skip
            return render(request, "parindex/ranking.html", context, status=422)
        messages.success(request, _("Đã nhập kết quả khảo sát: %(n)s dòng.") % {"n": rows})
        return HttpResponseRedirect(reverse("parindex-ranking", args=[assessment.pk]), status=303)
    context = _ranking_context(assessment) | {
        "can_publish": assessment.state == AssessmentState.OPEN,
        "error": error,
    }
    return render(request, "parindex/ranking.html", context, status=status)
