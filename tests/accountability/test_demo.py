"""The demo commitments of `cchc demo`: signed departments with live targets, one left unsigned."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cchc.accountability.demo import demo_commitments_create
from cchc.accountability.selectors import ItemState, accountability, commitment_results
from cchc.orgs.demo import demo_province_create
from cchc.orgs.services import LoadReport
from tests.orgs.conftest import loaded_units  # noqa: F401 - the fixture is used by name

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_demo_commitments(loaded_units: LoadReport) -> None:  # noqa: F811
    demo_province_create()
    made = demo_commitments_create(today=dt.date(2026, 11, 24))
    assert len(made) >= 2
    assert made[0].signed_at is None and all(c.signed_at is not None for c in made[1:])
    results = commitment_results(made, year=2026)
    assert all(len(r.items) == 4 for r in results)
    assert all(r.items[3].state == ItemState.MET for r in results[1:])  # judged by Home Affairs
    accounts = accountability(results, [c.unit for c in made])
    assert accounts[-1].unit == made[0].unit and not accounts[-1].signed
    assert demo_commitments_create(today=dt.date(2026, 11, 24)) == []  # once


def test_the_demo_inspection(loaded_units: LoadReport) -> None:  # noqa: F811
    from cchc.accountability.demo import demo_inspections_create
    from cchc.accountability.models import Initiative, InspectionState, RemedyState

    demo_province_create()
    inspection = demo_inspections_create(today=dt.date(2026, 11, 24))
    assert inspection is not None and inspection.state == InspectionState.CONCLUDED
    assert inspection.conducted_on == dt.date(2026, 9, 25)
    states = sorted(r.state for f in inspection.findings.all() for r in f.remedies.all())
    assert states == [RemedyState.CLOSED, RemedyState.OPEN]
    assert Initiative.objects.count() == 1
    assert demo_inspections_create(today=dt.date(2026, 11, 24)) is None  # once


def test_the_demo_proposals_rest_on_last_years_published_index(loaded_units: LoadReport) -> None:  # noqa: F811
    from cchc.accountability.demo import demo_proposals_create
    from cchc.parindex.demo import demo_parindex_create

    demo_province_create()
    demo_parindex_create(today=dt.date(2026, 11, 24))
    proposals = demo_proposals_create(today=dt.date(2026, 11, 24))
    assert proposals and all(p.year == 2025 and p.basis["par_index"] is not None for p in proposals)
    assert demo_proposals_create(today=dt.date(2026, 11, 24)) == []  # once
