"""The JSON API, /api/v1/ (django-ninja). OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from cchc.catalog.api import router as catalog_router
from cchc.core.problem import PROBLEM_CONTENT_TYPE, PROBLEM_SCHEMA, install_problem_handlers
from cchc.dossiers.api import router as dossiers_router
from cchc.orgs.api import router as orgs_router
from cchc.workdays.api import router as calendar_router


class ProblemDocumentedAPI(NinjaAPI):
    """Every operation documents its 4xx answers as problem+json (RFC 9457), the shape all API errors take
    (cchc.core.problem): a client, and the schemathesis run in the tests, can check each response against the
    schema."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        problem = {
            "description": "Lỗi của yêu cầu (problem+json, RFC 9457)",
            "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                if isinstance(operation, dict) and "responses" in operation:
                    operation["responses"].setdefault("4XX", problem)
        return schema


api = ProblemDocumentedAPI(
    title="cchc API",
    version="1",
    description="API của nền tảng cải cách hành chính cchc. Lỗi trả về dạng application/problem+json.",
    urls_namespace="api-v1",
)
install_problem_handlers(api)
api.add_router("/units", orgs_router)
api.add_router("/procedures", catalog_router)
api.add_router("/calendar", calendar_router)
api.add_router("/dossiers", dossiers_router)
