"""Staff pages of dossiers, under /can-bo/ (cán bộ)."""

from django.urls import path

from cchc.dossiers import views

urlpatterns = [
    path("can-bo/ho-so/", views.worklist, name="staff-worklist"),
    path("can-bo/ho-so/<str:code>/", views.dossier_detail, name="staff-dossier"),
    path(
        "can-bo/ho-so/<str:code>/thao-tac/<slug:action>/",
        views.dossier_action,
        name="staff-dossier-action",
    ),
    path("can-bo/ho-so/<str:code>/mau/<str:number>.pdf", views.dossier_form_pdf, name="staff-dossier-form"),
    path(
        "can-bo/ho-so/<str:code>/tep/<int:component_id>/",
        views.dossier_component_file,
        name="staff-dossier-file",
    ),
    path("can-bo/ho-so/<str:code>/ket-qua.pdf", views.dossier_result_file, name="staff-dossier-result"),
    path("can-bo/tiep-nhan/", views.reception_desk, name="staff-desk"),
    path("can-bo/so-theo-doi/", views.register, name="staff-register"),
    path(
        "can-bo/so-theo-doi/so-theo-doi.<str:extension>",
        views.register_export,
        name="staff-register-export",
    ),
]
