"""Test set-up shared by the whole suite.

`make test` runs the suite twice: on SQLite, then with DATABASE_URL pointing at PostgreSQL and REDIS_URL at
Redis (CCHC_TEST_SERVICES=1). When those services are not reachable, that second run reports every test as
skipped with the reason, unless CCHC_REQUIRE_POSTGRES=1 / CCHC_REQUIRE_REDIS=1 (set by .ci/run), which turn
the absence into a failure. Browser tests are skipped without Chromium unless CCHC_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest
from django.conf import settings


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=2
        ):
            return True
    except OSError:
        return False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not os.environ.get("CCHC_TEST_SERVICES"):
        return
    missing: list[str] = []
    if settings.IS_POSTGRES and not _reachable(os.environ.get("DATABASE_URL", ""), 5432):
        if os.environ.get("CCHC_REQUIRE_POSTGRES") == "1":
            pytest.exit("PostgreSQL is required (CCHC_REQUIRE_POSTGRES=1) but not reachable.", returncode=3)
        missing.append("PostgreSQL")
    if settings.REDIS_URL and not _reachable(settings.REDIS_URL, 6379):
        if os.environ.get("CCHC_REQUIRE_REDIS") == "1":
            pytest.exit("Redis is required (CCHC_REQUIRE_REDIS=1) but not reachable.", returncode=3)
        missing.append("Redis")
    if missing:
        reason = f"{' and '.join(missing)} not reachable: this run needs them"
        for item in items:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    """Each test starts with an empty cache (throttling counters) and forgets the cached calendar and office
    hours after it: a test's rolled-back edits must not outlive it in this process."""
    from django.core.cache import cache

    from cchc.workdays.calendar import invalidate_default_calendar

    cache.clear()
    yield
    invalidate_default_calendar()
    from cchc.catalog.selectors import forget_version_parts

    forget_version_parts()


@pytest.fixture(autouse=True)
def _fast_password_hashing(request: pytest.FixtureRequest, settings: Any) -> None:
    """Argon2 is deliberately slow; tests that do not check hashing use a fast hasher.

    Tests marked `argon2` keep the production hashers (settings.PASSWORD_HASHERS).
    """
    if request.node.get_closest_marker("argon2") is None:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
