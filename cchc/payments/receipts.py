"""The electronic receipt (biên lai điện tử) of a paid payment: its number, its content, and its PDF.

Content after Decree 123/2020/NĐ-CP on invoices and receipts (content of a fee receipt; article: verify):
number, the collecting agency, the payer, what was paid, the amount in figures and in words, the date, and
here also the dossier and the gateway's transaction. The PDF is PDF/A-2b, compiled with typst like the
official forms (cchc.dossiers.forms), and reuses their layout (common.typ).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Final

import typst
from django.db import connection, transaction

from cchc.dossiers.forms._common import PDF_STANDARD, fmt_datetime, heading
from cchc.payments.amounts import format_vnd, vnd_in_words
from cchc.payments.gateway import payment_channel
from cchc.payments.models import Payment, ReceiptSequence

# typst's root is the cchc package, so the receipt can import the forms' common.typ.
TYPST_ROOT: Final = Path(__file__).resolve().parent.parent
RECEIPT_TEMPLATE: Final = Path(__file__).resolve().parent / "receipt" / "receipt.typ"
RECEIPT_PREFIX: Final = "BL"

CHANNEL_LABELS: Final = {1: "Cổng Dịch vụ công quốc gia", 2: "Cổng Dịch vụ công cấp tỉnh"}
GATEWAY_LABELS: Final = {"vnpay": "VNPAY"}


def receipt_number_next(*, day: dt.date) -> str:
    """The next receipt number of `day`, "BL-yymmdd-000001" onwards.

    Must run inside the transaction that confirms the payment: the day's counter is incremented under a row
    lock held until that transaction ends (an upsert, like the dossier codes), so numbers are unique and a
    rolled-back confirmation leaves no gap.
    """
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError(
            "receipt_number_next() must run inside transaction.atomic()"
        )
    table = connection.ops.quote_name(ReceiptSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, last) VALUES (%s, 1) "  # noqa: S608 (a model's table name)
            f"ON CONFLICT (day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [connection.ops.adapt_datefield_value(day)],
        )
        row = cursor.fetchone()
    if row is None:  # pragma: no cover - RETURNING always gives the row
        raise RuntimeError("receipt sequence upsert returned nothing")
    return f"{RECEIPT_PREFIX}-{day:%y%m%d}-{int(row[0]):06d}"


def receipt_data(payment: Payment) -> dict[str, Any]:
    """What the receipt shows, as plain strings (the page and the PDF read the same data)."""
    dossier = payment.dossier
    lines = [
        {"number": str(index), "description": line.fee.description, "amount": format_vnd(line.amount_vnd)}
        for index, line in enumerate(payment.lines.select_related("fee").order_by("fee_id"), start=1)
    ]
    channel = payment.payment_channel or payment_channel()
    return {
        "heading": heading(dossier.competent_unit, payment.confirmed_at),
        "receipt_number": payment.receipt_number or "",
        "order_ref": payment.order_ref,
        "dossier_code": dossier.code,
        "procedure": dossier.procedure_version.name,
        "agency": dossier.competent_unit.name,
        "payer": payment.payer_name,
        "lines": lines,
        "total": format_vnd(payment.amount_vnd),
        "total_words": vnd_in_words(payment.amount_vnd),
        "paid_at": fmt_datetime(payment.pay_date or payment.confirmed_at),
        "confirmed_at": fmt_datetime(payment.confirmed_at),
        "gateway": GATEWAY_LABELS.get(payment.gateway, payment.gateway),
        "transaction_no": payment.gateway_transaction_no,
        "bank_code": payment.bank_code,
        "channel": CHANNEL_LABELS.get(channel, str(channel)),
    }


def receipt_pdf(payment: Payment) -> bytes:
    """The receipt of a paid payment as a PDF/A-2b document; ValueError when the payment is not paid."""
    if not payment.receipt_number:
        raise ValueError("Giao dịch chưa được xác nhận thanh toán, chưa có biên lai.")
    pdf = typst.compile(
        str(RECEIPT_TEMPLATE),
        root=str(TYPST_ROOT),
        format="pdf",
        pdf_standards=PDF_STANDARD,
        sys_inputs={"data": json.dumps(receipt_data(payment), ensure_ascii=False)},
    )
    assert isinstance(pdf, bytes)
    return pdf
