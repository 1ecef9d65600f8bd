"""The report's figures (số liệu báo cáo): what each is, where it comes from, and how it is read.

Every figure the platform holds is filled automatically for the report's data period (`cchc.reports.periods`):
- the dossier statistics in the national layout (`cchc.stats.selectors.dossier_statistics`), so a report's
  figure equals the statistics page's figure for the same unit and days;
- the 766 index's readings (electronic results, digitised dossiers, online payment: `cchc.stats.daily.
  index_counts`) and its points (`cchc.serviceindex.selectors.index_compute`);
- feedback received and handled (`cchc.feedback.figures`), harassment and bribe-seeking reports among it;
- the year's reform plan tasks the unit leads, as at the period's last day (`cchc.plans`);
- the year's commitment items (`cchc.accountability`, as read now);
- the latest PAR Index published by the period's end (`cchc.parindex`, frozen results);
- the inspections, their remedies and discipline recommendations, and the initiatives registered
  (`cchc.accountability`), as at the period's last day.
The few the platform does not hold (publicity events, legal documents issued, inspections held, officials
trained, money spent) are typed by the unit (`MANUAL`). A rate is never typed or summed: it is recomputed
from its two counts, so a consolidated rate is the province's, not a mean of rates.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from cchc.accountability.models import (
    Commitment,
    DisciplineRecommendation,
    Initiative,
    InitiativeState,
    Inspection,
    Remedy,
)
from cchc.accountability.selectors import ItemState, commitment_results
from cchc.feedback.figures import feedback_figures
from cchc.feedback.models import Feedback, Kind
from cchc.orgs.models import Unit
from cchc.parindex.models import AssessmentState, UnitAssessment
from cchc.parindex.scoring import band_of
from cchc.plans.models import Task, TaskStatus
from cchc.reports.periods import ReportPeriod
from cchc.serviceindex.selectors import index_compute
from cchc.stats.daily import index_counts
from cchc.stats.rules import period_bounds
from cchc.stats.selectors import dossier_statistics

COUNT, RATE, SCORE = "count", "rate", "score"
UNIT, PROVINCE = "unit", "province"


@dataclass(frozen=True)
class Figure:
    key: str
    label: Any  # lazy Vietnamese label
    section: str
    kind: str = COUNT
    manual: bool = False
    parts: tuple[str, str] | None = None  # a rate's numerator and denominator
    levels: frozenset[str] = frozenset({UNIT, PROVINCE})


def _f(key: str, label: Any, section: str, **extra: Any) -> Figure:
    return Figure(key, label, section, **extra)


FIGURES: tuple[Figure, ...] = (
    # I. Direction and management: the plan, commitments, inspections, publicity.
    _f("plan_tasks", _("Nhiệm vụ kế hoạch CCHC năm do đơn vị chủ trì"), "I"),
    _f("plan_due", _("Nhiệm vụ đã đến hạn"), "I"),
    _f("plan_done_on_time", _("Nhiệm vụ đến hạn đã hoàn thành đúng hạn"), "I"),
    _f("plan_overdue", _("Nhiệm vụ quá hạn chưa hoàn thành"), "I"),
    _f("plan_on_time_rate", _("Tỷ lệ nhiệm vụ hoàn thành đúng hạn (%)"), "I", kind=RATE,
       parts=("plan_done_on_time", "plan_due")),
    _f("plan_budget_vnd", _("Kinh phí giao cho nhiệm vụ CCHC (đồng)"), "I"),
    _f("commitment_items", _("Nội dung cam kết"), "I"),
    _f("commitment_met", _("Nội dung cam kết đạt"), "I"),
    _f("commitment_missed", _("Nội dung cam kết không đạt"), "I"),
    _f("inspections", _("Cuộc kiểm tra công tác CCHC đã thực hiện"), "I", manual=True),
    _f("inspected", _("Cuộc kiểm tra của tỉnh tại đơn vị"), "I", levels=frozenset({UNIT})),
    _f("inspections_held", _("Cuộc kiểm tra CCHC, công vụ của tỉnh đã tiến hành"), "I", levels=frozenset({PROVINCE})),
    _f("remedies_required", _("Yêu cầu khắc phục sau kiểm tra"), "I"),
    _f("remedies_open", _("Yêu cầu khắc phục chưa hoàn thành"), "I"),
    _f("remedies_overdue", _("Yêu cầu khắc phục quá hạn chưa hoàn thành"), "I"),
    _f("discipline_recommended", _("Kiến nghị xử lý kỷ luật"), "I"),
    _f("initiatives", _("Sáng kiến CCHC đăng ký"), "I"),
    _f("initiatives_recognised", _("Sáng kiến được công nhận"), "I"),
    _f("publicity_events", _("Hoạt động tuyên truyền CCHC"), "I", manual=True),
    _f("par_index", _("Chỉ số CCHC công bố gần nhất (%)"), "I", kind=SCORE, levels=frozenset({UNIT})),
    _f("par_rank", _("Xếp hạng Chỉ số CCHC"), "I", kind=SCORE, levels=frozenset({UNIT})),
    _f("par_units_a", _("Đơn vị xếp loại A (Chỉ số CCHC từ 90%)"), "I", levels=frozenset({PROVINCE})),
    _f("par_units_b", _("Đơn vị xếp loại B (từ 80% đến dưới 90%)"), "I", levels=frozenset({PROVINCE})),
    _f("par_units_c", _("Đơn vị xếp loại C (từ 70% đến dưới 80%)"), "I", levels=frozenset({PROVINCE})),
    _f("par_units_below", _("Đơn vị dưới 70%"), "I", levels=frozenset({PROVINCE})),
    # II.1 Institutions.
    _f("legal_documents", _("Văn bản quy phạm pháp luật đã ban hành"), "II.1", manual=True),
    # II.2 Administrative procedures: the national statistics' layout, and feedback.
    _f("dossiers_received", _("Tổng số hồ sơ tiếp nhận"), "II.2"),
    _f("dossiers_carried_over", _("Kỳ trước chuyển qua"), "II.2"),
    _f("dossiers_new_online", _("Mới tiếp nhận trực tuyến"), "II.2"),
    _f("dossiers_new_in_person", _("Mới tiếp nhận trực tiếp"), "II.2"),
    _f("dossiers_new_post", _("Mới tiếp nhận qua bưu chính công ích"), "II.2"),
    _f("dossiers_resolved", _("Đã giải quyết"), "II.2"),
    _f("dossiers_resolved_early", _("Giải quyết trước hạn"), "II.2"),
    _f("dossiers_resolved_on_time", _("Giải quyết đúng hạn"), "II.2"),
    _f("dossiers_resolved_late", _("Giải quyết quá hạn"), "II.2"),
    _f("dossiers_on_time_rate", _("Tỷ lệ giải quyết trước hạn và đúng hạn (%)"), "II.2", kind=RATE,
       parts=("dossiers_resolved_in_time", "dossiers_resolved")),
    _f("dossiers_refused", _("Từ chối giải quyết"), "II.2"),
    _f("dossiers_withdrawn", _("Công dân rút hồ sơ"), "II.2"),
    _f("dossiers_stopped", _("Dừng giải quyết"), "II.2"),
    _f("dossiers_pending_within", _("Đang giải quyết trong hạn"), "II.2"),
    _f("dossiers_pending_overdue", _("Đang giải quyết quá hạn"), "II.2"),
    _f("dossiers_apologies", _("Phiếu xin lỗi và hẹn lại"), "II.2"),
    _f("feedback_received", _("Phản ánh, kiến nghị tiếp nhận"), "II.2"),
    _f("feedback_handled_on_time", _("Phản ánh, kiến nghị xử lý đúng hạn"), "II.2"),
    _f("feedback_open_late", _("Phản ánh, kiến nghị quá hạn chưa xử lý"), "II.2"),
    _f("feedback_harassment", _("Phản ánh hành vi nhũng nhiễu, vòi vĩnh"), "II.2"),
    # II.4 Civil service.
    _f("officials_trained", _("Lượt cán bộ, công chức được bồi dưỡng về CCHC"), "II.4", manual=True),
    # II.5 Public finance.
    _f("budget_spent_vnd", _("Kinh phí CCHC đã sử dụng (đồng)"), "II.5", manual=True),
    # II.6 E-government and digital government.
    _f("dossiers_new", _("Hồ sơ mới tiếp nhận"), "II.6"),
    _f("online_rate", _("Tỷ lệ hồ sơ tiếp nhận trực tuyến (%)"), "II.6", kind=RATE,
       parts=("dossiers_new_online", "dossiers_new")),
    _f("e_results", _("Hồ sơ có kết quả điện tử"), "II.6"),
    _f("e_result_rate", _("Tỷ lệ hồ sơ có kết quả điện tử (%)"), "II.6", kind=RATE,
       parts=("e_results", "dossiers_resolved")),
    _f("digitised", _("Hồ sơ được số hóa thành phần"), "II.6"),
    _f("index_received", _("Hồ sơ tiếp nhận trong kỳ (Chỉ số 766)"), "II.6"),
    _f("digitised_rate", _("Tỷ lệ hồ sơ được số hóa (%)"), "II.6", kind=RATE, parts=("digitised", "index_received")),
    _f("fee_bearing", _("Hồ sơ có phí, lệ phí"), "II.6"),
    _f("paid_online", _("Hồ sơ có phí thanh toán trực tuyến"), "II.6"),
    _f("paid_online_rate", _("Tỷ lệ thanh toán trực tuyến (%)"), "II.6", kind=RATE,
       parts=("paid_online", "fee_bearing")),
    _f("index766", _("Điểm Chỉ số 766 của kỳ (trên 100)"), "II.6", kind=SCORE),
)  # fmt: skip
# A hidden count the on-time rate needs (early + on time), kept with the figures so sums stay exact.
HIDDEN: tuple[str, ...] = ("dossiers_resolved_in_time",)
BY_KEY: dict[str, Figure] = {figure.key: figure for figure in FIGURES}
MANUAL: tuple[str, ...] = tuple(figure.key for figure in FIGURES if figure.manual)


def figures_of(level: str) -> list[Figure]:
    return [figure for figure in FIGURES if level in figure.levels]


def percent(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(100) * numerator / denominator).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def with_rates(values: dict[str, Any]) -> dict[str, Any]:
    """`values` with every rate recomputed from its two counts."""
    result = dict(values)
    for figure in FIGURES:
        if figure.kind == RATE and figure.parts:
            numerator, denominator = (values.get(part) for part in figure.parts)
            result[figure.key] = (
                percent(numerator, denominator)
                if isinstance(numerator, int) and isinstance(denominator, int)
                else None
            )
    return result


# -- the readings ---------------------------------------------------------------------------------------------
def _statistics(unit: Unit, period: ReportPeriod, now: dt.datetime | None) -> dict[str, Any]:
    total = dossier_statistics(unit_ids=[unit.pk], start=period.start, end=period.end, now=now)[-1]
    values = {f"dossiers_{name}": total[name] for name in (
        "received", "carried_over", "new_online", "new_in_person", "new_post", "resolved", "resolved_early",
        "resolved_on_time", "resolved_late", "refused", "withdrawn", "stopped", "pending_within",
        "pending_overdue", "apologies", "new",
    )}  # fmt: skip
    values["dossiers_resolved_in_time"] = total["resolved_early"] + total["resolved_on_time"]
    return values


def _index_readings(unit: Unit, period: ReportPeriod, now: dt.datetime | None) -> dict[str, Any]:
    sums: Counter[str] = Counter()
    for cell in index_counts(start=period.start, end=period.end, unit_ids=[unit.pk], now=now).values():
        sums.update(cell)
    points = index_compute(unit=unit, start=period.start, end=period.end, now=now).total
    return {
        "e_results": sums["e_result"], "digitised": sums["digitised"], "index_received": sums["received"],
        "fee_bearing": sums["fee_bearing"], "paid_online": sums["paid_online"], "index766": points,
    }  # fmt: skip


def _feedback(unit: Unit, period: ReportPeriod, now: dt.datetime | None) -> dict[str, Any]:
    figures = feedback_figures(unit_ids=[unit.pk], start=period.start, end=period.end, now=now)
    first, after = period_bounds(period.start, period.end)
    harassment = Feedback.objects.filter(
        unit=unit, kind=Kind.HARASSMENT, received_at__gte=first, received_at__lt=after
    ).count()
    return {
        "feedback_received": figures.received, "feedback_handled_on_time": figures.handled_on_time,
        "feedback_open_late": figures.open_late, "feedback_harassment": harassment,
    }  # fmt: skip


def _plan(unit: Unit, period: ReportPeriod) -> dict[str, Any]:
    """The tasks the unit leads in the year's plans, as at the period's last day. A unit task derived from the
    province's counts once (the province's copy is left out when the unit's own plan carries it)."""
    derived = Task.objects.filter(plan__year=period.year, source__isnull=False).values("source_id")
    tasks = (
        Task.objects.filter(plan__year=period.year, lead_unit=unit)
        .exclude(status=TaskStatus.CANCELLED)
        .exclude(pk__in=derived)
    )
    counts = dict.fromkeys(
        ("plan_tasks", "plan_due", "plan_done_on_time", "plan_overdue", "plan_budget_vnd"), 0
    )
    for deadline, done_on, budget in tasks.values_list("deadline", "done_on", "budget_vnd"):
        counts["plan_tasks"] += 1
        counts["plan_budget_vnd"] += budget
        done_by_end = done_on is not None and done_on <= period.end
        if deadline <= period.end:
            counts["plan_due"] += 1
            if done_on is not None and done_on <= period.end and done_on <= deadline:
                counts["plan_done_on_time"] += 1
            if not done_by_end:
                counts["plan_overdue"] += 1
    return counts


