"""Periodic reports: the figures filled from the platform equal the statistics' own, the province's report sums
the units' and lists who is missing, who may write and submit, and what a submitted report keeps."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest

from cchc.accountability import services as accountability
from cchc.dossiers.models import Channel
from cchc.orgs.models import Unit
from cchc.parindex.metrics import METRICS, MetricContext
from cchc.plans import services as plans
from cchc.plans.models import Area, TaskStatus
from cchc.reports import figures, services
from cchc.reports.models import Report, ReportStatus
from cchc.reports.periods import ReportKind, report_period
from cchc.reports.selectors import Submission, province_values, report_values, submissions
from cchc.reports.services import ReportError, ReportForbidden
from cchc.serviceindex.selectors import index_compute
from cchc.stats.daily import index_counts
from cchc.stats.selectors import dossier_statistics
from tests.dossiers.conftest import World, at
from tests.serviceindex.conftest import receive, resolve

pytestmark = pytest.mark.django_db
Q1 = report_period(ReportKind.Q1, 2026)  # 15/12/2025 - 14/03/2026, due 20/03/2026
AFTER_Q1 = at(2026, 3, 16, 9)


def _dossiers(world: World) -> None:
    """Justice: one dossier before the period and carried over into it, three received in it (one online, one by
    post), two resolved in it (one late), one pending; one received after it. Construction: one, resolved."""
    carried = receive(world, at(2025, 12, 10, 9))
    resolve(world, carried, at(2026, 1, 5, 9))  # received 10/12: carried over, resolved late in the period
    resolve(world, receive(world, at(2026, 2, 2, 9), channel=Channel.ONLINE), at(2026, 2, 3, 9))
    receive(world, at(2026, 3, 2, 9), channel=Channel.POST)  # still pending at 14/03, overdue
    resolve(world, receive(world, at(2026, 3, 9, 9)), at(2026, 3, 10, 9))
    receive(world, at(2026, 3, 15, 9))  # the day after the period: not counted
    resolve(world, receive(world, at(2026, 2, 2, 9), competent_unit=world.construction), at(2026, 2, 4, 9))


def _plan(world: World, committee: Unit, home_affairs: Any) -> None:
    plan = plans.plan_create(year=2026, unit=committee, title="KH CCHC 2026", actor=home_affairs)
    add = plans.task_add
    add(plan=plan, area=Area.DIRECTION, code="1", title="Tuyên truyền", lead_unit=world.justice,
        deadline=dt.date(2026, 2, 28), actor=home_affairs, budget_vnd=5_000_000)  # fmt: skip
    add(plan=plan, area=Area.PROCEDURES, code="2", title="Rà soát TTHC", lead_unit=world.justice,
        deadline=dt.date(2026, 3, 10), actor=home_affairs)  # fmt: skip
    add(plan=plan, area=Area.DIGITAL, code="3", title="Số hóa", lead_unit=world.justice,
        deadline=dt.date(2026, 9, 30), actor=home_affairs)  # fmt: skip
    task1 = plan.tasks.get(code="1")
    plans.task_progress(task=task1, progress=100, status=TaskStatus.DONE, actor=world.staff["specialist"],
                        at=at(2026, 2, 20, 9))  # fmt: skip
    # Task 2 is done after the period: overdue at 14/03.
    plans.task_progress(task=plan.tasks.get(code="2"), progress=100, status=TaskStatus.DONE,
                        actor=world.staff["specialist"], at=at(2026, 3, 20, 9))  # fmt: skip


def test_figures_equal_the_statistics_of_the_period(world: World, committee: Unit, home_affairs: Any) -> None:
    _dossiers(world)
    _plan(world, committee, home_affairs)
    values = figures.unit_figures(world.justice, Q1, manual={"inspections": 2}, now=AFTER_Q1)
    total = dossier_statistics(unit_ids=[world.justice.pk], start=Q1.start, end=Q1.end, now=AFTER_Q1)[-1]
    for name in ("received", "carried_over", "new_online", "new_in_person", "new_post", "resolved",
                 "resolved_early", "resolved_on_time", "resolved_late", "refused", "withdrawn", "stopped",
                 "pending_within", "pending_overdue", "apologies", "new"):  # fmt: skip
        assert values[f"dossiers_{name}"] == total[name], name
    # By hand: 1 carried over + 3 new (online, post, in person); 3 resolved, 1 of them late; 1 pending overdue.
    assert (values["dossiers_carried_over"], values["dossiers_new"], values["dossiers_resolved"]) == (1, 3, 3)
    assert (values["dossiers_resolved_late"], values["dossiers_pending_overdue"]) == (1, 1)
    assert values["dossiers_on_time_rate"] == Decimal("66.67")  # 2 of 3
    assert values["online_rate"] == Decimal("33.33")  # 1 of 3 new
    cells: Counter[str] = Counter()
    for cell in index_counts(start=Q1.start, end=Q1.end, unit_ids=[world.justice.pk], now=AFTER_Q1).values():
        cells.update(cell)
    assert (values["e_results"], values["digitised"], values["fee_bearing"]) == (
        cells["e_result"], cells["digitised"], cells["fee_bearing"])  # fmt: skip
    index = index_compute(unit=world.justice, start=Q1.start, end=Q1.end, now=AFTER_Q1)
    assert values["index766"] == index.total
    # The plan at 14/03: three tasks, two due, one done on time, one overdue; 5,000,000 đồng.
    assert [values[k] for k in ("plan_tasks", "plan_due", "plan_done_on_time", "plan_overdue")] == [
        3,
        2,
        1,
        1,
    ]
    assert values["plan_on_time_rate"] == Decimal("50.00") and values["plan_budget_vnd"] == 5_000_000
    # Typed and not typed.
    assert values["inspections"] == 2 and values["legal_documents"] is None
    assert values["par_index"] is None  # nothing published


def test_commitments_and_feedback_are_filled(world: World, home_affairs: Any) -> None:
    _dossiers(world)
    leader = world.staff["leader"]
    commitment = accountability.commitment_create(year=2026, unit=world.justice, actor=leader)
    accountability.commitment_item_add(commitment=commitment, code="1", text="Đúng hạn ≥ 90%",
                                       metric="on_time_rate", target=Decimal(90), actor=leader)  # fmt: skip
    accountability.commitment_item_add(commitment=commitment, code="2", text="Công khai", actor=leader)
    accountability.commitment_sign(commitment=commitment, actor=leader, at=at(2026, 1, 10, 9))
    values = figures.unit_figures(world.justice, Q1, manual={}, now=AFTER_Q1)
    assert (values["commitment_items"], values["commitment_missed"]) == (2, 1)  # 66.67% < 90%
    assert values["feedback_received"] == 0 and values["feedback_harassment"] == 0


def _submit(report: Report, world: World, at_: dt.datetime, leader: Any = None) -> Report:
    services.report_save(report=report, actor=leader or world.staff["leader"], narrative={"I": "Đã ban hành kế hoạch."},
                         manual={"inspections": 1, "legal_documents": 3}, signer_name="Nguyễn Văn Bình",
                         signer_title="Giám đốc", number="15/BC-STP")  # fmt: skip
    return services.report_submit(report=report, actor=leader or world.staff["leader"], at=at_)


def test_the_province_sums_the_units_reports(world: World, committee: Unit, home_affairs: Any) -> None:
    _dossiers(world)
    justice = services.report_create(
        unit=world.justice, year=2026, kind=ReportKind.Q1, actor=world.staff["specialist"]
    )
    justice = _submit(justice, world, at(2026, 3, 18, 9))
    construction = services.report_create(unit=world.construction, year=2026, kind=ReportKind.Q1,
                                          actor=world.staff["other_leader"])  # fmt: skip
    services.report_save(report=construction, actor=world.staff["other_leader"], narrative={},
                         manual={"inspections": 4}, signer_name="Trần Thị Cúc")  # fmt: skip
    construction = services.report_submit(report=construction, actor=world.staff["other_leader"],
                                           at=at(2026, 3, 23, 9))  # late  # fmt: skip
    j, c = figures.thaw(justice.figures), figures.thaw(construction.figures)
    province, included = province_values(2026, ReportKind.Q1, now=at(2026, 3, 24, 9))
    assert {r.pk for r in included} == {justice.pk, construction.pk}
    for key in ("dossiers_received", "dossiers_resolved", "dossiers_new_online", "plan_tasks", "e_results"):
        assert province[key] == j[key] + c[key], key
    assert province["inspections"] == 5  # 1 + 4
    assert province["legal_documents"] == 3  # only justice typed it
    assert province["officials_trained"] is None  # nobody typed it
    # The rate is the province's, from the summed counts, not the mean of the two rates.
    in_time = j["dossiers_resolved_in_time"] + c["dossiers_resolved_in_time"]
    assert province["dossiers_on_time_rate"] == figures.percent(
        in_time, j["dossiers_resolved"] + c["dossiers_resolved"]
    )
    assert province["dossiers_on_time_rate"] == Decimal("75.00")  # 3 of 4; the mean of 66.67 and 100 is 83.33
    states = {
        row.unit: row.state for row in submissions(2026, ReportKind.Q1, [world.justice, world.construction])
    }
    assert states == {world.justice: Submission.ON_TIME, world.construction: Submission.LATE}
    # The province's report keeps what it summed.
    report = services.report_create(unit=committee, year=2026, kind=ReportKind.Q1, actor=home_affairs)
    services.report_save(
        report=report, actor=home_affairs, narrative={}, manual={}, signer_name="Lê Văn Dũng"
    )
    report = services.report_submit(report=report, actor=home_affairs, at=at(2026, 3, 24, 10))
    assert set(report.included.all()) == {justice, construction}
    assert report_values(report)["dossiers_received"] == province["dossiers_received"]


def test_missing_units_are_listed(world: World, committee: Unit, home_affairs: Any) -> None:
    draft = services.report_create(
        unit=world.justice, year=2026, kind=ReportKind.H1, actor=world.staff["leader"]
    )
    rows = submissions(2026, ReportKind.H1, [world.justice, world.construction])
    assert [(row.unit, row.state) for row in rows] == [
        (world.justice, Submission.DRAFT), (world.construction, Submission.MISSING)]  # fmt: skip
    values, included = province_values(2026, ReportKind.H1, now=at(2026, 6, 21, 9))
    assert included == [] and values["dossiers_received"] is None  # a draft is not summed
    assert draft.status == ReportStatus.DRAFT


def test_who_writes_and_submits(world: World, committee: Unit, home_affairs: Any) -> None:
    with pytest.raises(ReportForbidden):
        services.report_create(
            unit=world.justice, year=2026, kind=ReportKind.Q1, actor=world.staff["other_leader"]
        )
    with pytest.raises(ReportForbidden):
        services.report_create(unit=committee, year=2026, kind=ReportKind.Q1, actor=world.staff["leader"])
    with pytest.raises(ReportError, match="Kỳ báo cáo"):
        services.report_create(unit=world.justice, year=2026, kind="q2", actor=world.staff["leader"])
    with pytest.raises(ReportError, match="không lập báo cáo"):
        services.report_create(unit=world.centre, year=2026, kind=ReportKind.Q1, actor=home_affairs)
    report = services.report_create(
        unit=world.justice, year=2026, kind=ReportKind.Q1, actor=world.staff["specialist"]
    )
    with pytest.raises(ReportError, match="đã có báo cáo"):
        services.report_create(unit=world.justice, year=2026, kind=ReportKind.Q1, actor=world.staff["leader"])
    # Home Affairs reads a unit's report but does not write it.
    with pytest.raises(ReportForbidden):
        services.report_save(report=report, actor=home_affairs, narrative={}, manual={})
    with pytest.raises(ReportError, match="Mục báo cáo"):
        services.report_save(report=report, actor=world.staff["specialist"], narrative={"VI": "x"}, manual={})
    services.report_save(
        report=report, actor=world.staff["specialist"], narrative={"I": "Nội dung"}, manual={}
    )
    with pytest.raises(ReportForbidden):
        services.report_submit(report=report, actor=world.staff["specialist"], at=AFTER_Q1)
    with pytest.raises(ReportError, match="14/03/2026"):
        services.report_submit(report=report, actor=world.staff["leader"], at=at(2026, 3, 14, 16))
    with pytest.raises(ReportError, match="người ký"):
        services.report_submit(report=report, actor=world.staff["leader"], at=AFTER_Q1)
    report = _submit(report, world, AFTER_Q1)
    assert report.status == ReportStatus.SUBMITTED and report.figures["inspections"] == 1
    with pytest.raises(ReportError, match="đã gửi"):
        services.report_save(report=report, actor=world.staff["leader"], narrative={}, manual={})
    with pytest.raises(ReportError, match="đã gửi"):
        services.report_submit(report=report, actor=world.staff["leader"], at=AFTER_Q1)


def test_a_submitted_report_keeps_its_figures(world: World) -> None:
    report = services.report_create(
        unit=world.justice, year=2026, kind=ReportKind.Q1, actor=world.staff["leader"]
    )
    report = _submit(report, world, AFTER_Q1)
    assert report_values(report)["dossiers_received"] == 0
    # A dossier recorded later inside the period changes the statistics, not the submitted report.
    resolve(world, receive(world, at(2026, 3, 2, 9)), at(2026, 3, 3, 9))
    assert report_values(report)["dossiers_received"] == 0
    live = figures.unit_figures(world.justice, Q1, manual={}, now=at(2026, 3, 20, 9))
    assert live["dossiers_received"] == 1


@pytest.mark.parametrize(
    ("raw", "message"),
    [({"inspections": "-1"}, "Cuộc kiểm tra"), ({"inspections": "2,5"}, "Cuộc kiểm tra"),
     ({"budget_spent_vnd": "mười"}, "Kinh phí"), ({"legal_documents": "9" * 20}, "Văn bản")],
)  # fmt: skip
def test_typed_figures_are_whole_numbers(raw: dict[str, str], message: str) -> None:
    with pytest.raises(ReportError, match=message):
        services.parse_manual(raw)


def test_typed_figures_accept_thousands_dots() -> None:
    assert services.parse_manual({"budget_spent_vnd": "1.250.000", "inspections": " 3 ", "legal_documents": ""}) == {
        "budget_spent_vnd": 1_250_000, "inspections": 3}  # fmt: skip


def test_reports_on_time_feed_the_par_index(world: World) -> None:
    q1 = services.report_create(
        unit=world.justice, year=2026, kind=ReportKind.Q1, actor=world.staff["leader"]
    )
    _submit(q1, world, at(2026, 3, 19, 9))  # on time
    h1 = services.report_create(
        unit=world.justice, year=2026, kind=ReportKind.H1, actor=world.staff["leader"]
    )
    _submit(h1, world, at(2026, 6, 22, 9))  # late; Q3 missing
    context = MetricContext(year=2026, units=[world.justice, world.construction], now=at(2026, 10, 1, 9))
    reading = METRICS["reports_on_time"].read(context, world.justice)
    assert reading.rate == Decimal(1) / Decimal(3)
    assert [value for _label, value in reading.inputs] == ["1", "3"]
    assert METRICS["reports_on_time"].read(context, world.construction).rate == Decimal(0)


def test_inspections_and_initiatives_are_filled(world: World, committee: Unit, home_affairs: Any) -> None:
    from cchc.accountability import services as oversight
    from cchc.accountability.models import DisciplineMeasure, InspectionKind, InspectionMode
    from cchc.plans.models import Area as PlanArea

    inspection = oversight.inspection_plan(
        year=2026, kind=InspectionKind.REFORM, mode=InspectionMode.PLANNED, title="Kiểm tra CCHC",
        team_leader="Lê Văn Dũng", units=[world.justice, world.construction], scheduled_on=dt.date(2026, 2, 10),
        actor=home_affairs,
    )  # fmt: skip
    oversight.inspection_conduct(inspection=inspection, conducted_on=dt.date(2026, 2, 10), actor=home_affairs)
    finding = oversight.finding_add(inspection=inspection, unit=world.justice, text="Niêm yết thiếu",
                                    actor=home_affairs, at=at(2026, 2, 10, 15))  # fmt: skip
    oversight.remedy_require(
        finding=finding, text="Niêm yết đủ", deadline=dt.date(2026, 3, 1), actor=home_affairs
    )
    oversight.remedy_require(
        finding=finding, text="Tập huấn", deadline=dt.date(2026, 4, 30), actor=home_affairs
    )
    oversight.discipline_recommend(finding=finding, official_name="Nguyễn Văn X", measure=DisciplineMeasure.REPRIMAND,
                                   reason="Không niêm yết", actor=home_affairs, at=at(2026, 2, 10, 16))  # fmt: skip
    oversight.initiative_submit(unit=world.justice, title="Mã QR hướng dẫn", authors="Nguyễn Thị Hoa",
                                area=PlanArea.PROCEDURES, summary="Mỗi thủ tục một mã QR.",
                                actor=world.staff["specialist"], at=at(2026, 1, 20, 9))  # fmt: skip
    values = figures.unit_figures(world.justice, Q1, manual={}, now=AFTER_Q1)
    assert [values[k] for k in ("inspected", "remedies_required", "remedies_open", "remedies_overdue",
                                "discipline_recommended", "initiatives", "initiatives_recognised")] == [
        1, 2, 2, 1, 1, 1, 0]  # fmt: skip
    # The province counts the inspection once, though it covered two units.
    province, _included = province_values(2026, ReportKind.Q1, now=AFTER_Q1)
    assert province["inspections_held"] == 1
    # Outside the period nothing counts.
    q3 = figures.unit_figures(
        world.justice, report_period(ReportKind.Q3, 2026), manual={}, now=at(2026, 9, 16, 9)
    )
    assert (q3["inspected"], q3["initiatives"], q3["remedies_open"]) == (0, 0, 2)  # still open in September
