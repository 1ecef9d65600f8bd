"""One-time codes (cchc.citizens.services): issue 4 §2 rules, storage as hashes, the lifecycle table."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cchc.citizens import rules, services
from cchc.citizens.contacts import Contact, ContactKind
from cchc.citizens.delivery import CodeDeliveryError, code_message
from cchc.citizens.lifecycle import ALLOWED_TRANSITIONS, CodeAction, CodeTransitionRefused, next_state
from cchc.citizens.models import CodeState, OneTimeCode
from cchc.citizens.services import CodeCheck
from tests.citizens.conftest import code_in, last_sms_code
from tests.dossiers.fake_sms_gateway import FakeSmsGateway

pytestmark = pytest.mark.django_db

PHONE = Contact(ContactKind.SMS, "0912345678")
EMAIL = Contact(ContactKind.EMAIL, "an.nguyen@example.vn")
T0 = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


def _issue(gateway: FakeSmsGateway, contact: Contact = PHONE, now: dt.datetime = T0) -> str:
    services.otp_request(contact=contact, now=now)
    return last_sms_code(gateway)


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


# -- the numbers ------------------------------------------------------------------------------------------------
def test_the_rule_numbers_are_those_of_issue_4() -> None:
    assert rules.OTP_DIGITS == 6
    assert rules.OTP_VALIDITY.total_seconds() == 5 * 60
    assert rules.OTP_MAX_WRONG_ATTEMPTS == 5
    assert (rules.CODE_REQUESTS_PER_ADDRESS.count, rules.CODE_REQUESTS_PER_ADDRESS.window) == (3, 600)
    assert (rules.CODE_REQUESTS_PER_CLIENT.count, rules.CODE_REQUESTS_PER_CLIENT.window) == (20, 3600)
    assert (rules.WRONG_CODES_PER_ADDRESS.count, rules.WRONG_CODES_PER_ADDRESS.window) == (10, 3600)
    assert (rules.WRONG_CODES_PER_CLIENT.count, rules.WRONG_CODES_PER_CLIENT.window) == (30, 3600)


def test_sms_text_carries_the_code_and_its_validity_and_fits_two_segments() -> None:
    text = code_message("042517")
    assert "042517" in text and "5 phút" in text
    assert len(text) <= 134


# -- issuing ------------------------------------------------------------------------------------------------------
def test_code_is_six_digits_sent_by_sms_with_the_gateway_token(sms: FakeSmsGateway) -> None:
    code = _issue(sms)
    assert len(code) == 6 and code.isdigit()
    assert sms.delivered[-1]["to"] == "0912345678"
    assert sms.requests[-1].authorization == "Bearer khoa-cong-dan-thu"


def test_code_is_sent_by_email(mailoutbox: list[Any]) -> None:
    services.otp_request(contact=EMAIL, now=T0)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["an.nguyen@example.vn"]
    assert "Mã xác nhận" in mailoutbox[0].subject
    assert len(code_in(mailoutbox[0].body)) == 6


def test_neither_code_nor_address_is_stored_in_clear(sms: FakeSmsGateway) -> None:
    code = _issue(sms)
    row = OneTimeCode.objects.get()
    stored = " ".join(str(value) for value in OneTimeCode.objects.values().get().values())
    assert code not in stored and "0912345678" not in stored and "912345678" not in stored
    assert len(row.code_digest) == 64 and len(row.address_digest) == 64


def test_hashes_are_keyed_with_the_secret_key(settings: Any) -> None:
    first = (services.address_digest(PHONE), services.code_digest(address="a", code="123456"))
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    second = (services.address_digest(PHONE), services.code_digest(address="a", code="123456"))
    assert first[0] != second[0] and first[1] != second[1]


def test_code_is_valid_five_minutes(sms: FakeSmsGateway) -> None:
    code = _issue(sms)
    assert OneTimeCode.objects.get().expires_at == T0 + dt.timedelta(minutes=5)
    outcome = services.otp_verify(contact=PHONE, code=code, now=T0 + dt.timedelta(minutes=4, seconds=59))
    assert outcome.check == CodeCheck.ACCEPTED


def test_code_expires_after_five_minutes(sms: FakeSmsGateway) -> None:
    code = _issue(sms)
    outcome = services.otp_verify(contact=PHONE, code=code, now=T0 + dt.timedelta(minutes=5))
    assert outcome.check == CodeCheck.EXPIRED
    assert OneTimeCode.objects.get().state == CodeState.EXPIRED
    # Expired is final: the right code is refused afterwards too.
    assert services.otp_verify(contact=PHONE, code=code, now=T0).check == CodeCheck.MISSING


def test_code_is_used_once(sms: FakeSmsGateway) -> None:
    code = _issue(sms)
    assert services.otp_verify(contact=PHONE, code=code, now=T0).accepted
    assert services.otp_verify(contact=PHONE, code=code, now=T0).check == CodeCheck.MISSING
    assert OneTimeCode.objects.get().state == CodeState.USED


def test_wrong_code_tells_how_many_attempts_are_left(sms: FakeSmsGateway) -> None:
    code = _issue(sms)
    outcome = services.otp_verify(contact=PHONE, code=_wrong(code), now=T0)
    assert (outcome.check, outcome.attempts_left) == (CodeCheck.WRONG, 4)
    assert OneTimeCode.objects.get().wrong_attempts == 1


def test_fifth_wrong_code_ends_it_and_the_right_one_then_fails(sms: FakeSmsGateway) -> None:
    code = _issue(sms)
    checks = [services.otp_verify(contact=PHONE, code=_wrong(code), now=T0) for _ in range(5)]
    assert [c.attempts_left for c in checks[:4]] == [4, 3, 2, 1]
    assert checks[4].check == CodeCheck.EXHAUSTED
    assert OneTimeCode.objects.get().state == CodeState.EXHAUSTED
    assert services.otp_verify(contact=PHONE, code=code, now=T0).check == CodeCheck.MISSING


def test_fourth_wrong_code_still_leaves_the_right_one_usable(sms: FakeSmsGateway) -> None:
    code = _issue(sms)
    for _ in range(4):
        services.otp_verify(contact=PHONE, code=_wrong(code), now=T0)
    assert services.otp_verify(contact=PHONE, code=code, now=T0).accepted


def test_a_new_code_replaces_the_old_one(sms: FakeSmsGateway) -> None:
    old = _issue(sms)
    new = _issue(sms, now=T0 + dt.timedelta(minutes=1))
    if new == old:  # 1 chance in a million: draw again so the test says something
        new = _issue(sms, now=T0 + dt.timedelta(minutes=2))
    assert OneTimeCode.objects.filter(state=CodeState.ACTIVE).count() == 1
    assert OneTimeCode.objects.filter(state=CodeState.REPLACED).exists()
    assert (
        services.otp_verify(contact=PHONE, code=old, now=T0 + dt.timedelta(minutes=2)).check
        == CodeCheck.WRONG
    )
    assert services.otp_verify(contact=PHONE, code=new, now=T0 + dt.timedelta(minutes=2)).accepted


def test_a_code_works_only_for_the_address_it_was_sent_to(
    sms: FakeSmsGateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn = iter(["111111", "222222"])
    monkeypatch.setattr(services, "_new_code", lambda: next(drawn))
    other = Contact(ContactKind.SMS, "0987654321")
    assert _issue(sms) == "111111"
    assert _issue(sms, contact=other) == "222222"
    assert services.otp_verify(contact=other, code="111111", now=T0).check == CodeCheck.WRONG
    assert services.otp_verify(contact=PHONE, code="222222", now=T0).check == CodeCheck.WRONG
    assert services.otp_verify(contact=PHONE, code="111111", now=T0).accepted


def test_no_code_for_an_address_is_missing() -> None:
    assert services.otp_verify(contact=PHONE, code="123456").check == CodeCheck.MISSING


def test_codes_are_compared_in_constant_time(sms: FakeSmsGateway, monkeypatch: pytest.MonkeyPatch) -> None:
    code = _issue(sms)
    calls: list[tuple[str, str]] = []
    real = services.constant_time_compare

    def spy(a: str, b: str) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(services, "constant_time_compare", spy)
    assert services.otp_verify(contact=PHONE, code=code, now=T0).accepted
    assert len(calls) == 1 and all(len(value) == 64 for value in calls[0])


def test_gateway_failure_is_reported(sms: FakeSmsGateway) -> None:
    sms.fail_next(1)
    with pytest.raises(CodeDeliveryError):
        services.otp_request(contact=PHONE, now=T0)


# -- database invariants --------------------------------------------------------------------------------------------
def test_database_refuses_two_active_codes_for_one_address(sms: FakeSmsGateway) -> None:
    _issue(sms)
    row = OneTimeCode.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        OneTimeCode.objects.create(
            address_digest=row.address_digest,
            channel=row.channel,
            code_digest="x" * 64,
            created_at=T0,
            expires_at=T0 + dt.timedelta(minutes=5),
        )


def test_database_refuses_more_wrong_attempts_than_allowed(sms: FakeSmsGateway) -> None:
    _issue(sms)
    with pytest.raises(IntegrityError), transaction.atomic():
        OneTimeCode.objects.update(wrong_attempts=rules.OTP_MAX_WRONG_ATTEMPTS + 1)


# -- the lifecycle table --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("action", "expected"),
    [
        (CodeAction.USE, CodeState.USED),
        (CodeAction.FAIL, CodeState.ACTIVE),
        (CodeAction.EXHAUST, CodeState.EXHAUSTED),
        (CodeAction.EXPIRE, CodeState.EXPIRED),
        (CodeAction.REPLACE, CodeState.REPLACED),
    ],
)
def test_every_action_is_allowed_on_an_active_code(action: CodeAction, expected: CodeState) -> None:
    assert next_state(CodeState.ACTIVE, action) == expected


@pytest.mark.parametrize(
    "state", [CodeState.USED, CodeState.EXPIRED, CodeState.EXHAUSTED, CodeState.REPLACED]
)
@pytest.mark.parametrize("action", list(CodeAction))
def test_a_finished_code_accepts_no_action(state: CodeState, action: CodeAction) -> None:
    with pytest.raises(CodeTransitionRefused):
        next_state(state, action)


def test_the_table_covers_every_state() -> None:
    assert set(ALLOWED_TRANSITIONS) == set(CodeState)


# -- purge ----------------------------------------------------------------------------------------------------------
def test_purge_deletes_only_codes_finished_before_the_retention(sms: FakeSmsGateway) -> None:
    now = timezone.now()
    old_time = now - rules.CODE_RETENTION - dt.timedelta(days=1)
    code = _issue(sms, contact=PHONE, now=old_time)
    services.otp_verify(contact=PHONE, code=code, now=old_time)  # used long ago
    _issue(sms, contact=Contact(ContactKind.SMS, "0987654321"), now=old_time)  # never used, long expired
    _issue(sms, contact=Contact(ContactKind.SMS, "0977000111"), now=now)  # active now
    assert services.otp_purge(now=now) == 2
    assert list(OneTimeCode.objects.values_list("state", flat=True)) == [CodeState.ACTIVE]


def test_purge_command_reports_what_it_deleted(sms: FakeSmsGateway) -> None:
    from io import StringIO

    from django.core.management import call_command

    old_time = timezone.now() - rules.CODE_RETENTION - dt.timedelta(days=1)
    _issue(sms, now=old_time)
    out = StringIO()
    call_command("purge_citizen_codes", stdout=out)
    assert out.getvalue().strip() == "1"
    assert not OneTimeCode.objects.exists()
