from django.apps import AppConfig

# The module, not the class: a default AppConfig imported here would be a second candidate.
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (User.standing_version)


class EditorsAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, with `admin.site` behind the editors' policy."""

    default = False  # "accounts" alone means AccountsConfig
    default_site = "accounts.admin_site.EditorsAdminSite"
