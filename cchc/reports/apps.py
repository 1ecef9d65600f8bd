from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "cchc.reports"
    verbose_name = "Báo cáo định kỳ"

    def ready(self) -> None:
        from cchc.reports.metrics import register

        register()
