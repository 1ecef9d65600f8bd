"""Every change of a payment, one named function each: start, handle the gateway's IPN, verify a return.

Online payment of fees and charges (thanh toán trực tuyến phí, lệ phí): Decree 45/2020/NĐ-CP and Circular
01/2023/TT-VPCP (article: verify). The protocol is VNPAY 2.1.0 (cchc.payments.vnpay).

Trust: only the server-to-server IPN, with a valid signature, the right order and the right amount, marks a
payment paid. The browser's return carries the same signature, but it is only shown (payment_return_verify):
VNPAY's specification says the merchant must not update an order from the return address, and the IPN is the
one VNPAY retries until it is answered, so confirming in one place keeps one path to test and audit.

Every callback, accepted, forged or replayed, is logged as a PaymentCallback row and through `logging`.
Locks: the dossier row first, then the payment, then its fee lines, in every function, so none can deadlock.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cchc.dossiers.history import event_append
from cchc.dossiers.models import Dossier, DossierFee, PartyRole, State
from cchc.payments import gateway as gateway_settings
from cchc.payments import rules
from cchc.payments.gateway import (
    GatewayOrder,
    GatewayReport,
    IpnOutcome,
    PaymentGateway,
    payment_channel,
    payment_gateway,
    return_url,
)
from cchc.payments.lifecycle import PaymentAction, PaymentError, apply_transition, next_status
from cchc.payments.models import (
    CallbackKind,
    Payment,
    PaymentCallback,
    PaymentLine,
    PaymentStatus,
    Verdict,
)
from cchc.payments.receipts import receipt_number_next

logger = logging.getLogger(__name__)

HISTORY_ACTION = "pay"
# No fee is collected online for a dossier refused at reception (Decree 118/2025 Art. 17(2)(b): it is not
# handled) or withdrawn by the citizen (our reading; verify). A stopped dossier may still owe fees (Art. 21).
NOT_PAYABLE_STATES: frozenset[str] = frozenset({State.REFUSED, State.WITHDRAWN})
# A pending payment is reused only while the gateway still has this long left to take it.
REUSE_MARGIN = dt.timedelta(minutes=2)
ORDER_REF_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ORDER_REF_RANDOM = 8


@dataclass(frozen=True)
class IpnAnswer:
    """The answer to one IPN: the outcome, the JSON body for the gateway, and what we decided."""

    outcome: IpnOutcome
    body: dict[str, str]
    verdict: str
    payment: Payment | None


ReturnDisplay = Literal["paid", "pending", "failed", "expired", "invalid"]


@dataclass(frozen=True)
class ReturnResult:
    """What the citizen's browser brought back, once checked. Nothing was changed by it."""

    payment: Payment | None
    verdict: str
    display: ReturnDisplay
    response_code: str


# -- starting a payment ---------------------------------------------------------------------------------------------
def _order_ref_new(moment: dt.datetime) -> str:
    """A fresh order reference (vnp_TxnRef): the day and 8 random characters, e.g. 260213K7QX2M9A."""
    day = timezone.localtime(moment).strftime("%y%m%d")
    while True:
        ref = day + "".join(secrets.choice(ORDER_REF_ALPHABET) for _ in range(ORDER_REF_RANDOM))
        if not Payment.objects.filter(order_ref=ref).exists():
            return ref


def _payer_name(dossier: Dossier) -> str:
    party = dossier.parties.filter(role=PartyRole.APPLICANT).first()
    return party.full_name if party is not None else ""


def _chosen_fees(dossier: Dossier, fee_ids: Iterable[int] | None) -> list[DossierFee]:
    unpaid = list(
        DossierFee.objects.select_for_update()
        .filter(dossier=dossier, paid_at__isnull=True, amount_vnd__gt=0)
        .order_by("pk")
    )
    if fee_ids is None:
        chosen = unpaid
    else:
        wanted = set(fee_ids)
        chosen = [fee for fee in unpaid if fee.pk in wanted]
        if len(chosen) != len(wanted):
            raise PaymentError(_("Khoản phí được chọn không thuộc hồ sơ này hoặc đã được nộp."))
    if not chosen:
        raise PaymentError(_("Hồ sơ không còn khoản phí, lệ phí nào phải nộp."))
    return chosen


