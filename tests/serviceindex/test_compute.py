"""The 766 index of a unit computed by hand on small fixtures (DOMAIN.md §6), dossiers made through the real
services. March 2026; every dossier of `world.version` is due 3 working days after reception."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from cchc.catalog import services as catalog_services
from cchc.dossiers import services
from cchc.dossiers.models import Channel, DeliveryMethod, Dossier, DossierComponent, DossierFee, RatingLevel
from cchc.orgs.models import Unit, UnitKind
from cchc.portal.services import rating_give
from cchc.serviceindex.selectors import IndexResult, index_compute, index_compute_all
from cchc.stats.selectors import dossier_statistics
from tests.catalog.conftest import make_draft
from tests.dossiers.conftest import World, at
from tests.serviceindex.conftest import AFTER_MARCH, MARCH, give_back, receive, resolve

D = Decimal


def _march(unit: Unit | None) -> IndexResult:
    return index_compute(unit=unit, start=MARCH[0], end=MARCH[1], now=AFTER_MARCH)


def _by_code(result: IndexResult) -> dict[str, object]:
    return {c.code: c for c in result.components}


def _points(result: IndexResult) -> dict[str, Decimal]:
    return {c.code: c.points for c in result.components}


def test_a_department_without_dossiers_scores_only_the_feedback_rows(world: World) -> None:
    """Zero denominators give 0, except the two feedback rows (full points when there is no feedback)."""
    result = _march(world.justice)
    points = _points(result)
    assert points["6.1"] == 6 and points["6.2"] == 6
    assert all(value == 0 for code, value in points.items() if code not in {"6.1", "6.2"})
    assert result.total == 12 and result.band == "weak"
    components = _by_code(result)
    assert components["2.1"].status == "zero_denominator"  # type: ignore[attr-defined]
    assert components["6.1"].status == "no_feedback"  # type: ignore[attr-defined]
    assert components["1.4"].status == "zero_denominator"  # type: ignore[attr-defined] - sync: no dossier
    assert components["1.1"].status == "no_data"  # type: ignore[attr-defined]
    assert "ngày công bố thủ tục" in components["1.1"].note  # type: ignore[attr-defined]


def test_a_commune_scores_the_maximum_of_province_only_components(world: World) -> None:
    """At commune level 3.1 (12), 5.6 (2) and 5.7 (2) do not apply: 16 + the feedback rows 12 = 28."""
    commune = Unit.objects.create(
        name="UBND xã Thử", kind=UnitKind.COMMUNE_COMMITTEE, area=world.centre.area, identifier="H99.01"
    )
    result = _march(commune)
    points = _points(result)
    assert (points["3.1"], points["5.6"], points["5.7"]) == (12, 2, 2)
    assert _by_code(result)["3.1"].status == "not_applicable"  # type: ignore[attr-defined]
    assert result.total == 28
    # The same unit kind at province level scores 0 there: no dossier, so no population data and none online.
    department = _points(_march(world.justice))
    assert (department["3.1"], department["5.6"], department["5.7"]) == (0, 0, 0)


def test_march_by_hand(world: World) -> None:
    """Justice department, March 2026.

    d1 received 09/03 09:00, resolved 10/03 15:00, returned online 11/03: on time, electronic result.
    d2 received 09/03 09:00, resolved 16/03 10:00: late (due 12/03 17:00).
    d3 received 09/03 09:00, resolved 12/03 17:30: late. The literal national rule (DOMAIN.md §3: end of
       processing ≤ appointment, as on the statistics page) compares instants: 17:30 is after 17:00, although
       the office had closed (this counted on time before the index judged in SQL).
    d4 received 09/03 09:00, still open on 31/03: late at the end of the period.
    d5 received 30/03 09:00, open, due 02/04: in progress within the limit, on time.
    d6 received 09/03 09:00, withdrawn 10/03: not in the progress population, but received in March.
    d0 received 23/02, resolved 24/02: ended before March, in no March figure.
    Progress: 2 on time (d1, d5) / 5 → 20 × 0.4 = 8.
    Electronic result: 1 of 3 resolved in March → 6 / 3 = 2.
    Digitised: d1 (reused) and d2 (scanned) of 6 received → 4 × 2/6 = 1.33.
    Reused: 1 of 6 → min(2, 2 × (1/6) / 0.8) = 0.4166… → 0.42.
    Dossier satisfaction: 1 − (3 late + 0 disliked) / 5 = 0.4 → min(6, 6 × 0.4 / 0.9) = 2.666… → 2.67.
    Feedback: none → 6 + 6. Total: 8 + 2 + 1.33 + 0.42 + 2.67 + 12 = 26.42.
    """
    d0 = receive(world, at(2026, 2, 23, 9))
    resolve(world, d0, at(2026, 2, 24, 10))
    d1 = resolve(world, receive(world, at(2026, 3, 9, 9)), at(2026, 3, 10, 15))
    give_back(world, d1, at(2026, 3, 11, 8), DeliveryMethod.ONLINE)
    d2 = resolve(world, receive(world, at(2026, 3, 9, 9)), at(2026, 3, 16, 10))
    resolve(world, receive(world, at(2026, 3, 9, 9)), at(2026, 3, 12, 17, 30))
    receive(world, at(2026, 3, 9, 9))
    receive(world, at(2026, 3, 30, 9))
    d6 = receive(world, at(2026, 3, 9, 9))
    services.dossier_withdraw(
        dossier=d6,
        actor=world.staff["reception"],
        reason="Rút",
        expected_version=d6.version,
        at=at(2026, 3, 10, 9),
    )
    DossierComponent.objects.filter(dossier=d1).update(reused=True)
    DossierComponent.objects.filter(dossier=d2).update(digitised=True)

    result = _march(world.justice)
    points = _points(result)
    assert points["2.1"] == D("8.00")
    assert points["5.1"] == D("2.00")
    assert points["5.2"] == D("1.33")
    assert points["5.4"] == D("0.42")
    assert points["6.3"] == D("2.67")
    assert (points["6.1"], points["6.2"]) == (6, 6)
    assert result.total == D("26.42")
    on_time = _by_code(result)["2.1"]
    assert [value for _label, value in on_time.inputs] == ["2", "5"]  # type: ignore[attr-defined]
    assert on_time.rate == D("0.4")  # type: ignore[attr-defined]
    assert on_time.formula == "20 × r"  # type: ignore[attr-defined]


def test_pause_for_a_supplement_is_subtracted(world: World) -> None:
    """Received 09/03 09:00 (due 12/03 17:00); supplement asked 10/03 09:00, completed 16/03 09:00; resolved
    17/03 10:00. Working time used: 1 day before the pause + 1 day and 1 hour after = 2 days 1 hour, within the
    3 days 6 hours allowed, so on time although resolved after the first appointment."""
    dossier = receive(world, at(2026, 3, 9, 9))
    services.dossier_hand_over(
        dossier=dossier,
        actor=world.staff["reception"],
        to_user=world.staff["specialist"],
        expected_version=dossier.version,
        at=at(2026, 3, 9, 9, 30),
    )
    dossier.refresh_from_db()
    services.dossier_request_supplement(
        dossier=dossier,
        actor=world.staff["specialist"],
        missing=["Bản sao giấy tờ"],
        reason="Thiếu giấy tờ",
        expected_version=dossier.version,
        at=at(2026, 3, 10, 9),
    )
    dossier.refresh_from_db()
    services.dossier_complete_supplement(
        dossier=dossier,
        actor=world.staff["reception"],
        expected_version=dossier.version,
        at=at(2026, 3, 16, 9),
    )
    dossier.refresh_from_db()
    services.dossier_hand_over(
        dossier=dossier,
        actor=world.staff["specialist"],
        to_user=world.staff["leader"],
        expected_version=dossier.version,
        at=at(2026, 3, 17, 9),
    )
    dossier.refresh_from_db()
    services.dossier_resolve(
        dossier=dossier,
        actor=world.staff["leader"],
        document_number="1/KQ",
        document_date=dt.date(2026, 3, 17),
        expected_version=dossier.version,
        at=at(2026, 3, 17, 10),
    )
    assert _points(_march(world.justice))["2.1"] == 20


def test_dossier_resolved_after_the_period_is_measured_at_its_end(world: World) -> None:
    """Received 09/03, resolved 02/04: open and overdue on 31/03, so late in March."""
    resolve(world, receive(world, at(2026, 3, 9, 9)), at(2026, 4, 2, 9))
    result = _march(world.justice)
    assert [value for _l, value in _by_code(result)["2.1"].inputs] == ["0", "1"]  # type: ignore[attr-defined]


def test_satisfaction_threshold_with_ratings(world: World) -> None:
    """10 dossiers returned on time in March; 1 rated not satisfied → 1 − 1/10 = 0.9 → 6 (full at 90%);
    a second one → 0.8 → 6 × 0.8 / 0.9 = 5.33."""
    returned = []
    for _ in range(10):
        dossier = resolve(world, receive(world, at(2026, 3, 9, 9)), at(2026, 3, 10, 15))
        returned.append(give_back(world, dossier, at(2026, 3, 11, 8)))
    rating_give(dossier=returned[0], level=RatingLevel.NOT_SATISFIED, at=at(2026, 3, 12, 9))
    rating_give(dossier=returned[1], level=RatingLevel.SATISFIED, at=at(2026, 3, 12, 9))
    assert _points(_march(world.justice))["6.3"] == D("6.00")
    rating_give(dossier=returned[2], level=RatingLevel.NOT_SATISFIED, at=at(2026, 3, 12, 9))
    assert _points(_march(world.justice))["6.3"] == D("5.33")


def _fee_version(code: str, amount: int, online_level: str) -> object:
    draft = make_draft(
        code,
        name=f"Thủ tục có phí {code}",
        fees=[{"kind": "charge", "case": "Lệ phí", "amount_vnd": amount}],
        online_level=online_level,
    )
    return catalog_services.procedure_version_publish(version=draft, valid_from=dt.date(2025, 7, 1))


def test_online_payment_and_online_service_by_hand(world: World) -> None:
    """Construction department, March 2026.

    P2 (50.000 đ, fully online): 4 dossiers, 2 paid online, 1 filed online. P3 (20.000 đ, partly online):
    2 dossiers, 1 paid at the counter (no online channel). `world.version` (0 đ): 1 dossier, not fee-bearing.
    A = 2/6, B = 1 of 2 procedures, C = (2/4 + 0/2) / 2 = 0.25:
    6/3 + min(2, 2.5 × 0.5) + 2.5 × 0.25 = 2 + 1.25 + 0.625 = 3.875 → 3.88.
    Online service (3.1): 1 filed online of 4 received of fully online procedures → 12 × 0.25 = 3.
    """
    p2, p3 = _fee_version("2.000002", 50_000, "full"), _fee_version("2.000003", 20_000, "partial")
    unit = {"competent_unit": world.construction}
    p2_dossiers = [receive(world, at(2026, 3, 9, 9), procedure_version=p2, **unit) for _ in range(3)]
    p2_dossiers.append(
        receive(world, at(2026, 3, 9, 9), procedure_version=p2, channel=Channel.ONLINE, **unit)
    )
    p3_dossiers = [receive(world, at(2026, 3, 9, 9), procedure_version=p3, **unit) for _ in range(2)]
    receive(world, at(2026, 3, 9, 9), **unit)
    for dossier in p2_dossiers[:2]:
        DossierFee.objects.filter(dossier=dossier).update(paid_at=at(2026, 3, 9, 10), payment_channel=2)
    DossierFee.objects.filter(dossier=p3_dossiers[0]).update(paid_at=at(2026, 3, 9, 10), receipt_number="BL1")

    result = _march(world.construction)
    points = _points(result)
    assert points["4.1"] == D("3.88")
    assert points["3.1"] == D("3.00")
    payment = _by_code(result)["4.1"]
    assert [value for _l, value in payment.inputs] == ["2 / 6", "1 / 2", "25,00%"]  # type: ignore[attr-defined]


def test_province_pools_the_units(world: World) -> None:
    """Justice: 1 on time of 1; construction: 1 late of 1 → the province: 1 of 2 → 20 × 0.5 = 10; each unit
    20 and 0. The ranking puts justice first."""
    resolve(world, receive(world, at(2026, 3, 9, 9)), at(2026, 3, 10, 15))
    late = receive(world, at(2026, 3, 9, 9), competent_unit=world.construction)
    resolve(world, late, at(2026, 3, 16, 10))
    results, province = index_compute_all(
        units=[world.construction, world.justice], start=MARCH[0], end=MARCH[1], now=AFTER_MARCH
    )
    assert [r.unit_name for r in results] == [world.justice.name, world.construction.name]
    assert [_points(r)["2.1"] for r in results] == [20, 0]
    assert _points(province)["2.1"] == 10
    assert _points(_march(None))["2.1"] == 10


def _paused(world: World, *, completed: dt.datetime | None) -> Dossier:
    """Received Mon 09/03 09:00 (due Thu 12/03 17:00: 28.5 working hours); a supplement asked during processing
    on 10/03 09:00, after 7.5 hours used, completed at `completed` (None: still waiting)."""
    dossier = receive(world, at(2026, 3, 9, 9))
    services.dossier_hand_over(
        dossier=dossier,
        actor=world.staff["reception"],
        to_user=world.staff["specialist"],
        expected_version=dossier.version,
        at=at(2026, 3, 9, 9, 30),
    )
    dossier.refresh_from_db()
    services.dossier_request_supplement(
        dossier=dossier,
        actor=world.staff["specialist"],
        missing=["Bản sao giấy tờ"],
        reason="Thiếu giấy tờ",
        expected_version=dossier.version,
        at=at(2026, 3, 10, 9),
    )
    dossier.refresh_from_db()
    if completed is not None:
        services.dossier_complete_supplement(
            dossier=dossier, actor=world.staff["reception"], expected_version=dossier.version, at=completed
        )
        dossier.refresh_from_db()
    return dossier


def _sign(world: World, dossier: Dossier, when: dt.datetime) -> Dossier:
    services.dossier_hand_over(
        dossier=dossier,
        actor=world.staff["specialist"],
        to_user=world.staff["leader"],
        expected_version=dossier.version,
        at=when - dt.timedelta(minutes=30),
    )
    dossier.refresh_from_db()
    services.dossier_resolve(
        dossier=dossier,
        actor=world.staff["leader"],
        document_number=f"{dossier.pk}/KQ",
        document_date=when.date(),
        expected_version=dossier.version,
        at=when,
    )
    dossier.refresh_from_db()
    return dossier


def _on_time_inputs(unit: Unit) -> list[str]:
    return [value for _l, value in _by_code(_march(unit))["2.1"].inputs]  # type: ignore[attr-defined]


def test_resolved_at_the_appointment_itself_is_on_time(world: World) -> None:
    """end of processing ≤ appointment (DOMAIN.md §3): 12/03 17:00 exactly is on time, 17:01 is late."""
    resolve(world, receive(world, at(2026, 3, 9, 9)), at(2026, 3, 12, 17))
    assert _on_time_inputs(world.justice) == ["1", "1"]
    resolve(world, receive(world, at(2026, 3, 9, 9)), at(2026, 3, 12, 17, 1))
    assert _on_time_inputs(world.justice) == ["1", "2"]


def test_the_pause_moves_the_deadline_by_its_working_time(world: World) -> None:
    """21 working hours were left at the request (28.5 − 7.5); they run again from the completion on Mon 16/03
    09:00: 6 h on 16/03, 7.5 h on 17/03, 7.5 h on 18/03, so the moved deadline is Wed 18/03 17:00 (the stats'
    pause clock). Signed then: on time; signed Thu 19/03 08:00: late."""
    _sign(world, _paused(world, completed=at(2026, 3, 16, 9)), at(2026, 3, 18, 17))
    assert _on_time_inputs(world.justice) == ["1", "1"]
    _sign(world, _paused(world, completed=at(2026, 3, 16, 9)), at(2026, 3, 19, 8))
    assert _on_time_inputs(world.justice) == ["1", "2"]


def test_a_pause_still_running_at_the_end_of_the_period_is_within_the_limit(world: World) -> None:
    """Asked 10/03, before the first appointment, and never completed: the time used stopped at the request,
    so on 31/03 the dossier is in progress within the limit (as the statistics count it)."""
    _paused(world, completed=None)
    assert _on_time_inputs(world.justice) == ["1", "1"]


def test_the_index_and_the_statistics_page_agree_on_time(world: World) -> None:
    """Resolved on time, at 17:30 on the due day, after a moved deadline, late, and open past the appointment:
    the index's on-time count equals the statistics' early + on time + pending within the limit (same rule)."""
    resolve(world, receive(world, at(2026, 3, 9, 9)), at(2026, 3, 10, 15))
    resolve(world, receive(world, at(2026, 3, 9, 9)), at(2026, 3, 12, 17, 30))
    resolve(world, receive(world, at(2026, 3, 9, 9)), at(2026, 3, 16, 10))
    _sign(world, _paused(world, completed=at(2026, 3, 16, 9)), at(2026, 3, 18, 11))
    receive(world, at(2026, 3, 9, 9))
    receive(world, at(2026, 3, 30, 9))
    rows = dossier_statistics(unit_ids=[world.justice.pk], start=MARCH[0], end=MARCH[1])
    total = next(row for row in rows if row.is_total)
    stats_on_time = total["resolved_early"] + total["resolved_on_time"] + total["pending_within"]
    stats_counted = stats_on_time + total["resolved_late"] + total["pending_overdue"]
    assert (stats_on_time, stats_counted) == (3, 6)
    assert _on_time_inputs(world.justice) == ["3", "6"]


def test_the_jit_setting_is_restored_after_the_index(world: World) -> None:
    """PostgreSQL: JIT is off only while the index is computed; the caller's transaction keeps its setting."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('jit', 'on', true)")
    resolve(world, receive(world, at(2026, 3, 9, 9)), at(2026, 3, 10, 15))
    assert _on_time_inputs(world.justice) == ["1", "1"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit')")
        assert cursor.fetchone() == ("on",)
