"""The article lifecycle, as named functions that the admin, views, API and commands all call.

States (`Article.State`): draft → published (now) or scheduled (published with a future
`published_at`, live by itself when the time comes: every public query filters on it, no cron) →
unpublished; any of them can go back to draft. Each function checks (permission and transition),
changes the article, saves it once (simple-history records the revision with who and why), then
sends `signals.article_state_changed` or `signals.article_saved` once the transaction commits (the
admin wraps its views in one), as every domain event in the project is sent.

Every change of state needs the `articles.publish_article` permission; saving content needs only
what the caller already checked (the admin checks `change_article`).
"""

from __future__ import annotations

import enum
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User

from .models import Article
from .signals import article_saved, article_state_changed

PUBLISH_PERMISSION = "articles.publish_article"

# The fields a restore brings back: the content. The state (status, dates) is the lifecycle's,
# changed only by the functions here, so a restore can never publish or withdraw an article.
RESTORED_FIELDS = (
    "title",
    "slug",
    "section_id",
    "summary",
    "body",
    "author_id",
    "comments_mode",
    "comments_close_after_days",
)


class Action(enum.StrEnum):
    PUBLISH = "publish"
    SCHEDULE = "schedule"
    UNPUBLISH = "unpublish"
    DRAFT = "draft"


class TransitionError(ValidationError):
    """The article is not in a state this action can start from (or the time is wrong)."""


# Which states each action may start from.
ALLOWED_FROM: dict[Action, frozenset[Article.State]] = {
    Action.PUBLISH: frozenset(
        {Article.State.DRAFT, Article.State.SCHEDULED, Article.State.UNPUBLISHED}
    ),
    Action.SCHEDULE: frozenset(
        {Article.State.DRAFT, Article.State.SCHEDULED, Article.State.UNPUBLISHED}
    ),
    Action.UNPUBLISH: frozenset({Article.State.PUBLISHED}),
    Action.DRAFT: frozenset(
        {Article.State.SCHEDULED, Article.State.PUBLISHED, Article.State.UNPUBLISHED}
    ),
}

_REFUSALS = {
    Action.PUBLISH: "It is already published.",
    Action.SCHEDULE: "It is already published: unpublish it first to schedule it again.",
    Action.UNPUBLISH: "Only a published article can be unpublished.",
    Action.DRAFT: "It is already a draft.",
}


def can_publish(user: User) -> bool:
    return user.has_perm(PUBLISH_PERMISSION)


def state_at(article: Article, now: datetime) -> Article.State:
    """The article's state at `now` (Article.state is the same at the present time)."""
    if article.status == Article.Status.PUBLISHED:
        scheduled = article.published_at is not None and article.published_at > now
        return Article.State.SCHEDULED if scheduled else Article.State.PUBLISHED
    return Article.State(article.status)


def check_transition(
    *,
    article: Article,
    action: Action,
    by: User,
    at: datetime | None = None,
    now: datetime | None = None,
) -> None:
    """Raise PermissionDenied or TransitionError if `by` may not do `action` to `article` now.

    Forms call this to refuse with a clear message before anything is saved.
    """
    now = now or timezone.now()
    if not can_publish(by):
        raise PermissionDenied("You do not have permission to publish, schedule or unpublish.")
    if state_at(article, now) not in ALLOWED_FROM[action]:
        raise TransitionError(_REFUSALS[action], code="transition")
    if action is Action.SCHEDULE:
        if at is None:
            raise TransitionError(
                {"published_at": "Give the time it should go live."}, code="required"
            )
        if at <= now:
            raise TransitionError(
                {"published_at": "A scheduled time must be in the future."}, code="past"
            )


def _record(article: Article, *, by: User, reason: str) -> None:
    """Validate and save once; simple-history keeps the revision with its author and reason."""
    article.full_clean(exclude=["body_html", "body_text"])  # derived on save
    article._history_user = by
    article._change_reason = reason[:100]
    try:
        article.save()
    finally:
        del article._history_user, article._change_reason


def _transition(
    article: Article,
    *,
    action: Action,
    by: User,
    status: Article.Status,
    reason: str,
    now: datetime,
    published_at: datetime | None = None,
    at: datetime | None = None,
) -> Article:
    """Check, change (a None `published_at` keeps the article's), record, then signal."""
    check_transition(article=article, action=action, by=by, at=at, now=now)
    previous = state_at(article, now)
    article.status = status
    if published_at is not None:
        article.published_at = published_at
    with transaction.atomic():
        _record(article, by=by, reason=reason)
    transaction.on_commit(
        lambda: article_state_changed.send(
            sender=Article, article=article, by=by, action=action, previous_state=previous
        ),
        robust=True,
    )
    return article


