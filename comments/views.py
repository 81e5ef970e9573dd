"""Thin views: read the request, call a service, show the outcome. The rules are in services.py."""

from __future__ import annotations

from allauth.core.ratelimit import consume
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotModified,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.decorators import AuthenticatedHttpRequest
from accounts.selectors import account_data
from articles.models import Article
from markup.sanitize import render_comment

from . import flash
from .errors import CommentError, CommentNudge
from .forms import CommentForm, EditForm, ReportForm, add_refusal
from .http import client_ip
from .models import Comment, Report
from .selectors import comments_data, reply_target
from .services import (
    can_edit,
    delete_comment,
    edit_comment,
    post_comment,
    react,
    report_comment,
    unreact,
)
from .thread import page_number_of

PROFILE_COMMENTS_PER_PAGE = 20


def _public_article(pk: int) -> Article:
    article = Article.objects.published().select_related("section", "author").filter(pk=pk).first()
    if article is None:
        raise Http404("No such article.")
    return article


def _own_comment(request: HttpRequest, pk: int) -> Comment:
    comment = get_object_or_404(
        Comment.objects.select_related("article__section"), pk=pk, author=request.user
    )
    return comment


def _visible_comment(pk: int) -> Comment:
    return get_object_or_404(
        Comment.objects.visible().on_public_articles().select_related("article__section", "author"),
        pk=pk,
    )


def comment_url(comment: Comment) -> str:
    """The article page showing this comment, at its anchor (on the right page of the thread)."""
    url = comment.article.get_absolute_url()
    if comment.is_visible:
        page = page_number_of(comment)
        if page > 1:
            url += f"?comments_page={page}"
    return f"{url}#{comment.anchor}"


class SeeOther(HttpResponseRedirect):
    """After a POST: the browser fetches the target with GET, so a reload never re-posts."""

    status_code = 303


