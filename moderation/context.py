"""What the screening rules read: the editors' settings, the author's standing and history.

`context_for()` gathers it all for one comment in a fixed number of queries (the settings, the
author's sanctions, counts and recent comments), straight from the database: what decides whether
a comment is published is never taken from a cache. The rules (moderation.rules) read nothing else.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from comments.models import Comment

from .models import ModerationSettings, Sanction
from .ratelimits import fingerprint as text_fingerprint
from .rules import AuthorHistory, Context, Standing
from .toxicity import toxicity_score

Status = Comment.Status


def moderation_settings() -> ModerationSettings:
    """The editors' settings, from the database (made with the model's defaults on first use).

    Not cached: they decide whether a comment is published, so every worker must read the row
    as it is now; it is one small query by primary key.
    """
    found, _ = ModerationSettings.objects.get_or_create(pk=ModerationSettings.SINGLETON_PK)
    return found


def standing_of(user: Any) -> Standing:
    """The sanctions in force on a reader, from the database (one indexed query; not cached, for
    the same reason as the settings). Expiry is judged when read (Sanction.in_force)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Standing()
    return Standing(sanctions=tuple(Sanction.objects.in_force().filter(user=user)))


def author_history(author: Any, *, settings: ModerationSettings, now: dt.datetime) -> AuthorHistory:
    """Two queries: the author's counts, and their comments of the last hour."""
    if author is None or not getattr(author, "pk", None):
        return AuthorHistory()
    mine = Comment.objects.filter(author=author)
    since = now - dt.timedelta(days=settings.rejection_days)
    decided = [Status.APPROVED, Status.REJECTED, Status.SPAM]
    rejected = [Status.REJECTED, Status.SPAM]
    counts = mine.aggregate(
        approved=Count("pk", filter=Q(status=Status.APPROVED)),
        rejected=Count("pk", filter=Q(status__in=rejected)),
        recent_decided=Count("pk", filter=Q(created_at__gte=since, status__in=decided)),
        recent_rejected=Count("pk", filter=Q(created_at__gte=since, status__in=rejected)),
    )
    window = max(dt.timedelta(minutes=settings.duplicate_minutes), dt.timedelta(minutes=1))
    recent = tuple(
        mine.filter(created_at__gt=now - window, created_at__lte=now).values_list(
            "fingerprint", "created_at"
        )
    )
    return AuthorHistory(recent=recent, **counts)


def context_for(comment: Comment, *, is_edit: bool = False) -> Context:
    """Everything the rules read about this comment, fetched once."""
    settings = moderation_settings()
    now = timezone.now()
    author = comment.author
    score = None
    if settings.toxicity_threshold is not None and comment.body.strip():
        score = toxicity_score(comment.body)
    return Context(
        article=comment.article,
        author=author,
        is_edit=is_edit,
        now=now,
        settings=settings,
        # On an edit the comment counts too: editing one's only approved comment keeps it so.
        history=author_history(author, settings=settings, now=now),
        standing=standing_of(author),
        toxicity=score,
        fingerprint=text_fingerprint(comment.body),
    )


# What one unit of report weight adds to a comment's priority: more than any toxicity (at most
# 500) and history (at most 100) can, so reports always rank first.
REPORT_PRIORITY = 1000


def priority_of(*, toxicity: float | None, rejected_share: float, report_weight: int = 0) -> int:
    """Worst first: each unit of report weight outranks any toxicity, which outranks history."""
    return (
        report_weight * REPORT_PRIORITY
        + round((toxicity or 0) * 100) * 5
        + round(rejected_share * 100)
    )
