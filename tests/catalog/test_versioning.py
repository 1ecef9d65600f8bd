"""Versions: drafts, publication (Decree 63/2010 Art. 8(2)), supersession, retirement, immutability."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from cchc.catalog import selectors, services
from cchc.catalog.models import (
    Component,
    FeeRule,
    Field,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    PublishedVersionImmutableError,
    RequiredPart,
    VersionStatus,
)
from tests.catalog.conftest import make_draft

pytestmark = pytest.mark.django_db

JAN_1 = dt.date(2026, 1, 1)
MAR_1 = dt.date(2026, 3, 1)


def test_drafts_are_numbered_one_after_another(draft: ProcedureVersion) -> None:
    second = services.procedure_version_create_draft(
        procedure=draft.procedure, name="Khai sinh", copy_from=draft
    )
    assert (draft.number, second.number) == (1, 2)
    assert second.status == VersionStatus.DRAFT
    assert second.components.count() == 1 and second.process_steps.count() == 4


def test_a_procedure_without_national_code_gets_a_marked_local_code() -> None:
    first = services.procedure_create(code=None)
    second = services.procedure_create(code=None)
    assert (first.code, second.code) == ("DP.000001", "DP.000002")
    assert first.is_local_code and second.is_local_code


def test_search_text_is_folded_name_code_and_field(draft: ProcedureVersion) -> None:
    # Padded with a space on each side, so a whole word is " word " (see selectors._all_words).
    assert draft.search_text == " thu tuc dang ky khai sinh 1.001193 ho tich "


def test_complete_draft_misses_no_required_part(draft: ProcedureVersion) -> None:
    assert draft.missing_required_parts() == []


def test_missing_required_parts_names_each_empty_part() -> None:
    version = make_draft(
        steps="", applicants="", agency="", method_counter=False, method_online=False, amount=None
    )
    version.components.all().delete()
    assert version.missing_required_parts() == [
        RequiredPart.STEPS,
        RequiredPart.METHOD,
        RequiredPart.COMPONENTS,
        RequiredPart.TIME_LIMIT,
        RequiredPart.APPLICANTS,
        RequiredPart.AGENCY,
    ]


def test_a_time_limit_without_unit_is_missing() -> None:
    version = make_draft(amount=Decimal(1), unit="", shares=("1",))
    assert version.missing_required_parts() == [RequiredPart.TIME_LIMIT]


def test_publish_sets_valid_from_and_status(draft: ProcedureVersion) -> None:
    services.procedure_version_publish(version=draft, valid_from=JAN_1)
    assert draft.status == VersionStatus.PUBLISHED
    assert (draft.valid_from, draft.valid_to) == (JAN_1, None)
    assert draft.published_at is not None


def test_publish_refuses_a_version_missing_required_parts() -> None:
    version = make_draft(applicants="")
    with pytest.raises(ValidationError) as error:
        services.procedure_version_publish(version=version)
    assert "Đối tượng thực hiện" in " ".join(error.value.messages)
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_publish_refuses_process_shares_that_do_not_add_up() -> None:
    version = make_draft(shares=("0.5", "1", "0.5", "0.5"))  # 2.5 of 3 working days
    with pytest.raises(ValidationError) as error:
        services.procedure_version_publish(version=version)
    assert "phải bằng đúng thời hạn giải quyết (3 ngày làm việc)" in " ".join(error.value.messages)


def test_process_shares_are_checked_with_a_vietnamese_message() -> None:
    version = make_draft(shares=("1", "1", "1", "1"))
    with pytest.raises(
        ValidationError, match=r"Tổng thời gian của các bước quy trình nội bộ \(4 ngày làm việc\)"
    ):
        services.process_steps_validate(version=version)


def test_publishing_a_new_version_closes_the_previous_one_the_day_before(draft: ProcedureVersion) -> None:
    services.procedure_version_publish(version=draft, valid_from=JAN_1)
    second = services.procedure_version_create_draft(
        procedure=draft.procedure, name="Khai sinh", copy_from=draft
    )
    services.procedure_version_publish(version=second, valid_from=MAR_1)
    draft.refresh_from_db()
    assert draft.valid_to == dt.date(2026, 2, 28)
    assert selectors.version_in_force(draft.procedure, dt.date(2026, 2, 28)) == draft
    assert selectors.version_in_force(draft.procedure, MAR_1) == second
    assert selectors.version_in_force(draft.procedure, dt.date(2025, 12, 31)) is None


def test_publish_refuses_a_start_before_the_version_in_force(draft: ProcedureVersion) -> None:
    services.procedure_version_publish(version=draft, valid_from=MAR_1)
    second = services.procedure_version_create_draft(
        procedure=draft.procedure, name="Khai sinh", copy_from=draft
    )
    with pytest.raises(ValidationError):
        services.procedure_version_publish(version=second, valid_from=JAN_1)


def test_only_a_draft_can_be_published(draft: ProcedureVersion) -> None:
    services.procedure_version_publish(version=draft, valid_from=JAN_1)
    with pytest.raises(ValidationError, match="Chỉ bản nháp"):
        services.procedure_version_publish(version=draft)


def test_retire_ends_the_version_and_keeps_its_history(draft: ProcedureVersion) -> None:
    services.procedure_version_publish(version=draft, valid_from=JAN_1)
    services.procedure_version_retire(version=draft, valid_to=MAR_1)
    assert draft.status == VersionStatus.RETIRED and draft.valid_to == MAR_1
    assert selectors.version_in_force(draft.procedure, MAR_1) == draft  # a dossier received that day keeps it
    assert selectors.version_in_force(draft.procedure, dt.date(2026, 3, 2)) is None


def test_retire_refuses_a_draft(draft: ProcedureVersion) -> None:
    with pytest.raises(ValidationError):
        services.procedure_version_retire(version=draft)


def test_published_versions_lists_only_versions_in_force_today(draft: ProcedureVersion) -> None:
    services.procedure_version_publish(version=draft, valid_from=JAN_1)
    make_draft("2.000635", name="Cấp bản sao trích lục hộ tịch")  # a draft: not listed
    assert list(selectors.published_versions(on=MAR_1)) == [draft]
    assert list(selectors.published_versions(on=dt.date(2025, 1, 1))) == []


@pytest.fixture
def published(draft: ProcedureVersion) -> ProcedureVersion:
    return services.procedure_version_publish(version=draft, valid_from=JAN_1)


def test_editing_a_published_version_is_refused(published: ProcedureVersion) -> None:
    published.name = "Tên khác"
    with pytest.raises(PublishedVersionImmutableError, match="không được sửa hoặc xóa"):
        published.save()


def test_deleting_a_published_version_is_refused(published: ProcedureVersion) -> None:
    with pytest.raises(PublishedVersionImmutableError):
        published.delete()


def test_queryset_update_of_a_published_version_is_refused(published: ProcedureVersion) -> None:
    with pytest.raises(PublishedVersionImmutableError):
        ProcedureVersion.objects.filter(pk=published.pk).update(name="Tên khác")
    published.refresh_from_db()
    assert published.name == "Thủ tục đăng ký khai sinh"


def test_queryset_delete_of_a_published_version_is_refused(published: ProcedureVersion) -> None:
    with pytest.raises(PublishedVersionImmutableError):
        ProcedureVersion.objects.filter(pk=published.pk).delete()


@pytest.mark.parametrize("model", [Component, FeeRule, ProcessStep])
def test_parts_of_a_published_version_cannot_be_edited(published: ProcedureVersion, model: Any) -> None:
    part = model.objects.filter(version=published).first()
    assert part is not None
    with pytest.raises(PublishedVersionImmutableError):
        part.save()
    with pytest.raises(PublishedVersionImmutableError):
        part.delete()
    with pytest.raises(PublishedVersionImmutableError):
        model.objects.filter(version=published).update(order=9)
    with pytest.raises(PublishedVersionImmutableError):
        model.objects.filter(version=published).delete()


def test_no_part_can_be_added_to_a_published_version(published: ProcedureVersion) -> None:
    with pytest.raises(PublishedVersionImmutableError):
        Component.objects.create(version=published, name="Giấy tờ thêm")


def test_a_draft_and_its_parts_stay_editable(draft: ProcedureVersion) -> None:
    draft.name = "Đăng ký khai sinh (sửa)"
    draft.save()
    Component.objects.filter(version=draft).update(quantity=2)
    assert draft.components.get().quantity == 2
    services.procedure_version_delete_draft(version=draft)
    assert not ProcedureVersion.objects.filter(pk=draft.pk).exists()


def test_a_local_code_taken_meanwhile_is_retried_not_a_500(monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulates a concurrent caller that inserted the computed code between computing it and inserting it."""
    services.procedure_create(code="DP.000001")
    real = services.procedure_local_code_next
    answers = iter(["DP.000001", "DP.000001"])  # stale twice, as if two others were faster
    monkeypatch.setattr(services, "procedure_local_code_next", lambda: next(answers, None) or real())
    with transaction.atomic():  # the caller's transaction survives the failed inserts (savepoints)
        created = services.procedure_create(code=None)
    assert created.code == "DP.000002" and created.is_local_code
    assert Procedure.objects.count() == 2


