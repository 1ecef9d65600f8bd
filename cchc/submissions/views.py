"""Online submission pages (nộp hồ sơ trực tuyến): a step-by-step form that works without JavaScript.

Every step saves the draft (POST, then redirect), so the citizen can stop and resume on another device.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from cchc.catalog import selectors as catalog_selectors
from cchc.catalog.presenters import format_vnd, time_limit_text
from cchc.citizens.access import citizen_required
from cchc.citizens.selectors import applicant_prefill
from cchc.core.blobs import BlobError, blob_store, max_upload_bytes
from cchc.dossiers import services as dossier_services
from cchc.dossiers.lifecycle import DossierActionError
from cchc.dossiers.models import DeliveryMethod, Dossier, State, SupplementRequest
from cchc.orgs.models import Unit
from cchc.signing.checks import upload_signature_refusal
from cchc.submissions import services
from cchc.submissions.forms import ApplicantForm, ReturnForm
from cchc.submissions.models import Draft
from cchc.submissions.routing import competent_units, receiving_unit_for

TRACKING_PATH = "/tra-cuu/"  # the public tracking page (cchc.portal), also printed as a QR code on Mẫu 01
STEPS = (
    ("submission-applicant", gettext_lazy("Người nộp")),
    ("submission-files", gettext_lazy("Giấy tờ")),
    ("submission-return", gettext_lazy("Nhận kết quả")),
    ("submission-review", gettext_lazy("Xác nhận và nộp")),
)


def _user(request: HttpRequest) -> Any:
    return request.user


def _draft(request: HttpRequest, key: uuid.UUID) -> Draft:
    """The citizen's own draft; anybody else's answers 404, as if it did not exist."""
    return get_object_or_404(
        Draft.objects.select_related("procedure_version__procedure", "competent_unit"),
        key=key,
        owner=request.user,
    )


def _context(draft: Draft, current: str, **extra: Any) -> dict[str, Any]:
    return {
        "draft": draft,
        "version": draft.procedure_version,
        "steps": [{"name": name, "label": label, "current": name == current} for name, label in STEPS],
        **extra,
    }


def _after_submit(draft: Draft) -> HttpResponse:
    assert draft.dossier is not None
    return redirect("submission-done", code=draft.dossier.code)


@require_http_methods(["GET", "POST"])
@citizen_required
def start(request: HttpRequest, code: str) -> HttpResponse:
    """The procedure's online entry: resume a draft of it, or start one pre-filled from the profile."""
    version = catalog_selectors.procedure_version_for_code(code=code)
    if version is None:
        raise Http404(_("Không tìm thấy thủ tục hành chính này."))
    if not services.online_allowed(version):
        messages.error(request, _("Thủ tục này chưa cung cấp dịch vụ công trực tuyến."))
        return redirect("procedure-detail", code=version.procedure.code)
    if request.method == "POST":
        draft = services.draft_create(
            owner=request.user, version=version, prefill=applicant_prefill(request.user)
        )
        return redirect("submission-applicant", key=draft.key)
    drafts = Draft.objects.filter(owner=_user(request), procedure_version=version, dossier__isnull=True)
    return render(
        request,
        "submissions/start.html",
        {"version": version, "drafts": drafts, "time_limit": time_limit_text(version)},
    )


@require_http_methods(["GET"])
@citizen_required
def drafts(request: HttpRequest) -> HttpResponse:
    """Hồ sơ nháp: every unfinished draft of the citizen, to resume on any device."""
    rows = Draft.objects.filter(owner=_user(request), dossier__isnull=True).select_related(
        "procedure_version__procedure"
    )
    return render(request, "submissions/drafts.html", {"drafts": rows})


