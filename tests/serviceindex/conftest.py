"""Fixtures for the 766 index tests: the dossier tests' `world`, and dossiers driven through the real services.

Every figure in these tests is computed by hand in the test's docstring or comments. Default office hours are
07:30–11:30 and 13:30–17:00; a dossier received Monday 09/03/2026 09:00 with a 3-working-day limit is due
Thursday 12/03/2026 17:00.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from cchc.dossiers import services
from cchc.dossiers.models import DeliveryMethod, Dossier
from tests.dossiers import conftest as dossier_fixtures
from tests.dossiers.conftest import World, at

world = dossier_fixtures.world  # the fixture, used by name in the tests

MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
AFTER_MARCH = at(2026, 4, 15, 9)  # "now" when computing March


def fresh(dossier: Dossier) -> Dossier:
    dossier.refresh_from_db()
    return dossier


def receive(world: World, when: dt.datetime, **intake: Any) -> Dossier:
    return services.dossier_receive(actor=world.staff["reception"], intake=world.intake(**intake), at=when)


def _leaders(world: World, dossier: Dossier) -> tuple[Any, Any]:
    if dossier.competent_unit_id == world.construction.pk:
        return world.staff["other_specialist"], world.staff["other_leader"]
    return world.staff["specialist"], world.staff["leader"]


def resolve(world: World, dossier: Dossier, when: dt.datetime) -> Dossier:
    """Hand over to the specialist and to the leader, who signs the result at `when`."""
    specialist, leader = _leaders(world, dossier)
    assert dossier.received_at is not None
    services.dossier_hand_over(
        dossier=dossier,
        actor=world.staff["reception"],
        to_user=specialist,
        expected_version=dossier.version,
        at=dossier.received_at + dt.timedelta(minutes=30),
    )
    dossier = fresh(dossier)
    services.dossier_hand_over(
        dossier=dossier,
        actor=specialist,
        to_user=leader,
        expected_version=dossier.version,
        at=when - dt.timedelta(minutes=30),
    )
    dossier = fresh(dossier)
    services.dossier_resolve(
        dossier=dossier,
        actor=leader,
        document_number=f"{dossier.pk}/KQ",
        document_date=when.date(),
        expected_version=dossier.version,
        at=when,
    )
    return fresh(dossier)


def give_back(
    world: World, dossier: Dossier, when: dt.datetime, method: str = DeliveryMethod.COUNTER
) -> Dossier:
    services.dossier_return(
        dossier=dossier,
        actor=world.staff["reception"],
        method=method,
        address="Số 1 đường Thử" if method == DeliveryMethod.POST else "",
        expected_version=dossier.version,
        at=when,
    )
    return fresh(dossier)