def _commitments(unit: Unit, period: ReportPeriod, now: dt.datetime | None) -> dict[str, Any]:
    commitment = Commitment.objects.filter(unit=unit, year=period.year).select_related("unit").first()
    if commitment is None or commitment.signed_at is None:
        return {"commitment_items": 0, "commitment_met": 0, "commitment_missed": 0}
    [result] = commitment_results([commitment], year=period.year, now=now)
    return {
        "commitment_items": len(result.items),
        "commitment_met": result.count(ItemState.MET),
        "commitment_missed": result.count(ItemState.MISSED),
    }


def _published_by(period: ReportPeriod) -> Any:
    _first, after = period_bounds(period.start, period.end)
    return UnitAssessment.objects.filter(
        assessment__state=AssessmentState.PUBLISHED, assessment__published_at__lt=after, index__isnull=False
    )


def _par_of_unit(unit: Unit, period: ReportPeriod) -> dict[str, Any]:
    latest = (
        _published_by(period).filter(unit=unit).order_by("-assessment__criteria_set__year", "-pk").first()
    )
    return {"par_index": latest.index if latest else None, "par_rank": latest.rank if latest else None}


def par_bands(period: ReportPeriod, units: Iterable[Unit]) -> dict[str, Any]:
    """How many of `units` fall in each band of the latest PAR Index published by the period's end."""
    published = _published_by(period).filter(unit__in=list(units))
    year = (
        published.order_by("-assessment__criteria_set__year")
        .values_list("assessment__criteria_set__year", flat=True)
        .first()
    )
    counts = {"par_units_a": 0, "par_units_b": 0, "par_units_c": 0, "par_units_below": 0}
    if year is None:
        return counts
    for index in published.filter(assessment__criteria_set__year=year).values_list("index", flat=True):
        band = band_of(index)
        counts[f"par_units_{band.lower()}" if band else "par_units_below"] += 1
    return counts


