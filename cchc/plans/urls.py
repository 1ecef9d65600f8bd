from django.urls import path

from cchc.plans import views

urlpatterns = [
    path("can-bo/ke-hoach/", views.plan_list, name="plans-list"),
    path("can-bo/ke-hoach/<int:plan_id>/", views.plan_page, name="plans-plan"),
    path("can-bo/ke-hoach/<int:plan_id>/nhiem-vu/", views.task_create, name="plans-task-create"),
    path(
        "can-bo/ke-hoach/<int:plan_id>/nhiem-vu/<int:task_id>/tien-do/",
        views.task_report,
        name="plans-task-report",
    ),
    path("can-bo/ke-hoach/<int:plan_id>/lap-ke-hoach-don-vi/", views.plan_derive, name="plans-derive"),
    path(
        "can-bo/ke-hoach/<int:plan_id>/nhiem-vu/<int:task_id>/tai-lieu/",
        views.task_evidence_upload,
        name="plans-task-evidence",
    ),
    path(
        "can-bo/ke-hoach/<int:plan_id>/tai-lieu/<int:file_id>/",
        views.task_evidence_file,
        name="plans-evidence-file",
    ),
]
