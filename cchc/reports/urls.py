from django.urls import path

from cchc.reports import views

urlpatterns = [
    path("can-bo/bao-cao/", views.report_list, name="reports-list"),
    path("can-bo/bao-cao/tao/", views.report_create, name="reports-create"),
    path("can-bo/bao-cao/<int:report_id>/", views.report_page, name="reports-report"),
    path("can-bo/bao-cao/<int:report_id>/luu/", views.report_save, name="reports-save"),
    path("can-bo/bao-cao/<int:report_id>/gui/", views.report_submit, name="reports-submit"),
    path("can-bo/bao-cao/<int:report_id>/bao-cao.docx", views.report_docx, name="reports-docx"),
    path("can-bo/bao-cao/<int:report_id>/phu-luc.xlsx", views.report_xlsx, name="reports-xlsx"),
]
