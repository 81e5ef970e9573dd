"""What the screening rules read: the editors' settings and packs, the author's standing and
history, the toxicity and classifier scores.

`context_for()` gathers it all for one comment in a fixed number of queries (the settings, the
author's sanctions, counts and recent comments, whether they are an editor), straight from the
database: what decides whether a comment is published is never taken from a cache. The settings
row carries versions: the rule packs and the classifier are loaded again only when theirs changes,
and are otherwise kept in the process under that version (`_packs`, classifier.current_model), so
every worker follows a change at its next comment. The rules (moderation.rules) read nothing else.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from accounts.roles import is_editor
from comments.models import Comment

from . import classifier
from .models import ModerationSettings, RulePack, Sanction
from .packs import Pack, pack_code
from .ratelimits import fingerprint as text_fingerprint
from .rules import RULE_LABELS, AuthorHistory, Context, Standing
from .toxicity import subject_words, toxicity_score, without_subject

Status = Comment.Status


def moderation_settings() -> ModerationSettings:
    """The editors' settings, from the database (made with the model's defaults on first use).

    Not cached: they decide whether a comment is published, so every worker must read the row
    as it is now; it is one small query by primary key. Its versions tell each worker whether
    what it derived from the packs and the classifier is still current.
    """
    found, _ = ModerationSettings.objects.get_or_create(pk=ModerationSettings.SINGLETON_PK)
    return found


_packs: tuple[int, tuple[Pack, ...]] | None = None
_packs_lock = threading.Lock()


def enabled_packs(settings: ModerationSettings) -> tuple[Pack, ...]:
    """The enabled rule packs as of the settings' version (one query when it changed)."""
    global _packs
    loaded = _packs
    if loaded is not None and loaded[0] == settings.version:
        return loaded[1]
    packs = tuple(
        Pack(slug=p.slug, name=p.name, action=p.action, lines=p.phrases, advice=p.advice)
        for p in RulePack.objects.filter(enabled=True).order_by("position", "name")
    )
    with _packs_lock:
        _packs = (settings.version, packs)
    return packs


def rule_labels() -> dict[str, str]:
    """Every reason code with the label editors see: the rules', then each pack's (one query)."""
    packs = RulePack.objects.order_by("position", "name").values_list("slug", "name")
    return {**RULE_LABELS, **{pack_code(slug): name for slug, name in packs}}


def forget_packs() -> None:
    """Drop this process's packs (tests that write rows directly; services bump the version)."""
    global _packs
    _packs = None


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


def article_subject(article, settings: ModerationSettings) -> frozenset[str]:
    """Words that never count against a comment's toxicity: the article's title and tags, and
    the editors' own list."""
    return subject_words(article.title, article.tags, settings.subject_words)


def context_for(comment: Comment, *, is_edit: bool = False) -> Context:
    """Everything the rules read about this comment, fetched once."""
    settings = moderation_settings()
    now = timezone.now()
    author = comment.author
    score = None
    wants_toxicity = (
        settings.toxicity_threshold is not None or settings.toxicity_nudge_threshold is not None
    )
    if wants_toxicity and comment.body.strip():
        subject = article_subject(comment.article, settings)
        score = toxicity_score(without_subject(comment.body, subject))
    model = classifier.current_model(settings.classifier_version)
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
        author_is_editor=is_editor(author),
        packs=enabled_packs(settings),
        classifier_score=model.score(comment.body) if model and comment.body.strip() else None,
        classifier_decisions=model.decisions if model else 0,
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
