"""Dossier statistics (thống kê tình hình giải quyết hồ sơ) in the national layout (DOMAIN.md §8).

Which dossiers a period counts, and where (all moments in Asia/Ho_Chi_Minh; a period runs from 00:00 of its
first day to 00:00 after its last day):

- A dossier enters the statistics at its **reception** (`received_at`: tiếp nhận, when the clock starts,
  Decree 118/2025 Art. 17(3)). Dossiers never received (online submissions waiting, supplements asked at
  reception, refusals at reception with Mẫu 03, withdrawals before reception) are not counted.
- It leaves at its **exit**: the result (`resolved_at`, signed), else its end (`ended_at`: refused, stopped,
  withdrawn). Returning the result later changes nothing.
- **Carried over** (kỳ trước chuyển qua): received before the period and not out before it began.
  **New** (tiếp nhận mới trong kỳ): received in the period, split by channel (1 in person, 2 online, 3 post).
- Each counted dossier falls in exactly one outcome, by its state at the end of the period: **resolved** (exit by
  result in the period) early, on time or late; **refused**, **withdrawn**, **stopped** (ended in the period); or
  **pending** (not out at the period's end) within the limit or overdue. Hence, per row:
  carried over + new = resolved (early + on time + late) + refused + withdrawn + stopped + pending (within + overdue).
- **On time** is the national rule (DOMAIN.md §3): end of processing ≤ the first appointment, the pause of a
  supplement asked during processing subtracted (`cchc.stats.models.PauseClock`, the measure of
  `cchc.dossiers.deadlines.day_counts`); an apology's new date does not count. **Early**: the result came on a day
  before the appointment's day (as a step's outcome, Mẫu 06). A pending dossier is measured at the period's end,
  or at the supplement request while it waits for the citizen. A dossier without a time limit is on time.
- **Apologies** (phiếu xin lỗi, Mẫu 04) count those issued in the period; they are outside the identity.

Rows group by the competent unit (cơ quan giải quyết), the procedure, or its field. The conditions are SQL
(cchc.stats.rules). The figures of closed days are stored once and summed (cchc.stats.daily), the open days are
counted from the dossiers; `statistics_dossiers` lists the dossiers behind a figure with the same conditions, and
the tests check that a figure and its list agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.catalog.models import Field, ProcedureVersion
from cchc.dossiers.models import Dossier
from cchc.orgs.models import Unit
from cchc.stats.daily import period_counts
from cchc.stats.rules import counted, figure_conditions, period_bounds, scope_condition

GroupBy = Literal["unit", "field", "procedure"]
GROUPS = ("unit", "field", "procedure")

# The figures counted in SQL, in the national layout's order, with their labels.
BASE_FIGURES: dict[str, Any] = {
    "carried_over": gettext_lazy("Kỳ trước chuyển qua"),
    "new_online": gettext_lazy("Mới tiếp nhận trực tuyến"),
    "new_in_person": gettext_lazy("Mới tiếp nhận trực tiếp"),
    "new_post": gettext_lazy("Mới tiếp nhận qua bưu chính công ích"),
    "resolved_early": gettext_lazy("Đã giải quyết trước hạn"),
    "resolved_on_time": gettext_lazy("Đã giải quyết đúng hạn"),
    "resolved_late": gettext_lazy("Đã giải quyết quá hạn"),
    "refused": gettext_lazy("Từ chối giải quyết"),
    "withdrawn": gettext_lazy("Công dân rút hồ sơ"),
    "stopped": gettext_lazy("Dừng giải quyết"),
    "pending_within": gettext_lazy("Đang giải quyết trong hạn"),
    "pending_overdue": gettext_lazy("Đang giải quyết quá hạn"),
    "apologies": gettext_lazy("Phiếu xin lỗi và hẹn lại"),
}
# Totals: the sum of their parts.
DERIVED_FIGURES: dict[str, tuple[Any, tuple[str, ...]]] = {
    "received": (gettext_lazy("Tổng số hồ sơ"), ("carried_over", "new_online", "new_in_person", "new_post")),
    "new": (gettext_lazy("Mới tiếp nhận trong kỳ"), ("new_online", "new_in_person", "new_post")),
    "resolved": (
        gettext_lazy("Đã giải quyết"),
        ("resolved_early", "resolved_on_time", "resolved_late"),
    ),
    "pending": (gettext_lazy("Đang giải quyết"), ("pending_within", "pending_overdue")),
}
FIGURES: tuple[str, ...] = tuple(BASE_FIGURES) + tuple(DERIVED_FIGURES)


def figure_label(figure: str) -> str:
    if figure in BASE_FIGURES:
        return str(BASE_FIGURES[figure])
    return str(DERIVED_FIGURES[figure][0])


@dataclass
class Row:
    """One line of the table: a unit, field or procedure (or the province total), and its figures."""

    key: int | None
    label: str
    counts: dict[str, int] = field(default_factory=dict)
    is_total: bool = False

    def __getitem__(self, figure: str) -> int:
        if figure in DERIVED_FIGURES:
            return sum(self.counts.get(part, 0) for part in DERIVED_FIGURES[figure][1])
        if figure not in BASE_FIGURES:
            raise KeyError(figure)  # templates then read the attribute of that name
        return self.counts.get(figure, 0)

    @property
    def figures(self) -> dict[str, int]:
        """Every figure, base and derived."""
        return {name: self[name] for name in FIGURES}


def _labels(group_by: str, keys: set[int | None]) -> dict[int | None, str]:
    ids = [key for key in keys if key is not None]
    labels: dict[int | None, str] = {None: _("(Chưa xác định)")}
    if group_by == "unit":
        labels.update(Unit.objects.filter(pk__in=ids).values_list("pk", "name"))
    elif group_by == "field":
        labels[None] = _("(Chưa có lĩnh vực)")
        labels.update(Field.objects.filter(pk__in=ids).values_list("pk", "name"))
    else:
        # The name of the procedure's latest version, after its national code.
        for procedure_id, code, name in (
            ProcedureVersion.objects.filter(procedure_id__in=ids)
            .order_by("procedure_id", "number")
            .values_list("procedure_id", "procedure__code", "name")
        ):
            labels[procedure_id] = f"{code} – {name}"
    return labels


def dossier_statistics(
    *,
    unit_ids: Iterable[int] | None,
    start: dt.date,
    end: dt.date,
    group_by: GroupBy = "unit",
    unit_id: int | None = None,
    procedure_id: int | None = None,
    field_id: int | None = None,
    now: dt.datetime | None = None,
) -> list[Row]:
    """The statistics of the period `start`-`end` (dates inclusive), one row per group, then the total row.

    `now` (default: the clock) decides which days are closed (cchc.stats.daily); the figures do not depend on it.

    `unit_ids` is the scope (`cchc.orgs.scoping.visible_unit_ids`; None: every unit): only dossiers whose
    competent unit is among them count. `unit_id`, `procedure_id`, `field_id` narrow it for a drill-down.
    The total row (`is_total`) is the province, or the scope, or the drill-down's subject.
    """
    if group_by not in GROUPS:
        raise ValueError(_("Cách nhóm không hợp lệ."))
    counts = period_counts(
        start=start,
        end=end,
        group_by=group_by,
        unit_ids=unit_ids,
        unit_id=unit_id,
        procedure_id=procedure_id,
        field_id=field_id,
        now=now,
    )
    labels = _labels(group_by, set(counts))
    rows = [
        Row(
            key=key,
            label=labels.get(key, str(key)),
            counts={name: figures[name] for name in BASE_FIGURES},
        )
        for key, figures in counts.items()
    ]
    rows.sort(key=lambda row: (row.label, row.key or 0))
    total = Row(key=None, label=_("Tổng cộng"), is_total=True)
    total.counts = {name: sum(row.counts[name] for row in rows) for name in BASE_FIGURES}
    return [*rows, total]


def statistics_dossiers(
    *,
    unit_ids: Iterable[int] | None,
    start: dt.date,
    end: dt.date,
    figure: str,
    unit_id: int | None = None,
    procedure_id: int | None = None,
    field_id: int | None = None,
) -> QuerySet[Dossier]:
    """The dossiers behind one figure (drill-down), under the same conditions as `dossier_statistics`."""
    if figure not in FIGURES:
        raise ValueError(_("Chỉ tiêu thống kê không hợp lệ."))
    begin, finish = period_bounds(start, end)
    conditions = figure_conditions(begin, finish)
    parts = DERIVED_FIGURES[figure][1] if figure in DERIVED_FIGURES else (figure,)
    condition = Q()
    for part in parts:
        condition |= conditions[part]
    dossiers = counted(begin, finish).filter(
        scope_condition(unit_ids=unit_ids, unit_id=unit_id, procedure_id=procedure_id, field_id=field_id)
    )
    return dossiers.filter(condition).order_by("received_at", "pk")
