from django.apps import AppConfig


class ServiceindexConfig(AppConfig):
    name = "cchc.serviceindex"
