"""The answer when the server cannot finish a request (handler500).

A database that is down or restarting (an OperationalError or InterfaceError from the driver) is not a fault in
the request: it answers 503 Service Unavailable with Retry-After, so clients and proxies retry (the load-with-
faults run, bench/fault_load.py, sees these while PostgreSQL restarts). The API answers problem+json; pages the
Vietnamese error page. Anything else stays a 500.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

from cchc.core.problem import problem_response

RETRY_AFTER_SECONDS = 5


def server_error(request: HttpRequest) -> HttpResponse:
    unavailable = isinstance(sys.exc_info()[1], OperationalError | InterfaceError)
    status = 503 if unavailable else 500
    if request.path.startswith("/api/"):
        detail = (
            "Cơ sở dữ liệu tạm thời không sẵn sàng, vui lòng thử lại sau ít giây."
            if unavailable
            else "Hệ thống gặp sự cố; dữ liệu đã lưu không bị mất."
        )
        response = problem_response(status, detail)
    else:
        response = HttpResponse(loader.get_template("500.html").render(), status=status)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
