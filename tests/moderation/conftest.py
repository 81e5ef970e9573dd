"""The comment tests' helpers serve moderation's tests too (moderation is about comments)."""

from tests.comments.conftest import (  # noqa: F401
    CommentFactory,
    make_comment,
    moderation_settings,
    no_rate_limit,
    post_form,
    reader_client,
)


def settings_form_data(**changes) -> dict[str, str]:
    """The settings form as an editor sends it: every field at its default, then `changes`."""
    from moderation.configuration import SETTINGS_FIELDS
    from moderation.models import ModerationSettings

    defaults = ModerationSettings()
    data = {}
    for name in SETTINGS_FIELDS:
        value = getattr(defaults, name)
        if isinstance(value, bool):
            value = "on" if value else ""
        data[name] = "" if value is None else str(value)
    return {**data, **changes}
