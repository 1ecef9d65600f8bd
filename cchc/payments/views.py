"""Payment pages: the citizen's payment page, the gateway's return and IPN, receipts, and staff reconciliation.

Thin views: reads through cchc.payments.selectors, every change through cchc.payments.services.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from cchc.dossiers.models import Dossier
from cchc.orgs.access import staff_required
from cchc.orgs.throttle import client_address
from cchc.payments import selectors, services
from cchc.payments.access import KEY_PARAMETER, payer_dossier
from cchc.payments.export import reconciliation_xlsx
from cchc.payments.forms import PayForm, ReconciliationFilterForm
from cchc.payments.gateway import payment_gateway
from cchc.payments.lifecycle import PaymentError
from cchc.payments.models import Payment, PaymentStatus
from cchc.payments.receipts import receipt_data, receipt_pdf

# While a payment waits for the gateway's confirmation, its page reloads itself (no JavaScript needed).
PENDING_REFRESH_SECONDS = 5


def _with_gateway_form_action(policy: str, origin: str) -> str:
    """The site's CSP with the gateway added to form-action: the pay button's POST is redirected there, and
    browsers check that redirect against the form page's form-action."""
    if "form-action" not in policy:
        return policy
    return re.sub(r"form-action([^;]*)", lambda m: f"form-action{m.group(1)} {origin}", policy, count=1)


def _query(dossier: Dossier, request: HttpRequest) -> str:
    """The ?khoa= part for links, when the page was opened with the key."""
    key = request.GET.get(KEY_PARAMETER, "")
    return "?" + urlencode({KEY_PARAMETER: key}) if key else ""


def _payment_url(payment: Payment, query: str) -> str:
    return reverse("payments-payment", args=[payment.dossier.code, payment.order_ref]) + query


def _receipt_context(payment: Payment, query: str) -> dict[str, Any]:
    if payment.status != PaymentStatus.PAID:
        return {}
    return {
        "receipt": receipt_data(payment),
        "receipt_pdf_url": reverse("payments-receipt-pdf", args=[payment.dossier.code, payment.order_ref])
        + query,
    }


# -- the citizen's payment page --------------------------------------------------------------------------------------
@never_cache
@require_http_methods(["GET", "POST"])
def pay(request: HttpRequest, code: str) -> HttpResponse:
    """Thanh toán phí, lệ phí: the unpaid lines and the button that sends the citizen to the gateway."""
    found = payer_dossier(request, code)
    if isinstance(found, HttpResponse):
        return found
    dossier = found
    unpaid = selectors.fees_unpaid(dossier)
    form = PayForm(request.POST if request.method == "POST" else None, fees=unpaid)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _payment, url = services.payment_start(
                    dossier=dossier, fee_ids=form.fee_ids(), client_ip=client_address(request)
                )
            except PaymentError as exc:
                messages.error(request, exc.message)
                status = 409
            else:
                return HttpResponseRedirect(url)
        else:
            status = 422
    query = _query(dossier, request)
    payments = selectors.payments_of(dossier)
    response = render(
        request,
        "payments/pay.html",
        {
            "dossier": dossier,
            "form": form,
            "unpaid": unpaid,
            "total": sum(fee.amount_vnd for fee in unpaid),
            "paid": selectors.fees_paid(dossier),
            "payments": [{"payment": p, "url": _payment_url(p, query)} for p in payments],
            "action": reverse("payments-pay", args=[dossier.code]) + query,
        },
        status=status,
    )
    response["Content-Security-Policy"] = _with_gateway_form_action(
        settings.CONTENT_SECURITY_POLICY, payment_gateway().origin()
    )
    return response


# -- the gateway's callbacks -----------------------------------------------------------------------------------------
@never_cache
@require_GET
def payment_return(request: HttpRequest) -> HttpResponse:
    """Where the gateway sends the browser back (return address). It shows the result and changes nothing."""
    result = services.payment_return_verify(params=request.GET.dict(), remote_addr=client_address(request))
    context: dict[str, Any] = {"result": result, "display": result.display}
    status = 200
    payment = result.payment
    if payment is None:
        status = 400
    else:
        dossier = payment.dossier
        query = "?" + urlencode({KEY_PARAMETER: dossier.lookup_key})
        context.update(
            {
                "dossier": dossier,
                "payment": payment,
                "payment_url": _payment_url(payment, query),
                "pay_url": reverse("payments-pay", args=[dossier.code]) + query,
                **_receipt_context(payment, query),
            }
        )
    return render(request, "payments/result.html", context, status=status)


