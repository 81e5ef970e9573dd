"""The comment tests' helpers serve moderation's tests too (moderation is about comments)."""

from tests.comments.conftest import (  # noqa: F401
    CommentFactory,
    make_comment,
    moderation_settings,
    no_rate_limit,
    post_form,
    reader_client,
)
