"""Reads of payments that the pages share: who may pay for a dossier, its fee lines, and reconciliation.

Scope: a payer reaches a dossier with its code and lookup key, or as the citizen account that submitted it;
staff see the payments of the dossiers they may see (cchc.dossiers.selectors.dossiers_visible_to).
"""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.dossiers.models import Dossier, DossierFee
from cchc.dossiers.selectors import dossiers_visible_to
from cchc.orgs.scoping import visible_unit_ids
from cchc.payments import rules
from cchc.payments.models import Payment, PaymentCallback, PaymentStatus

MAX_ROWS = 500

MISMATCH_LABELS: dict[str, Any] = {
    "unconfirmed_success": _("Cổng thanh toán báo đã thanh toán nhưng hệ thống chưa ghi nhận"),
    "pending_too_long": _("Chờ xác nhận quá lâu"),
}


# -- the payer's side --------------------------------------------------------------------------------------------
def dossier_for_payer(*, code: str, key: str, user: Any) -> Dossier | None:
    """The dossier with this code if `key` is its lookup key or `user` is the citizen who submitted it.

    None in every other case, with no hint of which part was wrong. The key is compared in constant time.
    """
    code = (code or "").strip()
    if not code or len(code) > (Dossier._meta.get_field("code").max_length or 40):
        return None
    dossier = (
        Dossier.objects.select_related("procedure_version", "competent_unit", "receiving_unit")
        .filter(code=code)
        .first()
    )
    if dossier is None:
        return None
    given = (key or "").strip().upper()
    if given and hmac.compare_digest(given.encode(), dossier.lookup_key.upper().encode()):
        return dossier
    if (
        getattr(user, "is_authenticated", False)
        and dossier.citizen_id is not None
        and dossier.citizen_id == user.pk
    ):
        return dossier
    return None


