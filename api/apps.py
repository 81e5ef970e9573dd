from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API: a layer over the apps' own rules (it may import every app; none imports it)."""

    name = "api"
    verbose_name = "API"
