"""The pages every person meets, with the people who meet them: what axe and the Nu HTML Checker
look at (tests/browser/test_accessibility.py, test_valid_html.py).

`furnish()` gives the site something to show on each: a discussion with replies, an editors' pick,
a comment awaiting moderation, a rejected one, an editor's comment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from accounts.roles import make_editor
from comments import notifications
from comments.models import Comment, Notification
from moderation.decisions import decide, feature
from tests.comments.conftest import CommentFactory
from tests.conftest import UserFactory, trust

ARTICLE = "/more/health/recovery/sudden-muscle-twitches-during-sleep/"


@dataclass(frozen=True)
class Stop:
    name: str
    path: str
    persona: str | None = None  # None: an anonymous visitor; else a key of furnish()'s people
    status: int = 200


TOUR = [
    Stop("home", "/"),
    Stop("section", "/more/health/recovery/"),
    Stop("article", ARTICLE),
    Stop("article-reader", ARTICLE, "reader"),
    Stop("article-editor", ARTICLE, "editor"),
    Stop("login", f"/accounts/login/?next={ARTICLE}"),
    Stop("signup", f"/accounts/signup/?next={ARTICLE}"),
    Stop("search", "/search/?q=magnesium"),
    Stop("profile", "/users/reader/"),
    Stop("account", "/accounts/email/", "reader"),
    Stop("tokens", "/accounts/tokens/", "reader"),
    Stop("my-comments", "/users/me/comments/", "reader"),
    Stop("notifications", "/users/me/notifications/", "reader"),
    Stop("notification-settings", "/users/me/notifications/settings/", "reader"),
    Stop("unsubscribe-invalid", "/users/me/notifications/unsubscribe/not-a-token/", status=400),
    Stop("moderation-overview", "/moderation/", "editor"),
    Stop("moderation-queue", "/moderation/queue/pending/", "editor"),
    Stop("comment-policy", "/pages/comment-policy/"),
    Stop("discussion-rules", "/pages/discussion-rules/"),
    Stop("not-found", "/no/such/page/", status=404),
    Stop("api-docs", "/api/docs/"),
]


def furnish(article) -> dict:
    """People and comments for the tour; returns the people by persona."""
    reader = UserFactory(username="reader")
    stranger = UserFactory(username="stranger")
    editor = make_editor(UserFactory(username="editor", is_staff=True))
    newcomer = UserFactory(username="newcomer")
    trust(reader, stranger)
    start = timezone.now() - dt.timedelta(hours=3)

    def comment(author, body, *, minutes, **fields):
        made = CommentFactory(article=article, author=author, body=body, **fields)
        Comment.objects.filter(pk=made.pk).update(
            created_at=start + dt.timedelta(minutes=minutes, microseconds=123456)
        )
        made.refresh_from_db()
        return made

    first = comment(reader, "Magnesium helped me.\n\nSee https://example.org", minutes=1)
    reply = comment(stranger, "Which kind did you take?", minutes=5, parent=first)
    notifications.notify(
        recipients=[reader], kind=Notification.Kind.REPLY, comment=reply, actor=stranger
    )
    comment(reader, "Glycinate, at night.", minutes=9, parent=reply)
    picked = comment(editor, "Thank you all: see a doctor if it keeps waking you.", minutes=12)
    feature(picked, by=editor)
    comment(newcomer, "Is this normal at my age?", minutes=20, status=Comment.Status.PENDING)
    comment(reader, "My second thought.", minutes=25, status=Comment.Status.PENDING)
    rejected = comment(reader, "A rude remark.", minutes=30, status=Comment.Status.PENDING)
    decide(rejected, "reject", by=editor, reason="Please keep it civil.")
    return {"reader": reader, "stranger": stranger, "editor": editor, "newcomer": newcomer}
