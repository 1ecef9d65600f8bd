"""Every model registered in the admin opens its list and its add form for a superuser, and is closed to others."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db

REGISTERED = sorted((model._meta.app_label, model._meta.model_name) for model in admin.site._registry)


@pytest.fixture
def superuser_client(client):
    user = get_user_model().objects.create_superuser(
        "quantri", "quantri@example.invalid", "mat-khau-dai-2026"
    )
    client.force_login(user)
    return client


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_admin_changelist_and_add_open(superuser_client, app_label: str, model_name: str) -> None:
    changelist = superuser_client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    assert changelist.status_code == 200
    add = superuser_client.get(reverse(f"admin:{app_label}_{model_name}_add"))
    assert add.status_code in (200, 403)  # read-only models (loaded from packages) refuse adding


def test_calendar_overrides_are_in_the_admin_after_migrate(superuser_client) -> None:
    response = superuser_client.get(reverse("admin:workdays_calendaroverride_changelist"))
    assert "Làm bù cho ngày nghỉ 02/01/2026" in response.content.decode()


def test_admin_is_closed_to_anonymous(client) -> None:
    response = client.get(reverse("admin:workdays_calendaroverride_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
