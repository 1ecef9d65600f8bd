"""A bare Django view (no middleware, no database, no template): the ceiling `make bench` compares the tracking
page with, served by the same granian configuration. Serve with `granian --interface wsgi bench.bare_wsgi:application`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["127.0.0.1"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    SECRET_KEY="bench-bare-view",  # noqa: S106 (serves one constant page on 127.0.0.1)
)


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Tra cứu hồ sơ", content_type="text/plain; charset=utf-8")


urlpatterns = [path("tra-cuu/", bare)]
application = get_wsgi_application()
