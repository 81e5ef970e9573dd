"""The one exception the comment services and moderation functions refuse with."""

from __future__ import annotations


class CommentError(Exception):
    """A refusal, with a sentence that can be shown to the reader (or editor) as it is."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field  # the form field it concerns, when there is one
