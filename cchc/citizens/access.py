"""Who is a citizen (công dân) here, and a view decorator that requires one."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from cchc.citizens.models import CitizenProfile
from cchc.orgs.models import Membership


def is_citizen(user: Any) -> bool:
    """A signed-in, active account with a citizen profile and no staff rights: no admin flag and no membership
    in any unit, now or in the past (a former officer's account is not turned into a citizen's).

    The one rule for every app (portal, submissions, feedback, payments)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not user.is_active or user.is_staff or user.is_superuser:
        return False
    try:
        if not isinstance(user.citizen_profile, CitizenProfile):
            return False
    except CitizenProfile.DoesNotExist:
        return False
    return not Membership.objects.filter(user_id=user.pk).exists()


def citizen_login_url(next_url: str = "") -> str:
    url = reverse("citizen-login")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def citizen_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let citizens through; send anyone else to the citizen sign-in, coming back here afterwards."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_citizen(request.user):
            return HttpResponseRedirect(citizen_login_url(request.get_full_path()))
        return view(request, *args, **kwargs)

    return wrapped