def dossier_for_staff(*, code: str, user: Any) -> Dossier | None:
    """The dossier with this code if `user` is staff who may see it (for receipts)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return dossiers_visible_to(user).filter(code=code.strip()).first()


def fees_unpaid(dossier: Dossier) -> list[DossierFee]:
    """The fee lines still to pay, with an amount (a free line is never sent to the gateway)."""
    return list(
        DossierFee.objects.filter(dossier=dossier, paid_at__isnull=True, amount_vnd__gt=0).order_by("pk")
    )


def fees_paid(dossier: Dossier) -> list[DossierFee]:
    return list(DossierFee.objects.filter(dossier=dossier, paid_at__isnull=False).order_by("pk"))


def payments_of(dossier: Dossier) -> list[Payment]:
    return list(Payment.objects.filter(dossier=dossier).order_by("-created_at", "-pk"))


def payment_of(dossier: Dossier, order_ref: str) -> Payment | None:
    return (
        Payment.objects.select_related(
            "dossier__procedure_version", "dossier__competent_unit__area", "dossier__competent_unit__parent"
        )
        .filter(dossier=dossier, order_ref=order_ref.strip())
        .first()
    )


# -- reconciliation (đối soát) -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReconciliationRow:
    pk: int
    order_ref: str
    dossier_code: str
    payer_name: str
    amount_vnd: int
    status: str
    status_label: str
    created_at: dt.datetime
    pay_date: dt.datetime | None
    confirmed_at: dt.datetime | None
    transaction_no: str
    bank_code: str
    receipt_number: str
    mismatch: str
    mismatch_label: str


@dataclass(frozen=True)
class StatusTotal:
    status: str
    label: str
    count: int
    amount_vnd: int


@dataclass(frozen=True)
class UnmatchedCallback:
    """A signed success from the gateway for an order we do not know."""

    order_ref: str
    amount: str
    transaction_no: str
    received_at: dt.datetime


@dataclass
class Reconciliation:
    rows: list[ReconciliationRow]
    totals: list[StatusTotal]
    count: int
    amount_vnd: int
    paid_amount_vnd: int
    mismatch_count: int
    truncated: bool
    unmatched: list[UnmatchedCallback] = field(default_factory=list)


def payments_visible_to(user: Any) -> QuerySet[Payment]:
    """The payments of the dossiers `user` may see."""
    return Payment.objects.filter(dossier__in=dossiers_visible_to(user).values("pk"))


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=timezone.get_current_timezone())


def reconciliation(
    *,
    user: Any,
    start: dt.date | None = None,
    end: dt.date | None = None,
    status: str = "",
    mismatches_only: bool = False,
    now: dt.datetime | None = None,
    limit: int = MAX_ROWS,
) -> Reconciliation:
    """The reconciliation of payments started between `start` and `end` (local days, both included).

    Mismatches: a payment not paid for which the gateway signed a success (its IPN was refused, or never came),
    and a payment still pending rules.PENDING_ALERT_AFTER after it started. Totals cover every matching
    payment, not only the rows shown.
    """
    moment = now or timezone.now()
    queryset = payments_visible_to(user)
    callbacks = PaymentCallback.objects.all()
    if start is not None:
        queryset = queryset.filter(created_at__gte=_day_start(start))
        callbacks = callbacks.filter(received_at__gte=_day_start(start))
    if end is not None:
        queryset = queryset.filter(created_at__lt=_day_start(end + dt.timedelta(days=1)))
        callbacks = callbacks.filter(received_at__lt=_day_start(end + dt.timedelta(days=1)))
    if status:
        queryset = queryset.filter(status=status)
    signed_success = PaymentCallback.objects.filter(
        payment=OuterRef("pk"), signature_valid=True, gateway_success=True
    )
    queryset = queryset.annotate(signed_success=Exists(signed_success))
    unconfirmed = Q(signed_success=True) & ~Q(status=PaymentStatus.PAID)
    too_long = Q(status=PaymentStatus.PENDING, created_at__lt=moment - rules.PENDING_ALERT_AFTER)
    if mismatches_only:
        queryset = queryset.filter(unconfirmed | too_long)

    totals_rows = {
        row["status"]: row for row in queryset.values("status").annotate(n=Count("pk"), s=Sum("amount_vnd"))
    }
    totals = [
        StatusTotal(
            status=value,
            label=str(label),
            count=int(totals_rows.get(value, {}).get("n") or 0),
            amount_vnd=int(totals_rows.get(value, {}).get("s") or 0),
        )
        for value, label in PaymentStatus.choices
    ]
    mismatch_count = queryset.filter(unconfirmed | too_long).count()

    found = list(queryset.select_related("dossier").order_by("-created_at", "-pk")[: limit + 1])
    labels = dict(PaymentStatus.choices)
    rows = []
    for payment in found[:limit]:
        mismatch = ""
        if getattr(payment, "signed_success", False) and payment.status != PaymentStatus.PAID:
            mismatch = "unconfirmed_success"
        elif (
            payment.status == PaymentStatus.PENDING
            and payment.created_at < moment - rules.PENDING_ALERT_AFTER
        ):
            mismatch = "pending_too_long"
        rows.append(
            ReconciliationRow(
                pk=payment.pk,
                order_ref=payment.order_ref,
                dossier_code=payment.dossier.code,
                payer_name=payment.payer_name,
                amount_vnd=payment.amount_vnd,
                status=payment.status,
                status_label=str(labels.get(payment.status, payment.status)),
                created_at=payment.created_at,
                pay_date=payment.pay_date,
                confirmed_at=payment.confirmed_at,
                transaction_no=payment.gateway_transaction_no,
                bank_code=payment.bank_code,
                receipt_number=payment.receipt_number or "",
                mismatch=mismatch,
                mismatch_label=str(MISMATCH_LABELS[mismatch]) if mismatch else "",
            )
        )
    unmatched: list[UnmatchedCallback] = []
    # A signed success for an unknown order belongs to no dossier: only those who see every unit see it.
    if visible_unit_ids(user) is None:
        unmatched = [
            UnmatchedCallback(
                order_ref=callback.order_ref,
                amount=str(callback.params.get("vnp_Amount", "")),
                transaction_no=str(callback.params.get("vnp_TransactionNo", "")),
                received_at=callback.received_at,
            )
            for callback in callbacks.filter(
                payment__isnull=True, signature_valid=True, gateway_success=True
            ).order_by("-received_at")[:limit]
        ]
    return Reconciliation(
        rows=rows,
        totals=totals,
        count=sum(total.count for total in totals),
        amount_vnd=sum(total.amount_vnd for total in totals),
        paid_amount_vnd=next(t.amount_vnd for t in totals if t.status == PaymentStatus.PAID),
        mismatch_count=mismatch_count,
        truncated=len(found) > limit,
        unmatched=unmatched,
    )