def test_a_local_code_gives_up_after_a_few_collisions(monkeypatch: pytest.MonkeyPatch) -> None:
    services.procedure_create(code="DP.000001")
    monkeypatch.setattr(services, "procedure_local_code_next", lambda: "DP.000001")
    with pytest.raises(IntegrityError):
        services.procedure_create(code=None)


def test_a_field_used_by_a_published_version_cannot_be_renamed(draft: ProcedureVersion) -> None:
    services.procedure_version_publish(version=draft)
    field = Field.objects.get(pk=draft.field_id)
    field.name = "Hộ tịch (mới)"
    with pytest.raises(ValidationError, match="không được đổi tên"):
        field.save()
    assert Field.objects.get(pk=field.pk).name == "Hộ tịch"
    field.refresh_from_db()
    field.code = "ho-tich-2"
    field.save()  # other changes stay possible


def test_renaming_a_field_of_drafts_only_updates_their_search_text(draft: ProcedureVersion) -> None:
    field = Field.objects.get(pk=draft.field_id)
    field.name = "Chứng thực"
    field.save()
    draft.refresh_from_db()
    assert draft.search_text.endswith(" chung thuc ")


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_local_codes_do_not_collide(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both callers compute the same next code before either inserts; the second one retries."""
    if connection.vendor != "postgresql":
        pytest.skip("needs two concurrent connections (PostgreSQL)")
    real = services.procedure_local_code_next
    barrier = threading.Barrier(2, timeout=10)
    seen: list[str] = []

    def computed_together() -> str:
        code = real()
        seen.append(code)
        if len(seen) <= 2:
            barrier.wait()
        return code

    monkeypatch.setattr(services, "procedure_local_code_next", computed_together)
    codes: list[str] = []
    failures: list[BaseException] = []

    def create() -> None:
        try:
            with transaction.atomic():
                codes.append(services.procedure_create(code=None).code)
        except BaseException as error:  # reported by the assertion below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not failures, failures
    assert sorted(codes) == ["DP.000001", "DP.000002"]
    assert seen[:2] == ["DP.000001", "DP.000001"]
