from django.urls import path

from cchc.submissions import views

urlpatterns = [
    path("nop-truc-tuyen/", views.drafts, name="submission-drafts"),
    path("nop-truc-tuyen/thu-tuc/<str:code>/", views.start, name="submission-start"),
    path("nop-truc-tuyen/nhap/<uuid:key>/nguoi-nop/", views.step_applicant, name="submission-applicant"),
    path("nop-truc-tuyen/nhap/<uuid:key>/giay-to/", views.step_files, name="submission-files"),
    path("nop-truc-tuyen/nhap/<uuid:key>/nhan-ket-qua/", views.step_return, name="submission-return"),
    path("nop-truc-tuyen/nhap/<uuid:key>/xac-nhan/", views.step_review, name="submission-review"),
    path("nop-truc-tuyen/da-nop/<str:code>/", views.done, name="submission-done"),
    path("nop-truc-tuyen/bo-sung/<str:code>/", views.supplement, name="submission-supplement"),
]
