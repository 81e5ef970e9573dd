from django.apps import AppConfig
from django.core import checks


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments"
    # Granted to the Editors group (see accounts.roles; migration 0003 grants them too).
    editor_permissions = [
        "comments.view_comment",
        "comments.change_comment",
        "comments.view_commentrevision",
        "comments.view_report",
        # Moderation (migration 0005)
        "comments.moderate_comment",
        "comments.view_moderationevent",
        "comments.view_sanction",
        "comments.view_moderatornote",
        "comments.add_moderatornote",
        "comments.view_moderationsettings",
        "comments.change_moderationsettings",
    ]

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (cache invalidation, deleted accounts)


@checks.register(checks.Tags.compatibility)
def _check_settings(app_configs, **kwargs):
    from django.conf import settings

    errors = []
    if settings.COMMENTS_ON_ACCOUNT_DELETION not in ("keep", "remove"):
        errors.append(
            checks.Error(
                'COMMENTS_ON_ACCOUNT_DELETION must be "keep" or "remove".', id="comments.E001"
            )
        )
    if settings.COMMENTS_MAX_DEPTH < 0:
        errors.append(checks.Error("COMMENTS_MAX_DEPTH cannot be negative.", id="comments.E002"))
    return errors
