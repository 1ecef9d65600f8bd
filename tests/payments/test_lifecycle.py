"""The payment lifecycle table, cell by cell: every move it allows, and every one it refuses."""

from __future__ import annotations

import pytest

from cchc.payments.lifecycle import (
    ALLOWED_TRANSITIONS,
    PaymentAction,
    PaymentError,
    apply_transition,
    next_status,
)
from cchc.payments.models import Payment, PaymentStatus

ALLOWED = {
    (PaymentStatus.PENDING, PaymentAction.CONFIRM): PaymentStatus.PAID,
    (PaymentStatus.PENDING, PaymentAction.FAIL): PaymentStatus.FAILED,
    (PaymentStatus.PENDING, PaymentAction.EXPIRE): PaymentStatus.EXPIRED,
    (PaymentStatus.EXPIRED, PaymentAction.CONFIRM): PaymentStatus.PAID,
    (PaymentStatus.EXPIRED, PaymentAction.FAIL): PaymentStatus.FAILED,
}
CELLS = [(status, action) for status in PaymentStatus for action in PaymentAction]


def test_the_table_names_every_status() -> None:
    assert set(ALLOWED_TRANSITIONS) == set(PaymentStatus)


@pytest.mark.parametrize(("status", "action"), CELLS)
def test_each_cell(status: PaymentStatus, action: PaymentAction) -> None:
    payment = Payment(order_ref="260213TEST0001", status=status, amount_vnd=50_000)
    expected = ALLOWED.get((status, action))
    assert next_status(status, action) == expected
    if expected is None:
        with pytest.raises(PaymentError) as raised:
            apply_transition(payment, action)
        assert "260213TEST0001" in raised.value.message
        assert payment.status == status
    else:
        apply_transition(payment, action)
        assert payment.status == expected


def test_paid_is_final() -> None:
    assert ALLOWED_TRANSITIONS[PaymentStatus.PAID] == {}
