"""Fixtures for the security checks: the dossier tests' `world`, the citizen tests' fake SMS gateway, a clock that
stands still (django.utils.timezone.now), so no check depends on the day it runs, and the default language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.utils import timezone, translation

from tests.citizens.conftest import sms  # noqa: F401 - the fixture is used by name
from tests.dossiers.conftest import at, world  # noqa: F401 - the fixture is used by name


class Now:
    """Stands in for timezone.now(): `moment` until the test moves it."""

    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment

    def __call__(self) -> dt.datetime:
        return self.moment

    def advance(self, **delta: float) -> dt.datetime:
        self.moment += dt.timedelta(**delta)
        return self.moment


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> Now:
    """timezone.now() is Monday 09/03/2026 09:00 (+07), a working day, until the test moves it."""
    frozen = Now(at(2026, 3, 9, 9))
    monkeypatch.setattr(timezone, "now", frozen)
    return frozen


@pytest.fixture(autouse=True)
def _vietnamese() -> Iterator[None]:
    """Messages raised outside a request (e.g. cchc.core.blobs.BlobError) are in the default language, whatever
    a test run earlier in this thread left active."""
    with translation.override(settings.LANGUAGE_CODE):
        yield
