"""The JSON API, /api/v1/ (django-ninja). OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs."""

from __future__ import annotations

from ninja import NinjaAPI

from cchc.catalog.api import router as catalog_router
from cchc.core.problem import install_problem_handlers
from cchc.dossiers.api import router as dossiers_router
from cchc.orgs.api import router as orgs_router
from cchc.workdays.api import router as calendar_router

api = NinjaAPI(
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
