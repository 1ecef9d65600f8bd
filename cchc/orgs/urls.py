from django.urls import path

from cchc.orgs import views, views_oidc

urlpatterns = [
    path("can-bo/dang-nhap/", views.staff_login, name="staff-login"),
    path("can-bo/dang-xuat/", views.staff_logout, name="staff-logout"),
    path("can-bo/dang-nhap/vneid/", views_oidc.staff_oidc_start, name="staff-oidc-start"),
    path("can-bo/dang-nhap/vneid/callback/", views_oidc.staff_oidc_callback, name="staff-oidc-callback"),
]
