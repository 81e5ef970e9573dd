"""The dead letters: tasks that failed after their last retry, recorded and queued again.

Celery sends `task_failure` only for a final failure (a retry is `task_retry`), on a worker and
inline alike, so one receiver records both. Recording never raises: a task's failure must not
become the failure of whatever ran it (a worker, or the request that queued it inline).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from celery.signals import task_failure
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import DeadLetter
from .queue import enqueue

logger = logging.getLogger(__name__)


def _json(value: Any) -> Any:
    """As the broker would carry it (inline calls may pass anything; the record must store)."""
    return json.loads(json.dumps(value, default=repr))


@task_failure.connect
def record_dead_letter(
    sender: Any = None,
    task_id: str | None = None,
    exception: BaseException | None = None,
    args: Any = None,
    kwargs: Any = None,
    einfo: Any = None,
    **_: Any,
) -> None:
    try:
        DeadLetter.objects.create(
            task_name=getattr(sender, "name", str(sender)),
            task_id=task_id or "",
            args=_json(list(args or [])),
            kwargs=_json(dict(kwargs or {})),
            exception=f"{type(exception).__name__}: {exception}",
            traceback=str(einfo or ""),
            retries=getattr(getattr(sender, "request", None), "retries", 0) or 0,
        )
    except Exception:  # the database itself may be what failed
        logger.exception("Could not record the failure of task %s (%s).", sender, task_id)


def requeue(letters: QuerySet[DeadLetter], *, by: Any) -> int:
    """Queue these failed tasks again, with the arguments they failed with; returns how many.

    Each is marked as queued again (by whom, when) in the same transaction, so two editors
    pressing at once queue it once. A task that fails again comes back as a new dead letter.
    """
    queued = 0
    with transaction.atomic():
        for letter in letters.select_for_update().filter(requeued_at__isnull=True):
            try:  # a task's name is its dotted path (Celery's default)
                task = import_string(letter.task_name)
            except ImportError:  # renamed or removed since: nothing to call
                continue
            letter.requeued_at = timezone.now()
            letter.requeued_by = by
            letter.save(update_fields=["requeued_at", "requeued_by"])
            enqueue(task, *letter.args, **letter.kwargs)
            queued += 1
    return queued
