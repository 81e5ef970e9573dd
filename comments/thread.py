"""The public thread of an article: built in a constant number of queries, cached as one entry.

A page of the thread is a page of top-level comments with all their replies. It looks the same to
every reader, so it is rendered once per (article, order, page) and kept in the page cache under a
key that carries the thread's version from the database (`Thread.version`). The version is bumped
in the same transaction as any change to a comment that is or was visible (receivers.py for
saves, `comment_row_changed` for moderation's updates, `bump_threads` for everything else that a
thread shows: names, badges, re-rendered HTML), so a cache that is per-process, shared, flushed or
restored from an old snapshot can only miss, never show a thread older than the database. What
depends on who is looking (their pending comments, the form, the edit/delete/report links) is
added outside it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from accounts.roles import editor_ids
from articles.models import Article
from articles.pagecache import kept
from articles.versions import articles_changed

from .models import Comment, Thread, top_rank

# "top": top-level comments by their stored rank (helpful, recent, with replies; docs/comments.md).
ORDERS = ("oldest", "newest", "top")
# Rendered HTML, keyed by database versions: any cache may hold it (settings.CACHES).
PAGE_CACHE = "pages"
MAX_PICKS = 5


@dataclass
class Node:
    """A comment placed in the tree; `placeholder` when it is only there to hold its replies."""

    comment: Comment
    children: list[Node]
    placeholder: bool = False
    by_editor: bool = False


@dataclass(frozen=True)
class ThreadState:
    """An article's thread as the database has it now (its `Thread` row; zeros before the first
    visible comment)."""

    article_id: int
    version: int = 0
    visible_count: int = 0
    top_level_count: int = 0

    def last_page(self) -> int:
        return max(1, math.ceil(self.top_level_count / settings.COMMENTS_PER_PAGE))


def thread_state(article_id: int) -> ThreadState:
    """One small query: the thread's version and counts."""
    row = (
        Thread.objects.filter(article_id=article_id)
        .values_list("version", "visible_count", "top_level_count")
        .first()
    )
    return ThreadState(article_id, *row) if row else ThreadState(article_id)


def bump_threads(article_ids: Iterable[int | None]) -> None:
    """These articles' public threads changed: a new version and fresh counts for each.

    Call it in the transaction that made the change, so the version and the change commit
    together: a page rendered from the old rows can only be stored under the old version. Each
    row is locked before its comments are counted, so two changes committing at once cannot
    leave a count that misses one of them.
    """
    ids = sorted({i for i in article_ids if i is not None})
    if not ids:
        return
    with transaction.atomic():
        Thread.objects.bulk_create([Thread(article_id=i) for i in ids], ignore_conflicts=True)
        list(Thread.objects.select_for_update().filter(article_id__in=ids).order_by("pk"))
        visible = dict(
            Comment.objects.visible()
            .filter(article_id__in=ids)
            .values("article_id")
            .annotate(n=Count("pk"))
            .values_list("article_id", "n")
        )
        roots = dict(
            _shown_roots(Comment.objects.filter(article_id__in=ids), ids)
            .values("article_id")
            .annotate(n=Count("pk"))
            .values_list("article_id", "n")
        )
        _refresh_reply_counts(ids)
        for article_id in ids:
            Thread.objects.filter(article_id=article_id).update(
                version=F("version") + 1,
                visible_count=visible.get(article_id, 0),
                top_level_count=roots.get(article_id, 0),
            )
        # The articles' pages show their threads, and lists show their counts.
        articles_changed(ids)


def recount_threads(*, batch_size: int = 500) -> int:
    """Give a new version and fresh counts to every thread whose stored counts differ from its
    comments; returns how many. Counts are kept in the transactions that change them, so this
    finds nothing unless something wrote rows behind the services' back (a raw UPDATE, a
    restored backup): a safety net run on a schedule, never on a page view.
    """
    visible = dict(
        Comment.objects.visible()
        .values("article_id")
        .annotate(n=Count("pk"))
        .values_list("article_id", "n")
    )
    roots = dict(
        _shown_roots(Comment.objects.all())
        .values("article_id")
        .annotate(n=Count("pk"))
        .values_list("article_id", "n")
    )
    stored = {
        article_id: (shown, top)
        for article_id, shown, top in Thread.objects.values_list(
            "article_id", "visible_count", "top_level_count"
        )
    }
    wrong = sorted(
        article_id
        for article_id in set(visible) | set(stored)
        if stored.get(article_id, (0, 0)) != (visible.get(article_id, 0), roots.get(article_id, 0))
    )
    # bump_threads counts again under each row's lock: a change committing meanwhile is counted.
    for start in range(0, len(wrong), batch_size):
        bump_threads(wrong[start : start + batch_size])
    return len(wrong)


