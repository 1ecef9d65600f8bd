"""Fixtures for feedback tests: a province with its committee, the Home Affairs department, two departments,
staff in each role, a published procedure and a received dossier."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from cchc.catalog import services as catalog_services
from cchc.catalog.models import ProcedureVersion
from cchc.dossiers import services as dossier_services
from cchc.dossiers.models import Channel, Dossier
from cchc.dossiers.services import Intake, PartyData
from cchc.feedback import services
from cchc.feedback.models import Feedback, Kind, Subject
from cchc.orgs.models import AdministrativeUnit, Generation, Level, Membership, Unit, UnitKind
from cchc.orgs.roles import Role
from cchc.workdays.calendar import TZ
from tests.catalog.conftest import make_draft

PASSWORD = "mat-khau-dai-2026"


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


@dataclass
class Province:
    committee: Unit
    home_affairs: Unit
    centre: Unit
    justice: Unit
    construction: Unit
    version: ProcedureVersion
    staff: dict[str, Any]

    def dossier(self, *, citizen: Any = None, when: dt.datetime | None = None) -> Dossier:
        """A dossier received at the centre, handled by the justice department."""
        intake = Intake(
            procedure_version=self.version,
            receiving_unit=self.centre,
            competent_unit=self.justice,
            channel=Channel.IN_PERSON,
            applicant=PartyData(full_name="Nguyễn Văn An", id_number="079203001234", phone="0912345678"),
            provided_component_ids=frozenset(self.version.components.values_list("pk", flat=True)),
            citizen=citizen,
        )
        return dossier_services.dossier_receive(
            actor=self.staff["reception"], intake=intake, at=when or at(2026, 3, 2, 9)
        )

    def submit(self, *, when: dt.datetime | None = None, citizen: Any = None, **values: Any) -> Feedback:
        """A feedback about the justice department unless told otherwise."""
        fields: dict[str, Any] = {
            "subject": Subject.UNIT,
            "kind": Kind.COMPLAINT,
            "content": "Cán bộ hướng dẫn không rõ ràng, phải đi lại nhiều lần.",
            "unit_id": self.justice.pk,
            "sender_name": "Trần Thị Bình",
            "sender_phone": "0912 345 678",
            "sender_email": "binh@example.invalid",
        }
        fields.update(values)
        return services.feedback_submit(
            submission=services.Submission(**fields), citizen=citizen, at=when or at(2026, 3, 2, 9)
        )


def make_user(username: str, unit: Unit | None = None, role: str | None = None, **extra: Any) -> Any:
    user = get_user_model().objects.create_user(
        username, password=PASSWORD, email=f"{username}@example.invalid", **extra
    )
    if unit is not None and role is not None:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def province(db: None) -> Province:
    area = AdministrativeUnit.objects.create(
        generation=Generation.CURRENT,
        level=Level.PROVINCE,
        code=992,
        name="Tỉnh Thử",
        codename="tinh_thu",
        division_type="tỉnh",
        province_code=992,
    )

    def unit(name: str, kind: str, identifier: str, parent: Unit | None = None) -> Unit:
        return Unit.objects.create(name=name, kind=kind, area=area, identifier=identifier, parent=parent)

    committee = unit("Ủy ban nhân dân tỉnh Thử", UnitKind.PROVINCE_COMMITTEE, "000.00.00.H92")
    home_affairs = unit("Sở Nội vụ tỉnh Thử", UnitKind.DEPARTMENT, "000.00.02.H92", committee)
    centre = unit(
        "Trung tâm Phục vụ hành chính công tỉnh Thử", UnitKind.PROVINCE_CENTRE, "000.00.20.H92", committee
    )
    justice = unit("Sở Tư pháp tỉnh Thử", UnitKind.DEPARTMENT, "000.00.03.H92", committee)
    construction = unit("Sở Xây dựng tỉnh Thử", UnitKind.DEPARTMENT, "000.00.05.H92", committee)
    version = catalog_services.procedure_version_publish(version=make_draft(), valid_from=dt.date(2025, 7, 1))
    staff = {
        "reception": make_user("tiepnhan", centre, Role.RECEPTION_OFFICER),
        "specialist": make_user("chuyenvien.tuphap", justice, Role.SPECIALIST),
        "leader": make_user("lanhdao.tuphap", justice, Role.LEADER),
        "other_specialist": make_user("chuyenvien.xaydung", construction, Role.SPECIALIST),
        "other_leader": make_user("lanhdao.xaydung", construction, Role.LEADER),
        "home_affairs": make_user("noivu.tinh", home_affairs, Role.HOME_AFFAIRS),
        "home_affairs_leader": make_user("lanhdao.noivu", home_affairs, Role.LEADER),
        "home_affairs_specialist": make_user("chuyenvien.noivu", home_affairs, Role.SPECIALIST),
        "committee_leader": make_user("lanhdao.tinh", committee, Role.LEADER),
        "province_admin": make_user("quantri.tinh", committee, Role.PROVINCE_ADMIN),
    }
    return Province(committee, home_affairs, centre, justice, construction, version, staff)


@pytest.fixture
def citizen(db: None) -> Any:
    """A portal account with no staff role (tài khoản công dân), with its citizen profile."""
    from cchc.citizens.models import CitizenProfile

    user = make_user("congdan", first_name="Cường", last_name="Lê Văn")
    CitizenProfile.objects.create(user=user, full_name="Lê Văn Cường", phone="0912000222")
    return user
