"""The admin pages of units, counters and staff roles (cchc.orgs.admin)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cchc.orgs.models import AdministrativeUnit, Counter, Membership, Unit
from cchc.orgs.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_with_data(admin_client: Client, admin_user: Any, make_unit: Any) -> Client:
    unit = make_unit("Sở Tư pháp")
    counter = Counter.objects.create(unit=unit, number=1, name="Quầy 1")
    Membership.objects.create(user=admin_user, unit=unit, role=Role.LEADER, counter=counter)
    return admin_client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/orgs/administrativeunit/",
        "/admin/orgs/administrativeunit/?generation__exact=current&level__exact=province&q=thu",
        "/admin/orgs/unitsuccession/",
        "/admin/orgs/unit/",
        "/admin/orgs/counter/",
        "/admin/orgs/membership/",
    ],
)
def test_changelists_open(admin_client_with_data: Client, url: str) -> None:
    assert admin_client_with_data.get(url).status_code == 200


def test_unit_page_has_counters_inline(admin_client_with_data: Client) -> None:
    unit = Unit.objects.get(name="Sở Tư pháp")
    html = admin_client_with_data.get(f"/admin/orgs/unit/{unit.pk}/change/").content.decode()
    assert "Quầy 1" in html
    assert 'id="counters-group"' in html


def test_user_page_lists_the_staff_roles(admin_client_with_data: Client, admin_user: Any) -> None:
    html = admin_client_with_data.get(f"/admin/auth/user/{admin_user.pk}/change/").content.decode()
    assert 'id="memberships-group"' in html


def test_administrative_units_are_read_only(
    admin_client_with_data: Client, province: AdministrativeUnit
) -> None:
    assert admin_client_with_data.get("/admin/orgs/administrativeunit/add/").status_code == 403
    response = admin_client_with_data.post(
        f"/admin/orgs/administrativeunit/{province.pk}/change/", {"name": "Đổi tên"}
    )
    assert response.status_code in {200, 403}
    province.refresh_from_db()
    assert province.name == "Tỉnh Thử"
