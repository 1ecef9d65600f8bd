"""`cchc demo` loads dossiers in every state, made through the real services, with a clean history."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

import cchc
from cchc.core.blobs import blob_read
from cchc.dossiers.demo import demo_dossiers_create
from cchc.dossiers.history import history_verify
from cchc.dossiers.models import Dossier, DossierResult, State
from cchc.nationalportal.models import Message, MessageKind
from cchc.orgs.demo import demo_province_create
from cchc.signing.keystore import installation_trust
from cchc.signing.verify import verify_pdf

pytestmark = pytest.mark.django_db


def _demo_province() -> None:
    call_command(
        "import_procedures",
        str(Path(cchc.__file__).parent / "catalog" / "data" / "procedures.json"),
        publish=True,
        verbosity=0,
    )
    demo_province_create(province_code=91)


def test_demo_dossiers_cover_every_state_and_verify() -> None:
    _demo_province()
    report = demo_dossiers_create()
    assert report.created == Dossier.objects.count() == 11
    assert set(Dossier.objects.values_list("state", flat=True)) == set(State)
    assert history_verify() == []
    assert demo_dossiers_create().created == 0  # a second run adds nothing


def test_with_the_local_signing_authority_the_returned_dossier_has_a_signed_result(
    settings: Any, tmp_path: Path
) -> None:
    settings.CCHC_SIGNING_LOCAL_CA, settings.CCHC_SIGNING_DIR = True, tmp_path
    _demo_province()
    demo_dossiers_create()
    (result,) = DossierResult.objects.exclude(sha256="")
    assert result.dossier.state == State.RETURNED
    (check,) = verify_pdf(blob_read(result.file.name, result.sha256), installation_trust())
    assert check.valid and check.signer == result.signed_by.get_full_name()
    agency = result.dossier.competent_unit.identifier
    assert result.document_code == f"{agency}-{result.document_date.year}-000001.KQ"
    # The sync outbox holds every dossier's status messages, and the returned result for the citizen's store.
    assert set(Message.objects.values_list("dossier_id", flat=True)) == set(
        Dossier.objects.values_list("pk", flat=True)
    )
    assert Message.objects.filter(dossier=result.dossier, kind=MessageKind.RESULT).exists()
