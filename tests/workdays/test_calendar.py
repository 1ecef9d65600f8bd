"""The working-day calendar against the official 2025 and 2026 schedules (DOMAIN.md §4)."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc import workdays
from cchc.workdays.calendar import TZ, Calendar, WorkingHours
from cchc.workdays.schedules import OFFICIAL_OVERRIDES

D = dt.date


@pytest.fixture(scope="module")
def cal() -> Calendar:
    return Calendar(
        overrides={spec.day: spec.working for spec in OFFICIAL_OVERRIDES},
        estimated_days=[spec.day for spec in OFFICIAL_OVERRIDES if spec.estimated],
    )


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


# -- days off and make-up days ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "day",
    [
        D(2025, 1, 1),
        *(D(2025, 1, d) for d in range(27, 32)),  # Tết Ất Tỵ weekdays
        D(2025, 4, 7),  # Hùng Kings
        D(2025, 4, 30),
        D(2025, 5, 1),
        D(2025, 5, 2),  # swapped with Sat 26/04
        D(2025, 9, 1),
        D(2025, 9, 2),
        D(2026, 1, 1),
        D(2026, 1, 2),  # swapped with Sat 10/01
        *(D(2026, 2, d) for d in range(16, 21)),  # Tết Bính Ngọ weekdays
        D(2026, 4, 27),  # Hùng Kings observed (26/04 is a Sunday)
        D(2026, 4, 30),
        D(2026, 5, 1),
        D(2026, 8, 31),  # swapped with Sat 22/08
        D(2026, 9, 1),
        D(2026, 9, 2),
    ],
)
def test_official_days_off_are_not_working_days(cal: Calendar, day: dt.date) -> None:
    assert not cal.is_working_day(day)


@pytest.mark.parametrize("day", [D(2025, 4, 26), D(2026, 1, 10), D(2026, 8, 22)])
def test_make_up_saturdays_are_working_days(cal: Calendar, day: dt.date) -> None:
    assert day.weekday() == 5
    assert cal.is_working_day(day)


def test_the_seed_alone_lacks_the_2026_make_up_saturdays() -> None:
    bare = Calendar()
    assert not bare.is_working_day(D(2026, 1, 10))
    assert bare.is_working_day(D(2026, 1, 2))


def test_tet_2026_spans_saturday_14_to_sunday_22_february(cal: Calendar) -> None:
    assert [d for d in cal.days_off(2026) if D(2026, 2, 13) <= d <= D(2026, 2, 23)] == [
        D(2026, 2, d) for d in range(14, 23)
    ]
    assert cal.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)


def test_2026_new_year_and_national_day_blocks(cal: Calendar) -> None:
    off = set(cal.days_off(2026))
    assert {D(2026, 1, d) for d in range(1, 5)} <= off
    assert {D(2026, 8, 29), D(2026, 8, 30), D(2026, 8, 31), D(2026, 9, 1), D(2026, 9, 2)} <= off


def test_a_normal_weekend_is_off_and_a_normal_weekday_works(cal: Calendar) -> None:
    assert not cal.is_working_day(D(2026, 3, 7))
    assert not cal.is_working_day(D(2026, 3, 8))
    assert cal.is_working_day(D(2026, 3, 9))


def test_years_without_an_official_schedule_are_estimates(cal: Calendar) -> None:
    assert cal.is_estimated(D(2027, 3, 1))
    assert not cal.is_estimated(D(2026, 3, 2))
    assert cal.is_estimated(D(2026, 11, 24))  # Culture Day: to verify each year


def test_2026_has_the_expected_number_of_working_days(cal: Calendar) -> None:
    # 261 weekdays in 2026, minus 14 weekday days off (01–02/01, 16–20/02, 27/04, 30/04, 01/05,
    # 31/08, 01–02/09, 24/11), plus 2 make-up Saturdays (10/01, 22/08).
    weekdays = sum(1 for i in range(365) if (D(2026, 1, 1) + dt.timedelta(days=i)).weekday() < 5)
    assert weekdays == 261
    assert cal.working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == 261 - 14 + 2


# -- adding and counting working days --------------------------------------------------------------------------
def test_day_zero_is_the_day_given(cal: Calendar) -> None:
    assert cal.add_working_days(D(2026, 2, 15), 0) == D(2026, 2, 15)


def test_adding_crosses_a_year_boundary(cal: Calendar) -> None:
    # Wed 31/12/2025 + 1: Thu 01/01 and Fri 02/01 are off, Sat 10/01 is a make-up day.
    assert cal.add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 5)
    assert cal.add_working_days(D(2026, 1, 9), 1) == D(2026, 1, 10)
    assert cal.add_working_days(D(2026, 1, 10), 1) == D(2026, 1, 12)


def test_adding_crosses_a_month_boundary(cal: Calendar) -> None:
    assert cal.add_working_days(D(2026, 3, 31), 1) == D(2026, 4, 1)
    assert cal.add_working_days(D(2026, 4, 29), 2) == D(2026, 5, 5)


def test_counting_backwards(cal: Calendar) -> None:
    assert cal.add_working_days(D(2026, 2, 23), -1) == D(2026, 2, 13)
    assert cal.add_working_days(D(2026, 2, 22), -1) == D(2026, 2, 13)
    assert cal.add_working_days(D(2026, 1, 12), -1) == D(2026, 1, 10)


@pytest.mark.parametrize("n", [1, 2, 5, 10, 15, 20, 30, 60, 250, 1000])
@pytest.mark.parametrize("start", [D(2025, 1, 24), D(2025, 12, 31), D(2026, 2, 14), D(2026, 8, 21)])
def test_between_is_the_inverse_of_add(cal: Calendar, start: dt.date, n: int) -> None:
    assert cal.working_days_between(start, cal.add_working_days(start, n)) == n


def test_between_counts_after_a_up_to_and_including_b(cal: Calendar) -> None:
    assert cal.working_days_between(D(2026, 3, 9), D(2026, 3, 9)) == 0
    assert cal.working_days_between(D(2026, 3, 9), D(2026, 3, 13)) == 4
    assert cal.working_days_between(D(2026, 3, 13), D(2026, 3, 9)) == -4


def test_far_dates_extend_the_span(cal: Calendar) -> None:
    assert cal.add_working_days(D(2026, 1, 5), 2500) > D(2035, 1, 1)
    assert cal.is_working_day(D(2005, 3, 1))


# -- deadlines --------------------------------------------------------------------------------------------------
def test_working_days_limit_ends_at_close_of_nth_working_day(cal: Calendar) -> None:
    assert cal.due_at(at(2026, 3, 9, 9), 3, "working_days") == at(2026, 3, 12, 17)


def test_receipt_on_a_day_off_counts_from_the_next_working_morning(cal: Calendar) -> None:
    # Received Sunday 15/02/2026 during Tết: clock starts Mon 23/02 07:30.
    assert cal.start_of_clock(at(2026, 2, 15, 10)) == at(2026, 2, 23, 7, 30)
    assert cal.due_at(at(2026, 2, 15, 10), 1, "working_days") == at(2026, 2, 24, 17)


def test_receipt_after_closing_counts_from_the_next_morning(cal: Calendar) -> None:
    assert cal.start_of_clock(at(2026, 3, 9, 17, 30)) == at(2026, 3, 10, 7, 30)


def test_receipt_before_opening_starts_at_opening_the_same_day(cal: Calendar) -> None:
    assert cal.start_of_clock(at(2026, 3, 9, 6)) == at(2026, 3, 9, 7, 30)


def test_procedure_cutoff_moves_same_day_results_to_next_working_day(cal: Calendar) -> None:
    cutoff = dt.time(15, 0)
    assert cal.due_at(at(2026, 3, 9, 14, 59), 0, "working_days", cutoff=cutoff) == at(2026, 3, 9, 17)
    assert cal.due_at(at(2026, 3, 9, 15, 0), 0, "working_days", cutoff=cutoff) == at(2026, 3, 10, 17)
    # Friday after the cut-off before Tết 2026 goes to Monday 23/02.
    assert cal.due_at(at(2026, 2, 13, 15, 30), 0, "working_days", cutoff=cutoff) == at(2026, 2, 23, 17)


def test_working_hours_skip_lunch_nights_and_holidays(cal: Calendar) -> None:
    # Fri 13/02/2026 09:00 + 8 working hours: 6 h that Friday, then 2 h on Mon 23/02 after Tết.
    assert cal.due_at(at(2026, 2, 13, 9), 8, "working_hours") == at(2026, 2, 23, 9, 30)
    assert cal.due_at(at(2026, 3, 9, 11), 1, "working_hours") == at(2026, 3, 9, 14)


def test_working_hours_ending_exactly_at_closing_stay_on_that_day(cal: Calendar) -> None:
    assert cal.due_at(at(2026, 3, 9, 7, 30), 7.5, "working_hours") == at(2026, 3, 9, 17)


def test_online_dossier_acceptance_within_8_working_hours(cal: Calendar) -> None:
    # Decree 118/2025 Art. 17: an online dossier is accepted or returned within 8 working hours.
    # Fri 09/01/2026 16:00: 1 h that day, then 7 h on the make-up Saturday 10/01 (4 h + 3 h) → 16:30.
    assert cal.due_at(at(2026, 1, 9, 16), 8, "working_hours") == at(2026, 1, 10, 16, 30)
    # Fri 13/02/2026 16:00: 1 h, then Tết; 7 h on Mon 23/02 → 16:30.
    assert cal.due_at(at(2026, 2, 13, 16), 8, "working_hours") == at(2026, 2, 23, 16, 30)


def test_calendar_days_limit_ending_on_a_holiday_moves_to_next_working_day(cal: Calendar) -> None:
    # Civil Code 2015 Art. 148(5).
    assert cal.due_at(at(2026, 4, 20, 9), 7, "days") == at(2026, 4, 28, 17)


def test_months_limit_takes_the_last_day_of_a_shorter_month(cal: Calendar) -> None:
    # 31/01 + 1 month → 28/02/2026 (Saturday) → Monday 02/03.
    assert cal.due_at(at(2026, 1, 30, 9), 1, "months") == at(2026, 3, 2, 17)
    assert cal.due_at(at(2025, 12, 15, 9), 2, "months") == at(2026, 2, 23, 17)  # 15/02 is in Tết


def test_clock_hours_run_through_nights(cal: Calendar) -> None:
    assert cal.due_at(at(2026, 3, 9, 9), 24, "hours") == at(2026, 3, 10, 9)


def test_a_fraction_of_a_working_day_is_working_time_after_the_whole_days(cal: Calendar) -> None:
    # 0 working days end at Monday's close; the half day (3 h 45) runs on Tuesday morning.
    assert cal.due_at(at(2026, 3, 9, 7, 30), 0.5, "working_days") == at(2026, 3, 10, 11, 15)
    assert cal.due_at(at(2026, 3, 2, 10), 1.5, "working_days") == at(2026, 3, 4, 11, 15)


@pytest.mark.parametrize("unit", ["working_days", "working_hours", "hours", "days", "months"])
@pytest.mark.parametrize("received", [at(2026, 3, 2, 10), at(2026, 3, 2, 17, 30), at(2026, 2, 13, 15, 30)])
def test_a_longer_limit_never_ends_sooner(cal: Calendar, unit: str, received: dt.datetime) -> None:
    whole_only = unit in ("days", "months")
    amounts = [0, 1, 2, 3, 5, 10, 15, 30] if whole_only else [0, 0.25, 0.5, 1, 1.5, 2, 2.5, 3, 7.75, 10, 15]
    deadlines = [cal.due_at(received, amount, unit) for amount in amounts]
    assert deadlines == sorted(deadlines)


def test_days_and_months_must_be_whole(cal: Calendar) -> None:
    with pytest.raises(ValueError, match="số nguyên"):
        cal.due_at(at(2026, 3, 9, 9), 1.5, "days")
    with pytest.raises(ValueError, match="số nguyên"):
        cal.due_at(at(2026, 3, 9, 9), 0.5, "months")


def test_decimal_amounts_from_the_catalog_work_for_every_unit(cal: Calendar) -> None:
    from decimal import Decimal

    assert cal.due_at(at(2026, 3, 9, 9), Decimal("2"), "hours") == at(2026, 3, 9, 11)
    assert cal.due_at(at(2026, 3, 9, 9), Decimal("1.5"), "working_days") == at(2026, 3, 11, 11, 15)


def test_holiday_names_are_vietnamese(cal: Calendar) -> None:
    assert cal.describe(D(2027, 1, 1)) == "Ngày nghỉ lễ: Tết Dương lịch"


def test_extending_the_span_concurrently_keeps_answers_right() -> None:
    import threading

    calendar = Calendar(first_year=2020, last_year=2021)
    errors: list[BaseException] = []

    def worker(offset: int) -> None:
        try:
            for i in range(200):
                start = D(2020, 1, 6) + dt.timedelta(days=(i * 7 + offset) % 300)
                assert calendar.working_days_between(start, calendar.add_working_days(start, 40)) == 40
                calendar.is_working_day(D(1990 + offset, 6, 1))  # forces growth backwards
                calendar.add_working_days(D(2030 + offset, 6, 1), 5)  # and forwards
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert calendar.first_year <= 1990 and calendar.last_year >= 2033


def test_unknown_unit_and_negative_amount_are_refused(cal: Calendar) -> None:
    with pytest.raises(ValueError):
        cal.due_at(at(2026, 3, 9, 9), 1, "fortnights")
    with pytest.raises(ValueError):
        cal.due_at(at(2026, 3, 9, 9), -1, "working_days")


def test_utc_input_is_read_in_vietnam_time(cal: Calendar) -> None:
    # 02:00 UTC is 09:00 in Hà Nội.
    received = dt.datetime(2026, 3, 9, 2, 0, tzinfo=dt.UTC)
    assert cal.start_of_clock(received) == at(2026, 3, 9, 9)


# -- working time between instants -----------------------------------------------------------------------------
def test_working_time_between_skips_nights_weekends_and_holidays(cal: Calendar) -> None:
    assert cal.working_time_between(at(2026, 2, 13, 16), at(2026, 2, 23, 8, 30)) == dt.timedelta(hours=2)
    assert cal.working_time_between(at(2026, 3, 9, 11), at(2026, 3, 9, 14)) == dt.timedelta(hours=1)


def test_pauses_are_subtracted_once_even_when_they_overlap(cal: Calendar) -> None:
    start, end = at(2026, 3, 9, 7, 30), at(2026, 3, 13, 17)
    assert cal.working_time_between(start, end) == dt.timedelta(hours=37.5)
    pauses = [(at(2026, 3, 10, 7, 30), at(2026, 3, 10, 17)), (at(2026, 3, 10, 13), at(2026, 3, 11, 11, 30))]
    assert cal.working_time_between(start, end, pauses) == dt.timedelta(hours=37.5 - 7.5 - 4)


def test_end_before_start_is_zero(cal: Calendar) -> None:
    assert cal.working_time_between(at(2026, 3, 10), at(2026, 3, 9)) == dt.timedelta(0)


def test_per_unit_working_hours(cal: Calendar) -> None:
    short = WorkingHours(sessions=((dt.time(8), dt.time(12)), (dt.time(13), dt.time(16))))
    assert short.seconds_per_day == 7 * 3600
    assert cal.due_at(at(2026, 3, 9, 15), 2, "working_hours", hours=short) == at(2026, 3, 10, 9)
    assert cal.due_at(at(2026, 3, 9, 9), 1, "working_days", hours=short) == at(2026, 3, 10, 16)


def test_working_hours_must_be_ordered() -> None:
    with pytest.raises(ValueError):
        WorkingHours(sessions=((dt.time(13), dt.time(12)),))


# -- the module-level API uses the installation's calendar ------------------------------------------------------
@pytest.mark.django_db
def test_module_api_uses_overrides_present_after_migrate() -> None:
    assert workdays.is_working_day(D(2026, 1, 10))
    assert not workdays.is_working_day(D(2026, 1, 2))
    assert workdays.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
    assert workdays.working_days_between(D(2026, 2, 13), D(2026, 2, 23)) == 1
    assert workdays.due_at(at(2026, 3, 9, 9), 1, "working_days") == at(2026, 3, 10, 17)
    assert workdays.working_time_between(at(2026, 3, 9, 9), at(2026, 3, 9, 10)) == dt.timedelta(hours=1)


@pytest.mark.django_db
def test_an_admin_override_changes_the_calendar_at_once() -> None:
    from cchc.workdays.models import CalendarOverride, DayKind

    assert workdays.is_working_day(D(2026, 3, 9))
    CalendarOverride.objects.create(
        day=D(2026, 3, 9), kind=DayKind.DAY_OFF, name="Nghỉ đột xuất", source="test"
    )
    assert not workdays.is_working_day(D(2026, 3, 9))


def test_explicit_calendar_argument_wins(cal: Calendar) -> None:
    bare = Calendar()
    assert workdays.is_working_day(D(2026, 1, 10), calendar=cal)
    assert not workdays.is_working_day(D(2026, 1, 10), calendar=bare)
