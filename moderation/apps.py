from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"
    # Granted to the Editors group (see accounts.roles; migration 0002 grants them too).
    editor_permissions = [
        "moderation.view_moderationevent",
        "moderation.view_sanction",
        "moderation.view_moderatornote",
        "moderation.add_moderatornote",
        "moderation.view_moderationsettings",
        "moderation.change_moderationsettings",
        "moderation.view_rulepack",
        "moderation.add_rulepack",
        "moderation.change_rulepack",
        "moderation.delete_rulepack",
        "moderation.view_classifier",
    ]

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (readers' standing_version)
