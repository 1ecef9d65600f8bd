"""Staff pages of the 766 index (trang cán bộ), under /can-bo/chi-so-766/: the ranking of units for a period,
one unit's (or the province's) components with formula, inputs and points, and the XLSX export.

A user sees the units of their scope (cchc.orgs.scoping); a unit outside it is a 404. The province's pooled
index is shown to those who see every unit.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cchc.orgs.access import staff_required
from cchc.orgs.scoping import visible_unit_ids
from cchc.serviceindex.export import index_workbook
from cchc.serviceindex.periods import KINDS, Period, period_parse
from cchc.serviceindex.selectors import IndexResult, index_compute_all, scored_units


def _period(request: HttpRequest) -> tuple[Period, str]:
    today = timezone.localdate()
    try:
        return period_parse(
            request.GET.get("ky"), request.GET.get("nam"), request.GET.get("so"), today=today
        ), ""
    except ValueError:
        return period_parse(None, None, None, today=today), _(
            "Kỳ đánh giá không hợp lệ; đang hiển thị quý hiện tại."
        )


def _compute(request: HttpRequest, period: Period) -> tuple[list[IndexResult], IndexResult, bool]:
    ids = visible_unit_ids(request.user)
    units = scored_units(within=ids)
    results, province = index_compute_all(units=units, start=period.start, end=period.end)
    return results, province, ids is None


def _context(period: Period, error: str) -> dict[str, Any]:
    year = timezone.localdate().year
    return {
        "period": period,
        "period_error": error,
        "kinds": [(k, {"month": _("Tháng"), "quarter": _("Quý"), "year": _("Năm")}[k]) for k in KINDS],
        "years": list(range(year - 4, year + 1)),
        "numbers": list(range(1, 13)),
        "query": f"ky={period.kind}&nam={period.year}&so={period.number}",
    }


@require_GET
@staff_required
def ranking(request: HttpRequest) -> HttpResponse:
    period, error = _period(request)
    results, province, sees_all = _compute(request, period)
    context = _context(period, error) | {"results": results, "province": province, "sees_all": sees_all}
    return render(request, "serviceindex/ranking.html", context, status=400 if error else 200)


@require_GET
@staff_required
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    period, error = _period(request)
    ids = visible_unit_ids(request.user)
    if ids is not None and unit_id not in ids:
        raise Http404
    units = scored_units(within=[unit_id])
    if not units:
        raise Http404
    results, _province = index_compute_all(units=units, start=period.start, end=period.end)
    context = _context(period, error) | {"result": results[0], "is_province": False}
    return render(request, "serviceindex/detail.html", context, status=400 if error else 200)


@require_GET
@staff_required
def province_detail(request: HttpRequest) -> HttpResponse:
    if visible_unit_ids(request.user) is not None:
        raise Http404
    period, error = _period(request)
    _results, province, _all = _compute(request, period)
    context = _context(period, error) | {"result": province, "is_province": True}
    return render(request, "serviceindex/detail.html", context, status=400 if error else 200)


@require_GET
@staff_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    period, error = _period(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    results, province, sees_all = _compute(request, period)
    content = index_workbook(results=results, province=province if sees_all else None, title=period.name)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"chi-so-766-{period.kind}-{period.number}-{period.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
