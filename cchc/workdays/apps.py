from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "cchc.workdays"
    label = "workdays"
    verbose_name = "Lịch làm việc"

    def ready(self) -> None:
        from cchc.workdays import signals  # noqa: F401
