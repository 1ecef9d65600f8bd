"""Public pages of dossiers: tracking (tra cứu), rating (đánh giá) and a citizen's own dossiers (hồ sơ của tôi).

Thin views. Who may see a dossier is decided in one place (`_access`): its code plus lookup key or phone digits
(cchc.portal.access, throttled), a signed rating link (cchc.dossiers.rating_links), or the signed-in citizen who
submitted it (cchc.portal.selectors). What is shown comes from cchc.portal.public's allow-list; every change goes
through cchc.portal.services. Pages hold personal data, so none is cached.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.citizens.access import is_citizen
from cchc.core.blobs import BlobError, blob_read
from cchc.dossiers.lifecycle import DossierActionError
from cchc.dossiers.models import Dossier, RatingLevel
from cchc.dossiers.rating_links import RatingLinkExpired, RatingLinkInvalid, rating_token_read
from cchc.orgs.throttle import client_address
from cchc.portal import services
from cchc.portal.access import dossier_lookup, tracked_dossiers
from cchc.portal.forms import EvaluationForm, RatingForm, TrackingForm
from cchc.portal.public import public_dossier, result_downloadable, status_label
from cchc.portal.rules import MAX_TOTAL
from cchc.portal.selectors import citizen_dossier, citizen_dossiers
from cchc.signing.checks import result_signature_problem

TRACK_TEMPLATE = "portal/track.html"
# The citizens' sign-in page (cchc.citizens).
CITIZEN_LOGIN_URL = "/cong-dan/dang-nhap/"
MY_DOSSIERS_PER_PAGE = 20


@dataclass(frozen=True)
class Access:
    """A dossier the visitor may see, and the fields that prove it again in the page's forms."""

    dossier: Dossier
    hidden: dict[str, str] = field(default_factory=dict)
    suggested_level: str = ""


