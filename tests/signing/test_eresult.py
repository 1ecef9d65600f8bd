"""The electronic result's document code (mã số giấy tờ), the unit's seal where the procedure requires it, and the
result queued for the citizen's store on the national portal (Decree 118/2025 Art. 22)."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cchc.catalog import services as catalog_services
from cchc.catalog.models import ProcedureVersion
from cchc.core.blobs import blob_read
from cchc.dossiers import services
from cchc.dossiers.models import DeliveryMethod, Dossier, DossierResult
from cchc.dossiers.services import PartyData
from cchc.nationalportal.client import HttpNationalPortal
from cchc.nationalportal.models import Message, MessageKind, MessageState
from cchc.nationalportal.services import messages_send_due
from cchc.signing import keystore
from cchc.signing.verify import verify_pdf
from tests.catalog.conftest import make_draft
from tests.dossiers.conftest import World, at
from tests.nationalportal.fake_portal import TOKEN, FakePortal
from tests.portal.factories import refreshed
from tests.signing.test_result import _resolve, _with_leader

pytestmark = pytest.mark.django_db


@pytest.fixture
def sealed(world: World) -> ProcedureVersion:
    draft = make_draft("1.000894", name="Đăng ký kết hôn", result_type_code="GCNKH", result_sealed=True)
    return catalog_services.procedure_version_publish(version=draft, valid_from=dt.date(2025, 7, 1))


@pytest.fixture
def portal() -> Iterator[FakePortal]:
    with FakePortal() as fake:
        yield fake


def _returned(world: World, dossier: Dossier) -> Dossier:
    dossier = refreshed(dossier)
    services.dossier_return(dossier=dossier, actor=world.staff["reception"], method=DeliveryMethod.ONLINE,
                            expected_version=dossier.version, at=at(2026, 3, 11, 8))  # fmt: skip
    return refreshed(dossier)


def test_each_electronic_result_gets_the_next_document_code_of_its_agency(
    world: World, local: Path, receipt: bytes
) -> None:
    first = _resolve(world, _with_leader(world), receipt)
    second = _resolve(world, _with_leader(world), receipt)
    paper = _resolve(world, _with_leader(world), None)
    codes = [DossierResult.objects.get(dossier=d).document_code for d in (first, second, paper)]
    # The world's procedure gives no type code: "KQ".
    assert codes == ["000.00.12.H99-2026-000001.KQ", "000.00.12.H99-2026-000002.KQ", ""]


def test_a_result_the_procedure_wants_sealed_carries_the_leader_and_the_unit(
    world: World, local: Path, receipt: bytes, sealed: ProcedureVersion, client: Client
) -> None:
    with_leader = _with_leader(world)
    # The same path with the sealed procedure: a fresh dossier of that version.
    dossier = services.dossier_receive(
        actor=world.staff["reception"], intake=world.intake(procedure_version=sealed, provided_component_ids=frozenset(
            sealed.components.values_list("pk", flat=True))), at=at(2026, 3, 9, 9))  # fmt: skip
    for giver, taker, moment in (("reception", "specialist", at(2026, 3, 9, 10)),
                                 ("specialist", "leader", at(2026, 3, 10, 9))):  # fmt: skip
        services.dossier_hand_over(dossier=dossier, actor=world.staff[giver], to_user=world.staff[taker],
                                   expected_version=dossier.version, at=moment)  # fmt: skip
        dossier = refreshed(dossier)
    _resolve(world, dossier, receipt)
    result = DossierResult.objects.get(dossier=dossier)
    assert result.document_code == "000.00.12.H99-2026-000001.GCNKH"
    checks = verify_pdf(blob_read(result.file.name, result.sha256), keystore.installation_trust())
    assert [c.valid for c in checks] == [True, True]
    leader = world.staff["leader"]
    assert [c.signer for c in checks] == [leader.get_full_name() or leader.get_username(), world.justice.name]
    # The leader's dossier of the unsealed procedure is signed once.
    _resolve(world, with_leader, receipt)
    unsealed = DossierResult.objects.get(dossier=with_leader)
    assert len(verify_pdf(blob_read(unsealed.file.name, unsealed.sha256), keystore.installation_trust())) == 1
    client.force_login(world.staff["reception"])
    page = client.get(reverse("staff-dossier", args=[dossier.code])).content.decode()
    assert "000.00.12.H99-2026-000001.GCNKH" in page


def test_the_returned_result_goes_to_the_citizens_store_after_its_status(
    world: World, local: Path, receipt: bytes, portal: FakePortal
) -> None:
    dossier = _returned(world, _resolve(world, _with_leader(world), receipt))
    kinds = [(m.kind, m.national_status) for m in Message.objects.filter(dossier=dossier).order_by("pk")]
    assert kinds[-2:] == [(MessageKind.STATUS, "returned"), (MessageKind.RESULT, "returned")]
    assert (
        messages_send_due(portal=HttpNationalPortal(portal.url, TOKEN), now=at(2026, 3, 11, 8, 1)).failed == 0
    )
    stored = portal.results[dossier.code]
    result = DossierResult.objects.get(dossier=dossier)
    assert stored["document_code"] == result.document_code
    assert stored["owner"]["id_number"] == "079203001234"
    assert base64.b64decode(stored["content_base64"]) == blob_read(result.file.name, result.sha256)
    assert "file" not in stored
    assert Message.objects.filter(dossier=dossier).exclude(state=MessageState.DELIVERED).count() == 0


def test_no_store_message_without_a_signed_file_or_an_owner_the_store_knows(
    world: World, local: Path, receipt: bytes
) -> None:
    paper = _returned(world, _resolve(world, _with_leader(world), None))
    assert not Message.objects.filter(dossier=paper, kind=MessageKind.RESULT).exists()
    dossier = services.dossier_receive(
        actor=world.staff["reception"],
        intake=world.intake(applicant=PartyData(full_name="Công ty TNHH Thử", kind="organisation")),
        at=at(2026, 3, 9, 9),
    )
    for giver, taker, moment in (("reception", "specialist", at(2026, 3, 9, 10)),
                                 ("specialist", "leader", at(2026, 3, 10, 9))):  # fmt: skip
        services.dossier_hand_over(dossier=dossier, actor=world.staff[giver], to_user=world.staff[taker],
                                   expected_version=dossier.version, at=moment)  # fmt: skip
        dossier = refreshed(dossier)
    company = _returned(world, _resolve(world, dossier, receipt))
    assert not Message.objects.filter(dossier=company, kind=MessageKind.RESULT).exists()


def test_an_altered_stored_result_is_refused_before_it_leaves(
    world: World, local: Path, receipt: bytes, portal: FakePortal, settings: Any
) -> None:
    dossier = _returned(world, _resolve(world, _with_leader(world), receipt))
    message = Message.objects.get(dossier=dossier, kind=MessageKind.RESULT)
    message.payload["sha256"] = "0" * 64
    message.save(update_fields=["payload"])
    messages_send_due(portal=HttpNationalPortal(portal.url, TOKEN), now=at(2026, 3, 11, 9))
    message.refresh_from_db()
    assert message.state == MessageState.FAILED and dossier.code not in portal.results


def test_the_document_code_follows_the_configured_pattern(
    world: World, local: Path, receipt: bytes, settings: Any
) -> None:
    settings.RESULT_CODE_PATTERN = "{type}.{agency}.{year}{seq:05d}"
    dossier = _resolve(world, _with_leader(world), receipt)
    assert DossierResult.objects.get(dossier=dossier).document_code == "KQ.000.00.12.H99.202600001"


def test_the_766_counts_the_electronic_results_taken_into_the_store_by_the_periods_end(
    world: World, local: Path, receipt: bytes, portal: FakePortal
) -> None:
    """Data store component: of the electronic results issued in March, those the store took by 31/03. A paper
    result is no electronic result; one returned (and so sent) only in April is issued but not linked in March."""
    from decimal import Decimal

    from cchc.serviceindex.inputs import measures_by_unit

    linked = _returned(world, _resolve(world, _with_leader(world), receipt))
    later = refreshed(_resolve(world, _with_leader(world), receipt))
    _resolve(world, _with_leader(world), None)
    messages_send_due(portal=HttpNationalPortal(portal.url, TOKEN), now=at(2026, 3, 11, 8, 5))
    services.dossier_return(dossier=later, actor=world.staff["reception"], method=DeliveryMethod.ONLINE,
                            expected_version=later.version, at=at(2026, 4, 2, 8))  # fmt: skip
    messages_send_due(portal=HttpNationalPortal(portal.url, TOKEN), now=at(2026, 4, 2, 8, 5))
    assert {linked.code, later.code} <= set(portal.results)

    def measure(end: dt.date) -> Any:
        return measures_by_unit(unit_ids=[world.justice.pk], start=dt.date(2026, 3, 1), end=end,
                                now=at(2026, 4, 30))[world.justice.pk]["data_store_linked"]  # fmt: skip

    march = measure(dt.date(2026, 3, 31))
    assert march.rate == Decimal(1) / Decimal(2)
    assert [value for _label, value in march.inputs] == ["1", "2"]
    assert measure(dt.date(2026, 4, 30)).rate == Decimal(1)  # by the end of April both are in the store
