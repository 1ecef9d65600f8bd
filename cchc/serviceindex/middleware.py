"""A page that needs the 766 rules when none are loaded (every `IndexVersion` deleted): a clear Vietnamese
page with 503 instead of a server error. The rules come with the data migration; an administrator restores them
with `manage.py migrate serviceindex zero && manage.py migrate`."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cchc.serviceindex.models import IndexVersion


class MissingRulesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, IndexVersion.DoesNotExist):
            return render(request, "serviceindex/no_rules.html", status=503)
        return None
