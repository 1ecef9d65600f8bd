"""Staff statistics pages (thống kê, /can-bo/thong-ke/): the table, the dossiers behind a figure, the XLSX.

Thin views: the period comes from `PeriodForm`, the figures from `cchc.stats.selectors`, scoped to the units the
user may see (`cchc.orgs.scoping.visible_unit_ids`: Home Affairs and province administrators see every unit).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cchc.catalog.models import Field, Procedure
from cchc.dossiers.models import State
from cchc.orgs.access import staff_required
from cchc.orgs.models import Unit
from cchc.orgs.scoping import visible_unit_ids
from cchc.stats.exports import COLUMNS, statistics_xlsx
from cchc.stats.forms import GROUP_CHOICES, ListForm, PeriodForm
from cchc.stats.selectors import Row, dossier_statistics, figure_label, statistics_dossiers

LIST_MAX_ROWS = 500
# The next level of a drill-down: province → unit → procedure → the dossiers.
NEXT_GROUP = {"unit": "procedure", "field": "procedure"}
FILTER_OF_GROUP = {"unit": "donvi", "field": "linhvuc", "procedure": "thutuc"}


def _filters(form: PeriodForm, unit_ids: list[int] | None) -> dict[str, Any]:
    """The drill-down filters, after checking the unit is one the user may see (else 404)."""
    unit_id = form.cleaned_data.get("donvi")
    if unit_id is not None and unit_ids is not None and unit_id not in unit_ids:
        raise Http404(_("Không tìm thấy đơn vị."))
    return {
        "unit_id": unit_id,
        "procedure_id": form.cleaned_data.get("thutuc"),
        "field_id": form.cleaned_data.get("linhvuc"),
    }


def _subject(filters: dict[str, Any]) -> list[str]:
    """What the drill-down is narrowed to, for the headings."""
    parts = []
    if filters["unit_id"]:
        parts.append(Unit.objects.filter(pk=filters["unit_id"]).values_list("name", flat=True).first() or "")
    if filters["field_id"]:
        parts.append(
            Field.objects.filter(pk=filters["field_id"]).values_list("name", flat=True).first() or ""
        )
    if filters["procedure_id"]:
        parts.append(
            Procedure.objects.filter(pk=filters["procedure_id"]).values_list("code", flat=True).first() or ""
        )
    return [part for part in parts if part]


def _query(form: PeriodForm, **changes: Any) -> str:
    values = {
        key: form.cleaned_data.get(key) for key in ("ky", "nam", "so", "nhom", "donvi", "thutuc", "linhvuc")
    }
    values.update(changes)
    return urlencode({key: value for key, value in values.items() if value not in (None, "")})


def _table(form: PeriodForm, rows: list[Row]) -> list[dict[str, Any]]:
    """Rows with their links: the label drills down one level, each figure opens its list of dossiers."""
    group_by = form.cleaned_data["nhom"]
    list_url = reverse("stats-dossiers")
    page_url = reverse("stats-statistics")
    table = []
    for row in rows:
        narrowed = {} if row.is_total or row.key is None else {FILTER_OF_GROUP[group_by]: row.key}
        label_url = ""
        if narrowed and group_by in NEXT_GROUP:
            label_url = f"{page_url}?{_query(form, nhom=NEXT_GROUP[group_by], **narrowed)}"
        elif narrowed:
            label_url = f"{list_url}?{_query(form, chitieu='received', **narrowed)}"
        cells = [
            {"value": row[name], "url": f"{list_url}?{_query(form, chitieu=name, **narrowed)}"}
            for name in COLUMNS
        ]
        table.append({"row": row, "label_url": label_url, "cells": cells})
    return table


@require_GET
@staff_required
def statistics(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET)
    context: dict[str, Any] = {"form": form, "columns": [(name, figure_label(name)) for name in COLUMNS]}
    if form.is_valid():
        unit_ids = visible_unit_ids(request.user)
        filters = _filters(form, unit_ids)
        period = form.period
        rows = dossier_statistics(
            unit_ids=unit_ids,
            start=period.start,
            end=period.end,
            group_by=form.cleaned_data["nhom"],
            **filters,
        )
        context.update(
            period=period,
            table=_table(form, rows),
            subject=_subject(filters),
            group_label=dict(GROUP_CHOICES)[form.cleaned_data["nhom"]],
            export_url=f"{reverse('stats-export')}?{_query(form)}",
            province_url=f"{reverse('stats-statistics')}?{_query(form, nhom='unit', donvi=None, thutuc=None, linhvuc=None)}",
        )
    return render(request, "stats/statistics.html", context, status=200 if form.is_valid() else 400)


@require_GET
@staff_required
def statistics_list(request: HttpRequest) -> HttpResponse:
    form = ListForm(request.GET)
    if not form.is_valid():
        return render(request, "stats/statistics.html", {"form": form}, status=400)
    unit_ids = visible_unit_ids(request.user)
    filters = _filters(form, unit_ids)
    period, figure = form.period, form.cleaned_data["chitieu"]
    queryset = statistics_dossiers(
        unit_ids=unit_ids, start=period.start, end=period.end, figure=figure, **filters
    )
    dossiers = list(queryset.select_related("procedure_version", "competent_unit")[: LIST_MAX_ROWS + 1])
    return render(
        request,
        "stats/dossiers.html",
        {
            "period": period,
            "figure_label": figure_label(figure),
            "subject": _subject(filters),
            "rows": [(d, State(d.state).label) for d in dossiers[:LIST_MAX_ROWS]],
            "truncated": len(dossiers) > LIST_MAX_ROWS,
            "back_url": f"{reverse('stats-statistics')}?{_query(form)}",
        },
    )


@require_GET
@staff_required
def statistics_export(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return render(request, "stats/statistics.html", {"form": form}, status=400)
    unit_ids = visible_unit_ids(request.user)
    filters = _filters(form, unit_ids)
    period = form.period
    rows = dossier_statistics(
        unit_ids=unit_ids, start=period.start, end=period.end, group_by=form.cleaned_data["nhom"], **filters
    )
    title = " – ".join([_("Thống kê tình hình giải quyết hồ sơ"), *_subject(filters)])
    content = statistics_xlsx(
        rows=rows,
        title=title,
        subtitle=period.label,
        group_label=str(dict(GROUP_CHOICES)[form.cleaned_data["nhom"]]),
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"thong-ke-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
