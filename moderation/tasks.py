"""Moderation's queued work: re-screening the Pending queue after the rules change, and training
the classifier again (nightly, CELERY_BEAT_SCHEDULE, and on request)."""

from __future__ import annotations

import logging

from taskqueue.queue import task

from . import classifier, screening

logger = logging.getLogger(__name__)


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
