"""Pre-filling a new dossier's applicant from the citizen's profile (cchc.citizens.selectors)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from cchc.citizens.selectors import applicant_prefill, citizen_profile_of
from cchc.dossiers.services import PartyData
from cchc.orgs.models import AdministrativeUnit, Generation, Level
from tests.citizens.conftest import make_citizen

pytestmark = pytest.mark.django_db


def test_prefill_gives_the_party_fields_of_the_profile() -> None:
    ward = AdministrativeUnit.objects.create(
        generation=Generation.CURRENT, level=Level.COMMUNE, code=99101, name="Phường Một",
        codename="phuong_mot", division_type="phường", province_code=991,
    )  # fmt: skip
    user = make_citizen(
        phone="0912345678",
        full_name="Nguyễn Văn An",
        id_number="079090001234",
        birth_date=dt.date(1990, 9, 5),
        email="an@example.vn",
        address="12 Lê Lợi",
        area=ward,
    )
    prefill = applicant_prefill(user)
    expected = {
        "full_name": "Nguyễn Văn An",
        "id_number": "079090001234",
        "birth_date": dt.date(1990, 9, 5),
        "phone": "0912345678",
        "email": "an@example.vn",
        "address": "12 Lê Lợi",
        "area": ward,
    }
    party_fields = {field.name for field in dataclasses.fields(PartyData)}
    assert prefill == {name: value for name, value in expected.items() if name in party_fields}
    party = PartyData(**prefill)
    assert (party.full_name, party.id_number, party.phone) == ("Nguyễn Văn An", "079090001234", "0912345678")


def test_prefill_is_empty_for_anyone_but_a_citizen() -> None:
    staff = get_user_model().objects.create_user("canbo", password="mat-khau-dai-2026")
    assert applicant_prefill(AnonymousUser()) == {}
    assert applicant_prefill(staff) == {}
    promoted = make_citizen()
    promoted.is_staff = True
    assert applicant_prefill(promoted) == {}
    assert citizen_profile_of(promoted) is None
