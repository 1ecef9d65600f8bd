"""Staff sign-in through the identity provider: the redirect out and the callback (cchc.orgs.oidc).

Both answer 404 when OIDC is not configured. The flow's secrets live in the session only, are used once and
expire like the citizens' (cchc.citizens.rules.OIDC_FLOW_MAX_AGE).
"""

from __future__ import annotations

import logging
import time

from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cchc.citizens import rules
from cchc.citizens.oidc import (
    MESSAGES,
    OidcConfig,
    OidcError,
    authorization_start,
    identity_from_callback,
    oidc_config,
)
from cchc.orgs.oidc import StaffSignInRefused, staff_sign_in_oidc
from cchc.orgs.views import StaffLoginForm, _safe_next

logger = logging.getLogger(__name__)

FLOW_KEY = "staff_oidc_flow"
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _config_or_404() -> OidcConfig:
    config = oidc_config()
    if config is None:
        raise Http404("OIDC sign-in is not configured")
    return config


def _refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    context = {"form": StaffLoginForm(request), "next": "", "lockout": message, "oidc": True}
    return render(request, "orgs/login.html", context, status=status)


@never_cache
@require_GET
def staff_oidc_start(request: HttpRequest) -> HttpResponse:
    config = _config_or_404()
    redirect_uri = request.build_absolute_uri(reverse("staff-oidc-callback"))
    try:
        start = authorization_start(config, redirect_uri=redirect_uri)
    except OidcError as error:
        logger.warning("staff OIDC start failed: %s", error.reason)
        return _refused(request, error.message, 502)
    request.session[FLOW_KEY] = {
        "state": start.state, "nonce": start.nonce, "verifier": start.code_verifier,
        "redirect_uri": redirect_uri, "next": _safe_next(request), "started": time.time(),
    }  # fmt: skip
    return HttpResponseRedirect(start.url)


@never_cache
@require_GET
def staff_oidc_callback(request: HttpRequest) -> HttpResponse:
    config = _config_or_404()
    flow = request.session.pop(FLOW_KEY, None)  # used once, whatever happens next
    if not isinstance(flow, dict) or time.time() - float(flow.get("started", 0)) > (
        rules.OIDC_FLOW_MAX_AGE.total_seconds()
    ):
        return _refused(request, str(MESSAGES["state"]), 400)
    try:
        identity = identity_from_callback(
            config,
            params=request.GET,
            expected_state=str(flow.get("state") or ""),
            nonce=str(flow.get("nonce") or ""),
            code_verifier=str(flow.get("verifier") or ""),
            redirect_uri=str(flow.get("redirect_uri") or ""),
        )
    except OidcError as error:
        logger.warning("staff OIDC callback refused: %s", error.reason)
        return _refused(request, error.message, 502 if error.kind == "provider" else 400)
    try:
        user = staff_sign_in_oidc(identity=identity)
    except StaffSignInRefused as refused:
        return _refused(request, refused.message, 403)
    login(request, user, backend=BACKEND)
    return HttpResponseRedirect(str(flow.get("next") or "/can-bo/"))
