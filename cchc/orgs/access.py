"""The one gate of staff pages (trang cán bộ): signed in, and holding at least one role today."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from cchc.orgs.scoping import roles_of


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in (else the staff login) and holding at least one role today (else 403).

    Which rows a staff member then sees is for the selectors (cchc.orgs.scoping), not for this gate.
    """

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (request.user.is_superuser or roles_of(request.user)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
