"""The deadline watch: due-soon warnings and overdue marks for staff, claimed once with compare-and-set."""

from __future__ import annotations

import datetime as dt
import io
import threading
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks import TaskResultStatus

from cchc.dossiers import services
from cchc.dossiers.deadline_watch import WatchReport, deadline_watch_run, due_soon_horizon
from cchc.dossiers.models import Dossier, Notification, NotificationChannel, State
from cchc.dossiers.tasks import deadline_watch
from cchc.orgs.models import Membership
from cchc.orgs.roles import Role
from tests.dossiers.conftest import World, at

STAFF_TEMPLATES = ("staff_due_soon", "staff_overdue")
# Friday 13/02/2026, the last working day before Tết Bính Ngọ (off from Saturday 14/02 to Sunday 22/02).
FRIDAY_BEFORE_TET = at(2026, 2, 13, 15, 0)
MONDAY_AFTER_TET_CLOSE = at(2026, 2, 23, 17, 0)
TUESDAY_AFTER_TET_CLOSE = at(2026, 2, 24, 17, 0)


@pytest.fixture(autouse=True)
def _emails(world: World) -> None:
    for key, user in world.staff.items():
        user.email = f"{user.get_username()}@example.vn"
        user.first_name = key
        user.save(update_fields=["email", "first_name"])


def _dossier(
    world: World, *, appointment: dt.datetime, assignee: Any = None, unit: Any = None, state: str = ""
) -> Dossier:
    """A received dossier, then moved to the wanted appointment, holder and assignee."""
    dossier = services.dossier_receive(
        actor=world.staff["reception"], intake=world.intake(), at=at(2026, 2, 9, 9)
    )
    changes: dict[str, Any] = {
        "appointment_at": appointment,
        "current_unit": unit or world.justice,
        "assignee": assignee,
    }
    if state:
        changes["state"] = state
    Dossier.objects.filter(pk=dossier.pk).update(**changes)
    dossier.refresh_from_db()
    return dossier


def _notices(template: str | None = None) -> list[Notification]:
    wanted = (template,) if template else STAFF_TEMPLATES
    return list(Notification.objects.filter(template__in=wanted).order_by("pk"))


# -- due soon -----------------------------------------------------------------------------------------------------
def test_horizon_crosses_weekend_and_tet(world: World) -> None:
    assert due_soon_horizon(FRIDAY_BEFORE_TET, world.justice) == MONDAY_AFTER_TET_CLOSE
    # An ordinary Friday afternoon reaches to Monday's close; a Wednesday to Thursday's.
    assert due_soon_horizon(at(2026, 3, 13, 15), world.justice) == at(2026, 3, 16, 17)
    assert due_soon_horizon(at(2026, 3, 11, 8), world.justice) == at(2026, 3, 12, 17)


def test_due_soon_across_tet_warns_the_assignee(world: World) -> None:
    specialist = world.staff["specialist"]
    dossier = _dossier(world, appointment=MONDAY_AFTER_TET_CLOSE, assignee=specialist)

    report = deadline_watch_run(now=FRIDAY_BEFORE_TET)

    assert (report.due_soon, report.overdue, report.notices) == (1, 0, 1)
    [notice] = _notices()
    assert notice.template == "staff_due_soon"
    assert notice.channel == NotificationChannel.EMAIL
    assert notice.recipient == specialist.email
    assert notice.dossier_id == dossier.pk
    assert notice.next_attempt_at == FRIDAY_BEFORE_TET
    assert notice.subject == f"[{dossier.code}] Hồ sơ sắp đến hạn trả kết quả"
    assert dossier.code in notice.body
    assert world.version.name in notice.body
    assert "Ngày hẹn trả kết quả: 23/02/2026 17:00" in notice.body
    assert "Kính gửi specialist," in notice.body
    dossier.refresh_from_db()
    assert dossier.due_soon_warned_at == FRIDAY_BEFORE_TET
    assert dossier.overdue_marked_at is None
    # The applicant's own "received" notice is untouched and separate.
    assert Notification.objects.filter(dossier=dossier, template="received").exists()


