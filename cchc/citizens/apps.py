from django.apps import AppConfig


class CitizensConfig(AppConfig):
    name = "cchc.citizens"
