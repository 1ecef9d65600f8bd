"""/api/v1/procedures: search and detail, and problem+json for bad parameters."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.catalog import services
from tests.catalog.conftest import make_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def birth():
    return services.procedure_version_publish(version=make_draft(), valid_from=dt.date(2026, 1, 1))


def test_search_returns_summaries(client, birth) -> None:
    response = client.get("/api/v1/procedures", {"q": "ĐĂNG KÝ khai sinh"})
    assert response.status_code == 200
    [row] = response.json()
    assert row["code"] == "1.001193"
    assert row["time_limit"] == {
        "amount": "3.00",
        "unit": "working_days",
        "cutoff": None,
        "text": "3 ngày làm việc",
    }


def test_detail_lists_components_fees_process_and_missing_parts(client, birth) -> None:
    body = client.get("/api/v1/procedures/1.001193").json()
    assert body["components"][0]["name"] == "Tờ khai đăng ký khai sinh"
    assert body["fees"][0]["amount_vnd"] == 0
    assert [step["order"] for step in body["process"]] == sorted(step["order"] for step in body["process"])
    assert body["missing_required_parts"] == []


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 1000}, {"level": "galaxy"}, {"online_level": "level4"}, {"q": "x" * 201}],
)
def test_bad_parameters_are_problems(client, birth, params) -> None:
    response = client.get("/api/v1/procedures", params)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


def test_nul_in_a_parameter_is_a_400_problem(client) -> None:
    response = client.get("/api/v1/procedures?q=a%00b")
    assert response.status_code == 400
    assert response.json()["detail"] == "Địa chỉ hoặc tham số chứa ký tự không hợp lệ."


def test_fields_list(client, birth) -> None:
    assert client.get("/api/v1/procedures/fields").json() == [{"code": "ho-tich", "name": "Hộ tịch"}]
