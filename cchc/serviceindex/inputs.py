"""The rates of the 766 index computed from the platform's tables, per competent unit, in grouped queries.

Every figure is counted for the dossier's competent (handling) unit, the one the index scores. Readings made
here (DOMAIN.md §6 gives the components, not their exact populations; verify against the national portal):
- "received in the period" = `received_at` in [start 00:00, end+1 00:00) Asia/Ho_Chi_Minh;
- electronic result: among dossiers resolved in the period, those whose result document is stored as a file or
  that was returned online by the period's end;
- digitised: among dossiers received, those with at least one provided component and every provided component
  digitised (scanned) or reused from state data, as received (the components of the intake and of supplements
  sent before reception: digitisation is done at reception; a document sent during processing does not count);
- reused data: among dossiers received, those with at least one such component reused from state data;
- synced in real time: among dossiers received, those whose every status message written by the period's end
  was taken by the national portal within REALTIME_WINDOW of the change (cchc.nationalportal.selectors);
- linked to the citizen's data store: among electronic results issued (resolved) in the period, those taken
  into the owner's store on the national portal by the period's end (cchc.nationalportal.selectors; the
  platform sends results, not the digitised components, to the store);
- population data: among dossiers received, those whose applicant's identity came from the national identity
  system through the citizen's verified account when filed (Dossier.applicant_identity_verified);
- online service: among dossiers received of procedures offered fully online (`online_level` "full"), those
  filed online (channel 2);
- online payment: among fee-bearing dossiers received (a fee line above 0 đ), A = those with a fee line paid
  through the online channel (`payment_channel` set) by the end; B = share of their procedures with at least
  one such dossier; C = the mean over those procedures of each procedure's own A;
- dossier satisfaction: 1 − (late + disliked or complained) / the progress population (ontime.py);
- feedback rows: cchc.feedback.figures.feedback_figures (None without feedback).
The province is every unit pooled (sums of numerators and denominators, C over the pooled procedures).

Speed (issue 5 §6): every per-dossier figure comes from the statistics' stored days
(cchc.stats.daily.index_counts): the closed days are summed from a few stored rows per unit and procedure, the
open ones counted in SQL. A figure measured at the period's end (a result returned online, a payment) is stored
on the day of that event with the day of its base (resolved, received), so a closed day never changes. No
dossier is read into Python.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.dossiers.models import Dossier
from cchc.feedback.figures import FeedbackFigures, feedback_figures
from cchc.feedback.models import Feedback
from cchc.nationalportal.selectors import REALTIME_WINDOW, realtime_synced_counts, store_linked_counts
from cchc.portal.selectors import dissatisfied_dossier_ids
from cchc.serviceindex.ontime import OnTimeCounts
from cchc.stats.daily import index_counts
from cchc.workdays.calendar import TZ

PROVINCE = 0  # the key of the pooled province figures

# Inputs the platform does not hold yet: the component shows "no data" and why (never a made-up number).
NO_DATA_REASONS = {
    "announced_on_time": _(
        "Chưa có dữ liệu: nền tảng chưa ghi ngày công bố thủ tục trên Cơ sở dữ liệu quốc gia so với ngày "
        "có hiệu lực, và danh mục thủ tục chưa gắn với đơn vị được chấm."
    ),
    "updated_on_time": _(
        "Chưa có dữ liệu: danh mục thủ tục chưa gắn với đơn vị được chấm (cơ quan thực hiện là văn bản tự do), "
        "nên chưa tính được tỷ lệ cập nhật, công khai đúng hạn theo đơn vị."
    ),
    "seven_parts": _(
        "Chưa có dữ liệu: danh mục thủ tục chưa gắn với đơn vị được chấm, nên chưa tính được tỷ lệ thủ tục "
        "công khai đủ 7 bộ phận theo đơn vị."
    ),
    "certified_copies": _("Chưa có dữ liệu: nền tảng chưa cấp bản sao điện tử chứng thực từ bản chính."),
    "population_procedures": _("Chưa có dữ liệu: nền tảng chưa kết nối Cơ sở dữ liệu quốc gia về dân cư."),
}


@dataclass(frozen=True)
class Measure:
    """A component's measured rate with the inputs that give it.

    `rate` is None when the denominator is zero. `inputs` are (label, value) pairs shown to leaders;
    `sub_rates` holds A, B and C of the payment component.
    """

    rate: Decimal | None
    inputs: tuple[tuple[str, str], ...]
    sub_rates: dict[str, Decimal] | None = None


@dataclass
class _Counts:
    received: int = 0
    synced: int = 0
    e_results_issued: int = 0
    store_linked: int = 0
    identity_verified: int = 0
    digitised: int = 0
    reused: int = 0
    full_online_offered: int = 0
    full_online_filed: int = 0
    resolved: int = 0
    e_result: int = 0
    fee_bearing: int = 0
    paid_online: int = 0
    on_time: OnTimeCounts = field(default_factory=OnTimeCounts)
    dissatisfied: int = 0
    # procedure id -> (fee-bearing dossiers, paid online)
    procedures: dict[int, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    feedback: FeedbackFigures = field(default_factory=FeedbackFigures)


def bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, end+1 00:00) in Asia/Ho_Chi_Minh."""
    if end < start:
        raise ValueError("Ngày kết thúc kỳ phải sau ngày bắt đầu.")
    first = dt.datetime.combine(start, dt.time(0), tzinfo=TZ)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=TZ)
    return first, after


