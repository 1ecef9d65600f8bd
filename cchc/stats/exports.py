"""The statistics as an XLSX workbook (openpyxl): the same rows and columns as the page."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from cchc.stats.selectors import Row, figure_label

# The national layout's column order (DOMAIN.md §8): received, resolved, refused/withdrawn/stopped, pending.
COLUMNS: tuple[str, ...] = (
    "received",
    "carried_over",
    "new",
    "new_online",
    "new_in_person",
    "new_post",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "refused",
    "withdrawn",
    "stopped",
    "pending",
    "pending_within",
    "pending_overdue",
    "apologies",
)


def statistics_xlsx(*, rows: list[Row], title: str, subtitle: str, group_label: str) -> bytes:
    """One sheet: a title, the period, a header row, one row per group and the total row."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Thống kê")
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([subtitle])
    sheet.append([group_label, *(figure_label(name) for name in COLUMNS)])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([row.label, *(row[name] for name in COLUMNS)])
        if row.is_total:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 48
    sheet.freeze_panes = "B4"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
