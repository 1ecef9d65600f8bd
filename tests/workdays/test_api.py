"""/api/v1/calendar: deadlines and days off, and problem+json for bad parameters."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_due_counts_working_days_over_tet(client) -> None:
    response = client.get(
        "/api/v1/calendar/due",
        {"received_at": "2026-02-13T16:00:00+07:00", "amount": 1, "unit": "working_days"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["due_at"].startswith("2026-02-23T17:00:00")
    assert body["estimated"] is False


def test_due_with_cutoff_and_naive_time_is_read_in_vietnam_time(client) -> None:
    response = client.get(
        "/api/v1/calendar/due",
        {"received_at": "2026-03-09T15:30:00", "amount": 0, "unit": "working_days", "cutoff": "15:00"},
    )
    assert response.status_code == 200
    assert response.json()["starts_at"].startswith("2026-03-10T07:30:00+07:00")
    assert response.json()["due_at"].startswith("2026-03-10T17:00:00+07:00")


def test_due_in_2027_is_marked_as_an_estimate(client) -> None:
    response = client.get(
        "/api/v1/calendar/due",
        {"received_at": "2027-03-01T09:00:00+07:00", "amount": 5, "unit": "working_days"},
    )
    assert response.json()["estimated"] is True


@pytest.mark.parametrize(
    "params",
    [
        {"received_at": "hôm qua", "amount": 1, "unit": "working_days"},
        {"received_at": "2026-03-09T09:00:00", "amount": -1, "unit": "working_days"},
        {"received_at": "2026-03-09T09:00:00", "amount": 1, "unit": "fortnights"},
        {"received_at": "9999-03-09T09:00:00", "amount": 1, "unit": "working_days"},
        {"received_at": "2026-03-09T09:00:00", "amount": "NaN", "unit": "working_days"},
        {"received_at": "2026-03-09T09:00:00", "amount": 1e308, "unit": "working_days"},
        {"amount": 1, "unit": "working_days"},
    ],
)
def test_bad_parameters_get_problem_json_in_vietnamese(client, params) -> None:
    response = client.get("/api/v1/calendar/due", params)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 422
    assert body["title"] == "Dữ liệu không hợp lệ"


def test_days_off_lists_tet_with_reasons(client) -> None:
    response = client.get("/api/v1/calendar/days/2026")
    assert response.status_code == 200
    days = {row["day"]: row for row in response.json()}
    assert "2026-02-17" in days and "2026-01-10" not in days
    assert days["2026-01-02"]["reason"] == "Ngày nghỉ (điều chỉnh)"
    assert days["2026-03-07"]["reason"] == "Nghỉ cuối tuần"


def test_days_off_refuses_absurd_years(client) -> None:
    assert client.get("/api/v1/calendar/days/99999").status_code == 422


def test_between(client) -> None:
    response = client.get("/api/v1/calendar/between", {"start": "2026-02-13", "end": "2026-02-23"})
    assert response.json()["working_days"] == 1
