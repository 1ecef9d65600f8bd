"""The API publishes its OpenAPI document and docs page; unknown paths answer problem+json."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_document_lists_every_router(client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.")
    paths = set(spec["paths"])
    assert "/api/v1/calendar/due" in paths
    assert "/api/v1/procedures" in paths
    assert "/api/v1/procedures/{code}" in paths
    assert any(path.startswith("/api/v1/units") for path in paths)


def test_docs_page_is_served_from_our_own_static_files(client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    body = response.content.decode()
    assert "swagger-ui" in body
    assert "cdn.jsdelivr.net" not in body


def test_unknown_procedure_is_a_problem_in_vietnamese(client) -> None:
    response = client.get("/api/v1/procedures/9.999999")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Không tìm thấy"
