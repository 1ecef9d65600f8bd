"""The staff dossier API, /api/v1/dossiers: sign-in, scope, worklists, detail, idempotent intake and actions."""

from __future__ import annotations

import datetime as dt
import json
import threading
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import Resolver404, path, resolve
from django.utils import timezone
from ninja import NinjaAPI

from cchc.core.problem import install_problem_handlers
from cchc.dossiers import api as dossier_api
from cchc.dossiers import services
from cchc.dossiers.api import router
from cchc.dossiers.models import Dossier, PersonalDataAccess, State
from cchc.orgs.models import Membership
from cchc.orgs.roles import Role
from tests.dossiers.conftest import World

BASE = "/api/v1/dossiers"


def _mounted() -> bool:
    try:
        resolve(BASE)
    except Resolver404:
        return False
    return True


# Until cchc/api.py mounts the router, these tests serve it from this module's own URLconf (same problem
# handlers, same prefix); once it is mounted they run against the real /api/v1/.
_test_api = NinjaAPI(urls_namespace="dossiers-api-test")
install_problem_handlers(_test_api)
_test_api.add_router("/dossiers", router)
urlpatterns = [path("api/v1/", _test_api.urls)]

pytestmark = [pytest.mark.django_db]
if not _mounted():
    pytestmark.append(pytest.mark.urls(__name__))


# -- helpers -------------------------------------------------------------------------------------------------------
def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, url: str, body: Any, **headers: str) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json", headers=headers)


def _intake_body(world: World, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "procedure_code": world.version.procedure.code,
        "receiving_unit_id": world.centre.pk,
        "competent_unit_id": world.justice.pk,
        "channel": 1,
        "applicant": {"full_name": "Nguyễn Văn An", "id_number": "079203001234", "phone": "0912345678"},
        "provided_component_ids": list(world.version.components.values_list("pk", flat=True)),
        "outcome": "receive",
    }
    body.update(overrides)
    return body


def _received(world: World) -> Dossier:
    return services.dossier_receive(actor=world.staff["reception"], intake=world.intake())


def _act(client: Client, dossier: Dossier, action: str, **body: Any) -> Any:
    body.setdefault("expected_version", Dossier.objects.get(pk=dossier.pk).version)
    return _post(client, f"{BASE}/{dossier.code}/actions/{action}", body)


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


def _at_justice(world: World) -> Dossier:
    """A received dossier handed over to the justice department's specialist."""
    dossier = _received(world)
    response = _act(
        _client(world.staff["reception"]), dossier, "hand_over", to_user_id=world.staff["specialist"].pk
    )
    assert response.status_code == 200, response.content
    return dossier


# -- sign-in -------------------------------------------------------------------------------------------------------
def test_anonymous_gets_401(world: World) -> None:
    _problem(Client().get(BASE), 401)


def test_a_user_without_any_role_gets_403(world: World) -> None:
    citizen = get_user_model().objects.create_user("congdan", password="mat-khau-dai-2026")
    _problem(_client(citizen).get(BASE), 403)


# -- worklists and scope -------------------------------------------------------------------------------------------
def test_another_department_sees_an_empty_worklist(world: World) -> None:
    _received(world)
    for kind in ("mine", "unit", "due_soon", "overdue", "waiting_citizen", "ready_to_return"):
        response = _client(world.staff["other_leader"]).get(BASE, {"kind": kind})
        assert response.status_code == 200
        assert response.json()["rows"] == []


def test_home_affairs_sees_every_dossier(world: World) -> None:
    dossier = _received(world)
    viewer = get_user_model().objects.create_user("noivu", password="mat-khau-dai-2026")
    Membership.objects.create(user=viewer, unit=world.construction, role=Role.HOME_AFFAIRS)
    assert [row["code"] for row in _client(viewer).get(BASE).json()["rows"]] == [dossier.code]
    assert _client(viewer).get(f"{BASE}/{dossier.code}").status_code == 200


@pytest.mark.parametrize(
    "params",
    [{"kind": "everything"}, {"page": "0"}, {"page": "abc"}, {"per_page": "100000"}, {"page": "9" * 40}],
)
def test_bad_worklist_parameters_are_422(world: World, params: dict[str, str]) -> None:
    _problem(_client(world.staff["reception"]).get(BASE, params), 422)


