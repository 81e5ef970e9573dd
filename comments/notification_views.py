"""Thin views for notifications: the inbox, the email settings, unsubscribing, following.

The rules are in comments/notifications.py.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import AuthenticatedHttpRequest

from . import flash
from . import notifications as service
from .models import Notification
from .views import _public_article

INBOX_PER_PAGE = 30


@login_required
@require_http_methods(["GET", "HEAD"])
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The reader's notifications, newest first; opening the page marks them read (the page
    still shows which were new)."""
    page = Paginator(service.inbox(request.user), INBOX_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for n in rows:
        n.link = service.link_of(n)
    if request.method == "GET":
        service.mark_read(reader=request.user, ids=[n.pk for n in rows if n.read_at is None])
    return render(request, "comments/notifications.html", {"page": page, "rows": rows})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def email_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    kinds = service.kinds_for(request.user)
    saved = False
    if request.method == "POST":
        chosen = set(request.POST.getlist("email"))
        for kind in kinds:
            service.set_email(reader=request.user, kind=kind, email=kind in chosen)
        saved = True
    choices = service.email_choices(request.user)
    rows = [(kind, Notification.Kind(kind).label, choices[kind]) for kind in kinds]
    return render(
        request,
        "comments/notification_settings.html",
        {"rows": rows, "saved": saved, "email": request.user.email},
    )


@csrf_exempt  # a mail client's one-click POST (RFC 8058) carries the signed token, no cookie
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm (a link scanner must not unsubscribe anyone); POST unsubscribes."""
    found = service.read_unsubscribe_token(token)
    if found is None:
        return render(request, "comments/unsubscribe.html", {"invalid": True}, status=400)
    reader, kind = found
    done = request.method == "POST"
    if done:
        service.set_email(reader=reader, kind=kind, email=False)
    return render(
        request,
        "comments/unsubscribe.html",
        {"kind_label": Notification.Kind(kind).label, "done": done, "reader": reader},
    )


@login_required
@require_POST
def follow(request: AuthenticatedHttpRequest, article_pk: int) -> HttpResponse:
    article = _public_article(article_pk)
    if request.POST.get("follow") == "1":
        service.follow(reader=request.user, article=article)
        message = "You follow this discussion: new comments come to your notifications."
    else:
        service.unfollow(reader=request.user, article=article)
        message = "You no longer follow this discussion, and hear nothing more from it."
    flash.leave_notice(request, article_id=article.pk, notice=flash.Notice(message))
    return redirect(f"{article.get_absolute_url()}#comments")
