from django.urls import path

from cchc.accountability import views, views_inspections, views_rewards

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
    path("can-bo/kiem-tra/", views_inspections.inspection_list, name="accountability-inspections"),
    path(
        "can-bo/kiem-tra/tao/", views_inspections.inspection_create, name="accountability-inspection-create"
    ),
    path(
        "can-bo/kiem-tra/<int:inspection_id>/",
        views_inspections.inspection_page,
        name="accountability-inspection",
    ),
    path(
        "can-bo/kiem-tra/<int:inspection_id>/da-kiem-tra/",
        views_inspections.inspection_conduct,
        name="accountability-inspection-conduct",
    ),
    path(
        "can-bo/kiem-tra/<int:inspection_id>/phat-hien/",
        views_inspections.finding_create,
        name="accountability-finding-create",
    ),
    path(
        "can-bo/kiem-tra/<int:inspection_id>/phat-hien/<int:finding_id>/khac-phuc/",
        views_inspections.remedy_create,
        name="accountability-remedy-create",
    ),
    path(
        "can-bo/kiem-tra/<int:inspection_id>/phat-hien/<int:finding_id>/ky-luat/",
        views_inspections.discipline_create,
        name="accountability-discipline-create",
    ),
    path(
        "can-bo/kiem-tra/<int:inspection_id>/ky-luat/<int:recommendation_id>/",
        views_inspections.discipline_decide,
        name="accountability-discipline-decide",
    ),
    path(
        "can-bo/kiem-tra/<int:inspection_id>/ket-luan/",
        views_inspections.inspection_conclude,
        name="accountability-inspection-conclude",
    ),
    path(
        "can-bo/kiem-tra/<int:inspection_id>/khac-phuc/<int:remedy_id>/bao-cao/",
        views_inspections.remedy_report,
        name="accountability-remedy-report",
    ),
    path(
        "can-bo/kiem-tra/<int:inspection_id>/khac-phuc/<int:remedy_id>/xem-xet/",
        views_inspections.remedy_review,
        name="accountability-remedy-review",
    ),
    path(
        "can-bo/kiem-tra/<int:inspection_id>/tai-lieu/<int:file_id>/",
        views_inspections.remedy_file,
        name="accountability-remedy-file",
    ),
    path("can-bo/thi-dua/", views_rewards.rewards_page, name="accountability-rewards"),
    path("can-bo/thi-dua/lap-de-xuat/", views_rewards.proposals_draft, name="accountability-proposals-draft"),
    path(
        "can-bo/thi-dua/de-xuat/<int:proposal_id>/",
        views_rewards.proposal_decide,
        name="accountability-proposal-decide",
    ),
    path(
        "can-bo/thi-dua/sang-kien/", views_rewards.initiative_submit, name="accountability-initiative-submit"
    ),
    path(
        "can-bo/thi-dua/sang-kien/<int:initiative_id>/",
        views_rewards.initiative_assess,
        name="accountability-initiative-assess",
    ),
]
