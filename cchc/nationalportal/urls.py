from django.urls import URLPattern, path

from cchc.nationalportal import views

urlpatterns: list[URLPattern] = [
    path("can-bo/dong-bo-dvcqg/", views.sync, name="nationalportal-sync"),
    path("can-bo/dong-bo-dvcqg/<int:pk>/gui-lai/", views.resend, name="nationalportal-resend"),
]
