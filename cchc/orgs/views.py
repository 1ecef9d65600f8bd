"""Staff sign-in and sign-out (đăng nhập, đăng xuất của cán bộ).

Sign-in is throttled per user name and per client address (cchc.orgs.throttle), with the limits in
settings.LOGIN_MAX_ATTEMPTS and settings.LOGIN_WINDOW_SECONDS, because a guessed password opens personal
data (Decree 13/2023/NĐ-CP on personal data protection: measures against unauthorised access).
"""

from __future__ import annotations

import math

from django import forms
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LogoutView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from cchc.core.oidc import oidc_config
from cchc.orgs.throttle import client_address, throttle_check, throttle_fail, throttle_key, throttle_reset

LOGIN_SCOPE = "login"


class StaffLoginForm(AuthenticationForm):
    """User name and password, with Vietnamese labels and messages."""

    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        ),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản này đã bị khóa."),
    }


def _login_keys(request: HttpRequest, username: str) -> tuple[list[str], list[str]]:
    """The user-name counter and the address counter."""
    user_key = throttle_key(scope=LOGIN_SCOPE, kind="user", value=username)
    address_key = throttle_key(scope=LOGIN_SCOPE, kind="addr", value=client_address(request))
    return [user_key], [address_key]


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(resolve_url(settings.LOGIN_REDIRECT_URL))


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def staff_login(request: HttpRequest) -> HttpResponse:
    """Sign a staff member in; after too many failures, refuse every attempt with HTTP 429."""
    form = StaffLoginForm(request, data=request.POST or None)
    if request.method == "POST":
        username = request.POST.get("username", "")
        user_keys, address_keys = _login_keys(request, username)
        state = throttle_check(
            keys=[*user_keys, *address_keys],
            limit=settings.LOGIN_MAX_ATTEMPTS,
            window=settings.LOGIN_WINDOW_SECONDS,
        )
        if state.locked:
            minutes = max(1, math.ceil(state.retry_after / 60))
            context = {
                "form": StaffLoginForm(request, initial={"username": username}),
                "next": _safe_next(request),
                "lockout": _("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút.")
                % {"minutes": minutes},
            }
            response = render(request, "orgs/login.html", context, status=429)
            response["Retry-After"] = str(state.retry_after)
            return response
        if form.is_valid():
            throttle_reset(keys=user_keys)
            login(request, form.get_user())
            return HttpResponseRedirect(_safe_next(request))
        throttle_fail(keys=[*user_keys, *address_keys], window=settings.LOGIN_WINDOW_SECONDS)
    return render(
        request,
        "orgs/login.html",
        {"form": form, "next": _safe_next(request), "oidc": oidc_config() is not None},
    )


# Django's LogoutView accepts POST only (a GET gets 405), so a link or an image cannot sign anyone out.
staff_logout = LogoutView.as_view(next_page="/")
