"""The catalog admin: published versions read-only, the "Công bố" action, costs shown on reviews."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cchc.catalog import services
from cchc.catalog.models import CutKind, ProcedureVersion, VersionStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_logged(client: Client) -> Client:
    user = get_user_model().objects.create_superuser("quantri", "qt@example.vn", "mat-khau-rat-dai-2026")
    client.force_login(user)
    return client


def test_publish_action_publishes_the_selected_draft(
    admin_client_logged: Client, draft: ProcedureVersion
) -> None:
    response = admin_client_logged.post(
        "/admin/catalog/procedureversion/",
        {"action": "publish_versions", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED


def test_publish_action_reports_why_it_cannot(admin_client_logged: Client, draft: ProcedureVersion) -> None:
    ProcedureVersion.objects.filter(pk=draft.pk).update(applicants="")
    response = admin_client_logged.post(
        "/admin/catalog/procedureversion/",
        {"action": "publish_versions", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert "Đối tượng thực hiện" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_a_published_version_page_is_read_only(admin_client_logged: Client, draft: ProcedureVersion) -> None:
    services.procedure_version_publish(version=draft)
    page = admin_client_logged.get(f"/admin/catalog/procedureversion/{draft.pk}/change/").content.decode()
    assert 'name="name"' not in page and 'name="components-0-name"' not in page
    assert admin_client_logged.get(f"/admin/catalog/procedureversion/{draft.pk}/delete/").status_code == 403


def test_a_draft_version_page_is_editable(admin_client_logged: Client, draft: ProcedureVersion) -> None:
    page = admin_client_logged.get(f"/admin/catalog/procedureversion/{draft.pk}/change/").content.decode()
    assert 'name="name"' in page and 'name="components-0-name"' in page


def test_review_page_shows_computed_costs(admin_client_logged: Client, draft: ProcedureVersion) -> None:
    review = services.review_create(
        version=draft, yearly_dossiers=1_000, wage_rate_vnd=30_000, hours_per_dossier=Decimal(4), fees_vnd=0
    )
    services.review_add_cut(review=review, kind=CutKind.TIME, description="Rút ngắn", hours_saved=Decimal(1))
    page = admin_client_logged.get(
        f"/admin/catalog/simplificationreview/{review.pk}/change/"
    ).content.decode()
    assert "120.000.000 đ" in page and "90.000.000 đ" in page and "25.00%" in page
    assert admin_client_logged.get("/admin/catalog/simplificationreview/").status_code == 200


def test_a_version_added_in_the_admin_is_the_next_draft(
    admin_client_logged: Client, draft: ProcedureVersion
) -> None:
    management = {
        f"{prefix}-{key}": value
        for prefix in ("components", "fees", "process_steps")
        for key, value in (
            ("TOTAL_FORMS", "0"),
            ("INITIAL_FORMS", "0"),
            ("MIN_NUM_FORMS", "0"),
            ("MAX_NUM_FORMS", "1000"),
        )
    }
    response = admin_client_logged.post(
        "/admin/catalog/procedureversion/add/",
        {
            "procedure": draft.procedure.pk,
            "name": "Thủ tục đăng ký khai sinh (sửa đổi)",
            "online_level": "none",
            "legal_basis": "[]",
            "time_limits_by_channel": "{}",
            "source": "{}",
            "verify_notes": "{}",
            **management,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    added = ProcedureVersion.objects.get(procedure=draft.procedure, number=2)
    assert added.status == VersionStatus.DRAFT
    assert added.search_text.startswith(" thu tuc dang ky khai sinh sua doi 1.001193 ")
