"""Thin views: read the request, call a service, show the outcome. The rules are in services.py."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from accounts.decorators import AuthenticatedHttpRequest
from accounts.selectors import account_data
from articles.models import Article

from . import flash
from .errors import CommentError, CommentNudge
from .forms import CommentForm, EditForm, ReportForm, add_refusal
from .http import client_ip
from .models import Comment, Report
from .selectors import comments_data
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
            flash.leave_notice(request, article_id=article.pk, notice=posted_notice(comment))
            return SeeOther(comment_url(comment))
    flash.keep_draft(request, article_id=article.pk, form=form, error=refusal)
    return SeeOther(f"{article.get_absolute_url()}#comment-form")


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
                flash.leave_notice(request, article_id=comment.article_id, notice=notice)
                return redirect(comment_url(comment))
    else:
        form = EditForm(initial={"body": comment.body})
    context = {"comment": comment, "form": form, "editable": can_edit(comment, request.user)}
    status = 400 if request.method == "POST" else 200
    return render(request, "comments/edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    comment = _own_comment(request, pk)
    if request.method == "POST":
        try:
            delete_comment(comment=comment, by=request.user)
        except CommentError as error:
            notice = flash.Notice(error.message, level="warning")
        else:
            notice = flash.Notice("Your comment was deleted.")
        flash.leave_notice(request, article_id=comment.article_id, notice=notice)
        return redirect(f"{comment.article.get_absolute_url()}#comments")
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
            flash.leave_notice(request, article_id=comment.article_id, notice=notice)
            return redirect(comment_url(comment))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "comments/report.html",
        {
            "comment": comment,
            "form": form,
            "already_reported": already,
            "own": comment.author_id == request.user.pk,
        },
        status=status,
    )


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
            notice = flash.Notice(error.message, level="warning", comment_id=comment.pk)
            flash.leave_notice(request, article_id=comment.article_id, notice=notice)
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
