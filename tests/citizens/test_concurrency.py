"""Parallel requests for one address: still one active code and one account (PostgreSQL row locks and
unique constraints; SQLite serialises writers, so the race only exists on the services run)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from cchc.citizens import services
from cchc.citizens.contacts import Contact, ContactKind
from cchc.citizens.models import CitizenProfile, CodeState, OneTimeCode

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not settings.IS_POSTGRES, reason="the race needs PostgreSQL (the services run)"),
]

EMAIL = Contact(ContactKind.EMAIL, "song.song@example.vn")


def _in_parallel(count: int, work: Callable[[], Any]) -> list[Any]:
    barrier = threading.Barrier(count)
    results: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(work())
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return results


def test_parallel_code_requests_leave_one_active_code(mailoutbox: list[Any]) -> None:
    _in_parallel(6, lambda: services.otp_request(contact=EMAIL))
    assert OneTimeCode.objects.filter(state=CodeState.ACTIVE).count() == 1
    assert OneTimeCode.objects.filter(state=CodeState.REPLACED).count() == 5


def test_parallel_first_sign_ins_make_one_account() -> None:
    users = _in_parallel(6, lambda: services.citizen_account_ensure(contact=EMAIL)[0].pk)
    assert len(set(users)) == 1
    assert CitizenProfile.objects.count() == 1


def test_a_code_entered_in_parallel_is_accepted_once(mailoutbox: list[Any]) -> None:
    services.otp_request(contact=EMAIL)
    code = next(word.strip(".") for word in mailoutbox[-1].body.split() if word.strip(".").isdigit())
    checks = _in_parallel(6, lambda: services.otp_verify(contact=EMAIL, code=code).check)
    assert sorted(checks).count(services.CodeCheck.ACCEPTED) == 1
