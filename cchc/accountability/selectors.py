"""Reads of cchc.accountability. Commitments: each item's state from the live figures, and the units to hold to
account. Inspections: what each user may see, the remedies still open, the citizen reports to follow up.

A target item reads its metric for the calendar year up to now (`cchc.parindex.metrics`, the PAR Index's own
readings, computed once for every unit shown), so during the year it says whether the unit is on course and,
once the year is over, whether the commitment was kept. A judged item is what Home Affairs decided.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.accountability.models import (
    Commitment,
    CommitmentItem,
    Comparison,
    Inspection,
    InspectionMode,
    InspectionState,
    Remedy,
    RemedyState,
)
from cchc.feedback.models import Feedback, Kind
from cchc.orgs.models import Unit
from cchc.orgs.scoping import visible_unit_ids
from cchc.parindex.metrics import METRICS, MetricContext, Reading
from cchc.stats.rules import period_bounds


class ItemState:
    MET = "met"
    MISSED = "missed"
    NO_DATA = "no_data"
    PENDING = "pending"


STATE_LABELS = {
    ItemState.MET: _("Đạt"),
    ItemState.MISSED: _("Không đạt"),
    ItemState.NO_DATA: _("Chưa có số liệu"),
    ItemState.PENDING: _("Chờ đánh giá"),
}


@dataclass
class ItemResult:
    item: CommitmentItem
    state: str
    value: Decimal | None = None  # the reading in percent, 2 decimals
    reading: Reading | None = None

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def metric_label(self) -> str:
        return METRICS[self.item.metric].label() if self.item.metric in METRICS else ""


@dataclass
class CommitmentResult:
    commitment: Commitment
    items: list[ItemResult] = field(default_factory=list)

    def count(self, state: str) -> int:
        return sum(1 for result in self.items if result.state == state)

    @property
    def met(self) -> int:
        return self.count(ItemState.MET)

    @property
    def missed(self) -> int:
        return self.count(ItemState.MISSED)


def _percent(rate: Decimal) -> Decimal:
    return (rate * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def item_state(item: CommitmentItem, context: MetricContext | None) -> ItemResult:
    if not item.metric:
        if item.judged_met is None:
            return ItemResult(item, ItemState.PENDING)
        return ItemResult(item, ItemState.MET if item.judged_met else ItemState.MISSED)
    metric = METRICS.get(item.metric)
    if metric is None or context is None or item.target is None:
        return ItemResult(item, ItemState.NO_DATA)
    reading = metric.read(context, item.commitment.unit)
    if reading.rate is None:
        return ItemResult(item, ItemState.NO_DATA, reading=reading)
    value = _percent(reading.rate)
    kept = value >= item.target if item.comparison == Comparison.AT_LEAST else value <= item.target
    return ItemResult(item, ItemState.MET if kept else ItemState.MISSED, value, reading)


def commitment_results(
    commitments: list[Commitment], *, year: int, now: dt.datetime | None = None
) -> list[CommitmentResult]:
    """Every item's state; the metrics are read once for all the commitments' units."""
    items = (
        CommitmentItem.objects.filter(commitment__in=commitments)
        .select_related("commitment__unit")
        .prefetch_related("evidence_files")
        .order_by("commitment_id", "code")
    )
    by_commitment: dict[int, list[CommitmentItem]] = {}
    for item in items:
        by_commitment.setdefault(item.commitment_id, []).append(item)
    measured = {item.commitment.unit for group in by_commitment.values() for item in group if item.metric}
    context = (
        MetricContext(year=year, units=sorted(measured, key=lambda unit: unit.pk), now=now)
        if measured
        else None
    )
    return [
        CommitmentResult(
            commitment, [item_state(item, context) for item in by_commitment.get(commitment.pk, [])]
        )
        for commitment in commitments
    ]


@dataclass(frozen=True)
class Account:
    """A unit to hold to account (đơn vị phải giải trình): unsigned, or with items missed."""

    unit: Unit
    signed: bool
    missed: tuple[ItemResult, ...]


def accountability(results: list[CommitmentResult], units: list[Unit]) -> list[Account]:
    """The units in `units` with items missed, then those without a signed commitment, each by name."""
    by_unit = {result.commitment.unit_id: result for result in results}
    accounts = []
    for unit in units:
        result = by_unit.get(unit.pk)
        if result is None or result.commitment.signed_at is None:
            accounts.append(Account(unit, False, ()))
            continue
        missed = tuple(item for item in result.items if item.state == ItemState.MISSED)
        if missed:
            accounts.append(Account(unit, True, missed))
    return sorted(accounts, key=lambda account: (not account.signed, account.unit.name))


def year_over(year: int, now: dt.datetime | None = None) -> bool:
    return timezone.localdate(now) > dt.date(year, 12, 31)


# -- inspections ----------------------------------------------------------------------------------------------
def inspections_visible(user: Any) -> QuerySet[Inspection]:
    """Home Affairs and province-wide roles see every inspection; a unit's staff see those of their units, an
    unannounced one (đột xuất) only once it has taken place."""
    inspections = Inspection.objects.order_by("-year", "scheduled_on", "pk")
    ids = visible_unit_ids(user)
    if ids is None:
        return inspections
    announced = Q(mode=InspectionMode.PLANNED) | ~Q(state=InspectionState.PLANNED)
    return inspections.filter(announced, units__in=ids).distinct()


def remedies_open(
    inspections: QuerySet[Inspection], *, today: dt.date, unit_ids: list[int] | None = None
) -> list[Remedy]:
    """The remedies not yet closed (of the units `unit_ids`, None: all), overdue first, then by deadline."""
    remedies = Remedy.objects.filter(finding__inspection__in=inspections)
    if unit_ids is not None:
        remedies = remedies.filter(finding__unit_id__in=unit_ids)
    remedies = (
        remedies.exclude(state=RemedyState.CLOSED)
        .select_related("finding__unit", "finding__inspection")
        .order_by("deadline", "pk")
    )
    return sorted(remedies, key=lambda remedy: (remedy.deadline >= today, remedy.deadline, remedy.pk))


def harassment_reports(*, year: int) -> QuerySet[Feedback]:
    """The year's citizen reports of harassment or bribe-seeking (phản ánh nhũng nhiễu, vòi vĩnh), for follow-up
    by inspection."""
    first, after = period_bounds(dt.date(year, 1, 1), dt.date(year, 12, 31))
    return (
        Feedback.objects.filter(kind=Kind.HARASSMENT, received_at__gte=first, received_at__lt=after)
        .select_related("unit")
        .order_by("-received_at")
    )