def publish(*, article: Article, by: User, now: datetime | None = None) -> Article:
    """Make the article public now.

    A scheduled or undated article goes live at `now` (to the second, as editors see times);
    one published before (then unpublished, or backdated by its editor) keeps its original date.
    """
    now = (now or timezone.now()).replace(microsecond=0)
    keep = article.published_at is not None and article.published_at <= now
    return _transition(
        article,
        action=Action.PUBLISH,
        by=by,
        status=Article.Status.PUBLISHED,
        published_at=None if keep else now,
        reason="Published",
        now=now,
    )


def schedule(*, article: Article, by: User, at: datetime, now: datetime | None = None) -> Article:
    """Publish the article at a future time: it goes live by itself when `at` comes."""
    return _transition(
        article,
        action=Action.SCHEDULE,
        by=by,
        status=Article.Status.PUBLISHED,
        published_at=at,
        reason=f"Scheduled for {date_format(timezone.localtime(at), 'DATETIME_FORMAT')}",
        now=now or timezone.now(),
        at=at,
    )


def unpublish(*, article: Article, by: User, now: datetime | None = None) -> Article:
    """Withdraw a public article; its publication date is kept for a later republish."""
    return _transition(
        article,
        action=Action.UNPUBLISH,
        by=by,
        status=Article.Status.UNPUBLISHED,
        reason="Unpublished",
        now=now or timezone.now(),
    )


def back_to_draft(*, article: Article, by: User, now: datetime | None = None) -> Article:
    """Take the article (scheduled, published or unpublished) back to a draft.

    Its publication time stays as a proposal: "publish now" replaces it if it is still to come.
    """
    return _transition(
        article,
        action=Action.DRAFT,
        by=by,
        status=Article.Status.DRAFT,
        reason="Back to draft",
        now=now or timezone.now(),
    )


def run_action(
    *, article: Article, action: Action, by: User, at: datetime | None = None
) -> Article:
    """Do `action` to the article: for callers that name the action (the admin's buttons)."""
    if action is Action.SCHEDULE:
        if at is None:
            raise TransitionError({"published_at": "Give the time it should go live."})
        return schedule(article=article, by=by, at=at)
    return {Action.PUBLISH: publish, Action.UNPUBLISH: unpublish, Action.DRAFT: back_to_draft}[
        action
    ](article=article, by=by)


def save_article(
    *, article: Article, by: User, material: bool = False, now: datetime | None = None
) -> Article:
    """Save an editor's changes to the content, leaving the state as it is.

    `material` marks a material update of a published article: it stamps `revised_at`, shown as
    "Updated …" on the page and given to search engines as dateModified. Changing the publication
    time of a published or scheduled article changes what the public sees, so it needs the
    publishing permission.
    """
    now = now or timezone.now()
    if article.status == Article.Status.PUBLISHED and not can_publish(by):
        stored = (
            Article.objects.filter(pk=article.pk).values_list("published_at", flat=True).first()
            if article.pk
            else None
        )
        if article.pk is None or stored != article.published_at:
            raise PermissionDenied("You do not have permission to change when it is published.")
    if material:
        if state_at(article, now) is not Article.State.PUBLISHED:
            raise TransitionError(
                "Only a published article can have a material update.", code="material"
            )
        article.revised_at = now
    with transaction.atomic():
        _record(article, by=by, reason="Material update" if material else "Saved")
    _saved(article, by=by, material=material)
    return article


def restore_revision(*, article: Article, revision_id: int, by: User) -> Article:
    """Bring back the content of an earlier revision; the restore is itself a new revision.

    The article's state is left as it is (see RESTORED_FIELDS). A slug or section taken since by
    another article is refused by validation, and nothing is saved.
    """
    revision = article.history.get(history_id=revision_id)
    for name in RESTORED_FIELDS:
        setattr(article, name, getattr(revision, name))
    when = date_format(timezone.localtime(revision.history_date), "DATETIME_FORMAT")
    with transaction.atomic():
        _record(article, by=by, reason=f"Restored the revision of {when}")
    _saved(article, by=by, material=False)
    return article


def _saved(article: Article, *, by: User, material: bool) -> None:
    transaction.on_commit(
        lambda: article_saved.send(sender=Article, article=article, by=by, material=material),
        robust=True,
    )
