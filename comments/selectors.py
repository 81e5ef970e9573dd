"""Reads: what one reader sees of an article's discussion, beside the shared cached thread."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import QuerySet, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from accounts.selectors import has_verified_email
from articles.models import Article
from articles.pagecache import kept

from .flash import Notice
from .models import Comment, Follow, Reaction, Report, Thread
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
    # Visible comments of this article they found helpful.
    helpful: set[int] = field(default_factory=set)
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
    """Two queries for a signed-in reader (their own comments and the ones they found helpful,
    together; following), and one more when some of theirs are replies waiting or refused; none
    for anyone else, whatever the number of comments or reactions. Whether their email is verified
    is remembered under their row's version (accounts.readers).

    Whether they may comment comes from the moderator (comments/moderator.py).
    """
    if user is None or not user.is_authenticated:
        return ReaderView()
    text, params = _READERS_COMMENTS.sql(article=article.pk, reader=user.pk)
    rows = list(Comment.objects.raw(text, params, translations=_READERS_COMMENTS.columns()))
    # Never one's own (comments.services.react refuses it), so the two sets do not meet.
    own = [c for c in rows if c.author_id == user.pk]
    helpful = {c.pk for c in rows if c.author_id != user.pk}
    for comment in own:
        comment.author = user  # theirs: no join for it
    # What their waiting or refused replies answer is shown with them: one more query, only then.
    prefetch_related_objects([c for c in own if c.parent_id and not c.is_visible], "parent__author")
    now = timezone.now()
    for comment in own:
        comment.editable = can_edit(comment, user, now=now) and not article.comments_closed
    with connection.cursor() as cursor:
        cursor.execute(*_FOLLOWING.sql(article=article.pk, reader=user.pk))
        follow = cursor.fetchone()
    return ReaderView(
        signed_in=True,
        verified=has_verified_email(user),
        own=own,
        standing=get_moderator().standing(user),
        helpful=helpful,
        following=follow is not None and not follow[0],
    )


class Compiled:
    """A query whose SQL the ORM builds once per process, for any article and reader.

    Building the SQL of a query (a union, joins) costs more than running it; a page view asks
    the same few shapes every time, so each is compiled once with stand-in values for its keys and
    run with the real ones. The values are parameters: nothing of a reader goes into the text.
    """

    _ARTICLE, _READER = -730_001, -730_002

    def __init__(self, build: Callable[[int, int], QuerySet]) -> None:
        self._build = build
        self._compiled: tuple[str, tuple] | None = None

    def sql(self, *, article: int, reader: int) -> tuple[str, list]:
        if self._compiled is None:
            self._compiled = self._build(self._ARTICLE, self._READER).query.sql_with_params()
        text, params = self._compiled
        values = {self._ARTICLE: article, self._READER: reader}
        return text, [values.get(p, p) if type(p) is int else p for p in params]

    def columns(self) -> dict[str, str]:
        """The columns under the names a union gives them ({"col1": "id"}), for a raw query."""
        text = self._compiled[0] if self._compiled else ""
        return {alias: column for column, alias in _ALIASED.findall(text)}


_ALIASED = re.compile(r'\."(\w+)" AS "(col\d+)"')


def _readers_comments(article_id: int, reader_id: int) -> QuerySet:
    """Their comments on the article (but the ones they deleted) and those of others they found
    helpful: each half reads its own index (the author's comments, the reader's reactions), so
    neither scans the thread."""
    own = Comment.objects.filter(article_id=article_id, author_id=reader_id).exclude(
        status=Comment.Status.REMOVED
    )
    helpful = Comment.objects.filter(
        article_id=article_id, status=Comment.Status.APPROVED, reactions__reader_id=reader_id
    )
    return own.order_by().union(helpful.order_by(), all=True).order_by("created_at", "pk")


_READERS_COMMENTS = Compiled(_readers_comments)
_FOLLOWING = Compiled(
    lambda article_id, reader_id: Follow.objects.filter(
        reader_id=reader_id, article_id=article_id
    ).values_list("muted")[:1]
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
    # Who may reply may find a comment helpful (comments.services.react asks the same).
    links = _links(article, can_reply=can_reply, can_report=tools is None, can_react=can_reply)
    kind = "editor" if tools is not None else "reader"
    return ThreadVariant(f"{kind}-{'reply' if can_reply else 'noreply'}", links, tools)


def _links(
    article: Article,
    *,
    can_reply: bool,
    can_report: bool = False,
    can_edit: bool = False,
    can_delete: bool = False,
    can_react: bool = False,
    helpful: bool = False,
) -> str:
    """A comment's links (SOME_ID, CSRF_STAND_IN), rendered once per version of the article
    (and its address) for each set of choices."""
    choices = (can_reply, can_report, can_edit, can_delete, can_react, helpful)
    versions = (article.pk, article.version, article.get_absolute_url(), *choices)
    return kept("comment-links", versions, lambda: _render_links(article, *choices))


def _render_links(
    article: Article,
    can_reply: bool,
    can_report: bool,
    can_edit: bool,
    can_delete: bool,
    can_react: bool,
    helpful: bool,
) -> str:
    return render_to_string(
        "comments/actions.html",
        {
            "article": article,
            "pk": SOME_ID,
            "csrf_token": CSRF_STAND_IN,
            "can_reply": can_reply,
            "can_react": can_react,
            "helpful": helpful,
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

    Their own comments' links (edit within the window, delete) and those of the comments they
    found helpful (the button pressed) replace the variant's, in one regular-expression pass that
    calls back only for those comments; the notice about the comment they just posted goes before
    its links; the forms get this request's CSRF token. Returns the thread and whether the notice
    found its comment on this page.
    """
    html = thread_html
    placed = False
    own = {c.pk: c for c in view.own if c.is_visible} if variant.name != "public" else {}
    # Only a variant that offers the button shows it pressed.
    helpful = view.helpful if variant.name.endswith("-reply") else set()
    if own or helpful:
        now = timezone.now()
        can_reply = variant.name.endswith("-reply")
        mine = {
            editable: _links(
                article, can_reply=can_reply, can_edit=editable and can_reply, can_delete=True
            )
            for editable in (False, True)
        }
        pressed = helpful_form(helpful=True) if helpful else ""
        tools = variant.tools

        def own_links(match: re.Match) -> str:
            pk = int(match.group(1))
            comment = own.get(pk)
            if comment is None:  # one they found helpful: only its form changes
                return _HELPFUL_FORM.sub(
                    lambda _: pressed.replace(str(SOME_ID), str(pk)), match.group(0), count=1
                )
            links = mine[can_edit(comment, user, now=now)]
            if tools is not None:
                links += tools.pick if comment.is_featured else tools.other
            links = links.replace(str(SOME_ID), str(comment.pk))
            links = links.replace(str(SOME_VERSION), str(comment.version))
            return f"<!--a:{comment.pk}-->{links}<!--/a-->"

        pattern = "|".join(str(pk) for pk in (*own, *helpful))
        html = re.sub(rf"<!--a:({pattern})-->.*?<!--/a-->", own_links, html, flags=re.S)
    if notice is not None:
        marker = f"<!--a:{notice.comment_id}-->"
        if marker in html:
            html = html.replace(marker, render_notice(notice) + marker, 1)
            placed = True
    if csrf_token:
        html = html.replace(CSRF_STAND_IN, csrf_token)
    return mark_safe(html), placed  # our template output


