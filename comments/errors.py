"""The refusals the comment services (and moderation's functions) raise.

A refusal carries a sentence that can be shown to the reader or editor as it is, and a stable
`code` (or the fields it concerns) that each interface maps to its own status: the site shows the
sentence at the form, the API answers 400, 403, 409 or 429 by the code (api/comments.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping


class CommentError(Exception):
    """A refusal: nothing was changed, and `message` says why."""

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str = "",
        retry_after: dt.timedelta | None = None,
        errors: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        # The input fields it concerns, each with its sentence (empty when it is not about one).
        self.errors: dict[str, str] = dict(errors or ({field: message} if field else {}))
        self.field = field or next(iter(self.errors), None)
        # What was refused, e.g. "too_fast", "duplicate", "already_reported", "author_banned".
        self.code = code
        # For a refusal that passes with time: how long to wait.
        self.retry_after = retry_after

    @classmethod
    def invalid(cls, errors: Mapping[str, str]) -> CommentError:
        """Several fields wrong at once: every one is reported, not only the first."""
        return cls(" ".join(errors.values()), errors=errors)


class CommentNudge(CommentError):
    """Not refused: the reader is asked to look again, and may post anyway (`confirmed`).

    `reasons` are (code, sentence) pairs: what the screening found in the text.
    """

    def __init__(self, message: str, *, reasons: Iterable[tuple[str, str]]) -> None:
        super().__init__(message, field="body", code="nudge")
        self.reasons = tuple(reasons)
