"""The receipt as issued (Mẫu 01): queued with the intake, archived by a worker, printed from the archive."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import Client
from django_tasks_db.models import DBTaskResult

from cchc.dossiers import services
from cchc.dossiers.lifecycle import ActionForbidden
from cchc.dossiers.models import Dossier
from cchc.dossiers.receipts import receipt_archive, receipt_archived, receipt_path
from tests.dossiers.conftest import World, at
from tests.dossiers.test_forms import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: object, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]


def _queued_receipts() -> list[DBTaskResult]:
    return [row for row in DBTaskResult.objects.all() if row.task_path.endswith("receipt_archive")]


def test_counter_intake_queues_the_receipt_in_its_transaction(world: World) -> None:
    dossier = services.dossier_receive(
        actor=world.staff["reception"], intake=world.intake(), at=at(2026, 3, 9, 9)
    )
    queued = _queued_receipts()
    assert len(queued) == 1
    assert queued[0].args_kwargs["kwargs"] == {"dossier_id": dossier.pk}


def test_a_rolled_back_intake_leaves_no_queued_receipt(world: World) -> None:
    with pytest.raises(ActionForbidden):
        services.dossier_receive(actor=world.staff["specialist"], intake=world.intake(), at=at(2026, 3, 9, 9))

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        services.dossier_receive(actor=world.staff["reception"], intake=world.intake(), at=at(2026, 3, 9, 9))
        assert len(_queued_receipts()) == 1
        raise Abort
    assert _queued_receipts() == []
    assert not Dossier.objects.exists()


def test_the_archived_receipt_keeps_the_first_appointment_after_an_apology(world: World) -> None:
    dossier = services.dossier_receive(
        actor=world.staff["reception"], intake=world.intake(), at=at(2026, 3, 9, 9)
    )
    assert receipt_archived(dossier) is None
    result = receipt_archive.call(dossier_id=dossier.pk)
    assert result["path"] == receipt_path(dossier)
    assert receipt_archive.call(dossier_id=dossier.pk) == {"path": receipt_path(dossier), "already": True}
    services.dossier_apologise(
        dossier=dossier,
        actor=world.staff["leader"],
        reason="Chờ xác minh",
        new_appointment_at=at(2026, 3, 17, 17),
        expected_version=Dossier.objects.get(pk=dossier.pk).version,
        at=at(2026, 3, 11, 9),
    )
    client = Client()
    client.force_login(world.staff["reception"])
    response = client.get(f"/can-bo/ho-so/{dossier.code}/mau/01.pdf")
    assert response.status_code == 200
    text = text_of(response.content)
    assert dossier.code in text
    assert "12/03/2026" in text  # the appointment written on the receipt the applicant was given
    assert "17/03/2026" not in text


def test_a_tampered_archive_is_not_served(world: World) -> None:
    dossier = services.dossier_receive(
        actor=world.staff["reception"], intake=world.intake(), at=at(2026, 3, 9, 9)
    )
    receipt_archive.call(dossier_id=dossier.pk)
    path = Path(default_storage.path(receipt_path(dossier)))
    path.write_bytes(path.read_bytes() + b"%tampered")
    assert receipt_archived(dossier) is None
    # The worker replaces a copy that no longer matches its digest.
    receipt_archive.call(dossier_id=dossier.pk)
    assert receipt_archived(dossier) is not None
