"""Public pages: tracking and rating under /tra-cuu/ and /danh-gia/, a citizen's dossiers under /cong-dan/."""

from django.urls import URLPattern, URLResolver, path

from cchc.portal import views

urlpatterns: list[URLPattern | URLResolver] = [
    # /tra-cuu/?ma=<code>&khoa=<lookup key> is printed as a QR code on Mẫu 01 (cchc.dossiers.forms.notices).
    path("tra-cuu/", views.track, name="portal-track"),
    path("tra-cuu/danh-gia/", views.rate, name="portal-rate"),
    path("tra-cuu/danh-gia-chi-tiet/", views.evaluate, name="portal-evaluate"),
    path("tra-cuu/ket-qua/", views.result_download, name="portal-result"),
    path("danh-gia/<str:token>/", views.rating_link_page, name="portal-rating-link"),
    path("cong-dan/ho-so-cua-toi/", views.my_dossiers, name="portal-my-dossiers"),
    path("cong-dan/ho-so-cua-toi/<str:code>/", views.my_dossier, name="portal-my-dossier"),
]
