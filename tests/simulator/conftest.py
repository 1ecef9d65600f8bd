"""A small installed province for the simulator: a centre, two departments, two communes, two procedures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cchc.catalog import services as catalog_services
from cchc.orgs.models import AdministrativeUnit, Counter, Generation, Level, Unit, UnitKind
from cchc.workdays.calendar import TZ
from tests.catalog.conftest import make_draft

# The simulation is judged as of New Year's Day 2027: the whole of 2026 has passed.
NOW = dt.datetime(2027, 1, 1, 12, 0, tzinfo=TZ)


@pytest.fixture
def province(db: None) -> AdministrativeUnit:
    area = AdministrativeUnit.objects.create(
        generation=Generation.CURRENT,
        level=Level.PROVINCE,
        code=991,
        name="Tỉnh Thử",
        codename="tinh_thu",
        division_type="tỉnh",
        province_code=991,
    )
    committee = Unit.objects.create(
        name="Ủy ban nhân dân tỉnh Thử",
        kind=UnitKind.PROVINCE_COMMITTEE,
        area=area,
        identifier="000.00.00.H99",
    )
    centre = Unit.objects.create(
        name="Trung tâm Phục vụ hành chính công tỉnh Thử",
        kind=UnitKind.PROVINCE_CENTRE,
        area=area,
        identifier="000.00.20.H99",
        parent=committee,
    )
    Counter.objects.create(unit=centre, number=1, name="Quầy 1")
    Unit.objects.create(
        name="Sở Tư pháp tỉnh Thử",
        kind=UnitKind.DEPARTMENT,
        area=area,
        identifier="000.00.03.H99",
        parent=committee,
    )
    Unit.objects.create(
        name="Sở Tài chính tỉnh Thử",
        kind=UnitKind.DEPARTMENT,
        area=area,
        identifier="000.00.04.H99",
        parent=committee,
    )
    for n in (1, 2):
        commune = AdministrativeUnit.objects.create(
            generation=Generation.CURRENT,
            level=Level.COMMUNE,
            code=99000 + n,
            name=f"Xã Thử {n}",
            codename=f"xa_thu_{n}",
            division_type="xã",
            parent=area,
            province_code=991,
        )
        ubnd = Unit.objects.create(
            name=f"Ủy ban nhân dân xã Thử {n}",
            kind=UnitKind.COMMUNE_COMMITTEE,
            area=commune,
            identifier=f"000.{n:02d}.30.H99",
            parent=committee,
        )
        commune_centre = Unit.objects.create(
            name=f"Trung tâm Phục vụ hành chính công xã Thử {n}",
            kind=UnitKind.COMMUNE_CENTRE,
            area=commune,
            identifier=f"001.{n:02d}.30.H99",
            parent=ubnd,
        )
        Counter.objects.create(unit=commune_centre, number=1, name="Quầy 1")
    birth = make_draft(
        "1.001193",
        online_level="partial",
        method_post=True,
        fees=[{"kind": "charge", "case": "Lệ phí", "amount_vnd": 50_000}],
    )
    catalog_services.procedure_version_publish(version=birth, valid_from=dt.date(2025, 7, 1))
    company = make_draft(
        "2.001583",
        name="Đăng ký thành lập công ty TNHH một thành viên",
        level_commune=False,
        level_province=True,
        agency="Sở Tài chính các tỉnh, thành phố",
        online_level="full",
        amount=Decimal(10),
        unit="days",
        shares=("1", "6", "2", "1"),
        fees=[
            {"kind": "charge", "case": "Lệ phí đăng ký", "amount_vnd": 100_000},
            {"kind": "fee", "case": "Phí công bố", "amount_vnd": 0},
        ],
    )
    catalog_services.procedure_version_publish(version=company, valid_from=dt.date(2025, 7, 1))
    return area
