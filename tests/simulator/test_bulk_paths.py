"""The fast paths of the simulator: its inlined calendar arithmetic, and on PostgreSQL the bulk-load session
(foreign keys checked set-based instead of per row)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import connection, transaction

from cchc.dossiers.history import history_verify
from cchc.dossiers.models import Dossier, DossierEvent
from cchc.simulator import rows as R
from cchc.simulator.bulk import bulk_session, foreign_keys_check
from cchc.simulator.services import province_year_simulate
from cchc.simulator.timeline import Clock
from cchc.workdays.calendar import TZ, WorkingHours, default_calendar
from tests.simulator.conftest import NOW

pytestmark = pytest.mark.django_db

needs_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


@pytest.mark.parametrize(
    "hours",
    [WorkingHours(), WorkingHours(((dt.time(8, 0), dt.time(12, 0)), (dt.time(13, 0), dt.time(16, 30))))],
)
def test_the_clock_agrees_with_the_calendar(hours: WorkingHours) -> None:
    calendar = default_calendar()
    clock = Clock(calendar, dt.datetime(2027, 1, 1, tzinfo=TZ))
    rng = random.Random(3)
    for _ in range(3000):
        moment = dt.datetime(2026, 1, 1, tzinfo=TZ) + dt.timedelta(seconds=rng.randrange(365 * 86400))
        amount = rng.choice([0.0001, 0.5, 3.75, 7.5, 8.0, 40.0, 200.0])
        expected = calendar.due_at(moment, max(1, round(amount * 3600)) / 3600, "working_hours", hours=hours)
        assert clock.after(moment, amount, hours) == expected, (moment, amount)
        later = moment + dt.timedelta(seconds=rng.randrange(-86400, 40 * 86400))
        worked = calendar.working_time_between(moment, later, hours=hours).total_seconds() / 3600
        assert clock.worked(moment, later, hours) == worked


@needs_postgres
def test_the_bulk_session_checks_foreign_keys_set_based(province: object) -> None:
    with transaction.atomic():
        assert bulk_session() is True  # the test role is a superuser: per-row triggers off
        province_year_simulate(year=2026, dossiers=200, seed=3, now=NOW)
        first, last = Dossier.objects.order_by("pk").values_list("pk", flat=True)[::199]
        foreign_keys_check((R.DOSSIER, *R.CHILD_TABLES), R.DOSSIER.name, first, last)  # all rows are sound
        # A forged reference, which no trigger sees while they are off, is found by the set-based check.
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE dossiers_dossierevent SET actor_id = 987654 WHERE dossier_id = %s", [first]
            )
        with pytest.raises(RuntimeError, match="actor_id: 987654 not in auth_user"):
            foreign_keys_check((R.EVENT,), R.DOSSIER.name, first, last)
        transaction.set_rollback(True)


@needs_postgres
def test_a_run_leaves_the_session_as_it_found_it(province: object) -> None:
    province_year_simulate(year=2026, dossiers=100, seed=4, now=NOW)
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"
    assert DossierEvent.objects.filter(dossier__isnull=True).count() == 0
    assert history_verify() == []
