"""The demo PAR Index data of `cchc demo`: last year scored through the workflow and published, this year open."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cchc.orgs.demo import demo_province_create
from cchc.orgs.services import LoadReport
from cchc.parindex.demo import SET_NAME, demo_parindex_create
from cchc.parindex.models import Assessment, AssessmentState, ScoreEvent, UnitState
from cchc.parindex.selectors import ranking
from tests.orgs.conftest import loaded_units  # noqa: F401 - the fixture is used by name

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_demo_has_a_published_year_and_an_open_one(loaded_units: LoadReport) -> None:  # noqa: F811
    demo_province_create()
    published = demo_parindex_create(today=dt.date(2026, 11, 24))
    assert published is not None and published.state == AssessmentState.PUBLISHED
    assert published.criteria_set.year == 2025 and published.criteria_set.name == SET_NAME
    assert published.questionnaire is not None
    ranked = ranking(published)
    assert len(ranked) == 3 and ranked[0].rank == 1
    assert all(row.maximum == 30 for row in ranked)  # every unit has survey answers: nothing rescaled
    assert all(0 < row.index <= 100 for row in ranked)
    assert ScoreEvent.objects.filter(action="appraise", unit_assessment__assessment=published).count() == 1
    current = Assessment.objects.get(criteria_set__year=2026)
    assert current.state == AssessmentState.OPEN
    assert sorted(current.units.values_list("state", flat=True)) == [UnitState.DRAFT] * 3
    assert current.units.filter(scores__isnull=False).distinct().count() == 1
    assert demo_parindex_create(today=dt.date(2026, 11, 24)) is None  # once
