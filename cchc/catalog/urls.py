from django.urls import path

from cchc.catalog import views

urlpatterns = [
    path("", views.procedure_search, name="home"),
    path("thu-tuc/", views.procedure_search, name="procedure-search"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure-detail"),
    path(
        "thu-tuc/<str:code>/mau/<int:component_id>/",
        views.component_template,
        name="procedure-form-template",
    ),
]
