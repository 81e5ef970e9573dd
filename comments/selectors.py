"""Reads: what one reader sees of an article's discussion, beside the shared cached thread."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from accounts.selectors import has_verified_email
from articles.models import Article

from .flash import Notice
from .models import Comment, Thread
from .moderator import SOME_ID, SOME_VERSION, ReaderStanding, ThreadTools, get_moderator
from .services import can_edit

# Where each comment's links go in the cached thread (see thread.html), with what an editor's
# tools need (its version, whether it is a pick): filled per reader.
_ACTIONS_SLOT = re.compile(r"<!--comment-actions:(\d+):(\d+):([01])-->")


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
    thread_html: str,
    *,
    article: Article,
    user: Any,
    view: ReaderView,
    tools: ThreadTools | None = None,
    notice: Notice | None = None,
) -> tuple[SafeString, bool]:
    """Fill each comment's slot for this reader, in one pass over the thread.

    The reader's links (reply and report, or edit and delete), an editor's `tools`, and the
    `notice` about the comment it names. Each set of links is rendered once per variant and the
    comment's id (and version) put in; nothing is rendered per comment. Returns the thread and
    whether the notice found its comment on this page.
    """
    reader = view.signed_in and view.verified
    if not (reader or tools or notice):
        return mark_safe(_ACTIONS_SLOT.sub("", thread_html)), False  # our template output
    now = timezone.now()
    own = {c.pk: c for c in view.own}
    links = {}
    if reader:
        # A suspended, banned or warned reader is not offered Reply (they are told why at the form).
        open_ = not article.comments_closed and view.standing.may_comment
        for variant in ("other", "own", "own_editable"):
            links[variant] = render_to_string(
                "comments/actions.html",
                {
                    "article": article,
                    "pk": SOME_ID,
                    "can_reply": open_,
                    # Editors act on a comment with their tools rather than report it.
                    "can_report": variant == "other" and tools is None,
                    "can_delete": variant != "other",
                    "can_edit": variant == "own_editable" and open_,
                },
            )
    placed = False

    def fill(match: re.Match) -> str:
        nonlocal placed
        pk, version, pick = match.group(1), match.group(2), match.group(3) == "1"
        html = ""
        if reader:
            comment = own.get(int(pk))
            if comment is None:
                variant = "other"
            else:
                variant = "own_editable" if can_edit(comment, user, now=now) else "own"
            html = links[variant]
        if tools is not None:
            html += tools.pick if pick else tools.other
        html = html.replace(str(SOME_ID), pk).replace(str(SOME_VERSION), version)
        if notice is not None and notice.comment_id == int(pk) and not placed:
            placed = True
            html = render_notice(notice) + html
        return html

    return mark_safe(_ACTIONS_SLOT.sub(fill, thread_html)), placed  # our template output


def render_notice(notice: Notice) -> str:
    return render_to_string("comments/notice.html", {"notice": notice})


def reply_target(*, article: Article, pk: Any) -> Comment | None:
    """The visible comment a reader chose to answer (?reply=<id>), if it is one."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return Comment.objects.visible().filter(article=article, pk=pk).select_related("author").first()


def comment_counts(articles: Iterable[Article]) -> dict[int, int]:
    """Published comments of each of these articles, in one query (listings show them): the
    counts each thread keeps (Thread.visible_count), so no page view counts rows."""
    ids = [a.pk for a in articles]
    if not ids:
        return {}
    return dict(
        Thread.objects.filter(article_id__in=ids).values_list("article_id", "visible_count")
    )
