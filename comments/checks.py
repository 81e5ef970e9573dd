"""System checks for the comments settings (registered when the app is ready)."""

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string


@checks.register(checks.Tags.compatibility)
def check_comment_settings(app_configs, **kwargs) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    if settings.COMMENTS_ON_ACCOUNT_DELETION not in ("keep", "remove"):
        errors.append(
            checks.Error(
                'COMMENTS_ON_ACCOUNT_DELETION must be "keep" or "remove".', id="comments.E001"
            )
        )
    if settings.COMMENTS_MAX_DEPTH < 0:
        errors.append(checks.Error("COMMENTS_MAX_DEPTH cannot be negative.", id="comments.E002"))
    try:
        import_string(settings.COMMENTS_MODERATOR)
    except ImportError as error:
        errors.append(
            checks.Error(
                f"COMMENTS_MODERATOR names nothing that can be imported: {error}",
                id="comments.E003",
            )
        )
    return errors
