"""A database that is down answers 503 with Retry-After (pages and API alike); other failures stay 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Make the procedure search (a page) and the procedure API fail with the given exception."""

    def arrange(error: Exception) -> None:
        def boom(*args: Any, **kwargs: Any) -> Any:
            raise error

        monkeypatch.setattr("cchc.catalog.selectors.procedure_search", boom)

    return arrange


@pytest.mark.parametrize(("path", "content_type"), [("/thu-tuc/?q=ho+tich", "text/html"),
                                                    ("/api/v1/procedures?q=ho+tich", "application/problem+json")])  # fmt: skip
def test_a_database_that_is_down_answers_503_with_retry_after(
    failing: Any, path: str, content_type: str
) -> None:
    failing(OperationalError("connection refused"))
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response["Content-Type"].startswith(content_type)
    if content_type == "application/problem+json":
        assert response.json()["title"] == "Tạm thời không sẵn sàng"
    else:
        assert "Dữ liệu đã lưu không bị mất" in response.content.decode()


def test_any_other_failure_stays_a_500(failing: Any) -> None:
    failing(RuntimeError("bug"))
    response = Client(raise_request_exception=False).get("/api/v1/procedures?q=ho+tich")
    assert response.status_code == 500 and not response.has_header("Retry-After")
    assert response["Content-Type"] == "application/problem+json"
