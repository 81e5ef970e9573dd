"""Moderation's queued work: telling readers what editors decided on many comments at once,
re-screening the Pending queue after the rules change, and training the classifier again
(nightly, CELERY_BEAT_SCHEDULE, and on request)."""

from __future__ import annotations

import logging

from comments.models import Comment
from taskqueue.queue import task

from . import classifier, screening, signals
from .models import ModerationEvent

logger = logging.getLogger(__name__)


@task()
def announce_decisions(event_ids: list[int]) -> int:
    """`comment_moderated` for each of these events (a bulk decision), in the order they were made.

    Telling readers (comments.notifications: the author, repliers, followers) costs a dozen
    queries a comment; a bulk decision queues one task for all of them rather than keeping the
    editor waiting. Sent again after a failure, nobody hears twice: a notification is stored once
    per reader, kind and comment.
    """
    events = ModerationEvent.objects.filter(pk__in=event_ids).select_related("actor").order_by("pk")
    comments = Comment.objects.select_related("author", "parent").in_bulk(
        [e.comment_id for e in events]
    )
    for event in events:
        if (comment := comments.get(event.comment_id)) is not None:
            signals.comment_moderated.send(sender=Comment, comment=comment, event=event)
    return len(event_ids)


@task()
def rescreen_pending(version: int) -> int | None:
    """After the settings or packs changed to `version` (moderation.configuration queues it)."""
    changed = screening.rescreen_pending(version=version)
    if changed is not None:
        logger.info(
            "Re-screened the Pending queue under rules version %s: %s changed.", version, changed
        )
    return changed


@task()
def retrain_classifier() -> int:
    """Train the classifier on the editors' decisions so far; returns the new model's id."""
    row = classifier.retrain()
    logger.info("Trained %s.", classifier.describe(row))
    return row.pk
