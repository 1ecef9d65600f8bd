"""The demo reform plan of `cchc demo`: the province's plan in progress, the justice department's derived."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cchc.orgs.demo import demo_province_create
from cchc.orgs.models import UnitKind
from cchc.orgs.services import LoadReport
from cchc.plans.demo import demo_plans_create
from cchc.plans.models import Plan, TaskStatus, TaskUpdate
from cchc.plans.selectors import plan_progress
from tests.orgs.conftest import loaded_units  # noqa: F401 - the fixture is used by name

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_demo_plan_is_in_progress(loaded_units: LoadReport) -> None:  # noqa: F811
    demo_province_create()
    today = dt.date(2026, 11, 24)
    plan = demo_plans_create(today=today)
    assert plan is not None and plan.unit.kind == UnitKind.PROVINCE_COMMITTEE
    assert plan.tasks.count() == 7
    # Tasks 1, 3, 5 (due February, June, August…) done; task 4 (due September) late and open; 7 due December.
    done = set(plan.tasks.filter(status=TaskStatus.DONE).values_list("code", flat=True))
    assert "4" not in done and "7" not in done and {"3", "6"} <= done
    _areas, _units, total = plan_progress(plan, today=today)
    assert total.tasks == 7 and total.overdue >= 1
    assert TaskUpdate.objects.filter(task__plan=plan).exists()
    justice_plan = Plan.objects.get(year=2026, source=plan)
    assert list(justice_plan.tasks.values_list("code", flat=True)) == ["3", "4"]
    assert demo_plans_create(today=today) is None  # once
