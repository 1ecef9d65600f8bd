from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "cchc.stats"

    def ready(self) -> None:
        from cchc.stats import signals  # noqa: F401 (connects the receivers)