def _ratio(numerator: int, denominator: int) -> Decimal | None:
    return Decimal(numerator) / Decimal(denominator) if denominator else None


def _dossier_counts(
    counts: dict[int, _Counts], ids: list[int], start: dt.date, end: dt.date, now: dt.datetime
) -> None:
    """Every per-dossier reading from the statistics' stored days (cchc.stats.daily.index_counts): closed days
    are summed, open days counted, per (unit, procedure)."""
    for (unit_id, procedure_id), cell in index_counts(start=start, end=end, unit_ids=ids, now=now).items():
        target = counts[unit_id]
        target.received += cell["received"]
        target.full_online_offered += cell["full_online"]
        target.full_online_filed += cell["full_online_filed"]
        target.resolved += cell["resolved"]
        target.e_result += cell["e_result"]
        target.digitised += cell["digitised"]
        target.reused += cell["reused"]
        target.on_time = OnTimeCounts(
            target.on_time.total + cell["timed_done"] + cell["open_timed"],
            target.on_time.on_time + cell["timed_on_time"] + cell["open_within"],
        )
        if cell["fee_bearing"]:
            target.fee_bearing += cell["fee_bearing"]
            target.paid_online += cell["paid_online"]
            pair = target.procedures[procedure_id]
            pair[0] += cell["fee_bearing"]
            pair[1] += cell["paid_online"]


