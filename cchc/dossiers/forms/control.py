"""Mẫu 06 of Circular 03/2025/TT-VPCP: Phiếu kiểm soát quá trình giải quyết hồ sơ (the control sheet)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from cchc.dossiers.forms._common import dossier_data, fmt_datetime, heading, render, user_name
from cchc.dossiers.models import Dossier, HandOver, StepOutcome

OUTCOMES: dict[str, str] = {
    StepOutcome.EARLY: "Trước hạn",
    StepOutcome.ON_TIME: "Đúng hạn",
    StepOutcome.LATE: "Quá hạn",
}


def control_rows(dossier: Dossier) -> list[dict[str, str]]:
    """One row per hand-over, then one per finished step that no hand-over closed (the signing step)."""
    hand_overs = list(
        HandOver.objects.filter(dossier=dossier)
        .select_related("from_unit", "to_unit", "from_user", "to_user", "step")
        .order_by("at", "pk")
    )
    rows: list[tuple[Any, dict[str, str]]] = [
        (
            hand.at,
            {
                "from_unit": hand.from_unit.name,
                "from_user": user_name(hand.from_user),
                "to_unit": hand.to_unit.name,
                "to_user": user_name(hand.to_user),
                "at": fmt_datetime(hand.at),
                "outcome": OUTCOMES.get(hand.outcome, ""),
                "note": hand.step.name if hand.step is not None and not hand.note else hand.note,
            },
        )
        for hand in hand_overs
    ]
    handed = {hand.step_id for hand in hand_overs if hand.step_id is not None}
    for step in dossier.steps.select_related("unit").filter(finished_at__isnull=False).order_by("order"):
        if step.pk in handed:
            continue
        rows.append(
            (
                step.finished_at,
                {
                    "from_unit": step.unit.name,
                    "from_user": "",
                    "to_unit": dossier.receiving_unit.name if dossier.resolved_at else "",
                    "to_user": "",
                    "at": fmt_datetime(step.finished_at),
                    "outcome": OUTCOMES.get(step.outcome, ""),
                    "note": step.name,
                },
            )
        )
    rows.sort(key=lambda row: row[0])
    return [row for _at, row in rows]


def control_sheet(dossier: Dossier) -> bytes:
    if dossier.received_at is None:
        raise ValueError(_("Hồ sơ chưa được tiếp nhận, chưa có Phiếu kiểm soát quá trình giải quyết hồ sơ."))
    data = {
        **dossier_data(dossier),
        "heading": heading(dossier.receiving_unit, dossier.received_at),
        "appointment_at": fmt_datetime(dossier.appointment_at),
        "rows": control_rows(dossier),
    }
    return render("form06.typ", data)
