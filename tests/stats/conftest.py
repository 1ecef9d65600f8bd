"""A small province for the statistics tests: dossiers in every state, figures counted by hand.

Quarter 2 of 2026 (01/04-30/06) by competent unit (hand count, see each dossier's comment):

| unit         | carried | online | in person | post | early | on time | late | refused | withdrawn | stopped | within | overdue | apologies |
| Sở Tư pháp   | 2       | 1      | 5         | 1    | 2     | 2       | 2    | 1       | 0         | 0       | 1      | 1       | 1         |
| Sở Xây dựng  | 0       | 1      | 3         | 0    | 0     | 0       | 0    | 0       | 1         | 1       | 2      | 0       | 0         |
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import pytest

from cchc.catalog import services as catalog_services
from cchc.catalog.models import ProcedureVersion
from cchc.dossiers.models import Apology, Channel, Dossier, State, SupplementRequest, SupplementStage
from cchc.stats.services import pause_clocks_refresh
from tests.catalog.conftest import make_draft, make_field
from tests.dossiers.conftest import World, at, world  # noqa: F401 - the fixture is used by name

_codes = itertools.count(1)

IN_PERSON, ONLINE, POST = Channel.IN_PERSON, Channel.ONLINE, Channel.POST


def make_dossier(
    w: World,
    *,
    unit: Any,
    received: dt.datetime | None,
    due: dt.datetime | None,
    state: str = State.PROCESSING,
    channel: int = IN_PERSON,
    resolved: dt.datetime | None = None,
    ended: dt.datetime | None = None,
    version: ProcedureVersion | None = None,
) -> Dossier:
    number = next(_codes)
    return Dossier.objects.create(
        code=f"000.00.12.H99-260101-{number:04d}",
        lookup_key=f"K{number:06d}",
        procedure_version=version or w.version,
        receiving_unit=w.centre,
        competent_unit=unit,
        current_unit=unit,
        channel=channel,
        state=state,
        received_at=received,
        original_appointment_at=due,
        appointment_at=due,
        resolved_at=resolved,
        returned_at=resolved + dt.timedelta(hours=1) if resolved and state == State.RETURNED else None,
        ended_at=ended,
    )


def pause(w: World, dossier: Dossier, requested: dt.datetime, completed: dt.datetime | None) -> None:
    SupplementRequest.objects.create(
        dossier=dossier,
        stage=SupplementStage.PROCESSING,
        requested_at=requested,
        requested_by=w.staff["specialist"],
        missing=["Tờ khai"],
        reason="Thiếu tờ khai",
        completed_at=completed,
    )
    pause_clocks_refresh([dossier.pk])  # rows written without the lifecycle's events


def apologise(w: World, dossier: Dossier, issued: dt.datetime) -> None:
    assert dossier.appointment_at is not None
    Apology.objects.create(
        dossier=dossier,
        issued_at=issued,
        issued_by=w.staff["leader"],
        reason="Chậm",
        previous_appointment_at=dossier.appointment_at,
        new_appointment_at=dossier.appointment_at + dt.timedelta(days=7),
    )


@dataclass
class Province:
    world: World
    building: ProcedureVersion
    dossiers: dict[str, Dossier]


@pytest.fixture
def province(world: World) -> Province:  # noqa: F811
    w = world
    building = catalog_services.procedure_version_publish(
        version=make_draft(
            "1.009999", name="Thủ tục cấp giấy phép xây dựng", field=make_field("Xây dựng", "xay-dung")
        ),
        valid_from=dt.date(2025, 7, 1),
    )
    j, c = w.justice, w.construction
    d: dict[str, Dossier] = {}
    # Out before the quarter: counted nowhere in Q2 (new and early in March).
    d["A"] = make_dossier(
        w,
        unit=j,
        received=at(2026, 3, 20, 9),
        due=at(2026, 3, 25, 17),
        state=State.RETURNED,
        resolved=at(2026, 3, 24, 10),
    )
    # Carried over, still processing on 01/07, first appointment 03/04 passed: overdue. Apology in March.
    d["B"] = make_dossier(w, unit=j, received=at(2026, 3, 25, 9), due=at(2026, 4, 3, 17))
    apologise(w, d["B"], at(2026, 3, 30, 9))
    # Carried over, resolved 02/04 before the appointment day 06/04: early.
    d["C"] = make_dossier(
        w,
        unit=j,
        received=at(2026, 3, 30, 9),
        due=at(2026, 4, 6, 17),
        state=State.RESOLVED,
        resolved=at(2026, 4, 2, 10),
    )
    # New in person, resolved on the appointment day before its hour: on time.
    d["D"] = make_dossier(
        w,
        unit=j,
        received=at(2026, 4, 1, 8),
        due=at(2026, 4, 6, 17),
        state=State.RETURNED,
        resolved=at(2026, 4, 6, 15),
    )
    # New online, resolved the morning after the appointment: late, although an apology moved the date.
    d["E"] = make_dossier(
        w,
        unit=j,
        received=at(2026, 4, 10, 9),
        due=at(2026, 4, 15, 17),
        channel=ONLINE,
        state=State.RETURNED,
        resolved=at(2026, 4, 16, 9),
    )
    apologise(w, d["E"], at(2026, 4, 13, 10))
    # New by post, refused after review.
    d["F"] = make_dossier(
        w,
        unit=j,
        received=at(2026, 5, 4, 9),
        due=at(2026, 5, 7, 17),
        channel=POST,
        state=State.REFUSED,
        ended=at(2026, 5, 5, 10),
    )
    # Construction: new online withdrawn; new in person stopped.
    d["G"] = make_dossier(
        w,
        unit=c,
        received=at(2026, 5, 11, 9),
        due=at(2026, 5, 14, 17),
        channel=ONLINE,
        state=State.WITHDRAWN,
        ended=at(2026, 5, 12, 9),
        version=building,
    )
    d["H"] = make_dossier(
        w,
        unit=c,
        received=at(2026, 6, 1, 9),
        due=at(2026, 6, 4, 17),
        state=State.STOPPED,
        ended=at(2026, 6, 3, 9),
        version=building,
    )
    # Construction, a civil-status procedure (field Hộ tịch): pending, appointment after the quarter: within.
    d["I"] = make_dossier(w, unit=c, received=at(2026, 6, 25, 9), due=at(2026, 7, 2, 17))
    # Construction: resolved only after the quarter: pending within at its end.
    d["J"] = make_dossier(
        w,
        unit=c,
        received=at(2026, 6, 29, 9),
        due=at(2026, 7, 3, 17),
        state=State.RESOLVED,
        resolved=at(2026, 7, 2, 9),
        version=building,
    )
    # Received after the quarter: counted nowhere.
    d["K"] = make_dossier(w, unit=c, received=at(2026, 7, 1, 8), due=at(2026, 7, 6, 17), version=building)
    # Waiting for a supplement asked before its appointment (15/06): the clock stopped, within the limit.
    d["L"] = make_dossier(
        w, unit=j, received=at(2026, 6, 10, 9), due=at(2026, 6, 15, 17), state=State.PROCESSING_SUPPLEMENT
    )
    pause(w, d["L"], at(2026, 6, 11, 10), None)
    # Received Mon 18/05 08:00, 3 working days: appointment Thu 21/05 17:00 (29.5 working hours). Supplement
    # asked Tue 19/05 08:00 (7.5 h used, 22 h left), completed Mon 25/05 08:00: the left 22 h run to
    # Wed 27/05 17:00 (7 + 7.5 + 7.5). M resolved 26/05: early; O 27/05 16:00: on time; N 29/05: late.
    for name, resolved in (
        ("M", at(2026, 5, 26, 10)),
        ("N", at(2026, 5, 29, 10)),
        ("O", at(2026, 5, 27, 16)),
    ):
        d[name] = make_dossier(
            w,
            unit=j,
            received=at(2026, 5, 18, 8),
            due=at(2026, 5, 21, 17),
            state=State.RESOLVED,
            resolved=resolved,
        )
        pause(w, d[name], at(2026, 5, 19, 8), at(2026, 5, 25, 8))
    # Never received: an online submission waiting, and a refusal at reception. Counted nowhere.
    d["P"] = make_dossier(w, unit=j, received=None, due=None, state=State.SUBMITTED, channel=ONLINE)
    d["Q"] = make_dossier(w, unit=j, received=None, due=None, state=State.REFUSED, ended=at(2026, 5, 6, 9))
    return Province(w, building, d)


# The hand counts of the module docstring, and the dossiers behind each figure.
Q2_JUSTICE = {
    "carried_over": 2, "new_online": 1, "new_in_person": 5, "new_post": 1,
    "resolved_early": 2, "resolved_on_time": 2, "resolved_late": 2,
    "refused": 1, "withdrawn": 0, "stopped": 0, "pending_within": 1, "pending_overdue": 1, "apologies": 1,
}  # fmt: skip
Q2_CONSTRUCTION = {
    "carried_over": 0, "new_online": 1, "new_in_person": 3, "new_post": 0,
    "resolved_early": 0, "resolved_on_time": 0, "resolved_late": 0,
    "refused": 0, "withdrawn": 1, "stopped": 1, "pending_within": 2, "pending_overdue": 0, "apologies": 0,
}  # fmt: skip
Q2_BEHIND = {
    "carried_over": "BC", "new_online": "EG", "new_in_person": "DLMNOHIJ", "new_post": "F",
    "resolved_early": "CM", "resolved_on_time": "DO", "resolved_late": "EN",
    "refused": "F", "withdrawn": "G", "stopped": "H", "pending_within": "LIJ", "pending_overdue": "B",
    "apologies": "E",
}  # fmt: skip
