"""Writes of the reform plans (cchc.plans): one service per step, each checking who may do it.

- The province's plan is Home Affairs' (it drafts it for the province committee); a unit's plan is its own
  leader's or unit administrator's, and Home Affairs may also edit it.
- A task's progress is reported by its lead unit's staff; every report is kept (`TaskUpdate`, append-only).
- A unit's plan can be derived from the province's: every province task the unit leads becomes a task of its
  plan that points back to it (`Task.source`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.core.blobs import blob_store, stored_file_values
from cchc.orgs.models import Unit, UnitKind
from cchc.orgs.roles import UNIT_STAFF, Role
from cchc.orgs.scoping import has_role
from cchc.plans.models import Area, Plan, Task, TaskEvidence, TaskStatus, TaskUpdate

PLAN_EDITORS = (Role.LEADER, Role.UNIT_ADMIN)


class PlanError(Exception):
    """A step refused (Vietnamese message); `status` is the HTTP answer a view gives."""

    status = 422


class PlanForbidden(PlanError):
    status = 403


def can_edit_plan(actor: Any, unit: Unit) -> bool:
    """Home Affairs edits every plan; a unit's leader or administrator its own (never the province's)."""
    if has_role(actor, Role.HOME_AFFAIRS):
        return True
    return unit.kind != UnitKind.PROVINCE_COMMITTEE and any(
        has_role(actor, role, unit) for role in PLAN_EDITORS
    )


def _may_edit(actor: Any, unit: Unit) -> None:
    if not can_edit_plan(actor, unit):
        raise PlanForbidden(_("Bạn không được sửa kế hoạch của %(unit)s.") % {"unit": unit.name})


@transaction.atomic
def plan_create(
    *,
    year: int,
    unit: Unit,
    title: str,
    actor: Any,
    number: str = "",
    objectives: str = "",
    requirements: str = "",
    source: Plan | None = None,
) -> Plan:
    """A yearly plan for `unit` (the province committee for the province's)."""
    _may_edit(actor, unit)
    if not title.strip():
        raise PlanError(_("Cần tên kế hoạch."))
    if Plan.objects.filter(year=year, unit=unit).exists():
        raise PlanError(_("%(unit)s đã có kế hoạch năm %(year)s.") % {"unit": unit.name, "year": year})
    return Plan.objects.create(
        year=year, unit=unit, title=title.strip(), number=number.strip(), objectives=objectives.strip(),
        requirements=requirements.strip(), source=source,
    )  # fmt: skip


@transaction.atomic
def task_add(
    *,
    plan: Plan,
    area: str,
    code: str,
    title: str,
    lead_unit: Unit,
    deadline: dt.date,
    actor: Any,
    coordinating_units: Iterable[Unit] = (),
    output: str = "",
    budget_vnd: int = 0,
    source: Task | None = None,
) -> Task:
    _may_edit(actor, plan.unit)
    if area not in Area.values:
        raise PlanError(_("Nội dung không hợp lệ."))
    if not title.strip() or not code.strip():
        raise PlanError(_("Cần số thứ tự và nội dung nhiệm vụ."))
    if deadline.year != plan.year:
        raise PlanError(_("Thời hạn phải trong năm %(year)s của kế hoạch.") % {"year": plan.year})
    if budget_vnd < 0:
        raise PlanError(_("Kinh phí không được âm."))
    helpers = [unit for unit in coordinating_units if unit.pk != lead_unit.pk]
    if Task.objects.filter(plan=plan, code=code.strip()).exists():
        raise PlanError(_("Số thứ tự “%(code)s” đã có trong kế hoạch.") % {"code": code.strip()})
    task = Task.objects.create(
        plan=plan, area=area, code=code.strip(), title=title.strip(), lead_unit=lead_unit, output=output.strip(),
        deadline=deadline, budget_vnd=budget_vnd, source=source,
    )  # fmt: skip
    task.coordinating_units.set(helpers)
    return task


@transaction.atomic
def plan_derive(*, province_plan: Plan, unit: Unit, actor: Any) -> Plan:
    """The unit's plan from the province's: every province task the unit leads, not yet taken, becomes its own."""
    if province_plan.unit.kind != UnitKind.PROVINCE_COMMITTEE:
        raise PlanError(_("Chỉ lập kế hoạch đơn vị từ kế hoạch của tỉnh."))
    plan = Plan.objects.filter(year=province_plan.year, unit=unit).first()
    if plan is None:
        plan = plan_create(
            year=province_plan.year, unit=unit, actor=actor, source=province_plan,
            title=_("Kế hoạch cải cách hành chính năm %(year)s của %(unit)s") % {"year": province_plan.year,
                                                                               "unit": unit.name},
        )  # fmt: skip
    else:
        _may_edit(actor, unit)
    taken = set(Task.objects.filter(plan=plan, source__isnull=False).values_list("source_id", flat=True))
    for task in (
        province_plan.tasks.filter(lead_unit=unit).prefetch_related("coordinating_units").order_by("code")
    ):
        if task.pk in taken:
            continue
        task_add(
            plan=plan, area=task.area, code=task.code, title=task.title, lead_unit=unit, deadline=task.deadline,
            actor=actor, coordinating_units=task.coordinating_units.all(), output=task.output,
            budget_vnd=task.budget_vnd, source=task,
        )  # fmt: skip
    return plan


@transaction.atomic
def task_progress(
    *, task: Task, progress: int, status: str, actor: Any, note: str = "", at: dt.datetime | None = None
) -> Task:
    """The lead unit reports progress (báo cáo tiến độ); a finished task is at 100% and dated."""
    moment = at or timezone.now()
    task = Task.objects.select_for_update().select_related("lead_unit").get(pk=task.pk)
    if not any(has_role(actor, role, task.lead_unit) for role in UNIT_STAFF):
        raise PlanForbidden(_("Chỉ cơ quan chủ trì báo cáo tiến độ nhiệm vụ."))
    if not 0 <= progress <= 100:
        raise PlanError(_("Tiến độ từ 0 đến 100%."))
    if status not in TaskStatus.values:
        raise PlanError(_("Trạng thái không hợp lệ."))
    if status == TaskStatus.DONE and progress != 100:
        raise PlanError(_("Nhiệm vụ hoàn thành phải đạt 100%."))
    if status == TaskStatus.CANCELLED and not note.strip():
        raise PlanError(_("Cần nêu lý do không thực hiện."))
    if task.status == TaskStatus.DONE and status != TaskStatus.DONE:
        raise PlanError(_("Nhiệm vụ đã hoàn thành."))
    task.progress, task.status = progress, status
    if status == TaskStatus.DONE and task.done_on is None:
        task.done_on = timezone.localtime(moment).date()
    task.save(update_fields=["progress", "status", "done_on"])
    TaskUpdate.objects.create(
        task=task, at=moment, actor=actor, progress=progress, status=status, note=note.strip()
    )
    return task


@transaction.atomic
def task_evidence_add(
    *, task: Task, upload: IO[bytes], name: str, actor: Any, at: dt.datetime | None = None
) -> TaskEvidence:
    if not any(has_role(actor, role, task.lead_unit) for role in UNIT_STAFF):
        raise PlanForbidden(_("Chỉ cơ quan chủ trì đính kèm tài liệu kiểm chứng."))
    stored = blob_store(upload)
    return TaskEvidence.objects.create(
        task=task, **stored_file_values(stored, name=name, actor=actor, at=at or timezone.now())
    )