# -- detail --------------------------------------------------------------------------------------------------------
def test_the_detail_shows_the_dossier_and_logs_the_access(world: World) -> None:
    dossier = _at_justice(world)
    user = world.staff["specialist"]
    response = _client(user).get(f"{BASE}/{dossier.code}")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == dossier.code
    assert body["state"] == State.PROCESSING
    assert body["current_unit"]["id"] == world.justice.pk
    assert body["assignee"]["id"] == user.pk
    assert body["parties"][0]["id_number_masked"] == "079******234"
    assert "079203001234" not in response.content.decode()
    assert [c["provided"] for c in body["components"]] == [True]
    assert len(body["steps"]) == 4
    assert len(body["hand_overs"]) == 1
    assert [e["action"] for e in body["events"]] == ["receive", "hand_over"]
    assert all("hash" not in e and "prev_hash" not in e for e in body["events"])
    assert "hash" not in response.content.decode()
    counts = body["day_counts"]
    assert counts["on_time"] is True
    assert counts["original_appointment_at"] is not None
    assert counts["working_hours_left"] >= 0
    assert "lookup_key" in body and "apology" in body and body["result"] is None
    access = PersonalDataAccess.objects.get(dossier=dossier, user=user)
    assert access.purpose == "xem hồ sơ"


@pytest.mark.parametrize("code", ["KHONG-CO-HO-SO", "x" * 300, "%20"])
def test_an_unknown_code_is_404(world: World, code: str) -> None:
    response = _client(world.staff["reception"]).get(f"{BASE}/{code}")
    assert response.status_code == 404


def test_a_dossier_outside_the_scope_is_404_not_403(world: World) -> None:
    dossier = _received(world)
    client = _client(world.staff["other_leader"])
    _problem(client.get(f"{BASE}/{dossier.code}"), 404)
    _problem(_act(client, dossier, "stop", reason="Thử"), 404)
    assert not PersonalDataAccess.objects.exists()


# -- intake and idempotency ----------------------------------------------------------------------------------------
def test_intake_without_an_idempotency_key_is_400(world: World) -> None:
    body = _problem(_post(_client(world.staff["reception"]), BASE, _intake_body(world)), 400)
    assert "Idempotency-Key" in body["detail"]
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("key", ["k" * 101, "có dấu", "   "])
def test_an_over_long_or_unprintable_idempotency_key_is_400(world: World, key: str) -> None:
    client = _client(world.staff["reception"])
    _problem(_post(client, BASE, _intake_body(world), Idempotency_Key=key), 400)
    assert not Dossier.objects.exists()


def test_a_retry_with_the_same_key_returns_the_same_dossier(world: World) -> None:
    client = _client(world.staff["reception"])
    first = _post(client, BASE, _intake_body(world), Idempotency_Key="lan-1")
    again = _post(client, BASE, _intake_body(world), Idempotency_Key="lan-1")
    assert first.status_code == 201, first.content
    assert again.status_code == 200
    assert again.json() == first.json()
    assert Dossier.objects.count() == 1
    dossier = Dossier.objects.get()
    assert dossier.idempotency_key == f"{world.staff['reception'].pk}:lan-1"
    assert first.json()["state"] == State.PROCESSING
    assert first.json()["appointment_at"] is not None


def test_the_procedure_code_is_found_whatever_its_case(world: World) -> None:
    client = _client(world.staff["reception"])
    code = world.version.procedure.code
    response = _post(
        client, BASE, _intake_body(world, procedure_code=f" {code.lower()} "), Idempotency_Key="hoa"
    )
    assert response.status_code == 201, response.content
    assert Dossier.objects.get().procedure_version == world.version


def test_a_second_intake_reads_no_catalog_parts_and_writes_its_key_with_the_row(world: World) -> None:
    """A published version's checklist, fees and steps are read once per process (catalog.selectors.version_parts),
    and the idempotency key is written with the dossier, not by a second UPDATE (README, Performance)."""
    from django.test.utils import CaptureQueriesContext

    client = _client(world.staff["reception"])
    body = _intake_body(world)
    assert _post(client, BASE, body, Idempotency_Key="mot").status_code == 201
    with CaptureQueriesContext(connection) as queries:
        assert _post(client, BASE, body, Idempotency_Key="hai").status_code == 201
    sql = [q["sql"] for q in queries.captured_queries]
    parts = ('FROM "catalog_component"', 'FROM "catalog_feerule"', 'FROM "catalog_processstep"')
    assert not [q for q in sql if any(table in q for table in parts)]
    assert not [q for q in sql if q.startswith("UPDATE") and "idempotency_key" in q]
    dossier = Dossier.objects.get(idempotency_key=f"{world.staff['reception'].pk}:hai")
    assert dossier.components.count() == len(body["provided_component_ids"])


