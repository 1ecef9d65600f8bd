"""The admin of citizen profiles never creates accounts. That its list masks personal data is tested in
tests/security/test_cccd_masking.py."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/citizens/citizenprofile/"


def test_accounts_are_not_added_in_the_admin(client: Client) -> None:
    client.force_login(
        get_user_model().objects.create_superuser("quantri", "q@example.invalid", "mat-khau-2026")
    )
    assert client.get(CHANGELIST + "add/").status_code == 403
