"""Fixtures for the orgs tests.

Loading all 14,165 administrative units takes about a second on SQLite, too slow for every test, so
`loaded_units` loads them once per test module, outside the tests' transactions, and removes them when
the module is done, so that other apps' tests never see them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from cchc.orgs.models import AdministrativeUnit, Generation, Level, Unit, UnitSuccession
from cchc.orgs.services import LoadReport, units_load


def _remove_units() -> None:
    UnitSuccession.objects.all().delete()
    for generation, level in (
        (Generation.LEGACY, Level.COMMUNE),
        (Generation.LEGACY, Level.DISTRICT),
        (Generation.CURRENT, Level.COMMUNE),
        (Generation.LEGACY, Level.PROVINCE),
        (Generation.CURRENT, Level.PROVINCE),
    ):
        AdministrativeUnit.objects.filter(generation=generation, level=level).delete()


@pytest.fixture(scope="module")
def loaded_units(django_db_setup: Any, django_db_blocker: Any) -> Iterator[LoadReport]:
    """The package's units, loaded once for the module (the first load's report)."""
    with django_db_blocker.unblock():
        report = units_load()
    yield report
    with django_db_blocker.unblock():
        _remove_units()


@pytest.fixture
def province(db: None) -> AdministrativeUnit:
    """A small stand-in province, for tests that need a unit's area but not the whole list."""
    return AdministrativeUnit.objects.create(
        generation=Generation.CURRENT,
        level=Level.PROVINCE,
        code=991,
        name="Tỉnh Thử",
        codename="tinh_thu",
        division_type="tỉnh",
        province_code=991,
    )


@pytest.fixture
def make_unit(province: AdministrativeUnit) -> Any:
    """Make a Unit in the stand-in province: make_unit("Sở Tư pháp", parent=…)."""
    counter = iter(range(1, 10_000))

    def make(name: str, *, kind: str = "department", parent: Unit | None = None) -> Unit:
        return Unit.objects.create(
            name=name, kind=kind, area=province, parent=parent, identifier=f"000.00.{next(counter):02d}.H99"
        )

    return make