def _pending_overlapping(dossier: Dossier, fee_ids: frozenset[int]) -> QuerySet[Payment]:
    covering = PaymentLine.objects.filter(fee_id__in=fee_ids, payment__status=PaymentStatus.PENDING)
    return Payment.objects.select_for_update().filter(
        dossier=dossier, status=PaymentStatus.PENDING, pk__in=covering.values("payment_id")
    )


def _expire(payment: Payment, moment: dt.datetime) -> None:
    apply_transition(payment, PaymentAction.EXPIRE)
    payment.ended_at = moment
    payment.save(update_fields=["status", "ended_at"])


def payment_start(
    *,
    dossier: Dossier,
    fee_ids: Iterable[int] | None = None,
    client_ip: str,
    now: dt.datetime | None = None,
    gateway: PaymentGateway | None = None,
) -> tuple[Payment, str]:
    """Start paying unpaid fee lines of `dossier` online (thanh toán trực tuyến); return the payment and the
    signed address of the gateway to send the citizen to.

    `fee_ids` None pays every unpaid line with an amount. A pending payment of exactly the same lines that the
    gateway still accepts is reused (a double click does not make two orders); any other pending payment
    touching these lines is expired first, so a line is never in two live orders of ours. Raises PaymentError
    with a Vietnamese message: nothing to pay, a line not of this dossier or already paid, an amount outside
    the gateway's limits (rules.MIN_AMOUNT_VND..MAX_AMOUNT_VND), a refused or withdrawn dossier, no gateway.
    """
    moment = now or timezone.now()
    gateway = gateway or payment_gateway()
    if not gateway.is_configured():
        raise PaymentError(
            _("Chức năng thanh toán trực tuyến chưa được cấu hình. Vui lòng nộp tại Bộ phận Một cửa.")
        )
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if locked.state in NOT_PAYABLE_STATES:
            raise PaymentError(_("Hồ sơ đã bị từ chối hoặc đã rút, không phải nộp phí, lệ phí."))
        chosen = _chosen_fees(locked, fee_ids)
        chosen_ids = frozenset(fee.pk for fee in chosen)
        total = sum(fee.amount_vnd for fee in chosen)
        if not rules.MIN_AMOUNT_VND <= total <= rules.MAX_AMOUNT_VND:
            raise PaymentError(
                _("Số tiền thanh toán trực tuyến phải từ %(min)s đến %(max)s đồng.")
                % {
                    "min": f"{rules.MIN_AMOUNT_VND:,}".replace(",", "."),
                    "max": f"{rules.MAX_AMOUNT_VND:,}".replace(",", "."),
                }
            )
        for pending in _pending_overlapping(locked, chosen_ids):
            same_lines = set(pending.lines.values_list("fee_id", flat=True)) == chosen_ids
            if same_lines and pending.amount_vnd == total and pending.expires_at > moment + REUSE_MARGIN:
                return pending, pending.redirect_url
            _expire(pending, moment)
        order_ref = _order_ref_new(moment)
        expires_at = moment + rules.PAYMENT_LIFETIME
        url = gateway.payment_url(
            order=GatewayOrder(
                order_ref=order_ref,
                amount_vnd=total,
                order_info=f"Thanh toan phi le phi ho so {locked.code}",
                client_ip=client_ip,
                created_at=moment,
                expires_at=expires_at,
                return_url=return_url(),
                locale="en" if translation.get_language() == "en" else "vn",
            )
        )
        payment = Payment.objects.create(
            order_ref=order_ref,
            dossier=locked,
            amount_vnd=total,
            gateway=gateway.name,
            payer_name=_payer_name(locked),
            client_ip=client_ip[:45],
            redirect_url=url,
            created_at=moment,
            expires_at=expires_at,
        )
        PaymentLine.objects.bulk_create(
            PaymentLine(payment=payment, fee=fee, amount_vnd=fee.amount_vnd) for fee in chosen
        )
    logger.info("Payment %s started for dossier %s: %s VND", order_ref, locked.code, total)
    return payment, url


# -- callbacks --------------------------------------------------------------------------------------------------------
def _bounded(params: Mapping[str, Any]) -> dict[str, str]:
    """The parameters as strings, at most rules.CALLBACK_MAX_PARAMS of them, each value cut to a bounded size."""
    out: dict[str, str] = {}
    for name in sorted(str(key) for key in params)[: rules.CALLBACK_MAX_PARAMS]:
        out[name[:100]] = str(params[name])[: rules.CALLBACK_MAX_VALUE_CHARS]
    return out


