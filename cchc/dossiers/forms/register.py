"""Mẫu 07 of Circular 03/2025/TT-VPCP: Sổ theo dõi hồ sơ (the dossier register), as PDF and as XLSX."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from cchc.core.masking import mask_id_number
from cchc.dossiers.forms._common import applicant_of, fmt_date, heading, render
from cchc.dossiers.models import Dossier, HandOver

COLUMNS = (
    "STT",
    "Mã hồ sơ",
    "Tên thủ tục hành chính",
    "Tên cá nhân, tổ chức",
    "Số định danh",
    "Số lượng hồ sơ (bộ)",
    "Ngày nhận hồ sơ",
    "Ngày hẹn trả kết quả",
    "Ngày chuyển hồ sơ đến cơ quan giải quyết",
    "Ngày có kết quả giải quyết",
    "Ngày trả kết quả",
    "Ghi chú",
)


def _prefetched(dossiers: Iterable[Dossier]) -> list[Dossier]:
    if isinstance(dossiers, QuerySet):
        dossiers = dossiers.select_related(
            "procedure_version", "receiving_unit__area", "receiving_unit__parent"
        )
        dossiers = dossiers.prefetch_related(
            "parties", Prefetch("hand_overs", queryset=HandOver.objects.order_by("at", "pk"))
        )
    return list(dossiers)


def _transferred(dossier: Dossier) -> str:
    """The first hand-over out of the receiving unit: the transfer to the competent agency (Art. 18)."""
    for hand in dossier.hand_overs.all():
        if hand.to_unit_id != dossier.receiving_unit_id:
            return fmt_date(hand.at)
    return ""


def register_rows(dossiers: Iterable[Dossier]) -> list[dict[str, str | int]]:
    rows: list[dict[str, str | int]] = []
    for number, dossier in enumerate(_prefetched(dossiers), start=1):
        party = applicant_of(dossier)
        rows.append(
            {
                "number": number,
                "code": dossier.code,
                "procedure": dossier.procedure_version.name,
                "applicant": party.full_name if party else "",
                "id_number": mask_id_number(party.id_number if party else ""),
                "received": fmt_date(dossier.received_at),
                "appointment": fmt_date(dossier.appointment_at),
                "transferred": _transferred(dossier),
                "resolved": fmt_date(dossier.resolved_at),
                "returned": fmt_date(dossier.returned_at),
                "note": dossier.get_state_display(),
            }
        )
    return rows


def register_pdf(*, dossiers: Iterable[Dossier], title: str) -> bytes:
    """The register as a landscape A4 PDF/A-2b; the heading is the receiving unit of the first dossier."""
    items = _prefetched(dossiers)
    first = items[0].receiving_unit if items else None
    head = (
        heading(first, timezone.localdate())
        if first is not None
        else {"parent": "", "agency": "", "place": "", **_today()}
    )
    return render("form07.typ", {"title": title, "heading": head, "rows": register_rows(items)})


def _today() -> dict[str, str]:
    day = timezone.localdate()
    return {"day": f"{day.day:02d}", "month": f"{day.month:02d}", "year": str(day.year)}


def register_xlsx(*, dossiers: Iterable[Dossier], title: str = "Sổ theo dõi hồ sơ") -> bytes:
    """The register as an Excel workbook: a title row, the header, then one row per dossier."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Sổ theo dõi hồ sơ"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(COLUMNS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    keys = (
        "number",
        "code",
        "procedure",
        "applicant",
        "id_number",
        "count",
        "received",
        "appointment",
        "transferred",
        "resolved",
        "returned",
        "note",
    )
    for row in register_rows(dossiers):
        sheet.append([1 if key == "count" else row[key] for key in keys])
    for letter, width in zip("ABCDEFGHIJKL", (6, 28, 40, 26, 16, 10, 14, 14, 16, 14, 14, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