@csrf_exempt
@never_cache
@require_GET
def ipn(request: HttpRequest) -> HttpResponse:
    """The gateway's server-to-server notification (IPN): JSON {"RspCode", "Message"}, always HTTP 200."""
    answer = services.payment_ipn_handle(params=request.GET.dict(), remote_addr=client_address(request))
    return JsonResponse(answer.body)


# -- one payment and its receipt ---------------------------------------------------------------------------------------
def _payment_for(request: HttpRequest, code: str, ref: str) -> Payment | HttpResponse:
    found = payer_dossier(request, code, staff_too=True)
    if isinstance(found, HttpResponse):
        return found
    payment = selectors.payment_of(found, ref)
    if payment is None:
        raise Http404(_("Không tìm thấy giao dịch."))
    return payment


@never_cache
@require_GET
def payment_detail(request: HttpRequest, code: str, ref: str) -> HttpResponse:
    """A payment's status, and its electronic receipt (biên lai điện tử) once paid."""
    found = _payment_for(request, code, ref)
    if isinstance(found, HttpResponse):
        return found
    payment = found
    query = _query(payment.dossier, request)
    context = {
        "payment": payment,
        "dossier": payment.dossier,
        "status_label": PaymentStatus(payment.status).label,
        "refresh": PENDING_REFRESH_SECONDS if payment.status == PaymentStatus.PENDING else None,
        "pay_url": reverse("payments-pay", args=[payment.dossier.code]) + query,
        **_receipt_context(payment, query),
    }
    return render(request, "payments/payment.html", context)


@require_GET
@never_cache  # the receipt carries the payer's name (Decree 13/2023)
def receipt_pdf_view(request: HttpRequest, code: str, ref: str) -> HttpResponse:
    found = _payment_for(request, code, ref)
    if isinstance(found, HttpResponse):
        return found
    if found.status != PaymentStatus.PAID:
        raise Http404(_("Giao dịch chưa được xác nhận thanh toán, chưa có biên lai."))
    response = HttpResponse(receipt_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{found.receipt_number}.pdf"'
    return response


# -- staff: reconciliation ---------------------------------------------------------------------------------------------
def _reconciliation(request: HttpRequest) -> tuple[ReconciliationFilterForm, selectors.Reconciliation | None]:
    form = ReconciliationFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, None
    data = form.cleaned_data if form.is_bound else {}
    report = selectors.reconciliation(
        user=request.user,
        start=data.get("tu_ngay"),
        end=data.get("den_ngay"),
        status=data.get("trang_thai") or "",
        mismatches_only=bool(data.get("chenh_lech")),
    )
    return form, report


def _period(form: ReconciliationFilterForm) -> str:
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    start: dt.date | None = data.get("tu_ngay")
    end: dt.date | None = data.get("den_ngay")
    return _("Kỳ đối soát: từ %(start)s đến %(end)s") % {
        "start": start.strftime("%d/%m/%Y") if start else "…",
        "end": end.strftime("%d/%m/%Y") if end else timezone.localdate().strftime("%d/%m/%Y"),
    }


@require_GET
@staff_required
def reconcile(request: HttpRequest) -> HttpResponse:
    """Đối soát thanh toán: payments of the dossiers the user may see, totals, and mismatches."""
    form, report = _reconciliation(request)
    return render(
        request,
        "payments/staff/reconcile.html",
        {"form": form, "report": report, "period": _period(form), "query": request.GET.urlencode()},
        status=200 if report is not None else 422,
    )


@require_GET
@staff_required
def reconcile_export(request: HttpRequest) -> HttpResponse:
    form, report = _reconciliation(request)
    if report is None:
        return render(
            request,
            "payments/staff/reconcile.html",
            {"form": form, "report": None, "period": "", "query": ""},
            status=422,
        )
    content = reconciliation_xlsx(
        report=report, title=_("Đối soát thanh toán trực tuyến"), period=_period(form)
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="doi-soat-thanh-toan-{timezone.localdate():%Y%m%d}.xlsx"'
    )
    return response
