"""Staff pages of the commitments (/can-bo/cam-ket/): the year's commitments with each item's state read from
the live figures, the units to hold to account, and one commitment's page (items, evidence, signing, Home
Affairs' judgement). Thin views over cchc.accountability.services and selectors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cchc.accountability import selectors, services
from cchc.accountability.models import Commitment, CommitmentEvidence, CommitmentItem, Comparison
from cchc.core.blobs import BlobError, stored_file_response
from cchc.orgs.access import staff_required
from cchc.orgs.models import REFORM_UNIT_KINDS, Unit
from cchc.orgs.roles import Role
from cchc.orgs.scoping import has_role, visible_unit_ids
from cchc.parindex.metrics import METRICS


def _units(user: Any) -> QuerySet[Unit]:
    ids = visible_unit_ids(user)
    units = Unit.objects.filter(kind__in=REFORM_UNIT_KINDS).order_by("name")
    return units if ids is None else units.filter(pk__in=ids)


def year_asked(request: HttpRequest) -> int:
    """The year in `nam` (this year when absent or out of range)."""
    raw = request.GET.get("nam") or request.POST.get("nam") or ""
    this_year = timezone.localdate().year
    try:
        year = int(raw)
    except ValueError:
        return this_year
    return year if 2000 <= year <= this_year + 1 else this_year


@require_GET
@staff_required
def commitment_list(request: HttpRequest) -> HttpResponse:
    year = year_asked(request)
    units = list(_units(request.user))
    commitments = list(
        Commitment.objects.filter(year=year, unit__in=units)
        .select_related("unit", "signed_by")
        .order_by("unit__name")
    )
    results = selectors.commitment_results(commitments, year=year)
    accounts = selectors.accountability(results, units)
    context = {
        "year": year, "results": results, "missed": [a for a in accounts if a.signed],
        "unsigned": [a for a in accounts if not a.signed],
        "final": selectors.year_over(year),
        "draftable": [unit for unit in units if services.can_draft(request.user, unit)
                      and unit.pk not in {c.unit_id for c in commitments}],
    }  # fmt: skip
    return render(request, "accountability/list.html", context)


@require_POST
@staff_required
def commitment_create(request: HttpRequest) -> HttpResponse:
    year = year_asked(request)
    unit = _units(request.user).filter(pk=_int(request.POST.get("don_vi"))).first()
    if unit is None:
        raise Http404(_("Không tìm thấy đơn vị."))
    if not services.can_draft(request.user, unit):
        raise PermissionDenied
    try:
        commitment = services.commitment_create(year=year, unit=unit, actor=request.user)
    except services.AccountabilityError as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(f"{reverse('accountability-list')}?nam={year}", status=303)
    return HttpResponseRedirect(reverse("accountability-commitment", args=[commitment.pk]), status=303)


def _int(raw: str | None) -> int:
    try:
        return int((raw or "").strip())
    except ValueError:
        return 0


def _commitment(request: HttpRequest, commitment_id: int) -> Commitment:
    commitment = (
        Commitment.objects.filter(pk=commitment_id, unit__in=_units(request.user))
        .select_related("unit", "signed_by")
        .first()
    )
    if commitment is None:
        raise Http404(_("Không tìm thấy cam kết."))
    return commitment


def _page(
    request: HttpRequest, commitment: Commitment, *, error: str = "", status: int = 200
) -> HttpResponse:
    user = request.user
    [result] = selectors.commitment_results([commitment], year=commitment.year)
    context = {
        "commitment": commitment, "result": result, "error": error, "final": selectors.year_over(commitment.year),
        "can_draft": commitment.signed_at is None and services.can_draft(user, commitment.unit),
        "can_sign": commitment.signed_at is None and has_role(user, Role.LEADER, commitment.unit),
        "can_attach": any(has_role(user, role, commitment.unit) for role in services.UNIT_STAFF),
        "can_judge": commitment.signed_at is not None and has_role(user, Role.HOME_AFFAIRS),
        "metrics": sorted(((key, metric.label()) for key, metric in METRICS.items()), key=lambda pair: pair[1]),
        "comparisons": Comparison.choices,
    }  # fmt: skip
    return render(request, "accountability/commitment.html", context, status=status)


@require_GET
@staff_required
def commitment_page(request: HttpRequest, commitment_id: int) -> HttpResponse:
    return _page(request, _commitment(request, commitment_id))


def _done(request: HttpRequest, commitment: Commitment, message: str) -> HttpResponse:
    messages.success(request, message)
    return HttpResponseRedirect(reverse("accountability-commitment", args=[commitment.pk]), status=303)


@require_POST
@staff_required
def item_add(request: HttpRequest, commitment_id: int) -> HttpResponse:
    commitment = _commitment(request, commitment_id)
    if not services.can_draft(request.user, commitment.unit):
        raise PermissionDenied  # before reading the form: a refusal says nothing about its content
    metric = request.POST.get("chi_so", "").strip()
    try:
        target = services.parse_target(request.POST.get("chi_tieu", "")) if metric else None
        services.commitment_item_add(
            commitment=commitment, code=request.POST.get("so", ""), text=request.POST.get("noi_dung", ""),
            metric=metric, comparison=request.POST.get("so_sanh", Comparison.AT_LEAST), target=target,
            actor=request.user,
        )  # fmt: skip
    except services.AccountabilityError as error:
        return _page(request, commitment, error=str(error), status=error.status)
    return _done(request, commitment, _("Đã thêm nội dung cam kết."))


@require_POST
@staff_required
def commitment_sign(request: HttpRequest, commitment_id: int) -> HttpResponse:
    commitment = _commitment(request, commitment_id)
    try:
        services.commitment_sign(commitment=commitment, actor=request.user)
    except services.AccountabilityError as error:
        return _page(request, commitment, error=str(error), status=error.status)
    return _done(request, commitment, _("Đã ký cam kết."))


def _item(commitment: Commitment, item_id: int) -> CommitmentItem:
    item = get_object_or_404(CommitmentItem, pk=item_id, commitment=commitment)
    item.commitment = commitment
    return item


@require_POST
@staff_required
def evidence_upload(request: HttpRequest, commitment_id: int, item_id: int) -> HttpResponse:
    commitment = _commitment(request, commitment_id)
    item = _item(commitment, item_id)
    if not any(has_role(request.user, role, commitment.unit) for role in services.UNIT_STAFF):
        raise PermissionDenied
    upload = request.FILES.get("tep")
    if upload is None:
        return _page(request, commitment, error=_("Chọn một tệp PDF, JPG hoặc PNG."), status=400)
    try:
        services.commitment_evidence_add(item=item, upload=upload, name=upload.name or "", actor=request.user)
    except services.AccountabilityError as error:
        return _page(request, commitment, error=str(error), status=error.status)
    except BlobError as error:
        return _page(request, commitment, error=str(error), status=400)
    return _done(request, commitment, _("Đã đính kèm tài liệu kiểm chứng."))


@require_GET
@staff_required
def evidence_file(request: HttpRequest, commitment_id: int, file_id: int) -> HttpResponse:
    commitment = _commitment(request, commitment_id)
    record = get_object_or_404(CommitmentEvidence, pk=file_id, item__commitment=commitment)
    return stored_file_response(record)


@require_POST
@staff_required
def item_judge(request: HttpRequest, commitment_id: int, item_id: int) -> HttpResponse:
    commitment = _commitment(request, commitment_id)
    item = _item(commitment, item_id)
    if not has_role(request.user, Role.HOME_AFFAIRS):
        raise PermissionDenied
    verdict = request.POST.get("ket_qua", "")
    try:
        if verdict not in {"dat", "khong_dat"}:
            raise services.AccountabilityError(_("Chọn đạt hoặc không đạt."))
        services.commitment_item_judge(
            item=item, met=verdict == "dat", note=request.POST.get("nhan_xet", ""), actor=request.user
        )
    except services.AccountabilityError as error:
        return _page(request, commitment, error=str(error), status=error.status)
    return _done(request, commitment, _("Đã đánh giá nội dung %(code)s.") % {"code": item.code})
