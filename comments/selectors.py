"""Reads: what one reader sees of an article's discussion, beside the shared cached thread."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from accounts.selectors import has_verified_email
from articles.models import Article

from .flash import Notice
from .models import Comment, Follow, Thread
from .moderator import (
    CSRF_STAND_IN,
    SOME_ID,
    SOME_VERSION,
    ReaderStanding,
    ThreadTools,
    get_moderator,
)
from .services import can_edit
from .thread import ACTIONS_SLOT


@dataclass
class ReaderView:
    """The signed-in reader's side of a discussion."""

    signed_in: bool = False
    verified: bool = False
    # Their comments on this article, whatever became of them (not the ones they deleted).
    own: list[Comment] = field(default_factory=list)
    standing: ReaderStanding = field(default_factory=ReaderStanding)
    # Whether they follow this discussion (comments.notifications): the Follow/Unfollow button.
    following: bool = False

    @property
    def pending(self) -> list[Comment]:
        return [c for c in self.own if c.status == Comment.Status.PENDING]

    @property
    def not_published(self) -> list[Comment]:
        """Rejected (or spam): the author sees what happened and the editor's reason."""
        return [c for c in self.own if c.status in (Comment.Status.REJECTED, Comment.Status.SPAM)]


def reader_view(*, article: Article, user: Any) -> ReaderView:
    """Three queries for a signed-in reader (verified email, own comments, following), none for
    anyone else.

    Whether they may comment comes from the moderator (comments/moderator.py).
    """
    if user is None or not user.is_authenticated:
        return ReaderView()
    own = list(
        Comment.objects.filter(article_id=article.pk, author_id=user.pk)
        .exclude(status=Comment.Status.REMOVED)
        .order_by("created_at", "pk")
    )
    for comment in own:
        comment.author = user  # theirs: no join for it
    # What their waiting or refused replies answer is shown with them: one more query, only then.
    prefetch_related_objects([c for c in own if c.parent_id and not c.is_visible], "parent__author")
    now = timezone.now()
    for comment in own:
        comment.editable = can_edit(comment, user, now=now) and not article.comments_closed
    muted = (
        Follow.objects.filter(reader_id=user.pk, article_id=article.pk)
        .values_list("muted", flat=True)
        .first()
    )
    return ReaderView(
        signed_in=True,
        verified=has_verified_email(user),
        own=own,
        standing=get_moderator().standing(user),
        following=muted is False,
    )


@dataclass(frozen=True)
class ThreadVariant:
    """Which links every comment of the thread carries for a kind of reader.

    The thread is cached once per variant with those links filled in (`fill`, run only when the
    page is rendered), so a reader's view adds only what is theirs alone (`personalise`).
    """

    name: str
    links: str = ""  # the links of any comment, with SOME_ID where its id goes
    tools: ThreadTools | None = None

    def fill(self, thread_html: str) -> str:
        """Every slot filled with this variant's links, each marked so `personalise` finds it."""

        def slot(match: re.Match) -> str:
            pk, version, pick = match.group(1), match.group(2), match.group(3) == "1"
            html = self.links
            if self.tools is not None:
                html += self.tools.pick if pick else self.tools.other
            html = html.replace(str(SOME_ID), pk).replace(str(SOME_VERSION), version)
            return f"<!--a:{pk}-->{html}<!--/a-->"

        return ACTIONS_SLOT.sub(slot, thread_html)


def thread_variant(
    *, article: Article, view: ReaderView, tools: ThreadTools | None = None
) -> ThreadVariant:
    """The variant of the thread this reader sees: no links (not signed in, or not verified),
    a reader's (reply and report), or an editor's (reply and their tools)."""
    if not (view.signed_in and view.verified):
        return ThreadVariant("public")
    # A suspended, banned or warned reader is not offered Reply (they are told why at the form).
    can_reply = not article.comments_closed and view.standing.may_comment
    links = _links(article, can_reply=can_reply, can_report=tools is None)
    kind = "editor" if tools is not None else "reader"
    return ThreadVariant(f"{kind}-{'reply' if can_reply else 'noreply'}", links, tools)


def _links(
    article: Article,
    *,
    can_reply: bool,
    can_report: bool = False,
    can_edit: bool = False,
    can_delete: bool = False,
) -> str:
    return render_to_string(
        "comments/actions.html",
        {
            "article": article,
            "pk": SOME_ID,
            "can_reply": can_reply,
            # Editors act on a comment with their tools rather than report it.
            "can_report": can_report,
            "can_edit": can_edit,
            "can_delete": can_delete,
        },
    )


def personalise(
    thread_html: str,
    *,
    article: Article,
    user: Any,
    view: ReaderView,
    variant: ThreadVariant,
    notice: Notice | None = None,
    csrf_token: str = "",
) -> tuple[SafeString, bool]:
    """What is this reader's alone, put into their variant of the thread: a cost that does not
    grow with the thread.

    Their own comments' links (edit within the window, delete) replace the variant's, in one
    regular-expression pass that calls back only for those comments; the notice about the comment
    they just posted goes before its links; an editor's forms get this request's CSRF token. Returns
    the thread and whether the notice found its comment on this page.
    """
    html = thread_html
    placed = False
    own = {c.pk: c for c in view.own if c.is_visible} if variant.name != "public" else {}
    if own:
        now = timezone.now()
        can_reply = variant.name.endswith("-reply")
        mine = {
            editable: _links(
                article, can_reply=can_reply, can_edit=editable and can_reply, can_delete=True
            )
            for editable in (False, True)
        }
        tools = variant.tools

        def own_links(match: re.Match) -> str:
            comment = own[int(match.group(1))]
            links = mine[can_edit(comment, user, now=now)]
            if tools is not None:
                links += tools.pick if comment.is_featured else tools.other
            links = links.replace(str(SOME_ID), str(comment.pk))
            links = links.replace(str(SOME_VERSION), str(comment.version))
            return f"<!--a:{comment.pk}-->{links}<!--/a-->"

        pattern = "|".join(str(pk) for pk in own)
        html = re.sub(rf"<!--a:({pattern})-->.*?<!--/a-->", own_links, html, flags=re.S)
    if notice is not None:
        marker = f"<!--a:{notice.comment_id}-->"
        if marker in html:
            html = html.replace(marker, render_notice(notice) + marker, 1)
            placed = True
    if csrf_token and variant.tools is not None:
        html = html.replace(CSRF_STAND_IN, csrf_token)
    return mark_safe(html), placed  # our template output


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