def test_a_concurrent_retry_that_loses_the_race_returns_the_winners_dossier(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = _client(world.staff["reception"])
    first = _post(client, BASE, _intake_body(world), Idempotency_Key="dua")
    real = dossier_api._dossier_with_key
    calls: list[str] = []

    def not_yet_committed(key: str) -> Dossier | None:
        # The retry's first look happens before the winner commits: it sees nothing and records its own,
        # which the unique key then refuses.
        calls.append(key)
        return None if len(calls) == 1 else real(key)

    monkeypatch.setattr(dossier_api, "_dossier_with_key", not_yet_committed)
    again = _post(client, BASE, _intake_body(world), Idempotency_Key="dua")
    assert len(calls) == 2
    assert again.status_code == 200, again.content
    assert again.json() == first.json()
    assert Dossier.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_key_make_one_dossier(world: World) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections (PostgreSQL)")
    threads_count = 6
    clients = [_client(world.staff["reception"]) for _ in range(threads_count)]
    barrier = threading.Barrier(threads_count, timeout=30)
    answers: list[tuple[int, str]] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def retry(client: Client) -> None:
        try:
            connection.ensure_connection()
            barrier.wait()
            response = _post(client, BASE, _intake_body(world), Idempotency_Key="cung-mot-khoa")
            with lock:
                answers.append((response.status_code, response.json().get("code", "")))
        except BaseException as error:  # reported by the assertion below
            with lock:
                failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=retry, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    assert sorted(status for status, _ in answers) == [200] * (threads_count - 1) + [201]
    assert len({code for _, code in answers}) == 1
    assert Dossier.objects.count() == 1


def test_a_different_key_makes_a_new_dossier(world: World) -> None:
    client = _client(world.staff["reception"])
    first = _post(client, BASE, _intake_body(world), Idempotency_Key="lan-1")
    second = _post(client, BASE, _intake_body(world), Idempotency_Key="lan-2")
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["code"] != second.json()["code"]
    assert Dossier.objects.count() == 2


def test_the_same_key_from_another_officer_is_another_dossier(world: World) -> None:
    colleague = get_user_model().objects.create_user("tiepnhan2", password="mat-khau-dai-2026")
    Membership.objects.create(user=colleague, unit=world.centre, role=Role.RECEPTION_OFFICER)
    first = _post(_client(world.staff["reception"]), BASE, _intake_body(world), Idempotency_Key="k")
    second = _post(_client(colleague), BASE, _intake_body(world), Idempotency_Key="k")
    assert (first.status_code, second.status_code) == (201, 201)
    assert Dossier.objects.count() == 2


def test_intake_can_ask_for_a_supplement_or_refuse(world: World) -> None:
    client = _client(world.staff["reception"])
    supplement = _post(
        client,
        BASE,
        _intake_body(world, outcome="request_supplement", missing=["Tờ khai"], reason="Thiếu tờ khai"),
        Idempotency_Key="a",
    )
    refused = _post(
        client,
        BASE,
        _intake_body(world, outcome="refuse", reason="Không thuộc thẩm quyền"),
        Idempotency_Key="b",
    )
    assert supplement.json()["state"] == State.RECEPTION_SUPPLEMENT
    assert refused.json()["state"] == State.REFUSED


def test_refusing_without_a_reason_is_422_and_records_nothing(world: World) -> None:
    client = _client(world.staff["reception"])
    response = _post(client, BASE, _intake_body(world, outcome="refuse"), Idempotency_Key="a")
    _problem(response, 422)
    assert not Dossier.objects.exists()
    # The key was not used up: the corrected request goes through.
    fixed = _post(
        client, BASE, _intake_body(world, outcome="refuse", reason="Sai thẩm quyền"), Idempotency_Key="a"
    )
    assert fixed.status_code == 201


def test_intake_by_someone_without_the_reception_role_is_403(world: World) -> None:
    response = _post(_client(world.staff["specialist"]), BASE, _intake_body(world), Idempotency_Key="a")
    _problem(response, 403)
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"procedure_code": "9.999999"},
        {"procedure_code": "x" * 41},
        {"receiving_unit_id": 999_999},
        {"competent_unit_id": 2**40},
        {"competent_unit_id": "mot"},
        {"channel": 2},
        {"outcome": "maybe"},
        {"provided_component_ids": [999_999]},
        {"applicant": {"full_name": "A\x00B"}},
        {"applicant": {"full_name": "A" * 256}},
        {"applicant": {"full_name": "   "}},
        {"applicant": {"full_name": "An", "id_number": "0792'; DROP"}},
        {"applicant": {"full_name": "An", "email": "khong-phai-thu"}},
        {"applicant": {"full_name": "An", "birth_date": "2999-01-01"}},
        {"applicant": "Nguyễn Văn An"},
        {"missing": ["x" * 501]},
        {"reason": "x" * 2001},
    ],
)
def test_bad_intake_input_is_422_never_500(world: World, overrides: dict[str, Any]) -> None:
    response = _post(
        _client(world.staff["reception"]), BASE, _intake_body(world, **overrides), Idempotency_Key="a"
    )
    _problem(response, 422)
    assert not Dossier.objects.exists()


