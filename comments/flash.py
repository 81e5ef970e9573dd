"""What an article page shows after a comment form posted and came back to it (post/redirect/get).

The comment views never render the article page themselves: they answer with a redirect to the
article, so the page has one address, a reload never sends the form again, and a page cache keyed
by URL stays simple. What the reader must see there travels in their session, per article:

* a **draft**: the text of a form that was refused or nudged, with the comment it answers and its
  form token. The form shows it until a comment is posted on that article (or a day has passed),
  so even a reload keeps the words; why it was refused (or the nudge) shows once, focused.
* a **notice**: a sentence about the comment just posted, edited or reported ("Thank you: …"),
  shown once, beside that comment (or at the top of the discussion when it is not on the page).

Only signed-in readers post, so only their pages read these; an anonymous page never touches the
session here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from .errors import CommentError
from .forms import CommentForm, add_refusal

DRAFT_KEY = "comments:draft:{}"
NOTICE_KEY = "comments:notice:{}"
DRAFT_LIFETIME_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Notice:
    text: str
    level: str = "success"  # "success", "info" or "warning": the message styles
    comment_id: int | None = None


def _session(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return request.session


def keep_draft(
    request: HttpRequest,
    *,
    article_id: int,
    form: CommentForm,
    error: CommentError | None = None,
    told: bool = False,
) -> None:
    """Remember a refused or nudged form for the article page the reader is sent back to.

    `told`: the reader has already seen why, beside the form (the page's script showed it), so the
    page keeps only the words, for a reload.
    """
    data = {name: form.data.get(name, "") for name in ("body", "token", "parent")}
    request.session[DRAFT_KEY.format(article_id)] = {
        "data": data,
        "at": time.time(),
        # Shown once: the refusal (its sentence and the fields it names), or the nudge.
        "refusal": {"message": error.message, "errors": error.errors} if error else None,
        "nudge": getattr(form, "nudge", "") or "",
        "fresh": not told,
    }


def forget_draft(request: HttpRequest, *, article_id: int) -> None:
    request.session.pop(DRAFT_KEY.format(article_id), None)


def take_draft(request: HttpRequest, *, article_id: int) -> CommentForm | None:
    """The reader's unsent form for this article, bound, with why it came back (the first time).

    `form.fresh` tells whether this view is the one right after the refusal or nudge (its message
    is shown and the text box takes the focus).
    """
    session = _session(request)
    if session is None:
        return None
    key = DRAFT_KEY.format(article_id)
    draft = session.get(key)
    if not draft:
        return None
    if time.time() - draft.get("at", 0) > DRAFT_LIFETIME_SECONDS:
        session.pop(key, None)
        return None
    form = CommentForm(draft["data"])
    form.is_valid()  # the shape errors again (a text still too long says so)
    form.fresh = draft["fresh"]
    form.nudge = draft["nudge"] if draft["fresh"] else ""
    refusal = draft["refusal"]
    if refusal and draft["fresh"]:
        add_refusal(form, CommentError(refusal["message"], errors=refusal["errors"]))
    if draft["fresh"]:
        session[key] = {**draft, "fresh": False}
    return form


def leave_notice(request: HttpRequest, *, article_id: int, notice: Notice) -> None:
    request.session[NOTICE_KEY.format(article_id)] = {
        "text": notice.text,
        "level": notice.level,
        "comment_id": notice.comment_id,
    }


def take_notice(request: HttpRequest, *, article_id: int) -> Notice | None:
    session = _session(request)
    if session is None:
        return None
    found = session.pop(NOTICE_KEY.format(article_id), None)
    return Notice(**found) if found else None
