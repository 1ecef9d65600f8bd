"""Sign-in through the OpenID Connect provider (VNeID-style): the redirect out and the callback.

Both answer 404 when OIDC is not configured (cchc.core.oidc.oidc_config). The flow's secrets (state, nonce,
PKCE verifier) live in the browser's session only, are used once, and expire (cchc.core.oidc.flow_begin,
flow_finish).
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cchc.citizens import services
from cchc.citizens.forms import ContactForm
from cchc.citizens.views import after_sign_in, safe_next
from cchc.core.oidc import OidcConfig, OidcError, flow_begin, flow_finish, oidc_config_or_404

logger = logging.getLogger(__name__)

FLOW_KEY = "citizen_oidc_flow"


def _redirect_uri(request: HttpRequest, config: OidcConfig) -> str:
    return config.redirect_uri or request.build_absolute_uri(reverse("citizen-oidc-callback"))


def _refused(request: HttpRequest, config: OidcConfig, message: str, status: int) -> HttpResponse:
    context = {"form": ContactForm(), "next": "", "oidc_label": config.button_label, "error": message}
    return render(request, "citizens/login.html", context, status=status)


@never_cache
@require_GET
def oidc_start(request: HttpRequest) -> HttpResponse:
    """Send the browser to the provider's sign-in page."""
    config = oidc_config_or_404()
    try:
        url = flow_begin(
            request.session,
            FLOW_KEY,
            config,
            redirect_uri=_redirect_uri(request, config),
            next_url=safe_next(request, request.GET.get("next")),
        )
    except OidcError as error:
        logger.warning("OIDC start failed: %s", error.reason)
        return _refused(request, config, error.message, 502)
    return HttpResponseRedirect(url)


@never_cache
@require_GET
def oidc_callback(request: HttpRequest) -> HttpResponse:
    """Back from the provider: check everything, then sign the citizen in (or register them)."""
    config = oidc_config_or_404()
    try:
        end = flow_finish(request.session, FLOW_KEY, config, params=request.GET)
    except OidcError as error:
        logger.warning("OIDC callback refused: %s", error.reason)
        return _refused(request, config, error.message, 502 if error.kind == "provider" else 400)
    identity = end.identity
    try:
        user, _created = services.citizen_sign_in_oidc(identity=identity, current_user=request.user)
    except services.ProfileChangeRefused as refused:
        return _refused(request, config, refused.message, 409)
    except ValidationError as invalid:
        logger.warning("OIDC claims do not fit a profile: %s", invalid)
        return _refused(request, config, _("Thông tin nhận từ hệ thống định danh không hợp lệ."), 400)
    if not services.may_sign_in_as_citizen(user):
        return _refused(request, config, _("Tài khoản này không đăng nhập được tại đây."), 403)
    return after_sign_in(request, user, safe_next(request, end.next_url))
