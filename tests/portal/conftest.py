"""Fixtures for the portal tests: the dossier tests' `world`, and a citizen account (tests/portal/factories.py
drives dossiers through the real services)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.dossiers.conftest import world  # noqa: F401 - the fixture is used by name
from tests.portal.factories import citizen_user


@pytest.fixture
def citizen(db: None) -> Any:
    return citizen_user()
