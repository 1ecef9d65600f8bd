from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The citizen portal's tracking and rating pages (cổng công dân: tra cứu, đánh giá)."""

    name = "cchc.portal"
    verbose_name = _("Cổng công dân: tra cứu và đánh giá")
