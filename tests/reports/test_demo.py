"""The demo reports of `cchc demo`: the last ended period reported by all departments with leaders but one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cchc.orgs.demo import demo_province_create
from cchc.orgs.models import UnitKind
from cchc.orgs.services import LoadReport
from cchc.reports.demo import demo_reports_create, last_ended_period
from cchc.reports.models import ReportStatus
from cchc.reports.periods import ReportKind
from cchc.reports.selectors import Submission, reporting_units, submissions
from tests.orgs.conftest import loaded_units  # noqa: F401 - the fixture is used by name

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize(
    ("today", "kind", "year"),
    [(dt.date(2026, 11, 24), ReportKind.Q3, 2026), (dt.date(2026, 12, 15), ReportKind.YEAR, 2026),
     (dt.date(2027, 2, 1), ReportKind.YEAR, 2026), (dt.date(2027, 3, 15), ReportKind.Q1, 2027)],
)  # fmt: skip
def test_the_last_ended_period(today: dt.date, kind: str, year: int) -> None:
    period = last_ended_period(today)
    assert (period.kind, period.year) == (kind, year)


def test_the_demo_reports(loaded_units: LoadReport) -> None:  # noqa: F811
    demo_province_create()
    made = demo_reports_create(today=dt.date(2026, 11, 24))
    *units, province = made
    assert units and all(r.status == ReportStatus.SUBMITTED and r.kind == ReportKind.Q3 for r in units)
    assert province.unit.kind == UnitKind.PROVINCE_COMMITTEE and province.status == ReportStatus.DRAFT
    states = {row.state for row in submissions(2026, ReportKind.Q3, list(reporting_units()))}
    assert Submission.ON_TIME in states and Submission.MISSING in states
    assert demo_reports_create(today=dt.date(2026, 11, 24)) == []  # once