def test_not_due_soon_two_working_days_away(world: World) -> None:
    dossier = _dossier(world, appointment=TUESDAY_AFTER_TET_CLOSE, assignee=world.staff["specialist"])
    report = deadline_watch_run(now=FRIDAY_BEFORE_TET)
    assert (report.due_soon, report.overdue, report.notices) == (0, 0, 0)
    assert _notices() == []
    dossier.refresh_from_db()
    assert dossier.due_soon_warned_at is None
    # On Monday after Tết, Tuesday's close is within one working day.
    assert deadline_watch_run(now=at(2026, 2, 23, 8)).due_soon == 1


def test_only_dossiers_in_processing_are_watched(world: World) -> None:
    _dossier(world, appointment=MONDAY_AFTER_TET_CLOSE, state=State.PROCESSING_SUPPLEMENT)
    _dossier(world, appointment=at(2026, 2, 12, 17), state=State.RESOLVED)
    report = deadline_watch_run(now=FRIDAY_BEFORE_TET)
    assert (report.due_soon, report.overdue, report.notices) == (0, 0, 0)
    assert _notices() == []


# -- overdue ------------------------------------------------------------------------------------------------------
def test_overdue_is_marked_and_notified(world: World) -> None:
    specialist = world.staff["specialist"]
    dossier = _dossier(world, appointment=at(2026, 2, 12, 17), assignee=specialist)

    report = deadline_watch_run(now=FRIDAY_BEFORE_TET)

    assert (report.due_soon, report.overdue, report.notices) == (0, 1, 1)
    [notice] = _notices()
    assert notice.template == "staff_overdue"
    assert notice.recipient == specialist.email
    assert notice.subject == f"[{dossier.code}] Hồ sơ đã quá hạn trả kết quả"
    assert "Ngày hẹn trả kết quả: 12/02/2026 17:00" in notice.body
    dossier.refresh_from_db()
    assert dossier.overdue_marked_at == FRIDAY_BEFORE_TET
    assert dossier.due_soon_warned_at is None


def test_warned_dossier_is_marked_overdue_later(world: World) -> None:
    dossier = _dossier(world, appointment=MONDAY_AFTER_TET_CLOSE, assignee=world.staff["specialist"])
    assert deadline_watch_run(now=FRIDAY_BEFORE_TET).due_soon == 1
    assert deadline_watch_run(now=at(2026, 2, 23, 17, 1)).overdue == 1
    assert [n.template for n in _notices()] == ["staff_due_soon", "staff_overdue"]
    dossier.refresh_from_db()
    assert dossier.due_soon_warned_at and dossier.overdue_marked_at


def test_second_run_sends_nothing_new(world: World) -> None:
    specialist = world.staff["specialist"]
    _dossier(world, appointment=MONDAY_AFTER_TET_CLOSE, assignee=specialist)
    _dossier(world, appointment=at(2026, 2, 12, 17), assignee=specialist)
    first = deadline_watch_run(now=FRIDAY_BEFORE_TET)
    assert (first.due_soon, first.overdue, first.notices) == (1, 1, 2)

    second = deadline_watch_run(now=FRIDAY_BEFORE_TET + dt.timedelta(minutes=10))

    assert (second.due_soon, second.overdue, second.notices, second.lost) == (0, 0, 0, 0)
    assert len(_notices()) == 2


# -- recipients ---------------------------------------------------------------------------------------------------
def test_without_assignee_the_current_units_leaders_are_told(world: World) -> None:
    second_leader = world.staff["other_leader"]
    Membership.objects.create(user=second_leader, unit=world.justice, role=Role.LEADER)
    expired = world.staff["reception"]
    Membership.objects.create(
        user=expired, unit=world.justice, role=Role.LEADER, valid_to=dt.date(2026, 1, 31)
    )
    # A specialist of the unit is not a leader; a leader of another unit is not told.
    dossier = _dossier(world, appointment=at(2026, 2, 12, 17), unit=world.justice)

    report = deadline_watch_run(now=FRIDAY_BEFORE_TET)

    assert (report.overdue, report.notices) == (1, 2)
    assert {n.recipient for n in _notices("staff_overdue")} == {
        world.staff["leader"].email,
        second_leader.email,
    }
    assert all("chưa được phân công" in n.body for n in _notices())
    assert all(n.dossier_id == dossier.pk for n in _notices())


