from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from cchc.orgs.models import Membership, Unit, UnitKind
from cchc.orgs.roles import Role
from tests.dossiers.conftest import (
    World,
    world,  # noqa: F401 - the fixture is used by name
)


@pytest.fixture
def home_affairs(world: World) -> Any:  # noqa: F811
    user = get_user_model().objects.create_user("noivu", password="mat-khau-dai-2026")
    Membership.objects.create(user=user, unit=world.centre, role=Role.HOME_AFFAIRS)
    return user


@pytest.fixture
def committee(world: World) -> Unit:  # noqa: F811
    return Unit.objects.create(
        name="Ủy ban nhân dân tỉnh Thử", kind=UnitKind.PROVINCE_COMMITTEE, area=world.centre.area,
        identifier="000.00.00.H99",
    )  # fmt: skip
