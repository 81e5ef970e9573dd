"""The article page gets its discussion from these tags, so articles know nothing of comments."""

import uuid

from django import template
from django.conf import settings
from django.core.cache import caches
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from articles.pagecache import kept, rendered
from comments import flash
from comments.forms import CommentForm
from comments.moderator import CSRF_STAND_IN, get_moderator
from comments.selectors import comment_counts as comment_counts_of
from comments.selectors import personalise, reader_view, reply_target, thread_variant
from comments.thread import PAGE_CACHE, render_thread

register = template.Library()


@register.inclusion_tag("comments/section.html", takes_context=True)
def comments_section(context, article, preview=False):
    """The count, the thread (shared, cached), then this reader's comments and form.

    After a refused or nudged post the reader's draft comes back from the session
    (comments/flash.py) and fills the form, with why. A notice about the comment the reader just
    posted, edited or reported shows beside it. Editors get their tools in the thread and the
    article's comments awaiting review above it. A draft's `preview` shows the thread as it
    stands but no form: nothing can be posted to an article that is not public.
    """
    request = context["request"]
    user = request.user
    view = reader_view(article=article, user=user)
    moderator = get_moderator()
    variant = thread_variant(
        article=article, view=view, tools=moderator.thread_tools(request, article)
    )
    shown = render_thread(
        article,
        order=request.GET.get("order", "oldest"),
        page=request.GET.get("comments_page"),
        variant=variant.name,
        fill=variant.fill,
    )
    # What the page shows, for the whole-page cache (only pages that exist are stored).
    rendered(request, "order", shown.order)
    rendered(request, "comments_page", shown.page)
    notice = flash.take_notice(request, article_id=article.pk)
    # This page's token, for forms only (a page without one sets no cookie and can be shared);
    # each get_token() masks the secret afresh, so the page's own is used once asked.
    token = str(context.get("csrf_token") or get_token(request)) if view.signed_in else ""
    thread, notice_placed = personalise(
        shown.html,
        article=article,
        user=user,
        view=view,
        variant=variant,
        notice=notice,
        # Editors' tools and readers' "helpful" buttons are forms.
        csrf_token=token if variant.name != "public" else "",
    )
    form = None if preview else flash.take_draft(request, article_id=article.pk)
    parent_id = form["parent"].value() if form is not None else request.GET.get("reply")
    replying_to = None
    if parent_id and view.verified and not article.comments_closed and not preview:
        replying_to = reply_target(article=article, pk=parent_id)
    form_html = ""
    if form is None and view.verified and not preview:
        if replying_to is None:
            # The kept blank form stands for it: no form to build on this view.
            form_html = blank_form(request, article, csrf_token=token)
        else:
            form = CommentForm(initial={"parent": replying_to.pk})
    own_ids = {c.pk for c in view.own}
    return {
        "request": request,
        "user": user,
        "article": article,
        "thread": thread,
        "reader": view,
        "form": form,
        "form_html": form_html,
        "replying_to": replying_to,
        "preview": preview,
        "panel": moderator.discussion_panel(request, article),
        # Shown beside the reader's own comment it is about, else at the top of the discussion.
        "notice": notice,
        "notice_on_top": notice is not None
        and not notice_placed
        and notice.comment_id not in own_ids,
        "max_length": settings.COMMENTS_MAX_LENGTH,
        "urls": discussion_urls(article.pk),
    }


def discussion_urls(article_id: int) -> dict[str, str]:
    """The discussion's own addresses (the script's and the Follow form's): they depend on the
    article's id alone, so they are worked out once per process."""

    def urls() -> dict[str, str]:
        return {
            "thread": reverse("comments:thread", args=[article_id]),
            "version": reverse("comments:thread-version", args=[article_id]),
            "post": reverse("comments:post", args=[article_id]),
            "preview": reverse("comments:preview"),
            "follow": reverse("comments:follow", args=[article_id]),
        }

    return kept("discussion-urls", (article_id,), urls)


# Where the blank form kept in the page cache takes each view's own form token (a UUID, not a
# secret) and, at CSRF_STAND_IN, the request's CSRF token.
_TOKEN_STAND_IN = "4ee1c0de-f0e1-4a5e-9d3a-5ad5ad5ad5ad"  # noqa: S105


def blank_form(request, article, *, csrf_token: str = "") -> SafeString:
    """The form to start a comment, rendered once per kind of article and kept in the page cache;
    every view gets its own form token (a double submit stores one comment) and CSRF token."""
    key = f"comments:blank-form:{article.pk}:{article.comments_premoderated}"
    pages = caches[PAGE_CACHE]
    html = pages.get(key)
    if html is None:
        form = CommentForm(initial={"token": _TOKEN_STAND_IN, "parent": None})
        html = render_to_string(
            "comments/form.html",
            {"form": form, "article": article, "csrf_token": CSRF_STAND_IN},
        )
        pages.set(key, html, timeout=None)
    fresh = html.replace(_TOKEN_STAND_IN, str(uuid.uuid4()))
    token = csrf_token or get_token(request)
    return mark_safe(fresh.replace(CSRF_STAND_IN, token))  # our template output


@register.simple_tag
def comment_max_length() -> int:
    return settings.COMMENTS_MAX_LENGTH


@register.simple_tag
def comment_counts(articles) -> dict[int, int]:
    """{article id: published comments} for a listing, in one query: `{% comment_counts page
    as counts %}`, then `{{ article|comments_in:counts }}`."""
    return comment_counts_of(articles)


@register.filter
def comments_in(article, counts: dict[int, int]) -> int:
    return counts.get(article.pk, 0) if counts else 0
