"""The journey a new user tries in `make demo` works on the demo data: the online procedure suggested by
`cchc demo` (2.001583, Sở Tài chính) routes to demo staff who can receive, resolve and return it."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

import cchc
from cchc.catalog.selectors import procedure_version_for_code
from cchc.citizens.models import CitizenProfile
from cchc.dossiers import services as dossier_services
from cchc.dossiers.models import DeliveryMethod, State
from cchc.orgs.demo import demo_province_create
from cchc.orgs.models import UnitKind
from cchc.submissions import services
from cchc.submissions.routing import competent_units, receiving_unit_for

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def test_the_demo_online_procedure_goes_through_demo_staff() -> None:
    call_command(
        "import_procedures",
        str(Path(cchc.__file__).parent / "catalog" / "data" / "procedures.json"),
        publish=True,
        verbosity=0,
    )
    demo_province_create(province_code=91)
    version = procedure_version_for_code(code="2.001583")
    assert version is not None and services.online_allowed(version)
    units = competent_units(version)
    assert [u.name for u in units] == ["Sở Tài chính tỉnh An Giang"]
    centre = receiving_unit_for(units[0])
    assert centre.kind == UnitKind.PROVINCE_CENTRE

    staff = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=["tiepnhan.tinh", "lanhdao.taichinh"])
    }
    citizen = get_user_model().objects.create_user("congdan.demo")
    CitizenProfile.objects.create(user=citizen, full_name="Nguyễn Văn Demo", phone="0911222333")
    draft = services.draft_create(owner=citizen, version=version, prefill={"full_name": "Nguyễn Văn Demo"})
    services.draft_save_applicant(
        draft=draft,
        applicant={"full_name": "Nguyễn Văn Demo", "id_number": "089203001234", "phone": "0911222333"},
        competent_unit=units[0],
    )
    services.draft_attach(
        draft=draft,
        component=version.components.all()[0],
        upload=io.BytesIO(PDF),
        filename="giay-de-nghi.pdf",
    )
    services.draft_save_return(draft=draft, method=DeliveryMethod.ONLINE, address="")
    dossier = services.draft_submit(draft=draft)
    assert dossier.receiving_unit == centre and dossier.fees.filter(amount_vnd__gt=0).exists()

    dossier = dossier_services.dossier_receive(
        actor=staff["tiepnhan.tinh"], dossier=dossier, expected_version=dossier.version
    )
    dossier = dossier_services.dossier_resolve(
        dossier=dossier,
        actor=staff["lanhdao.taichinh"],
        document_number="123/GCN",
        document_date=timezone.localdate(),
        expected_version=dossier.version,
    )
    delivery = dossier_services.dossier_return(
        dossier=dossier,
        actor=staff["tiepnhan.tinh"],
        method=DeliveryMethod.ONLINE,
        expected_version=dossier.version,
    )
    assert delivery.dossier.state == State.RETURNED
