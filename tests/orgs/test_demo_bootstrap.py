"""The demo province loads the administrative units itself when they are missing."""

from __future__ import annotations

from typing import Any

import pytest

from cchc.orgs.demo import demo_province_create
from cchc.orgs.models import AdministrativeUnit

pytestmark = pytest.mark.django_db


def test_demo_loads_the_units_when_the_province_is_missing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert not AdministrativeUnit.objects.exists()
    demo = demo_province_create()
    assert AdministrativeUnit.objects.count() == 34 + 3321 + 63 + 696 + 10051
    assert demo.province.code == 91