def _refresh_reply_counts(article_ids: list[int], *, roots: list[int] | None = None) -> None:
    """Top-level comments whose visible replies changed get their new count and "Top" rank.

    One query finds only those whose stored count is wrong (usually one, or none), so the work
    does not grow with the thread; their ranks are computed from what the rows hold. Rows another
    transaction holds (a reaction, a decision: they lock the comment, then the thread, the other
    way round) are skipped rather than waited for, so the two cannot deadlock; that transaction
    bumps the thread too, and this runs again for it. `roots` narrows the look to the top-level
    comments a change can have touched.
    """
    replies = (
        Comment.objects.visible()
        .filter(root=OuterRef("pk"))
        .order_by()
        .values("root")
        .annotate(n=Count("pk"))
        .values("n")
    )
    candidates = Comment.objects.filter(article_id__in=article_ids, parent__isnull=True)
    if roots is not None:
        candidates = candidates.filter(pk__in=roots)
    changed = list(
        candidates.annotate(shown_replies=Coalesce(Subquery(replies), 0))
        .exclude(reply_count=F("shown_replies"))
        .select_for_update(skip_locked=True, of=("self",))
        .only("pk", "created_at", "helpful_count", "reply_count")
    )
    for comment in changed:
        comment.reply_count = max(0, comment.shown_replies)
        comment.rank = top_rank(
            created_at=comment.created_at,
            helpful=comment.helpful_count,
            replies=comment.reply_count,
        )
    # One UPDATE for them all (a bulk approval touches many conversations at once); only the
    # reply count and the rank it makes, so a reaction's helpful count is never overwritten.
    Comment.objects.bulk_update(changed, ["reply_count", "rank"])


@contextmanager
def threads_changing(comments: Sequence[Comment]) -> Iterator[None]:
    """These comments are about to change status together (the body of the `with`): their threads
    get one new version each, and counts kept by difference.

    Where `bump_threads` counts whole threads (a million rows is seconds), this counts only the
    rows involved, before and after: the visible ones among these comments, and the shown ones
    among their top-level comments (only these comments can change whether those are shown). The
    threads' rows are locked first, so changes committing at once cannot miss each other.
    """
    ids = sorted({c.article_id for c in comments})
    if not ids:
        yield
        return
    comment_ids = [c.pk for c in comments]
    root_ids = list({c.root_id or c.pk for c in comments})
    with transaction.atomic():
        Thread.objects.bulk_create([Thread(article_id=i) for i in ids], ignore_conflicts=True)
        list(Thread.objects.select_for_update().filter(article_id__in=ids).order_by("pk"))
        before = _tallies(comment_ids, root_ids)
        yield
        after = _tallies(comment_ids, root_ids)
        _refresh_reply_counts(ids, roots=root_ids)  # their replies' counts and "Top" ranks
        for article_id in ids:
            visible = after[0][article_id] - before[0][article_id]
            shown = after[1].get(article_id, 0) - before[1].get(article_id, 0)
            Thread.objects.filter(article_id=article_id).update(
                version=F("version") + 1,
                visible_count=F("visible_count") + visible,
                top_level_count=F("top_level_count") + shown,
            )
        articles_changed(ids)


def _tallies(comment_ids: list[int], root_ids: list[int]) -> tuple[Counter[int], dict[int, int]]:
    """Per article: how many of these comments are visible, and of these roots are shown."""
    # Counted here from the rows by key: a filter on status would tempt the planner to scan
    # the approved majority of the table.
    visible: Counter[int] = Counter(
        article_id
        for article_id, status in Comment.objects.filter(pk__in=comment_ids).values_list(
            "article_id", "status"
        )
        if status == Comment.Status.APPROVED
    )
    shown = dict(
        _shown_roots(Comment.objects.filter(pk__in=root_ids))
        .values("article_id")
        .annotate(n=Count("pk"))
        .values_list("article_id", "n")
    )
    return visible, shown


def comment_row_changed(comment: Comment, *, previous_status: str) -> None:
    """A comment's row changed without save() (a conditional UPDATE, which sends no post_save).

    Moderation calls this for its decisions, reports and picks: as for a save, a change to a
    comment that is or was visible makes a new version of its article's thread.
    """
    if comment.is_visible or previous_status == Comment.Status.APPROVED:
        bump_threads([comment.article_id])


def thread_key(
    article_id: int, order: str, page: int, *, version: int | None = None, variant: str = "public"
) -> str:
    """The cache key of one page of a thread as a kind of reader sees it: it carries the thread's
    version in the database."""
    if version is None:
        version = thread_state(article_id).version
    return f"comments:thread:{article_id}:{version}:{order}:{page}:{variant}"


