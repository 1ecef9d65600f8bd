from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "cchc.signing"
    verbose_name = "Chữ ký số"
