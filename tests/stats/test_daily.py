"""Stored day figures (cchc.stats.daily): exactly the figures counted from the dossiers, read back once stored,
and forgotten when a step is recorded inside a closed day."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from django.db.models import F

from cchc.dossiers import services
from cchc.dossiers.history import event_append
from cchc.stats import daily
from cchc.stats.models import DayCount, PauseClock, PendingCount, StatsDay
from cchc.stats.selectors import dossier_statistics
from tests.dossiers.conftest import at
from tests.stats.conftest import Q2_JUSTICE, Province

pytestmark = pytest.mark.django_db

NOW = at(2026, 11, 24, 10)  # every day of 2026 before 24/11 is closed
BEFORE_ALL = at(2026, 1, 1, 0)  # nothing of the fixture's days is closed yet: all counted from the dossiers

PERIODS = [
    (dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
    (dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
    (dt.date(2026, 5, 1), dt.date(2026, 5, 31)),
    (dt.date(2026, 7, 1), dt.date(2026, 7, 31)),
    (dt.date(2026, 3, 28), dt.date(2026, 7, 2)),
    (dt.date(2026, 5, 26), dt.date(2026, 5, 26)),
    (dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
]


def _figures(result: dict[Any, Counter[str]]) -> dict[Any, dict[str, int]]:
    return {key: {k: v for k, v in counter.items() if v} for key, counter in result.items() if +counter}


def _counts(now: dt.datetime, start: dt.date, end: dt.date, **kwargs: Any) -> dict[Any, dict[str, int]]:
    return _figures(daily.period_counts(start=start, end=end, now=now, **kwargs))


@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_stored_figures_are_the_figures_counted_from_the_dossiers(
    province: Province, start: dt.date, end: dt.date
) -> None:
    w = province.world
    scopes: list[dict[str, Any]] = [
        {"unit_ids": None},
        {"unit_ids": [w.justice.pk]},
        {"unit_ids": None, "unit_id": w.construction.pk},
        {"unit_ids": None, "procedure_id": province.building.procedure_id},
        {"unit_ids": None, "field_id": w.version.field_id},
    ]
    for group_by in ("unit", "procedure", "field"):
        for scope in scopes:
            stored = _counts(NOW, start, end, group_by=group_by, **scope)
            counted = _counts(BEFORE_ALL, start, end, group_by=group_by, **scope)
            assert stored == counted, (group_by, scope)
    # Stored: the flows of every closed day of the period, the stocks at its midnights that have passed.
    marked = dict(StatsDay.objects.values_list("day", "flows"))
    last = min(end, NOW.date() - dt.timedelta(days=1))
    assert all(marked.get(start + dt.timedelta(days=n)) for n in range((last - start).days + 1))
    assert StatsDay.objects.get(day=start).snapshot
    after = end + dt.timedelta(days=1)
    assert StatsDay.objects.filter(day=after, snapshot=True).exists() == (after <= NOW.date())


def test_a_period_across_the_last_closed_day_adds_the_open_days_counted_live(province: Province) -> None:
    # At 30/06 09:00 the days up to 29/06 are closed; 30/06 and the stock at 01/07 00:00 are counted live.
    quarter = {
        "start": dt.date(2026, 4, 1),
        "end": dt.date(2026, 6, 30),
        "group_by": "unit",
        "unit_ids": None,
    }
    now = at(2026, 6, 30, 9)
    assert _counts(now, **quarter) == _counts(BEFORE_ALL, **quarter)
    assert not StatsDay.objects.filter(day__gte=dt.date(2026, 6, 30), flows=True).exists()
    assert StatsDay.objects.filter(day=dt.date(2026, 6, 29), flows=True).exists()


def test_a_day_closes_only_an_hour_after_midnight() -> None:
    assert daily.first_open_day(at(2026, 5, 27, 0, 30)) == dt.date(2026, 5, 26)
    assert daily.first_open_day(at(2026, 5, 27, 1, 0)) == dt.date(2026, 5, 27)
    # A moment in UTC is read in Asia/Ho_Chi_Minh: 26/05 18:30 UTC is 27/05 01:30 there.
    assert daily.first_open_day(dt.datetime(2026, 5, 26, 18, 30, tzinfo=dt.UTC)) == dt.date(2026, 5, 27)


def test_a_closed_day_is_read_back_from_its_stored_rows(province: Province) -> None:
    w = province.world
    q2 = {"unit_ids": None, "start": dt.date(2026, 4, 1), "end": dt.date(2026, 6, 30)}
    assert {row.key: row.counts for row in dossier_statistics(**q2)}[w.justice.pk] == Q2_JUSTICE
    # Tampering with the stored rows shows in the figures: they are read, not recounted.
    DayCount.objects.filter(day=dt.date(2026, 4, 2), unit=w.justice).update(
        resolved_early=F("resolved_early") + 5
    )
    PendingCount.objects.filter(day=dt.date(2026, 7, 1), unit=w.justice).update(overdue=F("overdue") + 1)
    tampered = {row.key: row.counts for row in dossier_statistics(**q2)}[w.justice.pk]
    assert tampered["resolved_early"] == Q2_JUSTICE["resolved_early"] + 5
    assert tampered["pending_overdue"] == Q2_JUSTICE["pending_overdue"] + 1
    daily.forget_from(dt.date(2026, 4, 2))
    assert StatsDay.objects.filter(day__lt=dt.date(2026, 4, 2)).exists()
    assert not StatsDay.objects.filter(day__gte=dt.date(2026, 4, 2)).exists()
    assert {row.key: row.counts for row in dossier_statistics(**q2)}[w.justice.pk] == Q2_JUSTICE


def test_an_event_recorded_in_a_closed_day_forgets_the_days_from_it(province: Province) -> None:
    dossier_statistics(unit_ids=None, start=dt.date(2026, 4, 1), end=dt.date(2026, 6, 30))
    dossier = province.dossiers["D"]
    # Recorded now: no closed day changes, nothing is forgotten.
    event_append(dossier=dossier, action="rate", actor=None, state_before="", state_after="", changes={})
    assert StatsDay.objects.filter(day=dt.date(2026, 7, 1)).exists()
    # Recorded on 10/05: the days from 10/05 on are dropped, the earlier ones kept.
    dossier.refresh_from_db()
    event_append(
        dossier=dossier,
        action="rate",
        actor=None,
        state_before="",
        state_after="",
        changes={},
        at=at(2026, 5, 10, 9),
    )
    assert StatsDay.objects.filter(day=dt.date(2026, 5, 9)).exists()
    assert not StatsDay.objects.filter(day__gte=dt.date(2026, 5, 10)).exists()
    assert not DayCount.objects.filter(day__gte=dt.date(2026, 5, 10)).exists()


def test_a_reception_recorded_in_the_past_shows_in_the_stored_period(province: Province) -> None:
    w = province.world
    q2 = {"unit_ids": None, "start": dt.date(2026, 4, 1), "end": dt.date(2026, 6, 30)}
    before = {row.key: row.counts for row in dossier_statistics(**q2)}[w.justice.pk]
    services.dossier_receive(actor=w.staff["reception"], intake=w.intake(), at=at(2026, 5, 20, 9))
    after = {row.key: row.counts for row in dossier_statistics(**q2)}[w.justice.pk]
    assert after["new_in_person"] == before["new_in_person"] + 1
    # Appointment 25/05 (3 working days), still open on 01/07: overdue.
    assert after["pending_overdue"] == before["pending_overdue"] + 1
    assert _counts(NOW, group_by="unit", **q2) == _counts(BEFORE_ALL, group_by="unit", **q2)


def test_the_lifecycle_keeps_the_pause_clock(province: Province) -> None:
    w = province.world
    dossier = services.dossier_receive(actor=w.staff["reception"], intake=w.intake(), at=at(2026, 3, 9, 9))
    services.dossier_request_supplement(
        dossier=dossier,
        actor=w.staff["specialist"],
        missing=["Bản sao CCCD"],
        reason="Ảnh mờ",
        expected_version=dossier.version,
        at=at(2026, 3, 10, 9),
    )
    clock = PauseClock.objects.get(dossier=dossier)
    assert (clock.requested_at, clock.completed_at, clock.due_at) == (at(2026, 3, 10, 9), None, None)
    dossier.refresh_from_db()
    services.dossier_complete_supplement(
        dossier=dossier, actor=w.staff["reception"], expected_version=dossier.version, at=at(2026, 3, 16, 9)
    )
    clock.refresh_from_db()
    # Appointment Thu 12/03 17:00: the 21 working hours left at Tue 10/03 09:00 run again from Mon 16/03 09:00
    # (as in tests/dossiers/test_lifecycle.py, 6 h are left at Wed 18/03 09:00).
    assert clock.completed_at == at(2026, 3, 16, 9)
    assert clock.due_at == at(2026, 3, 18, 17)


def test_a_payment_reported_for_a_closed_day_forgets_the_days_from_it(province: Province) -> None:
    dossier_statistics(unit_ids=None, start=dt.date(2026, 4, 1), end=dt.date(2026, 6, 30))
    event_append(
        dossier=province.dossiers["D"],
        action="pay",
        actor=None,
        state_before="",
        state_after="",
        changes={"paid_at": at(2026, 6, 2, 23, 50)},  # confirmed now, paid on 02/06 by the gateway's report
    )
    assert StatsDay.objects.filter(day=dt.date(2026, 6, 1)).exists()
    assert not StatsDay.objects.filter(day__gte=dt.date(2026, 6, 2)).exists()
