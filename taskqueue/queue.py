"""Queueing work: `enqueue(task, ...)` once the transaction commits, `@task` for retries.

Every task is queued the same way, so every task behaves the same in both modes: with Redis
(REDIS_URL) a worker runs it; without, Celery runs it inline (CELERY_TASK_ALWAYS_EAGER) in the
process that queued it, after the commit, through the same code, with the same retries and the
same dead letter. Nothing a task does can fail the request that queued it: a failure is retried,
then recorded (`DeadLetter`), and an unreachable broker makes the work run inline rather than be
lost.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db.transaction import on_commit
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def task(**options: Any) -> Callable[[Callable[..., Any]], Any]:
    """A Celery task that retries any error with exponential backoff, then fails for good.

    Backoff doubles from one second (with jitter, so a crowd of failures does not come back at
    once) up to ten minutes; after `TASKS_MAX_RETRIES` retries the failure is final, and Celery's
    `task_failure` makes it a dead letter. Inline, the retries come at once (Celery runs them
    eagerly), so a request waits at most for the tries, never for the backoff.
    """
    defaults: dict[str, Any] = {
        "autoretry_for": (Exception,),
        "retry_backoff": True,
        "retry_backoff_max": 600,
        "retry_jitter": True,
        "max_retries": settings.TASKS_MAX_RETRIES,
    }
    return shared_task(**(defaults | options))


def enqueue(task: Any, /, *args: Any, **kwargs: Any) -> None:
    """Queue `task(*args, **kwargs)` once the current transaction commits (at once outside one).

    After the commit, so the worker finds the rows the task is about, and a rolled-back change
    queues nothing. Arguments travel as JSON.
    """
    on_commit(partial(send, task, list(args), kwargs), robust=True)


def send(task: Any, args: list[Any], kwargs: dict[str, Any]) -> None:
    """Hand the task to the broker, or run it here when the broker cannot be reached.

    Redis down must not lose an email or a re-render: the work is done inline instead (its
    failure, if any, is dead-lettered as usual), and the outage is logged.
    """
    try:
        task.apply_async(args, kwargs)
    except OperationalError:
        logger.warning("The task broker is unreachable: running %s inline.", task.name)
        task.apply(args, kwargs)
