"""Feedback pages: public under /phan-anh/ (phản ánh), staff under /can-bo/phan-anh/."""

from django.urls import URLPattern, URLResolver, path

from cchc.feedback import views_public, views_staff

urlpatterns: list[URLPattern | URLResolver] = [
    path("phan-anh/", views_public.published_answers, name="feedback-public"),
    path("phan-anh/gui/", views_public.feedback_submit, name="feedback-submit"),
    path("phan-anh/gui/da-gui/", views_public.feedback_sent, name="feedback-sent"),
    path("phan-anh/tra-cuu/", views_public.feedback_lookup, name="feedback-lookup"),
    path("phan-anh/tra-cuu/<str:code>/", views_public.feedback_status, name="feedback-status"),
    path("phan-anh/tra-cuu/<str:code>/bo-sung/", views_public.feedback_add_more, name="feedback-add-more"),
    path("phan-anh/tra-cuu/<str:code>/danh-gia/", views_public.feedback_rate, name="feedback-rate"),
    path("can-bo/phan-anh/", views_staff.worklist, name="feedback-staff-worklist"),
    path("can-bo/phan-anh/<str:code>/", views_staff.feedback_detail, name="feedback-staff-detail"),
    path(
        "can-bo/phan-anh/<str:code>/thao-tac/<slug:action>/",
        views_staff.feedback_action,
        name="feedback-staff-action",
    ),
]