def _as_text(params: Mapping[str, Any]) -> dict[str, str]:
    return {str(name): str(value) for name, value in params.items()}


def _callback_log(
    *,
    kind: str,
    params: Mapping[str, Any],
    report: GatewayReport,
    payment: Payment | None,
    verdict: str,
    answer_code: str,
    remote_addr: str,
    at: dt.datetime,
) -> None:
    """Write the callback's log row and log line; a failure here never changes the answer."""
    level = logging.INFO if verdict in {Verdict.PAID, Verdict.FAILED, Verdict.SHOWN} else logging.WARNING
    logger.log(
        level,
        "Payment callback %s ref=%s verdict=%s answer=%s signature_valid=%s from=%s",
        kind,
        report.order_ref[:40],
        verdict,
        answer_code or "-",
        report.signature_valid,
        remote_addr,
    )
    try:
        with transaction.atomic():
            PaymentCallback.objects.create(
                kind=kind,
                payment=payment,
                order_ref=report.order_ref[:100],
                params=_bounded(params),
                secure_hash=report.secure_hash,
                signature_valid=report.signature_valid,
                gateway_success=report.signature_valid and report.success,
                verdict=verdict,
                answer_code=answer_code,
                remote_addr=remote_addr[:45],
                received_at=at,
            )
    except Exception:
        logger.exception("Could not log the payment callback %s for %s", kind, report.order_ref[:40])


def _confirm(
    *, dossier: Dossier, payment: Payment, fees: list[DossierFee], report: GatewayReport, at: dt.datetime
) -> None:
    """Mark the payment paid and its fee lines paid, with one receipt number, and write the dossier's history.

    The caller holds the locks on the dossier, the payment and the fee lines, inside one transaction.
    """
    apply_transition(payment, PaymentAction.CONFIRM)
    channel = payment_channel()
    receipt = receipt_number_next(day=timezone.localdate(at))
    paid_at = report.pay_date or at
    payment.receipt_number = receipt
    payment.payment_channel = channel
    payment.gateway_transaction_no = report.transaction_no
    payment.bank_code = report.bank_code
    payment.response_code = report.response_code
    payment.pay_date = report.pay_date
    payment.confirmed_at = payment.ended_at = at
    payment.save()
    DossierFee.objects.filter(pk__in=[fee.pk for fee in fees]).update(
        paid_at=paid_at, payment_channel=channel, receipt_number=receipt
    )
    event_append(
        dossier=dossier,
        action=HISTORY_ACTION,
        actor=None,
        state_before=dossier.state,
        state_after=dossier.state,
        changes={
            "payment": payment.order_ref,
            "receipt_number": receipt,
            "amount_vnd": payment.amount_vnd,
            "fees": sorted(fee.pk for fee in fees),
            "payment_channel": channel,
            "gateway": payment.gateway,
            "gateway_transaction_no": report.transaction_no,
            "paid_at": paid_at,
        },
        at=at,
    )


def _ipn_decide(report: GatewayReport, at: dt.datetime) -> tuple[IpnOutcome, str, Payment | None]:
    """VNPAY 2.1.0's order of checks: signature, order, amount, then whether the order is still open."""
    if not report.signature_valid:
        return IpnOutcome.INVALID_SIGNATURE, Verdict.BAD_SIGNATURE, None
    if report.merchant_code != gateway_settings.merchant_code():
        # Signed with our secret but for another merchant code: not an order of ours.
        return IpnOutcome.ORDER_NOT_FOUND, Verdict.UNKNOWN_ORDER, None
    found = Payment.objects.filter(order_ref=report.order_ref).first() if report.order_ref else None
    if found is None:
        return IpnOutcome.ORDER_NOT_FOUND, Verdict.UNKNOWN_ORDER, None
    if report.amount_vnd != found.amount_vnd:
        return IpnOutcome.INVALID_AMOUNT, Verdict.BAD_AMOUNT, found
    action = PaymentAction.CONFIRM if report.success else PaymentAction.FAIL
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=found.dossier_id)
        payment = Payment.objects.select_for_update().get(pk=found.pk)
        if next_status(payment.status, action) is None:
            return IpnOutcome.ALREADY_CONFIRMED, Verdict.ALREADY_CONFIRMED, payment
        if not report.success:
            apply_transition(payment, action)
            payment.response_code = report.response_code
            payment.gateway_transaction_no = report.transaction_no
            payment.bank_code = report.bank_code
            payment.confirmed_at = payment.ended_at = at
            payment.save()
            return IpnOutcome.CONFIRMED, Verdict.FAILED, payment
        if not report.transaction_no:
            # A success without the gateway's transaction number cannot be reconciled with the bank.
            return IpnOutcome.UNKNOWN_ERROR, Verdict.ERROR, payment
        fees = list(
            DossierFee.objects.select_for_update()
            .filter(pk__in=payment.lines.values("fee_id"))
            .order_by("pk")
        )
        if any(fee.paid_at is not None for fee in fees):
            # Paid meanwhile by another payment (or at the counter): the money taken now must be refunded.
            return IpnOutcome.ALREADY_CONFIRMED, Verdict.LINES_ALREADY_PAID, payment
        _confirm(dossier=dossier, payment=payment, fees=fees, report=report, at=at)
        return IpnOutcome.CONFIRMED, Verdict.PAID, payment