def _accountability(unit: Unit | None, period: ReportPeriod) -> dict[str, Any]:
    """Inspections of the unit (None: every unit) that took place in the period; the remedies required of it by
    the period's end, of them not closed then and, of those, past their deadline; discipline recommended in the
    period; initiatives registered in the period and recognised by its end."""
    first, after = period_bounds(period.start, period.end)
    scope: dict[str, Any] = {} if unit is None else {"finding__unit": unit}
    remedies = Remedy.objects.filter(finding__recorded_at__lt=after, **scope)
    still_open = remedies.exclude(closed_at__lt=after)
    initiatives = Initiative.objects.filter(submitted_at__gte=first, submitted_at__lt=after)
    if unit is not None:
        initiatives = initiatives.filter(unit=unit)
    inspections = Inspection.objects.filter(conducted_on__gte=period.start, conducted_on__lte=period.end)
    if unit is not None:
        inspections = inspections.filter(units=unit)
    return {
        "inspected" if unit is not None else "inspections_held": inspections.distinct().count(),
        "remedies_required": remedies.count(),
        "remedies_open": still_open.count(),
        "remedies_overdue": still_open.filter(deadline__lt=period.end).count(),
        "discipline_recommended": DisciplineRecommendation.objects.filter(
            recommended_at__gte=first, recommended_at__lt=after, **scope).count(),
        "initiatives": initiatives.count(),
        "initiatives_recognised": initiatives.filter(
            state=InitiativeState.RECOGNISED, assessed_at__lt=after).count(),
    }  # fmt: skip


