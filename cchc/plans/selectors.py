"""Reads of the reform plans: progress by area and by lead unit (tiến độ thực hiện kế hoạch)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from cchc.plans.models import Area, Plan, Task, TaskStatus


@dataclass
class Progress:
    """Tasks of a group: how many, done (of which on time), overdue (not done, deadline passed), mean progress."""

    label: str
    tasks: int = 0
    done: int = 0
    done_on_time: int = 0
    overdue: int = 0
    progress_sum: int = 0

    @property
    def mean_progress(self) -> Decimal:
        if not self.tasks:
            return Decimal(0)
        return (Decimal(self.progress_sum) / self.tasks).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _add(group: Progress, task: Task, today: dt.date) -> None:
    group.tasks += 1
    group.progress_sum += task.progress
    if task.status == TaskStatus.DONE:
        group.done += 1
        if task.done_on is not None and task.done_on <= task.deadline:
            group.done_on_time += 1
    elif task.deadline < today and task.status != TaskStatus.CANCELLED:
        group.overdue += 1


def plan_progress(plan: Plan, *, today: dt.date) -> tuple[list[Progress], list[Progress], Progress]:
    """(by content area, by lead unit, the whole plan); cancelled tasks are counted but never overdue."""
    by_area = {value: Progress(str(label)) for value, label in Area.choices}
    by_unit: dict[int, Progress] = {}
    total = Progress(plan.title)
    for task in plan.tasks.select_related("lead_unit").order_by("code"):
        _add(by_area[task.area], task, today)
        _add(by_unit.setdefault(task.lead_unit_id, Progress(task.lead_unit.name)), task, today)
        _add(total, task, today)
    areas = [group for group in by_area.values() if group.tasks]
    units = sorted(by_unit.values(), key=lambda group: group.label)
    return areas, units, total


def tasks_due(unit_ids: list[int], *, year: int, until: dt.date) -> dict[int, tuple[int, int]]:
    """Per lead unit: (tasks of the year's plans due by `until`, of them done on time). A unit's task derived
    from the province's counts once: the province's copy is left out when the unit's own plan carries it."""
    derived = Task.objects.filter(plan__year=year, source__isnull=False).values("source_id")
    tasks = (
        Task.objects.filter(plan__year=year, lead_unit_id__in=unit_ids, deadline__lte=until)
        .exclude(status=TaskStatus.CANCELLED)
        .exclude(pk__in=derived)
    )
    result: dict[int, tuple[int, int]] = {}
    for unit_id, deadline, done_on, status in tasks.values_list(
        "lead_unit_id", "deadline", "done_on", "status"
    ):
        due, on_time = result.get(unit_id, (0, 0))
        ok = status == TaskStatus.DONE and done_on is not None and done_on <= deadline
        result[unit_id] = (due + 1, on_time + int(ok))
    return result
