"""Reform plans: who edits which plan, tasks and their checks, a unit's plan derived from the province's,
progress reports with their history, and the progress figures by area and unit, by hand."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest

from cchc.core.blobs import BlobError
from cchc.orgs.models import Unit
from cchc.plans import services
from cchc.plans.models import Area, Plan, Task, TaskStatus, TaskUpdate
from cchc.plans.selectors import plan_progress, tasks_due
from cchc.plans.services import PlanError, PlanForbidden
from tests.dossiers.conftest import World, at

pytestmark = pytest.mark.django_db
D = dt.date


def _province_plan(world: World, committee: Unit, council: Any) -> Plan:
    plan = services.plan_create(year=2026, unit=committee, title="Kế hoạch CCHC tỉnh Thử năm 2026",
                                number="12/KH-UBND", actor=council)  # fmt: skip
    j, c = world.justice, world.construction
    rows = [
        (Area.DIRECTION, "1", "Ban hành kế hoạch tuyên truyền CCHC", j, D(2026, 3, 31)),
        (Area.PROCEDURES, "2", "Rà soát, đơn giản hóa thủ tục hành chính", j, D(2026, 6, 30)),
        (Area.PROCEDURES, "3", "Số hóa kết quả giải quyết thủ tục", c, D(2026, 9, 30)),
        (Area.DIGITAL, "4", "Kết nối hệ thống một cửa với Cổng Dịch vụ công quốc gia", c, D(2026, 12, 31)),
    ]
    for area, code, title, lead, deadline in rows:
        services.task_add(plan=plan, area=area, code=code, title=title, lead_unit=lead, deadline=deadline,
                          actor=council, coordinating_units=[c, j], output="Báo cáo", budget_vnd=10_000_000)  # fmt: skip
    return plan


def test_only_home_affairs_edits_the_province_plan(world: World, committee: Unit, home_affairs: Any) -> None:
    with pytest.raises(PlanForbidden):
        services.plan_create(year=2026, unit=committee, title="KH", actor=world.staff["leader"])
    plan = _province_plan(world, committee, home_affairs)
    with pytest.raises(PlanForbidden):
        services.task_add(plan=plan, area=Area.DIRECTION, code="9", title="x", lead_unit=world.justice,
                          deadline=D(2026, 5, 1), actor=world.staff["leader"])  # fmt: skip
    task = plan.tasks.get(code="1")
    assert set(task.coordinating_units.all()) == {world.construction}  # the lead unit is not also a helper
    with pytest.raises(PlanError, match="trong năm 2026"):
        services.task_add(plan=plan, area=Area.DIRECTION, code="9", title="x", lead_unit=world.justice,
                          deadline=D(2027, 1, 5), actor=home_affairs)  # fmt: skip
    with pytest.raises(PlanError, match="đã có trong kế hoạch"):
        services.task_add(plan=plan, area=Area.DIRECTION, code="1", title="x", lead_unit=world.justice,
                          deadline=D(2026, 5, 1), actor=home_affairs)  # fmt: skip
    with pytest.raises(PlanError, match="đã có kế hoạch năm 2026"):
        services.plan_create(year=2026, unit=committee, title="KH", actor=home_affairs)


def test_a_unit_plan_is_derived_from_the_tasks_it_leads(
    world: World, committee: Unit, home_affairs: Any
) -> None:
    province = _province_plan(world, committee, home_affairs)
    with pytest.raises(PlanForbidden):
        services.plan_derive(province_plan=province, unit=world.justice, actor=world.staff["other_leader"])
    plan = services.plan_derive(province_plan=province, unit=world.justice, actor=world.staff["leader"])
    assert plan.source == province and plan.unit == world.justice
    assert list(plan.tasks.values_list("code", "source__code", "deadline")) == [
        ("1", "1", D(2026, 3, 31)), ("2", "2", D(2026, 6, 30))
    ]  # fmt: skip
    # Deriving again adds only what is new.
    services.task_add(plan=province, area=Area.APPARATUS, code="5", title="Sắp xếp phòng chuyên môn",
                      lead_unit=world.justice, deadline=D(2026, 8, 31), actor=home_affairs)  # fmt: skip
    services.plan_derive(province_plan=province, unit=world.justice, actor=world.staff["leader"])
    assert list(plan.tasks.order_by("code").values_list("code", flat=True)) == ["1", "2", "5"]
    # The unit edits its own plan, not another's.
    services.task_add(plan=plan, area=Area.DIRECTION, code="6", title="Họp giao ban CCHC hằng quý",
                      lead_unit=world.justice, deadline=D(2026, 12, 15), actor=world.staff["leader"])  # fmt: skip
    with pytest.raises(PlanForbidden):
        services.task_add(plan=plan, area=Area.DIRECTION, code="7", title="x", lead_unit=world.justice,
                          deadline=D(2026, 12, 15), actor=world.staff["other_leader"])  # fmt: skip


def test_progress_reports_and_the_figures_by_hand(world: World, committee: Unit, home_affairs: Any) -> None:
    plan = _province_plan(world, committee, home_affairs)
    t1, t2, t3, t4 = (plan.tasks.get(code=code) for code in "1234")
    with pytest.raises(PlanForbidden, match="cơ quan chủ trì"):
        services.task_progress(
            task=t1, progress=50, status=TaskStatus.IN_PROGRESS, actor=world.staff["other_leader"]
        )
    with pytest.raises(PlanError, match="100%"):
        services.task_progress(task=t1, progress=90, status=TaskStatus.DONE, actor=world.staff["specialist"])
    with pytest.raises(PlanError, match="từ 0 đến 100"):
        services.task_progress(
            task=t1, progress=120, status=TaskStatus.IN_PROGRESS, actor=world.staff["specialist"]
        )
    with pytest.raises(PlanError, match="lý do"):
        services.task_progress(
            task=t4, progress=0, status=TaskStatus.CANCELLED, actor=world.staff["other_leader"]
        )
    # t1 done on time (25/03 ≤ 31/03); t2 done late (02/07 > 30/06); t3 at 40%, its deadline passed by 15/10;
    # t4 at 10%, due 31/12: not overdue yet.
    services.task_progress(task=t1, progress=100, status=TaskStatus.DONE, actor=world.staff["specialist"],
                           at=at(2026, 3, 25, 9))  # fmt: skip
    services.task_progress(task=t2, progress=100, status=TaskStatus.DONE, actor=world.staff["leader"],
                           note="Đã trình quyết định", at=at(2026, 7, 2, 9))  # fmt: skip
    services.task_progress(
        task=t3, progress=40, status=TaskStatus.IN_PROGRESS, actor=world.staff["other_leader"]
    )
    services.task_progress(
        task=t4, progress=10, status=TaskStatus.IN_PROGRESS, actor=world.staff["other_leader"]
    )
    with pytest.raises(PlanError, match="đã hoàn thành"):
        services.task_progress(
            task=t1, progress=50, status=TaskStatus.IN_PROGRESS, actor=world.staff["specialist"]
        )
    assert Task.objects.get(pk=t1.pk).done_on == D(2026, 3, 25)
    assert TaskUpdate.objects.filter(task=t2).get().note == "Đã trình quyết định"

    areas, units, total = plan_progress(plan, today=D(2026, 10, 15))
    by_area = {group.label: group for group in areas}
    procedures = by_area["Cải cách thủ tục hành chính"]
    assert (procedures.tasks, procedures.done, procedures.done_on_time, procedures.overdue) == (2, 1, 0, 1)
    assert procedures.mean_progress == 70  # (100 + 40) / 2
    assert (total.tasks, total.done, total.done_on_time, total.overdue, total.mean_progress) == (
        4,
        2,
        1,
        1,
        62.5,
    )
    assert [(u.label, u.done_on_time, u.overdue) for u in units] == [
        (world.justice.name, 1, 0), (world.construction.name, 0, 1)
    ]  # fmt: skip
    # For the PAR Index: tasks due by 30/09 per lead unit, and how many were done on time.
    assert tasks_due([world.justice.pk, world.construction.pk], year=2026, until=D(2026, 9, 30)) == {
        world.justice.pk: (2, 1), world.construction.pk: (1, 0)
    }  # fmt: skip


def test_evidence_is_checked_and_kept_by_hash(world: World, committee: Unit, home_affairs: Any) -> None:
    task = _province_plan(world, committee, home_affairs).tasks.get(code="1")
    evidence = services.task_evidence_add(task=task, upload=io.BytesIO(b"%PDF-1.4 bao cao"), name="bao-cao.pdf",
                                          actor=world.staff["specialist"])  # fmt: skip
    assert evidence.blob.startswith("blobs/") and evidence.size == 16
    with pytest.raises(BlobError):
        services.task_evidence_add(
            task=task, upload=io.BytesIO(b"MZ"), name="x.exe", actor=world.staff["specialist"]
        )
    with pytest.raises(PlanForbidden):
        services.task_evidence_add(task=task, upload=io.BytesIO(b"%PDF-1.4"), name="x.pdf",
                                   actor=world.staff["other_leader"])  # fmt: skip
