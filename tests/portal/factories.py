"""Factories for the portal tests: dossiers driven through the real dossier services to the state a test needs.

`world` (tests/dossiers/conftest.py) gives the units, the staff and a published procedure; every dossier here is
received on Monday 09/03/2026 09:00 (appointment Thursday 12/03 17:00). The applicant is "Nguyễn Văn An",
CCCD 079203001234, phone 0912345678.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from cchc.dossiers import services
from cchc.dossiers.models import DeliveryMethod, Dossier
from tests.dossiers.conftest import World, at

APPLICANT_NAME = "Nguyễn Văn An"
APPLICANT_MASKED = "Nguyễn V** A*"
APPLICANT_ID = "079203001234"
APPLICANT_PHONE = "0912345678"

# Words staff write that must never reach the public page.
INTERNAL = {
    "hand_over_note": "GHICHU-BANGIAO-NOIBO",
    "supplement_reason": "LYDO-BOSUNG-NOIBO",
    "apology_reason": "LYDO-XINLOI-NOIBO",
    "result_summary": "TRICHYEU-KETQUA-NOIBO",
    "return_address": "SO-NHA-RIENG-123",
    "return_proof": "CHUNGTU-BUUCHINH-NOIBO",
}
MISSING_ITEM = "Bản sao Giấy chứng sinh"


def refreshed(dossier: Dossier) -> Dossier:
    dossier.refresh_from_db()
    return dossier


def received(world: World, **intake: Any) -> Dossier:
    return services.dossier_receive(
        actor=world.staff["reception"], intake=world.intake(**intake), at=at(2026, 3, 9, 9)
    )


def resolved(world: World, **intake: Any) -> Dossier:
    staff = world.staff
    dossier = received(world, **intake)
    services.dossier_hand_over(
        dossier=dossier,
        actor=staff["reception"],
        to_user=staff["specialist"],
        note=INTERNAL["hand_over_note"],
        expected_version=dossier.version,
        at=at(2026, 3, 9, 10),
    )
    dossier = refreshed(dossier)
    services.dossier_hand_over(
        dossier=dossier,
        actor=staff["specialist"],
        to_user=staff["leader"],
        expected_version=dossier.version,
        at=at(2026, 3, 10, 9),
    )
    dossier = refreshed(dossier)
    services.dossier_resolve(
        dossier=dossier,
        actor=staff["leader"],
        document_number="15/GKS",
        document_date=dt.date(2026, 3, 10),
        summary=INTERNAL["result_summary"],
        expected_version=dossier.version,
        at=at(2026, 3, 10, 15),
    )
    return refreshed(dossier)


def returned(world: World, **intake: Any) -> Dossier:
    dossier = resolved(world, **intake)
    services.dossier_return(
        dossier=dossier,
        actor=world.staff["reception"],
        method=DeliveryMethod.COUNTER,
        expected_version=dossier.version,
        at=at(2026, 3, 11, 8),
    )
    return refreshed(dossier)


def returned_with_internal_notes(world: World) -> Dossier:
    """A dossier that went through every step that writes internal matter: a hand-over note, a supplement with a
    reason, an assignment, an apology with a reason, a result summary, and a return by post with an address."""
    staff = world.staff
    dossier = received(world)
    services.dossier_hand_over(
        dossier=dossier,
        actor=staff["reception"],
        to_user=staff["specialist"],
        note=INTERNAL["hand_over_note"],
        expected_version=dossier.version,
        at=at(2026, 3, 9, 10),
    )
    dossier = refreshed(dossier)
    services.dossier_request_supplement(
        dossier=dossier,
        actor=staff["specialist"],
        missing=[MISSING_ITEM],
        reason=INTERNAL["supplement_reason"],
        expected_version=dossier.version,
        at=at(2026, 3, 10, 9),
    )
    dossier = refreshed(dossier)
    services.dossier_complete_supplement(
        dossier=dossier, actor=staff["reception"], expected_version=dossier.version, at=at(2026, 3, 16, 9)
    )
    dossier = refreshed(dossier)  # new appointment: Thu 19/03 17:00
    services.dossier_assign(
        dossier=dossier,
        actor=staff["leader"],
        assignee=staff["specialist"],
        expected_version=dossier.version,
        at=at(2026, 3, 16, 10),
    )
    dossier = refreshed(dossier)
    services.dossier_apologise(
        dossier=dossier,
        actor=staff["leader"],
        reason=INTERNAL["apology_reason"],
        new_appointment_at=at(2026, 3, 24, 17),
        expected_version=dossier.version,
        at=at(2026, 3, 17, 9),
    )
    dossier = refreshed(dossier)
    services.dossier_hand_over(
        dossier=dossier,
        actor=staff["specialist"],
        to_user=staff["leader"],
        note=INTERNAL["hand_over_note"],
        expected_version=dossier.version,
        at=at(2026, 3, 18, 9),
    )
    dossier = refreshed(dossier)
    services.dossier_resolve(
        dossier=dossier,
        actor=staff["leader"],
        document_number="27/GKS",
        document_date=dt.date(2026, 3, 20),
        summary=INTERNAL["result_summary"],
        expected_version=dossier.version,
        at=at(2026, 3, 20, 10),
    )
    dossier = refreshed(dossier)
    services.dossier_return(
        dossier=dossier,
        actor=staff["reception"],
        method=DeliveryMethod.POST,
        address=INTERNAL["return_address"],
        proof=INTERNAL["return_proof"],
        expected_version=dossier.version,
        at=at(2026, 3, 23, 8),
    )
    return refreshed(dossier)


def citizen_user(username: str = "congdan.an") -> Any:
    """A citizen's portal account: a user with a citizen profile and no staff membership."""
    from cchc.citizens.models import CitizenProfile

    user = get_user_model().objects.create_user(username, password="mat-khau-dai-2026")
    CitizenProfile.objects.create(user=user, full_name=f"Công dân {username}")
    return user
