"""Citizen sign-in and profile pages, under /cong-dan/ (công dân)."""

from django.urls import URLPattern, URLResolver, path

from cchc.citizens import views, views_oidc

urlpatterns: list[URLPattern | URLResolver] = [
    path("cong-dan/dang-nhap/", views.login_start, name="citizen-login"),
    path("cong-dan/dang-nhap/nhap-ma/", views.login_code, name="citizen-login-code"),
    path("cong-dan/dang-nhap/vneid/", views_oidc.oidc_start, name="citizen-oidc-start"),
    path("cong-dan/dang-nhap/vneid/callback/", views_oidc.oidc_callback, name="citizen-oidc-callback"),
    path("cong-dan/dang-xuat/", views.logout_view, name="citizen-logout"),
    path("cong-dan/ho-so-ca-nhan/", views.profile, name="citizen-profile"),
]
