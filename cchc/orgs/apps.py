from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "cchc.orgs"
    label = "orgs"
    verbose_name = "Đơn vị và cán bộ"
