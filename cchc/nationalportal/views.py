"""The staff page of the national portal sync (đồng bộ Cổng DVCQG): what waits, what failed, and resending."""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cchc.nationalportal import selectors, services
from cchc.orgs.access import staff_required
from cchc.orgs.roles import Role
from cchc.orgs.scoping import has_role


@require_GET
@staff_required
def sync(request: HttpRequest) -> HttpResponse:
    overview = selectors.sync_overview(request.user)
    by_unit = {m.unit_id: m.unit for m in overview.failed}
    resendable = {unit_id for unit_id, unit in by_unit.items() if may_resend(request.user, unit)}
    return render(
        request, "nationalportal/staff/sync.html", {"overview": overview, "resendable_units": resendable}
    )


def may_resend(user: object, unit: object) -> bool:
    return any(has_role(user, role, unit) for role in (Role.PROVINCE_ADMIN, Role.UNIT_ADMIN))  # type: ignore[arg-type]


@require_POST
@staff_required
def resend(request: HttpRequest, pk: int) -> HttpResponse:
    """Gửi lại: the unit's or the province's administrator puts a failed message back in the queue."""
    message = get_object_or_404(selectors.visible_messages(request.user).select_related("unit"), pk=pk)
    if not may_resend(request.user, message.unit):
        raise PermissionDenied
    try:
        services.message_resend(message=message, actor=request.user, now=timezone.now())
    except services.ResendError as error:
        flash.error(request, str(error))
    else:
        flash.success(request, _("Đã đưa thông điệp vào hàng đợi, sẽ gửi ở lần đồng bộ tới."))
    return redirect("nationalportal-sync")