def test_assignee_without_address_falls_back_to_leaders(world: World) -> None:
    specialist = world.staff["specialist"]
    specialist.email = ""
    specialist.save(update_fields=["email"])
    _dossier(world, appointment=MONDAY_AFTER_TET_CLOSE, assignee=specialist)
    deadline_watch_run(now=FRIDAY_BEFORE_TET)
    assert [n.recipient for n in _notices()] == [world.staff["leader"].email]


def test_nobody_to_tell_still_claims_once(world: World) -> None:
    Membership.objects.filter(unit=world.justice, role=Role.LEADER).delete()
    dossier = _dossier(world, appointment=at(2026, 2, 12, 17))
    report = deadline_watch_run(now=FRIDAY_BEFORE_TET)
    assert (report.overdue, report.notices, report.without_recipient) == (1, 0, 1)
    dossier.refresh_from_db()
    assert dossier.overdue_marked_at == FRIDAY_BEFORE_TET
    assert deadline_watch_run(now=FRIDAY_BEFORE_TET).without_recipient == 0


# -- concurrency --------------------------------------------------------------------------------------------------
def test_a_lost_claim_sends_nothing(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another run claims the dossier between this run's read and its compare-and-set."""
    dossier = _dossier(world, appointment=MONDAY_AFTER_TET_CLOSE, assignee=world.staff["specialist"])
    from cchc.dossiers import deadline_watch as module

    real = module._claim_and_notify

    def raced(pk: int, **kwargs: Any) -> bool:
        Dossier.objects.filter(pk=pk).update(due_soon_warned_at=FRIDAY_BEFORE_TET)
        return real(pk, **kwargs)

    monkeypatch.setattr(module, "_claim_and_notify", raced)
    report = deadline_watch_run(now=FRIDAY_BEFORE_TET)
    assert (report.due_soon, report.lost, report.notices) == (0, 1, 0)
    assert _notices() == []
    assert dossier.pk


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_send_one_notice_each(world: World) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections (PostgreSQL); SQLite serialises all writers")
    specialist = world.staff["specialist"]
    due_soon = [_dossier(world, appointment=MONDAY_AFTER_TET_CLOSE, assignee=specialist) for _ in range(8)]
    overdue = [_dossier(world, appointment=at(2026, 2, 12, 17), assignee=specialist) for _ in range(8)]
    workers = 6
    barrier = threading.Barrier(workers, timeout=30)
    reports: list[WatchReport] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def work() -> None:
        try:
            connection.ensure_connection()
            barrier.wait()
            report = deadline_watch_run(now=FRIDAY_BEFORE_TET)
            with lock:
                reports.append(report)
        except BaseException as error:  # reported below
            with lock:
                failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert not failures, failures
    assert sum(r.due_soon for r in reports) == len(due_soon)
    assert sum(r.overdue for r in reports) == len(overdue)
    for template, dossiers in (("staff_due_soon", due_soon), ("staff_overdue", overdue)):
        sent = sorted(n.dossier_id or 0 for n in _notices(template))
        assert sent == sorted(d.pk for d in dossiers)


# -- the task and the command -------------------------------------------------------------------------------------
def test_task_runs_with_the_immediate_backend(world: World, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    _dossier(world, appointment=MONDAY_AFTER_TET_CLOSE, assignee=world.staff["specialist"])

    result = deadline_watch.enqueue(now=FRIDAY_BEFORE_TET.isoformat())

    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    counts = result.return_value
    assert counts is not None
    assert (counts["due_soon"], counts["notices"]) == (1, 1)
    assert len(_notices("staff_due_soon")) == 1


@pytest.mark.django_db(transaction=True)  # the worker closes its database connection after each task
def test_command_enqueues_and_the_database_worker_runs_it(world: World, settings: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    out = io.StringIO()
    call_command("watch_deadlines", "--enqueue", stdout=out)
    assert "Đã đưa vào hàng đợi" in out.getvalue()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "cchc.dossiers.tasks.deadline_watch"
    _dossier(
        world, appointment=dt.datetime(2000, 1, 3, 17, tzinfo=dt.UTC), assignee=world.staff["specialist"]
    )

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())

    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL
    counts = queued.return_value
    assert counts is not None and counts["overdue"] == 1
    assert len(_notices("staff_overdue")) == 1


def test_command_runs_one_pass(world: World) -> None:
    _dossier(
        world, appointment=dt.datetime(2000, 1, 3, 17, tzinfo=dt.UTC), assignee=world.staff["specialist"]
    )
    out = io.StringIO()
    call_command("watch_deadlines", stdout=out)
    assert "quá hạn: 1" in out.getvalue()
    assert len(_notices("staff_overdue")) == 1


def test_an_apology_puts_the_new_date_under_watch_again(world: Any) -> None:
    from cchc.dossiers import services as dossier_services
    from cchc.dossiers.deadline_watch import deadline_watch_run
    from cchc.dossiers.models import Dossier
    from tests.dossiers.conftest import at

    dossier = dossier_services.dossier_receive(
        actor=world.staff["reception"], intake=world.intake(), at=at(2026, 3, 9, 9)
    )  # appointment Thu 12/03 17:00
    deadline_watch_run(now=at(2026, 3, 11, 9))
    assert Dossier.objects.get(pk=dossier.pk).due_soon_warned_at is not None
    dossier.refresh_from_db()
    dossier_services.dossier_apologise(
        dossier=dossier,
        actor=world.staff["leader"],
        reason="Chờ xác minh",
        new_appointment_at=at(2026, 3, 20, 17),
        expected_version=dossier.version,
        at=at(2026, 3, 11, 10),
    )
    dossier.refresh_from_db()
    assert dossier.due_soon_warned_at is None and dossier.overdue_marked_at is None


def test_a_supplement_not_completed_within_15_days_closes_the_dossier(world: Any) -> None:
    """Decree 118/2025 Art. 19(5): closed when not completed within 15 days of the notice."""
    from cchc.dossiers import services as dossier_services
    from cchc.dossiers.deadline_watch import deadline_watch_run
    from cchc.dossiers.history import history_verify
    from cchc.dossiers.models import Dossier, DossierEvent
    from tests.dossiers.conftest import at

    dossier = dossier_services.dossier_receive(
        actor=world.staff["reception"], intake=world.intake(), at=at(2026, 3, 9, 9)
    )
    dossier_services.dossier_request_supplement(
        dossier=dossier,
        actor=world.staff["specialist"],
        missing=["Bản sao CCCD"],
        reason="Ảnh mờ",
        expected_version=dossier.version,
        at=at(2026, 3, 10, 9),
    )
    assert deadline_watch_run(now=at(2026, 3, 25, 8, 59)).closed == 0  # 15 days end 25/03 09:00
    assert Dossier.objects.get(pk=dossier.pk).state == "processing_supplement"
    report = deadline_watch_run(now=at(2026, 3, 25, 9, 0))
    assert report.closed == 1 and dossier.code in report.codes
    closed = Dossier.objects.get(pk=dossier.pk)
    assert closed.state == "stopped" and "15 ngày" in closed.end_reason
    last = DossierEvent.objects.filter(dossier=closed).order_by("-seq").first()
    assert last is not None and last.actor_id is None and last.action == "stop"
    assert history_verify(dossier_ids=[closed.pk]) == []
    assert deadline_watch_run(now=at(2026, 3, 26, 9)).closed == 0  # nothing twice


def test_a_completed_supplement_is_never_closed(world: Any) -> None:
    from cchc.dossiers import services as dossier_services
    from cchc.dossiers.deadline_watch import deadline_watch_run
    from tests.dossiers.conftest import at

    dossier = dossier_services.dossier_receive(
        actor=world.staff["reception"], intake=world.intake(), at=at(2026, 3, 9, 9)
    )
    dossier_services.dossier_request_supplement(
        dossier=dossier,
        actor=world.staff["specialist"],
        missing=["A"],
        reason="r",
        expected_version=dossier.version,
        at=at(2026, 3, 10, 9),
    )
    dossier.refresh_from_db()
    dossier_services.dossier_complete_supplement(
        dossier=dossier,
        actor=world.staff["reception"],
        expected_version=dossier.version,
        at=at(2026, 3, 20, 9),
    )
    assert deadline_watch_run(now=at(2026, 4, 20, 9)).closed == 0
