"""`cchc demo` loads dossiers in every state, made through the real services, with a clean history."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

import cchc
from cchc.dossiers.demo import demo_dossiers_create
from cchc.dossiers.history import history_verify
from cchc.dossiers.models import Dossier, State
from cchc.orgs.demo import demo_province_create

pytestmark = pytest.mark.django_db


def test_demo_dossiers_cover_every_state_and_verify() -> None:
    call_command(
        "import_procedures",
        str(Path(cchc.__file__).parent / "catalog" / "data" / "procedures.json"),
        publish=True,
        verbosity=0,
    )
    demo_province_create(province_code=91)
    report = demo_dossiers_create()
    assert report.created == Dossier.objects.count() == 11
    assert set(Dossier.objects.values_list("state", flat=True)) == set(State)
    assert history_verify() == []
    assert demo_dossiers_create().created == 0  # a second run adds nothing
