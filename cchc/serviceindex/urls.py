from django.urls import URLPattern, URLResolver, path

from cchc.serviceindex import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("can-bo/chi-so-766/", views.ranking, name="serviceindex-ranking"),
    path("can-bo/chi-so-766/toan-tinh/", views.province_detail, name="serviceindex-province"),
    path("can-bo/chi-so-766/don-vi/<int:unit_id>/", views.unit_detail, name="serviceindex-unit"),
    path("can-bo/chi-so-766/xuat.xlsx", views.export_xlsx, name="serviceindex-export"),
]
