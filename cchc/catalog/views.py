"""Public pages of the catalog: search and the procedure page with all 7 required parts."""

from __future__ import annotations

from pathlib import Path

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.catalog import selectors
from cchc.catalog.forms import ProcedureSearchForm
from cchc.catalog.models import Component, Field, RequiredPart, VersionStatus
from cchc.catalog.presenters import format_vnd, levels_text, methods_text, time_limit_text

RESULTS_PER_PAGE = 50


def procedure_search(request: HttpRequest) -> HttpResponse:
    """Tra cứu thủ tục hành chính: accent-free, with filters by field, level, agency and online level."""
    form = ProcedureSearchForm(request.GET or None, fields=Field.objects.order_by("name"))
    results = []
    searched = False
    if form.is_bound and form.is_valid() and form.has_criteria():
        searched = True
        data = form.cleaned_data
        versions = selectors.procedure_search(
            query=data["q"],
            field=data["field"] or None,
            level=data["level"] or None,
            agency=data["agency"] or None,
            online_level=data["online_level"] or None,
            limit=RESULTS_PER_PAGE,
        )
        results = [
            {"version": v, "time_limit": time_limit_text(v), "levels": levels_text(v)} for v in versions
        ]
    return render(request, "catalog/search.html", {"form": form, "results": results, "searched": searched})


def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The procedure page: the 7 parts of Decree 63/2010 Art. 8(2), plus fees, result and legal basis."""
    version = selectors.procedure_version_for_code(code=code, on=timezone.localdate())
    if version is None:
        raise Http404(_("Không tìm thấy thủ tục hành chính này."))
    fees = [
        {"rule": fee, "amount": _("Miễn phí") if fee.amount_vnd == 0 else format_vnd(fee.amount_vnd)}
        for fee in version.fees.all()
    ]
    return render(
        request,
        "catalog/detail.html",
        {
            "version": version,
            "time_limit": time_limit_text(version),
            "levels": levels_text(version),
            "methods": methods_text(version),
            "components": version.components.all(),
            "fees": fees,
            "missing_parts": [RequiredPart(part).label for part in version.missing_required_parts()],
        },
    )


def component_template(request: HttpRequest, code: str, component_id: int) -> FileResponse:
    """Download a component's form template (mẫu đơn, tờ khai) of a published version of the procedure.

    Templates are served one by one through this view, never by exposing the media folder: it also holds the
    citizens' uploaded documents.
    """
    component = (
        Component.objects.select_related("version__procedure")
        .filter(pk=component_id, version__procedure__code__iexact=code.strip())
        .exclude(version__status=VersionStatus.DRAFT)
        .exclude(template="")
        .first()
    )
    if component is None or not component.template.storage.exists(component.template.name):
        raise Http404(_("Không tìm thấy mẫu đơn, tờ khai này."))
    filename = Path(component.template.name).name
    return FileResponse(component.template.open("rb"), as_attachment=True, filename=filename)
