from django.apps import AppConfig


class PostalConfig(AppConfig):
    name = "cchc.postal"
    verbose_name = "Bưu chính công ích"

    def ready(self) -> None:
        from cchc.postal import signals  # noqa: F401 - connects the receiver
