"""Reads: what one reader sees of an article's discussion, beside the shared cached thread."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from accounts.selectors import has_verified_email
from articles.models import Article

from .models import Comment
from .moderator import ReaderStanding, get_moderator
from .services import can_edit

# Where each comment's links go in the cached thread (see thread.html): filled per reader.
_ACTIONS_SLOT = re.compile(r"<!--comment-actions:(\d+)-->")
# Stands in for a comment's id while a set of links is rendered once per request.
_SOME_ID = 987654321987


@dataclass
class ReaderView:
    """The signed-in reader's side of a discussion."""

    signed_in: bool = False
    verified: bool = False
    # Their comments on this article, whatever became of them (not the ones they deleted).
    own: list[Comment] = field(default_factory=list)
    standing: ReaderStanding = field(default_factory=ReaderStanding)

    @property
    def pending(self) -> list[Comment]:
        return [c for c in self.own if c.status == Comment.Status.PENDING]

    @property
    def not_published(self) -> list[Comment]:
        """Rejected (or spam): the author sees what happened and the editor's reason."""
        return [c for c in self.own if c.status in (Comment.Status.REJECTED, Comment.Status.SPAM)]


def reader_view(*, article: Article, user: Any) -> ReaderView:
    """Two queries for a signed-in reader (verified email, own comments), none for anyone else.

    Whether they may comment comes from the moderator (comments/moderator.py).
    """
    if user is None or not user.is_authenticated:
        return ReaderView()
    own = list(
        Comment.objects.filter(article=article, author=user)
        .exclude(status=Comment.Status.REMOVED)
        .select_related("author", "parent__author")
        .order_by("created_at", "pk")
    )
    now = timezone.now()
    for comment in own:
        comment.editable = can_edit(comment, user, now=now) and not article.comments_closed
    return ReaderView(
        signed_in=True,
        verified=has_verified_email(user),
        own=own,
        standing=get_moderator().standing(user),
    )


def with_reader_actions(
    thread_html: str, *, article: Article, user: Any, view: ReaderView
) -> SafeString:
    """Fill each comment's link slot for this reader: reply and report, or edit and delete."""
    if not (view.signed_in and view.verified):
        return mark_safe(_ACTIONS_SLOT.sub("", thread_html))  # our template output
    now = timezone.now()
    own = {c.pk: c for c in view.own}
    # A suspended, banned or warned reader is not offered Reply (they are told why at the form).
    open_ = not article.comments_closed and view.standing.may_comment
    links = {}
    for variant in ("other", "own", "own_editable"):
        links[variant] = render_to_string(
            "comments/actions.html",
            {
                "article": article,
                "pk": _SOME_ID,
                "can_reply": open_,
                "can_report": variant == "other",
                "can_delete": variant != "other",
                "can_edit": variant == "own_editable" and open_,
            },
        )

    def fill(match: re.Match) -> str:
        pk = int(match.group(1))
        comment = own.get(pk)
        if comment is None:
            variant = "other"
        else:
            variant = "own_editable" if can_edit(comment, user, now=now) else "own"
        return links[variant].replace(str(_SOME_ID), str(pk))

    return mark_safe(_ACTIONS_SLOT.sub(fill, thread_html))  # our template output


def reply_target(*, article: Article, pk: Any) -> Comment | None:
    """The visible comment a reader chose to answer (?reply=<id>), if it is one."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return Comment.objects.visible().filter(article=article, pk=pk).select_related("author").first()
