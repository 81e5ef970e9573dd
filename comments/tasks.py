"""The comments app's queued work: re-rendering comments, and the threads' nightly recount."""

from __future__ import annotations

from django.db import transaction

from markup.rerender import rerender
from markup.sanitize import render_comment
from taskqueue.queue import task

from .models import Comment
from .thread import bump_threads
from .thread import recount_threads as recount


@task()
def rerender_comments(first_pk: int, last_pk: int) -> int:
    """Re-render the stored HTML of comments first_pk..last_pk; returns how many changed.

    Their threads get new versions in the same transaction, so every worker's cached pages of
    them (and the whole anonymous pages that show them) miss from then on.
    """
    with transaction.atomic():
        rows = Comment.objects.filter(pk__gte=first_pk, pk__lte=last_pk).order_by("pk")
        stale = rerender(rows, render_comment, also=["article_id"])
        bump_threads(c.article_id for c in stale)
    return len(stale)


@task()
def recount_threads() -> int:
    """A safety net on a schedule (CELERY_BEAT_SCHEDULE): correct any drifted thread counts."""
    return recount()
