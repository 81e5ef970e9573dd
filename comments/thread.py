"""The public thread of an article: built in a constant number of queries, cached as one entry.

A page of the thread is a page of top-level comments with all their replies. It looks the same to
every reader, so it is rendered once per (article, order, page) and kept in the cache under a key
that carries the article's thread version; the version changes whenever a visible comment of the
article changes (receivers.py for saves, `comment_row_changed` for moderation's updates), so a
stale page is never read again. What depends on who is
looking (their pending comments, the form, the edit/delete/report links) is added outside it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from accounts.roles import editor_ids
from articles.models import Article

from .models import Comment

ORDERS = ("oldest", "newest")
MAX_PICKS = 5


@dataclass
class Node:
    """A comment placed in the tree; `placeholder` when it is only there to hold its replies."""

    comment: Comment
    children: list[Node]
    placeholder: bool = False
    by_editor: bool = False


def _version_key(article_id: int) -> str:
    return f"comments:thread-version:{article_id}"


def thread_version(article_id: int) -> str:
    key = _version_key(article_id)
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        version = cache.get(key)
    return version


def forget_thread(article_id: int) -> None:
    """Every cached page of this article's thread is out of date: move to a new version."""
    cache.set(_version_key(article_id), uuid.uuid4().hex, timeout=None)


def forget_threads(article_ids: Iterable[int]) -> None:
    """Forget these articles' threads now, and again once the transaction commits.

    Now, so this process (and a test) reads the change at once; again after commit, so a page
    rendered by another request from not-yet-committed data cannot stay cached.
    """
    ids = set(article_ids)
    for article_id in ids:
        forget_thread(article_id)
    transaction.on_commit(lambda: [forget_thread(article_id) for article_id in ids], robust=True)


def comment_row_changed(comment: Comment, *, previous_status: str) -> None:
    """A comment's row changed without save() (a conditional UPDATE, which sends no post_save).

    Moderation calls this for its decisions, reports and picks: as for a save, a change to a
    comment that is or was visible replaces its article's cached thread.
    """
    if comment.is_visible or previous_status == Comment.Status.APPROVED:
        forget_threads([comment.article_id])


def thread_key(article_id: int, order: str, page: int) -> str:
    return f"comments:thread:{article_id}:{thread_version(article_id)}:{order}:{page}"


def shown_roots(article: Article):
    """Top-level comments shown: the visible ones and hidden ones still holding visible replies."""
    has_visible_reply = Exists(Comment.objects.visible().filter(root=OuterRef("pk")))
    return Comment.objects.filter(article=article, parent__isnull=True).filter(
        Q(status=Comment.Status.APPROVED) | has_visible_reply
    )


def ordered_roots(roots, order: str):
    return (
        roots.order_by("-created_at", "-pk")
        if order == "newest"
        else roots.order_by("created_at", "pk")
    )


def page_number_of(comment: Comment, *, order: str = "oldest") -> int:
    """Which page of the thread shows this comment (its top-level comment decides)."""
    root = comment.root or comment
    roots = shown_roots(comment.article)
    if order == "newest":
        before = roots.filter(
            Q(created_at__gt=root.created_at) | Q(created_at=root.created_at, pk__gt=root.pk)
        )
    else:
        before = roots.filter(
            Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, pk__lt=root.pk)
        )
    return before.count() // settings.COMMENTS_PER_PAGE + 1


def _build_tree(rows: list[Comment], root_ids: list[int], editors: set[int]) -> list[Node]:
    nodes = {c.pk: Node(c, [], by_editor=c.author_id in editors) for c in rows}
    for c in rows:  # rows come oldest first, so replies stay in conversation order
        if c.parent_id in nodes:
            nodes[c.parent_id].children.append(nodes[c.pk])

    def prune(node: Node) -> bool:
        node.children = [child for child in node.children if prune(child)]
        node.placeholder = not node.comment.is_visible
        return node.comment.is_visible or bool(node.children)

    return [nodes[pk] for pk in root_ids if pk in nodes and prune(nodes[pk])]


def thread_nodes(
    root_ids: list[int], *, picks: Sequence[Comment] = ()
) -> tuple[list[Node], list[Node]]:
    """The trees under these top-level comments, in their order: two queries, whatever their size.

    The site's cached thread and the API both build pages with it, so they show the same things.
    `picks` (editors' picks shown above the thread) share the one query for editors' badges.
    Returns (pick nodes, tree nodes).
    """
    rows = list(
        Comment.objects.filter(Q(pk__in=root_ids) | Q(root__in=root_ids))
        .exclude(status=Comment.Status.PENDING)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    editors = editor_ids(
        [*(c.author_id for c in rows if c.is_visible), *(c.author_id for c in picks)]
    )
    pick_nodes = [Node(c, [], by_editor=c.author_id in editors) for c in picks]
    return pick_nodes, _build_tree(rows, root_ids, editors)


PICKS = "picks"
# What the site's thread can show: the discussion in either order, or the editors' picks alone
# (a tab, so a pick is never shown twice on one page).
VIEWS = (*ORDERS, PICKS)


def render_thread(article: Article, *, order: str, page: int | str | None) -> SafeString:
    """The public HTML of one page of the thread (or of the picks), from the cache when there."""
    order = order if order in VIEWS else "oldest"
    try:
        page = max(int(page or 1), 1)
    except (TypeError, ValueError):
        page = 1
    if order == PICKS:
        page = 1
    key = thread_key(article.pk, order, page)
    html = cache.get(key)
    if html is None:
        html = _render(article, order=order, page=page)
        cache.set(key, html, timeout=settings.COMMENTS_THREAD_CACHE_SECONDS)
    return mark_safe(html)  # our own template output, with sanitised bodies


def _picks(article: Article) -> list[Comment]:
    return list(
        Comment.objects.visible()
        .filter(article=article, featured_at__isnull=False)
        .select_related("author", "parent__author")
        .order_by("-featured_at", "-pk")[:MAX_PICKS]
    )


def _render(article: Article, *, order: str, page: int) -> str:
    count = Comment.objects.visible().filter(article=article).count()
    picks = _picks(article)
    if order == PICKS:
        roots_page = None
        pick_nodes, nodes = thread_nodes([], picks=picks)
    else:
        roots_page = Paginator(
            ordered_roots(shown_roots(article), order).values_list("pk", flat=True),
            settings.COMMENTS_PER_PAGE,
        ).get_page(page)
        pick_nodes = []
        _, nodes = thread_nodes(list(roots_page.object_list))
    return render_to_string(
        "comments/thread.html",
        {
            "article": article,
            "count": count,
            "pick_count": len(picks),
            "picks": pick_nodes,
            "nodes": nodes,
            "page": roots_page,
            "order": order,
            "orders": ORDERS,
        },
    )
