"""The reconciliation list (đối soát thanh toán) as an Excel workbook."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from cchc.payments.selectors import Reconciliation
from cchc.workdays.display import local_datetime

COLUMNS = (
    "STT",
    "Mã giao dịch",
    "Mã hồ sơ",
    "Người nộp tiền",
    "Số tiền (đồng)",
    "Trạng thái",
    "Thời điểm tạo",
    "Thời điểm thanh toán",
    "Mã giao dịch tại cổng",
    "Ngân hàng",
    "Số biên lai",
    "Chênh lệch",
)
WIDTHS = (6, 18, 28, 26, 14, 18, 17, 17, 18, 10, 20, 40)


def reconciliation_xlsx(*, report: Reconciliation, title: str, period: str) -> bytes:
    """A title row, the period, the header, one row per payment (amounts as numbers), then the totals."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Đối soát thanh toán"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([period])
    sheet.append(list(COLUMNS))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for number, row in enumerate(report.rows, start=1):
        sheet.append(
            [
                number,
                row.order_ref,
                row.dossier_code,
                row.payer_name,
                row.amount_vnd,
                row.status_label,
                local_datetime(row.created_at),
                local_datetime(row.pay_date or row.confirmed_at),
                row.transaction_no,
                row.bank_code,
                row.receipt_number,
                row.mismatch_label,
            ]
        )
    sheet.append([])
    for total in report.totals:
        sheet.append(["", f"Tổng – {total.label}", "", f"{total.count} giao dịch", total.amount_vnd])
    sheet.append(["", "Tổng cộng", "", f"{report.count} giao dịch", report.amount_vnd])
    sheet.append(["", "Số giao dịch chênh lệch", "", report.mismatch_count])
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    for cells in sheet.iter_rows(min_row=4, min_col=5, max_col=5):
        for cell in cells:
            cell.number_format = "#,##0"
    sheet.freeze_panes = "A4"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
