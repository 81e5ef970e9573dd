"""The one hook through which comments are screened and moderated: `settings.COMMENTS_MODERATOR`.

The comments app knows nothing of how comments are moderated, as allauth knows nothing of a site's
own rules beyond its adapter: the services (comments/services.py) call the moderator that the
setting names, at five points, and the article page asks it whether a reader may comment.

- `screen(comment, is_edit, confirmed)`, before a new or edited comment is saved: set its status
  (and whatever else the moderator stores on it), raise CommentError to refuse it (nothing is
  saved, the reader keeps their text) or CommentNudge to ask the reader first. Returns what
  `screened` gets.
- `screened(comment, result, previous_status)`, in the transaction that saved it.
- `withdrawn(comment, by, previous_status)`, in the transaction of an author's deletion.
- `reported(report)`, in the transaction that stored a reader's report.
- `standing(user)`, for the article page: may this reader comment, and if not, why.
- `review_url(comment)`: where an editor reviews a comment (their notifications link there).
- `thread_tools(request, article)` and `discussion_panel(request, article)`, for the article page:
  an editor's controls beside each comment of the thread, and above the discussion (its comments
  awaiting review). Nothing for anyone else.

This base class is the moderator of a site without moderation: every comment is published.
The project's is moderation.hooks.Moderator.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .models import Comment, Report


@dataclass(frozen=True)
class ReaderStanding:
    """Whether a reader may comment now; if not, why, and where they can act on it."""

    may_comment: bool = True
    message: str = ""
    action_url: str = ""  # e.g. the page where they read and acknowledge a warning
    action_label: str = ""
    # Banned from the site's discussions: no emails from them either (comments.tasks).
    banned: bool = False


# Stand-ins for a comment's id and version in controls rendered once per page (ThreadTools).
SOME_ID = 987654321987
SOME_VERSION = 123456789123
# Where an editor's forms take the request's CSRF token: the tools are cached with the thread, so
# they are rendered with this, and comments.selectors.personalise puts the request's token in.
CSRF_STAND_IN = "csrf-stand-in-8f3b2c7e"


@dataclass(frozen=True)
class ThreadTools:
    """An editor's controls for one comment of the cached thread, rendered once per page for each
    variant (a pick or not), with SOME_ID and SOME_VERSION where the comment's id and version go:
    comments/selectors.py puts each comment's own in, in its one pass over the thread."""

    pick: str
    other: str


class Moderator:
    def screen(self, comment: Comment, *, is_edit: bool, confirmed: bool) -> Any:
        comment.status = comment.Status.APPROVED
        return None

    def screened(self, comment: Comment, result: Any, *, previous_status: str) -> None:
        return None

    def withdrawn(self, comment: Comment, *, by: Any, previous_status: str) -> None:
        return None

    def reported(self, report: Report) -> None:
        return None

    def standing(self, user: Any) -> ReaderStanding:
        return ReaderStanding()

    def thread_tools(self, request: HttpRequest, article: Any) -> ThreadTools | None:
        return None

    def discussion_panel(self, request: HttpRequest, article: Any) -> str:
        return ""

    def review_url(self, comment: Comment) -> str:
        """Where an editor looks at a comment (the editors' notifications link there)."""
        return comment.get_absolute_url()


def get_moderator() -> Moderator:
    """The moderator `settings.COMMENTS_MODERATOR` names (one instance per dotted path)."""
    return _moderator(settings.COMMENTS_MODERATOR)


@lru_cache(maxsize=4)
def _moderator(path: str) -> Moderator:
    return import_string(path)()
