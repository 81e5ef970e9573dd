"""The article page gets its discussion from these tags, so articles know nothing of comments."""

from django import template
from django.conf import settings

from articles.pagecache import rendered
from comments.forms import CommentForm
from comments.selectors import reader_view, reply_target, with_reader_actions
from comments.thread import render_thread

register = template.Library()


@register.inclusion_tag("comments/section.html", takes_context=True)
def comments_section(context, article):
    """The count, the thread (shared, cached), then this reader's pending comments and form.

    A refused post re-renders the article page with its bound form on the request
    (`request.comment_form`, set by comments.views.post), so the reader's text and the error
    appear where they wrote them.
    """
    request = context["request"]
    user = request.user
    view = reader_view(article=article, user=user)
    thread = render_thread(
        article, order=request.GET.get("order", "oldest"), page=request.GET.get("comments_page")
    )
    # What the page shows, for the whole-page cache (only pages that exist are stored).
    rendered(request, "order", thread.order)
    rendered(request, "comments_page", thread.page)
    form = getattr(request, "comment_form", None)
    parent_id = form["parent"].value() if form is not None else request.GET.get("reply")
    replying_to = None
    if parent_id and view.verified and not article.comments_closed:
        replying_to = reply_target(article=article, pk=parent_id)
    if form is None and view.verified:
        form = CommentForm(initial={"parent": replying_to.pk if replying_to else None})
    return {
        "request": request,
        "user": user,
        "article": article,
        "thread": with_reader_actions(thread.html, article=article, user=user, view=view),
        "reader": view,
        "form": form,
        "replying_to": replying_to,
    }


@register.simple_tag
def comment_max_length() -> int:
    return settings.COMMENTS_MAX_LENGTH
