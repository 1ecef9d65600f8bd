"""HTTP security headers that Django does not set by itself."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy header from settings.CONTENT_SECURITY_POLICY."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy: str = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # The API docs page (Swagger UI, served from our own static files) sets inline styles.
        if request.path.startswith("/api/v1/docs"):
            response.setdefault(
                "Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
            )
        else:
            response.setdefault("Content-Security-Policy", self.policy)
        return response


class RejectNullCharactersMiddleware:
    """Answer 400 to a path or query string holding a NUL character.

    PostgreSQL refuses NUL in text, so such input would otherwise surface as a database error (a 500).
    No legitimate address or search contains one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query_values = (value for values in request.GET.lists() for value in [values[0], *values[1]])
        if "\x00" in request.path or any("\x00" in value for value in query_values):
            return bad_request_response(request, "Địa chỉ hoặc tham số chứa ký tự không hợp lệ.")
        return self.get_response(request)


def bad_request_response(request: HttpRequest, detail: str) -> HttpResponse:
    """A 400 as problem+json for the API and as a Vietnamese page elsewhere."""
    if request.path.startswith("/api/"):
        from cchc.core.problem import problem_response

        return problem_response(400, detail)
    from django.shortcuts import render

    return render(request, "400.html", {"detail": detail}, status=400)
