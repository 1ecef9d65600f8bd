"""Tracking enumeration resistance (check 2) on the public tracking page /tra-cuu/ (cchc.portal.access).

An unknown code and a wrong key (or wrong phone digits) take the same path and get the same answer, so the page
does not tell which codes exist. Failures are rate-limited per code and per client address, and every lookup per
address (cchc.orgs.throttle), with HTTP 429 and a Vietnamese message; the limits treat unknown and existing codes
alike. On the services run the counters live in Redis. Lookups are logged with the code masked and no secret.

Key guessing on the other public pages that open a dossier by its key is tested with them:
tests/payments/test_pages.py (test_guessing_keys_is_throttled) and tests/feedback/test_throttle.py."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cchc.dossiers.services import PartyData
from cchc.orgs.throttle import throttle_key
from cchc.portal import access
from cchc.portal.rules import TRACKING_SCOPE, tracking_limits
from tests.dossiers.conftest import World
from tests.portal.factories import APPLICANT_PHONE, received

pytestmark = pytest.mark.django_db

TRACK = "/tra-cuu/"
LOCKED = "Ông/Bà đã tra cứu quá nhiều lần"
NOT_FOUND = "Không tìm thấy hồ sơ phù hợp"


@pytest.fixture
def low_limits(settings: Any) -> None:
    settings.CCHC_TRACKING_CODE_FAILURES = 3
    settings.CCHC_TRACKING_ADDRESS_FAILURES = 5
    settings.CCHC_TRACKING_ADDRESS_LOOKUPS = 50


def _try(client: Client, code: str, key: str, address: str) -> Any:
    return client.post(TRACK, {"ma": code, "khoa": key}, REMOTE_ADDR=address)


def _html(response: Any) -> str:
    return str(response.content.decode())


def _comparable(response: Any, code: str) -> str:
    html = _html(response).replace(code, "<CODE>")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _unknown(code: str) -> str:
    """A code of the same shape that no dossier has."""
    return code[:-4] + "9999"


# -- the same answer ----------------------------------------------------------------------------------------------
def test_wrong_phone_digits_are_not_found(world: World, client: Client) -> None:
    dossier = received(world)
    response = client.post(TRACK, {"ma": dossier.code, "so": "0000"})
    assert response.status_code == 404
    assert NOT_FOUND in _html(response)


def test_an_applicant_without_phone_cannot_be_found_by_phone(world: World, client: Client) -> None:
    dossier = received(world, applicant=PartyData(full_name="Trần Thị Bình", phone=""))
    for digits in ("0000", "1234"):
        assert client.post(TRACK, {"ma": dossier.code, "so": digits}).status_code == 404


def test_unknown_code_and_wrong_key_give_the_same_answer(world: World, client: Client) -> None:
    dossier = received(world)
    unknown_code = _unknown(dossier.code)
    wrong_key = client.post(TRACK, {"ma": dossier.code, "khoa": "ABCDEFGH"}, REMOTE_ADDR="10.0.0.1")
    unknown = client.post(TRACK, {"ma": unknown_code, "khoa": dossier.lookup_key}, REMOTE_ADDR="10.0.0.2")
    assert wrong_key.status_code == unknown.status_code == 404
    assert _comparable(wrong_key, dossier.code) == _comparable(unknown, unknown_code)
    assert NOT_FOUND in _html(unknown)
    # The key typed is never echoed back.
    assert dossier.lookup_key not in _html(unknown)


def test_unknown_code_and_wrong_phone_give_the_same_answer_as_a_wrong_key(
    world: World, client: Client
) -> None:
    dossier = received(world)
    wrong_phone = client.post(TRACK, {"ma": dossier.code, "so": "1111"}, REMOTE_ADDR="10.0.0.1")
    wrong_key = client.post(TRACK, {"ma": dossier.code, "khoa": "ZZZZZZZZ"}, REMOTE_ADDR="10.0.0.2")
    unknown = client.post(TRACK, {"ma": _unknown(dossier.code), "so": "1111"}, REMOTE_ADDR="10.0.0.3")
    assert wrong_phone.status_code == wrong_key.status_code == unknown.status_code == 404
    assert _comparable(wrong_phone, dossier.code) == _comparable(wrong_key, dossier.code)
    assert _comparable(unknown, _unknown(dossier.code)) == _comparable(wrong_phone, dossier.code)


def test_the_qr_link_answers_an_unknown_code_like_a_forged_key(world: World, client: Client) -> None:
    dossier = received(world)
    forged = dossier.lookup_key[:-1] + ("A" if dossier.lookup_key[-1] != "A" else "B")
    response = client.get(f"{TRACK}?ma={dossier.code}&khoa={forged}", REMOTE_ADDR="10.0.0.1")
    unknown = client.get(f"{TRACK}?ma={_unknown(dossier.code)}&khoa={forged}", REMOTE_ADDR="10.0.0.2")
    assert response.status_code == unknown.status_code == 404
    assert "Thủ tục đăng ký khai sinh" not in _html(response)
    assert _comparable(response, dossier.code) == _comparable(unknown, _unknown(dossier.code))


@pytest.mark.parametrize("secret", ["khoa", "so"])
def test_an_unknown_code_and_a_wrong_secret_do_the_same_work(world: World, secret: str) -> None:
    """The same database queries, values apart, for a code that exists and one that does not."""
    dossier = received(world)
    wrong = {"khoa": "ZZZZZZZZ", "so": "1111"}[secret]
    queries = {}
    for label, code, address in (
        ("known", dossier.code, "10.0.9.1"),
        ("unknown", _unknown(dossier.code), "10.0.9.2"),
    ):
        client = Client()
        client.get(TRACK, REMOTE_ADDR=address)  # the session and the CSRF cookie, outside the count
        with CaptureQueriesContext(connection) as captured:
            assert client.post(TRACK, {"ma": code, secret: wrong}, REMOTE_ADDR=address).status_code == 404
        queries[label] = [
            re.sub(r"'[^']*'|\b\d+\b", "?", query["sql"]) for query in captured.captured_queries
        ]
    assert queries["known"]  # the lookup reads the database
    assert queries["known"] == queries["unknown"]


def test_a_secret_is_compared_in_constant_time_even_for_an_unknown_code(
    world: World, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    dossier = received(world)
    compared: list[tuple[str, str]] = []

    def spy(given: str, expected: str) -> bool:
        compared.append((given, expected))
        return given == expected

    monkeypatch.setattr(access, "constant_time_compare", spy)
    client.post(TRACK, {"ma": _unknown(dossier.code), "khoa": "ZZZZZZZZ"}, REMOTE_ADDR="10.0.8.1")
    client.post(TRACK, {"ma": dossier.code, "khoa": "ZZZZZZZZ"}, REMOTE_ADDR="10.0.8.2")
    client.post(TRACK, {"ma": _unknown(dossier.code), "so": APPLICANT_PHONE[-4:]}, REMOTE_ADDR="10.0.8.3")
    assert [given for given, _expected in compared] == ["ZZZZZZZZ", "ZZZZZZZZ", APPLICANT_PHONE[-4:]]
    assert compared[0][1] != dossier.lookup_key and compared[2][1] != APPLICANT_PHONE[-4:]


def test_lookups_are_logged_with_the_code_masked_and_no_secret(
    world: World, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    dossier = received(world)
    with caplog.at_level(logging.INFO, logger="cchc.portal.tracking"):
        client.post(TRACK, {"ma": dossier.code, "khoa": dossier.lookup_key})
        client.post(TRACK, {"ma": dossier.code, "so": "0000"})
    messages = [record.getMessage() for record in caplog.records if record.name == "cchc.portal.tracking"]
    assert len(messages) == 2
    assert "outcome=found" in messages[0] and "via=key" in messages[0]
    assert "outcome=not_found" in messages[1] and "via=phone" in messages[1]
    masked = dossier.code[: len(dossier.code) // 2] + "*" * (len(dossier.code) - len(dossier.code) // 2)
    for message in messages:
        assert masked in message
        assert dossier.code not in message
        assert dossier.lookup_key not in message


# -- the throttle -------------------------------------------------------------------------------------------------
def test_default_limits_are_set() -> None:
    limits = tracking_limits()
    assert limits["code"] == (10, 3600)
    assert limits["addr"] == (20, 900)
    assert limits["addr_all"] == (120, 900)


def test_failures_on_one_code_lock_it_from_every_address_even_with_the_right_key(
    world: World, client: Client, low_limits: None
) -> None:
    dossier = received(world)
    for n in range(3):
        assert _try(client, dossier.code, "WRONGKEY", f"10.0.1.{n}").status_code == 404
    locked = _try(client, dossier.code, dossier.lookup_key, "10.0.1.99")
    assert locked.status_code == 429
    assert LOCKED in locked.content.decode()
    assert 3500 < int(locked["Retry-After"]) <= 3601
    assert "Thủ tục đăng ký khai sinh" not in locked.content.decode()


def test_an_unknown_code_is_locked_exactly_like_an_existing_one(
    world: World, client: Client, low_limits: None
) -> None:
    dossier = received(world)
    unknown = dossier.code[:-4] + "9999"
    answers = {}
    for code in (dossier.code, unknown):
        statuses = [_try(client, code, "WRONGKEY", f"10.0.2.{n}").status_code for n in range(4)]
        answers[code] = statuses
    assert answers[dossier.code] == answers[unknown] == [404, 404, 404, 429]


def test_the_locked_answer_is_the_same_for_an_unknown_code(
    world: World, client: Client, low_limits: None
) -> None:
    dossier = received(world)
    unknown = _unknown(dossier.code)
    locked = {}
    for code in (dossier.code, unknown):
        for n in range(3):
            _try(client, code, "WRONGKEY", f"10.0.10.{n}")
        locked[code] = _try(client, code, "WRONGKEY", "10.0.10.99")
    assert locked[dossier.code].status_code == locked[unknown].status_code == 429
    assert LOCKED in _html(locked[unknown])
    assert _comparable(locked[dossier.code], dossier.code) == _comparable(locked[unknown], unknown)


def test_failures_from_one_address_lock_that_address_for_every_code(
    world: World, client: Client, low_limits: None
) -> None:
    dossier = received(world)
    for n in range(5):
        assert _try(client, f"000.00.12.H99-260309-{n + 100:04d}", "WRONGKEY", "10.0.3.1").status_code == 404
    assert _try(client, dossier.code, dossier.lookup_key, "10.0.3.1").status_code == 429
    # Another address is not affected, and neither is the code.
    assert _try(client, dossier.code, dossier.lookup_key, "10.0.3.2").status_code == 200


def test_every_lookup_from_one_address_counts_towards_a_higher_limit(
    world: World, client: Client, settings: Any
) -> None:
    settings.CCHC_TRACKING_ADDRESS_LOOKUPS = 2
    dossier = received(world)
    assert _try(client, dossier.code, dossier.lookup_key, "10.0.4.1").status_code == 200
    assert _try(client, dossier.code, dossier.lookup_key, "10.0.4.1").status_code == 200
    assert _try(client, dossier.code, dossier.lookup_key, "10.0.4.1").status_code == 429


def test_the_qr_link_is_throttled_too(world: World, client: Client, low_limits: None) -> None:
    dossier = received(world)
    for n in range(3):
        client.get(f"{TRACK}?ma={dossier.code}&khoa=WRONGKEY", REMOTE_ADDR=f"10.0.5.{n}")
    response = client.get(f"{TRACK}?ma={dossier.code}&khoa={dossier.lookup_key}", REMOTE_ADDR="10.0.5.9")
    assert response.status_code == 429


def test_guessing_phone_digits_is_stopped_per_code(world: World, client: Client, low_limits: None) -> None:
    dossier = received(world)
    statuses = [
        client.post(TRACK, {"ma": dossier.code, "so": f"{n:04d}"}, REMOTE_ADDR=f"10.0.6.{n}").status_code
        for n in range(4)
    ]
    assert statuses == [404, 404, 404, 429]
    # Even the right digits are refused while the code is locked.
    right = client.post(TRACK, {"ma": dossier.code, "so": "5678"}, REMOTE_ADDR="10.0.6.50")
    assert right.status_code == 429


def test_rating_through_the_tracking_form_is_throttled_like_a_lookup(
    world: World, client: Client, low_limits: None
) -> None:
    dossier = received(world)
    for n in range(3):
        response = client.post(
            "/tra-cuu/danh-gia/",
            {"ma": dossier.code, "khoa": "WRONGKEY", "muc": "satisfied"},
            REMOTE_ADDR=f"10.0.7.{n}",
        )
        assert response.status_code == 404
    assert _try(client, dossier.code, dossier.lookup_key, "10.0.7.9").status_code == 429


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (the services run)")
def test_the_counters_are_shared_through_redis(world: World, client: Client, low_limits: None) -> None:
    """What a second app server sees: a separate connection to the same cache finds the lock."""
    import redis

    dossier = received(world)
    for n in range(3):
        _try(client, dossier.code, "WRONGKEY", f"10.0.8.{n}")
    other_server = caches.create_connection("default")
    key = throttle_key(scope=TRACKING_SCOPE, kind="code", value=dossier.code)
    assert int(other_server.get(key)) == 3
    raw = redis.Redis.from_url(settings.REDIS_URL)
    assert list(raw.scan_iter(match=f"*{key}")), "the counter is stored in Redis"
    assert _try(client, dossier.code, dossier.lookup_key, "10.0.8.9").status_code == 429