def _satisfaction_counts(counts: dict[int, _Counts], ids: list[int], start: dt.date, end: dt.date) -> None:
    disliked = dissatisfied_dossier_ids(unit_ids=ids, start=start, end=end)
    id_list = sorted(disliked)
    for chunk in range(0, len(id_list), 5000):
        for row in (
            Dossier.objects.filter(pk__in=id_list[chunk : chunk + 5000])
            .values("competent_unit_id")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            counts[row["competent_unit_id"]].dissatisfied += row["n"]


def _feedback_counts(
    counts: dict[int, _Counts],
    ids: list[int],
    start: dt.date,
    end: dt.date,
    first: dt.datetime,
    after: dt.datetime,
) -> None:
    # Only units with feedback in the period are asked: the others have none (full points).
    with_feedback = (
        Feedback.objects.filter(received_at__gte=first, received_at__lt=after, unit_id__in=ids)
        .values_list("unit_id", flat=True)
        .distinct()
    )
    for unit_id in with_feedback:
        counts[unit_id].feedback = feedback_figures(unit_ids=[unit_id], start=start, end=end)


def _identity_counts(
    counts: dict[int, _Counts], ids: list[int], first: dt.datetime, after: dt.datetime
) -> None:
    """Dossiers received whose applicant was verified through the identity provider (a partial index)."""
    for row in (
        Dossier.objects.filter(
            applicant_identity_verified=True,
            competent_unit_id__in=ids,
            received_at__gte=first,
            received_at__lt=after,
        )
        .values("competent_unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[row["competent_unit_id"]].identity_verified += row["n"]


def _pool(counts: dict[int, _Counts], ids: list[int]) -> _Counts:
    pooled = _Counts()
    on_total = on_time = 0
    for unit_id in ids:
        one = counts[unit_id]
        for name in (
            "received", "synced", "e_results_issued", "store_linked", "identity_verified", "digitised",
            "reused", "full_online_offered", "full_online_filed", "resolved", "e_result", "fee_bearing",
            "paid_online", "dissatisfied",
        ):  # fmt: skip
            setattr(pooled, name, getattr(pooled, name) + getattr(one, name))
        on_total += one.on_time.total
        on_time += one.on_time.on_time
        for procedure_id, (n, paid) in one.procedures.items():
            pair = pooled.procedures[procedure_id]
            pair[0] += n
            pair[1] += paid
        figures = one.feedback
        pooled.feedback = FeedbackFigures(
            received=pooled.feedback.received + figures.received,
            handled_on_time=pooled.feedback.handled_on_time + figures.handled_on_time,
            open_within_limit=pooled.feedback.open_within_limit + figures.open_within_limit,
            rated=pooled.feedback.rated + figures.rated,
            satisfied=pooled.feedback.satisfied + figures.satisfied,
        )
    pooled.on_time = OnTimeCounts(on_total, on_time)
    return pooled


@contextmanager
def _without_jit() -> Iterator[None]:
    """PostgreSQL: no JIT compilation for the grouped queries (inside a transaction, then restored). They are
    costed high, so PostgreSQL compiles them, which took ~250 ms per query on the bench: longer than running."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit'), set_config('jit', 'off', true)")
        row = cursor.fetchone()
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('jit', %s, true)", [row[0] if row else "on"])


def measures_by_unit(
    *, unit_ids: Collection[int], start: dt.date, end: dt.date, now: dt.datetime | None = None
) -> dict[int, dict[str, Measure]]:
    """The measured components of each unit (and of the pooled province under key PROVINCE), keyed by the
    components' `input_key`. Keys of NO_DATA_REASONS are absent: the platform has no data for them."""
    ids = sorted(set(unit_ids))
    first, after = bounds(start, end)
    counts: dict[int, _Counts] = defaultdict(_Counts)
    with transaction.atomic(), _without_jit():
        _dossier_counts(counts, ids, start, end, now or timezone.now())
        _satisfaction_counts(counts, ids, start, end)
        _feedback_counts(counts, ids, start, end, first, after)
        for unit_id, synced in realtime_synced_counts(unit_ids=ids, first=first, after=after).items():
            counts[unit_id].synced += synced
        for unit_id, (issued, linked) in store_linked_counts(unit_ids=ids, first=first, after=after).items():
            counts[unit_id].e_results_issued += issued
            counts[unit_id].store_linked += linked
        _identity_counts(counts, ids, first, after)
    result = {unit_id: _measures(counts[unit_id]) for unit_id in ids}
    result[PROVINCE] = _measures(_pool(counts, ids))
    return result


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _measures(c: _Counts) -> dict[str, Measure]:
    late = c.on_time.late
    population = c.on_time.total
    dissatisfied_rate = _ratio(late + c.dissatisfied, population)
    procedures = [pair for pair in c.procedures.values() if pair[0]]
    with_online = sum(1 for _n_, paid in procedures if paid)
    c_rate = (
        sum((Decimal(paid) / Decimal(n) for n, paid in procedures), Decimal(0)) / Decimal(len(procedures))
        if procedures
        else None
    )
    a_rate = _ratio(c.paid_online, c.fee_bearing)
    b_rate = _ratio(with_online, len(procedures))
    fb = c.feedback
    return {
        "on_time": Measure(
            _ratio(c.on_time.on_time, population),
            (
                (
                    str(_("Hồ sơ đúng hạn (đã giải quyết đúng hạn + đang giải quyết trong hạn)")),
                    _n(c.on_time.on_time),
                ),
                (str(_("Hồ sơ đã và đang giải quyết trong kỳ")), _n(population)),
            ),
        ),
        "synced_realtime": Measure(
            _ratio(c.synced, c.received),
            (
                (
                    str(_("Hồ sơ được Cổng DVCQG nhận mọi trạng thái trong %(minutes)d phút"))
                    % {"minutes": int(REALTIME_WINDOW.total_seconds() // 60)},
                    _n(c.synced),
                ),
                (str(_("Hồ sơ tiếp nhận trong kỳ")), _n(c.received)),
            ),
        ),
        "online_full": Measure(
            _ratio(c.full_online_filed, c.full_online_offered),
            (
                (str(_("Hồ sơ nộp trực tuyến của thủ tục trực tuyến toàn trình")), _n(c.full_online_filed)),
                (str(_("Hồ sơ tiếp nhận của thủ tục trực tuyến toàn trình")), _n(c.full_online_offered)),
            ),
        ),
        "e_result": Measure(
            _ratio(c.e_result, c.resolved),
            (
                (str(_("Hồ sơ có kết quả điện tử")), _n(c.e_result)),
                (str(_("Hồ sơ đã có kết quả trong kỳ")), _n(c.resolved)),
            ),
        ),
        "digitised": Measure(
            _ratio(c.digitised, c.received),
            (
                (str(_("Hồ sơ có thành phần được số hóa đầy đủ")), _n(c.digitised)),
                (str(_("Hồ sơ tiếp nhận trong kỳ")), _n(c.received)),
            ),
        ),
        "data_store_linked": Measure(
            _ratio(c.store_linked, c.e_results_issued),
            (
                (
                    str(_("Kết quả điện tử đã vào Kho dữ liệu của công dân trên Cổng DVCQG")),
                    _n(c.store_linked),
                ),
                (str(_("Kết quả điện tử (có chữ ký số) cấp trong kỳ")), _n(c.e_results_issued)),
            ),
        ),
        "population_dossiers": Measure(
            _ratio(c.identity_verified, c.received),
            (
                (
                    str(_("Hồ sơ có danh tính người nộp xác thực qua tài khoản định danh điện tử")),
                    _n(c.identity_verified),
                ),
                (str(_("Hồ sơ tiếp nhận trong kỳ")), _n(c.received)),
            ),
        ),
        "reused": Measure(
            _ratio(c.reused, c.received),
            (
                (str(_("Hồ sơ được cắt giảm thành phần nhờ tái sử dụng dữ liệu")), _n(c.reused)),
                (str(_("Hồ sơ tiếp nhận trong kỳ")), _n(c.received)),
            ),
        ),
        "feedback_on_time": Measure(
            fb.on_time_rate,
            (
                (str(_("Phản ánh, kiến nghị xử lý đúng hạn")), _n(fb.on_time)),
                (str(_("Phản ánh, kiến nghị tiếp nhận trong kỳ")), _n(fb.received)),
            ),
        ),
        "feedback_satisfaction": Measure(
            fb.satisfaction_rate,
            (
                (str(_("Đánh giá hài lòng về xử lý phản ánh")), _n(fb.satisfied)),
                (str(_("Phản ánh được người gửi đánh giá")), _n(fb.rated)),
            ),
        ),
        "dossier_satisfaction": Measure(
            None if dissatisfied_rate is None else Decimal(1) - dissatisfied_rate,
            (
                (str(_("Hồ sơ trễ hạn")), _n(late)),
                (str(_("Hồ sơ bị phản ánh hoặc không hài lòng")), _n(c.dissatisfied)),
                (str(_("Hồ sơ đã và đang giải quyết trong kỳ")), _n(population)),
            ),
        ),
        "online_payment": Measure(
            a_rate,
            (
                (
                    str(_("A: hồ sơ có phí đã thanh toán trực tuyến / hồ sơ có phí")),
                    f"{_n(c.paid_online)} / {_n(c.fee_bearing)}",
                ),
                (
                    str(_("B: thủ tục có phí phát sinh thanh toán trực tuyến / thủ tục có phí")),
                    f"{_n(with_online)} / {_n(len(procedures))}",
                ),
                (
                    str(_("C: bình quân tỷ lệ thanh toán trực tuyến của từng thủ tục")),
                    "—" if c_rate is None else f"{c_rate * 100:.2f}%".replace(".", ","),
                ),
            ),
            {"A": a_rate or Decimal(0), "B": b_rate or Decimal(0), "C": c_rate or Decimal(0)},
        ),
    }
