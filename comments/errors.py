"""The one exception the comment services and moderation functions refuse with."""

from __future__ import annotations

import datetime as dt


class CommentError(Exception):
    """A refusal, with a sentence that can be shown to the reader (or editor) as it is."""

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str = "",
        retry_after: dt.timedelta | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field  # the form field it concerns, when there is one
        # The screening rule that refused (e.g. "too_fast", "duplicate"), so the API can answer
        # each with its own status; and, for a refusal that passes with time, how long to wait.
        self.code = code
        self.retry_after = retry_after
