from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "cchc.submissions"
    verbose_name = "Nộp hồ sơ trực tuyến"
