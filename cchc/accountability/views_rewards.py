"""Staff page of emulation and rewards (/can-bo/thi-dua/): the year's proposals to reward or criticise, drafted
from the results by Home Affairs and decided by a person, and the register of initiatives. Thin views over
cchc.accountability.services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cchc.accountability import services
from cchc.accountability.models import Initiative, RewardProposal
from cchc.accountability.views import year_asked
from cchc.orgs.access import staff_required
from cchc.orgs.models import REFORM_UNIT_KINDS, Unit
from cchc.orgs.roles import Role
from cchc.orgs.scoping import has_role, visible_unit_ids
from cchc.plans.models import Area


def _home_affairs_only(request: HttpRequest) -> None:
    """Home Affairs' steps: refused before the form is read."""
    if not has_role(request.user, Role.HOME_AFFAIRS):
        raise PermissionDenied


def _scoped(user: Any, rows: Any) -> Any:
    ids = visible_unit_ids(user)
    return rows if ids is None else rows.filter(unit_id__in=ids)


def _page(request: HttpRequest, year: int, *, error: str = "", status: int = 200) -> HttpResponse:
    user = request.user
    home_affairs = has_role(user, Role.HOME_AFFAIRS)
    own = [u for u in Unit.objects.filter(kind__in=REFORM_UNIT_KINDS).order_by("name")
           if any(has_role(user, role, u) for role in services.UNIT_STAFF)]  # fmt: skip
    context = {
        "year": year, "error": error, "home_affairs": home_affairs, "own_units": own, "areas": Area.choices,
        "proposals": _scoped(user, RewardProposal.objects.filter(year=year).select_related("unit")
                             .order_by("kind", "unit__name")),
        "initiatives": _scoped(user, Initiative.objects.filter(year=year).select_related("unit")),
    }  # fmt: skip
    return render(request, "accountability/rewards.html", context, status=status)


@require_GET
@staff_required
def rewards_page(request: HttpRequest) -> HttpResponse:
    return _page(request, year_asked(request))


def _act(request: HttpRequest, year: int, step: Callable[[], Any], done: str) -> HttpResponse:
    try:
        step()
    except services.AccountabilityError as error:
        return _page(request, year, error=str(error), status=error.status)
    messages.success(request, done)
    return HttpResponseRedirect(f"{reverse('accountability-rewards')}?nam={year}", status=303)


@require_POST
@staff_required
def proposals_draft(request: HttpRequest) -> HttpResponse:
    _home_affairs_only(request)
    year = year_asked(request)
    units = list(Unit.objects.filter(kind__in=REFORM_UNIT_KINDS).order_by("name"))
    return _act(request, year, lambda: services.proposals_draft(year=year, units=units, actor=request.user),
                _("Đã lập đề xuất khen thưởng, phê bình từ kết quả năm %(year)s.") % {"year": year})  # fmt: skip


@require_POST
@staff_required
def proposal_decide(request: HttpRequest, proposal_id: int) -> HttpResponse:
    _home_affairs_only(request)
    proposal = RewardProposal.objects.filter(pk=proposal_id).first()
    if proposal is None:
        raise Http404(_("Không tìm thấy đề xuất."))
    verdict = request.POST.get("ket_qua", "")

    def step() -> None:
        if verdict not in {"dong_y", "khong_dong_y"}:
            raise services.AccountabilityError(_("Chọn đồng ý hoặc không đồng ý."))
        services.proposal_decide(proposal=proposal, approve=verdict == "dong_y",
                                 decision=request.POST.get("quyet_dinh", ""), actor=request.user)  # fmt: skip

    return _act(request, proposal.year, step, _("Đã ghi quyết định."))


@require_POST
@staff_required
def initiative_submit(request: HttpRequest) -> HttpResponse:
    year = year_asked(request)
    unit = Unit.objects.filter(pk=request.POST.get("don_vi") or 0, kind__in=REFORM_UNIT_KINDS).first()
    if unit is not None and not any(has_role(request.user, role, unit) for role in services.UNIT_STAFF):
        raise PermissionDenied

    def step() -> None:
        if unit is None:
            raise services.AccountabilityError(_("Chọn đơn vị."))
        services.initiative_submit(
            unit=unit, title=request.POST.get("ten", ""), authors=request.POST.get("tac_gia", ""),
            area=request.POST.get("linh_vuc", ""), summary=request.POST.get("tom_tat", ""),
            benefit=request.POST.get("hieu_qua", ""), actor=request.user,
        )  # fmt: skip

    return _act(request, year, step, _("Đã đăng ký sáng kiến."))


@require_POST
@staff_required
def initiative_assess(request: HttpRequest, initiative_id: int) -> HttpResponse:
    _home_affairs_only(request)
    initiative = Initiative.objects.filter(pk=initiative_id).first()
    if initiative is None:
        raise Http404(_("Không tìm thấy sáng kiến."))
    verdict = request.POST.get("ket_qua", "")

    def step() -> None:
        if verdict not in {"cong_nhan", "khong_cong_nhan"}:
            raise services.AccountabilityError(_("Chọn công nhận hoặc không công nhận."))
        services.initiative_assess(initiative=initiative, recognised=verdict == "cong_nhan",
                                   note=request.POST.get("y_kien", ""), actor=request.user)  # fmt: skip

    return _act(request, initiative.year, step, _("Đã ghi kết quả đánh giá sáng kiến."))
