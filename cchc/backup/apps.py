from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "cchc.backup"
    verbose_name = "Sao lưu, phục hồi"