@require_http_methods(["GET", "POST"])
@citizen_required
def step_applicant(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    draft = _draft(request, key)
    if draft.submitted:
        return _after_submit(draft)
    unit_ids = [u.pk for u in competent_units(draft.procedure_version)]
    units = Unit.objects.filter(pk__in=unit_ids).order_by("name")
    initial = dict(draft.applicant)
    if draft.competent_unit_id:
        initial["competent_unit"] = draft.competent_unit_id
    if isinstance(initial.get("birth_date"), str) and initial["birth_date"]:
        year, month, day = initial["birth_date"].split("-")
        initial["birth_date"] = f"{day}/{month}/{year}"
    form = ApplicantForm(request.POST or None, initial=initial, units=units)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit = data.pop("competent_unit")
        services.draft_save_applicant(draft=draft, applicant=data, competent_unit=unit)
        return redirect("submission-files", key=draft.key)
    return render(request, "submissions/applicant.html", _context(draft, "submission-applicant", form=form))


@require_http_methods(["GET", "POST"])
@citizen_required
def step_files(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    draft = _draft(request, key)
    if draft.submitted:
        return _after_submit(draft)
    components = list(draft.procedure_version.components.all())
    errors: dict[int, str] = {}
    if request.method == "POST":
        remove = request.POST.get("xoa", "")
        if remove.isdigit() and len(remove) <= 18:
            services.draft_detach(draft=draft, component_id=int(remove))
            messages.success(request, _("Đã gỡ tệp."))
            return redirect("submission-files", key=draft.key)
        added = 0
        for component in components:
            upload = request.FILES.get(f"tep_{component.pk}")
            if upload is None:
                continue
            try:
                services.draft_attach(
                    draft=draft, component=component, upload=upload, filename=upload.name or ""
                )
                added += 1
            except (BlobError, services.DraftError) as exc:
                errors[component.pk] = str(exc)
        if not errors:
            if added:
                messages.success(request, _("Đã lưu %(n)s tệp.") % {"n": added})
            target = "submission-return" if "tiep" in request.POST else "submission-files"
            return redirect(target, key=draft.key)
    stored = {f.component_id: f for f in draft.files.all()}
    rows = [{"component": c, "file": stored.get(c.pk), "error": errors.get(c.pk, "")} for c in components]
    return render(
        request,
        "submissions/files.html",
        _context(
            draft,
            "submission-files",
            rows=rows,
            has_errors=bool(errors),
            max_mb=max_upload_bytes() // (1024 * 1024),
        ),
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
@citizen_required
def step_return(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    draft = _draft(request, key)
    if draft.submitted:
        return _after_submit(draft)
    initial = {
        "method": draft.return_method or DeliveryMethod.ONLINE,
        "address": draft.return_address or draft.applicant.get("address", ""),
    }
    form = ReturnForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.draft_save_return(
            draft=draft, method=form.cleaned_data["method"], address=form.cleaned_data["address"]
        )
        return redirect("submission-review", key=draft.key)
    return render(request, "submissions/return.html", _context(draft, "submission-return", form=form))


@require_http_methods(["GET", "POST"])
@citizen_required
def step_review(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    draft = _draft(request, key)
    if draft.submitted:
        return _after_submit(draft)
    if request.method == "POST":
        try:
            services.draft_submit(draft=draft)
        except (services.DraftError, DossierActionError) as exc:
            messages.error(request, str(exc))
            return redirect("submission-review", key=draft.key)
        return _after_submit(draft)
    version = draft.procedure_version
    fees = [
        {"rule": fee, "amount": _("Miễn phí") if fee.amount_vnd == 0 else format_vnd(fee.amount_vnd)}
        for fee in version.fees.all()
        if fee.amount_vnd is not None
    ]
    stored = {f.component_id: f for f in draft.files.all()}
    components = [{"component": c, "file": stored.get(c.pk)} for c in version.components.all()]
    return render(
        request,
        "submissions/review.html",
        _context(
            draft,
            "submission-review",
            fees=fees,
            total=format_vnd(sum(f["rule"].amount_vnd or 0 for f in fees)),
            components=components,
            problems=services.draft_problems(draft),
            receiving_unit=receiving_unit_for(draft.competent_unit) if draft.competent_unit else None,
            return_label=DeliveryMethod(draft.return_method).label if draft.return_method else "",
        ),
    )


def _own_dossier(request: HttpRequest, code: str) -> Dossier:
    return get_object_or_404(
        Dossier.objects.select_related("procedure_version", "receiving_unit"), code=code, citizen=request.user
    )


@require_http_methods(["GET"])
@citizen_required
def done(request: HttpRequest, code: str) -> HttpResponse:
    """The confirmation: the dossier code and lookup key, also sent by SMS or email."""
    dossier = _own_dossier(request, code)
    unpaid = dossier.fees.filter(paid_at__isnull=True, amount_vnd__gt=0).exists()
    tracking = f"{TRACKING_PATH}?{urlencode({'ma': dossier.code, 'khoa': dossier.lookup_key})}"
    return render(
        request,
        "submissions/done.html",
        {"dossier": dossier, "unpaid": unpaid, "tracking": tracking},
    )


@require_http_methods(["GET", "POST"])
@citizen_required
def supplement(request: HttpRequest, code: str) -> HttpResponse:
    """Bổ sung hồ sơ trực tuyến: exactly what was asked for, and an upload for each item."""
    dossier = _own_dossier(request, code)
    if dossier.state not in (State.RECEPTION_SUPPLEMENT, State.PROCESSING_SUPPLEMENT):
        messages.info(request, _("Hồ sơ %(code)s không ở trạng thái chờ bổ sung.") % {"code": dossier.code})
        return redirect("submission-done", code=dossier.code)
    request_row = (
        SupplementRequest.objects.filter(dossier=dossier, completed_at__isnull=True)
        .order_by("-requested_at")
        .first()
    )
    missing = [str(item) for item in (request_row.missing if request_row else [])]
    errors: dict[int, str] = {}
    if request.method == "POST" and request_row is not None and request_row.supplied_at is None:
        files = []
        for index, item in enumerate(missing):
            upload = request.FILES.get(f"tep_{index}")
            if upload is None:
                continue
            if refusal := upload_signature_refusal(upload):
                errors[index] = refusal
                continue
            try:
                blob = blob_store(upload)
            except BlobError as exc:
                errors[index] = str(exc)
                continue
            files.append(dossier_services.SuppliedFile(name=item, blob_name=blob.name, sha256=blob.sha256))
        if not errors:
            try:
                dossier_services.dossier_supplement_online(
                    dossier=dossier, citizen=request.user, files=files, at=timezone.now()
                )
            except DossierActionError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Đã gửi giấy tờ bổ sung. Cơ quan sẽ tiếp tục giải quyết hồ sơ."))
                return redirect("submission-done", code=dossier.code)
    return render(
        request,
        "submissions/supplement.html",
        {
            "dossier": dossier,
            "request_row": request_row,
            "items": [
                {"index": i, "name": name, "error": errors.get(i, "")} for i, name in enumerate(missing)
            ],
            "max_mb": max_upload_bytes() // (1024 * 1024),
        },
        status=400 if errors else 200,
    )
