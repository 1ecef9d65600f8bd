"""Staff sign-in through the identity provider: the redirect out and the callback (cchc.orgs.oidc decides who
may come in; the relying party and the browser's flow are cchc.core.oidc's, as for citizens).

Both answer 404 when OIDC is not configured.
"""

from __future__ import annotations

import logging

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cchc.core.oidc import OidcError, flow_begin, flow_finish, oidc_config_or_404
from cchc.orgs.oidc import StaffSignInRefused, staff_sign_in_oidc
from cchc.orgs.views import StaffLoginForm, _safe_next

logger = logging.getLogger(__name__)

FLOW_KEY = "staff_oidc_flow"
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    context = {"form": StaffLoginForm(request), "next": "", "lockout": message, "oidc": True}
    return render(request, "orgs/login.html", context, status=status)


@never_cache
@require_GET
def staff_oidc_start(request: HttpRequest) -> HttpResponse:
    config = oidc_config_or_404()
    try:
        url = flow_begin(
            request.session,
            FLOW_KEY,
            config,
            redirect_uri=request.build_absolute_uri(reverse("staff-oidc-callback")),
            next_url=_safe_next(request),
        )
    except OidcError as error:
        logger.warning("staff OIDC start failed: %s", error.reason)
        return _refused(request, error.message, 502)
    return HttpResponseRedirect(url)


@never_cache
@require_GET
def staff_oidc_callback(request: HttpRequest) -> HttpResponse:
    config = oidc_config_or_404()
    try:
        end = flow_finish(request.session, FLOW_KEY, config, params=request.GET)
    except OidcError as error:
        logger.warning("staff OIDC callback refused: %s", error.reason)
        return _refused(request, error.message, 502 if error.kind == "provider" else 400)
    try:
        user = staff_sign_in_oidc(identity=end.identity)
    except StaffSignInRefused as refused:
        return _refused(request, refused.message, 403)
    login(request, user, backend=BACKEND)
    return HttpResponseRedirect(end.next_url or "/can-bo/")
