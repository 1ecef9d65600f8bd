from django.apps import AppConfig


class NationalPortalConfig(AppConfig):
    name = "cchc.nationalportal"
    verbose_name = "Cổng Dịch vụ công quốc gia"

    def ready(self) -> None:
        from cchc.dossiers.panels import register_panel
        from cchc.nationalportal import signals  # noqa: F401 - connects the receiver
        from cchc.nationalportal.selectors import sync_panel

        register_panel(sync_panel)
