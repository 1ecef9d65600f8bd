"""The dossier history: the hash chain is written so it re-hashes, and tampering in the database is named."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from cchc.catalog import services as catalog_services
from cchc.catalog.models import ProcedureVersion
from cchc.dossiers.history import (
    event_append,
    event_hash,
    genesis_hash,
    history_check,
    history_verify,
)
from cchc.dossiers.models import (
    Channel,
    Dossier,
    DossierEvent,
    HistoryIsAppendOnlyError,
    State,
)
from cchc.orgs.models import AdministrativeUnit, Generation, Level, Unit, UnitKind
from tests.catalog.conftest import make_draft

UTC = dt.UTC
T0 = dt.datetime(2026, 3, 2, 1, 30, 15, 123456, tzinfo=UTC)


def _tamper(queryset: Any, **values: Any) -> int:
    """Change rows as someone with database access would: past the append-only guard of the model layer."""
    from django.db.models import QuerySet

    return QuerySet.update(queryset, **values)


@pytest.fixture
def unit(db: None) -> Unit:
    province = AdministrativeUnit.objects.create(
        generation=Generation.CURRENT,
        level=Level.PROVINCE,
        code=992,
        name="Tỉnh Nhật Ký",
        codename="tinh_nhat_ky",
        division_type="tỉnh",
        province_code=992,
    )
    return Unit.objects.create(
        name="Sở Tư pháp tỉnh Nhật Ký", kind=UnitKind.DEPARTMENT, area=province, identifier="000.00.12.H98"
    )


@pytest.fixture
def version(db: None) -> ProcedureVersion:
    return catalog_services.procedure_version_publish(version=make_draft(), valid_from=dt.date(2025, 7, 1))


@pytest.fixture
def officer(db: None) -> Any:
    return get_user_model().objects.create_user("canbo.nhatky", password="mat-khau-dai-2026")


@pytest.fixture
def make_dossier(unit: Unit, version: ProcedureVersion) -> Any:
    counter = iter(range(1, 1000))

    def make(events: int = 0, actor: Any = None) -> Dossier:
        n = next(counter)
        dossier = Dossier.objects.create(
            code=f"000.00.12.H98-260302-{n:04d}",
            lookup_key=f"KEY{n:05d}",
            procedure_version=version,
            receiving_unit=unit,
            competent_unit=unit,
            current_unit=unit,
            channel=Channel.IN_PERSON,
            state=State.PROCESSING,
        )
        for i in range(events):
            event_append(
                dossier=dossier,
                action=f"action_{i + 1}",
                actor=actor,
                state_before=State.PROCESSING,
                state_after=State.PROCESSING,
                changes={"note": f"bước {i + 1}"},
                at=T0 + dt.timedelta(minutes=i),
            )
        return dossier

    return make


def _rehash(event: DossierEvent, **overrides: Any) -> str:
    values: dict[str, Any] = {
        "dossier_id": event.dossier_id,
        "seq": event.seq,
        "action": event.action,
        "actor_id": event.actor_id,
        "at": event.at,
        "state_before": event.state_before,
        "state_after": event.state_after,
        "changes": event.changes,
        "prev_hash": event.prev_hash,
    }
    values.update(overrides)
    return event_hash(**values)


def _delete_raw(dossier: Dossier, seq: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {DossierEvent._meta.db_table} WHERE dossier_id = %s AND seq = %s",  # noqa: S608
            [dossier.pk, seq],
        )


def _kinds(problems: list[Any]) -> list[tuple[int | None, str]]:
    return [(p.seq, p.kind) for p in problems]


# -- writing ----------------------------------------------------------------------------------------------------
def test_a_clean_chain_verifies_and_links_from_the_genesis(make_dossier: Any, officer: Any) -> None:
    dossier = make_dossier(events=3, actor=officer)

    assert dossier.history_length == 3
    stored = Dossier.objects.get(pk=dossier.pk)
    events = list(DossierEvent.objects.filter(dossier=dossier).order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == genesis_hash(dossier_id=dossier.pk, code=dossier.code)
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    assert (stored.history_length, stored.history_head) == (3, events[2].hash) == (3, dossier.history_head)
    assert all(_rehash(e) == e.hash for e in events)
    assert history_verify() == []
    assert history_verify(dossier_ids=[dossier.pk]) == []


def test_changes_are_stored_exactly_as_hashed(make_dossier: Any, officer: Any) -> None:
    dossier = make_dossier()
    changes = {
        "z": "Đơn vị mới",
        "amount": Decimal("1.50"),
        "ratio": 0.1,
        "big": 1e20,
        "day": dt.date(2026, 3, 2),
        "appointment_at": dt.datetime(2026, 3, 5, 17, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))),
        "channel": Channel.ONLINE,
        "state": State.RESOLVED,
        "missing": ("Tờ khai", "Bản sao"),
        "nested": {2: {"b": None, "a": True}},
        "none": None,
    }
    event = event_append(
        dossier=dossier,
        action="receive",
        actor=officer,
        state_before="",
        state_after=State.PROCESSING,
        changes=changes,
        at=T0,
    )

    fresh = DossierEvent.objects.get(pk=event.pk)
    assert fresh.changes == {
        "z": "Đơn vị mới",
        "amount": "1.50",
        "ratio": "0.1",
        "big": "1e+20",
        "day": "2026-03-02",
        "appointment_at": "2026-03-05T10:00:00+00:00",
        "channel": 2,
        "state": "resolved",
        "missing": ["Tờ khai", "Bản sao"],
        "nested": {"2": {"a": True, "b": None}},
        "none": None,
    }
    assert fresh.changes == event.changes
    assert _rehash(fresh) == fresh.hash == event.hash
    assert history_verify() == []


def test_bad_input_is_refused(make_dossier: Any) -> None:
    dossier = make_dossier()
    common: dict[str, Any] = {
        "dossier": dossier,
        "action": "x",
        "actor": None,
        "state_before": "",
        "state_after": "x",
    }
    with pytest.raises(ValueError):
        event_append(**common, changes={}, at=dt.datetime(2026, 3, 2))
    with pytest.raises(TypeError):
        event_append(**common, changes={"dossier": dossier})
    with pytest.raises(TypeError):
        event_append(**common, changes={"set": {1, 2}})
    assert DossierEvent.objects.count() == 0
    assert Dossier.objects.get(pk=dossier.pk).history_length == 0


def test_events_cannot_be_changed_or_deleted_through_the_model(make_dossier: Any) -> None:
    dossier = make_dossier(events=1)
    event = DossierEvent.objects.get(dossier=dossier)
    event.action = "forged"
    with pytest.raises(HistoryIsAppendOnlyError):
        event.save()
    with pytest.raises(HistoryIsAppendOnlyError):
        event.delete()
    assert DossierEvent.objects.get(pk=event.pk).action == "action_1"


# -- checking ---------------------------------------------------------------------------------------------------
def test_an_edited_event_is_named(make_dossier: Any) -> None:
    dossier = make_dossier(events=3)
    _tamper(DossierEvent.objects.filter(dossier=dossier, seq=2), changes={"note": "đã sửa"})

    problems = history_verify()
    assert _kinds(problems) == [(2, "edited")]
    assert problems[0].dossier_id == dossier.pk and problems[0].dossier_code == dossier.code
    assert dossier.code in problems[0].message and "số 2" in problems[0].message


def test_an_edited_actor_or_time_is_detected(make_dossier: Any, officer: Any) -> None:
    dossier = make_dossier(events=2, actor=officer)
    _tamper(DossierEvent.objects.filter(dossier=dossier, seq=1), actor=None)
    _tamper(DossierEvent.objects.filter(dossier=dossier, seq=2), at=T0 + dt.timedelta(days=1))

    assert _kinds(history_verify()) == [(1, "edited"), (2, "edited")]


def test_a_rewritten_event_with_a_recomputed_hash_breaks_the_link(make_dossier: Any) -> None:
    dossier = make_dossier(events=3)
    event = DossierEvent.objects.get(dossier=dossier, seq=2)
    _tamper(
        DossierEvent.objects.filter(pk=event.pk),
        changes={"note": "đã sửa"},
        hash=_rehash(event, changes={"note": "đã sửa"}),
    )

    problems = history_verify()
    assert _kinds(problems) == [(3, "chain_broken")]
    assert "số 3" in problems[0].message and "số 2" in problems[0].message


def test_a_rewritten_last_event_no_longer_matches_the_head(make_dossier: Any) -> None:
    dossier = make_dossier(events=3)
    event = DossierEvent.objects.get(dossier=dossier, seq=3)
    _tamper(DossierEvent.objects.filter(pk=event.pk), action="forged", hash=_rehash(event, action="forged"))

    assert _kinds(history_verify()) == [(3, "head_mismatch")]


def test_a_deleted_middle_event_is_named(make_dossier: Any) -> None:
    dossier = make_dossier(events=4)
    _delete_raw(dossier, 2)

    problems = history_verify()
    assert _kinds(problems) == [(2, "deleted")]
    assert dossier.code in problems[0].message and "số 2" in problems[0].message


def test_a_deleted_last_event_is_detected(make_dossier: Any) -> None:
    dossier = make_dossier(events=3)
    _delete_raw(dossier, 3)

    problems = history_verify()
    assert _kinds(problems) == [(3, "deleted")]
    assert "số 3" in problems[0].message


def test_a_whole_deleted_history_is_detected(make_dossier: Any) -> None:
    dossier = make_dossier(events=2)
    _delete_raw(dossier, 1)
    _delete_raw(dossier, 2)

    assert _kinds(history_verify()) == [(1, "deleted")]


def test_a_forged_event_appended_with_a_plausible_hash_is_detected(make_dossier: Any) -> None:
    dossier = make_dossier(events=2)
    forged = DossierEvent(
        dossier=dossier,
        seq=3,
        action="resolve",
        actor=None,
        at=T0 + dt.timedelta(hours=1),
        state_before=State.PROCESSING,
        state_after=State.RESOLVED,
        changes={},
        prev_hash=dossier.history_head,
    )
    forged.hash = _rehash(forged)
    DossierEvent.objects.bulk_create([forged])

    problems = history_verify()
    assert _kinds(problems) == [(3, "inserted")]
    assert dossier.code in problems[0].message and "số 3" in problems[0].message


def test_a_forged_event_in_place_of_a_deleted_one_is_detected(make_dossier: Any) -> None:
    dossier = make_dossier(events=3)
    original = DossierEvent.objects.get(dossier=dossier, seq=2)
    _delete_raw(dossier, 2)
    forged = DossierEvent(
        dossier=dossier,
        seq=2,
        action="forged",
        at=original.at,
        state_before=original.state_before,
        state_after=original.state_after,
        changes={},
        prev_hash=original.prev_hash,
    )
    forged.hash = _rehash(forged)
    DossierEvent.objects.bulk_create([forged])

    assert _kinds(history_verify()) == [(3, "chain_broken")]


def test_an_edited_head_is_detected(make_dossier: Any) -> None:
    dossier = make_dossier(events=2)
    Dossier.objects.filter(pk=dossier.pk).update(history_head="0" * 64)

    assert _kinds(history_verify()) == [(2, "head_mismatch")]


def test_only_the_given_dossiers_are_checked(make_dossier: Any) -> None:
    empty = make_dossier()
    tampered = make_dossier(events=2)
    clean = make_dossier(events=3)
    _tamper(DossierEvent.objects.filter(dossier=tampered, seq=1), action="forged")

    assert history_verify(dossier_ids=[clean.pk, empty.pk]) == []
    assert [p.dossier_code for p in history_verify()] == [tampered.code]
    report = history_check()
    assert (report.dossiers, report.events) == (3, 5)


def test_verification_streams_many_events(make_dossier: Any) -> None:
    dossiers = [make_dossier(events=30) for _ in range(5)]
    _tamper(DossierEvent.objects.filter(dossier=dossiers[3], seq=17), state_after="returned")

    report = history_check()
    assert (report.dossiers, report.events) == (5, 150)
    assert [(p.dossier_id, p.seq, p.kind) for p in report.problems] == [(dossiers[3].pk, 17, "edited")]


# -- the command ------------------------------------------------------------------------------------------------
def test_the_command_passes_a_clean_history(make_dossier: Any) -> None:
    make_dossier(events=2)
    out = io.StringIO()
    call_command("verify_history", stdout=out)
    assert "Đã kiểm tra 1 hồ sơ, 2 sự kiện: không phát hiện sai lệch." in out.getvalue()


def test_the_command_fails_on_tampering_and_names_the_event(make_dossier: Any) -> None:
    dossier = make_dossier(events=3)
    make_dossier(events=1)
    _delete_raw(dossier, 2)
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("verify_history", stdout=out)
    assert raised.value.returncode == 1
    assert f"Hồ sơ {dossier.code}: sự kiện số 2 đã bị xóa" in out.getvalue()
    assert "phát hiện 1 sai lệch" in str(raised.value)


def test_the_command_exits_with_status_1_from_the_command_line(make_dossier: Any) -> None:
    dossier = make_dossier(events=2)
    _tamper(DossierEvent.objects.filter(dossier=dossier, seq=1), action="forged")
    from django.core.management import ManagementUtility

    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "verify_history"]).execute()
    assert exited.value.code == 1


def test_the_command_checks_one_dossier(make_dossier: Any) -> None:
    tampered = make_dossier(events=2)
    clean = make_dossier(events=2)
    _tamper(DossierEvent.objects.filter(dossier=tampered, seq=1), action="forged")
    out = io.StringIO()
    call_command("verify_history", "--dossier", clean.code, stdout=out)
    assert "Đã kiểm tra 1 hồ sơ, 2 sự kiện" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("verify_history", "--dossier", tampered.code, stdout=io.StringIO())
    with pytest.raises(CommandError, match="Không tìm thấy hồ sơ"):
        call_command("verify_history", "--dossier", "KHONG-CO", stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_the_command_streams_outside_a_transaction(make_dossier: Any) -> None:
    """Autocommit, as from the command line: the two streamed cursors (server-side on PostgreSQL) still merge."""
    for _ in range(3):
        make_dossier(events=4)
    out = io.StringIO()
    call_command("verify_history", stdout=out)
    assert "Đã kiểm tra 3 hồ sơ, 12 sự kiện: không phát hiện sai lệch." in out.getvalue()


@pytest.mark.django_db
def test_bulk_updates_and_deletes_of_events_are_refused() -> None:
    with pytest.raises(HistoryIsAppendOnlyError):
        DossierEvent.objects.all().update(action="x")
    with pytest.raises(HistoryIsAppendOnlyError):
        DossierEvent.objects.all().delete()
