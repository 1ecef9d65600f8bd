"""Dashboards: the staff dashboard (bảng điều khiển) and the public transparency page (công khai) with open data."""

from django.urls import URLPattern, URLResolver, path

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("can-bo/bang-dieu-khien/", views.dashboard, name="dashboard"),
    path("cong-khai/", views.transparency, name="transparency"),
    path("cong-khai/du-lieu.csv", views.open_data_csv, name="transparency-csv"),
    path("cong-khai/du-lieu.json", views.open_data_json, name="transparency-json"),
]
