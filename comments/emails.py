"""The notification emails: what they say, and the headers every one carries.

Each names the site by its name (settings.SITE_NAME, as accounts.adapters does for allauth's
emails), has a plain-text part and an HTML one, links to the reader's notification settings, and
carries a one-click unsubscribe for its kind (RFC 8058: `List-Unsubscribe` with an HTTPS address
that takes a POST, and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`); the address holds a
signed token, so it works without logging in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Notification
from .notifications import link_of, unsubscribe_token

Kind = Notification.Kind


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def subject_of(kind: str, notifications: Sequence[Notification]) -> str:
    first = notifications[0]
    comment = first.comment
    title = comment.article.title
    actor = first.actor.username if first.actor else "Someone"
    if kind == Kind.REPLY:
        text = f"{actor} replied to your comment on “{title}”"
    elif kind == Kind.MENTION:
        text = f"{actor} mentioned you on “{title}”"
    elif kind == Kind.THREAD:
        n = len(notifications)
        text = f"{n} new comment{'s' if n != 1 else ''} on “{title}”"
    elif kind == Kind.APPROVED:
        text = f"Your comment on “{title}” is published"
    elif kind == Kind.REJECTED:
        text = f"Your comment on “{title}” was not published"
    elif kind == Kind.FEATURED:
        text = f"Your comment on “{title}” is an editors' pick"
    else:
        n = len(notifications)
        text = f"{n} comment{'s' if n != 1 else ''} need an editor's look"
    return f"[{settings.SITE_NAME}] {text}"


def compose(*, reader: Any, kind: str, notifications: Sequence[Notification]) -> Any:
    """One email to `reader` about these notifications of one kind (one, or a digest)."""
    unsubscribe = absolute(
        reverse("profiles:unsubscribe", args=[unsubscribe_token(reader=reader, kind=kind)])
    )
    context = {
        "site_name": settings.SITE_NAME,
        "reader": reader,
        "kind": kind,
        "kind_label": Kind(kind).label,
        "items": [
            {
                "notification": n,
                "comment": n.comment,
                "url": absolute(link_of(n)),
            }
            for n in notifications
        ],
        "article": notifications[0].comment.article,
        "article_url": absolute(notifications[0].comment.article.get_absolute_url()),
        "settings_url": absolute(reverse("profiles:notification-settings")),
        "inbox_url": absolute(reverse("profiles:notifications")),
        "unsubscribe_url": unsubscribe,
    }
    message = EmailMultiAlternatives(
        subject=subject_of(kind, notifications),
        body=render_to_string("comments/email/notification.txt", context),
        to=[reader.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # Automatic mail: no out-of-office replies to it.
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        render_to_string("comments/email/notification.html", context), "text/html"
    )
    return message
