"""The lifecycle of a payment (giao dịch thanh toán): one table, and the one function that applies it.

Sources: Decree 45/2020/NĐ-CP and Circular 01/2023/TT-VPCP allow fees and charges of a procedure to be paid
online (article: verify); the VNPAY "pay" API 2.1.0 says that only the server-to-server notification (IPN),
never the browser's return, confirms a transaction, and that a transaction is final once confirmed.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.payments.models import Payment, PaymentStatus


class PaymentAction(models.TextChoices):
    CONFIRM = "confirm", _("Xác nhận đã thanh toán")
    FAIL = "fail", _("Ghi nhận không thành công")
    EXPIRE = "expire", _("Hết hạn")


ALLOWED_TRANSITIONS: dict[str, dict[str, str]] = {
    PaymentStatus.PENDING: {
        # VNPAY 2.1.0 IPN with vnp_ResponseCode = vnp_TransactionStatus = "00": the money was taken.
        PaymentAction.CONFIRM: PaymentStatus.PAID,
        # VNPAY 2.1.0 IPN with any other code: cancelled by the citizen, refused by the bank, timed out.
        PaymentAction.FAIL: PaymentStatus.FAILED,
        # VNPAY 2.1.0 vnp_ExpireDate passed, or the citizen started a new payment of the same lines.
        PaymentAction.EXPIRE: PaymentStatus.EXPIRED,
    },
    PaymentStatus.EXPIRED: {
        # Our expiry is only our guess: a late IPN is the gateway's final word, and money it took is real
        # (Decree 45/2020/NĐ-CP, fees paid online are fees paid; verify), so it is still recorded.
        PaymentAction.CONFIRM: PaymentStatus.PAID,
        PaymentAction.FAIL: PaymentStatus.FAILED,
    },
    # Final: a confirmed transaction is never confirmed again (VNPAY 2.1.0 IPN answer 02), and an issued
    # receipt is never withdrawn here (a refund would be its own record: not done).
    PaymentStatus.PAID: {},
    PaymentStatus.FAILED: {},
}


class PaymentError(Exception):
    """A payment cannot be started or moved; `message` is Vietnamese and safe to show to the citizen."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def next_status(status: str, action: str) -> str | None:
    """The status `action` leads to from `status`, or None when the table does not allow it."""
    return ALLOWED_TRANSITIONS.get(status, {}).get(action)


def apply_transition(payment: Payment, action: str) -> None:
    """Move `payment` (locked by the caller) through the table; PaymentError when the move is not allowed.

    The caller saves the payment.
    """
    target = next_status(payment.status, action)
    if target is None:
        raise PaymentError(
            str(_("Giao dịch %(ref)s đang ở trạng thái “%(status)s”, không thể %(action)s."))
            % {
                "ref": payment.order_ref,
                "status": PaymentStatus(payment.status).label,
                "action": str(PaymentAction(action).label).lower(),
            }
        )
    payment.status = target
