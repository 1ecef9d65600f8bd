"""Tracking is rate-limited per code and per client address (cchc.orgs.throttle), with HTTP 429 and a Vietnamese
message; the limits treat unknown and existing codes alike. On the services run the counters live in Redis."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client

from cchc.orgs.throttle import throttle_key
from cchc.portal.rules import TRACKING_SCOPE, tracking_limits
from tests.dossiers.conftest import World
from tests.portal.factories import received

pytestmark = pytest.mark.django_db

TRACK = "/tra-cuu/"
LOCKED = "Ông/Bà đã tra cứu quá nhiều lần"


@pytest.fixture
def low_limits(settings: Any) -> None:
    settings.CCHC_TRACKING_CODE_FAILURES = 3
    settings.CCHC_TRACKING_ADDRESS_FAILURES = 5
    settings.CCHC_TRACKING_ADDRESS_LOOKUPS = 50


def _try(client: Client, code: str, key: str, address: str) -> Any:
    return client.post(TRACK, {"ma": code, "khoa": key}, REMOTE_ADDR=address)


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
