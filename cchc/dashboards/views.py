"""Dashboard pages: the staff dashboard (/can-bo/bang-dieu-khien/) and the public transparency page
(/cong-khai/, công khai kết quả giải quyết) with its open data (CSV, JSON). Thin: figures come from
cchc.dashboards.figures, charts from cchc.dashboards.charts."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cchc.core.problem import problem_response
from cchc.dossiers.models import RatingLevel
from cchc.orgs.access import staff_required
from cchc.orgs.scoping import visible_unit_ids
from cchc.stats.periods import Period

from . import charts
from .charts import Point, percent
from .figures import Dashboard, dashboard_figures, public_period_ok, public_rows
from .periods import KINDS, period_parse, period_query


def _picker(period: Period | None) -> dict[str, Any]:
    year = timezone.localdate().year
    return {
        "period": period,
        "kinds": [(k, {"month": _("Tháng"), "quarter": _("Quý"), "year": _("Năm")}[k]) for k in KINDS],
        "years": list(range(year - 4, year + 1)),
        "numbers": list(range(1, 13)),
        "query": period_query(period) if period else "",
    }


def _parse(request: HttpRequest) -> tuple[Period | None, str]:
    try:
        return period_parse(request.GET, today=timezone.localdate()), ""
    except ValueError as error:
        return None, str(error)


def _charts(board: Dashboard) -> dict[str, Any]:
    channels = [
        (_("Trực tiếp"), board.total["new_in_person"]),
        (_("Trực tuyến"), board.total["new_online"]),
        (_("Bưu chính công ích"), board.total["new_post"]),
    ]
    new = board.total["new"]
    satisfaction = [(str(RatingLevel(level).label), board.ratings[level]) for level in RatingLevel.values]
    max_score = float(max((u.score for u in board.units), default=0)) or 1.0
    max_overdue = float(max((u.overdue for u in board.units), default=0)) or 1.0
    return {
        "months": [
            (f"{m.period.number:02d}/{m.period.year}", m.resolved, m.on_time, percent(m.rate))
            for m in board.months
        ],
        "by_on_time": [
            (u.unit_name, u.resolved, u.on_time, percent(u.on_time_rate)) for u in board.by_on_time
        ],
        "payment_shown": percent(board.online_payment_rate),
        "digitised_shown": percent(board.digitisation_rate),
        "channels": [(label, n, percent(n / new if new else None)) for label, n in channels],
        "satisfaction": [
            (label, n, percent(n / board.rated if board.rated else None)) for label, n in satisfaction
        ],
        "chart_months": charts.column_chart(
            title=_("Tỷ lệ hồ sơ giải quyết đúng hạn theo tháng"),
            points=[
                Point(f"{m.period.number:02d}/{m.period.year}", _float(m.rate), percent(m.rate))
                for m in board.months
            ],
            maximum=1,
            chart_id="chart-months",
        ),
        "chart_score": charts.bar_chart(
            title=_("Xếp hạng đơn vị theo điểm Chỉ số 766"),
            points=[
                Point(u.unit_name, float(u.score), f"{u.score:.2f}".replace(".", ",")) for u in board.units
            ],
            maximum=max_score,
            chart_id="chart-score",
        ),
        "chart_on_time": charts.bar_chart(
            title=_("Xếp hạng đơn vị theo tỷ lệ đúng hạn"),
            points=[
                Point(u.unit_name, _float(u.on_time_rate), percent(u.on_time_rate)) for u in board.by_on_time
            ],
            maximum=1,
            chart_id="chart-on-time",
        ),
        "chart_channels": charts.share_chart(
            title=_("Hồ sơ mới tiếp nhận theo kênh"),
            points=[
                Point(label, float(n), f"{n} ({percent(n / new if new else None)})") for label, n in channels
            ],
            chart_id="chart-channels",
        ),
        "chart_satisfaction": charts.share_chart(
            title=_("Mức độ hài lòng của người dân"),
            points=[
                Point(label, float(n), f"{n} ({percent(n / board.rated if board.rated else None)})")
                for label, n in satisfaction
            ],
            chart_id="chart-satisfaction",
        ),
        "chart_overdue": charts.bar_chart(
            title=_("Hồ sơ đang giải quyết quá hạn theo đơn vị"),
            points=[Point(u.unit_name, float(u.overdue), str(u.overdue)) for u in board.by_overdue],
            maximum=max_overdue,
            chart_id="chart-overdue",
        ),
    }


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


@require_GET
@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    period, error = _parse(request)
    context = _picker(period) | {"period_error": error}
    if period is None:
        return render(request, "dashboards/dashboard.html", context, status=400)
    board = dashboard_figures(unit_ids=visible_unit_ids(request.user), period=period)
    context |= {"board": board} | _charts(board)
    return render(request, "dashboards/dashboard.html", context)


def _public_period(request: HttpRequest) -> tuple[Period | None, str]:
    period, error = _parse(request)
    if period is not None and not public_period_ok(period, today=timezone.localdate()):
        return None, _("Kỳ này chưa bắt đầu nên chưa có số liệu công khai.")
    return period, error


@require_GET
def transparency(request: HttpRequest) -> HttpResponse:
    period, error = _public_period(request)
    context = _picker(period) | {"period_error": error}
    if period is None:
        return render(request, "dashboards/public.html", context, status=400)
    rows = public_rows(period=period)
    context["rows"] = [
        row
        | {
            "on_time_shown": percent(row["ty_le_dung_han"]),
            "online_shown": percent(row["ty_le_truc_tuyen"]),
            "satisfaction_shown": percent(row["ty_le_hai_long"]),
            "score_shown": f"{row['diem_766']:.2f}".replace(".", ","),
        }
        for row in rows
    ]
    return render(request, "dashboards/public.html", context)


@require_GET
def open_data_csv(request: HttpRequest) -> HttpResponse:
    period, error = _public_period(request)
    if period is None:
        return problem_response(400, error)
    rows = public_rows(period=period)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if rows:
        writer.writerow(rows[0].keys())
        for row in rows:
            writer.writerow(["" if value is None else value for value in row.values()])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="cong-khai-{period_query(period).replace("&", "-")}.csv"'
    )
    return response


@require_GET
def open_data_json(request: HttpRequest) -> HttpResponse:
    period, error = _public_period(request)
    if period is None:
        return problem_response(400, error)
    body = {
        "ky": {"loai": period.kind, "nam": period.year, "so": period.number, "nhan": period.label},
        "nguon": _("Số liệu công khai về giải quyết thủ tục hành chính, không chứa dữ liệu cá nhân."),
        "don_vi": public_rows(period=period),
    }
    return HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/json; charset=utf-8")