# --- Answers for the page's script (site/static/js/thread.js) -------------------------------------
#
# Every form posts to the same views with or without JavaScript. Without it, post/redirect/get as
# ever; with it, the script asks for JSON (`Accept: application/json`) and gets the outcome instead
# of a redirect, or asks for a form alone (`X-Requested-With: fetch`) to show it in place. The
# rules are the same services' either way.


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def wants_fragment(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _private(response: HttpResponse) -> HttpResponse:
    """Answers that depend on the reader: never stored by a shared cache or kept by the browser."""
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie", "Accept", "X-Requested-With"])
    return response


def done(
    request: HttpRequest,
    *,
    url: str,
    notice: flash.Notice,
    article_id: int,
    see_other: bool = False,
) -> HttpResponse:
    """The outcome of a form that worked: its notice for the page, then where to look.

    The notice is left in the session either way: the page (or the section the script fetches
    again) shows it beside the comment it is about.
    """
    flash.leave_notice(request, article_id=article_id, notice=notice)
    if wants_json(request):
        answer = {"ok": True, "url": url, "message": notice.text, "level": notice.level}
        if notice.comment_id is not None:
            answer["comment_id"] = notice.comment_id
        return _private(JsonResponse(answer))
    return SeeOther(url) if see_other else redirect(url)


def refused(
    *, message: str = "", errors: dict | None = None, nudge: str = "", status: int = 400
) -> HttpResponse:
    """A refused form, for the script: why (the sentence, each field's errors, or the moderator's
    question after a nudge); the reader's text stays in their form."""
    answer = {"ok": False, "message": message or nudge, "errors": errors or {}, "nudge": nudge}
    return _private(JsonResponse(answer, status=status))


def form_refused(form) -> HttpResponse:
    errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
    message = " ".join(errors.pop("__all__", [])) or "Please correct the errors below."
    return refused(message=message, errors=errors)


def fragment(request: HttpRequest, template: str, context: dict, *, status: int = 200):
    return _private(render(request, template, context, status=status))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def post(request: AuthenticatedHttpRequest, article_pk: int) -> HttpResponse:
    """Post a comment, then go back to the article: to the new comment, or to the form.

    Post/redirect/get either way. A refused or nudged form travels in the session as a draft
    (comments/flash.py): the article page shows it at the form with why, focused, and keeps the
    words until a comment is posted.
    """
    article = _public_article(article_pk)
    if request.method != "POST":
        if wants_fragment(request):
            return reply_form(request, article)
        return redirect(f"{article.get_absolute_url()}#comment-form")
    form = CommentForm(request.POST)
    refusal = None
    if form.is_valid():
        data = form.cleaned_data
        parent = None
        if data["parent"]:
            parent = Comment.objects.filter(pk=data["parent"], article=article).first()
        try:
            if data["parent"] and parent is None:
                raise CommentError("The comment you are replying to is no longer available.")
            comment = post_comment(
                author=request.user,
                article=article,
                body=data["body"],
                parent=parent,
                token=data["token"],
                ip_address=client_ip(request),
                confirmed=data["confirmed"],
            )
        except CommentNudge as nudge:
            # Not an error: the reader's text stays, with the choice to revise or post anyway.
            form.nudge = nudge.message
        except CommentError as error:
            refusal = error
        else:
            flash.forget_draft(request, article_id=article.pk)
            notice = posted_notice(comment)
            url = comment_url(comment)
            return done(request, url=url, notice=notice, article_id=article.pk, see_other=True)
    if wants_json(request):
        # The reader's form keeps the text and shows why; the draft keeps it for a reload.
        flash.keep_draft(request, article_id=article.pk, form=form, error=refusal, told=True)
        if form.nudge:
            return refused(nudge=form.nudge, status=409)
        if refusal is not None:
            return refused(message=refusal.message, errors=refusal.errors)
        return form_refused(form)
    flash.keep_draft(request, article_id=article.pk, form=form, error=refusal)
    return SeeOther(f"{article.get_absolute_url()}#comment-form")


def reply_form(request: AuthenticatedHttpRequest, article: Article) -> HttpResponse:
    """The form to answer one comment (`?reply=<id>`), alone, for the script to show under it."""
    replying_to = None
    if not article.comments_closed:
        replying_to = reply_target(article=article, pk=request.GET.get("reply"))
    if replying_to is None:
        return _private(HttpResponse("This comment cannot be answered.", status=404))
    # Its own ids: the page already has the main form's.
    form = CommentForm(initial={"parent": replying_to.pk}, auto_id=f"reply-{replying_to.pk}-%s")
    context = {"form": form, "article": article, "replying_to": replying_to, "in_place": True}
    return fragment(request, "comments/form.html", context)


def posted_notice(comment: Comment) -> flash.Notice:
    """What the reader is told, beside their comment, once it is stored."""
    if comment.status == Comment.Status.PENDING:
        return flash.Notice(held_message(comment), level="info", comment_id=comment.pk)
    if comment.status in (Comment.Status.REJECTED, Comment.Status.SPAM):
        return flash.Notice(not_published_message(comment), level="warning", comment_id=comment.pk)
    return flash.Notice("Thank you: your comment is published.", comment_id=comment.pk)


HELD = "Thank you: your comment will appear once an editor has approved it."


def held_message(comment: Comment) -> str:
    """The thank-you for a held comment, with why it waits (the moderator's words for readers)."""
    return " ".join([HELD, *dict.fromkeys(comment.held_because)])


def not_published_message(comment: Comment) -> str:
    reasons = " ".join(r["message"] for r in comment.screening if r["action"] == "reject")
    return f"Your comment was not published. {reasons}".strip()


@require_safe
def permalink(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.visible_to(request.user)
        .on_public_articles()
        .select_related("article__section"),
        pk=pk,
    )
    return redirect(comment_url(comment))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    comment = _own_comment(request, pk)
    if request.method == "POST":
        form = EditForm(request.POST)
        if form.is_valid():
            try:
                comment = edit_comment(
                    comment=comment, by=request.user, body=form.cleaned_data["body"]
                )
            except CommentError as error:
                add_refusal(form, error)
            else:
                notice = flash.Notice("Your comment was updated.", comment_id=comment.pk)
                url = comment_url(comment)
                return done(request, url=url, notice=notice, article_id=comment.article_id)
        if wants_json(request):
            return form_refused(form)
    else:
        form = EditForm(initial={"body": comment.body})
    context = {"comment": comment, "form": form, "editable": can_edit(comment, request.user)}
    status = 400 if request.method == "POST" else 200
    if wants_fragment(request):
        form.auto_id = f"edit-{comment.pk}-%s"  # its own ids on the article page
        return fragment(request, "comments/edit_form.html", context, status=status)
    return render(request, "comments/edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    comment = _own_comment(request, pk)
    if request.method == "POST":
        try:
            delete_comment(comment=comment, by=request.user)
        except CommentError as error:
            if wants_json(request):
                return refused(message=error.message)
            notice = flash.Notice(error.message, level="warning")
        else:
            notice = flash.Notice("Your comment was deleted.")
        url = f"{comment.article.get_absolute_url()}#comments"
        return done(request, url=url, notice=notice, article_id=comment.article_id)
    if wants_fragment(request):
        context = {"comment": comment, "in_place": True}
        return fragment(request, "comments/delete_form.html", context)
    return render(request, "comments/delete.html", {"comment": comment})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    comment = _visible_comment(pk)
    already = Report.objects.filter(comment=comment, reporter=request.user).exists()
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            report_comment(
                comment=comment,
                by=request.user,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
            )
        except CommentError as error:
            add_refusal(form, error)
        else:
            notice = flash.Notice(
                "Thank you: your report was received. An editor will look at this comment.",
                comment_id=comment.pk,
            )
            url = comment_url(comment)
            return done(request, url=url, notice=notice, article_id=comment.article_id)
    if request.method == "POST" and wants_json(request):
        return form_refused(form)
    status = 400 if request.method == "POST" else 200
    context = {
        "comment": comment,
        "form": form,
        "already_reported": already,
        "own": comment.author_id == request.user.pk,
    }
    if wants_fragment(request):
        form.auto_id = f"report-{comment.pk}-%s"  # its own ids on the article page
        return fragment(request, "comments/report_form.html", context, status=status)
    return render(request, "comments/report.html", context, status=status)


# How often one reader may ask for a preview (the script asks as they pause while typing).
PREVIEW_RATE = "comment_preview"
PREVIEW_MAX_LENGTH_FACTOR = 2  # a text far over the limit is not worth rendering


@login_required
@require_POST
def preview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What a text would look like once published: the same render and sanitiser as saving
    (markup.sanitize.render_comment), as an HTML fragment. Rate-limited per reader."""
    if not consume(request, action=PREVIEW_RATE, user=request.user):
        return _private(HttpResponse("Too many previews: wait a moment.", status=429))
    body = request.POST.get("body", "")
    if len(body) > settings.COMMENTS_MAX_LENGTH * PREVIEW_MAX_LENGTH_FACTOR:
        return _private(HttpResponse("Too long to preview.", status=413))
    html = render_comment(body)
    return _private(HttpResponse(html, content_type="text/html; charset=utf-8"))


# --- Live threads --------------------------------------------------------------------------------


@require_safe
def thread_section(request: HttpRequest, article_pk: int) -> HttpResponse:
    """The article's discussion as this reader sees it on the article page (the same template tag,
    `?order=` and `?comments_page=` as there), alone: the script shows new comments with it, and
    the thread after a form worked. The article page itself stays in the page cache."""
    article = _public_article(article_pk)
    html = render_to_string("comments/section_fragment.html", {"article": article}, request)
    return _private(HttpResponse(html))


@require_safe
def thread_version(request: HttpRequest, article_pk: int) -> HttpResponse:
    """The thread's version and visible comments, for the script's poll: one small query (the
    `Thread` row, through the published article) and no cache, so it is never stale; an ETag the
    version names answers an unchanged thread with a 304."""
    row = (
        Article.objects.published()
        .filter(pk=article_pk)
        .values_list("thread__version", "thread__visible_count")
        .first()
    )
    if row is None:
        raise Http404("No such article.")
    version, count = row[0] or 0, row[1] or 0
    etag = f'"thread-{article_pk}-{version}"'
    # A compressing middleware or proxy may have weakened it (W/"..."): the same version still.
    asked = {
        t.strip().removeprefix("W/") for t in request.headers.get("If-None-Match", "").split(",")
    }
    if etag in asked:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = JsonResponse({"version": version, "count": count})
    response["ETag"] = etag
    # Anyone may keep it, but must ask again each time (with the ETag: a 304 costs nothing).
    patch_cache_control(response, public=True, no_cache=True)
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def helpful(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Find a comment helpful (`helpful=on`) or take it back (`off`), then back to the comment.

    The button says which it sends, so a form sent twice, or from an old page, does what it says.
    A refusal shows beside the comment.
    """
    comment = _visible_comment(pk)
    if request.method == "POST":
        change = unreact if request.POST.get("helpful") == "off" else react
        try:
            change(comment=comment, by=request.user)
        except CommentError as error:
            if wants_json(request):
                return refused(message=error.message)
            notice = flash.Notice(error.message, level="warning", comment_id=comment.pk)
            flash.leave_notice(request, article_id=comment.article_id, notice=notice)
        else:
            if wants_json(request):
                # No notice: the button's state says it (aria-pressed), and the script says it.
                found = change is react
                message = "Marked as helpful." if found else "No longer marked as helpful."
                answer = {"ok": True, "url": comment_url(comment), "message": message}
                return _private(JsonResponse({**answer, "comment_id": comment.pk}))
    return SeeOther(comment_url(comment))


# --- Profile pages (at /users/) -------------------------------------------------------------------


@require_safe
def profile(request: HttpRequest, username: str) -> HttpResponse:
    person = get_object_or_404(get_user_model(), username__iexact=username, is_active=True)
    comments = (
        Comment.objects.visible()
        .on_public_articles()
        .filter(author=person)
        .select_related("article__section")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(comments, PROFILE_COMMENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "comments/profile.html", {"person": person, "page": page})


@login_required
@require_safe
def my_comments(request: AuthenticatedHttpRequest) -> HttpResponse:
    comments = (
        Comment.objects.filter(author=request.user)
        .select_related("article__section")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(comments, PROFILE_COMMENTS_PER_PAGE).get_page(request.GET.get("page"))
    for comment in page.object_list:
        comment.editable = can_edit(comment, request.user)
    return render(request, "comments/my_comments.html", {"page": page})


def my_profile(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return HttpResponseRedirect(reverse("profiles:profile", args=[request.user.username]))
    # Back here once signed in: to their own profile.
    return redirect_to_login(request.get_full_path())


@login_required
@require_safe
def my_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The reader's own data (account and discussions) as one JSON file to keep."""
    data = {
        "exported_at": timezone.now().isoformat(),
        "account": account_data(request.user),
        **comments_data(request.user),
    }
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    day = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = (
        f'attachment; filename="colloquy-{request.user.pk}-{day}.json"'
    )
    response["Cache-Control"] = "no-store"
    return response
