"""Citizen sign-in by one-time code, sign-out and the personal profile (issue 4 §2).

Thin views: every change goes through cchc.citizens.services. Sign-in never says whether an account exists:
a code is sent to any valid address, and the first sign-in creates the account (đăng ký). Throttled requests
get HTTP 429 with a Vietnamese message and Retry-After. `next` is followed only to a local address.
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from cchc.citizens import rules, services, throttling
from cchc.citizens.access import citizen_required
from cchc.citizens.contacts import Contact, ContactKind
from cchc.citizens.delivery import CodeDeliveryError
from cchc.citizens.forms import CodeForm, ContactForm, ProfileForm
from cchc.citizens.models import CitizenProfile
from cchc.citizens.selectors import citizen_profile_of
from cchc.core.oidc import oidc_config
from cchc.orgs.throttle import ThrottleState

FLOW_KEY = "citizen_code_flow"
BACKEND = "django.contrib.auth.backends.ModelBackend"


# -- helpers shared with views_oidc -----------------------------------------------------------------------------
def safe_next(request: HttpRequest, target: str | None) -> str:
    """`target` when it is a local address of this site, else ""."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def after_sign_in(request: HttpRequest, user: Any, next_url: str) -> HttpResponseRedirect:
    """Sign `user` in (a new session key, against session fixation) and go on: to the profile if it has no
    name yet (the end of registration), else to `next` or the profile."""
    login(request, user, backend=BACKEND)
    profile = CitizenProfile.objects.get(user=user)
    profile_url = reverse("citizen-profile")
    if not profile.is_complete:
        messages.info(request, _("Chào mừng bạn. Vui lòng cập nhật hồ sơ cá nhân để dùng dịch vụ công."))
        if next_url:
            return HttpResponseRedirect(f"{profile_url}?{urlencode({'next': next_url})}")
        return HttpResponseRedirect(profile_url)
    return HttpResponseRedirect(next_url or profile_url)


def _minutes(state: ThrottleState) -> int:
    return max(1, math.ceil(state.retry_after / 60))


def _throttled(
    request: HttpRequest, template: str, context: dict[str, Any], state: ThrottleState
) -> HttpResponse:
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(state.retry_after)
    return response


def _login_context(request: HttpRequest, form: ContactForm, next_url: str, **extra: Any) -> dict[str, Any]:
    config = oidc_config()
    return {
        "form": form,
        "next": next_url,
        "oidc_label": config.button_label if config else "",
        **extra,
    }


def _flow_contact(request: HttpRequest) -> tuple[Contact, str] | None:
    flow = request.session.get(FLOW_KEY)
    if not isinstance(flow, dict):
        return None
    try:
        return Contact(ContactKind(flow["kind"]), str(flow["value"])), str(flow.get("next") or "")
    except (KeyError, ValueError):
        return None


def _send_code(
    request: HttpRequest, contact: Contact, next_url: str, template: str, context: dict[str, Any]
) -> HttpResponse:
    """Throttle, count, send, remember the address in the session, and go to the code page."""
    state = throttling.code_request_state(request, contact)
    if state.locked:
        context["error"] = _(
            "Bạn đã yêu cầu gửi mã quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút."
        ) % {"minutes": _minutes(state)}
        return _throttled(request, template, context, state)
    throttling.code_request_count(request, contact)
    try:
        services.otp_request(contact=contact)
    except CodeDeliveryError:
        context["error"] = _(
            "Chưa gửi được mã xác nhận. Vui lòng kiểm tra lại địa chỉ hoặc thử lại sau ít phút."
        )
        return render(request, template, context, status=503)
    request.session[FLOW_KEY] = {"kind": str(contact.kind), "value": contact.value, "next": next_url}
    return HttpResponseRedirect(reverse("citizen-login-code"))


# -- pages ------------------------------------------------------------------------------------------------------
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_start(request: HttpRequest) -> HttpResponse:
    """Step 1 (đăng nhập): the citizen gives a mobile number or an e-mail address; a code is sent there."""
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = ContactForm(request.POST or None)
    if request.method != "POST":
        return render(request, "citizens/login.html", _login_context(request, form, next_url))
    if not form.is_valid():
        return render(request, "citizens/login.html", _login_context(request, form, next_url), status=400)
    contact: Contact = form.cleaned_data["contact"]
    return _send_code(
        request, contact, next_url, "citizens/login.html", _login_context(request, form, next_url)
    )


