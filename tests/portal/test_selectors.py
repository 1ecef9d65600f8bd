"""Rating figures for the statistics, scoped by unit and period; and the public view's allow-list."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.dossiers.lifecycle import Action
from cchc.dossiers.models import DossierEvent, RatingLevel
from cchc.portal import services
from cchc.portal.public import PUBLIC_EVENTS, mask_person_name, public_event
from cchc.portal.selectors import evaluations_summary, ratings_summary
from tests.dossiers.conftest import World, at
from tests.portal.factories import returned


@pytest.mark.django_db
def test_ratings_summary_counts_each_level_and_lists_the_not_satisfied(world: World) -> None:
    a, b, c, d = (returned(world) for _ in range(4))
    services.rating_give(dossier=a, level=RatingLevel.VERY_SATISFIED, at=at(2026, 3, 12, 9))
    services.rating_give(dossier=b, level=RatingLevel.NOT_SATISFIED, at=at(2026, 3, 13, 9))
    services.rating_give(dossier=c, level=RatingLevel.NOT_SATISFIED, at=at(2026, 3, 31, 23, 59))
    services.rating_give(dossier=d, level=RatingLevel.SATISFIED, at=at(2026, 4, 1, 0, 0))  # next period
    summary = ratings_summary(
        unit_ids=[world.justice.pk], start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31)
    )
    assert summary.counts == {"very_satisfied": 1, "satisfied": 0, "not_satisfied": 2}
    assert summary.total == 3
    assert summary.not_satisfied_dossier_ids == sorted([b.pk, c.pk])


@pytest.mark.django_db
def test_ratings_summary_is_scoped_to_the_units(world: World) -> None:
    dossier = returned(world)
    services.rating_give(dossier=dossier, level=RatingLevel.NOT_SATISFIED, at=at(2026, 3, 12, 9))
    kwargs = {"start": at(2026, 3, 1), "end": at(2026, 4, 1)}
    assert ratings_summary(unit_ids=[world.construction.pk], **kwargs).total == 0
    assert ratings_summary(unit_ids=[], **kwargs).total == 0
    # The justice department handled it; the centre received it.
    assert ratings_summary(unit_ids=[world.justice.pk], **kwargs).total == 1
    assert ratings_summary(unit_ids=[world.centre.pk], **kwargs).total == 0
    assert ratings_summary(unit_ids=[world.centre.pk], unit_field="receiving_unit", **kwargs).total == 1


@pytest.mark.django_db
def test_a_datetime_end_is_excluded(world: World) -> None:
    dossier = returned(world)
    services.rating_give(dossier=dossier, level=RatingLevel.SATISFIED, at=at(2026, 3, 12, 9))
    assert (
        ratings_summary(unit_ids=[world.justice.pk], start=at(2026, 3, 1), end=at(2026, 3, 12, 9)).total == 0
    )
    assert (
        ratings_summary(unit_ids=[world.justice.pk], start=at(2026, 3, 12, 9), end=at(2026, 3, 13)).total == 1
    )


def test_naive_datetimes_and_unknown_unit_fields_are_refused() -> None:
    with pytest.raises(ValueError):
        ratings_summary(unit_ids=[1], start=dt.datetime(2026, 3, 1), end=at(2026, 4, 1))
    with pytest.raises(ValueError):
        ratings_summary(unit_ids=[1], start=at(2026, 3, 1), end=at(2026, 4, 1), unit_field="assignee")  # type: ignore[arg-type]


@pytest.mark.django_db
def test_evaluations_summary_counts_each_grade(world: World) -> None:
    a, b = returned(world), returned(world)
    services.evaluation_give(dossier=a, scores=[2] * 9, at=at(2026, 3, 12, 9))
    services.evaluation_give(dossier=b, scores=[0] * 9, at=at(2026, 3, 12, 10))
    summary = evaluations_summary(
        unit_ids=[world.justice.pk], start=dt.date(2026, 3, 12), end=dt.date(2026, 3, 12)
    )
    assert summary.counts == {"excellent": 1, "good": 0, "fair": 0, "average": 0, "weak": 1}
    assert summary.total == 2


# -- the public view ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("Nguyễn Văn An", "Nguyễn V** A*"),
        ("Nguyễn Văn Anh", "Nguyễn V** A**"),
        ("  Lê   Thị  Bích Ngọc ", "Lê T** B*** N***"),
        ("Hùng", "H***"),
        ("", ""),
    ],
)
def test_a_persons_name_is_partly_masked(name: str, masked: str) -> None:
    assert mask_person_name(name) == masked


def test_internal_actions_are_not_public() -> None:
    assert Action.ASSIGN.value not in PUBLIC_EVENTS
    assert Action.HAND_OVER.value not in PUBLIC_EVENTS
    # No public action may show a reason, a note, a person or an address.
    shown = set().union(*(fields for _label, fields in PUBLIC_EVENTS.values()))
    assert shown == {"appointment_at", "new_appointment_at", "missing", "document_number", "method"}


def _event(action: str, changes: object, state_after: str = "processing") -> DossierEvent:
    return DossierEvent(action=action, changes=changes, state_after=state_after, at=at(2026, 3, 9, 9))


def test_an_event_shows_only_its_allowed_fields_with_their_types_checked() -> None:
    apology = public_event(
        _event("apologise", {"reason": "BÍ MẬT", "new_appointment_at": "2026-03-24T10:00:00+00:00"})
    )
    assert apology is not None
    assert apology.appointment_at == at(2026, 3, 24, 17)
    assert "BÍ MẬT" not in repr(apology)
    forged = public_event(
        _event(
            "request_supplement",
            {
                "missing": ["Giấy A", {"x": "y"}, 3],
                "reason": "BÍ MẬT",
                "appointment_at": "2026-03-24T10:00:00+00:00",
            },
        )
    )
    assert forged is not None
    assert forged.missing == ("Giấy A",)
    assert forged.appointment_at is None  # not an allowed field of this action
    assert public_event(_event("return_result", {"method": "teleport"}, "returned")).method == ""  # type: ignore[union-attr]
    assert public_event(_event("receive", {"appointment_at": "2026-03-12T17:00:00"})).appointment_at is None  # type: ignore[union-attr]
    assert public_event(_event("receive", "not a dict")) is not None
    assert public_event(_event("assign", {"assignee": "chuyenvien"})) is None
    assert public_event(_event("some_future_action", {})) is None


@pytest.mark.django_db
def test_a_dossier_disliked_and_complained_about_counts_once(world: World) -> None:
    from cchc.feedback import services as feedback_services
    from cchc.feedback.models import Kind, Subject
    from cchc.portal.selectors import dissatisfied_dossier_ids

    disliked, complained, both, fine = (returned(world) for _ in range(4))
    services.rating_give(dossier=disliked, level=RatingLevel.NOT_SATISFIED, at=at(2026, 3, 12, 9))
    services.rating_give(dossier=both, level=RatingLevel.NOT_SATISFIED, at=at(2026, 3, 12, 9))
    services.rating_give(dossier=fine, level=RatingLevel.SATISFIED, at=at(2026, 3, 12, 9))
    for dossier in (complained, both, both):
        feedback_services.feedback_submit(
            submission=feedback_services.Submission(
                subject=Subject.DOSSIER,
                kind=Kind.COMPLAINT,
                content="Hồ sơ bị trả lời chậm, phải đi lại nhiều lần.",
                dossier_code=dossier.code,
                dossier_key=dossier.lookup_key,
                sender_name="Trần Thị Bình",
                sender_phone="0912345678",
            ),
            at=at(2026, 3, 13, 9),
        )
    found = dissatisfied_dossier_ids(
        unit_ids=[world.justice.pk], start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31)
    )
    assert found == {disliked.pk, complained.pk, both.pk}
    assert (
        dissatisfied_dossier_ids(
            unit_ids=[world.construction.pk], start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31)
        )
        == set()
    )