def test_a_body_that_is_not_json_is_refused_without_a_500(world: World) -> None:
    client = _client(world.staff["reception"])
    response = client.post(
        BASE, data="{not json", content_type="application/json", headers={"Idempotency-Key": "a"}
    )
    assert 400 <= response.status_code < 500


# -- actions -------------------------------------------------------------------------------------------------------
def test_a_whole_life_through_the_api(world: World) -> None:
    staff = world.staff
    dossier = _at_justice(world)
    leader, specialist, reception = (_client(staff[name]) for name in ("leader", "specialist", "reception"))

    assigned = _act(leader, dossier, "assign", assignee_id=staff["specialist"].pk)
    assert assigned.status_code == 200, assigned.content
    assert assigned.json()["version"] == Dossier.objects.get(pk=dossier.pk).version

    asked = _act(specialist, dossier, "request_supplement", missing=["Giấy chứng sinh"], reason="Thiếu")
    assert asked.json()["state"] == State.PROCESSING_SUPPLEMENT
    completed = _act(reception, dossier, "complete_supplement")
    assert completed.json()["state"] == State.PROCESSING

    appointment = Dossier.objects.get(pk=dossier.pk).appointment_at
    assert appointment is not None
    apology = _act(
        leader,
        dossier,
        "apologise",
        reason="Cần xác minh thêm",
        new_appointment_at=(appointment + dt.timedelta(days=7)).isoformat(),
    )
    assert apology.status_code == 200, apology.content

    resolved = _act(
        leader, dossier, "resolve", document_number="15/GKS", document_date=timezone.localdate().isoformat()
    )
    assert resolved.json()["state"] == State.RESOLVED
    returned = _act(reception, dossier, "return_result", method="counter", proof="Ký nhận")
    assert returned.json()["state"] == State.RETURNED

    detail = specialist.get(f"{BASE}/{dossier.code}").json()
    assert detail["apology"]["reason"] == "Cần xác minh thêm"
    assert detail["result"]["document_number"] == "15/GKS"
    assert detail["delivery"]["method"] == "counter"
    assert len(detail["supplement_requests"]) == 1
    assert detail["actions"] == []


def test_stop_withdraw_and_refuse_end_a_dossier(world: World) -> None:
    leader, reception = _client(world.staff["leader"]), _client(world.staff["reception"])
    stopped, withdrawn, refused = _received(world), _received(world), _received(world)
    assert _act(leader, stopped, "stop", reason="Theo đề nghị").json()["state"] == State.STOPPED
    assert _act(reception, withdrawn, "withdraw", reason="Công dân rút").json()["state"] == State.WITHDRAWN
    # During processing, refusal is the competent agency's decision (lifecycle.ALLOWED_ROLES_IN_STATE).
    _problem(_act(reception, refused, "refuse", reason="Không đủ điều kiện"), 403)
    assert _act(leader, refused, "refuse", reason="Không đủ điều kiện").json()["state"] == State.REFUSED


def test_receive_and_a_second_supplement_at_reception(world: World) -> None:
    reception = _client(world.staff["reception"])
    dossier = services.dossier_request_supplement_at_reception(
        actor=world.staff["reception"], intake=world.intake(), missing=["Tờ khai"], reason="Thiếu"
    )
    # From "asked to complete at reception" the table allows receiving, not asking again.
    _problem(_act(reception, dossier, "request_supplement_at_reception", missing=["Tờ khai"]), 409)
    received = _act(reception, dossier, "receive")
    assert received.json()["state"] == State.PROCESSING
    assert received.json()["appointment_at"] is not None


