"""The statistics against hand counts: both ways (figures reconcile, and each figure lists its dossiers)."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.dossiers.deadlines import day_counts
from cchc.dossiers.models import Dossier
from cchc.stats.models import PauseClock
from cchc.stats.selectors import BASE_FIGURES, FIGURES, Row, dossier_statistics, statistics_dossiers
from cchc.stats.services import pause_clocks_refresh
from tests.dossiers.conftest import at
from tests.stats.conftest import Q2_BEHIND, Q2_CONSTRUCTION, Q2_JUSTICE, Province

pytestmark = pytest.mark.django_db

Q2 = {"start": dt.date(2026, 4, 1), "end": dt.date(2026, 6, 30)}


def _identity_holds(row: Row) -> bool:
    left = row["carried_over"] + row["new"]
    right = row["resolved"] + row["refused"] + row["withdrawn"] + row["stopped"] + row["pending"]
    return left == right == row["received"]


def _by_key(rows: list[Row]) -> dict[int | None, Row]:
    return {row.key: row for row in rows if not row.is_total}


def test_quarter_by_unit_matches_the_hand_count(province: Province) -> None:
    w = province.world
    rows = dossier_statistics(unit_ids=None, group_by="unit", **Q2)
    units = _by_key(rows)
    assert set(units) == {w.justice.pk, w.construction.pk}
    assert units[w.justice.pk].counts == Q2_JUSTICE
    assert units[w.construction.pk].counts == Q2_CONSTRUCTION
    assert units[w.justice.pk].label == w.justice.name


def test_every_row_reconciles_and_units_add_up_to_the_province(province: Province) -> None:
    for group_by in ("unit", "field", "procedure"):
        rows = dossier_statistics(unit_ids=None, group_by=group_by, **Q2)  # type: ignore[arg-type]
        total = rows[-1]
        assert total.is_total
        for row in rows:
            assert _identity_holds(row), (group_by, row)
        for figure in BASE_FIGURES:
            assert total[figure] == sum(row[figure] for row in rows[:-1])
            assert total[figure] == Q2_JUSTICE[figure] + Q2_CONSTRUCTION[figure], figure
    assert rows[-1]["received"] == 13


def test_each_figure_is_the_count_of_its_listed_dossiers(province: Province) -> None:
    names = {dossier.pk: name for name, dossier in province.dossiers.items()}
    total = dossier_statistics(unit_ids=None, **Q2)[-1]
    for figure, expected in Q2_BEHIND.items():
        listed = statistics_dossiers(unit_ids=None, figure=figure, **Q2)
        assert sorted(names[d.pk] for d in listed) == sorted(expected), figure
        assert total[figure] == len(expected)
    for figure in FIGURES:
        assert statistics_dossiers(unit_ids=None, figure=figure, **Q2).count() == total[figure], figure


def test_field_and_procedure_groups(province: Province) -> None:
    # Dossier I is a civil-status (Hộ tịch) dossier of the construction department.
    fields = {row.label: row for row in dossier_statistics(unit_ids=None, group_by="field", **Q2)}
    assert fields["Hộ tịch"]["received"] == 9 + 1
    assert fields["Hộ tịch"]["pending_within"] == 2
    assert fields["Xây dựng"]["received"] == 3
    assert fields["Xây dựng"].counts["withdrawn"] == 1
    procedures = {row.key: row for row in dossier_statistics(unit_ids=None, group_by="procedure", **Q2)}
    assert procedures[province.building.procedure_id]["received"] == 3
    assert procedures[province.world.version.procedure_id]["received"] == 10
    label = next(row.label for row in procedures.values() if row.key == province.building.procedure_id)
    assert label == "1.009999 – Thủ tục cấp giấy phép xây dựng"


def test_scope_keeps_only_the_users_units(province: Province) -> None:
    w = province.world
    rows = dossier_statistics(unit_ids=[w.construction.pk], **Q2)
    assert [row.key for row in rows] == [w.construction.pk, None]
    assert rows[-1].counts == Q2_CONSTRUCTION
    assert dossier_statistics(unit_ids=[], **Q2)[-1]["received"] == 0
    # A drill-down to a unit outside the scope shows nothing.
    assert dossier_statistics(unit_ids=[w.construction.pk], unit_id=w.justice.pk, **Q2)[-1]["received"] == 0
    assert not statistics_dossiers(
        unit_ids=[w.construction.pk], figure="received", unit_id=w.justice.pk, **Q2
    )


def test_drill_down_filters(province: Province) -> None:
    w = province.world
    rows = dossier_statistics(unit_ids=None, group_by="procedure", unit_id=w.construction.pk, **Q2)
    by_procedure = {row.key: row["received"] for row in rows if not row.is_total}
    assert by_procedure == {province.building.procedure_id: 3, w.version.procedure_id: 1}
    listed = statistics_dossiers(
        unit_ids=None,
        figure="pending",
        unit_id=w.construction.pk,
        procedure_id=province.building.procedure_id,
        **Q2,
    )
    assert [d.pk for d in listed] == [province.dossiers["J"].pk]


def test_march_counts_what_was_open_then(province: Province) -> None:
    march = dossier_statistics(unit_ids=None, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))[-1]
    # A resolved early; B and C open on 01/04 with appointments in April: within. B's apology was in March.
    assert march["new_in_person"] == 3
    assert march["carried_over"] == 0
    assert (march["resolved_early"], march["pending_within"], march["pending_overdue"]) == (1, 2, 0)
    assert march["apologies"] == 1


def test_a_period_ends_at_midnight_vietnam_time(province: Province) -> None:
    # K was received 01/07 08:00: in a period ending 01/07, not in one ending 30/06.
    w = province.world
    day = dt.date(2026, 7, 1)
    assert dossier_statistics(unit_ids=[w.construction.pk], start=day, end=day)[-1]["new_in_person"] == 1
    last = dt.date(2026, 6, 30)
    only_june_30 = dossier_statistics(unit_ids=[w.construction.pk], start=last, end=last)[-1]
    assert only_june_30["new_in_person"] == 0
    assert only_june_30["carried_over"] == 2  # I and J were open on 30/06 (G and H had ended)


def test_pause_clock_matches_the_dossier_page_measure(province: Province) -> None:
    pause_clocks_refresh()
    clocks = {clock.dossier_id: clock for clock in PauseClock.objects.all()}
    m = province.dossiers["M"]
    assert clocks[m.pk].due_at == at(2026, 5, 27, 17)
    assert clocks[province.dossiers["L"].pk].due_at is None  # the pause still runs
    for name, on_time in (("M", True), ("O", True), ("N", False)):
        dossier = Dossier.objects.get(pk=province.dossiers[name].pk)
        assert day_counts(dossier).on_time is on_time, name
    assert pause_clocks_refresh() == 0  # nothing changed since


def test_a_completed_pause_is_measured_again(province: Province) -> None:
    w = province.world
    pause_clocks_refresh()
    # L's citizen completes the supplement on Mon 22/06 08:00.
    province.dossiers["L"].supplement_requests.update(completed_at=at(2026, 6, 22, 8))
    assert pause_clocks_refresh() == 1
    clock = PauseClock.objects.get(dossier=province.dossiers["L"])
    # Received Wed 10/06 09:00, appointment Mon 15/06 17:00: 6 h on 10/06, 7.5 h on 11, 12 and 15/06: 28.5 h.
    # Used to Thu 11/06 10:00: 6 + 2.5 = 8.5 h, so 20 h left from Mon 22/06 08:00: 7 h that day, 7.5 h on 23/06,
    # and 5.5 h on 24/06 (07:30-11:30, then 13:30-15:00).
    assert clock.due_at == at(2026, 6, 24, 15)
    row = dossier_statistics(unit_ids=[w.justice.pk], **Q2)[-1]
    assert (row["pending_within"], row["pending_overdue"]) == (0, 2)  # measured at 01/07: past 24/06