def province_accountability(period: ReportPeriod) -> dict[str, Any]:
    """The province's own reading of the inspections it held (an inspection of several units counts once)."""
    return {"inspections_held": _accountability(None, period)["inspections_held"]}


READERS: tuple[Callable[[Unit, ReportPeriod, dt.datetime | None], dict[str, Any]], ...] = (
    _statistics,
    _index_readings,
    _feedback,
    lambda unit, period, _now: _plan(unit, period),
    _commitments,
    lambda unit, period, _now: _par_of_unit(unit, period),
    lambda unit, period, _now: _accountability(unit, period),
)


def unit_figures(
    unit: Unit, period: ReportPeriod, *, manual: dict[str, Any], now: dt.datetime | None = None
) -> dict[str, Any]:
    """Every figure of a unit's report: read from the platform, plus the typed ones (None when not typed)."""
    values: dict[str, Any] = {}
    for read in READERS:
        values.update(read(unit, period, now))
    for key in MANUAL:
        raw = manual.get(key)
        values[key] = raw if isinstance(raw, int) else None
    return with_rates(values)


def consolidate(unit_values: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The province's counts: each the sum of the units' (a figure no unit gave stays None); rates recomputed.
    Scores are not summed (the caller reads the province's own)."""
    totals: dict[str, Any] = {}
    keys = [figure.key for figure in FIGURES if figure.kind == COUNT] + list(HIDDEN)
    rows = list(unit_values)
    for key in keys:
        given = [row[key] for row in rows if isinstance(row.get(key), int)]
        totals[key] = sum(given) if given else None
    return with_rates(totals)


def auto_share(level: str) -> tuple[int, int]:
    """(figures the platform fills, all figures) of a report at `level`. The province's typed figures are sums of
    the units' typed ones, so they count as typed there too."""
    figures = figures_of(level)
    return sum(1 for figure in figures if not figure.manual), len(figures)


def freeze(values: dict[str, Any]) -> dict[str, Any]:
    """The figures as JSON: counts as numbers, rates and scores as decimal text, no data as null."""
    return {key: (str(value) if isinstance(value, Decimal) else value) for key, value in values.items()}


def thaw(stored: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, value in stored.items():
        figure = BY_KEY.get(key)
        if value is not None and figure is not None and figure.kind in (RATE, SCORE):
            values[key] = Decimal(str(value))
        else:
            values[key] = value
    return values
