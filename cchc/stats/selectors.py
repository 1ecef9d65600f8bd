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

Rows group by the competent unit (cơ quan giải quyết), the procedure, or its field. Every figure is one
conditional COUNT of one SQL query: no Python loop over dossiers. `statistics_dossiers` lists the dossiers behind
a figure with the same conditions, so a figure and its list always agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.catalog.models import Field, ProcedureVersion
from cchc.dossiers.models import Channel, Dossier, State
from cchc.orgs.models import Unit
from cchc.stats.services import pause_clocks_refresh
from cchc.workdays.calendar import TZ

GroupBy = Literal["unit", "field", "procedure"]
GROUP_FIELDS: dict[str, str] = {
    "unit": "competent_unit_id",
    "procedure": "procedure_version__procedure_id",
    "field": "procedure_version__field_id",
}

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


def period_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """00:00 of `start` and 00:00 after `end`, in Asia/Ho_Chi_Minh."""
    if end < start:
        raise ValueError(_("Ngày kết thúc kỳ phải sau ngày bắt đầu."))
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=TZ),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=TZ),
    )


def _figure_conditions(begin: dt.datetime, end: dt.datetime) -> dict[str, Q]:
    """Each base figure as a condition on the dossiers `_counted` returns (see the module's rules)."""
    pause_asked = Q(stats_pause__requested_at__lt=end)
    paused_at_end = pause_asked & (
        Q(stats_pause__completed_at__isnull=True) | Q(stats_pause__completed_at__gte=end)
    )
    resumed_by_end = pause_asked & Q(stats_pause__completed_at__lt=end)
    no_pause_by_end = Q(stats_pause__requested_at__isnull=True) | Q(stats_pause__requested_at__gte=end)
    no_limit = Q(original_appointment_at__isnull=True)
    resolved = Q(resolved_at__lt=end)
    pending = Q(exit__isnull=True) | Q(exit__gte=end)
    new = Q(received_at__gte=begin)

    def ended(state: str) -> Q:
        return Q(resolved_at__isnull=True, ended_at__lt=end, state=state)

    return {
        "carried_over": Q(received_at__lt=begin),
        "new_online": new & Q(channel=Channel.ONLINE),
        "new_in_person": new & Q(channel=Channel.IN_PERSON),
        "new_post": new & Q(channel=Channel.POST),
        "resolved_early": resolved & ~no_limit & Q(resolved_day__lt=F("due_day")),
        "resolved_on_time": resolved
        & (no_limit | (Q(resolved_at__lte=F("due")) & Q(resolved_day__gte=F("due_day")))),
        "resolved_late": resolved & Q(resolved_at__gt=F("due")),
        "refused": ended(State.REFUSED),
        "withdrawn": ended(State.WITHDRAWN),
        "stopped": ended(State.STOPPED),
        "pending_within": pending
        & (
            no_limit
            | (paused_at_end & Q(stats_pause__requested_at__lte=F("original_appointment_at")))
            | (resumed_by_end & Q(stats_pause__due_at__gte=end))
            | (no_pause_by_end & Q(original_appointment_at__gte=end))
        ),
        "pending_overdue": pending
        & ~no_limit
        & (
            (paused_at_end & Q(stats_pause__requested_at__gt=F("original_appointment_at")))
            | (resumed_by_end & Q(stats_pause__due_at__lt=end))
            | (no_pause_by_end & Q(original_appointment_at__lt=end))
        ),
        "apologies": Q(apology__issued_at__gte=begin, apology__issued_at__lt=end),
    }


def _counted(
    *,
    unit_ids: Iterable[int] | None,
    begin: dt.datetime,
    end: dt.datetime,
    unit_id: int | None,
    procedure_id: int | None,
    field_id: int | None,
) -> QuerySet[Dossier]:
    """The dossiers the period counts (carried over or new), within the scope and the drill-down filters."""
    due = Coalesce("stats_pause__due_at", "original_appointment_at")
    queryset = (
        Dossier.objects.alias(
            exit=Coalesce("resolved_at", "ended_at"),
            due=due,
            resolved_day=TruncDate("resolved_at", tzinfo=TZ),
            due_day=TruncDate(due, tzinfo=TZ),
        )
        .filter(received_at__lt=end)
        .filter(Q(exit__isnull=True) | Q(exit__gte=begin))
    )
    if unit_ids is not None:
        queryset = queryset.filter(competent_unit_id__in=list(unit_ids))
    if unit_id is not None:
        queryset = queryset.filter(competent_unit_id=unit_id)
    if procedure_id is not None:
        queryset = queryset.filter(procedure_version__procedure_id=procedure_id)
    if field_id is not None:
        queryset = queryset.filter(procedure_version__field_id=field_id)
    return queryset


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
) -> list[Row]:
    """The statistics of the period `start`-`end` (dates inclusive), one row per group, then the total row.

    `unit_ids` is the scope (`cchc.orgs.scoping.visible_unit_ids`; None: every unit): only dossiers whose
    competent unit is among them count. `unit_id`, `procedure_id`, `field_id` narrow it for a drill-down.
    The total row (`is_total`) is the province, or the scope, or the drill-down's subject.
    """
    if group_by not in GROUP_FIELDS:
        raise ValueError(_("Cách nhóm không hợp lệ."))
    begin, finish = period_bounds(start, end)
    pause_clocks_refresh()
    conditions = _figure_conditions(begin, finish)
    grouped = (
        _counted(
            unit_ids=unit_ids,
            begin=begin,
            end=finish,
            unit_id=unit_id,
            procedure_id=procedure_id,
            field_id=field_id,
        )
        .values(group=F(GROUP_FIELDS[group_by]))
        .annotate(**{name: Count("pk", filter=condition) for name, condition in conditions.items()})
        .order_by()
    )
    results = list(grouped)
    labels = _labels(group_by, {result["group"] for result in results})
    rows = [
        Row(
            key=result["group"],
            label=labels.get(result["group"], str(result["group"])),
            counts={name: result[name] for name in BASE_FIGURES},
        )
        for result in results
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
    pause_clocks_refresh()
    conditions = _figure_conditions(begin, finish)
    parts = DERIVED_FIGURES[figure][1] if figure in DERIVED_FIGURES else (figure,)
    condition = Q()
    for part in parts:
        condition |= conditions[part]
    return (
        _counted(
            unit_ids=unit_ids,
            begin=begin,
            end=finish,
            unit_id=unit_id,
            procedure_id=procedure_id,
            field_id=field_id,
        )
        .filter(condition)
        .order_by("received_at", "pk")
    )
