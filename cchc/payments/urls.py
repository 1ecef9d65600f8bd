"""Payment pages: the citizen's under /thanh-toan/ (thanh toán), the staff's under /can-bo/ (cán bộ)."""

from django.urls import URLPattern, URLResolver, path

from cchc.payments import views
from cchc.payments.sandbox import sandbox_gateway

urlpatterns: list[URLPattern | URLResolver] = [
    # The fixed addresses come before /thanh-toan/<code>/, so no dossier code can shadow them.
    path("thanh-toan/ket-qua/", views.payment_return, name="payments-return"),
    path("thanh-toan/ipn/", views.ipn, name="payments-ipn"),
    # The demo's test gateway (cchc.payments.sandbox): a 404 unless settings.CCHC_PAYMENT_SANDBOX is on.
    path("thanh-toan/cong-thu-nghiem/", sandbox_gateway, name="payments-sandbox"),
    path("thanh-toan/<str:code>/", views.pay, name="payments-pay"),
    path("thanh-toan/<str:code>/giao-dich/<str:ref>/", views.payment_detail, name="payments-payment"),
    path(
        "thanh-toan/<str:code>/giao-dich/<str:ref>/bien-lai.pdf",
        views.receipt_pdf_view,
        name="payments-receipt-pdf",
    ),
    path("can-bo/thanh-toan/", views.reconcile, name="payments-reconcile"),
    path("can-bo/thanh-toan/doi-soat.xlsx", views.reconcile_export, name="payments-reconcile-export"),
]
