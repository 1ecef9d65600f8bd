"""Throttling of the public pages (cchc.orgs.throttle): per client address, per sender contact, and wrong keys."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cchc.feedback.models import Feedback, Kind, Subject
from tests.feedback.conftest import Province

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limits(settings: Any) -> None:
    settings.CCHC_FEEDBACK_MAX_PER_ADDRESS = 3
    settings.CCHC_FEEDBACK_MAX_PER_CONTACT = 2
    settings.CCHC_FEEDBACK_MAX_LOOKUP_FAILURES = 2


def _form(province: Province, **changes: Any) -> dict[str, Any]:
    return {
        "subject": Subject.UNIT,
        "kind": Kind.COMPLAINT,
        "unit": str(province.justice.pk),
        "content": "Cán bộ hướng dẫn không rõ ràng.",
        "sender_phone": "",
        "sender_email": "",
        **changes,
    }


def test_one_address_is_stopped_after_the_limit(province: Province) -> None:
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(3):
        assert client.post("/phan-anh/gui/", _form(province)).status_code == 302
    refused = client.post("/phan-anh/gui/", _form(province))
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "quá nhiều lần" in refused.content.decode()
    assert Feedback.objects.count() == 3
    # Another machine is not affected.
    assert Client(REMOTE_ADDR="203.0.113.8").post("/phan-anh/gui/", _form(province)).status_code == 302


def test_one_contact_is_stopped_from_any_address(province: Province) -> None:
    for n in range(2):
        client = Client(REMOTE_ADDR=f"198.51.100.{n}")
        assert client.post("/phan-anh/gui/", _form(province, sender_phone="0912345678")).status_code == 302
    # The same number written differently is the same contact.
    refused = Client(REMOTE_ADDR="198.51.100.9").post(
        "/phan-anh/gui/", _form(province, sender_phone="+84912345678")
    )
    assert refused.status_code == 429
    assert Feedback.objects.count() == 2


def test_rejected_input_does_not_count_as_a_submission(province: Province) -> None:
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        assert client.post("/phan-anh/gui/", _form(province, content="")).status_code == 422
    assert client.post("/phan-anh/gui/", _form(province)).status_code == 302


def test_wrong_keys_lock_the_tracking_page(province: Province) -> None:
    feedback = province.submit()
    client = Client(REMOTE_ADDR="203.0.113.10")
    for _ in range(2):
        assert (
            client.post("/phan-anh/tra-cuu/", {"code": feedback.code, "key": "ZZZZZZZZ"}).status_code == 404
        )
    locked = client.post("/phan-anh/tra-cuu/", {"code": feedback.code, "key": feedback.lookup_key})
    assert locked.status_code == 429  # even the right key, until the window passes


def test_guessing_dossier_keys_on_the_form_is_stopped(province: Province) -> None:
    dossier = province.dossier()
    client = Client(REMOTE_ADDR="203.0.113.11")
    guess = _form(province, subject=Subject.DOSSIER, dossier_code=dossier.code, dossier_key="ABCDEFGH")
    for _ in range(2):
        assert client.post("/phan-anh/gui/", guess).status_code == 422
    right = _form(
        province, subject=Subject.DOSSIER, dossier_code=dossier.code, dossier_key=dossier.lookup_key
    )
    assert client.post("/phan-anh/gui/", right).status_code == 429
    assert Feedback.objects.count() == 0
