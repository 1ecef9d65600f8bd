"""Fixtures for dossier tests: a province with a one-stop centre, two departments, staff, and a procedure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from cchc.catalog import services as catalog_services
from cchc.catalog.models import ProcedureVersion
from cchc.dossiers.models import Channel
from cchc.dossiers.services import Intake, PartyData
from cchc.orgs.models import AdministrativeUnit, Generation, Level, Membership, Unit, UnitKind
from cchc.orgs.roles import Role
from cchc.workdays.calendar import TZ
from tests.catalog.conftest import make_draft


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


@dataclass
class World:
    centre: Unit
    justice: Unit
    construction: Unit
    version: ProcedureVersion
    staff: dict[str, Any]

    def intake(self, **overrides: Any) -> Intake:
        values: dict[str, Any] = {
            "procedure_version": self.version,
            "receiving_unit": self.centre,
            "competent_unit": self.justice,
            "channel": Channel.IN_PERSON,
            "applicant": PartyData(full_name="Nguyễn Văn An", id_number="079203001234", phone="0912345678"),
            "provided_component_ids": frozenset(self.version.components.values_list("pk", flat=True)),
        }
        values.update(overrides)
        return Intake(**values)


def _user(username: str, unit: Unit, role: str) -> Any:
    user = get_user_model().objects.create_user(username, password="mat-khau-dai-2026")
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def world(db: None) -> World:
    province = AdministrativeUnit.objects.create(
        generation=Generation.CURRENT,
        level=Level.PROVINCE,
        code=991,
        name="Tỉnh Thử",
        codename="tinh_thu",
        division_type="tỉnh",
        province_code=991,
    )

    def unit(name: str, kind: str, identifier: str) -> Unit:
        return Unit.objects.create(name=name, kind=kind, area=province, identifier=identifier)

    centre = unit("Trung tâm Phục vụ hành chính công tỉnh Thử", UnitKind.PROVINCE_CENTRE, "000.00.01.H99")
    justice = unit("Sở Tư pháp tỉnh Thử", UnitKind.DEPARTMENT, "000.00.12.H99")
    construction = unit("Sở Xây dựng tỉnh Thử", UnitKind.DEPARTMENT, "000.00.13.H99")
    version = catalog_services.procedure_version_publish(version=make_draft(), valid_from=dt.date(2025, 7, 1))
    staff = {
        "reception": _user("tiepnhan", centre, Role.RECEPTION_OFFICER),
        "specialist": _user("chuyenvien.tuphap", justice, Role.SPECIALIST),
        "leader": _user("lanhdao.tuphap", justice, Role.LEADER),
        "other_specialist": _user("chuyenvien.xaydung", construction, Role.SPECIALIST),
        "other_leader": _user("lanhdao.xaydung", construction, Role.LEADER),
    }
    return World(centre, justice, construction, version, staff)


def three_working_days() -> Decimal:
    return Decimal(3)
