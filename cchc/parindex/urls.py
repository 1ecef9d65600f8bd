from django.urls import path

from cchc.parindex import views

urlpatterns = [
    path("can-bo/chi-so-cchc/bo-tieu-chi/", views.criteria_sets, name="parindex-sets"),
    path("can-bo/chi-so-cchc/bo-tieu-chi/nhap/", views.criteria_set_upload, name="parindex-set-upload"),
    path(
        "can-bo/chi-so-cchc/bo-tieu-chi/<int:set_id>/tai-ve.<str:extension>",
        views.criteria_set_download,
        name="parindex-set-download",
    ),
    path("can-bo/chi-so-cchc/bo-tieu-chi/<int:set_id>/mo-dot/", views.assessment_start, name="parindex-open"),
    path(
        "can-bo/chi-so-cchc/<int:assessment_id>/don-vi/<int:unit_id>/phieu-ket-qua.pdf",
        views.unit_scorecard,
        name="parindex-scorecard",
    ),
    path("can-bo/chi-so-cchc/", views.assessment_list, name="parindex-list"),
    path("can-bo/chi-so-cchc/<int:assessment_id>/xep-hang/", views.ranking_page, name="parindex-ranking"),
    path("can-bo/chi-so-cchc/<int:assessment_id>/tong-hop.xlsx", views.ranking_xlsx, name="parindex-xlsx"),
    path("cong-khai/chi-so-cchc/", views.public_results, name="parindex-public"),
    path("can-bo/chi-so-cchc/<int:assessment_id>/cong-bo/", views.publish, name="parindex-publish"),
    path("can-bo/chi-so-cchc/<int:assessment_id>/khao-sat/", views.survey_upload, name="parindex-survey"),
    path(
        "can-bo/chi-so-cchc/<int:assessment_id>/don-vi/<int:unit_id>/", views.unit_page, name="parindex-unit"
    ),
    path(
        "can-bo/chi-so-cchc/<int:assessment_id>/don-vi/<int:unit_id>/gui/",
        views.submit,
        name="parindex-submit",
    ),
    path(
        "can-bo/chi-so-cchc/<int:assessment_id>/don-vi/<int:unit_id>/tieu-chi/<int:criterion_id>/diem/",
        views.score_save,
        name="parindex-score",
    ),
    path(
        "can-bo/chi-so-cchc/<int:assessment_id>/don-vi/<int:unit_id>/tieu-chi/<int:criterion_id>/tai-lieu/",
        views.evidence_upload,
        name="parindex-evidence",
    ),
    path(
        "can-bo/chi-so-cchc/<int:assessment_id>/don-vi/<int:unit_id>/tai-lieu/<int:file_id>/",
        views.evidence_file,
        name="parindex-evidence-file",
    ),
    path(
        "can-bo/chi-so-cchc/<int:assessment_id>/don-vi/<int:unit_id>/tieu-chi/<int:criterion_id>/tham-dinh/",
        views.appraise,
        name="parindex-appraise",
    ),
]
