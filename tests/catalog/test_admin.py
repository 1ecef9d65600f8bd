"""The catalog admin: published versions read-only, the "Công bố" action, costs shown on reviews."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cchc.catalog import services
from cchc.catalog.models import (
    CutKind,
    Field,
    ProcedureVersion,
    ReviewCut,
    SimplificationReview,
    VersionStatus,
)

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


def test_missing_required_parts_are_shown_by_their_vietnamese_labels(
    admin_client_logged: Client, draft: ProcedureVersion
) -> None:
    ProcedureVersion.objects.filter(pk=draft.pk).update(steps="", method_counter=False, method_online=False)
    page = admin_client_logged.get(f"/admin/catalog/procedureversion/{draft.pk}/change/").content.decode()
    assert "Trình tự thực hiện, Cách thức thực hiện" in page and "steps, method" not in page


@pytest.fixture
def review(draft: ProcedureVersion) -> SimplificationReview:
    return services.review_create(
        version=draft, yearly_dossiers=100, wage_rate_vnd=30_000, hours_per_dossier=Decimal(4), fees_vnd=0
    )


def _review_post(review: SimplificationReview, *cuts: dict[str, Any], **baseline: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": review.version_id,
        "yearly_dossiers": review.yearly_dossiers,
        "wage_rate_vnd": review.wage_rate_vnd,
        "hours_per_dossier": review.hours_per_dossier,
        "fees_vnd": review.fees_vnd,
        "other_costs_vnd": review.other_costs_vnd,
        "reviewer_notes": "",
        "cuts-TOTAL_FORMS": len(cuts),
        "cuts-INITIAL_FORMS": 0,
        "cuts-MIN_NUM_FORMS": 0,
        "cuts-MAX_NUM_FORMS": 1000,
        **baseline,
    }
    for index, cut in enumerate(cuts):
        values = {"order": index + 1, "kind": "time", "description": "Rút ngắn", "fees_saved_vnd": 0}
        values.update({"other_costs_saved_vnd": 0, "hours_saved": 0, **cut})
        data.update({f"cuts-{index}-{key}": value for key, value in values.items()})
    return data


def test_admin_cuts_cannot_save_more_than_the_baseline(
    admin_client_logged: Client, review: SimplificationReview
) -> None:
    url = f"/admin/catalog/simplificationreview/{review.pk}/change/"
    one_too_big = admin_client_logged.post(url, _review_post(review, {"hours_saved": 5}))
    assert one_too_big.status_code == 200 and "vượt quá số giờ" in one_too_big.content.decode()
    together_too_big = admin_client_logged.post(
        url, _review_post(review, {"hours_saved": 3}, {"hours_saved": 3})
    )
    assert together_too_big.status_code == 200 and "vượt quá số giờ" in together_too_big.content.decode()
    fee = admin_client_logged.post(url, _review_post(review, {"kind": "fee", "fees_saved_vnd": 1}))
    assert "vượt quá mức phí" in fee.content.decode()
    assert not ReviewCut.objects.exists()
    fits = admin_client_logged.post(url, _review_post(review, {"hours_saved": 2}, {"hours_saved": 2}))
    assert fits.status_code == 302
    assert ReviewCut.objects.filter(review=review).count() == 2


def test_a_submitted_review_keeps_its_baseline_and_cuts(
    admin_client_logged: Client, review: SimplificationReview
) -> None:
    services.review_add_cut(review=review, kind=CutKind.TIME, description="Rút ngắn", hours_saved=Decimal(1))
    services.review_submit(review=review)
    url = f"/admin/catalog/simplificationreview/{review.pk}/change/"
    page = admin_client_logged.get(url).content.decode()
    assert 'name="hours_per_dossier"' not in page and 'name="fees_vnd"' not in page
    assert 'name="cuts-0-hours_saved"' not in page and 'name="cuts-TOTAL_FORMS"' in page
    data = _review_post(review, hours_per_dossier=40, fees_vnd=1_000_000, reviewer_notes="Đã xem")
    data.update({"cuts-TOTAL_FORMS": 1, "cuts-INITIAL_FORMS": 1, "cuts-0-id": review.cuts.get().pk})
    data.update({"cuts-0-hours_saved": 30, "cuts-0-review": review.pk})
    assert admin_client_logged.post(url, data).status_code == 302
    review.refresh_from_db()
    assert (review.hours_per_dossier, review.fees_vnd, review.reviewer_notes) == (Decimal(4), 0, "Đã xem")
    assert review.cuts.get().hours_saved == Decimal(1)


def test_a_cut_is_checked_by_the_model_against_status_and_baseline(review: SimplificationReview) -> None:
    services.review_add_cut(review=review, kind=CutKind.TIME, description="Rút ngắn", hours_saved=Decimal(3))
    with pytest.raises(ValidationError, match="vượt quá số giờ"):
        ReviewCut(review=review, kind=CutKind.TIME, description="Thêm", hours_saved=Decimal(2)).full_clean()
    services.review_submit(review=review)
    review.refresh_from_db()
    cut = review.cuts.get()
    cut.hours_saved = Decimal(1)
    with pytest.raises(ValidationError, match="dự thảo"):
        cut.full_clean()


def test_the_admin_locks_the_procedure_to_number_a_new_version(
    admin_client_logged: Client, draft: ProcedureVersion
) -> None:
    management = {
        f"{prefix}-{key}": value
        for prefix in ("components", "fees", "process_steps")
        for key, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))
    }
    data = {"procedure": draft.procedure.pk, "name": "Bản sửa đổi", "online_level": "none", **management}
    data.update({"legal_basis": "[]", "time_limits_by_channel": "{}", "source": "{}", "verify_notes": "{}"})
    with CaptureQueriesContext(connection) as queries:
        response = admin_client_logged.post("/admin/catalog/procedureversion/add/", data)
    assert response.status_code == 302
    assert ProcedureVersion.objects.filter(procedure=draft.procedure, number=2).exists()
    if connection.features.has_select_for_update:
        locks = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
        assert any('"catalog_procedure"' in sql for sql in locks), locks


def test_a_field_name_is_read_only_once_a_published_version_uses_it(
    admin_client_logged: Client, draft: ProcedureVersion
) -> None:
    url = f"/admin/catalog/field/{draft.field_id}/change/"
    assert 'name="name"' in admin_client_logged.get(url).content.decode()
    services.procedure_version_publish(version=draft)
    assert 'name="name"' not in admin_client_logged.get(url).content.decode()
    response = admin_client_logged.post(url, {"code": "ho-tich", "name": "Tên khác"})
    assert response.status_code == 302
    assert Field.objects.get(pk=draft.field_id).name == "Hộ tịch"
