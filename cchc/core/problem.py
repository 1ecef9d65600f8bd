"""Errors as RFC 9457 problem details (application/problem+json), with Vietnamese titles."""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

PROBLEM_CONTENT_TYPE = "application/problem+json"
# The JSON Schema of the body `problem_response` writes (documented in the OpenAPI, cchc.api).
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}

_TITLES: dict[int, str] = {
    400: "Yêu cầu không hợp lệ",
    401: "Chưa đăng nhập",
    403: "Không có quyền",
    404: "Không tìm thấy",
    405: "Phương thức không được hỗ trợ",
    409: "Xung đột dữ liệu",
    422: "Dữ liệu không hợp lệ",
    429: "Quá nhiều yêu cầu",
    500: "Lỗi hệ thống",
    503: "Tạm thời không sẵn sàng",
}


def problem_response(status: int, detail: str, *, errors: list[dict[str, Any]] | None = None) -> HttpResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": _TITLES.get(status, "Lỗi"),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_CONTENT_TYPE
    )


def _field_path(loc: Any) -> str:
    parts = [str(p) for p in (loc or []) if p not in ("query", "body", "path", "form")]
    return ".".join(parts)


def install_problem_handlers(api: NinjaAPI) -> None:
    """Every error the API returns is problem+json with a Vietnamese message."""

    @api.exception_handler(ValidationError)
    def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [{"field": _field_path(err.get("loc")), "message": _vi_message(err)} for err in exc.errors]
        return problem_response(422, "Tham số không hợp lệ.", errors=errors)

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem_response(exc.status_code, str(exc))

    @api.exception_handler(AuthenticationError)
    def _auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem_response(401, "Cần đăng nhập để dùng chức năng này.")

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem_response(404, str(exc) or "Không tìm thấy tài nguyên yêu cầu.")


_PYDANTIC_VI: dict[str, str] = {
    "missing": "Thiếu giá trị bắt buộc.",
    "int_parsing": "Phải là số nguyên.",
    "int_type": "Phải là số nguyên.",
    "float_parsing": "Phải là số.",
    "date_from_datetime_parsing": "Ngày không hợp lệ (dạng YYYY-MM-DD).",
    "date_parsing": "Ngày không hợp lệ (dạng YYYY-MM-DD).",
    "datetime_parsing": "Thời điểm không hợp lệ (dạng ISO 8601).",
    "datetime_from_date_parsing": "Thời điểm không hợp lệ (dạng ISO 8601).",
    "enum": "Giá trị không nằm trong danh sách cho phép.",
    "literal_error": "Giá trị không nằm trong danh sách cho phép.",
    "greater_than_equal": "Giá trị quá nhỏ.",
    "less_than_equal": "Giá trị quá lớn.",
    "string_too_long": "Chuỗi quá dài.",
    "string_too_short": "Chuỗi quá ngắn.",
    "value_error": "Giá trị không hợp lệ.",
    "json_invalid": "JSON không hợp lệ.",
}


def _vi_message(err: dict[str, Any]) -> str:
    kind = str(err.get("type", ""))
    if kind == "value_error" and err.get("ctx", {}).get("error"):
        return str(err["ctx"]["error"])
    return _PYDANTIC_VI.get(kind, "Giá trị không hợp lệ.")
