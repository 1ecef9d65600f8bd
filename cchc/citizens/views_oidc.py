"""Sign-in through the OpenID Connect provider (VNeID-style): the redirect out and the callback.

Both answer 404 when OIDC is not configured (cchc.citizens.oidc.oidc_config). The flow's secrets (state, nonce,
PKCE verifier) live in the browser's session only, are used once, and expire after rules.OIDC_FLOW_MAX_AGE.
"""

from __future__ import annotations

import logging
import time

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cchc.citizens import rules, services
from cchc.citizens.forms import ContactForm
from cchc.citizens.oidc import (
    MESSAGES,
    OidcConfig,
    OidcError,
    authorization_start,
    identity_from_callback,
    oidc_config,
)
from cchc.citizens.views import after_sign_in, safe_next

logger = logging.getLogger(__name__)

FLOW_KEY = "citizen_oidc_flow"


def _config_or_404() -> OidcConfig:
    config = oidc_config()
    if config is None:
        raise Http404("OIDC sign-in is not configured")
    return config


def _redirect_uri(request: HttpRequest, config: OidcConfig) -> str:
    return config.redirect_uri or request.build_absolute_uri(reverse("citizen-oidc-callback"))


def _refused(request: HttpRequest, config: OidcConfig, message: str, status: int) -> HttpResponse:
    context = {"form": ContactForm(), "next": "", "oidc_label": config.button_label, "error": message}
    return render(request, "citizens/login.html", context, status=status)


@never_cache
@require_GET
def oidc_start(request: HttpRequest) -> HttpResponse:
    """Send the browser to the provider's sign-in page."""
    config = _config_or_404()
    redirect_uri = _redirect_uri(request, config)
    try:
        start = authorization_start(config, redirect_uri=redirect_uri)
    except OidcError as error:
        logger.warning("OIDC start failed: %s", error.reason)
        return _refused(request, config, error.message, 502)
    request.session[FLOW_KEY] = {
        "state": start.state,
        "nonce": start.nonce,
        "verifier": start.code_verifier,
        "redirect_uri": redirect_uri,
        "next": safe_next(request, request.GET.get("next")),
        "started": time.time(),
    }
    return HttpResponseRedirect(start.url)


@never_cache
@require_GET
def oidc_callback(request: HttpRequest) -> HttpResponse:
    """Back from the provider: check everything, then sign the citizen in (or register them)."""
    config = _config_or_404()
    flow = request.session.pop(FLOW_KEY, None)  # used once, whatever happens next
    if not isinstance(flow, dict) or time.time() - float(flow.get("started", 0)) > (
        rules.OIDC_FLOW_MAX_AGE.total_seconds()
    ):
        logger.warning("OIDC callback without a live flow in the session")
        return _refused(request, config, str(MESSAGES["state"]), 400)
    try:
        identity = identity_from_callback(
            config,
            params=request.GET,
            expected_state=str(flow.get("state") or ""),
            nonce=str(flow.get("nonce") or ""),
            code_verifier=str(flow.get("verifier") or ""),
            redirect_uri=str(flow.get("redirect_uri") or _redirect_uri(request, config)),
        )
    except OidcError as error:
        logger.warning("OIDC callback refused: %s", error.reason)
        return _refused(request, config, error.message, 502 if error.kind == "provider" else 400)
    try:
        user, _created = services.citizen_sign_in_oidc(identity=identity, current_user=request.user)
    except services.ProfileChangeRefused as refused:
        return _refused(request, config, refused.message, 409)
    except ValidationError as invalid:
        logger.warning("OIDC claims do not fit a profile: %s", invalid)
        return _refused(request, config, _("Thông tin nhận từ hệ thống định danh không hợp lệ."), 400)
    if not services.may_sign_in_as_citizen(user):
        return _refused(request, config, _("Tài khoản này không đăng nhập được tại đây."), 403)
    return after_sign_in(request, user, safe_next(request, str(flow.get("next") or "")))
