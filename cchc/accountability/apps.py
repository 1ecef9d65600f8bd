from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "cchc.accountability"
    verbose_name = "Cam kết, kiểm tra, thi đua"
