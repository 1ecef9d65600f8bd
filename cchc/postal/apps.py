from django.apps import AppConfig


class PostalConfig(AppConfig):
    name = "cchc.postal"
    verbose_name = "Bưu chính công ích"

    def ready(self) -> None:
        from cchc.dossiers.panels import register_panel
        from cchc.postal import signals  # noqa: F401 - connects the receiver
        from cchc.postal.selectors import shipment_panel

        register_panel(shipment_panel)