def payment_ipn_handle(
    *,
    params: Mapping[str, Any],
    remote_addr: str,
    now: dt.datetime | None = None,
    gateway: PaymentGateway | None = None,
) -> IpnAnswer:
    """Handle the gateway's server-to-server notification (IPN) and say what to answer.

    Idempotent: a replay of a confirmed order changes nothing and is answered "already confirmed" (02).
    A forged call (bad signature), an unknown order or a wrong amount changes nothing either. Each call is
    logged (PaymentCallback, and `logging`), whatever its verdict; an unexpected error is answered 99.
    """
    moment = now or timezone.now()
    gateway = gateway or payment_gateway()
    text = _as_text(params)
    report = gateway.read(text)
    payment: Payment | None = None
    try:
        outcome, verdict, payment = _ipn_decide(report, moment)
    except Exception:
        logger.exception("IPN for %s could not be handled", report.order_ref[:40])
        outcome, verdict = IpnOutcome.UNKNOWN_ERROR, Verdict.ERROR
        try:
            if report.signature_valid and report.order_ref:
                payment = Payment.objects.filter(order_ref=report.order_ref).first()
        except Exception:  # the database itself may be what failed
            payment = None
    body = gateway.ipn_reply(outcome)
    _callback_log(
        kind=CallbackKind.IPN,
        params=text,
        report=report,
        payment=payment,
        verdict=verdict,
        answer_code=body.get("RspCode", ""),
        remote_addr=remote_addr,
        at=moment,
    )
    return IpnAnswer(outcome=outcome, body=body, verdict=verdict, payment=payment)


def payment_return_verify(
    *,
    params: Mapping[str, Any],
    remote_addr: str = "",
    now: dt.datetime | None = None,
    gateway: PaymentGateway | None = None,
) -> ReturnResult:
    """Check what the citizen's browser brought back from the gateway (return address) and say what to show.

    Nothing is changed: a payment is paid only when the IPN confirmed it. With a valid signature, the right
    order and amount, a payment still pending that the gateway reports as a success is shown "đang xác nhận"
    (being confirmed); the call is logged, so reconciliation sees a success the IPN never confirmed.
    """
    moment = now or timezone.now()
    gateway = gateway or payment_gateway()
    text = _as_text(params)
    report = gateway.read(text)
    payment: Payment | None = None
    display: ReturnDisplay = "invalid"
    if not report.signature_valid:
        verdict: str = Verdict.BAD_SIGNATURE
    else:
        payment = (
            Payment.objects.select_related("dossier").filter(order_ref=report.order_ref).first()
            if report.order_ref
            else None
        )
        if payment is None:
            verdict = Verdict.UNKNOWN_ORDER
        elif report.amount_vnd != payment.amount_vnd:
            verdict = Verdict.BAD_AMOUNT
        else:
            verdict = Verdict.SHOWN
            if payment.status == PaymentStatus.PAID:
                display = "paid"
            elif payment.status == PaymentStatus.FAILED or not report.success:
                display = "failed"
            else:
                # Pending, or expired on our side while the gateway took the money: wait for the IPN.
                display = "pending"
    _callback_log(
        kind=CallbackKind.RETURN,
        params=text,
        report=report,
        payment=payment,
        verdict=verdict,
        answer_code="",
        remote_addr=remote_addr,
        at=moment,
    )
    return ReturnResult(
        payment=payment if display != "invalid" else None,
        verdict=verdict,
        display=display,
        response_code=report.response_code,
    )
