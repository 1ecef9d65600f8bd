"""Staff pages (trang cán bộ): worklists, the dossier page with its actions, the reception desk, the register.

Thin views: reads through cchc.dossiers.selectors (already scoped to the user; opening a dossier is logged),
every change through one function of cchc.dossiers.services. A refused action shows its Vietnamese message
(DossierActionError.message) and the page again; a successful one redirects back (post/redirect/get).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.catalog import selectors as catalog_selectors
from cchc.core.blobs import BlobError, blob_content_type, blob_read
from cchc.core.masking import mask_id_number
from cchc.dossiers import forms_web, selectors, services
from cchc.dossiers.deadlines import day_counts
from cchc.dossiers.forms import form_pdf, register_pdf, register_xlsx
from cchc.dossiers.lifecycle import (
    COMPETENT,
    HANDLING,
    RECEPTION,
    Action,
    ActionForbidden,
    DossierActionError,
    actions_available,
    event_label,
    require_role,
)
from cchc.dossiers.models import Channel, Dossier, HandOver, PartyRole, State
from cchc.dossiers.panels import panels_for
from cchc.dossiers.presenters import DETAIL_PREFETCH
from cchc.dossiers.receipts import receipt_archived
from cchc.dossiers.reuse import reusable_result
from cchc.dossiers.signatures import component_signatures, result_checks
from cchc.orgs.access import staff_required
from cchc.orgs.models import Unit
from cchc.orgs.roles import Role
from cchc.orgs.scoping import has_role, units_visible_to
from cchc.orgs.selectors import agencies_active, staff_of

WORKLIST_LABELS: dict[str, Any] = {
    "to_receive": gettext_lazy("Chờ tiếp nhận (trực tuyến)"),
    "mine": gettext_lazy("Của tôi"),
    "unit": gettext_lazy("Của đơn vị"),
    "due_soon": gettext_lazy("Sắp đến hạn"),
    "overdue": gettext_lazy("Quá hạn"),
    "waiting_citizen": gettext_lazy("Chờ công dân bổ sung"),
    "ready_to_return": gettext_lazy("Chờ trả kết quả"),
}
FORM_LABELS: dict[str, Any] = {
    "01": gettext_lazy("Mẫu 01 – Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    "02": gettext_lazy("Mẫu 02 – Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "03": gettext_lazy("Mẫu 03 – Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    "04": gettext_lazy("Mẫu 04 – Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    "05": gettext_lazy("Mẫu 05 – Thông báo dừng giải quyết hồ sơ"),
    "06": gettext_lazy("Mẫu 06 – Phiếu kiểm soát quá trình giải quyết hồ sơ"),
}
REGISTER_MAX_ROWS = 500
DESK_RESULTS = 20
PDF_PURPOSE = "in biểu mẫu"


def _dossier_url(dossier: Dossier) -> str:
    return reverse("staff-dossier", args=[dossier.code])


# -- worklists -------------------------------------------------------------------------------------------------------
@require_GET
@staff_required
def worklist(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("loai", "unit")
    if kind not in selectors.WORKLIST_KINDS:
        kind = "unit"
    try:
        page_number = max(1, int(request.GET.get("trang", "1")))
    except ValueError:
        page_number = 1
    page = selectors.worklist(user=request.user, kind=kind, page=page_number)  # type: ignore[arg-type]
    tabs = [{"kind": k, "label": WORKLIST_LABELS[k], "current": k == kind} for k in selectors.WORKLIST_KINDS]
    return render(
        request,
        "dossiers/staff/worklist.html",
        {"page": page, "tabs": tabs, "kind_label": WORKLIST_LABELS[kind]},
    )


# -- the dossier page and its actions -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class _ActionSpec:
    form_class: type[forms_web.ActionForm]
    run: Callable[[HttpRequest, Dossier, dict[str, Any]], Any]


def _v(data: dict[str, Any]) -> int:
    return int(data["expected_version"])


ACTIONS: dict[Action, _ActionSpec] = {
    Action.RECEIVE: _ActionSpec(
        forms_web.ActionForm,
        lambda r, d, c: services.dossier_receive(actor=r.user, dossier=d, expected_version=_v(c)),
    ),
    Action.REQUEST_SUPPLEMENT_AT_RECEPTION: _ActionSpec(
        forms_web.SupplementForm,
        lambda r, d, c: services.dossier_request_supplement_at_reception(
            actor=r.user,
            dossier=d,
            missing=forms_web._lines(c["missing"]),
            reason=c["reason"],
            expected_version=_v(c),
        ),
    ),
    Action.REFUSE: _ActionSpec(
        forms_web.ReasonForm,
        lambda r, d, c: services.dossier_refuse(
            actor=r.user, dossier=d, reason=c["reason"], expected_version=_v(c)
        ),
    ),
    Action.ASSIGN: _ActionSpec(
        forms_web.AssignForm,
        lambda r, d, c: services.dossier_assign(
            dossier=d, actor=r.user, assignee=c["assignee"], expected_version=_v(c)
        ),
    ),
    Action.HAND_OVER: _ActionSpec(
        forms_web.HandOverForm,
        lambda r, d, c: services.dossier_hand_over(
            dossier=d, actor=r.user, note=c["note"], expected_version=_v(c)
        ),
    ),
    Action.REQUEST_SUPPLEMENT: _ActionSpec(
        forms_web.SupplementForm,
        lambda r, d, c: services.dossier_request_supplement(
            dossier=d,
            actor=r.user,
            missing=forms_web._lines(c["missing"]),
            reason=c["reason"],
            expected_version=_v(c),
        ),
    ),
    Action.COMPLETE_SUPPLEMENT: _ActionSpec(
        forms_web.ActionForm,
        lambda r, d, c: services.dossier_complete_supplement(dossier=d, actor=r.user, expected_version=_v(c)),
    ),
    Action.APOLOGISE: _ActionSpec(
        forms_web.ApologyForm,
        lambda r, d, c: services.dossier_apologise(
            dossier=d,
            actor=r.user,
            reason=c["reason"],
            new_appointment_at=c["new_appointment_at"],
            expected_version=_v(c),
        ),
    ),
    Action.RESOLVE: _ActionSpec(
        forms_web.ResolveForm,
        lambda r, d, c: services.dossier_resolve(
            dossier=d,
            actor=r.user,
            document_number=c["document_number"],
            document_date=c["document_date"],
            summary=c["summary"],
            document=c.get("document"),
            expected_version=_v(c),
        ),
    ),
    Action.STOP: _ActionSpec(
        forms_web.ReasonForm,
        lambda r, d, c: services.dossier_stop(
            dossier=d, actor=r.user, reason=c["reason"], expected_version=_v(c)
        ),
    ),
    Action.WITHDRAW: _ActionSpec(
        forms_web.ReasonForm,
        lambda r, d, c: services.dossier_withdraw(
            dossier=d, actor=r.user, reason=c["reason"], expected_version=_v(c)
        ),
    ),
    Action.RETURN: _ActionSpec(
        forms_web.ReturnForm,
        lambda r, d, c: services.dossier_return(
            dossier=d,
            actor=r.user,
            method=c["method"],
            address=c["address"],
            proof=c["proof"],
            expected_version=_v(c),
        ),
    ),
}


def _action_form(
    action: Action, dossier: Dossier, data: Any = None, files: Any = None
) -> forms_web.ActionForm:
    spec = ACTIONS[action]
    kwargs: dict[str, Any] = {"prefix": action.value, "initial": {"expected_version": dossier.version}}
    if spec.form_class is forms_web.AssignForm:
        kwargs["staff"] = staff_of(dossier.current_unit)
    if action == Action.RETURN and dossier.return_method:
        # What the applicant asked for when filing (Art. 22); the officer may still change it.
        kwargs["initial"].update(method=dossier.return_method, address=dossier.return_address)
    return spec.form_class(data, files, **kwargs)


def _actions_for(user: Any, dossier: Dossier) -> list[Action]:
    """The actions the state allows and this user may take (the service checks both again)."""
    units = {
        RECEPTION: dossier.receiving_unit,
        HANDLING: dossier.current_unit,
        COMPETENT: dossier.competent_unit,
    }
    allowed = []
    for action in actions_available(dossier.state):
        if action not in ACTIONS:
            continue
        try:
            require_role(user, action, units, dossier.state)
        except ActionForbidden:
            continue
        allowed.append(action)
    return allowed


def _forms_available(dossier: Dossier) -> list[str]:
    available = []
    if dossier.received_at is not None:
        available.append("01")
    if any(True for _r in dossier.supplement_requests.all()):
        available.append("02")
    if dossier.state == State.REFUSED:
        available.append("03")
    if getattr(dossier, "apology", None) is not None:
        available.append("04")
    if dossier.state == State.STOPPED:
        available.append("05")
    if dossier.received_at is not None:
        available.append("06")
    return available


def _dossier_page(
    request: HttpRequest, code: str, *, bound: tuple[Action, Any, Any] | None = None, status: int = 200
) -> HttpResponse:
    dossier = selectors.dossier_for(request.user, code)
    prefetch_related_objects(
        [dossier],
        *[p for p in DETAIL_PREFETCH if not p.startswith("hand_overs")],
        Prefetch(
            "hand_overs",
            queryset=HandOver.objects.select_related("from_unit", "to_unit", "from_user", "to_user", "step"),
        ),
    )
    applicant = next((p for p in dossier.parties.all() if p.role == PartyRole.APPLICANT), None)
    state_labels = dict(State.choices)
    events = [
        {
            "label": event_label(e.action),
            "actor": (e.actor.get_full_name() or e.actor.get_username()) if e.actor else "",
            "at": e.at,
            "state_after": state_labels.get(e.state_after, e.state_after),
        }
        for e in dossier.events.all()
    ]
    action_forms = []
    for action in _actions_for(request.user, dossier):
        data, files = bound[1:] if bound is not None and bound[0] == action else (None, None)
        action_forms.append(
            {
                "action": action,
                "label": action.label,
                "form": _action_form(action, dossier, data, files),
                "url": reverse("staff-dossier-action", args=[dossier.code, action.value]),
            }
        )
    counts = day_counts(dossier)
    signed = component_signatures(dossier)
    context = {
        "dossier": dossier,
        "state_label": State(dossier.state).label,
        "channel_label": Channel(dossier.channel).label,
        "applicant": applicant,
        "applicant_id_masked": mask_id_number(applicant.id_number if applicant else ""),
        "counts": counts,
        "hours_used": round(counts.working_time_used.total_seconds() / 3600, 2),
        "hours_left": round(counts.working_time_left.total_seconds() / 3600, 2),
        "events": events,
        "hand_overs": dossier.hand_overs.all(),
        "components": [(c, signed.get(c.pk, [])) for c in dossier.components.all()],
        "result": getattr(dossier, "result", None),
        "panels": panels_for(dossier),
        "result_checks": checks if isinstance(checks := result_checks(dossier), list) else None,
        "result_problem": checks if isinstance(checks, str) else "",
        "action_forms": action_forms,
        "pdfs": [
            {
                "number": n,
                "label": FORM_LABELS[n],
                "url": reverse("staff-dossier-form", args=[dossier.code, n]),
            }
            for n in _forms_available(dossier)
        ],
    }
    return render(request, "dossiers/staff/dossier.html", context, status=status)


@require_GET
@staff_required
def dossier_detail(request: HttpRequest, code: str) -> HttpResponse:
    return _dossier_page(request, code)


@require_POST
@staff_required
def dossier_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    try:
        chosen = Action(action)
    except ValueError:
        raise Http404(_("Không có thao tác này.")) from None
    if chosen not in ACTIONS:
        raise Http404(_("Không có thao tác này."))
    dossier = selectors.dossier_visible(request.user, code)
    form = _action_form(chosen, dossier, request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Thông tin nhập chưa hợp lệ, vui lòng kiểm tra lại."))
        return _dossier_page(request, code, bound=(chosen, request.POST, request.FILES), status=422)
    try:
        ACTIONS[chosen].run(request, dossier, form.cleaned_data)
    except DossierActionError as exc:
        messages.error(request, exc.message)
        return _dossier_page(request, code, bound=(chosen, request.POST, request.FILES), status=exc.status)
    messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": chosen.label})
    return HttpResponseRedirect(_dossier_url(dossier))


@require_GET
@staff_required
def dossier_form_pdf(request: HttpRequest, code: str, number: str) -> HttpResponse:
    if number not in FORM_LABELS:
        raise Http404(_("Không có mẫu này."))
    dossier = selectors.dossier_for(request.user, code, purpose=PDF_PURPOSE)
    # The receipt as issued, once archived (cchc.dossiers.receipts); every other form shows the current state.
    archived = receipt_archived(dossier) if number == "01" else None
    try:
        content = archived if archived is not None else form_pdf(dossier=dossier, form=number)
    except ValueError as exc:
        raise Http404(str(exc)) from None
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-mau-{number}.pdf"'
    return response


FILE_PURPOSE = "xem tệp đính kèm"


RESULT_PURPOSE = "xem kết quả điện tử"


@require_GET
@staff_required
def dossier_result_file(request: HttpRequest, code: str) -> HttpResponse:
    """The electronic result as signed, checked against its SHA-256; the reading is logged (Decree 13/2023)."""
    dossier = selectors.dossier_for(request.user, code, purpose=RESULT_PURPOSE)
    result = getattr(dossier, "result", None)
    if result is None or not result.sha256:
        raise Http404(_("Hồ sơ chưa có kết quả điện tử."))
    try:
        content = blob_read(result.file.name, result.sha256)
    except BlobError as exc:
        raise Http404(str(exc)) from None
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-ket-qua.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@staff_required
def dossier_component_file(request: HttpRequest, code: str, component_id: int) -> HttpResponse:
    """A component's uploaded file, checked against its SHA-256; the reading is logged (Decree 13/2023)."""
    dossier = selectors.dossier_for(request.user, code, purpose=FILE_PURPOSE)
    component = dossier.components.filter(pk=component_id).exclude(file="").first()
    if component is None:
        raise Http404(_("Không có tệp này."))
    try:
        content = blob_read(component.file.name, component.sha256)
    except BlobError as exc:
        raise Http404(str(exc)) from None
    response = HttpResponse(content, content_type=blob_content_type(content))
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-{component.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# -- the reception desk --------------------------------------------------------------------------------------------------
def _reception_units(user: Any) -> QuerySet[Unit]:
    """Units where the user may receive dossiers (reception officer there or above)."""
    ids = [unit.pk for unit in units_visible_to(user) if has_role(user, Role.RECEPTION_OFFICER, unit)]
    return Unit.objects.filter(pk__in=ids).order_by("name")


@require_http_methods(["GET", "POST"])
@staff_required
def reception_desk(request: HttpRequest) -> HttpResponse:
    pick = forms_web.ProcedurePickForm(request.GET or None)
    query = pick.cleaned_data["q"].strip() if pick.is_bound and pick.is_valid() else ""
    results = catalog_selectors.procedure_search(query=query, limit=DESK_RESULTS) if query else []
    code = (request.POST.get("thu_tuc") or request.GET.get("thu_tuc") or "").strip()
    version = catalog_selectors.procedure_version_for_code(code=code) if code else None
    if code and version is None:
        messages.error(
            request, _("Không tìm thấy thủ tục đang có hiệu lực với mã %(code)s.") % {"code": code}
        )
    form = None
    status = 200
    if version is not None:
        components = [(c.pk, c.name) for c in version.components.all()]
        receiving = _reception_units(request.user)
        form = forms_web.ReceptionForm(
            request.POST if request.method == "POST" else None,
            request.FILES if request.method == "POST" else None,
            components=components,
            receiving_units=receiving,
            competent_units=agencies_active(),
            initial={"receiving_unit": receiving.first(), "components": [str(pk) for pk, _n in components]},
        )
        if request.method == "POST":
            reused: dict[int, Any] = {}
            if form.is_valid():
                for pk, code in form.reuse_codes().items():
                    try:
                        reused[pk] = reusable_result(
                            document_code=code, id_number=form.cleaned_data["id_number"]
                        )
                    except DossierActionError as exc:
                        form.add_error(f"reuse_{pk}", exc.message)
            if form.is_valid():
                data = form.cleaned_data
                provided = frozenset(int(pk) for pk in data["components"])
                intake = services.Intake(
                    procedure_version=version,
                    receiving_unit=data["receiving_unit"],
                    competent_unit=data["competent_unit"],
                    channel=Channel.IN_PERSON,
                    applicant=services.PartyData(
                        full_name=data["full_name"],
                        id_number=data["id_number"],
                        phone=data["phone"],
                        email=data["email"],
                        address=data["address"],
                    ),
                    provided_component_ids=provided,
                    reused_results=reused,
                    scans=form.scans(),
                )
                given = provided | set(reused) | set(intake.scans)
                missing = form.missing_items() or [name for pk, name in components if pk not in given]
                decision = request.POST.get("quyet_dinh", "")
                try:
                    if decision == "tiep_nhan":
                        dossier = services.dossier_receive(actor=request.user, intake=intake)
                    elif decision == "bo_sung":
                        dossier = services.dossier_request_supplement_at_reception(
                            actor=request.user, intake=intake, missing=missing, reason=data["reason"]
                        )
                    elif decision == "tu_choi":
                        dossier = services.dossier_refuse(
                            actor=request.user, intake=intake, reason=data["reason"]
                        )
                    else:
                        raise Http404(_("Không có thao tác này."))
                except DossierActionError as exc:
                    messages.error(request, exc.message)
                    status = exc.status
                else:
                    messages.success(
                        request,
                        _("Đã ghi nhận hồ sơ %(code)s: %(state)s.")
                        % {"code": dossier.code, "state": State(dossier.state).label},
                    )
                    return HttpResponseRedirect(_dossier_url(dossier))
            else:
                status = 422
    elif request.method == "POST":
        status = 422
    return render(
        request,
        "dossiers/staff/desk.html",
        {"pick": pick, "query": query, "results": results, "version": version, "form": form},
        status=status,
    )


# -- the register (Mẫu 07) -----------------------------------------------------------------------------------------------
def _register_queryset(request: HttpRequest) -> tuple[forms_web.RegisterFilterForm, QuerySet[Dossier]]:
    form = forms_web.RegisterFilterForm(request.GET or None)
    queryset = selectors.dossiers_visible_to(request.user)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        tz = timezone.get_current_timezone()
        if data["tu_ngay"]:
            queryset = queryset.filter(received_at__gte=dt.datetime.combine(data["tu_ngay"], dt.time(0), tz))
        if data["den_ngay"]:
            end = dt.datetime.combine(data["den_ngay"] + dt.timedelta(days=1), dt.time(0), tz)
            queryset = queryset.filter(received_at__lt=end)
        if data["trang_thai"]:
            queryset = queryset.filter(state=data["trang_thai"])
    elif form.is_bound:
        queryset = queryset.none()
    return form, queryset.order_by("received_at", "pk")


@require_GET
@staff_required
def register(request: HttpRequest) -> HttpResponse:
    form, queryset = _register_queryset(request)
    rows = list(
        queryset.select_related("procedure_version").prefetch_related("parties")[: REGISTER_MAX_ROWS + 1]
    )
    table = []
    for dossier in rows[:REGISTER_MAX_ROWS]:
        applicant = next((p for p in dossier.parties.all() if p.role == PartyRole.APPLICANT), None)
        table.append(
            {
                "dossier": dossier,
                "applicant": applicant.full_name if applicant else "",
                "id_masked": mask_id_number(applicant.id_number if applicant else ""),
                "state_label": State(dossier.state).label,
            }
        )
    query = request.GET.urlencode()
    return render(
        request,
        "dossiers/staff/register.html",
        {
            "form": form,
            "table": table,
            "truncated": len(rows) > REGISTER_MAX_ROWS,
            "query": query,
        },
    )


def _register_title() -> str:
    return _("Sổ theo dõi hồ sơ")


@require_GET
@staff_required
def register_export(request: HttpRequest, extension: str) -> HttpResponse:
    _form, queryset = _register_queryset(request)
    stamp = timezone.localdate().strftime("%Y%m%d")
    if extension == "xlsx":
        content = register_xlsx(dossiers=queryset, title=_register_title())
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    elif extension == "pdf":
        content = register_pdf(dossiers=queryset, title=_register_title())
        response = HttpResponse(content, content_type="application/pdf")
    else:
        raise Http404(_("Không hỗ trợ định dạng này."))
    response["Content-Disposition"] = f'attachment; filename="so-theo-doi-ho-so-{stamp}.{extension}"'
    return response


__all__ = [
    "dossier_action",
    "dossier_detail",
    "dossier_form_pdf",
    "reception_desk",
    "register",
    "register_export",
    "worklist",
]
