"""What the screening rules read: the editors' settings, the author's standing and history.

`context_for()` gathers it all for one comment in a fixed number of queries (two, plus the cached
standing and settings); the rules (moderation.rules) then read nothing else.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from comments.models import Comment

from .models import ModerationSettings, Sanction
from .ratelimits import fingerprint as text_fingerprint
from .rules import AuthorHistory, Context, Standing
from .toxicity import toxicity_score

Status = Comment.Status


_SETTINGS_KEY = "moderation:settings"


def moderation_settings() -> ModerationSettings:
    """The editors' settings (cached; made with the model's defaults on first use)."""
    found = cache.get(_SETTINGS_KEY)
    if found is None:
        found, _ = ModerationSettings.objects.get_or_create(pk=ModerationSettings.SINGLETON_PK)
        cache.set(_SETTINGS_KEY, found, timeout=3600)
    return found


def forget_settings() -> None:
    cache.delete(_SETTINGS_KEY)


def _standing_key(user_id: int) -> str:
    return f"moderation:standing:{user_id}"


def standing_of(user: Any) -> Standing:
    """The sanctions in force on a reader: cached, so the article page pays no query for it."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Standing()
    key = _standing_key(user.pk)
    sanctions = cache.get(key)
    if sanctions is None:
        sanctions = tuple(Sanction.objects.in_force().filter(user=user))
        cache.set(key, sanctions, timeout=3600)
    # Expiry is judged when read (Sanction.in_force), so a cached suspension still ends on time.
    return Standing(sanctions=sanctions)


def forget_standing(user_id: int) -> None:
    cache.delete(_standing_key(user_id))


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