def _page(
    request: HttpRequest,
    *,
    access: Access | None = None,
    form: TrackingForm | None = None,
    rating_form: RatingForm | None = None,
    evaluation_form: EvaluationForm | None = None,
    problem: str = "",
    status: int = 200,
    retry_after: int = 0,
) -> HttpResponse:
    context: dict[str, Any] = {"problem": problem}
    if access is None:
        context["form"] = form or TrackingForm()
    else:
        context.update(
            public=public_dossier(access.dossier),
            hidden=access.hidden,
            suggested_level=access.suggested_level,
            suggested_label=RatingLevel(access.suggested_level).label if access.suggested_level else "",
            levels=RatingLevel.choices,
            rating_form=rating_form or RatingForm(),
            evaluation_form=evaluation_form or EvaluationForm(),
            max_total=MAX_TOTAL,
        )
    response = render(request, TRACK_TEMPLATE, context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _reloaded(access: Access) -> Access:
    """The same access with the dossier read again, after a change."""
    return replace(access, dossier=tracked_dossiers().get(pk=access.dossier.pk))


def _not_found(request: HttpRequest, code: str) -> HttpResponse:
    """The one answer for an unknown code, a wrong key and wrong phone digits alike."""
    return _page(
        request,
        form=TrackingForm(initial={"ma": code}),
        problem=_(
            "Không tìm thấy hồ sơ phù hợp. Vui lòng kiểm tra lại mã hồ sơ và mã tra cứu "
            "(hoặc 4 số cuối số điện thoại)."
        ),
        status=404,
    )


def _access_by_link(request: HttpRequest, token: str) -> Access | HttpResponse:
    try:
        claim = rating_token_read(token)
    except RatingLinkExpired:
        problem = _(
            "Liên kết đánh giá đã hết hạn. Ông/Bà có thể tra cứu hồ sơ bằng mã hồ sơ và mã tra cứu để đánh giá."
        )
        return _page(request, problem=problem, status=410)
    except RatingLinkInvalid:
        claim = None
    dossier = tracked_dossiers().filter(pk=claim.dossier_id).first() if claim is not None else None
    if claim is None or dossier is None:
        problem = _("Liên kết đánh giá không hợp lệ. Vui lòng dùng đúng liên kết trong thông báo đã nhận.")
        return _page(request, problem=problem, status=400)
    return Access(dossier=dossier, hidden={"lien_ket": token}, suggested_level=claim.level)


def _access(request: HttpRequest, data: QueryDict) -> Access | HttpResponse:
    """The dossier `data` proves access to, or the page to answer with (form errors, not found, throttled)."""
    token = data.get("lien_ket", "")
    if token:
        return _access_by_link(request, token)
    form = TrackingForm(data, needs_secret=not is_citizen(request.user))
    if not form.is_valid():
        return _page(request, form=form, status=400)
    code, key, phone = form.cleaned_data["ma"], form.cleaned_data["khoa"], form.cleaned_data["so"]
    if not key and not phone:  # a signed-in citizen opening one of their own dossiers
        dossier = citizen_dossier(request.user, code)
        return Access(dossier=dossier, hidden={"ma": code}) if dossier else _not_found(request, code)
    lookup = dossier_lookup(code=code, address=client_address(request), key=key, phone=phone)
    if lookup.throttled:
        minutes = max(1, math.ceil(lookup.retry_after / 60))
        problem = _("Ông/Bà đã tra cứu quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút.") % {
            "minutes": minutes
        }
        return _page(
            request,
            form=TrackingForm(initial={"ma": code}),
            problem=problem,
            status=429,
            retry_after=lookup.retry_after,
        )
    if lookup.dossier is None:
        return _not_found(request, code)
    hidden = {"ma": code, "khoa": key} if key else {"ma": code, "so": phone}
    return Access(dossier=lookup.dossier, hidden=hidden)


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Tra cứu hồ sơ: the form, or the dossier when the QR code's parameters (ma, khoa) or the form's are given."""
    data = request.POST if request.method == "POST" else request.GET
    if request.method == "GET" and not data.get("ma") and not data.get("lien_ket"):
        return _page(request)
    access = _access(request, data)
    if isinstance(access, HttpResponse):
        return access
    return _page(request, access=access)


@never_cache
@require_GET
def rating_link_page(request: HttpRequest, token: str) -> HttpResponse:
    """The page the notice's signed link opens: the dossier, with the level chosen in the message offered first."""
    access = _access_by_link(request, token)
    if isinstance(access, HttpResponse):
        return access
    return _page(request, access=access)


@never_cache
@require_POST
def rate(request: HttpRequest) -> HttpResponse:
    """Đánh giá mức độ hài lòng: one click on a level, with an optional comment."""
    access = _access(request, request.POST)
    if isinstance(access, HttpResponse):
        return access
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _page(request, access=access, rating_form=form, status=400)
    try:
        services.rating_give(
            dossier=access.dossier, level=form.cleaned_data["muc"], comment=form.cleaned_data["y_kien"]
        )
    except DossierActionError as refused:
        messages.error(request, refused.message)
        return _page(request, access=_reloaded(access), status=refused.status)
    messages.success(request, _("Cảm ơn Ông/Bà đã đánh giá mức độ hài lòng."))
    return _page(request, access=_reloaded(access))


@never_cache
@require_POST
def result_download(request: HttpRequest) -> HttpResponse:
    """Tải kết quả điện tử: the signed result of a returned dossier (Decree 118/2025 Art. 22), to whoever proves
    access as on the tracking page. A POST, so the lookup key stays out of addresses and logs."""
    access = _access(request, request.POST)
    if isinstance(access, HttpResponse):
        return access
    result = getattr(access.dossier, "result", None)
    if result is None or not result_downloadable(access.dossier, result):
        messages.error(request, _("Hồ sơ chưa có kết quả điện tử để tải."))
        return _page(request, access=access, status=404)
    try:
        content = blob_read(result.file.name, result.sha256)
    except BlobError:
        messages.error(request, _("Không đọc được tệp kết quả. Vui lòng liên hệ nơi tiếp nhận hồ sơ."))
        return _page(request, access=access, status=404)
    # Verified on the way out too: a result whose signature no longer holds (a certificate revoked since) is not
    # handed out as if it were valid.
    if problem := result_signature_problem(content):
        messages.error(
            request,
            _(
                "Kết quả điện tử chưa tải được vì chữ ký số không hợp lệ: %(problem)s Vui lòng liên hệ nơi tiếp nhận hồ sơ."
            )
            % {"problem": problem},
        )
        return _page(request, access=access, status=409)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{access.dossier.code}-ket-qua.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@require_POST
def evaluate(request: HttpRequest) -> HttpResponse:
    """Đánh giá việc giải quyết thủ tục hành chính: the 9 indicators (Decree 118/2025 Art. 33)."""
    access = _access(request, request.POST)
    if isinstance(access, HttpResponse):
        return access
    form = EvaluationForm(request.POST)
    if not form.is_valid():
        return _page(request, access=access, evaluation_form=form, status=400)
    try:
        services.evaluation_give(dossier=access.dossier, scores=form.scores())
    except DossierActionError as refused:
        messages.error(request, refused.message)
        return _page(request, access=_reloaded(access), status=refused.status)
    messages.success(request, _("Cảm ơn Ông/Bà đã đánh giá việc giải quyết thủ tục hành chính."))
    return _page(request, access=_reloaded(access))


def _citizen_only(request: HttpRequest) -> HttpResponse | None:
    """Anonymous visitors go to the citizens' sign-in; staff accounts are not citizens (403)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), CITIZEN_LOGIN_URL)
    if not is_citizen(request.user):
        return render(request, "portal/not_citizen.html", status=403)
    return None


@never_cache
@require_GET
def my_dossiers(request: HttpRequest) -> HttpResponse:
    """Hồ sơ của tôi: every dossier the signed-in citizen submitted, newest first."""
    refused = _citizen_only(request)
    if refused is not None:
        return refused
    page = Paginator(citizen_dossiers(request.user), MY_DOSSIERS_PER_PAGE).get_page(request.GET.get("trang"))
    rows = [
        {
            "code": dossier.code,
            "procedure_name": dossier.procedure_version.name,
            "status_label": status_label(dossier.state)[1],
            "submitted_at": dossier.submitted_at or dossier.received_at,
            "appointment_at": dossier.appointment_at,
            "returned_at": dossier.returned_at,
        }
        for dossier in page.object_list
    ]
    return render(request, "portal/my_dossiers.html", {"page": page, "rows": rows})


@never_cache
@require_GET
def my_dossier(request: HttpRequest, code: str) -> HttpResponse:
    """The tracking page of one of the citizen's own dossiers, without a key."""
    refused = _citizen_only(request)
    if refused is not None:
        return refused
    dossier = citizen_dossier(request.user, code)
    if dossier is None:
        return _not_found(request, code)
    return _page(request, access=Access(dossier=dossier, hidden={"ma": dossier.code}))
