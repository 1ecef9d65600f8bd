"""A small criteria set for the PAR Index tests: 2 areas, 3 criteria, 6 leaves, a deduction, a survey leaf.

| code  | level     | max | method    |
| 1     | area      | 10  |           |
| 1.1   | criterion | 6   |           |
| 1.1.1 | component | 4   | manual    |
| 1.1.2 | component | 2   | evidence  |
| 1.1.3 | component | 1   | deduction |  (not part of 1.1's 6)
| 1.2   | criterion | 4   | automatic |  (a criterion without components, metric on_time_rate)
| 2     | area      | 6   |           |
| 2.1   | criterion | 6   |           |
| 2.1.1 | component | 4   | survey    |
| 2.1.2 | component | 2   | manual    |
Total 16 points: 4 from the survey, 12 appraised; deductions up to 1.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from cchc.orgs.models import Membership
from cchc.orgs.roles import Role
from cchc.parindex import workflow
from cchc.parindex.exchange import read_json
from cchc.parindex.models import Assessment, Criterion, UnitAssessment
from cchc.parindex.services import criteria_set_import
from tests.dossiers.conftest import (
    World,
    at,
    world,  # noqa: F401 - the fixture is used by name
)

ROWS: list[dict[str, Any]] = [
    {"code": "1", "parent": "", "level": "area", "title": "Công tác chỉ đạo, điều hành", "max_points": "10"},
    {"code": "1.1", "parent": "1", "level": "criterion", "title": "Kế hoạch CCHC năm", "max_points": "6"},
    {"code": "1.1.1", "parent": "1.1", "level": "component", "title": "Ban hành kế hoạch kịp thời",
     "max_points": "4", "method": "manual", "evidence": "Kế hoạch CCHC năm"},
    {"code": "1.1.2", "parent": "1.1", "level": "component", "title": "Mức độ thực hiện kế hoạch",
     "max_points": "2", "method": "evidence", "verify": True},
    {"code": "1.1.3", "parent": "1.1", "level": "component", "title": "Chậm báo cáo định kỳ",
     "max_points": "1", "method": "deduction"},
    {"code": "1.2", "parent": "1", "level": "criterion", "title": "Tỷ lệ hồ sơ giải quyết đúng hạn",
     "max_points": "4", "method": "automatic", "metric": "on_time_rate"},
    {"code": "2", "parent": "", "level": "area", "title": "Tác động của CCHC", "max_points": "6"},
    {"code": "2.1", "parent": "2", "level": "criterion", "title": "Sự hài lòng của người dân", "max_points": "6"},
    {"code": "2.1.1", "parent": "2.1", "level": "component", "title": "Điều tra xã hội học",
     "max_points": "4", "method": "survey"},
    {"code": "2.1.2", "parent": "2.1", "level": "component", "title": "Tiếp nhận, xử lý phản ánh",
     "max_points": "2", "method": "manual"},
]  # fmt: skip


def document(**head: Any) -> dict[str, Any]:
    values = {
        "format": "cchc-parindex",
        "version": 1,
        "year": 2026,
        "audience": "department",
        "name": "Bộ tiêu chí Chỉ số CCHC các sở 2026",
        "source": "Quyết định của UBND tỉnh Thử",
        "criteria": copy.deepcopy(ROWS),
    }
    values.update(head)
    return values


def as_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


OPENED = at(2026, 11, 2, 9)


@pytest.fixture
def home_affairs(world: World) -> Any:  # noqa: F811
    user = get_user_model().objects.create_user("noivu", password="mat-khau-dai-2026")
    Membership.objects.create(user=user, unit=world.centre, role=Role.HOME_AFFAIRS)
    return user


@pytest.fixture
def assessment(world: World, home_affairs: Any) -> Assessment:  # noqa: F811
    criteria_set = criteria_set_import(read_json(as_json(document())))
    return workflow.assessment_open(
        criteria_set=criteria_set,
        units=[world.justice, world.construction],
        self_assessment_due=dt.date(2026, 11, 30),
        appraisal_due=dt.date(2026, 12, 15),
        actor=home_affairs,
        clarification_days=3,
        at=OPENED,
    )


@pytest.fixture
def live_assessment(world: World, home_affairs: Any) -> Assessment:  # noqa: F811
    """An assessment opened now, its deadlines ahead of today: for the pages, which act at the real clock."""
    today = timezone.localdate()
    criteria_set = criteria_set_import(read_json(as_json(document())))
    return workflow.assessment_open(
        criteria_set=criteria_set,
        units=[world.justice, world.construction],
        self_assessment_due=today + dt.timedelta(days=30),
        appraisal_due=today + dt.timedelta(days=45),
        actor=home_affairs,
        clarification_days=3,
    )


def publish_year(world: World, council: Any, year: int, points: dict[str, str]) -> Assessment:  # noqa: F811
    """A department assessment of `year`, the justice department scoring `points`, submitted and published."""
    criteria_set = criteria_set_import(read_json(as_json(document(year=year))))
    assessment = workflow.assessment_open(
        criteria_set=criteria_set,
        units=[world.justice, world.construction],
        self_assessment_due=dt.date(year, 11, 30),
        appraisal_due=dt.date(year, 12, 15),
        actor=council,
        at=at(year, 11, 1, 9),
    )
    unit = UnitAssessment.objects.get(assessment=assessment, unit=world.justice)
    for code, value in points.items():
        workflow.self_score(unit_assessment=unit, criterion=Criterion.objects.get(criteria_set=criteria_set, code=code),
                            points=Decimal(value), explanation="", actor=world.staff["leader"], at=at(year, 11, 5, 9))  # fmt: skip
    workflow.unit_submit(unit_assessment=unit, actor=world.staff["leader"], at=at(year, 11, 6, 9))
    return workflow.assessment_publish(assessment=assessment, actor=council, at=at(year, 12, 20, 9))