def test_a_stale_expected_version_is_409(world: World) -> None:
    dossier = _received(world)
    stale = Dossier.objects.get(pk=dossier.pk).version
    client = _client(world.staff["reception"])
    assert _act(client, dossier, "hand_over", expected_version=stale).status_code == 200
    body = _problem(
        _act(_client(world.staff["leader"]), dossier, "stop", reason="x", expected_version=stale), 409
    )
    assert dossier.code in body["detail"]
    assert Dossier.objects.get(pk=dossier.pk).state == State.PROCESSING


def test_a_role_without_the_right_is_403(world: World) -> None:
    dossier = _at_justice(world)
    body = _problem(
        _act(
            _client(world.staff["specialist"]),
            dossier,
            "resolve",
            document_number="1/GKS",
            document_date=timezone.localdate().isoformat(),
        ),
        403,
    )
    assert "quyền" in body["detail"]
    assert Dossier.objects.get(pk=dossier.pk).state == State.PROCESSING


def test_a_transition_the_table_refuses_is_409(world: World) -> None:
    dossier = _received(world)
    body = _problem(_act(_client(world.staff["reception"]), dossier, "return_result"), 409)
    assert "Trả kết quả" in body["detail"]


def test_a_broken_legal_rule_is_422(world: World) -> None:
    dossier = _at_justice(world)
    specialist = _client(world.staff["specialist"])
    assert _act(specialist, dossier, "request_supplement", missing=["A"]).status_code == 200
    _act(_client(world.staff["reception"]), dossier, "complete_supplement")
    body = _problem(_act(specialist, dossier, "request_supplement", missing=["B"]), 422)
    assert "một lần" in body["detail"]


def test_assigning_someone_outside_the_unit_is_422(world: World) -> None:
    dossier = _at_justice(world)
    response = _act(
        _client(world.staff["leader"]), dossier, "assign", assignee_id=world.staff["other_specialist"].pk
    )
    _problem(response, 422)


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("stop", {"reason": "x"}),  # expected_version missing
        ("stop", {"reason": "x", "expected_version": "mot"}),
        ("stop", {"reason": "x", "expected_version": 2**70}),
        ("stop", {"reason": "x\x00", "expected_version": 1}),
        ("stop", {"reason": "x" * 5000, "expected_version": 1}),
        ("assign", {"assignee_id": 999_999, "expected_version": 1}),
        ("hand_over", {"to_user_id": 999_999, "expected_version": 1}),
        ("request_supplement", {"missing": [], "expected_version": 1}),
        ("request_supplement", {"missing": "Tờ khai", "expected_version": 1}),
        (
            "apologise",
            {"reason": "x", "new_appointment_at": "2020-01-01T08:00:00+07:00", "expected_version": 1},
        ),
        ("apologise", {"reason": "x", "new_appointment_at": "ngày mai", "expected_version": 1}),
        ("resolve", {"document_number": "1", "document_date": "2999-01-01", "expected_version": 1}),
        ("resolve", {"document_number": "", "document_date": "2026-01-01", "expected_version": 1}),
        ("return_result", {"method": "pigeon", "expected_version": 1}),
        ("return_result", {"method": "post", "address": "", "expected_version": 1}),
    ],
)
def test_bad_action_input_is_4xx_never_500(world: World, action: str, body: dict[str, Any]) -> None:
    dossier = _at_justice(world)
    user = world.staff["reception"] if action == "return_result" else world.staff["leader"]
    response = _post(_client(user), f"{BASE}/{dossier.code}/actions/{action}", body)
    assert 400 <= response.status_code < 500, response.content
    assert response["Content-Type"] == "application/problem+json"


def test_an_unknown_action_is_404(world: World) -> None:
    dossier = _received(world)
    _problem(_act(_client(world.staff["leader"]), dossier, "fly_away"), 404)


def test_get_on_an_action_is_not_allowed(world: World) -> None:
    dossier = _received(world)
    response = _client(world.staff["leader"]).get(f"{BASE}/{dossier.code}/actions/stop")
    assert response.status_code == 405


def test_the_openapi_document_describes_every_action_with_its_body() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/dossiers", "/api/v1/dossiers/{code}"} <= set(paths)
    actions = {p.rsplit("/", 1)[1] for p in paths if "/actions/" in p}
    assert actions == {
        "assign",
        "hand_over",
        "request_supplement",
        "complete_supplement",
        "apologise",
        "resolve",
        "stop",
        "withdraw",
        "return_result",
        "receive",
        "request_supplement_at_reception",
        "refuse",
    }
    assert "requestBody" in paths["/api/v1/dossiers/{code}/actions/resolve"]["post"]
