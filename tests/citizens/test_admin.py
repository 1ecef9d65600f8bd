"""The admin of citizen profiles shows personal data masked in its list and never creates accounts."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.citizens.conftest import make_citizen

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/citizens/citizenprofile/"


def test_list_masks_id_number_and_phone(client: Client) -> None:
    make_citizen(phone="0912345678", full_name="Nguyễn Văn An", id_number="079090001234")
    client.force_login(
        get_user_model().objects.create_superuser("quantri", "q@example.invalid", "mat-khau-2026")
    )
    html = client.get(CHANGELIST).content.decode()
    assert "Nguyễn Văn An" in html
    assert "079******234" in html and "*******678" in html
    assert "079090001234" not in html and "0912345678" not in html


def test_accounts_are_not_added_in_the_admin(client: Client) -> None:
    client.force_login(
        get_user_model().objects.create_superuser("quantri", "q@example.invalid", "mat-khau-2026")
    )
    assert client.get(CHANGELIST + "add/").status_code == 403
