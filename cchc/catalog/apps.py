from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "cchc.catalog"
    label = "catalog"
    verbose_name = "Thủ tục hành chính"
