"""Who may open a dossier's payment pages, with the guessing of lookup keys throttled per client address."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from cchc.dossiers.history import personal_data_access_log
from cchc.dossiers.models import Dossier
from cchc.orgs.throttle import client_address, throttle_check, throttle_fail, throttle_key
from cchc.payments import rules, selectors

KEY_PARAMETER = "khoa"
STAFF_PURPOSE = "xem biên lai thanh toán"


def _keys(request: HttpRequest) -> list[str]:
    return [throttle_key(scope="payment-access", kind="addr", value=client_address(request))]


def _refused(request: HttpRequest, retry_after: int) -> HttpResponse:
    response = render(
        request,
        "payments/refused.html",
        {"detail": _("Bạn đã thử quá nhiều lần. Vui lòng thử lại sau ít phút.")},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


def payer_dossier(request: HttpRequest, code: str, *, staff_too: bool = False) -> Dossier | HttpResponse:
    """The dossier for its payer: code and lookup key (?khoa=), or the signed-in citizen who submitted it;
    with `staff_too`, also staff who may see it. A wrong code or key is the same 404, which says nothing about
    which part was wrong; too many of them from one address get 429 for a while (rules.ACCESS_*)."""
    keys = _keys(request)
    state = throttle_check(keys=keys, limit=rules.ACCESS_MAX_FAILURES, window=rules.ACCESS_WINDOW_SECONDS)
    if state.locked:
        return _refused(request, state.retry_after)
    dossier = selectors.dossier_for_payer(
        code=code, key=request.GET.get(KEY_PARAMETER, ""), user=request.user
    )
    if dossier is None and staff_too:
        dossier = selectors.dossier_for_staff(code=code, user=request.user)
        if dossier is not None:
            # The receipt names the payer: staff reads of it are logged (Decree 13/2023/NĐ-CP).
            personal_data_access_log(dossier=dossier, user=request.user, purpose=STAFF_PURPOSE)
    if dossier is None:
        throttle_fail(keys=keys, window=rules.ACCESS_WINDOW_SECONDS)
        raise Http404(_("Không tìm thấy hồ sơ."))
    return dossier