def _shown_roots(comments, article_ids: Sequence[int] | None = None):
    # The replies looked for are those of these articles only (all of them for the nightly
    # recount): PostgreSQL hashes the subquery, and unbounded on a page's query it would read
    # every approved comment of the site (tests/test_query_plans.py).
    replies = Comment.objects.visible()
    if article_ids is not None:
        replies = replies.filter(article_id__in=article_ids)
    has_visible_reply = Exists(replies.filter(root=OuterRef("pk")))
    return comments.filter(parent__isnull=True).filter(
        Q(status=Comment.Status.APPROVED) | has_visible_reply
    )


def shown_roots(article: Article):
    """Top-level comments shown: the visible ones and hidden ones still holding visible replies."""
    return _shown_roots(Comment.objects.filter(article=article), [article.pk])


def ordered_roots(roots, order: str):
    if order == "top":
        return roots.order_by("-rank", "-pk")
    return (
        roots.order_by("-created_at", "-pk")
        if order == "newest"
        else roots.order_by("created_at", "pk")
    )


def page_number_of(comment: Comment, *, order: str = "oldest") -> int:
    """Which page of the thread shows this comment (its top-level comment decides)."""
    root = comment.root or comment
    roots = shown_roots(comment.article)
    if order == "top":
        before = roots.filter(Q(rank__gt=root.rank) | Q(rank=root.rank, pk__gt=root.pk))
    elif order == "newest":
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


# Where each comment's links go (see thread.html), with what an editor's tools need (its version,
# whether it is a pick): filled once per kind of reader (comments.selectors.ThreadVariant).
ACTIONS_SLOT = re.compile(r"<!--comment-actions:(\d+):(\d+):([01])-->")


def without_links(thread_html: str) -> str:
    """The thread as readers who may not act on it see it: no links."""
    return ACTIONS_SLOT.sub("", thread_html)


PICKS = "picks"
# What the site's thread can show: the discussion in either order, or the editors' picks alone
# (a tab, so a pick is never shown twice on one page).
VIEWS = (*ORDERS, PICKS)


@dataclass(frozen=True)
class RenderedThread:
    html: SafeString
    order: str  # the order (or the picks) and the page shown, whatever was asked for
    page: int


def render_thread(
    article: Article,
    *,
    order: str,
    page: int | str | None,
    variant: str = "public",
    fill: Callable[[str], str] = without_links,
) -> RenderedThread:
    """One page of the thread (or of the picks) as a kind of reader sees it (`variant`, whose
    links `fill` puts in), from the page cache when it is there.

    One query (the thread's version and counts) when it is; a page number beyond the thread is
    its last page, so only pages that exist are ever stored.
    """
    order = order if order in VIEWS else "oldest"
    try:
        number = max(int(page or 1), 1)
    except (TypeError, ValueError, OverflowError):
        number = 1
    # Every change to the thread moves the article's version too (bump_threads), so its state is
    # kept under that version (articles.pagecache.kept): no query while nothing changed.
    state = kept("thread-state", (article.pk, article.version), lambda: thread_state(article.pk))
    number = 1 if order == PICKS else min(number, state.last_page())
    key = thread_key(article.pk, order, number, version=state.version, variant=variant)
    pages = caches[PAGE_CACHE]
    html = pages.get(key)
    if html is None:
        slots_key = thread_key(article.pk, order, number, version=state.version, variant="slots")
        rendered = pages.get(slots_key)
        if rendered is None:
            rendered = _render(article, state=state, order=order, page=number)
            pages.set(slots_key, rendered, timeout=settings.COMMENTS_THREAD_CACHE_SECONDS)
        html = fill(rendered)
        pages.set(key, html, timeout=settings.COMMENTS_THREAD_CACHE_SECONDS)
    # Our own template output, with sanitised bodies.
    return RenderedThread(html=mark_safe(html), order=order, page=number)


def _picks(article: Article) -> list[Comment]:
    return list(
        Comment.objects.visible()
        .filter(article=article, featured_at__isnull=False)
        .select_related("author", "parent__author")
        .order_by("-featured_at", "-pk")[:MAX_PICKS]
    )


def _render(article: Article, *, state: ThreadState, order: str, page: int) -> str:
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
            "count": state.visible_count,
            "version": state.version,  # what the page's script polls against (thread.js)
            "pick_count": len(picks),
            "picks": pick_nodes,
            "nodes": nodes,
            "page": roots_page,
            "order": order,
            "orders": ORDERS,
        },
    )
