"""The national portal adapter (cchc.nationalportal) against a local portal (tests/nationalportal/fake_portal.py):
status messages written with each change, sent in order, retried, failed and resent by hand; the staff page and
its permissions; the 766 sync rate; the command."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from cchc.dossiers import services
from cchc.dossiers.models import Dossier
from cchc.nationalportal.client import HttpNationalPortal
from cchc.nationalportal.models import Message, MessageState
from cchc.nationalportal.services import MAX_ATTEMPTS, messages_send_due
from cchc.orgs.models import Membership
from cchc.orgs.roles import Role
from cchc.serviceindex.inputs import measures_by_unit
from tests.dossiers.conftest import World, at
from tests.nationalportal.fake_portal import TOKEN, FakePortal
from tests.portal.factories import received, refreshed, resolved, returned

pytestmark = pytest.mark.django_db

NOW = at(2026, 3, 11, 9)


@pytest.fixture
def portal(settings: Any) -> Iterator[FakePortal]:
    with FakePortal() as fake:
        settings.CCHC_NATIONAL_PORTAL_URL, settings.CCHC_NATIONAL_PORTAL_API_KEY = fake.url, TOKEN
        yield fake


def _client(fake: FakePortal) -> HttpNationalPortal:
    return HttpNationalPortal(fake.url, TOKEN)


def _messages(dossier: Dossier) -> list[Message]:
    return list(Message.objects.filter(dossier=dossier).order_by("pk"))


def _staff(username: str, world: World, role: str, unit: Any = None) -> Any:
    user = get_user_model().objects.create_user(username, password="mat-khau-dai-2026")
    Membership.objects.create(user=user, unit=unit or world.justice, role=role)
    return user


def test_each_change_of_national_status_writes_one_message_with_the_national_codes(world: World) -> None:
    dossier = returned(world)
    messages = _messages(dossier)
    # Received (processing), resolved, returned; the two hand-overs change no national status.
    assert [m.national_status for m in messages] == ["processing", "resolved", "returned"]
    assert [m.state for m in messages] == [MessageState.PENDING] * 3
    first = messages[0].payload
    assert first["dossier_code"] == dossier.code and first["seq"] == 1
    assert first["status_name"] == "Đang xử lý"
    assert (first["channel"], first["agency_code"], first["receiving_agency_code"]) == (
        1,
        "000.00.12.H99",
        "000.00.01.H99",
    )
    assert first["procedure_code"] == "1.001193"
    assert first["changed_at"] == "2026-03-09T09:00:00+07:00"
    assert first["applicant"]["id_number"] == "079203001234"
    assert messages[0].unit == world.justice
    assert messages[2].payload["returned_at"] == "2026-03-11T08:00:00+07:00"
    assert messages[2].payload["return_method"] == "counter"


def test_an_online_submission_is_new_and_an_apology_is_sent_though_the_status_stays(world: World) -> None:
    dossier = services.dossier_submit(intake=world.intake(channel=2), at=at(2026, 3, 9, 8))
    assert [m.national_status for m in _messages(dossier)] == ["new"]
    assert _messages(dossier)[0].payload["channel"] == 2
    dossier = received(world)
    dossier = refreshed(dossier)
    services.dossier_apologise(
        dossier=dossier,
        actor=world.staff["leader"],
        reason="Cần xác minh thêm với Ủy ban nhân dân xã.",
        new_appointment_at=at(2026, 3, 16, 17),
        expected_version=dossier.version,
        at=at(2026, 3, 10, 9),
    )
    statuses = [(m.national_status, m.payload["action"]) for m in _messages(dossier)]
    assert statuses == [("processing", "receive"), ("processing", "apologise")]
    assert _messages(dossier)[1].payload["appointment_at"] == "2026-03-16T17:00:00+07:00"


def test_a_refused_intake_carries_its_reason(world: World) -> None:
    dossier = services.dossier_refuse(
        actor=world.staff["reception"], intake=world.intake(), reason="Không thuộc thẩm quyền.", at=NOW
    )
    (message,) = _messages(dossier)
    assert (message.national_status, message.payload["end_reason"]) == ("refused", "Không thuộc thẩm quyền.")


def test_messages_are_delivered_in_order_and_shown_on_the_dossier_page(
    world: World, portal: FakePortal, client: Client
) -> None:
    dossier = returned(world)
    report = messages_send_due(portal=_client(portal), now=NOW)
    assert (report.delivered, report.failed, report.waiting) == (3, 0, 0)
    assert [m["status"] for m in portal.statuses[dossier.code]] == ["processing", "resolved", "returned"]
    assert all(m.state == MessageState.DELIVERED and m.delivered_at == NOW for m in _messages(dossier))
    assert messages_send_due(portal=_client(portal), now=NOW).delivered == 0  # never twice
    client.force_login(world.staff["reception"])
    page = client.get(reverse("staff-dossier", args=[dossier.code])).content.decode()
    assert "Đồng bộ Cổng Dịch vụ công quốc gia" in page
    assert page.count("Cổng đã nhận lúc 11/03/2026 09:00") == 3


def test_a_portal_that_is_down_is_retried_later_and_later_messages_wait_their_turn(
    world: World, portal: FakePortal
) -> None:
    dossier = resolved(world)
    portal.fail_next(1)
    report = messages_send_due(portal=_client(portal), now=NOW)
    assert (report.delivered, report.failed, report.waiting) == (0, 1, 1)
    first, second = _messages(dossier)
    assert (first.state, first.attempts, first.next_try_at) == (
        MessageState.PENDING,
        1,
        NOW + dt.timedelta(minutes=1),
    )
    assert "HTTP 500" in first.last_error and second.attempts == 0
    assert messages_send_due(portal=_client(portal), now=NOW + dt.timedelta(seconds=30)).delivered == 0
    later = NOW + dt.timedelta(minutes=1)
    assert messages_send_due(portal=_client(portal), now=later).delivered == 2
    assert [m["status"] for m in portal.statuses[dossier.code]] == ["processing", "resolved"]


def test_a_message_tried_too_often_fails_and_waits_for_a_person(world: World, portal: FakePortal) -> None:
    dossier = received(world)
    moment = NOW
    for _ in range(MAX_ATTEMPTS):
        portal.fail_next(1)
        messages_send_due(portal=_client(portal), now=moment)
        moment += dt.timedelta(hours=7)
    (message,) = _messages(dossier)
    assert (message.state, message.attempts, message.next_try_at) == (MessageState.FAILED, MAX_ATTEMPTS, None)
    assert messages_send_due(portal=_client(portal), now=moment).delivered == 0


def test_a_refused_message_fails_at_once_and_is_resent_by_the_unit_administrator(
    world: World, portal: FakePortal, client: Client
) -> None:
    dossier = resolved(world)
    portal.refuse_statuses = True
    report = messages_send_due(portal=_client(portal), now=NOW)
    assert (report.failed, report.waiting) == (1, 1)
    first, second = _messages(dossier)
    assert first.state == MessageState.FAILED and "trạng thái không hợp lệ" in first.last_error
    assert second.state == MessageState.PENDING  # held behind the failed one

    admin = _staff("quantri.tuphap", world, Role.UNIT_ADMIN)
    client.force_login(admin)
    page = client.get(reverse("nationalportal-sync")).content.decode()
    assert dossier.code in page and "trạng thái không hợp lệ" in page and "Gửi lại" in page
    portal.refuse_statuses = False
    answer = client.post(reverse("nationalportal-resend", args=[first.pk]), follow=True)
    assert "Đã đưa thông điệp vào hàng đợi" in answer.content.decode()
    first.refresh_from_db()
    assert (first.state, first.resent_by, first.attempts) == (MessageState.PENDING, admin, 0)
    assert messages_send_due(portal=_client(portal), now=NOW + dt.timedelta(minutes=5)).delivered == 2
    # Resending a message that is not failed says so, and changes nothing.
    again = client.post(reverse("nationalportal-resend", args=[first.pk]), follow=True)
    assert "Chỉ gửi lại được thông điệp đang lỗi." in again.content.decode()


def test_who_may_see_and_resend(world: World, portal: FakePortal, client: Client) -> None:
    dossier = received(world)
    portal.refuse_statuses = True
    messages_send_due(portal=_client(portal), now=NOW)
    (message,) = _messages(dossier)
    resend = reverse("nationalportal-resend", args=[message.pk])
    # A specialist of the unit sees the failure but may not resend it.
    client.force_login(world.staff["specialist"])
    page = client.get(reverse("nationalportal-sync")).content.decode()
    assert dossier.code in page and "Gửi lại</button>" not in page
    assert client.post(resend).status_code == 403
    # Another department's staff see nothing of it, and cannot reach it.
    other_admin = _staff("quantri.xaydung", world, Role.UNIT_ADMIN, world.construction)
    client.force_login(other_admin)
    assert dossier.code not in client.get(reverse("nationalportal-sync")).content.decode()
    assert client.post(resend).status_code == 404
    # A citizen or anonymous visitor is sent to the staff login; GET cannot resend.
    client.logout()
    assert client.post(resend).status_code == 302
    client.force_login(_staff("quantri.tinh", world, Role.PROVINCE_ADMIN, world.centre))
    assert client.get(resend).status_code == 405
    assert client.post(resend).status_code == 302
    message.refresh_from_db()
    assert message.state == MessageState.PENDING


def test_the_766_sync_rate_counts_dossiers_taken_in_real_time(world: World, portal: FakePortal) -> None:
    on_time = received(world)  # received 09/03 09:00; its message is taken within the window
    messages_send_due(portal=_client(portal), now=at(2026, 3, 9, 9, 10))
    late = services.dossier_receive(
        actor=world.staff["reception"], intake=world.intake(), at=at(2026, 3, 9, 10)
    )
    messages_send_due(portal=_client(portal), now=at(2026, 3, 9, 11))  # taken an hour later
    services.dossier_receive(actor=world.staff["reception"], intake=world.intake(), at=at(2026, 3, 9, 11))
    measures = measures_by_unit(
        unit_ids=[world.justice.pk], start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31), now=at(2026, 4, 1)
    )
    synced = measures[world.justice.pk]["synced_realtime"]
    assert synced.rate == Decimal(1) / Decimal(3)  # one of three: one late, one never sent
    assert dict(synced.inputs)["Hồ sơ tiếp nhận trong kỳ"] == "3"
    assert on_time.pk != late.pk


def test_the_command_sends_or_says_why_it_cannot(world: World, settings: Any, portal: FakePortal) -> None:
    dossier = received(world)
    settings.CCHC_NATIONAL_PORTAL_URL = ""
    out = StringIO()
    call_command("national_sync", stdout=out)
    assert "Chưa cấu hình CCHC_NATIONAL_PORTAL_URL" in out.getvalue()
    assert _messages(dossier)[0].state == MessageState.PENDING
    settings.CCHC_NATIONAL_PORTAL_URL = portal.url
    out = StringIO()
    call_command("national_sync", stdout=out)
    assert "Cổng đã nhận 1" in out.getvalue()
    assert portal.statuses[dossier.code][0]["status"] == "processing"


def test_a_wrong_token_is_a_failure_to_retry_not_a_refusal(world: World, portal: FakePortal) -> None:
    dossier = received(world)
    report = messages_send_due(portal=HttpNationalPortal(portal.url, "sai-khoa"), now=NOW)
    assert report.failed == 1
    (message,) = _messages(dossier)
    assert message.state == MessageState.PENDING and "HTTP 401" in message.last_error


def test_the_portal_hears_vietnamese_whatever_the_officers_language(world: World) -> None:
    with translation.override("en"):
        dossier = received(world)
    assert _messages(dossier)[0].payload["status_name"] == "Đang xử lý"


def test_the_admin_shows_a_message_with_the_applicants_number_masked(world: World) -> None:
    from cchc.core.masking import mask_id_number

    dossier = received(world)
    (message,) = _messages(dossier)
    number = message.payload["applicant"]["id_number"]
    assert len(number) == 12
    admin_user = get_user_model().objects.create_superuser("quantri.he.thong", password="mat-khau-dai-2026")
    client = Client()
    client.force_login(admin_user)
    page = client.get(reverse("admin:nationalportal_message_change", args=[message.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert number not in text and mask_id_number(number) in text
