"""The notification outbox: queueing with the change, rendering in Vietnamese, sending with claims and retries."""

from __future__ import annotations

import datetime as dt
import io
import logging
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from cchc.dossiers import services
from cchc.dossiers.lifecycle import RuleBroken
from cchc.dossiers.models import Dossier, Notification, NotificationChannel, NotificationStatus
from cchc.dossiers.notifications import (
    SMS_MAX_CHARS,
    backoff,
    notification_queue,
    notification_resend,
    notifications_release_stale,
    notifications_send_due,
)
from cchc.dossiers.services import PartyData
from cchc.dossiers.sms import ConsoleSmsGateway, HttpSmsGateway, SmsError, sms_gateway
from tests.dossiers.conftest import World, at
from tests.dossiers.fake_sms_gateway import FakeSmsGateway

EMAIL = "an.nguyen@example.vn"
PHONE = "0912345678"


@pytest.fixture(autouse=True)
def _locmem_mail(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CCHC_SMS_URL = ""


@pytest.fixture
def gateway(settings: Any) -> Iterator[FakeSmsGateway]:
    with FakeSmsGateway(token="khoa-bi-mat") as fake:
        settings.CCHC_SMS_URL = fake.url
        settings.CCHC_SMS_API_KEY = "khoa-bi-mat"
        settings.CCHC_SMS_SENDER = "CCHC-TINH"
        yield fake


def _receive(world: World, *, email: str = EMAIL, phone: str = PHONE) -> Dossier:
    """A received dossier, without the "received" notices its reception queued, so each test counts its own."""
    applicant = PartyData(full_name="Nguyễn Văn An", email=email, phone=phone)
    dossier = services.dossier_receive(
        actor=world.staff["reception"], intake=world.intake(applicant=applicant), at=at(2026, 3, 9, 9)
    )
    assert set(Notification.objects.filter(dossier=dossier).values_list("template", flat=True)) <= {
        "received"
    }
    Notification.objects.filter(dossier=dossier).delete()
    return dossier


def _queue(world: World, template: str = "received", **kwargs: Any) -> tuple[Dossier, list[Notification]]:
    with transaction.atomic():
        dossier = _receive(world, **kwargs)
        return dossier, notification_queue(dossier=dossier, template=template)


# -- queueing ---------------------------------------------------------------------------------------------------
def test_queue_in_a_rolled_back_transaction_leaves_nothing(world: World) -> None:
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        dossier = _receive(world)
        assert len(notification_queue(dossier=dossier, template="received")) == 2
        raise Abort
    assert not Notification.objects.exists()
    assert not Dossier.objects.exists()


def test_queue_one_message_per_channel_with_an_address(world: World) -> None:
    dossier, queued = _queue(world)
    assert {(n.channel, n.recipient) for n in queued} == {("email", EMAIL), ("sms", PHONE)}
    assert all(n.status == NotificationStatus.PENDING and n.dossier == dossier for n in queued)
    _, phone_only = _queue(world, email="")
    assert [n.channel for n in phone_only] == ["sms"]
    _, none = _queue(world, email="", phone="")
    assert none == []
    only_email = notification_queue(dossier=dossier, template="received", channels=["email"])
    assert [n.channel for n in only_email] == ["email"]
    with pytest.raises(ValueError, match="template"):
        notification_queue(dossier=dossier, template="khong-co")
    with pytest.raises(ValueError, match="channel"):
        notification_queue(dossier=dossier, template="received", channels=["fax"])


def test_received_renders_in_vietnamese_with_code_date_and_key(world: World) -> None:
    dossier, queued = _queue(world)
    email = next(n for n in queued if n.channel == NotificationChannel.EMAIL)
    sms = next(n for n in queued if n.channel == NotificationChannel.SMS)
    assert email.subject == f"[{dossier.code}] Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    assert "Kính gửi Nguyễn Văn An" in email.body
    assert f"Mã hồ sơ: {dossier.code}" in email.body
    assert f"Thủ tục: {dossier.procedure_version.name}" in email.body
    assert "Ngày hẹn trả kết quả: 12/03/2026 17:00" in email.body
    assert f"Mã tra cứu: {dossier.lookup_key}" in email.body
    assert "&#" not in email.body and "&amp;" not in email.body  # plain text, not HTML-escaped
    assert sms.subject == ""
    assert sms.body == (
        f"Hồ sơ {dossier.code} đã được tiếp nhận. Hẹn trả: 12/03/2026 17:00. Mã tra cứu: {dossier.lookup_key}."
    )
    assert len(sms.body) <= SMS_MAX_CHARS


def test_supplement_needed_says_what_is_missing_and_why(world: World) -> None:
    with transaction.atomic():
        dossier = services.dossier_request_supplement_at_reception(
            actor=world.staff["reception"],
            intake=world.intake(applicant=PartyData(full_name="Trần Thị Bình", email=EMAIL, phone=PHONE)),
            missing=["Giấy chứng sinh", "Bản sao CCCD của cha, mẹ"],
            reason="Thiếu giấy chứng sinh bản chính & CCCD",
            at=at(2026, 3, 9, 9),
        )
        queued = notification_queue(dossier=dossier, template="supplement_needed")
    email = next(n for n in queued if n.channel == NotificationChannel.EMAIL)
    sms = next(n for n in queued if n.channel == NotificationChannel.SMS)
    assert "Yêu cầu bổ sung, hoàn thiện hồ sơ" in email.subject
    assert "- Giấy chứng sinh\n- Bản sao CCCD của cha, mẹ\n" in email.body
    assert "Lý do: Thiếu giấy chứng sinh bản chính & CCCD" in email.body
    assert f"Hồ sơ {dossier.code} cần bổ sung 2 giấy tờ: Giấy chứng sinh;" in sms.body
    assert len(sms.body) <= SMS_MAX_CHARS
    received = _receive(world)
    with pytest.raises(ValueError, match="supplement"):
        notification_queue(dossier=received, template="supplement_needed")


def test_late_new_date_carries_the_apology_and_new_date(world: World) -> None:
    dossier = _receive(world)
    with transaction.atomic():
        services.dossier_apologise(
            dossier=dossier,
            actor=world.staff["leader"],
            reason="Cần xác minh thêm thông tin với Ủy ban nhân dân xã nơi cư trú trước đây của người nộp",
            new_appointment_at=at(2026, 3, 17, 17),
            expected_version=dossier.version,
            at=at(2026, 3, 11, 9),
        )
        queued = notification_queue(dossier=dossier, template="late_new_date")
    email = next(n for n in queued if n.channel == NotificationChannel.EMAIL)
    sms = next(n for n in queued if n.channel == NotificationChannel.SMS)
    assert "xin lỗi" in email.subject.lower()
    assert "Lý do: Cần xác minh thêm thông tin" in email.body
    assert "Ngày hẹn trước: 12/03/2026 17:00" in email.body
    assert "Ngày hẹn trả kết quả mới: 17/03/2026 17:00" in email.body
    assert "Hẹn mới: 17/03/2026 17:00" in sms.body
    assert "…" in sms.body  # the long reason is shortened
    assert len(sms.body) <= SMS_MAX_CHARS


def test_result_ready_says_where_to_collect(world: World) -> None:
    dossier, queued = _queue(world, template="result_ready")
    email = next(n for n in queued if n.channel == NotificationChannel.EMAIL)
    sms = next(n for n in queued if n.channel == NotificationChannel.SMS)
    assert email.subject == f"[{dossier.code}] Đã có kết quả giải quyết hồ sơ"
    assert f"Nơi nhận kết quả: {world.centre.name}" in email.body
    assert "đã có kết quả" in sms.body and len(sms.body) <= SMS_MAX_CHARS


# -- sending ----------------------------------------------------------------------------------------------------
def test_email_goes_through_django_mail(world: World) -> None:
    dossier, _ = _queue(world, phone="")
    report = notifications_send_due(worker="test")
    assert (report.claimed, report.sent) == (1, 1)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    assert message.subject.startswith(f"[{dossier.code}]")
    assert "12/03/2026 17:00" in str(message.body)
    sent = Notification.objects.get()
    assert sent.status == NotificationStatus.SENT
    assert sent.sent_at is not None and sent.claim == "" and sent.attempts == 0
    assert notifications_send_due(worker="test").claimed == 0  # nothing sent twice


def test_sms_reaches_the_gateway_with_the_token(world: World, gateway: FakeSmsGateway) -> None:
    dossier, _ = _queue(world, email="")
    report = notifications_send_due(worker="test")
    assert report.sent == 1
    assert len(gateway.requests) == 1
    request = gateway.requests[0]
    assert request.authorization == "Bearer khoa-bi-mat"
    assert request.body["to"] == PHONE
    assert request.body["sender"] == "CCHC-TINH"
    assert request.body["text"].startswith(f"Hồ sơ {dossier.code} đã được tiếp nhận")
    assert Notification.objects.get().status == NotificationStatus.SENT


def test_failures_back_off_then_fail_and_staff_can_resend(world: World, gateway: FakeSmsGateway) -> None:
    _queue(world, email="")
    gateway.fail_next(3, mode="http")
    gateway.fail_next(3, mode="json")
    moment = timezone.now()
    delays = []
    for attempt in range(1, 7):
        report = notifications_send_due(now=moment, worker="test")
        assert report.claimed == 1 and report.sent == 0
        message = Notification.objects.get()
        assert message.attempts == attempt
        assert message.claim == ""
        if attempt < 6:
            assert report.retrying == 1
            assert message.status == NotificationStatus.PENDING
            delays.append(message.next_attempt_at - moment)
            # not due before its time
            early = message.next_attempt_at - dt.timedelta(seconds=1)
            assert notifications_send_due(now=early, worker="test").claimed == 0
            moment = message.next_attempt_at
        else:
            assert report.failed == 1
            assert message.status == NotificationStatus.FAILED
    assert delays == [dt.timedelta(minutes=m) for m in (1, 5, 25, 125, 360)]
    failed = Notification.objects.get()
    assert "rejected" in failed.last_error
    assert notifications_send_due(now=moment + dt.timedelta(days=1), worker="test").claimed == 0
    assert len(gateway.delivered) == 0

    resent = notification_resend(notification=failed)
    assert (resent.status, resent.attempts) == (NotificationStatus.PENDING, 0)
    assert notifications_send_due(worker="test").sent == 1
    assert len(gateway.delivered) == 1
    with pytest.raises(RuleBroken):
        notification_resend(notification=Notification.objects.get())


def test_backoff_grows_and_is_capped() -> None:
    assert [backoff(n) for n in (1, 2, 3, 4)] == [dt.timedelta(minutes=m) for m in (1, 5, 25, 125)]
    assert backoff(5) == backoff(50) == dt.timedelta(hours=6)


def test_a_message_claimed_by_one_worker_is_not_sent_by_another(world: World) -> None:
    """Worker B runs while worker A is in the middle of sending: B finds nothing to claim."""
    _queue(world, email="")
    inner_reports = []

    class SlowGateway:
        sent: list[str] = []

        def send(self, *, to: str, text: str) -> str:
            inner_reports.append(notifications_send_due(worker="B", gateway=self))
            self.sent.append(to)
            return "id"

    gateway = SlowGateway()
    report = notifications_send_due(worker="A", gateway=gateway)
    assert report.sent == 1
    assert [r.claimed for r in inner_reports] == [0]
    assert gateway.sent == [PHONE]


def test_compare_and_set_claim_lets_only_one_worker_win(world: World) -> None:
    from cchc.dossiers.notifications import _claim

    _, queued = _queue(world, email="")
    now = timezone.now()
    assert _claim(queued[0].pk, "A:1", now) is True
    assert _claim(queued[0].pk, "B:1", now) is False
    assert Notification.objects.get().claim == "A:1"


def test_stale_claims_are_released(world: World, gateway: FakeSmsGateway) -> None:
    from cchc.dossiers.notifications import _claim

    _, queued = _queue(world, email="")
    moment = timezone.now()
    assert _claim(queued[0].pk, "dead:1", moment)  # a worker claims, then dies
    assert notifications_release_stale(now=moment + dt.timedelta(minutes=9)) == 0
    assert notifications_send_due(now=moment + dt.timedelta(minutes=9), worker="live").claimed == 0
    later = moment + dt.timedelta(minutes=10, seconds=1)
    assert notifications_release_stale(now=later) == 1
    released = Notification.objects.get()
    assert (released.status, released.claim, released.attempts) == (NotificationStatus.PENDING, "", 1)
    assert "expired" in released.last_error
    report = notifications_send_due(now=later, worker="live")
    assert (report.released, report.sent) == (0, 1)
    message = Notification.objects.get()
    assert message.status == NotificationStatus.SENT
    assert message.attempts == 1
    assert message.last_error == ""  # cleared on success
    assert len(gateway.delivered) == 1


def test_command_runs_one_pass(world: World, caplog: pytest.LogCaptureFixture) -> None:
    _queue(world)
    out = io.StringIO()
    with caplog.at_level(logging.WARNING, logger="cchc.dossiers.sms"):
        call_command("send_notifications", stdout=out)
    assert "Đã gửi 2" in out.getvalue()
    assert len(mail.outbox) == 1
    assert "SMS not sent" in caplog.text  # the console gateway logs, never drops
    assert set(Notification.objects.values_list("status", flat=True)) == {NotificationStatus.SENT}


# -- the gateway adapters ---------------------------------------------------------------------------------------
def test_http_gateway_reports_errors(gateway: FakeSmsGateway) -> None:
    good = HttpSmsGateway(gateway.url, "khoa-bi-mat", "CCHC")
    assert good.send(to=PHONE, text="Xin chào") == "msg-1"
    gateway.fail_next(1, mode="json")
    with pytest.raises(SmsError, match="rejected"):
        good.send(to=PHONE, text="x")
    gateway.fail_next(1, mode="http")
    with pytest.raises(SmsError, match="HTTP 500"):
        good.send(to=PHONE, text="x")
    with pytest.raises(SmsError, match="HTTP 401"):
        HttpSmsGateway(gateway.url, "sai-khoa").send(to=PHONE, text="x")
    with pytest.raises(ValueError):
        HttpSmsGateway("file:///etc/passwd", "k")
    assert gateway.delivered[0]["text"] == "Xin chào"


def test_unreachable_gateway_is_an_error() -> None:
    with FakeSmsGateway() as fake:
        url = fake.url
    with pytest.raises(SmsError, match="unreachable"):
        HttpSmsGateway(url, "k", timeout=2).send(to=PHONE, text="x")


def test_gateway_from_settings(settings: Any) -> None:
    settings.CCHC_SMS_URL = ""
    assert isinstance(sms_gateway(), ConsoleSmsGateway)
    settings.CCHC_SMS_URL = "https://sms.example.vn/send"
    settings.CCHC_SMS_API_KEY = "k"
    configured = sms_gateway()
    assert isinstance(configured, HttpSmsGateway) and configured.url == "https://sms.example.vn/send"


# -- two workers on PostgreSQL --------------------------------------------------------------------------------
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_never_send_twice(settings: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections (PostgreSQL)")
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            channel="sms", recipient=f"09{i:08d}", template="received", body="x", next_attempt_at=now
        )
        for i in range(60)
    )
    sent: list[str] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    class Recorder:
        def send(self, *, to: str, text: str) -> str:
            with lock:
                sent.append(to)
            return to

    workers = 6
    barrier = threading.Barrier(workers, timeout=30)

    def work(index: int) -> None:
        try:
            connection.ensure_connection()
            barrier.wait()
            notifications_send_due(worker=f"w{index}", gateway=Recorder(), limit=100)
        except BaseException as error:  # reported below
            with lock:
                failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    assert len(sent) == len(set(sent)) == 60
    assert Notification.objects.filter(status=NotificationStatus.SENT).count() == 60


def test_command_loop_stops_on_interrupt(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    _queue(world, phone="")
    passes: list[float] = []

    def sleep(seconds: float) -> None:
        passes.append(seconds)
        raise KeyboardInterrupt

    monkeypatch.setattr("cchc.dossiers.management.commands.send_notifications.time.sleep", sleep)
    out = io.StringIO()
    call_command("send_notifications", "--loop", "--interval", "5", stdout=out)
    assert passes == [5.0]
    assert len(mail.outbox) == 1