# A comment's "helpful" form in a filled slot: the reader's own (pressed) takes its place.
_HELPFUL_FORM = re.compile(r'<form class="comment-helpful".*?</form>', flags=re.S)


def helpful_form(*, helpful: bool) -> str:
    """The "helpful" button's form for any comment (SOME_ID, CSRF_STAND_IN), pressed or not:
    rendered once per process."""
    return kept(
        "helpful-form",
        (helpful,),
        lambda: render_to_string(
            "comments/helpful_form.html",
            {"pk": SOME_ID, "csrf_token": CSRF_STAND_IN, "helpful": helpful},
        ),
    )


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


def comments_data(user: Any) -> dict[str, Any]:
    """Everything a reader wrote or did in discussions, for their own download: every comment
    whatever became of it (with its earlier versions and the editor's reason), their reports and
    what they found helpful. A fixed number of queries, whatever the number of comments."""
    comments = (
        Comment.objects.filter(author_id=user.pk)
        .select_related("article__section")
        .prefetch_related("revisions")
        .order_by("created_at", "pk")
    )
    return {
        "comments": [
            {
                "id": c.pk,
                "article": {
                    "id": c.article_id,
                    "title": c.article.title,
                    "url": c.article.get_absolute_url(),
                },
                "parent": c.parent_id,
                "status": c.status,
                "body": c.body,
                "created_at": c.created_at.isoformat(),
                "edited_at": c.edited_at.isoformat() if c.edited_at else None,
                "helpful_count": c.helpful_count,
                "editors_reason": c.decision_reason,
                "earlier_versions": [
                    {"body": r.body, "written_at": r.written_at.isoformat()}
                    for r in c.revisions.all()
                ],
            }
            for c in comments
        ],
        "reports": [
            {
                "comment": r.comment_id,
                "reason": r.reason,
                "text": r.text,
                "created_at": r.created_at.isoformat(),
            }
            for r in Report.objects.filter(reporter_id=user.pk).order_by("created_at", "pk")
        ],
        "found_helpful": [
            {"comment": r.comment_id, "created_at": r.created_at.isoformat()}
            for r in Reaction.objects.filter(reader_id=user.pk).order_by("created_at", "pk")
        ],
    }
