"""Returning a result by public post (cchc.postal) against a local postal service (tests/postal/fake_postal.py):
the return by post opens the shipment in its own transaction, `postal_sync` sends it (retrying with a growing
wait, never twice), tracks it, and records the delivery with its proof, or the return to sender."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from cchc.dossiers import services
from cchc.dossiers.models import DeliveryMethod, Dossier
from cchc.postal.client import HttpPostalService
from cchc.postal.models import Shipment, ShipmentState
from cchc.postal.services import shipments_send_due, shipments_track
from tests.dossiers.conftest import World, at
from tests.portal.factories import refreshed, resolved
from tests.postal.fake_postal import TOKEN, FakePostal, Parcel

pytestmark = pytest.mark.django_db

NOW = at(2026, 3, 11, 9)


@pytest.fixture
def postal(settings: Any) -> Iterator[FakePostal]:
    with FakePostal() as fake:
        settings.CCHC_POSTAL_URL, settings.CCHC_POSTAL_API_KEY = fake.url, TOKEN
        yield fake


def _returned(world: World, method: str = DeliveryMethod.POST) -> Dossier:
    dossier = resolved(world)
    services.dossier_return(dossier=dossier, actor=world.staff["reception"], method=method,
                            address="Số 5 đường Trần Hưng Đạo, phường Long Xuyên, An Giang" if method == "post" else "",
                            expected_version=dossier.version, at=at(2026, 3, 11, 8))  # fmt: skip
    return refreshed(dossier)


def test_a_return_by_post_opens_a_shipment_and_others_do_not(world: World) -> None:
    dossier = _returned(world)
    shipment = Shipment.objects.get(dossier=dossier)
    assert (shipment.state, shipment.address, shipment.tracking_number) == (
        ShipmentState.PENDING,
        "Số 5 đường Trần Hưng Đạo, phường Long Xuyên, An Giang",
        "",
    )
    assert shipment.receiver_name == dossier.parties.get(role="applicant").full_name
    assert not Shipment.objects.filter(dossier=_returned(world, DeliveryMethod.COUNTER)).exists()


def test_the_shipment_is_sent_tracked_and_delivered_with_its_proof(world: World, postal: FakePostal) -> None:
    dossier = _returned(world)
    service = HttpPostalService(postal.url, TOKEN)
    assert shipments_send_due(service=service, now=NOW).sent == 1
    shipment = Shipment.objects.get(dossier=dossier)
    assert (shipment.state, shipment.sent_at, shipment.attempts) == (ShipmentState.SENT, NOW, 1)
    order = postal.parcels[shipment.tracking_number].order
    assert order["reference"] == dossier.code and order["sender"]["name"] == world.justice.name
    assert shipments_track(service=service, now=NOW).delivered == 0  # still on its way
    postal.deliver(shipment.tracking_number, at="2026-03-12T10:15:00+07:00", receiver="Nguyễn Văn An",
                   proof="Ký nhận BĐ-0042")  # fmt: skip
    assert shipments_track(service=service, now=NOW + dt.timedelta(days=1)).delivered == 1
    shipment.refresh_from_db()
    assert shipment.state == ShipmentState.DELIVERED
    assert shipment.delivered_at == at(2026, 3, 12, 10, 15)
    assert shipment.proof == "Nguyễn Văn An – Ký nhận BĐ-0042"
    assert shipments_track(service=service, now=NOW + dt.timedelta(days=2)).delivered == 0  # never twice


def test_a_failing_service_is_retried_later_and_never_makes_two_parcels(
    world: World, postal: FakePostal
) -> None:
    dossier = _returned(world)
    service = HttpPostalService(postal.url, TOKEN)
    postal.fail_next(2)
    assert shipments_send_due(service=service, now=NOW).failed == 1
    shipment = Shipment.objects.get(dossier=dossier)
    assert (shipment.state, shipment.attempts, shipment.next_try_at) == (
        ShipmentState.PENDING,
        1,
        NOW + dt.timedelta(minutes=1),
    )
    assert shipment.last_error.startswith("HTTP 500")
    assert shipments_send_due(service=service, now=NOW + dt.timedelta(seconds=30)).failed == 0  # not due yet
    assert shipments_send_due(service=service, now=NOW + dt.timedelta(minutes=1)).failed == 1
    shipment.refresh_from_db()
    assert shipment.next_try_at == NOW + dt.timedelta(minutes=1) + dt.timedelta(minutes=2)  # waits longer
    assert shipments_send_due(service=service, now=NOW + dt.timedelta(minutes=3)).sent == 1
    shipment.refresh_from_db()
    assert (shipment.state, shipment.last_error, len(postal.parcels)) == (ShipmentState.SENT, "", 1)


def test_an_answer_lost_after_the_order_makes_no_second_parcel(world: World, postal: FakePostal) -> None:
    """The order carries an Idempotency-Key: the service answers a retry with the parcel it already made."""
    _returned(world)
    shipment = Shipment.objects.get()
    key = f"cchc-shipment-{shipment.pk}"
    postal.by_key[key] = "EA000000077VN"  # the service made the parcel, but its answer never arrived
    postal.parcels["EA000000077VN"] = Parcel("EA000000077VN", {})
    assert shipments_send_due(service=HttpPostalService(postal.url, TOKEN), now=NOW).sent == 1
    shipment.refresh_from_db()
    assert shipment.tracking_number == "EA000000077VN" and len(postal.parcels) == 1


def test_a_parcel_sent_back_is_recorded(world: World, postal: FakePostal) -> None:
    _returned(world)
    service = HttpPostalService(postal.url, TOKEN)
    shipments_send_due(service=service, now=NOW)
    shipment = Shipment.objects.get()
    postal.send_back(shipment.tracking_number)
    assert shipments_track(service=service, now=NOW).returned == 1
    shipment.refresh_from_db()
    assert shipment.state == ShipmentState.RETURNED


def test_a_wrong_token_is_a_visible_failure(world: World, postal: FakePostal) -> None:
    _returned(world)
    assert shipments_send_due(service=HttpPostalService(postal.url, "sai"), now=NOW).failed == 1
    assert Shipment.objects.get().last_error.startswith("HTTP 401")


def test_the_command_says_when_no_service_is_configured(world: World, settings: Any) -> None:
    settings.CCHC_POSTAL_URL = ""
    _returned(world)
    out = StringIO()
    call_command("postal_sync", stdout=out)
    assert "Chưa cấu hình CCHC_POSTAL_URL" in out.getvalue()
    assert Shipment.objects.get().state == ShipmentState.PENDING


def test_the_command_sends_and_tracks(world: World, postal: FakePostal) -> None:
    _returned(world)
    out = StringIO()
    call_command("postal_sync", stdout=out)
    assert "Đã gửi 1, lỗi khi gửi 0" in out.getvalue()
    assert Shipment.objects.get().state == ShipmentState.SENT


def test_the_staff_dossier_page_shows_the_shipment_and_its_failures(world: World, postal: FakePostal) -> None:
    dossier = _returned(world)
    client = Client()
    client.force_login(world.staff["reception"])

    def panel() -> str:
        page = client.get(reverse("staff-dossier", args=[dossier.code])).content.decode()
        start = page.index('id="panel-shipment"')
        return page[start : page.index("</section>", start)]

    assert "Chờ gửi bưu điện" in panel()
    postal.fail_next(1)
    shipments_send_due(service=HttpPostalService(postal.url, TOKEN), now=NOW)
    assert "HTTP 500" in panel() and "đã thử 1 lần, thử lại lúc 11/03/2026 09:01" in panel()
    shipments_send_due(service=HttpPostalService(postal.url, TOKEN), now=NOW + dt.timedelta(minutes=1))
    number = Shipment.objects.get().tracking_number
    assert "Đã giao bưu điện, đang chuyển phát" in panel() and number in panel()
    assert "Lỗi gần nhất" not in panel()


def test_a_dossier_returned_at_the_counter_has_no_shipment_panel(world: World) -> None:
    dossier = _returned(world, DeliveryMethod.COUNTER)
    client = Client()
    client.force_login(world.staff["reception"])
    assert (
        'id="panel-shipment"'
        not in client.get(reverse("staff-dossier", args=[dossier.code])).content.decode()
    )
