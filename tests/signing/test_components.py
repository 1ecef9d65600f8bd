"""A citizen's uploaded file that carries digital signatures (a certified electronic copy, say) shows them on
the staff dossier page, each checked when the page is shown; a file without a signature shows none."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from cchc.catalog import services as catalog_services
from cchc.dossiers.models import DeliveryMethod, Dossier
from cchc.signing import keystore
from cchc.submissions import services as submissions
from tests.catalog.conftest import make_draft
from tests.dossiers.conftest import World, at
from tests.signing.test_signatures import SIGN

pytestmark = pytest.mark.django_db


def _submitted(world: World, files: list[bytes]) -> Dossier:
    version = catalog_services.procedure_version_publish(version=make_draft(
        code="9.990002", name="Cấp bản sao trích lục", online_level="full", level_province=True,
        level_commune=False, agency="Sở Tư pháp",
        components=[{"name": f"Giấy tờ {i}", "kind": "original", "quantity": 1} for i in range(len(files))],
    ), valid_from=dt.date(2025, 7, 1))  # fmt: skip
    citizen = get_user_model().objects.create_user("congdan.ky", password="mat-khau-dai-2026")
    draft = submissions.draft_create(owner=citizen, version=version, prefill={})
    submissions.draft_save_applicant(draft=draft, competent_unit=world.justice,
                                     applicant={"full_name": "Trần Văn Ký", "phone": "0987654321"})  # fmt: skip
    for component, data in zip(version.components.order_by("order"), files, strict=True):
        submissions.draft_attach(
            draft=draft, component=component, upload=io.BytesIO(data), filename="giay-to.pdf"
        )
    submissions.draft_save_return(draft=draft, method=DeliveryMethod.ONLINE, address="")
    return submissions.draft_submit(draft=draft, at=at(2026, 3, 10, 9))


def test_a_signed_upload_shows_its_signature_and_an_unsigned_one_none(
    world: World, local: Path, receipt: bytes
) -> None:
    signer, _certificate = keystore.local_credential(
        key="unit-ubnd-xa", common_name="UBND xã Mỹ Hòa", organisation="UBND xã Mỹ Hòa"
    )
    dossier = _submitted(world, [signer.sign(receipt, SIGN), receipt])
    client = Client()
    client.force_login(world.staff["reception"])
    page = client.get(reverse("staff-dossier", args=[dossier.code])).content.decode()
    assert page.count('class="signature"') == 1
    assert "Chữ ký số hợp lệ – ký bởi UBND xã Mỹ Hòa (UBND xã Mỹ Hòa)" in page
