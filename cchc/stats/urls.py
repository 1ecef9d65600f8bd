"""Staff statistics pages, under /can-bo/thong-ke/ (thống kê)."""

from django.urls import URLPattern, URLResolver, path

from cchc.stats import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("can-bo/thong-ke/", views.statistics, name="stats-statistics"),
    path("can-bo/thong-ke/ho-so/", views.statistics_list, name="stats-dossiers"),
    path("can-bo/thong-ke/thong-ke.xlsx", views.statistics_export, name="stats-export"),
]
