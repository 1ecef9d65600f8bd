from django.contrib import admin
from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from cchc.api import api

admin.site.site_header = _("Quản trị cchc")
admin.site.site_title = _("cchc")
admin.site.index_title = _("Quản trị hệ thống")

urlpatterns = [
    # The admin signs in through the throttled staff login (cchc.orgs.throttle), never its own form.
    path(
        "admin/login/",
        RedirectView.as_view(url=reverse_lazy("staff-login"), query_string=True),
        name="admin-login-throttled",
    ),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("cchc.orgs.urls")),
    path("", include("cchc.catalog.urls")),
    path("", include("cchc.dossiers.urls")),
    path("", include("cchc.citizens.urls")),
    path("", include("cchc.payments.urls")),
    path("", include("cchc.feedback.urls")),
    path("", include("cchc.portal.urls")),
    path("", include("cchc.submissions.urls")),
    path("", include("cchc.stats.urls")),
    path("", include("cchc.serviceindex.urls")),
    path("", include("cchc.simulator.urls")),
    path("", include("cchc.dashboards.urls")),
    path("", include("cchc.parindex.urls")),
    path("", include("cchc.plans.urls")),
    path("", include("cchc.accountability.urls")),
    path("", include("cchc.reports.urls")),
    path("", include("cchc.nationalportal.urls")),
]

handler500 = "cchc.core.errors.server_error"
