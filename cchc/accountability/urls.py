from django.urls import path

from cchc.accountability import views

urlpatterns = [
    path("can-bo/cam-ket/", views.commitment_list, name="accountability-list"),
    path("can-bo/cam-ket/tao/", views.commitment_create, name="accountability-create"),
    path("can-bo/cam-ket/<int:commitment_id>/", views.commitment_page, name="accountability-commitment"),
    path("can-bo/cam-ket/<int:commitment_id>/noi-dung/", views.item_add, name="accountability-item-add"),
    path("can-bo/cam-ket/<int:commitment_id>/ky/", views.commitment_sign, name="accountability-sign"),
    path(
        "can-bo/cam-ket/<int:commitment_id>/noi-dung/<int:item_id>/tai-lieu/",
        views.evidence_upload,
        name="accountability-evidence",
    ),
    path(
        "can-bo/cam-ket/<int:commitment_id>/tai-lieu/<int:file_id>/",
        views.evidence_file,
        name="accountability-evidence-file",
    ),
    path(
        "can-bo/cam-ket/<int:commitment_id>/noi-dung/<int:item_id>/danh-gia/",
        views.item_judge,
        name="accountability-judge",
    ),
]
