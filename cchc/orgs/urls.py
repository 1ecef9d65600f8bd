from django.urls import path

from cchc.orgs import views

urlpatterns = [
    path("can-bo/dang-nhap/", views.staff_login, name="staff-login"),
    path("can-bo/dang-xuat/", views.staff_logout, name="staff-logout"),
]