def _code_context(contact: Contact, form: CodeForm, **extra: Any) -> dict[str, Any]:
    minutes = int(rules.OTP_VALIDITY.total_seconds() // 60)
    return {
        "form": form,
        "masked": contact.masked,
        "by_sms": contact.kind == ContactKind.SMS,
        "minutes": minutes,
        **extra,
    }


_CODE_MESSAGES = {
    services.CodeCheck.EXPIRED: gettext_lazy(
        "Mã xác nhận đã hết hạn. Vui lòng bấm “Gửi lại mã” để nhận mã mới."
    ),
    services.CodeCheck.EXHAUSTED: gettext_lazy(
        "Bạn đã nhập sai quá số lần cho phép. Mã này không còn dùng được; vui lòng bấm “Gửi lại mã”."
    ),
    services.CodeCheck.MISSING: gettext_lazy(
        "Mã xác nhận không còn hiệu lực. Vui lòng bấm “Gửi lại mã” để nhận mã mới."
    ),
}


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """Step 2 (nhập mã xác nhận): the code sent is entered; right, the citizen is signed in (or registered)."""
    flow = _flow_contact(request)
    if flow is None:
        return HttpResponseRedirect(reverse("citizen-login"))
    contact, next_url = flow
    if request.method != "POST":
        return render(request, "citizens/code.html", _code_context(contact, CodeForm()))
    if request.POST.get("action") == "resend":
        return _send_code(
            request, contact, next_url, "citizens/code.html", _code_context(contact, CodeForm())
        )
    form = CodeForm(request.POST)
    state = throttling.code_entry_state(request, contact)
    if state.locked:
        error = _("Nhập sai mã quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút.") % {
            "minutes": _minutes(state)
        }
        return _throttled(
            request, "citizens/code.html", _code_context(contact, CodeForm(), error=error), state
        )
    if not form.is_valid():
        return render(request, "citizens/code.html", _code_context(contact, form), status=400)
    outcome = services.otp_verify(contact=contact, code=form.cleaned_data["code"])
    if not outcome.accepted:
        throttling.wrong_code_count(request, contact)
        if outcome.check == services.CodeCheck.WRONG:
            error = _("Mã xác nhận không đúng. Bạn còn %(left)s lần thử.") % {"left": outcome.attempts_left}
        else:
            error = str(_CODE_MESSAGES[outcome.check])
        return render(
            request, "citizens/code.html", _code_context(contact, CodeForm(), error=error), status=400
        )
    user, _created = services.citizen_account_ensure(contact=contact)
    if not services.may_sign_in_as_citizen(user):
        error = _("Tài khoản này không đăng nhập được tại đây. Vui lòng liên hệ bộ phận hỗ trợ.")
        return render(
            request, "citizens/code.html", _code_context(contact, CodeForm(), error=error), status=403
        )
    throttling.wrong_code_reset(request, contact)
    request.session.pop(FLOW_KEY, None)
    return after_sign_in(request, user, safe_next(request, next_url))


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Sign out (đăng xuất): POST only, so a link or an image cannot sign anyone out."""
    logout(request)
    return HttpResponseRedirect("/")


@citizen_required
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """The personal profile (hồ sơ cá nhân), pre-filled into new dossiers."""
    citizen = citizen_profile_of(request.user)
    if citizen is None:  # the decorator let a citizen in; the profile cannot have gone since
        return HttpResponseRedirect(reverse("citizen-login"))
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = ProfileForm(request.POST or None, profile=citizen)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.citizen_profile_update(
                    profile=citizen,
                    full_name=data["full_name"],
                    id_number=data["id_number"],
                    birth_date=data["birth_date"],
                    phone=data["phone"],
                    email=data["email"],
                    address=data["address"],
                    area=data["area"],
                )
            except services.ProfileChangeRefused as refused:
                form.add_error(None, refused.message)
            except ValidationError as invalid:
                form.add_error(None, invalid)
            else:
                messages.success(request, _("Đã lưu hồ sơ cá nhân."))
                return HttpResponseRedirect(next_url or reverse("citizen-profile"))
        status = 400
    return render(
        request, "citizens/profile.html", {"form": form, "profile": citizen, "next": next_url}, status=status
    )
