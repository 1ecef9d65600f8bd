"""The 766 index's readings from the statistics' stored days (cchc.stats.daily.index_counts): the same figures
whether the days are read from storage or counted from the dossiers, and the period-end rules of the readings
(a payment or an online delivery after the period does not count in it)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest

from cchc.catalog import services as catalog_services
from cchc.dossiers import services
from cchc.dossiers.models import DeliveryMethod, Dossier, DossierComponent, DossierFee
from cchc.stats import daily
from cchc.stats.models import LagCount
from tests.catalog.conftest import make_draft
from tests.dossiers.conftest import World, at
from tests.serviceindex.conftest import fresh, give_back, receive, resolve

pytestmark = pytest.mark.django_db

NOW = at(2026, 11, 24, 10)
PERIODS = [
    (dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
    (dt.date(2026, 4, 1), dt.date(2026, 4, 30)),
    (dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
    (dt.date(2026, 3, 10), dt.date(2026, 4, 14)),
    (dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
]


def _paid_version() -> Any:
    draft = make_draft(
        "2.000777",
        name="Thủ tục có lệ phí",
        fees=[{"kind": "charge", "case": "Lệ phí", "amount_vnd": 50_000}],
        online_level="full",
    )
    return catalog_services.procedure_version_publish(version=draft, valid_from=dt.date(2025, 7, 1))


def _pay(dossier: Dossier, when: dt.datetime) -> None:
    DossierFee.objects.filter(dossier=dossier).update(paid_at=when, payment_channel=2)


@pytest.fixture
def march(world: World) -> dict[str, Dossier]:
    paid = _paid_version()
    d: dict[str, Dossier] = {}
    d["early_return"] = resolve(world, receive(world, at(2026, 3, 9, 9)), at(2026, 3, 10, 15))
    give_back(world, d["early_return"], at(2026, 3, 11, 8), DeliveryMethod.ONLINE)
    # Resolved 31/03, delivered online 01/04: electronic in April's measure, not in March's.
    d["late_delivery"] = resolve(world, receive(world, at(2026, 3, 26, 9)), at(2026, 3, 31, 16))
    give_back(world, d["late_delivery"], at(2026, 4, 1, 8), DeliveryMethod.ONLINE)
    d["late"] = resolve(world, receive(world, at(2026, 3, 9, 9)), at(2026, 3, 16, 10))
    d["open"] = receive(world, at(2026, 3, 30, 9))
    d["refused"] = receive(world, at(2026, 3, 11, 9))
    services.dossier_refuse(
        dossier=d["refused"],
        actor=world.staff["leader"],
        reason="Không đủ điều kiện",
        expected_version=d["refused"].version,
        at=at(2026, 3, 12, 9),
    )
    d["withdrawn"] = receive(world, at(2026, 3, 9, 9))
    services.dossier_withdraw(
        dossier=d["withdrawn"],
        actor=world.staff["reception"],
        reason="Rút",
        expected_version=d["withdrawn"].version,
        at=at(2026, 3, 10, 9),
    )
    d["paused"] = receive(world, at(2026, 3, 16, 9))
    services.dossier_request_supplement(
        dossier=d["paused"],
        actor=world.staff["specialist"],
        missing=["Tờ khai"],
        reason="Thiếu",
        expected_version=d["paused"].version,
        at=at(2026, 3, 17, 9),
    )
    # Fee-bearing, fully online: paid online in March, in April (after March), and never.
    unit = {"procedure_version": paid, "competent_unit": world.construction}
    for name, paid_at in (
        ("paid_march", at(2026, 3, 20, 9)),
        ("paid_april", at(2026, 4, 2, 9)),
        ("unpaid", None),
    ):
        d[name] = receive(world, at(2026, 3, 19, 9), **unit)
        if paid_at:
            _pay(d[name], paid_at)
    DossierComponent.objects.filter(dossier=d["late"]).update(digitised=True)
    DossierComponent.objects.filter(dossier=d["early_return"]).update(reused=True)
    # A document sent during processing (after reception) does not change how the dossier was received.
    DossierComponent.objects.create(
        dossier=d["late"], name="Bản bổ sung", provided=True, added_at=at(2026, 3, 12, 9)
    )
    return {name: fresh(dossier) for name, dossier in d.items()}


def _index(world: World, start: dt.date, end: dt.date, **kwargs: Any) -> dict[Any, dict[str, int]]:
    units = [world.justice.pk, world.construction.pk]
    counts = daily.index_counts(start=start, end=end, unit_ids=units, now=NOW, **kwargs)
    return {key: {k: v for k, v in counter.items() if v} for key, counter in counts.items() if +counter}


@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_stored_days_give_the_figures_counted_from_the_dossiers(
    world: World, march: dict[str, Dossier], start: dt.date, end: dt.date
) -> None:
    stored = _index(world, start, end)
    assert _index(world, start, end) == stored  # read back
    assert (
        _index(world, start, end, open_day=dt.date(2025, 12, 31)) == stored
    )  # all counted from the dossiers
    assert LagCount.objects.exists()


def _units(counts: dict[Any, dict[str, int]]) -> dict[int, Counter[str]]:
    units: dict[int, Counter[str]] = {}
    for (unit, _procedure), figures in counts.items():
        units.setdefault(unit, Counter()).update(figures)
    return units


def test_march_readings_by_hand(world: World, march: dict[str, Dossier]) -> None:
    units = _units(_index(world, dt.date(2026, 3, 1), dt.date(2026, 3, 31)))
    justice, construction = units[world.justice.pk], units[world.construction.pk]
    assert justice["received"] == 7
    assert justice["resolved"] == 3  # early_return, late_delivery, late
    assert justice["e_result"] == 1  # early_return; late_delivery was delivered online on 01/04
    # Processing ended in March with a time limit: the three results and the refusal (withdrawn: not counted).
    # late_delivery was due Tue 31/03 17:00 (3 working days from Thu 26/03): on time; so are early_return and the
    # refusal (12/03, due 16/03); late is late.
    assert (justice["timed_done"], justice["timed_on_time"]) == (4, 3)
    # In progress on 01/04: open (due 02/04, within) and paused (asked 17/03 before its appointment: within).
    assert (justice["open_timed"], justice["open_within"]) == (2, 2)
    assert (justice["with_components"], justice["digitised"], justice["reused"]) == (7, 2, 1)
    assert (construction["received"], construction["fee_bearing"], construction["paid_online"]) == (3, 3, 1)
    assert (construction["full_online"], construction["full_online_filed"]) == (3, 0)
    april = _units(_index(world, dt.date(2026, 4, 1), dt.date(2026, 4, 30)))
    assert april[world.justice.pk]["e_result"] == 0  # its result was resolved in March: not April's base
    assert april.get(world.construction.pk, Counter())["paid_online"] == 0  # received in March
    quarter = _units(_index(world, dt.date(2026, 1, 1), dt.date(2026, 6, 30)))
    assert quarter[world.construction.pk]["paid_online"] == 2
    assert quarter[world.justice.pk]["e_result"] == 2
