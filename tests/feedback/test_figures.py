"""The 766 satisfaction figures from feedback (DOMAIN.md §6): received, on time, satisfied, and the dossiers with
a complaint."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cchc.dossiers.models import RatingLevel
from cchc.feedback import services
from cchc.feedback.figures import FeedbackFigures
from cchc.feedback.models import Kind, Subject
from cchc.feedback.selectors import dossiers_with_complaint, feedback_figures
from tests.feedback.conftest import Province, at

pytestmark = pytest.mark.django_db

MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def _figures(
    province: Province, *, units: list[int] | None = None, now: dt.datetime | None = None
) -> FeedbackFigures:
    ids = [province.justice.pk] if units is None else units
    return feedback_figures(unit_ids=ids, start=MARCH[0], end=MARCH[1], now=now or at(2026, 6, 1))


def test_no_feedback_gives_no_rate(province: Province) -> None:
    figures = _figures(province)
    assert figures == FeedbackFigures()
    assert figures.on_time_rate is None and figures.satisfaction_rate is None


def test_on_time_counts_handled_in_time_and_open_within_limit(province: Province) -> None:
    leader = province.staff["leader"]
    # Answered on time (due Mon 23/03 17:00).
    on_time = province.submit(when=at(2026, 3, 2, 9))
    services.feedback_answer(feedback=on_time, actor=leader, answer="Đã trả lời.", at=at(2026, 3, 20, 9))
    # Answered late.
    late = province.submit(when=at(2026, 3, 2, 9))
    services.feedback_answer(feedback=late, actor=leader, answer="Trả lời muộn.", at=at(2026, 3, 24, 9))
    # Refused in time.
    refused = province.submit(when=at(2026, 3, 2, 9))
    services.feedback_refuse(
        feedback=refused, actor=leader, reason="Không thuộc thẩm quyền.", at=at(2026, 3, 3, 9)
    )
    # Open at the end of March, answer due in April: within the limit.
    province.submit(when=at(2026, 3, 30, 9))
    # Open and overdue at the end of March.
    province.submit(when=at(2026, 3, 3, 9))
    # Waiting for the sender: no limit runs.
    waiting = province.submit(when=at(2026, 3, 2, 9))
    services.feedback_request_more(feedback=waiting, actor=leader, question="Nêu rõ.", at=at(2026, 3, 3, 9))

    figures = _figures(province, now=at(2026, 4, 1, 9))
    assert figures.received == 6
    assert (figures.handled, figures.handled_on_time) == (3, 2)
    assert (figures.open_within_limit, figures.open_late) == (2, 1)
    assert figures.on_time == 4
    assert figures.on_time_rate == Decimal(4) / Decimal(6)


def test_the_period_is_judged_at_its_end(province: Province) -> None:
    feedback = province.submit(when=at(2026, 3, 2, 9))
    services.feedback_answer(
        feedback=feedback, actor=province.staff["leader"], answer="Đã trả lời.", at=at(2026, 4, 2, 9)
    )
    # At 31/03 24:00 it was open and overdue (due 23/03); the late answer in April does not change March.
    march = _figures(province, now=at(2026, 6, 1))
    assert (march.handled, march.open_late) == (0, 1)
    # Before its end, the period is judged now.
    early = feedback_figures(
        unit_ids=[province.justice.pk], start=MARCH[0], end=MARCH[1], now=at(2026, 3, 10, 9)
    )
    assert (early.handled, early.open_within_limit, early.open_late) == (0, 1, 0)


def test_satisfaction_counts_very_satisfied_and_satisfied(province: Province) -> None:
    leader = province.staff["leader"]
    ratings = [RatingLevel.VERY_SATISFIED, RatingLevel.SATISFIED, RatingLevel.NOT_SATISFIED, None]
    for rating in ratings:
        feedback = province.submit(when=at(2026, 3, 2, 9))
        services.feedback_answer(feedback=feedback, actor=leader, answer="Đã trả lời.", at=at(2026, 3, 3, 9))
        if rating is not None:
            services.feedback_rate_answer(feedback=feedback, rating=rating, at=at(2026, 3, 4, 9))
    figures = _figures(province)
    assert (figures.rated, figures.satisfied) == (3, 2)
    assert figures.satisfaction_rate == Decimal(2) / Decimal(3)


def test_publication_on_time_is_counted_apart(province: Province) -> None:
    leader = province.staff["leader"]
    for published_at in (at(2026, 3, 4, 9), at(2026, 3, 9, 9)):
        feedback = province.submit(when=at(2026, 3, 2, 9))
        services.feedback_answer(feedback=feedback, actor=leader, answer="Đã trả lời.", at=at(2026, 3, 3, 9))
        services.feedback_publish(feedback=feedback, actor=leader, public_summary="Câu hỏi.", at=published_at)
    figures = _figures(province)
    assert (figures.published, figures.published_on_time) == (2, 1)


def test_units_and_dates_filter(province: Province) -> None:
    province.submit(when=at(2026, 3, 31, 23, 59))  # last minute of March, Vietnam time
    province.submit(when=at(2026, 4, 1, 0, 0))  # April
    province.submit(when=at(2026, 3, 2, 9), unit_id=province.construction.pk)
    assert _figures(province).received == 1
    assert _figures(province, units=[province.construction.pk]).received == 1
    assert feedback_figures(unit_ids=None, start=MARCH[0], end=MARCH[1]).received == 2
    with pytest.raises(ValueError):
        feedback_figures(unit_ids=None, start=MARCH[1], end=MARCH[0])


def test_dossiers_with_complaint(province: Province) -> None:
    complained = province.dossier()
    proposed = province.dossier()
    refused = province.dossier()
    harassed = province.dossier()
    leader = province.staff["leader"]

    def about(dossier_code: str, key: str, kind: str) -> None:
        province.submit(
            subject=Subject.DOSSIER,
            dossier_code=dossier_code,
            dossier_key=key,
            kind=kind,
            when=at(2026, 3, 5, 9),
        )

    about(complained.code, complained.lookup_key, Kind.COMPLAINT)
    about(complained.code, complained.lookup_key, Kind.COMPLAINT)  # counted once
    about(proposed.code, proposed.lookup_key, Kind.PROPOSAL)  # a proposal is not a complaint
    about(harassed.code, harassed.lookup_key, Kind.HARASSMENT)
    about(refused.code, refused.lookup_key, Kind.COMPLAINT)
    refused_feedback = refused.feedback.get()
    services.feedback_refuse(
        feedback=refused_feedback, actor=leader, reason="Không có căn cứ.", at=at(2026, 3, 5, 10)
    )
    province.submit(unit_id=province.justice.pk, when=at(2026, 3, 5, 9))  # about the unit, not a dossier

    ids = dossiers_with_complaint(unit_ids=[province.justice.pk], start=MARCH[0], end=MARCH[1])
    assert ids == {complained.pk, harassed.pk}
    assert dossiers_with_complaint(unit_ids=[province.construction.pk], start=MARCH[0], end=MARCH[1]) == set()
    assert (
        dossiers_with_complaint(unit_ids=None, start=dt.date(2026, 4, 1), end=dt.date(2026, 4, 30)) == set()
    )
