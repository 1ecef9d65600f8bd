"""Reads of citizen accounts shared with other apps (the portal pre-fills new dossiers from them)."""

from __future__ import annotations

import dataclasses
from typing import Any

from cchc.citizens.access import is_citizen
from cchc.citizens.models import CitizenProfile
from cchc.dossiers.services import PartyData


def citizen_profile_of(user: Any) -> CitizenProfile | None:
    """The signed-in citizen's profile, or None for anyone else (staff, anonymous, inactive)."""
    if not is_citizen(user):
        return None
    return CitizenProfile.objects.select_related("area").filter(user=user).first()


def applicant_prefill(user: Any) -> dict[str, Any]:
    """The applicant fields of a new dossier (cchc.dossiers.services.PartyData) from the citizen's profile.

    Keys are PartyData's own field names, so `PartyData(**applicant_prefill(user))` works for a citizen with
    a name; `area` (an AdministrativeUnit or None) is included once PartyData has that field. {} for anyone
    who is not a signed-in citizen.
    """
    profile = citizen_profile_of(user)
    if profile is None:
        return {}
    values: dict[str, Any] = {
        "full_name": profile.full_name,
        "id_number": profile.id_number,
        "birth_date": profile.birth_date,
        "phone": profile.phone,
        "email": profile.email,
        "address": profile.address,
        "area": profile.area,
    }
    accepted = {field.name for field in dataclasses.fields(PartyData)}
    return {name: value for name, value in values.items() if name in accepted}


def identity_verified_for(user: Any, id_number: str) -> bool:
    """Whether `user` is a citizen whose identity was verified through the identity provider (VNeID) and whose
    verified identification number is `id_number`: an applicant filing for themself, with data from the
    national population database (the 766 index's "dossiers using population data")."""
    number = "".join((id_number or "").split())
    if not number or not is_citizen(user):
        return False
    return CitizenProfile.objects.filter(user=user, identity_verified=True, id_number=number).exists()
